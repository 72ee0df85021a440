package com.closeout.bench;

import com.closeout.domain.Step;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.StoreSchemas;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The PostgreSQL write ceiling for Closeout's own write set: per closure the same rows Closeout
 * wrote (inserts and updates by table, as counted at the JDBC level) in the same number of writing
 * transactions, and nothing else — no reads, no target calls, JDBC batches — on a fresh migrated
 * schema with the same tables, indexes and triggers, from as many connections at once as Closeout
 * works closures.
 */
public final class WriteCeiling {
  /** Tables in the order their rows can be inserted (foreign keys). */
  private static final List<String> INSERT_ORDER =
      List.of(
          "inbox",
          "closures",
          "closure_steps",
          "closure_step_priors",
          "audit_pending",
          "audit_entries",
          "completion_records");

  /**
   * Pending audit entries leave when chained; prior values of steps never written are forgotten.
   */
  private static final List<String> DELETE_ORDER = List.of("audit_pending", "closure_step_priors");

  private static final List<String> UPDATE_ORDER =
      List.of("closures", "closure_steps", "inbox", "audit_head");

  /**
   * One append of {@code c3} entries (the plan's entries per append), built in the statement from
   * its id {@code c1}, time, event, escalation and detail, as Closeout's appends arrive: one row of
   * arrays.
   */
  private static final String PENDING_APPEND =
      "INSERT INTO audit_pending (append_id, recorded_at, entry_ids, event_ids, escalation_ids,"
          + " disposition_versions, actions, target_systems, target_record_ids, skipped_as_done,"
          + " notification_targets, details) SELECT u.c1, u.c2,"
          + " ARRAY(SELECT u.c1 * 1000 + g FROM generate_series(1, u.c3) AS g),"
          + " array_fill(u.c4, ARRAY[u.c3]), array_fill(u.c5, ARRAY[u.c3]),"
          + " array_fill(1, ARRAY[u.c3]), array_fill('STEP_DONE'::text, ARRAY[u.c3]),"
          + " array_fill('TRACKER'::text, ARRAY[u.c3]), array_fill(u.c5, ARRAY[u.c3]),"
          + " array_fill(false, ARRAY[u.c3]), array_fill(NULL::text, ARRAY[u.c3]),"
          + " array_fill(u.c6, ARRAY[u.c3])";

  private static final String REFS_JSON =
      "[{\"kind\":\"CLOSURE_PACKET\",\"uri\":\"archive://closure-packets/CEIL/v1.pdf\","
          + "\"sha256\":\""
          + "a".repeat(64)
          + "\"},{\"kind\":\"REVIEW_NOTE\","
          + "\"uri\":\"archive://review-notes/CEIL/v1.md\",\"sha256\":\""
          + "b".repeat(64)
          + "\"}]";

  private static final String SNAPSHOT_JSON =
      "[{\"system\":\"TRACKER\",\"recordId\":\"CEIL\",\"status\":\"REVIEW_COMPLETE\","
          + "\"dispositionVersion\":1,\"closedAt\":\"2026-01-01T00:00:00Z\",\"archiveUris\":[],"
          + "\"revision\":2}]";

  private final BenchDatabase database;
  private final PrintStream progress;

  public WriteCeiling(BenchDatabase database, PrintStream progress) {
    this.database = database;
    this.progress = progress;
  }

  /**
   * @param writeSet rows written per closure by kind ({@code INSERT table}, {@code UPDATE table}),
   *     as PostgreSQL counted them; a fraction where a row serves many closures (the audit chain
   *     head of a group commit) or few closures write it
   * @param transactions writing transactions per closure; below one when Closeout's group commits
   *     share a transaction between closures, above one when a closure needs several
   */
  public record Plan(Map<String, Double> writeSet, double transactions) {
    public Plan {
      writeSet = Map.copyOf(writeSet);
      if (!(transactions > 0)) {
        throw new IllegalArgumentException("transactions per closure must be positive");
      }
    }

    /**
     * The measured profile, per closure, to two decimals.
     *
     * @param rowsWritten rows by kind over the whole measured phase
     * @param writeTransactions transactions that wrote, over the same phase
     */
    public static Plan of(Map<String, Long> rowsWritten, long writeTransactions, int closures) {
      Map<String, Double> rows = new TreeMap<>();
      rowsWritten.forEach(
          (kind, n) -> {
            double perClosure = Math.round(n * 100.0 / closures) / 100.0;
            if (perClosure > 0) {
              rows.put(kind, perClosure);
            }
          });
      double transactions =
          Math.max(0.01, Math.round(writeTransactions * 100.0 / closures) / 100.0);
      return new Plan(rows, transactions);
    }

    /** How many of a kind closure {@code index} writes: whole numbers that average the plan's. */
    int rowsOf(String kind, int index) {
      return share(writeSet.getOrDefault(kind, 0.0), index);
    }

    /** Transactions of closure {@code index} when it has one or more of its own. */
    int transactionsOf(int index) {
      return Math.max(1, share(transactions, index));
    }

    private static int share(double perClosure, int index) {
      return (int)
          (Math.floor((index + 1) * perClosure + 1e-9) - Math.floor(index * perClosure + 1e-9));
    }

    /**
     * Closures {@code from .. to-1} cut into units of work, each a run of consecutive closures
     * written in a number of transactions: one closure per unit when a closure has a transaction or
     * more of its own, else as many closures per transaction as the plan's fraction says.
     */
    List<Unit> units(int from, int to) {
      List<Unit> units = new ArrayList<>();
      if (transactions >= 1) {
        for (int i = from; i < to; i++) {
          units.add(new Unit(i, i + 1, transactionsOf(i)));
        }
        return units;
      }
      int closures = to - from;
      int groups = (int) Math.max(1, Math.round(closures * transactions));
      for (int g = 0; g < groups; g++) {
        int start = from + (int) ((long) closures * g / groups);
        int end = from + (int) ((long) closures * (g + 1) / groups);
        if (end > start) {
          units.add(new Unit(start, end, 1));
        }
      }
      return units;
    }

    /** Write kinds the ceiling has no model for (a table added since): left out, and said so. */
    public List<String> unmodelled() {
      List<String> left = new ArrayList<>();
      for (String kind : new TreeMap<>(writeSet).keySet()) {
        String table = kind.substring(kind.indexOf(' ') + 1);
        boolean known =
            kind.startsWith("INSERT ")
                ? INSERT_ORDER.contains(table)
                : kind.startsWith("DELETE ")
                    ? DELETE_ORDER.contains(table)
                    : UPDATE_ORDER.contains(table);
        if (!known) {
          left.add(kind);
        }
      }
      return left;
    }
  }

  /** Closures {@code from .. to-1}, written in {@code transactions} transactions. */
  record Unit(int from, int to, int transactions) {}

  /** Two ways to send the rows; the ceiling is the faster. */
  enum Method {
    /** A JDBC batch per run of rows of one kind: one execution per row. */
    JDBC_BATCH,
    /** One statement per run of rows of one kind, a column array each ({@code unnest}). */
    SET_BASED
  }

  /**
   * Closures per second of the bare write set: the faster of the two ways of sending it, each on a
   * fresh schema. Which is faster depends on the server and on how many rows go together.
   */
  public double run(Plan plan, int closures, int parallelism) throws InterruptedException {
    double best = 0;
    for (Method method : Method.values()) {
      double rate = run(plan, closures, parallelism, method);
      progress.printf("bench: ceiling, %s: %.0f closures/s%n", method, rate);
      best = Math.max(best, rate);
    }
    return best;
  }

  private double run(Plan plan, int closures, int parallelism, Method method)
      throws InterruptedException {
    try (IsolatedSchema schema = StoreSchemas.isolated(database.base(), "closeout_ceiling");
        HikariDataSource pool =
            database.storePool("closeout-ceiling", schema.name(), parallelism)) {
      progress.printf(
          "bench: ceiling, %d closures of %s rows in %.2f transactions each, %s%n",
          closures, plan.writeSet(), plan.transactions(), method);
      Writer writer = new Writer(plan, method);
      int warmup = BenchSettings.warmupOf(closures);
      writeAll(pool, writer, plan.units(0, warmup), parallelism);
      analyze(pool);
      long start = System.nanoTime();
      writeAll(pool, writer, plan.units(warmup, closures), parallelism);
      double seconds = (System.nanoTime() - start) / 1e9;
      return (closures - warmup) / seconds;
    }
  }

  /**
   * Statistics for the warmed-up tables, as a running store's autovacuum keeps them. Without, the
   * plans each connection cached while the fresh tables held a few hundred rows (a hash join over a
   * sequential scan, right for that size) would serve the whole run.
   */
  private static void analyze(HikariDataSource pool) {
    try (Connection connection = pool.getConnection();
        java.sql.Statement statement = connection.createStatement()) {
      statement.execute("ANALYZE " + String.join(", ", INSERT_ORDER));
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not analyze the ceiling's tables", e);
    }
  }

  private static void writeAll(
      HikariDataSource pool, Writer writer, List<Unit> units, int parallelism)
      throws InterruptedException {
    if (units.isEmpty()) {
      return;
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(parallelism);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < parallelism; t++) {
        running.add(
            threads.submit(
                () -> {
                  try (Connection connection = pool.getConnection()) {
                    connection.setAutoCommit(false);
                    for (int u = next.getAndIncrement();
                        u < units.size();
                        u = next.getAndIncrement()) {
                      writer.write(connection, units.get(u));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : running) {
        future.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the ceiling run failed", e.getCause());
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * One closure's rows, cut into the plan's transactions. Rows of one kind go as one set-based
   * statement (a column array each, {@code unnest}), as Closeout sends them: the fewest statements
   * PostgreSQL can take those rows in, so the ceiling is the store's and not the driver's.
   */
  private static final class Writer {
    private final Plan plan;
    private final Method method;
    private final AtomicLong auditSequence = new AtomicLong();
    private final Map<String, Statement> statements = new LinkedHashMap<>();
    private final Map<String, String> sql = new LinkedHashMap<>();

    /**
     * @param columnTypes the array type of each value of a row, in order
     * @param keyColumns for an UPDATE, the values naming the row it changes: an {@code UPDATE ...
     *     FROM} changes a row once, so rows named twice go in separate statements
     */
    private record Statement(String sql, List<String> columnTypes, List<Integer> keyColumns) {}

    Writer(Plan plan, Method method) {
      this.plan = plan;
      this.method = method;
      statements.put(
          "INSERT inbox",
          new Statement(
              "INSERT INTO inbox (event_id, event_type, escalation_id, disposition_version,"
                  + " received_at, outcome, closure_id) SELECT u.c1, u.c2, u.c3, 1, u.c4,"
                  + " 'CLOSURE_STARTED', NULL FROM unnest(?, ?, ?, ?) AS u(c1, c2, c3, c4)",
              List.of("text", "text", "text", "timestamptz"),
              List.of()));
      statements.put(
          "INSERT closures",
          new Statement(
              "INSERT INTO closures (id, escalation_id, disposition_version, event_id,"
                  + " event_episode_id, event_finalized_at, event_archive_refs, requested_actions,"
                  + " status, next_attempt_at, created_at, updated_at) SELECT u.c1, u.c2, 1, u.c3,"
                  + " u.c4, u.c5, CAST(u.c6 AS jsonb), CAST('[]' AS jsonb), 'PENDING', u.c7, u.c8,"
                  + " u.c9 FROM unnest(?, ?, ?, ?, ?, ?, ?, ?, ?)"
                  + " AS u(c1, c2, c3, c4, c5, c6, c7, c8, c9)",
              List.of(
                  "int8",
                  "text",
                  "text",
                  "text",
                  "timestamptz",
                  "text",
                  "timestamptz",
                  "timestamptz",
                  "timestamptz"),
              List.of()));
      statements.put(
          "INSERT closure_steps",
          new Statement(
              "INSERT INTO closure_steps (closure_id, step, step_order, status, idempotency_key)"
                  + " SELECT u.c1, u.c2, u.c3, 'PENDING', u.c4 FROM unnest(?, ?, ?, ?)"
                  + " AS u(c1, c2, c3, c4)",
              List.of("int8", "text", "int4", "text"),
              List.of()));
      statements.put(
          "INSERT closure_step_priors",
          new Statement(
              "INSERT INTO closure_step_priors (closure_id, step, prior)"
                  + " SELECT u.c1, u.c2, CAST(u.c3 AS jsonb) FROM unnest(?, ?, ?) AS u(c1, c2, c3)",
              List.of("int8", "text", "text"),
              List.of()));
      statements.put(
          "DELETE closure_step_priors",
          new Statement(
              "DELETE FROM closure_step_priors p USING unnest(?, ?) AS u(c1, c2)"
                  + " WHERE p.closure_id = u.c1 AND p.step = u.c2",
              List.of("int8", "text"),
              List.of()));
      statements.put(
          "INSERT audit_pending",
          new Statement(
              PENDING_APPEND + " FROM unnest(?, ?, ?, ?, ?, ?) AS u(c1, c2, c3, c4, c5, c6)",
              List.of("int8", "timestamptz", "int4", "text", "text", "text"),
              List.of()));
      statements.put(
          "INSERT audit_entries",
          new Statement(
              "INSERT INTO audit_entries (sequence, entry_id, recorded_at, event_id,"
                  + " escalation_id, disposition_version, action, target_system,"
                  + " target_record_id, skipped_as_done, notification_target, detail,"
                  + " previous_hash, hash) SELECT u.c1, u.c2, u.c3, u.c4, u.c5, 1, 'STEP_DONE',"
                  + " 'TRACKER', u.c6, false, NULL, u.c7, u.c8, u.c9"
                  + " FROM unnest(?, ?, ?, ?, ?, ?, ?, ?, ?)"
                  + " AS u(c1, c2, c3, c4, c5, c6, c7, c8, c9)",
              List.of(
                  "int8", "int8", "timestamptz", "text", "text", "text", "text", "text", "text"),
              List.of()));
      statements.put(
          "DELETE audit_pending",
          new Statement(
              "DELETE FROM audit_pending WHERE append_id = ANY(?)"
                  + " AND set_config('closeout.chaining', 'on', true) = 'on'",
              List.of("int8"),
              List.of()));
      statements.put(
          "INSERT completion_records",
          new Statement(
              "INSERT INTO completion_records (closure_id, escalation_id, disposition_version,"
                  + " event_id, audit_entry_ids, recorded_at) SELECT u.c1, u.c2, 1, u.c3,"
                  + " CAST(u.c4 AS jsonb), u.c5 FROM unnest(?, ?, ?, ?, ?)"
                  + " AS u(c1, c2, c3, c4, c5)",
              List.of("int8", "text", "text", "text", "timestamptz"),
              List.of()));
      statements.put(
          "UPDATE closures",
          new Statement(
              "UPDATE closures c SET status = u.c1, revision = c.revision + 1, updated_at = u.c2"
                  + " FROM unnest(?, ?, ?) AS u(c1, c2, c3) WHERE c.id = u.c3",
              List.of("text", "timestamptz", "int8"),
              List.of(2)));
      statements.put(
          "UPDATE closure_steps",
          new Statement(
              "UPDATE closure_steps s SET status = 'DONE', revision = s.revision + 1,"
                  + " written = CAST(u.c1 AS jsonb), finished_at = u.c2"
                  + " FROM unnest(?, ?, ?, ?) AS u(c1, c2, c3, c4)"
                  + " WHERE s.closure_id = u.c3 AND s.step = u.c4",
              List.of("text", "timestamptz", "int8", "text"),
              List.of(2, 3)));
      statements.put(
          "UPDATE inbox",
          new Statement(
              "UPDATE inbox i SET outcome = 'CLOSURE_STARTED', closure_id = u.c1"
                  + " FROM unnest(?, ?) AS u(c1, c2) WHERE i.event_id = u.c2",
              List.of("int8", "text"),
              List.of(1)));
      // One row: every head update names it, so each is a statement of its own, as Closeout's.
      statements.put(
          "UPDATE audit_head",
          new Statement(
              "UPDATE audit_head SET sequence = sequence + 1, hash = u.c1"
                  + " FROM unnest(?) AS u(c1) WHERE id = 1",
              List.of("text"),
              List.of(-1)));
      sql.put(
          "INSERT inbox",
          "INSERT INTO inbox (event_id, event_type, escalation_id, disposition_version,"
              + " received_at, outcome, closure_id) VALUES (?, ?, ?, 1, ?, 'CLOSURE_STARTED', NULL)");
      sql.put(
          "INSERT closures",
          "INSERT INTO closures (id, escalation_id, disposition_version, event_id,"
              + " event_episode_id, event_finalized_at, event_archive_refs, requested_actions,"
              + " status, next_attempt_at, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?,"
              + " CAST(? AS jsonb), CAST('[]' AS jsonb), 'PENDING', ?, ?, ?)");
      sql.put(
          "INSERT closure_steps",
          "INSERT INTO closure_steps (closure_id, step, step_order, status, idempotency_key)"
              + " VALUES (?, ?, ?, 'PENDING', ?)");
      sql.put(
          "INSERT closure_step_priors",
          "INSERT INTO closure_step_priors (closure_id, step, prior)"
              + " VALUES (?, ?, CAST(? AS jsonb))");
      sql.put(
          "DELETE closure_step_priors",
          "DELETE FROM closure_step_priors WHERE closure_id = ? AND step = ?");
      sql.put(
          "INSERT audit_pending",
          PENDING_APPEND
              + " FROM (VALUES (CAST(? AS bigint), CAST(? AS timestamptz), CAST(? AS integer),"
              + " CAST(? AS text), CAST(? AS text), CAST(? AS text))) AS u(c1, c2, c3, c4, c5, c6)");
      sql.put(
          "INSERT audit_entries",
          "INSERT INTO audit_entries (sequence, entry_id, recorded_at, event_id, escalation_id,"
              + " disposition_version, action, target_system, target_record_id, skipped_as_done,"
              + " notification_target, detail, previous_hash, hash) VALUES (?, ?, ?, ?, ?, 1,"
              + " 'STEP_DONE', 'TRACKER', ?, false, NULL, ?, ?, ?)");
      // As the chainer, which says so (the store lets no one else delete pending entries).
      sql.put(
          "DELETE audit_pending",
          "DELETE FROM audit_pending WHERE append_id = ?"
              + " AND set_config('closeout.chaining', 'on', true) = 'on'");
      sql.put(
          "INSERT completion_records",
          "INSERT INTO completion_records (closure_id, escalation_id, disposition_version,"
              + " event_id, audit_entry_ids, recorded_at) VALUES (?, ?, 1, ?, CAST(? AS jsonb), ?)");
      sql.put(
          "UPDATE closures",
          "UPDATE closures SET status = ?, revision = revision + 1, updated_at = ? WHERE id = ?");
      sql.put(
          "UPDATE closure_steps",
          "UPDATE closure_steps SET status = 'DONE', revision = revision + 1,"
              + " written = CAST(? AS jsonb), finished_at = ? WHERE closure_id = ? AND step = ?");
      sql.put(
          "UPDATE inbox",
          "UPDATE inbox SET outcome = 'CLOSURE_STARTED', closure_id = ? WHERE event_id = ?");
      sql.put(
          "UPDATE audit_head",
          "UPDATE audit_head SET sequence = sequence + 1, hash = ? WHERE id = 1");
    }

    /** The unit's rows, inserts before updates and table by table, cut into its transactions. */
    void write(Connection connection, Unit unit) throws SQLException {
      List<Row> rows = new ArrayList<>();
      for (int i = unit.from(); i < unit.to(); i++) {
        rows.addAll(rows(i));
      }
      List<String> order = new ArrayList<>();
      INSERT_ORDER.forEach(table -> order.add("INSERT " + table));
      DELETE_ORDER.forEach(table -> order.add("DELETE " + table));
      UPDATE_ORDER.forEach(table -> order.add("UPDATE " + table));
      rows.sort(java.util.Comparator.comparingInt(row -> order.indexOf(row.kind())));
      int transactions = Math.max(1, Math.min(unit.transactions(), rows.size()));
      int from = 0;
      for (int t = 0; t < transactions; t++) {
        int to = (int) ((long) rows.size() * (t + 1) / transactions);
        send(connection, rows.subList(from, to));
        connection.commit();
        from = to;
      }
    }

    private void send(Connection connection, List<Row> rows) throws SQLException {
      if (method == Method.JDBC_BATCH) {
        sendBatches(connection, rows);
      } else {
        sendSets(connection, rows);
      }
    }

    /** Consecutive rows of one kind go in one batch. */
    private void sendBatches(Connection connection, List<Row> rows) throws SQLException {
      int i = 0;
      while (i < rows.size()) {
        String kind = rows.get(i).kind();
        try (PreparedStatement statement = connection.prepareStatement(sql.get(kind))) {
          while (i < rows.size() && rows.get(i).kind().equals(kind)) {
            Object[] values = rows.get(i).values();
            for (int p = 0; p < values.length; p++) {
              if (values[p] == null) {
                statement.setNull(p + 1, Types.VARCHAR);
              } else {
                statement.setObject(p + 1, values[p]);
              }
            }
            statement.addBatch();
            i++;
          }
          statement.executeBatch();
        }
      }
    }

    /** Consecutive rows of one kind go in one statement, or several where a row repeats. */
    private void sendSets(Connection connection, List<Row> rows) throws SQLException {
      int i = 0;
      while (i < rows.size()) {
        String kind = rows.get(i).kind();
        int end = i;
        while (end < rows.size() && rows.get(end).kind().equals(kind)) {
          end++;
        }
        Statement statement = statements.get(kind);
        for (List<Row> layer : layers(statement, rows.subList(i, end))) {
          try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
            for (int c = 0; c < statement.columnTypes().size(); c++) {
              Object[] column = new Object[layer.size()];
              for (int r = 0; r < layer.size(); r++) {
                column[r] = layer.get(r).values()[c];
              }
              prepared.setArray(
                  c + 1, connection.createArrayOf(statement.columnTypes().get(c), column));
            }
            int written = prepared.executeUpdate();
            if (written != layer.size()) {
              throw new IllegalStateException(
                  kind + " wrote " + written + " rows of " + layer.size());
            }
          }
        }
        i = end;
      }
    }

    /**
     * The rows of a run, split so no statement names a row twice: the n-th time a row is named, it
     * goes in the n-th statement. Inserts name new rows, so they stay one statement.
     */
    /** The step of a closure's k-th prior values: one row per step, as the primary key wants. */
    private static String priorStep(Step[] steps, int k) {
      return k < steps.length ? steps[k].name() : "EXTRA_" + k;
    }

    private static List<List<Row>> layers(Statement statement, List<Row> run) {
      List<List<Row>> layers = new ArrayList<>();
      if (statement.keyColumns().isEmpty()) {
        layers.add(run);
        return layers;
      }
      Map<List<Object>, Integer> seen = new java.util.HashMap<>();
      for (Row row : run) {
        List<Object> key = new ArrayList<>();
        for (int column : statement.keyColumns()) {
          key.add(column < 0 ? "the one row" : row.values()[column]);
        }
        int layer = seen.merge(key, 1, Integer::sum) - 1;
        if (layer == layers.size()) {
          layers.add(new ArrayList<>());
        }
        layers.get(layer).add(row);
      }
      return layers;
    }

    private record Row(String kind, Object[] values) {}

    /** The k-th append of closure {@code index}: ids of its own, so deletes find it. */
    private static long pendingId(int index, int k) {
      return index * 1_000L + k + 1;
    }

    /** Entries an append carried on average in the measured run: its chained entries per append. */
    private int entriesPerAppend() {
      double appends = plan.writeSet().getOrDefault("INSERT audit_pending", 0.0);
      double entries = plan.writeSet().getOrDefault("INSERT audit_entries", 0.0);
      return appends > 0 ? (int) Math.max(1, Math.min(999, Math.round(entries / appends))) : 1;
    }

    private List<Row> rows(int index) {
      long id = index + 1L;
      String escalation = "CEIL-" + index;
      String event = "evt-" + escalation;
      Timestamp now = Timestamp.from(Instant.now());
      Step[] steps = Step.values();
      List<Row> rows = new ArrayList<>();
      for (String table : INSERT_ORDER) {
        int n = plan.rowsOf("INSERT " + table, index);
        for (int k = 0; k < n; k++) {
          switch (table) {
            case "inbox" ->
                rows.add(
                    new Row(
                        "INSERT inbox",
                        new Object[] {
                          k == 0 ? event : event + "-" + k,
                          "support.review.disposition.finalized",
                          escalation,
                          now
                        }));
            case "closures" -> {
              long closureId = k == 0 ? id : -(id * 100 + k);
              rows.add(
                  new Row(
                      "INSERT closures",
                      new Object[] {
                        closureId,
                        k == 0 ? escalation : escalation + "-" + k,
                        event,
                        "EP-1",
                        now,
                        REFS_JSON,
                        now,
                        now,
                        now
                      }));
            }
            case "closure_steps" ->
                rows.add(
                    new Row(
                        "INSERT closure_steps",
                        new Object[] {
                          id,
                          k < steps.length ? steps[k].name() : "EXTRA_" + k,
                          k + 1,
                          escalation + ":v1:" + (k < steps.length ? steps[k].name() : k)
                        }));
            case "closure_step_priors" ->
                rows.add(
                    new Row(
                        "INSERT closure_step_priors",
                        new Object[] {id, priorStep(steps, k), SNAPSHOT_JSON}));
            case "audit_pending" ->
                rows.add(
                    new Row(
                        "INSERT audit_pending",
                        new Object[] {
                          pendingId(index, k),
                          now,
                          entriesPerAppend(),
                          event,
                          escalation,
                          "TRACKER_SYNC REVIEW_COMPLETE v1"
                        }));
            case "audit_entries" -> {
              long sequence = auditSequence.incrementAndGet();
              rows.add(
                  new Row(
                      "INSERT audit_entries",
                      new Object[] {
                        sequence,
                        sequence,
                        now,
                        event,
                        escalation,
                        escalation,
                        "TRACKER_SYNC REVIEW_COMPLETE v1",
                        String.format("%064x", sequence - 1),
                        String.format("%064x", sequence)
                      }));
            }
            case "completion_records" ->
                rows.add(
                    new Row(
                        "INSERT completion_records",
                        new Object[] {id, escalation, event, "[1,2,3,4,5,6,7,8,9,10,11,12]", now}));
            default -> throw new IllegalStateException(table);
          }
        }
      }
      // A closure's own appends go (as many as it inserted at most: the plan's figures are equal
      // when everything was chained, so the shares are too).
      int chained =
          Math.min(
              plan.rowsOf("DELETE audit_pending", index),
              plan.rowsOf("INSERT audit_pending", index));
      for (int k = 0; k < chained; k++) {
        rows.add(new Row("DELETE audit_pending", new Object[] {pendingId(index, k)}));
      }
      // Forgotten prior values are the closure's own, as many as it recorded at most.
      int forgotten =
          Math.min(
              plan.rowsOf("DELETE closure_step_priors", index),
              plan.rowsOf("INSERT closure_step_priors", index));
      for (int k = 0; k < forgotten; k++) {
        rows.add(new Row("DELETE closure_step_priors", new Object[] {id, priorStep(steps, k)}));
      }
      for (String table : UPDATE_ORDER) {
        int n = plan.rowsOf("UPDATE " + table, index);
        for (int k = 0; k < n; k++) {
          switch (table) {
            case "closures" ->
                rows.add(
                    new Row(
                        "UPDATE closures",
                        new Object[] {k % 2 == 0 ? "RUNNING" : "PENDING", now, id}));
            case "closure_steps" ->
                rows.add(
                    new Row(
                        "UPDATE closure_steps",
                        new Object[] {SNAPSHOT_JSON, now, id, steps[k % steps.length].name()}));
            case "inbox" -> rows.add(new Row("UPDATE inbox", new Object[] {id, event}));
            case "audit_head" ->
                rows.add(
                    new Row(
                        "UPDATE audit_head",
                        new Object[] {String.format("%064x", auditSequence.get())}));
            default -> throw new IllegalStateException(table);
          }
        }
      }
      return rows;
    }
  }
}
