package com.closeout.propagation.jdbc;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Writes whose outcome nobody reads before the commit (a group's audit append), held by the
 * transaction that made them and sent with its {@code COMMIT} as one execution: one round trip
 * instead of two (decision 0012). PostgreSQL runs the statements of one execution in order and
 * stops at the first that fails, so a failed write never commits; the driver then sees its
 * transaction ended, and the transaction manager's own commit finds nothing left to do.
 *
 * <p>{@link SpringTransactionRunner} sends them with the commit of a transaction it began. Any
 * other transaction sends them, without the commit, just before it commits; a rolled-back one drops
 * them. The adapter that holds writes sends them first ({@link #sendHeld}) before it reads what
 * they write in the same transaction.
 */
public final class WritesWithCommit {
  private static final String COMMIT = "COMMIT";

  private WritesWithCommit() {}

  /**
   * A statement with named parameters, as {@code JdbcClient} takes it, and their values.
   *
   * @param sql one statement, no semicolon
   */
  public record Write(String sql, Map<String, ?> params) {
    public Write {
      if (sql.contains(";")) {
        throw new IllegalArgumentException("a held write is one statement");
      }
      params = Map.copyOf(params);
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

  /** Sends what the current transaction on {@code dataSource} holds, now, without committing. */
  public static void sendHeld(DataSource dataSource) {
    if (!inTransactionOn(dataSource)) {
      return;
    }
    Held held = heldFor(dataSource);
    if (held != null) {
      held.send(false);
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
      ParsedSql parsed = NamedParameterUtils.parseSqlStatement(write.sql());
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
                  statement.execute();
                  return null;
                });
  }

  private static void bind(PreparedStatement statement, List<Object> values)
      throws java.sql.SQLException {
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
