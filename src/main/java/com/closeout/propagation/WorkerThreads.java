package com.closeout.propagation;

import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The worker's threads. Each works due closures until none is due, then sleeps until intake
 * announces a new closure ({@link CloseoutEngine#whenWorkArrives}) or the poll interval passes
 * (retries coming due, closures another instance took in). Several threads claim separate batches,
 * so one batch's commits overlap another's target calls and the store works on more than one
 * connection at a time.
 *
 * <p>An announcement while a thread works a batch it claimed less than {@link #GATHER} ago wakes no
 * other: the working thread claims again when its batch is done and takes everything announced
 * meanwhile, in one batch. Below the load at which claims come back full, one thread works bigger
 * batches instead of two threads working batches of one or two, each paying a whole batch's
 * statements, round trips and commits (decision 0011). The window counts from the batch's claim,
 * not from the poll's start: a thread kept busy batch after batch at a steady load is still about
 * to claim again (decision 0016). An announcement once a batch has taken longer (slow targets)
 * wakes a sleeping thread, so a closure never waits for a long batch while a thread sleeps; so does
 * a claim that came back full ({@link ClaimListener#claimedInFull()}). An announcement left to a
 * working thread makes it poll once more before it sleeps, so an announcement after its last claim
 * is never slept through.
 *
 * <p>Hand-written rather than on a scheduler: "now, when signalled, else after the interval,
 * without losing a signal that arrives while a poll is finishing" is what the loop below does
 * (docs/decisions/0005).
 */
public final class WorkerThreads {
  /**
   * How long an announcement waits for a thread already working rather than waking another. It was
   * about one batch cycle (20 ms); since intake hands its closures over (decision 0023) a thread
   * woken for them takes them without a claim, and half a cycle measured better (decision 0024).
   */
  static final Duration GATHER = Duration.ofMillis(10);

  private final CloseoutEngine engine;
  private final int count;
  private final Duration pollInterval;
  private final String name;
  private final Consumer<RuntimeException> failures;

  /** An announcement no sleeping thread took: the next thread to finish polls again. */
  private final AtomicBoolean wakePending = new AtomicBoolean();

  /** Threads asleep (or about to be) that an announcement may wake. */
  private final Deque<Thread> sleeping = new ConcurrentLinkedDeque<>();

  /** Threads inside a poll: while one is, an announcement waits for it. */
  private final AtomicInteger working = new AtomicInteger();

  /** When the latest poll or claim began ({@link #nanoTime}): the batch a thread works. */
  private final AtomicLong latestBatchBegan = new AtomicLong();

  /** What a working thread tells of its claims: each begins a batch; a full one wakes another. */
  private final ClaimListener claims =
      new ClaimListener() {
        @Override
        public void claiming() {
          latestBatchBegan.set(nanoTime.getAsLong());
        }

        @Override
        public void claimedInFull() {
          wakeAnother();
        }
      };

  private final LongSupplier nanoTime;

  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile boolean running;
  private boolean listening;

  /**
   * @param count worker threads, each claiming its own batches
   * @param pollInterval longest sleep when nothing is due and no signal came
   * @param failures told of a poll that failed; the thread sleeps one interval, then polls again
   */
  public WorkerThreads(
      CloseoutEngine engine,
      int count,
      Duration pollInterval,
      String name,
      Consumer<RuntimeException> failures) {
    this(engine, count, pollInterval, name, failures, System::nanoTime);
  }

  /** As above, with the clock that says how long a thread has been working (tests). */
  WorkerThreads(
      CloseoutEngine engine,
      int count,
      Duration pollInterval,
      String name,
      Consumer<RuntimeException> failures,
      LongSupplier nanoTime) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one worker thread");
    }
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("the poll interval must be positive");
    }
    this.engine = engine;
    this.count = count;
    this.pollInterval = pollInterval;
    this.name = name;
    this.failures = failures;
    this.nanoTime = nanoTime;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    if (!listening) {
      engine.whenWorkArrives(this::wake);
      listening = true;
    }
    // Intake may lease to these threads from now on: they drain what it hands over.
    engine.openIntakeHandOff();
    for (int i = 1; i <= count; i++) {
      Thread thread = new Thread(this::loop, name + "-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /**
   * Work may be due: a thread working a batch claimed less than {@link #GATHER} ago claims again
   * when it is done; otherwise one sleeping thread polls at once.
   */
  public void wake() {
    if (working.get() > 0 && nanoTime.getAsLong() - latestBatchBegan.get() < GATHER.toNanos()) {
      wakePending.set(true);
      // The working thread may have finished between the look and the mark, found nothing pending
      // and gone to sleep: with none working, the mark alone would wait out a poll interval. Taken
      // back first, so a thread that did see it does not poll twice for one announcement.
      if (working.get() == 0 && wakePending.getAndSet(false)) {
        wakeAnother();
      }
    } else {
      wakeAnother();
    }
  }

  /** More is due than the threads working take: one sleeping thread polls at once. */
  private void wakeAnother() {
    Thread sleeper = sleeping.poll();
    if (sleeper != null) {
      LockSupport.unpark(sleeper);
    } else {
      wakePending.set(true);
    }
  }

  /**
   * Lets each thread finish the batch it is working (a step in flight commits its progress) and
   * waits for them, at most {@code grace} each; never interrupts a target call. Closures intake
   * handed over that no thread took are given back to the claims.
   *
   * @return true when every thread ended within the grace
   */
  public synchronized boolean stop(Duration grace) throws InterruptedException {
    if (!running) {
      return true;
    }
    running = false;
    threads.forEach(LockSupport::unpark);
    boolean ended = true;
    for (Thread thread : threads) {
      thread.join(grace.toMillis());
      ended &= !thread.isAlive();
    }
    threads.clear();
    // What intake leased to them and no thread took goes back to the claims at once, instead of
    // waiting out its lease; a thread still ending takes nothing of it (each is taken once). A
    // store
    // that refuses now only delays them: their leases run out and the sweep gives them back.
    try {
      engine.closeIntakeHandOff();
    } catch (RuntimeException e) {
      failures.accept(e);
    }
    return ended;
  }

  public boolean isRunning() {
    return running;
  }

  private void loop() {
    Thread self = Thread.currentThread();
    boolean poll = true;
    while (running) {
      boolean failed = false;
      if (poll) {
        working.incrementAndGet();
        latestBatchBegan.set(nanoTime.getAsLong());
        try {
          // Its last claim found nothing due: there is nothing more to poll for unless work is
          // announced (or claimed in full elsewhere) meanwhile.
          engine.runDue(claims);
        } catch (RuntimeException e) {
          failed = true;
          failures.accept(e);
        } finally {
          // Before the pending announcement is read below: one made from here on either finds no
          // thread working and wakes a sleeper, or is pending.
          working.decrementAndGet();
        }
      }
      if (!running) {
        return;
      }
      // Listed before the pending announcement is read: an announcement made in between either
      // finds this thread in the list (and unparks it) or is pending here. A pending announcement
      // is left to a thread still working: it polls again when done.
      sleeping.add(self);
      boolean parked = failed || working.get() > 0 || !wakePending.getAndSet(false);
      if (parked) {
        LockSupport.parkNanos(pollInterval.toNanos());
      }
      // Still listed after parking: the interval ran out, no one woke it. While another thread
      // works, that one claims whatever is due when its batch is done: this one sleeps on.
      boolean intervalRanOut = sleeping.remove(self) && parked;
      poll = !(intervalRanOut && working.get() > 0);
    }
  }
}
