package com.closeout.bench;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A DataSource that counts what goes over its connections at the JDBC level: SQL statements (each
 * row of a batch is one), round trips of statements (a batch is one), commits (an explicit commit,
 * or a statement run in auto-commit), the commits that wrote something and the commits that cost a
 * round trip of their own (an explicit commit, unless the transaction's last execution ended with
 * {@code COMMIT}, decision 0012), plus statements by kind ({@code INSERT audit_entries}, {@code
 * UPDATE closures}, {@code SELECT}, ...). The write kinds are the write set the PostgreSQL ceiling
 * reproduces.
 *
 * <p>Plain JDBC and JDK proxies, so the Flowable peer can count the same way without Spring.
 */
public final class CountingDataSource implements DataSource {
  /**
   * The kinds of the statements of an execution text, in order ({@code COMMIT} not counted);
   * bounded, as the texts a run uses are.
   */
  private static final Map<String, List<String>> KINDS = new ConcurrentHashMap<>();

  /** Where one statement of an execution ends and the next begins. */
  private static final Pattern STATEMENT_END = Pattern.compile(";\\s*");

  /** A statement that only ends the transaction; counted as a commit, not as a statement. */
  private static final Pattern COMMIT = Pattern.compile("\\s*COMMIT\\s*", Pattern.CASE_INSENSITIVE);

  /** Whether a statement text ends its transaction; bounded as {@link #KINDS} is. */
  private static final Map<String, Boolean> ENDING = new ConcurrentHashMap<>();

  /** An execution whose last statement is {@code COMMIT}: the transaction ends inside it. */
  private static final Pattern ENDS_WITH_COMMIT =
      Pattern.compile(";\\s*COMMIT\\s*;?\\s*$", Pattern.CASE_INSENSITIVE);

  private static final Pattern WRITE =
      Pattern.compile(
          "(?:\\bINSERT\\s+INTO|(?<!FOR\\s)\\bUPDATE|\\bDELETE\\s+FROM)\\s+\"?([A-Za-z_][A-Za-z0-9_.]*)",
          Pattern.CASE_INSENSITIVE);

  private final DataSource delegate;
  private final LongAdder statements = new LongAdder();
  private final LongAdder roundTrips = new LongAdder();
  private final LongAdder commits = new LongAdder();
  private final LongAdder writeCommits = new LongAdder();
  private final LongAdder commitRoundTrips = new LongAdder();
  private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();

  public CountingDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  public DataSource delegate() {
    return delegate;
  }

  /** What was counted so far. */
  public Counts counts() {
    Map<String, Long> kinds = new TreeMap<>();
    byKind.forEach((kind, adder) -> kinds.put(kind, adder.sum()));
    return new Counts(
        statements.sum(),
        roundTrips.sum(),
        commits.sum(),
        writeCommits.sum(),
        commitRoundTrips.sum(),
        Map.copyOf(kinds));
  }

  /**
   * @param kinds statements by kind: {@code INSERT table}, {@code UPDATE table}, {@code DELETE
   *     table}, {@code SELECT} or {@code OTHER}
   */
  public record Counts(
      long statements,
      long roundTrips,
      long commits,
      long writeCommits,
      long commitRoundTrips,
      Map<String, Long> kinds) {
    public Counts minus(Counts before) {
      Map<String, Long> delta = new TreeMap<>(kinds);
      before.kinds.forEach((kind, n) -> delta.merge(kind, -n, Long::sum));
      delta.values().removeIf(n -> n == 0);
      return new Counts(
          statements - before.statements,
          roundTrips - before.roundTrips,
          commits - before.commits,
          writeCommits - before.writeCommits,
          commitRoundTrips - before.commitRoundTrips,
          Map.copyOf(delta));
    }

    public static Counts none() {
      return new Counts(0, 0, 0, 0, 0, Map.of());
    }
  }

  /** {@code INSERT table}, {@code UPDATE table}, {@code DELETE table}, SELECT or OTHER. */
  static String kindOf(String sql) {
    return parseKind(sql);
  }

  /**
   * The kinds of an execution's statements: one for a plain statement; one per statement of a held
   * group sent with its commit (decision 0012, 0013: {@code w1; w2; COMMIT}), whose {@code COMMIT}
   * is a commit, not a statement. Statement texts here hold no semicolon of their own (a held write
   * cannot), so a semicolon ends a statement.
   */
  static List<String> kindsOf(String sql) {
    // The same few statement texts over and over: parse each once, the measuring should cost
    // Closeout as little as it can.
    return KINDS.computeIfAbsent(
        sql,
        text ->
            STATEMENT_END
                .splitAsStream(text)
                .filter(statement -> !statement.isBlank())
                .filter(statement -> !COMMIT.matcher(statement).matches())
                .map(CountingDataSource::parseKind)
                .toList());
  }

  static boolean endsWithCommit(String sql) {
    return ENDING.computeIfAbsent(sql, text -> ENDS_WITH_COMMIT.matcher(text).find());
  }

  private static String parseKind(String sql) {
    Matcher write = WRITE.matcher(sql);
    if (write.find()) {
      String verb = write.group().trim().split("\\s+")[0].toUpperCase(Locale.ROOT);
      String table = write.group(1).toLowerCase(Locale.ROOT);
      int dot = table.lastIndexOf('.');
      return verb + " " + (dot < 0 ? table : table.substring(dot + 1));
    }
    String head = sql.stripLeading().toUpperCase(Locale.ROOT);
    return head.startsWith("SELECT") || head.startsWith("WITH") ? "SELECT" : "OTHER";
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(delegate.getConnection(username, password));
  }

  private Connection wrap(Connection connection) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ConnectionHandler(connection));
  }

  private void executed(
      ConnectionHandler connection, List<String> kinds, long rows, boolean endsTransaction) {
    // One round trip, whatever it carries; an execution of a COMMIT alone is one too.
    roundTrips.increment();
    boolean writes = false;
    for (String kind : kinds) {
      statements.add(rows);
      byKind.computeIfAbsent(kind, k -> new LongAdder()).add(rows);
      writes |= !kind.equals("SELECT") && !kind.equals("OTHER");
    }
    if (connection.autoCommit) {
      commits.increment();
      if (writes) {
        writeCommits.increment();
      }
    } else {
      connection.open = true;
      connection.wrote |= writes;
      connection.endedInStatement |= endsTransaction;
    }
  }

  private final class ConnectionHandler implements InvocationHandler {
    private final Connection target;
    private boolean autoCommit = true;
    // The driver begins a transaction with its first statement: a commit with none is no commit.
    private boolean open;
    private boolean wrote;
    private boolean endedInStatement;

    ConnectionHandler(Connection target) {
      this.target = target;
      try {
        this.autoCommit = target.getAutoCommit();
      } catch (SQLException e) {
        this.autoCommit = true;
      }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      Object result = call(target, method, args);
      switch (name) {
        case "setAutoCommit" -> {
          boolean on = (Boolean) args[0];
          if (on && !autoCommit) {
            endTransaction(true);
          }
          autoCommit = on;
        }
        case "commit" -> endTransaction(true);
        case "rollback" -> {
          if (args == null || args.length == 0) {
            open = false;
            wrote = false;
            endedInStatement = false;
          }
        }
        case "createStatement" -> {
          return statement(Statement.class, (Statement) result, null);
        }
        case "prepareStatement" -> {
          return statement(PreparedStatement.class, (Statement) result, (String) args[0]);
        }
        case "prepareCall" -> {
          return statement(CallableStatement.class, (Statement) result, (String) args[0]);
        }
        default -> {}
      }
      return result;
    }

    private void endTransaction(boolean committed) {
      if (committed && open) {
        commits.increment();
        if (wrote) {
          writeCommits.increment();
        }
        if (!endedInStatement) {
          commitRoundTrips.increment();
        }
      }
      open = false;
      wrote = false;
      endedInStatement = false;
    }

    private Object statement(Class<? extends Statement> type, Statement statement, String sql) {
      return Proxy.newProxyInstance(
          Statement.class.getClassLoader(),
          new Class<?>[] {type},
          new StatementHandler(this, statement, sql));
    }
  }

  private final class StatementHandler implements InvocationHandler {
    private final ConnectionHandler connection;
    private final Statement target;
    private final List<String> preparedKinds;
    private final boolean preparedEndsTransaction;
    private final Map<String, Long> batch = new TreeMap<>();

    StatementHandler(ConnectionHandler connection, Statement target, String sql) {
      this.connection = connection;
      this.target = target;
      this.preparedKinds = sql == null ? null : kindsOf(sql);
      this.preparedEndsTransaction = sql != null && endsWithCommit(sql);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      boolean withSql = args != null && args.length > 0 && args[0] instanceof String;
      Object result = call(target, method, args);
      switch (name) {
        case "execute", "executeQuery", "executeUpdate", "executeLargeUpdate" ->
            executed(
                connection,
                withSql ? kindsOf((String) args[0]) : preparedKinds,
                1,
                withSql ? endsWithCommit((String) args[0]) : preparedEndsTransaction);
        case "addBatch" -> {
          for (String kind : withSql ? kindsOf((String) args[0]) : preparedKinds) {
            batch.merge(kind, 1L, Long::sum);
          }
        }
        case "clearBatch" -> batch.clear();
        case "executeBatch", "executeLargeBatch" -> {
          batch.forEach((kind, rows) -> executed(connection, List.of(kind), rows, false));
          // One round trip for the whole batch: the rows counted above each took one.
          long kinds = batch.size();
          if (kinds > 1) {
            roundTrips.add(1 - kinds);
          }
          if (kinds > 0 && connection.autoCommit) {
            commits.add(1 - kinds);
          }
          batch.clear();
        }
        default -> {}
      }
      return result;
    }
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }
}
