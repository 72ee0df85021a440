package com.closeout.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * CPU time spent by this JVM and, when the database server runs on this machine (the embedded
 * store, or a local server), by the server's processes: where a phase's closures cost their CPU. On
 * two shared cores "half the maximum rate" is not half the machine; these figures say how busy it
 * was and who made it so.
 *
 * <p>The server's share is read from Linux's {@code /proc}: the postmaster's own time, the time of
 * the children it has reaped ({@code cutime}, {@code cstime}: backends of closed pools) and that of
 * its live children. A backend that ends between two readings moves from the last sum to the reaped
 * one, so differences stay right. Everything the server does counts — autovacuum, the checkpointer,
 * other databases' sessions on a shared server.
 */
public final class CpuMeter {
  /** Linux's USER_HZ: /proc reports times in these ticks (100 on every mainstream build). */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private static final Pattern NUMBERING = Pattern.compile("[-#]?\\d+$");

  private final long postmasterPid;

  private CpuMeter(long postmasterPid) {
    this.postmasterPid = postmasterPid;
  }

  /**
   * A reading of both; server time is -1 when the server's processes cannot be read.
   *
   * @param threadNanos CPU of this JVM's live threads by name, numbering dropped ({@code
   *     bench-worker-2} counts as {@code bench-worker}, {@code C2 CompilerThre} holds the JIT's
   *     compiler threads, {@code GC Thread} the collector's)
   */
  public record Reading(long jvmNanos, long serverNanos, Map<String, Long> threadNanos) {
    public Reading(long jvmNanos, long serverNanos) {
      this(jvmNanos, serverNanos, Map.of());
    }

    /**
     * CPU milliseconds per closure since {@code before} by thread group, with what no live thread
     * accounts for as {@code "ended threads"}; groups under 0.01 ms left out.
     */
    public Map<String, Double> threadsSince(Reading before, int closures) {
      Map<String, Double> groups = new TreeMap<>();
      long threads = 0;
      for (Map.Entry<String, Long> group : threadNanos.entrySet()) {
        long spent = group.getValue() - before.threadNanos.getOrDefault(group.getKey(), 0L);
        threads += spent;
        double perClosure = spent / 1e6 / closures;
        if (perClosure >= 0.01) {
          groups.put(group.getKey(), Math.round(perClosure * 100) / 100.0);
        }
      }
      double other = (jvmNanos - before.jvmNanos - threads) / 1e6 / closures;
      groups.put("ended threads", Math.round(other * 100) / 100.0);
      return groups;
    }

    /** CPU milliseconds per closure since {@code before}; NaN for what could not be read. */
    public Cost since(Reading before, int closures, long wallNanos) {
      double jvm = (jvmNanos - before.jvmNanos) / 1e6 / closures;
      double server =
          serverNanos < 0 || before.serverNanos < 0
              ? Double.NaN
              : (serverNanos - before.serverNanos) / 1e6 / closures;
      double busy =
          Double.isNaN(server)
              ? Double.NaN
              : (jvm + server)
                  * closures
                  / (wallNanos / 1e6)
                  / Runtime.getRuntime().availableProcessors();
      return new Cost(jvm, server, busy, threadsSince(before, closures));
    }
  }

  /**
   * @param jvmMillis this JVM's CPU per closure: the engine, the sandbox targets, the load
   *     generator and the JIT and collector
   * @param serverMillis the database server's CPU per closure (NaN when not on this machine)
   * @param busyShare JVM and server CPU over the phase's wall time and this machine's cores
   * @param jvmByThread the JVM's CPU per closure by thread group ({@link Reading#threadsSince})
   */
  public record Cost(
      double jvmMillis, double serverMillis, double busyShare, Map<String, Double> jvmByThread) {
    public Cost(double jvmMillis, double serverMillis, double busyShare) {
      this(jvmMillis, serverMillis, busyShare, Map.of());
    }
  }

  /** Meters the server of {@code database} if it runs here; the JVM always. */
  public static CpuMeter of(DataSource database) {
    // Asked more than once: a first connection to a server that just started was seen to fail.
    for (int attempt = 1; attempt < 3; attempt++) {
      OptionalLong postmaster = postmasterOf(database);
      if (postmaster.isPresent()) {
        return new CpuMeter(postmaster.getAsLong());
      }
      LockSupport.parkNanos(100_000_000L);
    }
    return new CpuMeter(postmasterOf(database).orElse(-1));
  }

  /**
   * The server's data directory when the server runs on this machine and its process may be looked
   * into (PostgreSQL works in its data directory); empty otherwise.
   */
  public Optional<Path> serverDataDirectory() {
    if (postmasterPid < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of("/proc", Long.toString(postmasterPid), "cwd").toRealPath());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  public Reading read() {
    long jvm =
        ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os
            ? os.getProcessCpuTime()
            : -1;
    return new Reading(
        jvm, postmasterPid < 0 ? -1 : serverTicks(postmasterPid) * NANOS_PER_TICK, threads());
  }

  /**
   * CPU spent so far by this JVM's JIT compiler threads (C1 and C2), or -1 where /proc cannot tell.
   */
  public static long compilerNanos() {
    Map<String, Long> threads = threads();
    if (threads.isEmpty()) {
      return -1;
    }
    return threads.entrySet().stream()
        .filter(thread -> thread.getKey().matches("C[12] CompilerThre.*"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /**
   * This JVM's threads by name from {@code /proc/self/task}: Java threads and the JVM's own (the
   * JIT's compiler threads, the collector's, the VM thread), which no Java API lists. Linux
   * shortens names to 15 characters.
   */
  private static Map<String, Long> threads() {
    Map<String, Long> groups = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.forEach(
          task -> {
            String[] stat = stat(task.resolve("stat"));
            if (stat != null) {
              String name = stat[1].substring(1, stat[1].length() - 1);
              groups.merge(
                  NUMBERING.matcher(name).replaceFirst(""),
                  (field(stat, 13) + field(stat, 14)) * NANOS_PER_TICK,
                  Long::sum);
            }
          });
    } catch (IOException | RuntimeException e) {
      // Not Linux: the JVM's time is reported whole.
    }
    return groups;
  }

  private static OptionalLong postmasterOf(DataSource database) {
    long backend;
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
      row.next();
      backend = row.getLong(1);
    } catch (SQLException e) {
      return OptionalLong.empty();
    }
    // The backend's process here must be a PostgreSQL backend: the same pid on another host's
    // server would be some unrelated process of this one.
    String[] stat = stat(backend);
    if (stat == null || !stat[1].startsWith("(postgres")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(stat[3]));
  }

  private static long serverTicks(long postmaster) {
    String[] own = stat(postmaster);
    if (own == null) {
      return -1;
    }
    long ticks = field(own, 13) + field(own, 14) + field(own, 15) + field(own, 16);
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      ticks +=
          processes
              .map(p -> p.getFileName().toString())
              .filter(name -> name.chars().allMatch(Character::isDigit))
              .map(name -> stat(Long.parseLong(name)))
              .filter(s -> s != null && Long.parseLong(s[3]) == postmaster)
              .mapToLong(s -> field(s, 13) + field(s, 14))
              .sum();
    } catch (IOException e) {
      return -1;
    }
    return ticks;
  }

  /**
   * /proc/PID/stat split into fields, the command (field 2, in parentheses, may hold spaces) kept
   * whole; null when the process is gone or this is not Linux.
   */
  private static String[] stat(long pid) {
    return stat(Path.of("/proc", Long.toString(pid), "stat"));
  }

  private static String[] stat(Path file) {
    String line;
    try {
      line = Files.readString(file);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open) {
      return null;
    }
    String[] rest = line.substring(close + 2).trim().split(" ");
    String[] fields = new String[rest.length + 2];
    fields[0] = line.substring(0, open).trim();
    fields[1] = line.substring(open, close + 1);
    System.arraycopy(rest, 0, fields, 2, rest.length);
    return fields;
  }

  private static long field(String[] stat, int index) {
    return index < stat.length ? Long.parseLong(stat[index]) : 0;
  }
}
