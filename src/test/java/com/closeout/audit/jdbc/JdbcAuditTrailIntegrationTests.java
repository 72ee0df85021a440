package com.closeout.audit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditEntry;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;
import com.closeout.audit.AuditTrail.ChainBreak;
import com.closeout.bench.CountingDataSource;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.EscalationId;
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
import java.util.Map;
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
  void appendedEntriesOnceChainedFormAnIntactChainStampedByTheClock() {
    appendMany(50);

    assertThat(audit.chainAllPending()).isEqualTo(50);

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
    assertThat(audit.pending()).isZero();
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void aChainedEntryIsIndexedByItsSequenceItsEntryIdAndItsEscalationOnly() {
    // Each index is a write of every entry: the hash's (random keys, a full page image nearly
    // every insert after a checkpoint) is gone since V7, and another needs a reason to come back.
    List<String> indexed =
        sql.sql(
                """
                SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
                  FROM pg_index i
                  JOIN pg_class c ON c.oid = i.indrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                 WHERE n.nspname = current_schema() AND c.relname = 'audit_entries'
                 GROUP BY i.indexrelid
                """)
            .query(String.class)
            .list();

    assertThat(indexed)
        .containsExactlyInAnyOrder("sequence", "entry_id", "escalation_id, sequence");
  }

  @Test
  void anEntryThatRepeatsAnotherEntrysHashFailsTheChainsVerification() {
    appendMany(2);
    audit.chainAllPending();
    String firstHash = audit.entries(1, 1).get(0).hash();

    // Nothing in the store refuses a repeated hash any more; the chain's verification does.
    sql.sql(
            """
            INSERT INTO audit_entries (sequence, entry_id, recorded_at, action, skipped_as_done,
                                       previous_hash, hash)
            VALUES (3, 1003, now(), 'STEP_DONE', false, :previous, :hash)
            """)
        .param("previous", audit.entries(2, 1).get(0).hash())
        .param("hash", firstHash)
        .update();

    assertThat(audit.verify()).isNotEmpty();
  }

  @Test
  void anAppendedEntryWaitsOutsideTheChainUntilItIsChained() {
    appendMany(3);

    assertThat(audit.pending()).isEqualTo(3);
    assertThat(audit.count()).isZero();
    assertThat(audit.entries(1, 10)).isEmpty();
    assertThat(audit.forEscalation("ESC-1")).isEmpty();
    assertThat(audit.verify()).isEmpty();

    assertThat(audit.chainPending(2)).isEqualTo(2);
    assertThat(audit.count()).isEqualTo(2);
    assertThat(audit.pending()).isEqualTo(1);
    assertThat(audit.chainPending(2)).isEqualTo(1);
    assertThat(audit.chainPending(2)).isZero();
    assertThat(audit.count()).isEqualTo(3);
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void theChainedEntryKeepsTheIdItsAppendReturnedAndEveryField() {
    long id =
        audit.append(
            AuditRecord.of("evt-1", "ESC-1", 3, AuditAction.STEP_SKIPPED)
                .target(TargetSystem.TRACKER, "ESC-1")
                .skipped()
                .notified("ops-coordinator")
                .detail("already REVIEW_COMPLETE"));
    audit.chainAllPending();

    AuditEntry chained = audit.entries(1, 1).get(0);
    assertThat(chained.entryId()).isEqualTo(id);
    assertThat(chained.eventId()).isEqualTo("evt-1");
    assertThat(chained.escalationId()).isEqualTo("ESC-1");
    assertThat(chained.dispositionVersion()).isEqualTo(3);
    assertThat(chained.action()).isEqualTo(AuditAction.STEP_SKIPPED);
    assertThat(chained.targetSystem()).isEqualTo(TargetSystem.TRACKER);
    assertThat(chained.targetRecordId()).isEqualTo("ESC-1");
    assertThat(chained.skippedAsDone()).isTrue();
    assertThat(chained.notificationTarget()).isEqualTo("ops-coordinator");
    assertThat(chained.detail()).isEqualTo("already REVIEW_COMPLETE");
    assertThat(chained.hashIsIntact()).isTrue();
  }

  @Test
  void textOutsideTheBasicPlaneAndSeparatorLookalikesChainIntact() {
    audit.appendAll(
        List.of(
            AuditRecord.of("evt-\u00e9", "ESC-1", 1, AuditAction.RECEIVED)
                .detail("closed \uD83D\uDE80 'fast' | 3:x -1: \\ \"quoted\""),
            AuditRecord.of("evt-2", "ESC-1", 1, AuditAction.FOLLOW_UP)
                .detail("\uD834\uDD1E".repeat(40))));
    audit.chainAllPending();

    assertThat(audit.entries(1, 10)).hasSize(2).allMatch(AuditEntry::hashIsIntact);
    assertThat(audit.entries(1, 10).get(0).detail())
        .isEqualTo("closed \uD83D\uDE80 'fast' | 3:x -1: \\ \"quoted\"");
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void emptyChainIsIntactAndChainingNothingLinksNothing() {
    assertThat(audit.chainPending(10)).isZero();
    assertThat(audit.verify()).isEmpty();
    assertThat(audit.count()).isZero();
  }

  @Test
  void concurrentAppendsFromTwoThreadsGetDistinctRisingIdsAndChainAsOneLine() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<Long>>> results = new ArrayList<>();
      for (String worker : List.of("a", "b")) {
        Callable<List<Long>> appends =
            () -> {
              start.await();
              List<Long> ids = new ArrayList<>();
              for (int i = 0; i < 100; i++) {
                ids.add(
                    audit.append(
                        AuditRecord.of(
                            "evt-" + worker + i, "ESC-" + worker, 1, AuditAction.RECEIVED)));
              }
              return ids;
            };
        results.add(threads.submit(appends));
      }
      start.countDown();
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> result : results) {
        assertThat(result.get()).isSorted().doesNotHaveDuplicates();
        all.addAll(result.get());
      }

      assertThat(audit.chainAllPending()).isEqualTo(200);
      assertThat(audit.entries(1, 200))
          .extracting(AuditEntry::entryId)
          .containsExactlyInAnyOrderElementsOf(all);
      assertThat(audit.verify()).isEmpty();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void appendAllNumbersTheRecordsInTheirOrderAndTheChainKeepsIt() {
    long first = audit.append(AuditRecord.of("evt-0", "ESC-1", 1, AuditAction.RECEIVED));

    List<Long> ids =
        audit.appendAll(
            List.of(
                AuditRecord.of("evt-1", "ESC-1", 1, AuditAction.VERIFIED),
                AuditRecord.of("evt-1", "ESC-1", 1, AuditAction.STEP_DONE),
                AuditRecord.of("evt-1", "ESC-1", 1, AuditAction.COMPLETED)));
    audit.chainAllPending();

    assertThat(ids).isSorted().allMatch(id -> id > first);
    assertThat(audit.entries(1, 10))
        .extracting(AuditEntry::sequence, AuditEntry::entryId, AuditEntry::action)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, first, AuditAction.RECEIVED),
            org.assertj.core.groups.Tuple.tuple(2L, ids.get(0), AuditAction.VERIFIED),
            org.assertj.core.groups.Tuple.tuple(3L, ids.get(1), AuditAction.STEP_DONE),
            org.assertj.core.groups.Tuple.tuple(4L, ids.get(2), AuditAction.COMPLETED));
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void appendAllOfThousandsOfRecordsWithEveryOptionalFieldChainsInBatchesIntact() {
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

    List<Long> ids = audit.appendAll(records);

    assertThat(ids).hasSize(6_000).isSorted().doesNotHaveDuplicates();
    assertThat(audit.chainAllPending()).isEqualTo(6_000);
    List<AuditEntry> entries = audit.entries(1, 6_000);
    assertThat(entries).extracting(AuditEntry::entryId).containsExactlyElementsOf(ids);
    assertThat(entries).extracting(AuditEntry::record).containsExactlyElementsOf(records);
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void appendAllOfNothingWritesNothing() {
    assertThat(audit.appendAll(List.of())).isEmpty();
    assertThat(audit.pending()).isZero();
  }

  @Test
  void chainersRunningBesideAppendersKeepOneUnbrokenChainAndLinkEachEntryOnce() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(5);
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
      java.util.concurrent.atomic.AtomicBoolean appending =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      java.util.concurrent.atomic.AtomicLong linked = new java.util.concurrent.atomic.AtomicLong();
      List<Future<?>> chainers = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        chainers.add(
            threads.submit(
                () -> {
                  while (appending.get()) {
                    linked.addAndGet(audit.chainPending(7));
                  }
                }));
      }
      for (Future<?> done : work) {
        done.get();
      }
      appending.set(false);
      for (Future<?> done : chainers) {
        done.get();
      }
      linked.addAndGet(audit.chainAllPending());

      assertThat(linked.get()).isEqualTo(30 + 2 * 30 * 2);
      assertThat(audit.count()).isEqualTo(30 + 2 * 30 * 2);
      assertThat(audit.pending()).isZero();
      assertThat(audit.verify()).isEmpty();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anEntryCommittedAfterAHigherNumberedOneIsChainedAfterIt() throws Exception {
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<Long> slow =
          thread.submit(
              () ->
                  transactions.inTransaction(
                      () -> {
                        long id =
                            audit.append(
                                AuditRecord.of("evt-slow", "ESC-1", 1, AuditAction.RECEIVED));
                        appended.countDown();
                        await(release);
                        return id;
                      }));
      appended.await();
      long quick = audit.append(AuditRecord.of("evt-quick", "ESC-2", 1, AuditAction.RECEIVED));

      // The slow transaction has not committed: its entry is not there to chain yet.
      assertThat(audit.chainAllPending()).isEqualTo(1);
      release.countDown();
      long slowId = slow.get();
      assertThat(slowId).isLessThan(quick);
      assertThat(audit.chainAllPending()).isEqualTo(1);

      assertThat(audit.entries(1, 10))
          .extracting(AuditEntry::sequence, AuditEntry::entryId)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1L, quick),
              org.assertj.core.groups.Tuple.tuple(2L, slowId));
      assertThat(audit.verify()).isEmpty();
    } finally {
      release.countDown();
      thread.shutdownNow();
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

    assertThat(audit.pending()).isEqualTo(1);
    assertThat(audit.chainAllPending()).isEqualTo(1);
    audit.append(AuditRecord.of("evt-2", "ESC-1", 1, AuditAction.VERIFIED));
    assertThat(audit.chainAllPending()).isEqualTo(1);
    assertThat(audit.entries(1, 10))
        .extracting(AuditEntry::eventId)
        .containsExactly("evt-0", "evt-2");
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void trailsNameEachClosuresEntriesByIdWhetherChainedOrNot() {
    long received = audit.append(AuditRecord.of("evt-1", "ESC-1", 2, AuditAction.RECEIVED));
    audit.append(AuditRecord.of("evt-0", "ESC-1", 1, AuditAction.RECEIVED));
    audit.append(AuditRecord.of("evt-9", "ESC-9", 2, AuditAction.RECEIVED));
    audit.append(AuditRecord.of(null, "ESC-1", null, AuditAction.IGNORED));
    audit.chainAllPending();
    List<Long> later =
        audit.appendAll(
            List.of(
                AuditRecord.of("evt-1", "ESC-1", 2, AuditAction.VERIFIED),
                AuditRecord.of("evt-1", "ESC-1", 2, AuditAction.STEP_DONE)));

    ClosureKey key = new ClosureKey(new EscalationId("ESC-1"), 2);
    ClosureKey none = new ClosureKey(new EscalationId("ESC-5"), 1);
    Map<ClosureKey, List<Long>> trails = audit.trails(List.of(key, none));

    assertThat(trails.get(key)).containsExactly(received, later.get(0), later.get(1));
    assertThat(trails.get(none)).isEmpty();
    audit.chainAllPending();
    assertThat(audit.trails(List.of(key)).get(key))
        .containsExactly(received, later.get(0), later.get(1));
  }

  @Test
  void trailsThenAppendReadsTheTrailsBeforeItsOwnEntriesAndAppendsThemInOneStatement() {
    long received = audit.append(AuditRecord.of("evt-1", "ESC-1", 2, AuditAction.RECEIVED));
    audit.chainAllPending();
    long verified = audit.append(AuditRecord.of("evt-1", "ESC-1", 2, AuditAction.VERIFIED));
    ClosureKey key = new ClosureKey(new EscalationId("ESC-1"), 2);
    ClosureKey other = new ClosureKey(new EscalationId("ESC-2"), 1);
    CountingDataSource counted = new CountingDataSource(schema.dataSource());
    JdbcAuditTrail countedTrail =
        new JdbcAuditTrail(
            counted, new DataSourceTransactionManager(counted), Clock.fixed(NOW, ZoneOffset.UTC));
    CountingDataSource.Counts before = counted.counts();

    AuditTrail.TrailsThenAppended both =
        countedTrail.trailsThenAppend(
            List.of(key, other),
            List.of(
                AuditRecord.of("evt-1", "ESC-1", 2, AuditAction.STEP_DONE),
                AuditRecord.of("evt-2", "ESC-2", 1, AuditAction.STEP_DONE)));

    assertThat(counted.counts().minus(before).roundTrips()).isEqualTo(1);
    assertThat(both.trails().get(key)).containsExactly(received, verified);
    assertThat(both.trails().get(other)).isEmpty();
    assertThat(both.entryIds()).hasSize(2);
    assertThat(both.entryIds().get(0)).isGreaterThan(verified);
    assertThat(both.entryIds().get(1)).isGreaterThan(both.entryIds().get(0));
    // The appended entries are there for the next read.
    assertThat(audit.trails(List.of(key)).get(key))
        .containsExactly(received, verified, both.entryIds().get(0));
  }

  @Test
  void reclaimingTheRoomOfChainedEntriesVacuumsThePendingTableAndKeepsWhatIsStillPending() {
    appendMany(50);
    audit.chainPending(40);

    audit.reclaimChainedSpace();

    // VACUUM records what it found live; nothing else would have set it on this new table.
    assertThat(
            sql.sql("SELECT reltuples FROM pg_class WHERE oid = 'audit_pending'::regclass")
                .query(Double.class)
                .single())
        .isEqualTo(10.0);
    assertThat(audit.pending()).isEqualTo(10);
    assertThat(audit.chainAllPending()).isEqualTo(10);
    assertThat(audit.verify()).isEmpty();
    // The chain had never been analyzed: now it has, with the escalation's fixed n_distinct.
    assertThat(
            sql.sql(
                    """
                    SELECT n_distinct FROM pg_stats
                     WHERE schemaname = current_schema() AND tablename = 'audit_entries'
                       AND attname = 'escalation_id'
                    """)
                .query(Double.class)
                .single())
        .isEqualTo(-0.05, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void aChangedEntryIdBreaksTheHashOfThatEntry() {
    appendMany(5);
    audit.chainAllPending();

    withoutAppendOnlyTrigger(
        () -> sql.sql("UPDATE audit_entries SET entry_id = 999 WHERE sequence = 3").update());

    assertThat(audit.verify())
        .hasValueSatisfying(
            chainBreak -> {
              assertThat(chainBreak.sequence()).isEqualTo(3);
              assertThat(chainBreak.why()).contains("hash does not match");
            });
  }

  @Test
  void theStoreRefusesToChangeDeleteOrTruncateAPendingEntryOutsideTheChainer() {
    appendMany(1);

    assertThatThrownBy(() -> sql.sql("UPDATE audit_pending SET details = '{x}'").update())
        .isInstanceOf(DataAccessException.class)
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> sql.sql("DELETE FROM audit_pending").update())
        .isInstanceOf(DataAccessException.class)
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> sql.sql("TRUNCATE audit_pending").update())
        .isInstanceOf(DataAccessException.class)
        .hasMessageContaining("append-only");
    assertThat(audit.pending()).isEqualTo(1);
    assertThat(audit.chainAllPending()).isEqualTo(1);
  }

  @Test
  void verifyWalksTheChainInPagesAndNamesTheFirstTamperedEntry() {
    AuditTrail paged = trail(7);
    appendAndChain(30);
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
    appendAndChain(10);
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
    appendAndChain(10);

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
    appendAndChain(5);
    AuditEntry last = audit.entries(5, 1).get(0);
    AuditEntry forged =
        AuditEntry.chain(
            6, NOW, AuditRecord.of("evt-forged", "ESC-1", 1, AuditAction.COMPLETED), last.hash());

    sql.sql(
            """
            INSERT INTO audit_entries (sequence, entry_id, recorded_at, event_id, escalation_id,
                                       disposition_version, action, skipped_as_done,
                                       previous_hash, hash)
            VALUES (:sequence, :sequence, now(), :eventId, :escalationId, 1, :action, false,
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
    appendAndChain(3);

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
    audit.chainAllPending();

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

  private void appendAndChain(int count) {
    appendMany(count);
    audit.chainAllPending();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
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
