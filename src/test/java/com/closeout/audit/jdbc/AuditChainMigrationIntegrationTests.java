package com.closeout.audit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditEntry;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;
import com.closeout.domain.TargetSystem;
import com.closeout.testsupport.SchemaAtVersion;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** A store whose chain was written before entry ids existed, migrated to them. */
class AuditChainMigrationIntegrationTests {
  private static final Instant AT = Instant.parse("2026-11-20T10:15:00.123456Z");

  private SchemaAtVersion schema;

  @BeforeEach
  void schemaBeforeEntryIds() throws SQLException {
    schema = SchemaAtVersion.migratedTo("audit_migration_", "3");
  }

  @AfterEach
  void dropSchema() throws SQLException {
    schema.close();
  }

  @Test
  void entriesChainedBeforeEntryIdsKeepTheirSequenceAsIdAndTheChainGoesOnIntact() {
    List<AuditEntry> legacy = chainAsBeforeEntryIds(3);
    schema.insertClosure(1, "COMPLETED");
    schema
        .sql()
        .sql(
            """
            INSERT INTO completion_records (closure_id, escalation_id, disposition_version,
                                            event_id, audit_sequences, recorded_at)
            VALUES (1, 'ESC-1', 1, 'evt-1', '[1, 2, 3]', now())
            """)
        .update();

    schema.migrateToLatest();

    AuditTrail audit =
        new JdbcAuditTrail(
            schema.dataSource(),
            new DataSourceTransactionManager(schema.dataSource()),
            Clock.fixed(AT, ZoneOffset.UTC));
    assertThat(audit.entries(1, 10)).extracting(AuditEntry::entryId).containsExactly(1L, 2L, 3L);
    assertThat(audit.verify()).isEmpty();
    assertThat(
            schema
                .sql()
                .sql("SELECT audit_entry_ids::text FROM completion_records WHERE closure_id = 1")
                .query(String.class)
                .single())
        .isEqualTo("[1, 2, 3]");

    long next = audit.append(AuditRecord.of("evt-2", "ESC-2", 1, AuditAction.RECEIVED));
    assertThat(next).isEqualTo(4);
    audit.chainAllPending();
    AuditEntry chained = audit.entries(4, 1).get(0);
    assertThat(chained.previousHash()).isEqualTo(legacy.get(2).hash());
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void theAppendOnlyTriggerIsBackOnAfterTheBackfill() {
    chainAsBeforeEntryIds(1);

    schema.migrateToLatest();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> schema.sql().sql("UPDATE audit_entries SET detail = 'x'").update())
        .hasMessageContaining("append-only");
  }

  /** Entries as the chain wrote them before entry ids: sequence, hash, head moved. */
  private List<AuditEntry> chainAsBeforeEntryIds(int count) {
    List<AuditEntry> entries = new ArrayList<>();
    String previous = AuditEntry.GENESIS_HASH;
    for (int i = 1; i <= count; i++) {
      AuditEntry entry =
          AuditEntry.chain(
              i,
              AT,
              AuditRecord.of("evt-1", "ESC-1", 1, AuditAction.STEP_DONE)
                  .target(TargetSystem.TRACKER, "ESC-1")
                  .detail("TRACKER_SYNC"),
              previous);
      schema
          .sql()
          .sql(
              """
              INSERT INTO audit_entries (sequence, recorded_at, event_id, escalation_id,
                                         disposition_version, action, target_system,
                                         target_record_id, skipped_as_done, detail,
                                         previous_hash, hash)
              VALUES (:sequence, :at, :eventId, :escalationId, :version, :action, :system,
                      :recordId, false, :detail, :previousHash, :hash)
              """)
          .param("sequence", entry.sequence())
          .param("at", Timestamp.from(AT))
          .param("eventId", entry.eventId())
          .param("escalationId", entry.escalationId())
          .param("version", entry.dispositionVersion())
          .param("action", entry.action().name())
          .param("system", entry.targetSystem().name())
          .param("recordId", entry.targetRecordId())
          .param("detail", entry.detail())
          .param("previousHash", entry.previousHash())
          .param("hash", entry.hash())
          .update();
      schema
          .sql()
          .sql("UPDATE audit_head SET sequence = :sequence, hash = :hash WHERE id = 1")
          .param("sequence", entry.sequence())
          .param("hash", entry.hash())
          .update();
      entries.add(entry);
      previous = entry.hash();
    }
    return entries;
  }
}
