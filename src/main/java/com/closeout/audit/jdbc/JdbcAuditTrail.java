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
import com.closeout.propagation.jdbc.StoreStatistics;
import com.closeout.propagation.jdbc.WritesWithCommit;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
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
 * The hash-chained audit trail in PostgreSQL. An append inserts one row into {@code audit_pending}
 * and locks nothing another appender needs; {@link #chainPending} locks the single {@code
 * audit_head} row, so chainers form one line, and moves committed appends' entries into {@code
 * audit_entries}. Triggers refuse UPDATE, DELETE and TRUNCATE of chained entries, and UPDATE,
 * TRUNCATE and (but by the chainer) DELETE of pending ones.
 */
public final class JdbcAuditTrail implements AuditTrail {
  /** The writes this trail holds for the commit (its appends). */
  private static final String HOLDER = "audit";

  /**
   * The records as one row, one array per column, in one statement whatever their count (so planned
   * once per connection). Entry ids are drawn in the records' order.
   */
  private static final String APPEND_PENDING =
      """
      INSERT INTO audit_pending (append_id, recorded_at, entry_ids, event_ids, escalation_ids,
                                 disposition_versions, actions, target_systems,
                                 target_record_ids, skipped_as_done, notification_targets,
                                 details)
      SELECT nextval('audit_append_ids'), :recordedAt, ids.entry_ids, CAST(:eventIds AS text[]),
             CAST(:escalationIds AS text[]), CAST(:versions AS integer[]),
             CAST(:actions AS text[]), CAST(:systems AS text[]), CAST(:recordIds AS text[]),
             CAST(:skipped AS boolean[]), CAST(:notified AS text[]), CAST(:details AS text[])
        FROM (SELECT array_agg(nextval('audit_entry_ids') ORDER BY n) AS entry_ids
                FROM generate_series(1, :count) AS n) AS ids
      """;

  private static final String INSERT_PENDING = APPEND_PENDING + "RETURNING entry_ids\n";

  /**
   * Closures' entries so far, chained or not. No ORDER BY: with one, the planner may walk the whole
   * chain in sequence order and filter (the bench saw 45-70 ms a read at 300 000 entries); the
   * escalation indexes find the few rows, and each trail is sorted by the caller. One statement,
   * one snapshot: an entry the chainer moves is seen in exactly one of the two tables. Each part is
   * a materialized CTE because a plain UNION ALL may be planned as a Parallel Append, whose workers
   * cost 5-8 ms to start (the bench's auto_explain) for a read of a few dozen rows; the tables'
   * parallel_workers = 0 does not stop that.
   */
  private static final String TRAIL_PARTS =
      """
      chained AS MATERIALIZED (
          SELECT escalation_id, disposition_version, entry_id FROM audit_entries
           WHERE escalation_id = ANY(:ids) AND disposition_version IS NOT NULL
      ), pending AS MATERIALIZED (
          SELECT u.escalation_id, u.disposition_version, u.entry_id
            FROM audit_pending p,
                 unnest(p.escalation_ids, p.disposition_versions, p.entry_ids)
                     AS u(escalation_id, disposition_version, entry_id)
           WHERE u.escalation_id = ANY(:ids) AND u.disposition_version IS NOT NULL
      )
      SELECT escalation_id, disposition_version, entry_id, NULL::bigint[] AS appended_ids
        FROM chained
      UNION ALL
      SELECT escalation_id, disposition_version, entry_id, NULL::bigint[] FROM pending
      """;

  private static final String TRAILS = "WITH " + TRAIL_PARTS;

  /** The trails, and an append whose new rows they do not see (one snapshot), its ids last. */
  private static final String TRAILS_THEN_APPEND =
      "WITH appended AS (\n"
          + INSERT_PENDING
          + "), "
          + TRAIL_PARTS
          + """
          UNION ALL
          SELECT NULL, NULL, NULL, entry_ids FROM appended
          """;

  /**
   * Takes the oldest committed appends out of {@code audit_pending}; run under the head's lock, so
   * no other chainer takes the same ones.
   */
  private static final String TAKE_PENDING =
      """
      DELETE FROM audit_pending
       WHERE append_id IN (SELECT append_id FROM audit_pending ORDER BY append_id LIMIT :limit)
      RETURNING *
      """;

  /**
   * The chained entries and the new head in one statement: the INSERT runs as a data-modifying CTE,
   * and the head UPDATE, guarded by the sequence read under the row lock, is what the row count
   * reports.
   */
  private static final String INSERT_CHAINED_AND_MOVE_HEAD =
      """
      WITH inserted AS (
          INSERT INTO audit_entries (sequence, entry_id, recorded_at, event_id, escalation_id,
                                     disposition_version, action, target_system,
                                     target_record_id, skipped_as_done, notification_target,
                                     detail, previous_hash, hash)
          SELECT u.sequence, u.entry_id, u.recorded_at, u.event_id, u.escalation_id,
                 u.disposition_version, u.action, u.target_system, u.target_record_id,
                 u.skipped_as_done, u.notification_target, u.detail, u.previous_hash, u.hash
            FROM unnest(CAST(:sequences AS bigint[]), CAST(:entryIds AS bigint[]),
                        CAST(:recordedAts AS timestamptz[]), CAST(:eventIds AS text[]),
                        CAST(:escalationIds AS text[]), CAST(:versions AS integer[]),
                        CAST(:actions AS text[]), CAST(:systems AS text[]),
                        CAST(:recordIds AS text[]), CAST(:skipped AS boolean[]),
                        CAST(:notified AS text[]), CAST(:details AS text[]),
                        CAST(:previousHashes AS text[]), CAST(:hashes AS text[]))
                 AS u(sequence, entry_id, recorded_at, event_id, escalation_id,
                      disposition_version, action, target_system, target_record_id,
                      skipped_as_done, notification_target, detail, previous_hash, hash)
          RETURNING 1
      )
      UPDATE audit_head SET sequence = :sequence, hash = :hash
       WHERE id = 1 AND sequence = :previous
      """;

  private static final int DEFAULT_PAGE_SIZE = 1_000;

  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final TransactionTemplate required;
  private final TransactionTemplate snapshot;
  private final Clock clock;
  private final int pageSize;
  private final StoreStatistics statistics;

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
    this.dataSource = dataSource;
    this.jdbc = JdbcClient.create(dataSource);
    this.required = new TransactionTemplate(transactionManager);
    this.snapshot = new TransactionTemplate(transactionManager);
    // Standalone, verify reads every page and the head from one snapshot; inside a caller's
    // transaction it simply takes part in it.
    this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    this.snapshot.setReadOnly(true);
    this.clock = clock;
    this.pageSize = pageSize;
    this.statistics = new StoreStatistics(dataSource);
  }

  @Override
  public long append(AuditRecord record) {
    return appendAll(List.of(record)).get(0);
  }

  @Override
  public List<Long> appendAll(List<AuditRecord> records) {
    if (records.isEmpty()) {
      return List.of();
    }
    // Entry ids follow the order of the calls: what this transaction held goes first.
    WritesWithCommit.sendHeld(dataSource, HOLDER);
    Long[] ids =
        jdbc.sql(INSERT_PENDING)
            .params(appendParams(records))
            .query((rs, n) -> (Long[]) rs.getArray("entry_ids").getArray())
            .single();
    checkAppended(List.of(ids), records.size());
    return List.of(ids);
  }

  private static void checkAppended(List<Long> ids, int records) {
    if (ids.size() != records) {
      throw new IllegalStateException("appended " + ids.size() + " audit entries of " + records);
    }
    for (int i = 1; i < ids.size(); i++) {
      if (ids.get(i) <= ids.get(i - 1)) {
        throw new IllegalStateException("entry ids of one append not in the records' order");
      }
    }
  }

  /** Held for the commit of the caller's transaction and sent with it (decision 0012). */
  @Override
  public void appendWithCommit(List<AuditRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    WritesWithCommit.hold(
        dataSource, new WritesWithCommit.Write(HOLDER, APPEND_PENDING, appendParams(records)));
  }

  private Map<String, Object> appendParams(List<AuditRecord> records) {
    Map<String, Object> params = new HashMap<>(recordColumns(records));
    params.put("recordedAt", timestamp(StoreColumns.stored(clock.instant())));
    params.put("count", records.size());
    return params;
  }

  @Override
  public int chainPending(int limit) {
    return chainAppends(limit).entries();
  }

  @Override
  public long chainAllPending() {
    long linked = 0;
    Chained pass;
    do {
      pass = chainAppends(CHAIN_BATCH);
      linked += pass.entries();
    } while (pass.appends() == CHAIN_BATCH);
    return linked;
  }

  /** What one chaining transaction moved: appends taken, entries linked. */
  private record Chained(int appends, int entries) {}

  private Chained chainAppends(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    // Locking the head writes (a row lock is WAL-logged and its commit flushed): an idle chainer
    // looks first, with a plain read, and locks only when there is something to link.
    if (!jdbc.sql("SELECT EXISTS (SELECT 1 FROM audit_pending)").query(Boolean.class).single()) {
      return new Chained(0, 0);
    }
    Chained chained =
        required.execute(
            status -> {
              // Holding the head, this transaction says it is the chainer: the only one the
              // store lets delete pending entries.
              Head head =
                  jdbc.sql(
                          """
                          SELECT sequence, hash, set_config('closeout.chaining', 'on', true)
                            FROM audit_head WHERE id = 1 FOR UPDATE
                          """)
                      .query((rs, n) -> new Head(rs.getLong("sequence"), rs.getString("hash")))
                      .single();
              List<List<Pending>> appends =
                  jdbc.sql(TAKE_PENDING)
                      .param("limit", limit)
                      .query(JdbcAuditTrail::pendingAppend)
                      .list();
              List<Pending> taken = new ArrayList<>();
              appends.forEach(taken::addAll);
              if (taken.isEmpty()) {
                return new Chained(appends.size(), 0);
              }
              taken.sort(Comparator.comparingLong(Pending::entryId));
              List<AuditEntry> entries = new ArrayList<>(taken.size());
              long sequence = head.sequence();
              String previous = head.hash();
              for (Pending pending : taken) {
                AuditEntry entry =
                    AuditEntry.chain(
                        ++sequence,
                        pending.entryId(),
                        pending.recordedAt(),
                        pending.record(),
                        previous);
                entries.add(entry);
                previous = entry.hash();
              }
              if (insertChainedAndMoveHead(entries, head) != 1) {
                throw new IllegalStateException("audit head moved while locked");
              }
              return new Chained(appends.size(), entries.size());
            });
    return chained == null ? new Chained(0, 0) : chained;
  }

  private int insertChainedAndMoveHead(List<AuditEntry> entries, Head head) {
    AuditEntry last = entries.get(entries.size() - 1);
    return jdbc.sql(INSERT_CHAINED_AND_MOVE_HEAD)
        .params(recordColumns(entries.stream().map(AuditEntry::record).toList()))
        .param("sequences", entries.stream().map(AuditEntry::sequence).toArray(Long[]::new))
        .param("entryIds", entries.stream().map(AuditEntry::entryId).toArray(Long[]::new))
        // As ISO-8601 text, which PostgreSQL reads as timestamptz to the microsecond.
        .param("recordedAts", column(entries, entry -> entry.recordedAt().toString()))
        .param("previousHashes", column(entries, AuditEntry::previousHash))
        .param("hashes", column(entries, AuditEntry::hash))
        .param("sequence", last.sequence())
        .param("hash", last.hash())
        .param("previous", head.sequence())
        .update();
  }

  /**
   * What each record says, one array per field, as both the pending and the chained insert take it.
   */
  private static Map<String, Object> recordColumns(List<AuditRecord> records) {
    Map<String, Object> columns = new HashMap<>();
    columns.put("eventIds", column(records, AuditRecord::eventId));
    columns.put("escalationIds", column(records, AuditRecord::escalationId));
    columns.put(
        "versions", records.stream().map(AuditRecord::dispositionVersion).toArray(Integer[]::new));
    columns.put("actions", column(records, record -> record.action().name()));
    columns.put(
        "systems",
        column(
            records,
            record -> record.targetSystem() == null ? null : record.targetSystem().name()));
    columns.put("recordIds", column(records, AuditRecord::targetRecordId));
    columns.put(
        "skipped", records.stream().map(AuditRecord::skippedAsDone).toArray(Boolean[]::new));
    columns.put("notified", column(records, AuditRecord::notificationTarget));
    columns.put("details", column(records, AuditRecord::detail));
    return columns;
  }

  private static <T> String[] column(List<T> rows, Function<T, String> field) {
    return rows.stream().map(field).toArray(String[]::new);
  }

  /**
   * {@code VACUUM audit_pending}, then fresh statistics for the store's tables that outgrew theirs
   * ({@link StoreStatistics}): every entry chained leaves a dead row there, and PostgreSQL's
   * autovacuum visits a table at most once a naptime (a minute by default), by when the bench had
   * 240 000 dead rows under 7 500 live ones for every read of the table to step over. Runs outside
   * any transaction (VACUUM cannot run in one); where the store's user does not own the table,
   * PostgreSQL skips it with a warning and autovacuum remains.
   */
  @Override
  public void reclaimChainedSpace() {
    jdbc.sql("VACUUM audit_pending").update();
    // The trail read finds a batch's escalations by index only once the chain has statistics
    // (escalation_id's n_distinct is fixed by V4, but applies from the first ANALYZE on); until
    // then the planner guesses a sixth of the chain and scans all of it (the bench: 24 ms a read
    // at 200 000 entries). Autovacuum analyzes at most once a naptime, a minute by default, which
    // a chain growing by 10 000 entries a second outruns; so the first time, the chainer does.
    Boolean neverAnalyzed =
        jdbc.sql(
                """
                SELECT last_analyze IS NULL AND last_autoanalyze IS NULL
                  FROM pg_stat_user_tables WHERE relid = CAST('audit_entries' AS regclass)
                """)
            .query(Boolean.class)
            .optional()
            .orElse(false);
    if (neverAnalyzed) {
      jdbc.sql("ANALYZE audit_entries").update();
    }
    statistics.analyzeGrown();
  }

  @Override
  public long pending() {
    WritesWithCommit.sendHeld(dataSource, HOLDER);
    return jdbc.sql("SELECT coalesce(sum(cardinality(entry_ids)), 0) FROM audit_pending")
        .query(Long.class)
        .single();
  }

  @Override
  public List<AuditEntry> entries(long fromSequence, int limit) {
    WritesWithCommit.sendHeld(dataSource, HOLDER);
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
    WritesWithCommit.sendHeld(dataSource, HOLDER);
    return jdbc.sql("SELECT * FROM audit_entries WHERE escalation_id = :id ORDER BY sequence")
        .param("id", escalationId)
        .query(JdbcAuditTrail::entry)
        .list();
  }

  @Override
  public Map<ClosureKey, List<Long>> trails(Collection<ClosureKey> closures) {
    return trailsThenAppend(closures, List.of()).trails();
  }

  /**
   * One statement: the append is a data-modifying CTE, and the trail reads, which run on the
   * statement's snapshot, do not see the rows it adds.
   */
  @Override
  public TrailsThenAppended trailsThenAppend(
      Collection<ClosureKey> closures, List<AuditRecord> records) {
    if (closures.isEmpty()) {
      return new TrailsThenAppended(Map.of(), appendAll(records));
    }
    // Entry ids follow the order of the calls: what this transaction held goes first.
    WritesWithCommit.sendHeld(dataSource, HOLDER);
    Map<ClosureKey, List<Long>> trails = new LinkedHashMap<>();
    closures.forEach(key -> trails.put(key, new ArrayList<>()));
    List<Long> appended = new ArrayList<>();
    Map<String, Object> params =
        records.isEmpty() ? new HashMap<>() : new HashMap<>(appendParams(records));
    params.put(
        "ids",
        closures.stream().map(key -> key.escalationId().value()).distinct().toArray(String[]::new));
    jdbc.sql(records.isEmpty() ? TRAILS : TRAILS_THEN_APPEND)
        .params(params)
        .query(
            rs -> {
              Array ids = rs.getArray("appended_ids");
              if (ids != null) {
                appended.addAll(List.of((Long[]) ids.getArray()));
                return;
              }
              List<Long> trail =
                  trails.get(
                      new ClosureKey(
                          new EscalationId(rs.getString("escalation_id")),
                          rs.getInt("disposition_version")));
              if (trail != null) {
                trail.add(rs.getLong("entry_id"));
              }
            });
    trails.values().forEach(trail -> trail.sort(null));
    checkAppended(appended, records.size());
    return new TrailsThenAppended(trails, List.copyOf(appended));
  }

  @Override
  public long count() {
    WritesWithCommit.sendHeld(dataSource, HOLDER);
    return jdbc.sql("SELECT count(*) FROM audit_entries").query(Long.class).single();
  }

  @Override
  public Optional<ChainBreak> verify() {
    WritesWithCommit.sendHeld(dataSource, HOLDER);
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
        rs.getLong("entry_id"),
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

  /** One append's entries, in the order they were appended. */
  private static List<Pending> pendingAppend(ResultSet rs, int rowNum) throws SQLException {
    Instant at = instant(rs, "recorded_at");
    Long[] ids = (Long[]) rs.getArray("entry_ids").getArray();
    String[] eventIds = (String[]) rs.getArray("event_ids").getArray();
    String[] escalationIds = (String[]) rs.getArray("escalation_ids").getArray();
    Integer[] versions = (Integer[]) rs.getArray("disposition_versions").getArray();
    String[] actions = (String[]) rs.getArray("actions").getArray();
    String[] systems = (String[]) rs.getArray("target_systems").getArray();
    String[] recordIds = (String[]) rs.getArray("target_record_ids").getArray();
    Boolean[] skipped = (Boolean[]) rs.getArray("skipped_as_done").getArray();
    String[] notified = (String[]) rs.getArray("notification_targets").getArray();
    String[] details = (String[]) rs.getArray("details").getArray();
    List<Pending> entries = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      entries.add(
          new Pending(
              ids[i],
              at,
              new AuditRecord(
                  eventIds[i],
                  escalationIds[i],
                  versions[i],
                  AuditAction.valueOf(actions[i]),
                  systems[i] == null ? null : TargetSystem.valueOf(systems[i]),
                  recordIds[i],
                  skipped[i],
                  notified[i],
                  details[i])));
    }
    return entries;
  }

  private record Head(long sequence, String hash) {}

  /** An entry appended and committed, waiting to be chained. */
  private record Pending(long entryId, Instant recordedAt, AuditRecord record) {}
}
