package com.closeout.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts (or reuses) the embedded PostgreSQL of the default configuration, data in a folder. The
 * cluster lives in {@code <dataDir>/postgres}, so the folder may hold other things too.
 */
public final class EmbeddedPostgresLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresLauncher.class);
  private static final String USER = "postgres";
  private static final String DATABASE = "closeout";
  private static final String DUPLICATE_DATABASE = "42P04";
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  /** Evicted dirty pages a backend lets the kernel hold before it asks for their write-back. */
  static final String BACKEND_FLUSH_AFTER = "256kB";

  /** Whether PostgreSQL writes zeros through a new WAL segment before using it. */
  static final String WAL_INIT_ZERO = "off";

  /** Servers known to this JVM by cluster folder; those it started are closed at JVM exit. */
  private static final Map<Path, Connection> KNOWN = new HashMap<>();

  private static final Map<Path, EmbeddedPostgres> STARTED = new HashMap<>();

  private EmbeddedPostgresLauncher() {}

  /** Connection details of a running embedded server whose data lives in {@code dataDir}. */
  public record Connection(String jdbcUrl, String username, String password) {}

  public static synchronized Connection start(Path dataDir) {
    Path cluster = dataDir.toAbsolutePath().normalize().resolve("postgres");
    Connection known = KNOWN.get(cluster);
    if (known != null) {
      return known;
    }
    // A server left running on this folder (another process, or one whose JVM was killed) is
    // reused: starting a second postmaster on the same data would fail.
    int port = runningPort(cluster).orElseGet(() -> launch(cluster));
    createDatabaseIfMissing(port);
    Connection connection = new Connection(url(port, DATABASE), USER, null);
    KNOWN.put(cluster, connection);
    return connection;
  }

  /** Stops the server this JVM started for {@code dataDir}, if any; a reused one is left alone. */
  public static synchronized void stop(Path dataDir) {
    Path cluster = dataDir.toAbsolutePath().normalize().resolve("postgres");
    KNOWN.remove(cluster);
    EmbeddedPostgres server = STARTED.remove(cluster);
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
      }
    }
  }

  private static int launch(Path cluster) {
    try {
      Files.createDirectories(cluster);
      // The library registers a shutdown hook that stops the server when this JVM exits.
      EmbeddedPostgres server =
          EmbeddedPostgres.builder()
              .setDataDirectory(cluster)
              .setCleanDataDirectory(false)
              .setPGStartupWait(STARTUP_WAIT)
              // The library starts PostgreSQL for tests: without fsync (-F) and with commits
              // answered before their WAL is on disk. An event acknowledged, a prior value
              // recorded before a target write: both must survive a crash of the machine, so the
              // store flushes, and a commit waits for its flush (-c comes after -F and wins).
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              // A backend that evicts a dirty page hands it to the kernel to write back at once,
              // as the checkpointer and the background writer already do: otherwise hundreds of
              // megabytes wait dirty in the page cache until a checkpoint's fsync, and every
              // commit's WAL flush queues behind that burst (decision 0015).
              .setServerConfig("backend_flush_after", BACKEND_FLUSH_AFTER)
              // A new 16 MB WAL segment is created, not zero-filled: filling it and flushing the
              // fill held every commit for 60-150 ms each time one was needed, every few seconds
              // under load until checkpoints recycle old segments (decision 0019).
              .setServerConfig("wal_init_zero", WAL_INIT_ZERO)
              .start();
      STARTED.put(cluster, server);
      return server.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL in " + cluster, e);
    }
  }

  /** The port of a live postmaster on this cluster, read from its postmaster.pid. */
  private static Optional<Integer> runningPort(Path cluster) {
    Path pidFile = cluster.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    try {
      // Line 1 is the postmaster's process id, line 4 its port.
      List<String> lines = Files.readAllLines(pidFile);
      if (lines.size() < 4) {
        return Optional.empty();
      }
      long pid = Long.parseLong(lines.get(0).trim());
      int port = Integer.parseInt(lines.get(3).trim());
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      return alive && answers(port) ? Optional.of(port) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      // Unreadable or half-written: let PostgreSQL itself judge the folder on start.
      return Optional.empty();
    }
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void createDatabaseIfMissing(int port) {
    try (java.sql.Connection connection =
            DriverManager.getConnection(url(port, "postgres"), USER, null);
        Statement statement = connection.createStatement()) {
      boolean exists;
      try (ResultSet rs =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        statement.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (SQLException e) {
      // Another process created it between our look and our create.
      if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
        throw new IllegalStateException("could not create the closeout database", e);
      }
    }
    requireDurableCommits(port);
  }

  /**
   * A server reused from an earlier start may run with the library's {@code synchronous_commit =
   * off}: the database's own setting holds for every session of it, whatever the server's.
   */
  private static void requireDurableCommits(int port) {
    try (java.sql.Connection connection =
            DriverManager.getConnection(url(port, "postgres"), USER, null);
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER DATABASE " + DATABASE + " SET synchronous_commit = on");
      try (ResultSet rs = statement.executeQuery("SHOW fsync")) {
        if (rs.next() && !"on".equals(rs.getString(1))) {
          // Only a restart clears a server's -F; the server stops with the JVM that started it.
          LOG.warn(
              "the embedded PostgreSQL on port {} runs without fsync (started by an earlier"
                  + " version); stop it so the next start flushes its writes",
              port);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not require durable commits of the store", e);
    }
  }

  private static String url(int port, String database) {
    return "jdbc:postgresql://localhost:" + port + "/" + database + "?user=" + USER;
  }
}
