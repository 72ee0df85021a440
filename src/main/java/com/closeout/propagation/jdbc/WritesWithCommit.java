package com.closeout.propagation.jdbc;

import com.closeout.propagation.ConcurrentClosureChangeException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes whose outcome nobody reads before the commit (a group's audit append, decision 0012; its
 * guarded step and closure writes, whose guards raise in the statement, decision 0013), held by the
 * transaction that made them and sent with its {@code COMMIT} as one execution: one round trip
 * instead of one per write and one for the commit. PostgreSQL runs the statements of one execution
 * in order and stops at the first that fails, so a failed write never commits; the driver then sees
 * its transaction ended, and the transaction manager's own commit finds nothing left to do. A guard
 * that raises {@link #MOVED_MEANWHILE} surfaces as {@link ConcurrentClosureChangeException}, one
 * that raises {@link #NOT_FOUND} as {@link IllegalStateException}.
 *
 * <p>{@link SpringTransactionRunner} sends them with the commit of a transaction it began. Any
 * other transaction sends them, without the commit, just before it commits; a rolled-back one drops
 * them. The adapter that holds writes sends them first ({@link #sendHeld}) before it reads what
 * they write in the same transaction, or writes what must follow them.
 */
public final class WritesWithCommit {
  /**
   * The SQLSTATE a guarded write raises when a row it guards moved meanwhile ({@code
   * closeout_expect_rows}, migration V5): {@link ConcurrentClosureChangeException}.
   */
  public static final String MOVED_MEANWHILE = "CO409";

  /**
   * The SQLSTATE a guarded write raises when a row it expects was never there: a bug, {@link
   * IllegalStateException}.
   */
  public static final String NOT_FOUND = "CO404";

  private static final String COMMIT = "COMMIT";

  /** The few statement texts held, parsed once each. */
  private static final Map<String, ParsedSql> PARSED = new ConcurrentHashMap<>();

  private WritesWithCommit() {}

  /**
   * A statement with named parameters, as {@code JdbcClient} takes it, and their values.
   *
   * @param holder the adapter that holds it ({@link #sendHeld} sends one holder's writes)
   * @param sql one statement, no semicolon
   */
  public record Write(String holder, String sql, Map<String, ?> params) {
    public Write {
      Objects.requireNonNull(holder, "holder");
      if (sql.contains(";")) {
        throw new IllegalArgumentException("a held write is one statement");
      }
      // A copy that keeps null values (a parameter may be SQL NULL).
      params = Collections.unmodifiableMap(new HashMap<>(params));
    }
  }

  /**
   * In a transaction on {@code dataSource}: holds {@code write} for its commit. Outside one: runs
   * it now, on its own.
   */
  public static void hold(DataSource dataSource, Write write) {
    if (!inTransactionOn(dataSource)) {
      execute(dataSource, List.of(write), false);
      return;
    }
    Held held = heldFor(dataSource);
    if (held == null) {
      held = new Held(dataSource);
      TransactionSynchronizationManager.registerSynchronization(held);
    }
    held.writes.add(write);
  }

  /**
   * Holds a guarded write whose guard travels in the statement: {@code sql} passes the count of
   * rows its guard matched to {@code closeout_expect_rows(:expected, <count>, :what, :mismatch)}
   * (migration V5), which raises {@code mismatch} ({@link #MOVED_MEANWHILE} or {@link #NOT_FOUND})
   * unless it is {@code expected}. The named parameters {@code expected}, {@code what} and {@code
   * mismatch} are set here.
   *
   * @param what the write, for the message: "finishing steps of closures 4, 7"
   */
  public static void holdGuarded(
      DataSource dataSource,
      String holder,
      String sql,
      Map<String, ?> params,
      int expected,
      String what,
      String mismatch) {
    Map<String, Object> all = new HashMap<>(params);
    all.put("expected", expected);
    all.put("what", what);
    all.put("mismatch", mismatch);
    hold(dataSource, new Write(holder, sql, all));
  }

  /** Keys for a message: the first ten distinct, and how many more. */
  public static String listed(List<?> keys) {
    List<?> distinct = keys.stream().distinct().toList();
    int shown = Math.min(distinct.size(), 10);
    String head =
        String.join(", ", distinct.subList(0, shown).stream().map(String::valueOf).toList());
    return distinct.size() > shown ? head + " and " + (distinct.size() - shown) + " more" : head;
  }

  /**
   * Sends, now and without committing, the writes {@code holder} holds in the current transaction
   * on {@code dataSource}: before the holder reads what they write, or writes what must come after
   * them. Other holders' writes stay held: they touch other tables, so their order against these
   * does not matter, and they still ride the commit.
   */
  public static void sendHeld(DataSource dataSource, String holder) {
    if (!inTransactionOn(dataSource)) {
      return;
    }
    Held held = heldFor(dataSource);
    if (held != null) {
      held.send(holder);
    }
  }

  /**
   * At the end of a transaction's work, by the runner that began it: sends what it holds followed
   * by {@code COMMIT}, in one execution. Returns false when it held nothing (the caller commits as
   * usual).
   */
  static boolean sendWithCommit(DataSource dataSource) {
    if (!inTransactionOn(dataSource)) {
      return false;
    }
    Held held = heldFor(dataSource);
    return held != null && held.send(true);
  }

  private static boolean inTransactionOn(DataSource dataSource) {
    return TransactionSynchronizationManager.isSynchronizationActive()
        && TransactionSynchronizationManager.isActualTransactionActive()
        && TransactionSynchronizationManager.hasResource(dataSource);
  }

  private static Held heldFor(DataSource dataSource) {
    for (TransactionSynchronization synchronization :
        TransactionSynchronizationManager.getSynchronizations()) {
      if (synchronization instanceof Held held && held.dataSource == dataSource) {
        return held;
      }
    }
    return null;
  }

  /**
   * The statements, in order, as one execution on the transaction's connection: the driver sends
   * them with one sync, so the server answers once.
   */
  private static void execute(DataSource dataSource, List<Write> writes, boolean commit) {
    StringBuilder sql = new StringBuilder();
    List<Object> values = new ArrayList<>();
    for (Write write : writes) {
      MapSqlParameterSource source = new MapSqlParameterSource(write.params());
      ParsedSql parsed =
          PARSED.computeIfAbsent(write.sql(), NamedParameterUtils::parseSqlStatement);
      if (!sql.isEmpty()) {
        sql.append(";\n");
      }
      sql.append(NamedParameterUtils.substituteNamedParameters(parsed, source));
      values.addAll(List.of(NamedParameterUtils.buildValueArray(parsed, source, null)));
    }
    if (commit) {
      sql.append(";\n").append(COMMIT);
    }
    new JdbcTemplate(dataSource)
        .execute(
            sql.toString(),
            (PreparedStatementCallback<Void>)
                statement -> {
                  bind(statement, values);
                  try {
                    statement.execute();
                  } catch (SQLException e) {
                    if (MOVED_MEANWHILE.equals(e.getSQLState())) {
                      throw new ConcurrentClosureChangeException(
                          firstLine(e.getMessage()) + ", the others moved meanwhile");
                    }
                    if (NOT_FOUND.equals(e.getSQLState())) {
                      throw new IllegalStateException(
                          firstLine(e.getMessage()) + ", the others were never there");
                    }
                    throw e;
                  }
                  return null;
                });
  }

  private static String firstLine(String message) {
    int end = message.indexOf('\n');
    String line = end < 0 ? message : message.substring(0, end);
    return line.startsWith("ERROR: ") ? line.substring("ERROR: ".length()) : line;
  }

  private static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      StatementCreatorUtils.setParameterValue(
          statement, i + 1, SqlTypeValue.TYPE_UNKNOWN, values.get(i));
    }
  }

  /** One transaction's held writes; suspended and resumed with it, dropped with it. */
  private static final class Held implements TransactionSynchronization {
    private final DataSource dataSource;
    private final List<Write> writes = new ArrayList<>();

    Held(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /** Sends and forgets what is held (cleared first: a held write is sent at most once). */
    boolean send(boolean commit) {
      if (writes.isEmpty()) {
        return false;
      }
      List<Write> sending = List.copyOf(writes);
      writes.clear();
      execute(dataSource, sending, commit);
      return true;
    }

    /** Sends and forgets one holder's writes, in the order held. */
    void send(String holder) {
      List<Write> sending = writes.stream().filter(w -> w.holder().equals(holder)).toList();
      if (sending.isEmpty()) {
        return;
      }
      writes.removeIf(w -> w.holder().equals(holder));
      execute(dataSource, sending, false);
    }

    @Override
    public void beforeCommit(boolean readOnly) {
      send(false);
    }

    @Override
    public int getOrder() {
      // Last of the transaction's synchronizations: whatever else runs before the commit may still
      // hold writes.
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
