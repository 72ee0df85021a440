package com.closeout.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sleeps 5 ms at a time on a thread of its own while a phase runs and records every wake that came
 * {@link #STALL_NANOS} or more late. The thread first raises itself to real-time priority where the
 * machine lets it (Linux's {@code chrt}, as root or with {@code CAP_SYS_NICE}): a real-time thread
 * runs as soon as it is due, whatever else is runnable, so a late wake of it is a stall of the
 * whole machine — the hypervisor took the CPU away, or the kernel held it — and not a queue on busy
 * cores. A wake that was late while the JVM collected is the collector's pause, and is told apart.
 * Without real-time priority the late wakes include queueing on the cores, and the report says
 * which it was. Session 18 saw a real-time thread on the bench's two-core VM wake 81 ms late in the
 * middle of an open loop at 400/s; the 120 cases in flight around it made that run's p99.
 */
public final class MachineStallProbe implements AutoCloseable {
  /** Long enough that the probe costs the phase next to nothing (200 short wakes a second). */
  static final long SLEEP_NANOS = 5_000_000L;

  /** Late by this much, a wake is a stall: well above the few milliseconds a timer may slip. */
  static final long STALL_NANOS = 10_000_000L;

  private static final int REAL_TIME_PRIORITY = 50;

  private final Thread prober;
  private final CountDownLatch raised = new CountDownLatch(1);
  private final List<Stall> stalls = new ArrayList<>();
  private volatile boolean running = true;
  private volatile boolean realTime;
  private volatile long nativeThreadId = -1;
  private volatile long wakes;

  private MachineStallProbe() {
    this.prober = new Thread(this::probe, "closeout-bench-stall-probe");
    prober.setDaemon(true);
    prober.start();
  }

  /** A running probe; returns once its thread has tried to raise its priority. */
  public static MachineStallProbe start() throws InterruptedException {
    MachineStallProbe probe = new MachineStallProbe();
    probe.raised.await(10, TimeUnit.SECONDS);
    return probe;
  }

  private void probe() {
    try {
      nativeThreadId = nativeThreadIdOfThisThread();
      realTime = nativeThreadId > 0 && raiseToRealTime(nativeThreadId);
    } finally {
      raised.countDown();
    }
    List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    long collections = collections(collectors);
    while (running) {
      long asleep = System.nanoTime();
      LockSupport.parkNanos(SLEEP_NANOS);
      long awake = System.nanoTime();
      long collectionsNow = collections(collectors);
      long late = awake - asleep - SLEEP_NANOS;
      if (late >= STALL_NANOS) {
        synchronized (stalls) {
          stalls.add(new Stall(asleep + SLEEP_NANOS, awake, collectionsNow != collections));
        }
      }
      collections = collectionsNow;
      wakes++;
    }
  }

  private static long collections(List<GarbageCollectorMXBean> collectors) {
    long sum = 0;
    for (GarbageCollectorMXBean collector : collectors) {
      sum += Math.max(0, collector.getCollectionCount());
    }
    return sum;
  }

  /** The kernel's id of the calling thread (Linux), or -1. */
  static long nativeThreadIdOfThisThread() {
    try {
      // "<pid>/task/<tid>"
      String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
      return Long.parseLong(self.substring(self.lastIndexOf('/') + 1));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean raiseToRealTime(long threadId) {
    try {
      Process chrt =
          new ProcessBuilder(
                  "chrt", "-f", "-p", Integer.toString(REAL_TIME_PRIORITY), Long.toString(threadId))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!chrt.waitFor(5, TimeUnit.SECONDS)) {
        chrt.destroyForcibly();
        return false;
      }
      return chrt.exitValue() == 0;
    } catch (IOException | SecurityException e) {
      // No chrt here: the probe runs at normal priority and says so.
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether the probe's thread runs at real-time priority: its late wakes are the machine's. */
  public boolean realTime() {
    return realTime;
  }

  /** The kernel's id of the probe's thread, or -1 where it is not known. */
  long nativeThreadId() {
    return nativeThreadId;
  }

  long wakesSoFar() {
    return wakes;
  }

  /** Stops probing and returns the stalls it saw. */
  public Stalls stop() {
    close();
    synchronized (stalls) {
      return new Stalls(realTime, wakes, stalls);
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      prober.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A wake that came late: due at {@code fromNanos}, awake at {@code toNanos} ({@link
   * System#nanoTime()}).
   *
   * @param duringCollection the JVM collected meanwhile: the pause may be its own
   */
  public record Stall(long fromNanos, long toNanos, boolean duringCollection) {
    public double millis() {
      return (toNanos - fromNanos) / 1e6;
    }

    /** Whether something that began at {@code fromNanos} and ended at {@code toNanos} overlaps. */
    boolean overlaps(long from, long to) {
      return from < toNanos && to > fromNanos;
    }
  }

  /**
   * The stalls beside a phase, and how its measured cases stood to them.
   *
   * @param stalls what the probe saw
   * @param cases the measured cases against the goal's 50 ms
   */
  public record PhaseStalls(Stalls stalls, ClosureTimings.StallShare cases) {}

  /**
   * What a probe saw.
   *
   * @param realTime its thread ran at real-time priority
   * @param wakes how often it woke
   * @param all every late wake, in order
   */
  public record Stalls(boolean realTime, long wakes, List<Stall> all) {
    /** No probe ran. */
    public static final Stalls NONE = new Stalls(false, 0, List.of());

    public Stalls {
      all = List.copyOf(all);
    }

    /** The late wakes that no collection of the JVM explains. */
    public List<Stall> machine() {
      return all.stream().filter(stall -> !stall.duringCollection()).toList();
    }

    public int duringCollections() {
      return all.size() - machine().size();
    }

    public int machineOver(double millis) {
      return (int) machine().stream().filter(stall -> stall.millis() > millis).count();
    }

    public double longestMillis() {
      return machine().stream().mapToDouble(Stall::millis).max().orElse(0);
    }

    public double stalledMillis() {
      return machine().stream().mapToDouble(Stall::millis).sum();
    }
  }
}
