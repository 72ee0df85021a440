package com.closeout.audit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.audit.CompletionRecords;
import com.closeout.domain.ArchiveRef;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventId;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.Closure;
import com.closeout.propagation.NewClosure;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.testsupport.Deliveries;
import com.closeout.testsupport.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class JdbcCompletionRecordsIntegrationTests {
  private static final Instant NOW = Instant.parse("2026-11-20T10:15:00Z");

  private IsolatedSchema schema;
  private CloseoutStores stores;
  private CompletionRecords completions;

  @BeforeEach
  void freshSchema() {
    schema = TestDatabase.freshSchema("completions");
    stores = JdbcCloseoutStores.create(schema.dataSource());
    completions = stores.completions();
  }

  @AfterEach
  void dropSchema() {
    schema.close();
  }

  @Test
  void completionIsRecordedOncePerClosure() {
    Closure closure = closure("ESC-1", 2);
    ClosureKey key = closure.key();

    assertThat(completions.exists(closure.id())).isFalse();
    assertThat(completions.insert(closure.id(), key, "evt-1", List.of(3L, 4L, 9L), NOW)).isTrue();
    assertThat(completions.insert(closure.id(), key, "evt-1", List.of(99L), NOW)).isFalse();

    assertThat(completions.exists(closure.id())).isTrue();
    assertThat(
            JdbcClient.create(schema.dataSource())
                .sql("SELECT audit_entry_ids::text FROM completion_records WHERE closure_id = :id")
                .param("id", closure.id())
                .query(String.class)
                .single())
        .isEqualTo("[3, 4, 9]");
  }

  @Test
  void aGroupsRecordsAreInsertedInOneStatementAndEachClosureKeepsItsFirst() {
    Closure done = closure("ESC-1", 1);
    Closure fresh = closure("ESC-2", 1);
    completions.insert(done.id(), done.key(), "evt-1", List.of(1L), NOW);

    List<Boolean> written =
        completions.insertAll(
            List.of(
                new CompletionRecords.CompletionRecord(
                    fresh.id(), fresh.key(), "evt-2", List.of(5L, 6L), NOW),
                new CompletionRecords.CompletionRecord(
                    done.id(), done.key(), "evt-1", List.of(99L), NOW),
                new CompletionRecords.CompletionRecord(
                    fresh.id(), fresh.key(), "evt-2", List.of(98L), NOW)));

    assertThat(written).containsExactly(true, false, false);
    assertThat(entryIds(fresh)).isEqualTo("[5, 6]");
    assertThat(entryIds(done)).isEqualTo("[1]");
  }

  private String entryIds(Closure closure) {
    return JdbcClient.create(schema.dataSource())
        .sql("SELECT audit_entry_ids::text FROM completion_records WHERE closure_id = :id")
        .param("id", closure.id())
        .query(String.class)
        .single();
  }

  private Closure closure(String escalation, int version) {
    DispositionEvent event =
        new DispositionEvent(
            new EventId("evt-" + escalation + "-" + version),
            "urn:support:review-board",
            NOW,
            new EscalationId(escalation),
            new EpisodeId("EP-1"),
            DispositionEvent.CLOSURE_APPROVED,
            version,
            NOW,
            List.of(new ArchiveRef("CLOSURE_PACKET", "archive://p", "c".repeat(64))),
            List.of());
    return Deliveries.start(stores.closures(), new NewClosure(event, NOW)).orElseThrow();
  }
}
