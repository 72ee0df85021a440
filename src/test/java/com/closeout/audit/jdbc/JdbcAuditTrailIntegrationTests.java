package com.closeout.audit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditEntry;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;
import com.closeout.audit.AuditTrail.ChainBreak;
import com.closeout.domain.TargetSystem;
import com.closeout.propagation.TransactionRunner;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.SpringTransactionRunner;
import com.closeout.testsupport.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

class JdbcAuditTrailIntegrationTests {
  private static final Instant NOW = Instant.parse("2026-11-20T10:15:00.123456789Z");

  private IsolatedSchema schema;
  private DataSourceTransactionManager transactionManager;
  private AuditTrail audit;
  private TransactionRunner transactions;
  private JdbcClient sql;

  @BeforeEach
  void freshSchema() {
    schema = TestDatabase.freshSchema("audit");
    transactionManager = new DataSourceTransactionManager(schema.dataSource());
    audit = trail(1_000);
    transactions = new SpringTransactionRunner(transactionManager);
    sql = JdbcClient.create(schema.dataSource());
  }

  @AfterEach
  void dropSchema() {
    schema.close();
  }

  @Test
  void appendedEntriesFormAnIntactChainStampedByTheClock() {
    appendMany(50);

    List<AuditEntry> entries = audit.entries(1, 100);
    assertThat(entries)
        .extracting(AuditEntry::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
    assertThat(entries.get(0).previousHash()).isEqualTo(AuditEntry.GENESIS_HASH);
    for (int i = 1; i < entries.size(); i++) {
      assertThat(entries.get(i).previousHash()).isEqualTo(entries.get(i - 1).hash());
    }
    assertThat(entries).allMatch(AuditEntry::hashIsIntact);
    assertThat(entries)
        .allMatch(entry -> entry.recordedAt().equals(NOW.truncatedTo(ChronoUnit.MICROS)));
    assertThat(audit.count()).isEqualTo(50);
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void appendReturnsTheEntryAsStored() {
    AuditEntry appended =
        audit.append(
            AuditRecord.of("evt-1", "ESC-1", 3, AuditAction.STEP_SKIPPED)
                .target(TargetSystem.TRACKER, "ESC-1")
                .skipped()
                .notified("ops-coordinator")
                .detail("already REVIEW_COMPLETE"));

    assertThat(audit.entries(1, 1)).containsExactly(appended);
    assertThat(appended.targetSystem()).isEqualTo(TargetSystem.TRACKER);
    assertThat(appended.skippedAsDone()).isTrue();
  }

  @Test
  void textOutsideTheBasicPlaneAndSeparatorLookalikesChainIntact() {
    audit.appendAll(
        List.of(
            AuditRecord.of("evt-\u00e9", "ESC-1", 1, AuditAction.RECEIVED)
                .detail("closed \uD83D\uDE80 'fast' | 3:x -1: \\ \"quoted\""),
            AuditRecord.of("evt-2", "ESC-1", 1, AuditAction.FOLLOW_UP)
                .detail("\uD834\uDD1E".repeat(40))));

    assertThat(audit.entries(1, 10)).hasSize(2).allMatch(AuditEntry::hashIsIntact);
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void emptyChainIsIntact() {
    assertThat(audit.verify()).isEmpty();
    assertThat(audit.count()).isZero();
  }

  @Test
  void concurrentAppendsFromTwoThreadsStayOneUnbrokenChain() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<Long>>> results = new ArrayList<>();
      for (String worker : List.of("a", "b")) {
        Callable<List<Long>> appends =
            () -> {
              start.await();
              List<Long> sequences = new ArrayList<>();
              for (int i = 0; i < 100; i++) {
                sequences.add(
                    audit
                        .append(
                            AuditRecord.of(
                                "evt-" + worker + i, "ESC-" + worker, 1, AuditAction.RECEIVED))
                        .sequence());
              }
              return sequences;
            };
        results.add(threads.submit(appends));
      }
      start.countDown();
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> result : results) {
        all.addAll(result.get());
      }

      assertThat(all)
          .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
      assertThat(audit.count()).isEqualTo(200);
      assertThat(audit.verify()).isEmpty();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void appendAllChainsTheRecordsInTheirOrderAfterWhatIsAlreadyThere() {
    audit.append(AuditRecord.of("evt-0", "ESC-1", 1, AuditAction.RECEIVED));

    List<AuditEntry> appended =
        audit.appendAll(
            List.of(
                AuditRecord.of("evt-1", "ESC-1", 1, AuditAction.VERIFIED),
                AuditRecord.of("evt-1", "ESC-1", 1, AuditAction.STEP_DONE),
                AuditRecord.of("evt-1", "ESC-1", 1, AuditAction.COMPLETED)));

    assertThat(appended)
        .extracting(AuditEntry::sequence, AuditEntry::action)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2L, AuditAction.VERIFIED),
            org.assertj.core.groups.Tuple.tuple(3L, AuditAction.STEP_DONE),
            org.assertj.core.groups.Tuple.tuple(4L, AuditAction.COMPLETED));
    assertThat(appended.get(1).previousHash()).isEqualTo(appended.get(0).hash());
    assertThat(audit.entries(1, 10))
        .extracting(AuditEntry::hash)
        .last()
        .isEqualTo(appended.get(2).hash());
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void appendAllOfThousandsOfRecordsWithEveryOptionalFieldIsOneIntactChain() {
    // One statement takes the group as arrays: no per-statement parameter limit to split at.
    List<AuditRecord> records = new java.util.ArrayList<>();
    for (int i = 1; i <= 6_000; i++) {
      AuditRecord record = AuditRecord.of("evt-" + i, "ESC-" + (i % 7), 1, AuditAction.STEP_DONE);
      records.add(
          switch (i % 3) {
            case 0 -> record.target(TargetSystem.LEDGER, "LED-" + i).skipped().detail("d " + i);
            case 1 -> record.notified("coordinator");
            default -> AuditRecord.of(null, null, null, AuditAction.IGNORED);
          });
    }

    List<AuditEntry> appended = audit.appendAll(records);

    assertThat(appended).hasSize(6_000);
    assertThat(audit.count()).isEqualTo(6_000);
    assertThat(audit.entries(1, 6_000)).containsExactlyElementsOf(appended);
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void appendAllOfNothingWritesNothing() {
    assertThat(audit.appendAll(List.of())).isEmpty();
    assertThat(audit.count()).isZero();
  }

  @Test
  void concurrentBatchesAndSingleAppendsStayOneUnbrokenChain() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int worker = 0; worker < 3; worker++) {
        int w = worker;
        work.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 30; i++) {
                    if (w == 0) {
                      audit.append(AuditRecord.of("evt-s" + i, "ESC-S", 1, AuditAction.RECEIVED));
                    } else {
                      audit.appendAll(
                          List.of(
                              AuditRecord.of("evt-" + w + i, "ESC-" + w, 1, AuditAction.STEP_DONE),
                              AuditRecord.of(
                                  "evt-" + w + i, "ESC-" + w, 1, AuditAction.COMPLETED)));
                    }
                  }
                }));
      }
      for (Future<?> done : work) {
        done.get();
      }
      assertThat(audit.count()).isEqualTo(30 + 2 * 30 * 2);
      assertThat(audit.verify()).isEmpty();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void appendTakesPartInTheCallersTransaction() {
    audit.append(AuditRecord.of("evt-0", "ESC-1", 1, AuditAction.RECEIVED));

    assertThatThrownBy(
            () ->
                transactions.inTransaction(
                    () -> {
                      audit.append(AuditRecord.of("evt-1", "ESC-1", 1, AuditAction.VERIFIED));
                      throw new IllegalStateException("step failed");
                    }))
        .hasMessage("step failed");

    assertThat(audit.count()).isEqualTo(1);
    assertThat(audit.append(AuditRecord.of("evt-2", "ESC-1", 1, AuditAction.VERIFIED)).sequence())
        .isEqualTo(2);
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void verifyWalksTheChainInPagesAndNamesTheFirstTamperedEntry() {
    AuditTrail paged = trail(7);
    appendMany(30);
    assertThat(paged.verify()).isEmpty();

    withoutAppendOnlyTrigger(
        () ->
            sql.sql("UPDATE audit_entries SET detail = 'rewritten' WHERE sequence IN (23, 27)")
                .update());

    assertThat(paged.verify())
        .hasValueSatisfying(
            chainBreak -> {
              assertThat(chainBreak.sequence()).isEqualTo(23);
              assertThat(chainBreak.why()).contains("hash does not match");
            });
  }

  @Test
  void entryRewrittenWithARecomputedHashBreaksTheLinkOfTheNextEntry() {
    appendMany(10);
    AuditEntry original = audit.entries(4, 1).get(0);
    AuditEntry forged =
        AuditEntry.chain(
            4,
            original.recordedAt(),
            AuditRecord.of("evt-forged", "ESC-1", 1, AuditAction.COMPLETED),
            original.previousHash());

    withoutAppendOnlyTrigger(
        () ->
            sql.sql(
                    """
                    UPDATE audit_entries
                       SET event_id = :eventId, action = :action, target_system = NULL,
                           target_record_id = NULL, hash = :hash
                     WHERE sequence = 4
                    """)
                .param("eventId", forged.eventId())
                .param("action", forged.action().name())
                .param("hash", forged.hash())
                .update());

    assertThat(audit.verify())
        .hasValueSatisfying(
            chainBreak -> {
              assertThat(chainBreak.sequence()).isEqualTo(5);
              assertThat(chainBreak.why()).contains("previous hash");
            });
  }

  @Test
  void deletedEntryIsReportedMissing() {
    appendMany(10);

    withoutAppendOnlyTrigger(
        () -> sql.sql("DELETE FROM audit_entries WHERE sequence = 6").update());

    assertThat(audit.verify())
        .hasValueSatisfying(
            chainBreak -> {
              assertThat(chainBreak.sequence()).isEqualTo(6);
              assertThat(chainBreak.why()).contains("missing");
            });
  }

  @Test
  void forgedEntryInsertedBehindTheTrailsBackIsDetected() {
    appendMany(5);
    AuditEntry last = audit.entries(5, 1).get(0);
    AuditEntry forged =
        AuditEntry.chain(
            6, NOW, AuditRecord.of("evt-forged", "ESC-1", 1, AuditAction.COMPLETED), last.hash());

    sql.sql(
            """
            INSERT INTO audit_entries (sequence, recorded_at, event_id, escalation_id,
                                       disposition_version, action, skipped_as_done,
                                       previous_hash, hash)
            VALUES (:sequence, now(), :eventId, :escalationId, 1, :action, false,
                    :previousHash, :hash)
            """)
        .param("sequence", forged.sequence())
        .param("eventId", forged.eventId())
        .param("escalationId", forged.escalationId())
        .param("action", forged.action().name())
        .param("previousHash", forged.previousHash())
        .param("hash", forged.hash())
        .update();

    assertThat(audit.verify()).isPresent().get().extracting(ChainBreak::sequence).isEqualTo(6L);
  }

  @Test
  void storeRefusesToUpdateDeleteOrTruncateAuditEntries() {
    appendMany(3);

    assertThatThrownBy(
            () -> sql.sql("UPDATE audit_entries SET detail = 'x' WHERE sequence = 2").update())
        .isInstanceOf(DataAccessException.class)
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> sql.sql("DELETE FROM audit_entries WHERE sequence = 2").update())
        .isInstanceOf(DataAccessException.class)
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> sql.sql("TRUNCATE audit_entries").update())
        .isInstanceOf(DataAccessException.class)
        .hasMessageContaining("append-only");
    assertThat(audit.count()).isEqualTo(3);
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void forEscalationListsOnlyThatEscalationsEntriesInOrder() {
    audit.append(AuditRecord.of("evt-1", "ESC-1", 1, AuditAction.RECEIVED));
    audit.append(AuditRecord.of("evt-2", "ESC-2", 1, AuditAction.RECEIVED));
    audit.append(AuditRecord.of("evt-1", "ESC-1", 1, AuditAction.VERIFIED));

    assertThat(audit.forEscalation("ESC-1"))
        .extracting(AuditEntry::sequence, AuditEntry::action)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, AuditAction.RECEIVED),
            org.assertj.core.groups.Tuple.tuple(3L, AuditAction.VERIFIED));
  }

  private AuditTrail trail(int pageSize) {
    return new JdbcAuditTrail(
        schema.dataSource(), transactionManager, Clock.fixed(NOW, ZoneOffset.UTC), pageSize);
  }

  private void appendMany(int count) {
    for (int i = 1; i <= count; i++) {
      audit.append(
          AuditRecord.of("evt-" + i, "ESC-" + (i % 3), 1, AuditAction.STEP_DONE)
              .target(TargetSystem.LEDGER, "ESC-" + (i % 3)));
    }
  }

  /** Tampering as a database superuser could, with the append-only trigger switched off. */
  private void withoutAppendOnlyTrigger(Runnable tampering) {
    transactions.inTransaction(
        () -> {
          sql.sql("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update_or_delete")
              .update();
          tampering.run();
          sql.sql("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update_or_delete")
              .update();
        });
  }
}
