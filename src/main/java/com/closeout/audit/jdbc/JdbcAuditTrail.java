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
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hash-chained audit trail in PostgreSQL. Appends lock the single {@code audit_head} row, so
 * concurrent appends form one line; the table's trigger refuses UPDATE, DELETE and TRUNCATE.
 */
public final class JdbcAuditTrail implements AuditTrail {
  /** 13 parameters an entry: well under PostgreSQL's 65 535 per statement. */
  private static final int ONE_STATEMENT_ENTRIES = 1_000;

  /** Guarded by the sequence read under the row lock. */
  private static final String MOVE_HEAD =
      """
      UPDATE audit_head SET sequence = :sequence, hash = :hash
       WHERE id = 1 AND sequence = :previous
      """;

  private static final String INSERT_ENTRIES =
      """
      INSERT INTO audit_entries (sequence, recorded_at, event_id, escalation_id,
                                 disposition_version, action, target_system, target_record_id,
                                 skipped_as_done, notification_target, detail, previous_hash,
                                 hash)
      """;

  private static final int DEFAULT_PAGE_SIZE = 1_000;

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
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
    this.batch = new JdbcTemplate(dataSource);
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
          int moved =
              entries.size() <= ONE_STATEMENT_ENTRIES
                  ? insertAndMoveHead(entries, last, head)
                  : insertThenMoveHead(entries, last, head);
          if (moved != 1) {
            throw new IllegalStateException("audit head moved while locked");
          }
          return entries;
        });
  }

  /**
   * The entries and the new head in one statement, one round trip: the INSERT runs as a
   * data-modifying CTE, the head UPDATE (guarded by the sequence read under the lock) is what the
   * row count reports.
   */
  private int insertAndMoveHead(List<AuditEntry> entries, AuditEntry last, Head head) {
    StringBuilder sql = new StringBuilder("WITH inserted AS (\n" + INSERT_ENTRIES + "VALUES ");
    Map<String, Object> plain = new LinkedHashMap<>();
    List<Object[]> typed = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      AuditEntry entry = entries.get(i);
      sql.append(i == 0 ? "" : ", ")
          .append(
              String.format(
                  "(:q%1$d, :at%1$d, :ev%1$d, :es%1$d, :v%1$d, :a%1$d, :ts%1$d, :tr%1$d,"
                      + " :sk%1$d, :nt%1$d, :d%1$d, :ph%1$d, :h%1$d)",
                  i));
      plain.put("q" + i, entry.sequence());
      plain.put("at" + i, timestamp(entry.recordedAt()));
      plain.put("a" + i, entry.action().name());
      plain.put("sk" + i, entry.skippedAsDone());
      plain.put("h" + i, entry.hash());
      // Possibly null: typed, so the driver need not ask the server for the parameter's type.
      typed.add(new Object[] {"ev" + i, entry.eventId(), Types.VARCHAR});
      typed.add(new Object[] {"es" + i, entry.escalationId(), Types.VARCHAR});
      typed.add(new Object[] {"v" + i, entry.dispositionVersion(), Types.INTEGER});
      typed.add(
          new Object[] {
            "ts" + i,
            entry.targetSystem() == null ? null : entry.targetSystem().name(),
            Types.VARCHAR
          });
      typed.add(new Object[] {"tr" + i, entry.targetRecordId(), Types.VARCHAR});
      typed.add(new Object[] {"nt" + i, entry.notificationTarget(), Types.VARCHAR});
      typed.add(new Object[] {"d" + i, entry.detail(), Types.VARCHAR});
      typed.add(new Object[] {"ph" + i, entry.previousHash(), Types.VARCHAR});
    }
    sql.append("\n  RETURNING 1)\n").append(MOVE_HEAD);
    JdbcClient.StatementSpec statement =
        jdbc.sql(sql.toString())
            .params(plain)
            .param("sequence", last.sequence())
            .param("hash", last.hash())
            .param("previous", head.sequence());
    for (Object[] parameter : typed) {
      statement = statement.param((String) parameter[0], parameter[1], (Integer) parameter[2]);
    }
    return statement.update();
  }

  /** A group too large for one statement's parameters: a JDBC batch, then the head. */
  private int insertThenMoveHead(List<AuditEntry> entries, AuditEntry last, Head head) {
    batch.batchUpdate(
        INSERT_ENTRIES + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        entries,
        entries.size(),
        (statement, entry) -> {
          statement.setLong(1, entry.sequence());
          statement.setObject(2, timestamp(entry.recordedAt()));
          statement.setString(3, entry.eventId());
          statement.setString(4, entry.escalationId());
          statement.setObject(5, entry.dispositionVersion(), Types.INTEGER);
          statement.setString(6, entry.action().name());
          statement.setString(7, entry.targetSystem() == null ? null : entry.targetSystem().name());
          statement.setString(8, entry.targetRecordId());
          statement.setBoolean(9, entry.skippedAsDone());
          statement.setString(10, entry.notificationTarget());
          statement.setString(11, entry.detail());
          statement.setString(12, entry.previousHash());
          statement.setString(13, entry.hash());
        });
    return jdbc.sql(MOVE_HEAD)
        .param("sequence", last.sequence())
        .param("hash", last.hash())
        .param("previous", head.sequence())
        .update();
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
    jdbc.sql(
            """
            SELECT escalation_id, disposition_version, sequence FROM audit_entries
             WHERE escalation_id = ANY(:ids) AND disposition_version IS NOT NULL
             ORDER BY sequence
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
