package com.closeout.audit.jdbc;

import static com.closeout.propagation.jdbc.StoreColumns.instant;
import static com.closeout.propagation.jdbc.StoreColumns.nullableInt;
import static com.closeout.propagation.jdbc.StoreColumns.timestamp;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditEntry;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.EscalationId;
import com.closeout.domain.TargetSystem;
import com.closeout.propagation.jdbc.StoreColumns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hash-chained audit trail in PostgreSQL. Appends lock the single {@code audit_head} row, so
 * concurrent appends form one line; the table's trigger refuses UPDATE, DELETE and TRUNCATE.
 */
public final class JdbcAuditTrail implements AuditTrail {
  /**
   * The entries and the new head in one statement, one round trip, one text whatever the count (so
   * planned once per connection): the entries come as one array per column, the INSERT runs as a
   * data-modifying CTE, and the head UPDATE, guarded by the sequence read under the row lock, is
   * what the row count reports.
   */
  private static final String INSERT_ENTRIES_AND_MOVE_HEAD =
      """
      WITH inserted AS (
          INSERT INTO audit_entries (sequence, recorded_at, event_id, escalation_id,
                                     disposition_version, action, target_system,
                                     target_record_id, skipped_as_done, notification_target,
                                     detail, previous_hash, hash)
          SELECT u.sequence, :recordedAt, u.event_id, u.escalation_id, u.disposition_version,
                 u.action, u.target_system, u.target_record_id, u.skipped_as_done,
                 u.notification_target, u.detail, u.previous_hash, u.hash
            FROM unnest(CAST(:sequences AS bigint[]), CAST(:eventIds AS text[]),
                        CAST(:escalationIds AS text[]), CAST(:versions AS integer[]),
                        CAST(:actions AS text[]), CAST(:systems AS text[]),
                        CAST(:recordIds AS text[]), CAST(:skipped AS boolean[]),
                        CAST(:notified AS text[]), CAST(:details AS text[]),
                        CAST(:previousHashes AS text[]), CAST(:hashes AS text[]))
                 AS u(sequence, event_id, escalation_id, disposition_version, action,
                      target_system, target_record_id, skipped_as_done, notification_target,
                      detail, previous_hash, hash)
          RETURNING 1
      )
      UPDATE audit_head SET sequence = :sequence, hash = :hash
       WHERE id = 1 AND sequence = :previous
      """;

  private static final int DEFAULT_PAGE_SIZE = 1_000;

  private final JdbcClient jdbc;
  private final TransactionTemplate required;
  private final TransactionTemplate snapshot;
  private final Clock clock;
  private final int pageSize;

  public JdbcAuditTrail(
      DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock) {
    this(dataSource, transactionManager, clock, DEFAULT_PAGE_SIZE);
  }

  /**
   * @param pageSize entries read per query while verifying
   */
  public JdbcAuditTrail(
      DataSource dataSource,
      PlatformTransactionManager transactionManager,
      Clock clock,
      int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be positive");
    }
    this.jdbc = JdbcClient.create(dataSource);
    this.required = new TransactionTemplate(transactionManager);
    this.snapshot = new TransactionTemplate(transactionManager);
    // Standalone, verify reads every page and the head from one snapshot; inside a caller's
    // transaction it simply takes part in it.
    this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    this.snapshot.setReadOnly(true);
    this.clock = clock;
    this.pageSize = pageSize;
  }

  @Override
  public AuditEntry append(AuditRecord record) {
    return appendAll(List.of(record)).get(0);
  }

  @Override
  public List<AuditEntry> appendAll(List<AuditRecord> records) {
    if (records.isEmpty()) {
      return List.of();
    }
    return required.execute(
        status -> {
          Head head =
              jdbc.sql("SELECT sequence, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                  .query((rs, n) -> new Head(rs.getLong("sequence"), rs.getString("hash")))
                  .single();
          Instant at = StoreColumns.stored(clock.instant());
          List<AuditEntry> entries = new ArrayList<>(records.size());
          long sequence = head.sequence();
          String previous = head.hash();
          for (AuditRecord record : records) {
            AuditEntry entry = AuditEntry.chain(++sequence, at, record, previous);
            entries.add(entry);
            previous = entry.hash();
          }
          AuditEntry last = entries.get(entries.size() - 1);
          int moved = insertAndMoveHead(entries, at, last, head);
          if (moved != 1) {
            throw new IllegalStateException("audit head moved while locked");
          }
          return entries;
        });
  }

  private int insertAndMoveHead(List<AuditEntry> entries, Instant at, AuditEntry last, Head head) {
    return jdbc.sql(INSERT_ENTRIES_AND_MOVE_HEAD)
        .param("recordedAt", timestamp(at))
        .param("sequences", entries.stream().map(AuditEntry::sequence).toArray(Long[]::new))
        .param("eventIds", column(entries, AuditEntry::eventId))
        .param("escalationIds", column(entries, AuditEntry::escalationId))
        .param(
            "versions",
            entries.stream().map(AuditEntry::dispositionVersion).toArray(Integer[]::new))
        .param("actions", column(entries, entry -> entry.action().name()))
        .param(
            "systems",
            column(
                entries,
                entry -> entry.targetSystem() == null ? null : entry.targetSystem().name()))
        .param("recordIds", column(entries, AuditEntry::targetRecordId))
        .param("skipped", entries.stream().map(AuditEntry::skippedAsDone).toArray(Boolean[]::new))
        .param("notified", column(entries, AuditEntry::notificationTarget))
        .param("details", column(entries, AuditEntry::detail))
        .param("previousHashes", column(entries, AuditEntry::previousHash))
        .param("hashes", column(entries, AuditEntry::hash))
        .param("sequence", last.sequence())
        .param("hash", last.hash())
        .param("previous", head.sequence())
        .update();
  }

  private static String[] column(List<AuditEntry> entries, Function<AuditEntry, String> field) {
    return entries.stream().map(field).toArray(String[]::new);
  }

  @Override
  public List<AuditEntry> entries(long fromSequence, int limit) {
    return jdbc.sql(
            """
            SELECT * FROM audit_entries
             WHERE sequence >= :from
             ORDER BY sequence
             LIMIT :limit
            """)
        .param("from", fromSequence)
        .param("limit", limit)
        .query(JdbcAuditTrail::entry)
        .list();
  }

  @Override
  public List<AuditEntry> forEscalation(String escalationId) {
    return jdbc.sql("SELECT * FROM audit_entries WHERE escalation_id = :id ORDER BY sequence")
        .param("id", escalationId)
        .query(JdbcAuditTrail::entry)
        .list();
  }

  @Override
  public Map<ClosureKey, List<Long>> trails(Collection<ClosureKey> closures) {
    Map<ClosureKey, List<Long>> trails = new LinkedHashMap<>();
    closures.forEach(key -> trails.put(key, new ArrayList<>()));
    if (closures.isEmpty()) {
      return trails;
    }
    // No ORDER BY: with one, the planner may walk the whole chain in sequence order and filter
    // (the bench saw 45-70 ms a read at 300 000 entries, under the chain head's lock); the
    // escalation index finds the few rows, and each trail is sorted here.
    jdbc.sql(
            """
            SELECT escalation_id, disposition_version, sequence FROM audit_entries
             WHERE escalation_id = ANY(:ids) AND disposition_version IS NOT NULL
            """)
        .param(
            "ids",
            closures.stream()
                .map(key -> key.escalationId().value())
                .distinct()
                .toArray(String[]::new))
        .query(
            rs -> {
              List<Long> trail =
                  trails.get(
                      new ClosureKey(
                          new EscalationId(rs.getString("escalation_id")),
                          rs.getInt("disposition_version")));
              if (trail != null) {
                trail.add(rs.getLong("sequence"));
              }
            });
    trails.values().forEach(trail -> trail.sort(null));
    return trails;
  }

  @Override
  public long count() {
    return jdbc.sql("SELECT count(*) FROM audit_entries").query(Long.class).single();
  }

  @Override
  public Optional<ChainBreak> verify() {
    return snapshot.execute(status -> verifyChain());
  }

  private Optional<ChainBreak> verifyChain() {
    long expected = 1;
    long after = Long.MIN_VALUE;
    String previousHash = AuditEntry.GENESIS_HASH;
    while (true) {
      List<AuditEntry> page = pageAfter(after);
      for (AuditEntry entry : page) {
        if (entry.sequence() < expected) {
          return Optional.of(
              new ChainBreak(entry.sequence(), "entry outside the chain, which starts at 1"));
        }
        if (entry.sequence() > expected) {
          return Optional.of(
              new ChainBreak(
                  expected, "entry missing: the next entry is sequence " + entry.sequence()));
        }
        if (!entry.previousHash().equals(previousHash)) {
          return Optional.of(
              new ChainBreak(
                  expected, "previous hash does not match the hash of the entry before it"));
        }
        if (!entry.hashIsIntact()) {
          return Optional.of(new ChainBreak(expected, "hash does not match the entry's content"));
        }
        previousHash = entry.hash();
        after = entry.sequence();
        expected++;
      }
      if (page.size() < pageSize) {
        break;
      }
    }
    long last = expected - 1;
    Head head =
        jdbc.sql("SELECT sequence, hash FROM audit_head WHERE id = 1")
            .query((rs, n) -> new Head(rs.getLong("sequence"), rs.getString("hash")))
            .single();
    if (head.sequence() > last) {
      return Optional.of(
          new ChainBreak(
              last + 1, "entry missing: the chain head is at sequence " + head.sequence()));
    }
    if (head.sequence() < last) {
      return Optional.of(
          new ChainBreak(
              head.sequence() + 1,
              "entry beyond the chain head, which is at sequence " + head.sequence()));
    }
    if (!head.hash().equals(previousHash)) {
      return Optional.of(
          new ChainBreak(last, "the chain head's hash does not match the last entry"));
    }
    return Optional.empty();
  }

  private List<AuditEntry> pageAfter(long after) {
    return jdbc.sql(
            """
            SELECT * FROM audit_entries
             WHERE sequence > :after
             ORDER BY sequence
             LIMIT :limit
            """)
        .param("after", after)
        .param("limit", pageSize)
        .query(JdbcAuditTrail::entry)
        .list();
  }

  private static AuditEntry entry(ResultSet rs, int rowNum) throws SQLException {
    String targetSystem = rs.getString("target_system");
    return new AuditEntry(
        rs.getLong("sequence"),
        instant(rs, "recorded_at"),
        rs.getString("event_id"),
        rs.getString("escalation_id"),
        nullableInt(rs, "disposition_version"),
        AuditAction.valueOf(rs.getString("action")),
        targetSystem == null ? null : TargetSystem.valueOf(targetSystem),
        rs.getString("target_record_id"),
        rs.getBoolean("skipped_as_done"),
        rs.getString("notification_target"),
        rs.getString("detail"),
        rs.getString("previous_hash"),
        rs.getString("hash"));
  }

  private record Head(long sequence, String hash) {}
}
