package com.closeout.bench;

import com.closeout.domain.ClosureKey;
import com.closeout.domain.EscalationId;
import com.closeout.domain.Step;
import com.closeout.propagation.StepCommitListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each case's event was due and when its coordinator notice landed (wall clock, {@link
 * System#nanoTime()}), for cases {@code first .. first+count-1} of one run. With a window, at most
 * that many cases are in flight (closed loop: a case is due when an earlier one has its notice);
 * without, events are due on their own schedule (open loop), and a case's latency counts from its
 * scheduled time, so the time it waited for the sender (held up by the intake of the cases before
 * it) counts too: no coordinated omission. Marks on the way — handed to intake, intake answered,
 * the syncs' results committed, the completion record committed — split each case's latency into
 * {@link Leg legs}, so a slow tail can be pinned to a part of the pipeline.
 */
public final class ClosureTimings {
  private final BenchCases cases;
  private final int first;
  private final int count;
  private final AtomicLongArray due;
  private final AtomicLongArray handed;
  private final AtomicLongArray noticed;
  private final AtomicLongArray accepted;
  private final AtomicLongArray syncsCommitted;
  private final AtomicLongArray recordCommitted;
  private final Semaphore window;
  private final CountDownLatch outstanding;
  // Wall-clock time of nanoTime 0, so a trace's marks line up with other logs (GC, PostgreSQL).
  private final long epochNanosAtZero = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

  /**
   * @param window most cases in flight at once; 0 for no limit
   */
  public ClosureTimings(BenchCases cases, int first, int count, int window) {
    if (count < 1 || first < 0 || window < 0) {
      throw new IllegalArgumentException("count must be positive, first and window not negative");
    }
    this.cases = cases;
    this.first = first;
    this.count = count;
    this.due = new AtomicLongArray(count);
    this.handed = new AtomicLongArray(count);
    this.noticed = new AtomicLongArray(count);
    this.accepted = new AtomicLongArray(count);
    this.syncsCommitted = new AtomicLongArray(count);
    this.recordCommitted = new AtomicLongArray(count);
    this.window = window == 0 ? null : new Semaphore(window);
    this.outstanding = new CountDownLatch(count);
  }

  /** Waits for a free slot in the window, then stamps the case as due and sent now. */
  public void sending(int index) throws InterruptedException {
    if (window != null) {
      window.acquire();
    }
    long now = System.nanoTime();
    due.set(index - first, now);
    handed.set(index - first, now);
  }

  /**
   * Open loop: stamps the case as due at {@code dueNanos} (its place in the schedule, {@link
   * System#nanoTime()}) and sent now; latency counts from when it was due.
   */
  public void sendingScheduled(int index, long dueNanos) {
    if (window != null) {
      throw new IllegalStateException("a closed loop has no schedule");
    }
    due.set(index - first, dueNanos);
    handed.set(index - first, System.nanoTime());
  }

  /**
   * Closed loop: waits for one free slot, takes as many more as are free now (at most {@code most}
   * in all), and stamps that many cases from {@code index} on as sent.
   *
   * @return how many cases were stamped
   */
  public int sendingReady(int index, int most) throws InterruptedException {
    if (window == null) {
      throw new IllegalStateException("only a closed loop has a window");
    }
    window.acquire();
    int taken = 1;
    while (taken < most && window.tryAcquire()) {
      taken++;
    }
    long now = System.nanoTime();
    for (int k = 0; k < taken; k++) {
      due.set(index + k - first, now);
      handed.set(index + k - first, now);
    }
    return taken;
  }

  /** Intake answered for the case: its closure is durable and due. */
  public void accepted(int index) {
    accepted.compareAndSet(index - first, 0, System.nanoTime());
  }

  /**
   * Stamps each case's step commits as the engine announces them: the ledger sync (the last step of
   * the first phase: both syncs' results committed) and the completion record (the archive links'
   * and the queue's results committed with it).
   */
  public StepCommitListener stepCommits() {
    return this::stepCommitted;
  }

  private void stepCommitted(ClosureKey closure, Step step) {
    AtomicLongArray marks =
        switch (step) {
          case LEDGER_SYNC -> syncsCommitted;
          case COMPLETION_RECORD -> recordCommitted;
          default -> null;
        };
    int index = cases.indexOf(closure.escalationId()) - first;
    if (marks != null && index >= 0 && index < count) {
      marks.compareAndSet(index, 0, System.nanoTime());
    }
  }

  /** A notice landed: the first one of a case of this range stamps it and frees its slot. */
  public void noticed(EscalationId escalation) {
    long now = System.nanoTime();
    int index = cases.indexOf(escalation) - first;
    if (index < 0 || index >= count || !noticed.compareAndSet(index, 0, now)) {
      return;
    }
    if (window != null) {
      window.release();
    }
    outstanding.countDown();
  }

  /**
   * Writes every case's marks as CSV, one line a case in sending order: the wall-clock time it was
   * due (epoch milliseconds, to line up with GC and PostgreSQL logs) and, in milliseconds after
   * that, handed to intake, intake answered, the syncs' commit, the completion record's commit and
   * the notice (empty where a case has no such mark). A slow tail shows here as the cases it hit,
   * when, and in which leg.
   */
  public void writeTrace(Path file) throws IOException {
    StringBuilder csv =
        new StringBuilder(
            "case,due_epoch_ms,handed_ms,intake_ms,syncs_commit_ms,record_commit_ms,notice_ms\n");
    for (int i = 0; i < count; i++) {
      long dueAt = due.get(i);
      csv.append(first + i)
          .append(',')
          .append(String.format(Locale.ROOT, "%.3f", (dueAt + epochNanosAtZero) / 1e6));
      for (AtomicLongArray marks :
          List.of(handed, accepted, syncsCommitted, recordCommitted, noticed)) {
        long at = marks.get(i);
        csv.append(',');
        if (at != 0 && dueAt != 0) {
          csv.append(String.format(Locale.ROOT, "%.3f", (at - dueAt) / 1e6));
        }
      }
      csv.append('\n');
    }
    Files.writeString(file, csv);
  }

  /** Waits until every case has its notice; false when the time ran out first. */
  public boolean awaitAll(Duration timeout) throws InterruptedException {
    return outstanding.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  public long noticedSoFar() {
    return count - outstanding.getCount();
  }

  /**
   * Throughput between the warm-up's last notice and the last notice; latency percentiles of the
   * cases due after the warm-up. The warm-up leaves out at least {@code warmup} cases and every
   * case whose notice landed within {@code warmupTime} of the first send (the JIT compiles for the
   * first seconds of a run, and on two cores it takes CPU from the pipeline and the database
   * alike), but never more than half the cases: a run too short for its warm-up says so ({@link
   * Figures#warmupCut}).
   */
  public Figures figures(int warmup, Duration warmupTime) {
    Warmup left = warmup(warmup, warmupTime);
    long firstDue = left.firstDue();
    boolean cut = left.cut();
    int skip = left.skip();
    long[] landed = new long[count];
    long[] latencies = new long[count - skip];
    for (int i = 0; i < count; i++) {
      landed[i] = noticed.get(i);
      if (i >= skip) {
        latencies[i - skip] = noticed.get(i) - due.get(i);
      }
    }
    Arrays.sort(landed);
    Arrays.sort(latencies);
    double perSecond;
    double seconds;
    if (count - skip >= 2 && landed[count - 1] > landed[skip]) {
      seconds = (landed[count - 1] - landed[skip]) / 1e9;
      perSecond = (count - skip - 1) / seconds;
    } else {
      seconds = Math.max(1, landed[count - 1] - firstDue) / 1e9;
      perSecond = count / seconds;
    }
    return new Figures(
        count,
        count - skip,
        perSecond,
        seconds,
        percentile(latencies, 50) / 1e6,
        percentile(latencies, 99) / 1e6,
        cut,
        legs(skip));
  }

  /**
   * The cases {@link #figures} leaves out as the warm-up, from the first in sending order.
   *
   * @param firstDue when the first case was due
   * @param cut the warm-up time would have left fewer than half the cases
   */
  private record Warmup(long firstDue, int skip, boolean cut) {}

  private Warmup warmup(int warmup, Duration warmupTime) {
    if (noticedSoFar() < count) {
      throw new IllegalStateException("not every case has its notice yet");
    }
    long firstDue = Long.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      firstDue = Math.min(firstDue, due.get(i));
    }
    int warm = 0;
    for (int i = 0; i < count; i++) {
      if (noticed.get(i) - firstDue < warmupTime.toNanos()) {
        warm++;
      }
    }
    int wanted = Math.max(warmup, warm);
    boolean cut = wanted > count / 2 && warm > warmup;
    return new Warmup(firstDue, Math.max(0, Math.min(cut ? count / 2 : wanted, count - 2)), cut);
  }

  /**
   * Of the cases {@link #figures} measures with the same warm-up, those slower than {@code
   * slowMillis}, how many of them were in flight (due before a stall ended, noticed after it began)
   * while one of {@code stalls} lasted, and the p99 of the cases in flight during none. A case held
   * up only by the backlog a stall left behind counts as outside it: the share is a floor.
   */
  public StallShare duringStalls(
      List<MachineStallProbe.Stall> stalls, int warmup, Duration warmupTime, double slowMillis) {
    int skip = warmup(warmup, warmupTime).skip();
    long slowNanos = (long) (slowMillis * 1e6);
    int slow = 0;
    int slowInStalls = 0;
    long[] outside = new long[count - skip];
    int outsideCount = 0;
    for (int i = skip; i < count; i++) {
      long from = due.get(i);
      long to = noticed.get(i);
      boolean inStall = false;
      for (MachineStallProbe.Stall stall : stalls) {
        if (stall.overlaps(from, to)) {
          inStall = true;
          break;
        }
      }
      if (to - from > slowNanos) {
        slow++;
        if (inStall) {
          slowInStalls++;
        }
      }
      if (!inStall) {
        outside[outsideCount++] = to - from;
      }
    }
    long[] sorted = Arrays.copyOf(outside, outsideCount);
    Arrays.sort(sorted);
    return new StallShare(
        count - skip,
        slow,
        slowInStalls,
        outsideCount,
        outsideCount == 0 ? Double.NaN : percentile(sorted, 99) / 1e6);
  }

  /**
   * How the measured cases of a phase stood to the machine's stalls.
   *
   * @param measured cases measured
   * @param slow cases slower than the threshold asked for
   * @param slowInStalls of them, those in flight while a stall lasted
   * @param outside cases in flight during no stall
   * @param p99OutsideMillis their p99; NaN when there are none
   */
  public record StallShare(
      int measured, int slow, int slowInStalls, int outside, double p99OutsideMillis) {}

  /**
   * The legs of the measured cases that have every mark (a case retried or stopped on the way
   * misses some); none when no case has them all (a run without the engine's announcements).
   */
  private List<Leg> legs(int skip) {
    AtomicLongArray[] marks = {due, handed, accepted, syncsCommitted, recordCommitted, noticed};
    String[] names = {
      "to the sender",
      "intake",
      "to the syncs' commit",
      "to the completion record's commit",
      "to the notice"
    };
    List<long[]> complete = new ArrayList<>();
    for (int i = skip; i < count; i++) {
      long[] times = new long[marks.length];
      boolean all = true;
      for (int m = 0; m < marks.length; m++) {
        times[m] = marks[m].get(i);
        all &= times[m] != 0;
      }
      if (all) {
        // The sender stamps "handed" and "intake answered" on its own thread, after the fact: when
        // it is descheduled, the worker may announce the syncs' commit first. What happened
        // cannot be later than what came after it, so a late stamp is pulled back to the next.
        for (int m = marks.length - 2; m >= 1; m--) {
          times[m] = Math.min(times[m], times[m + 1]);
        }
        complete.add(times);
      }
    }
    List<Leg> legs = new ArrayList<>();
    if (complete.isEmpty()) {
      return legs;
    }
    for (int m = 1; m < marks.length; m++) {
      long[] durations = new long[complete.size()];
      for (int c = 0; c < durations.length; c++) {
        durations[c] = complete.get(c)[m] - complete.get(c)[m - 1];
      }
      Arrays.sort(durations);
      legs.add(
          new Leg(
              names[m - 1],
              durations.length,
              percentile(durations, 50) / 1e6,
              percentile(durations, 99) / 1e6));
    }
    return legs;
  }

  /** Nearest rank. */
  static long percentile(long[] sorted, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /**
   * @param closures cases run
   * @param measured cases counted after the warm-up
   * @param seconds the time the throughput was measured over
   * @param warmupCut the warm-up time would have left fewer than half the cases: the figures
   *     include part of the warm-up (run more cases)
   * @param legs where the measured cases' time went, in order from event to notice
   */
  public record Figures(
      int closures,
      int measured,
      double closuresPerSecond,
      double seconds,
      double p50Millis,
      double p99Millis,
      boolean warmupCut,
      List<Leg> legs) {
    public Figures {
      legs = List.copyOf(legs);
    }
  }

  /**
   * One leg of the way from event to notice: {@code to the sender} (open loop: from the case's
   * scheduled time until the sender handed it over, i.e. waiting for the intake of the cases before
   * it; 0 in a closed loop), {@code intake} (the intake transaction), {@code to the syncs' commit}
   * (waiting for a worker, the claim, verification, the syncs' prior values and writes), {@code to
   * the completion record's commit} (the archive links and the queue), {@code to the notice}.
   *
   * @param cases measured cases with every mark
   */
  public record Leg(String name, int cases, double p50Millis, double p99Millis) {}
}
