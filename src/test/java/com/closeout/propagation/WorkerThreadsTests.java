package com.closeout.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

class WorkerThreadsTests {
  private static final Duration AN_HOUR = Duration.ofHours(1);

  private final CloseoutEngine engine = mock(CloseoutEngine.class);
  private final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
  private WorkerThreads threads;

  @AfterEach
  void stop() throws InterruptedException {
    if (threads != null) {
      threads.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void intakeAnnouncingWorkWakesASleepingThreadAtOnce() {
    AtomicInteger polls = new AtomicInteger();
    when(engine.runDue(any()))
        .thenAnswer(
            call -> {
              polls.incrementAndGet();
              return 0;
            });
    threads = new WorkerThreads(engine, 1, AN_HOUR, "test-worker", failures::add);

    threads.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() == 1);
    ArgumentCaptor<Runnable> listener = ArgumentCaptor.forClass(Runnable.class);
    verify(engine).whenWorkArrives(listener.capture());
    listener.getValue().run();

    await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() == 2);
  }

  @Test
  void intakeHandsOverOnlyWhileTheThreadsRunAndWhatNoThreadTookIsGivenBackOnceTheyEnded()
      throws Exception {
    CountDownLatch polled = new CountDownLatch(1);
    when(engine.runDue(any()))
        .thenAnswer(
            call -> {
              polled.countDown();
              return 0;
            });
    threads = new WorkerThreads(engine, 2, AN_HOUR, "test-worker", failures::add);

    threads.start();
    assertThat(polled.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(threads.stop(Duration.ofSeconds(5))).isTrue();

    InOrder order = inOrder(engine);
    order.verify(engine).openIntakeHandOff();
    order.verify(engine, atLeastOnce()).runDue(any());
    order.verify(engine).closeIntakeHandOff();
  }

  @Test
  void aSignalThatArrivesWhileAPollFinishesIsNotSleptThrough() throws Exception {
    // The first poll has found nothing due and is about to return when the signal comes.
    HeldPoll held = holdThePoll(1);
    threads = new WorkerThreads(engine, 1, AN_HOUR, "test-worker", failures::add);

    threads.start();
    assertThat(held.reached().await(5, TimeUnit.SECONDS)).isTrue();
    threads.wake();
    held.release().countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> held.polls().get() >= 2);
  }

  @Test
  void eachThreadClaimsBatchesOfItsOwnAtTheSameTime() {
    CyclicBarrier bothPolling = new CyclicBarrier(2);
    AtomicInteger met = new AtomicInteger();
    when(engine.runDue(any()))
        .thenAnswer(
            call -> {
              if (met.get() == 0) {
                bothPolling.await(5, TimeUnit.SECONDS);
                met.incrementAndGet();
              }
              return 0;
            });
    threads = new WorkerThreads(engine, 2, AN_HOUR, "test-worker", failures::add);

    threads.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> met.get() == 2);
    assertThat(failures).isEmpty();
  }

  @Test
  void aFailedPollIsReportedAndPollingGoesOnAfterTheInterval() {
    AtomicInteger polls = new AtomicInteger();
    when(engine.runDue(any()))
        .thenAnswer(
            call -> {
              if (polls.incrementAndGet() <= 2) {
                throw new IllegalStateException("store hiccup");
              }
              return 0;
            });
    threads = new WorkerThreads(engine, 1, Duration.ofMillis(20), "test-worker", failures::add);

    threads.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() >= 4);
    assertThat(failures).hasSize(2).allMatch(e -> e.getMessage().equals("store hiccup"));
  }

  @Test
  void stoppingLetsTheBatchInFlightFinish() throws Exception {
    CountDownLatch working = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    when(engine.runDue(any()))
        .thenAnswer(
            call -> {
              working.countDown();
              Thread.sleep(200);
              finished.incrementAndGet();
              return 1;
            });
    threads = new WorkerThreads(engine, 1, AN_HOUR, "test-worker", failures::add);
    threads.start();
    assertThat(working.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(threads.stop(Duration.ofSeconds(5))).isTrue();

    assertThat(finished.get()).isPositive();
    assertThat(threads.isRunning()).isFalse();
    verify(engine).whenWorkArrives(any());
  }

  @Test
  void anAnnouncementWakesOneSleepingThreadNotEveryOne() {
    AtomicInteger polls = new AtomicInteger();
    when(engine.runDue(any()))
        .thenAnswer(
            call -> {
              polls.incrementAndGet();
              return 0;
            });
    threads = new WorkerThreads(engine, 3, AN_HOUR, "test-worker", failures::add);
    threads.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() == 3);

    threads.wake();

    reachesAndStays(polls, 4);
  }

  @Test
  void aThreadThatClaimedAFullBatchWakesAnother() {
    AtomicInteger polls = new AtomicInteger();
    when(engine.runDue(any()))
        .thenAnswer(
            call -> {
              // The fourth poll (after the start's three and the announcement's first) found a
              // full batch.
              if (polls.incrementAndGet() == 4) {
                call.getArgument(0, ClaimListener.class).claimedInFull();
              }
              return 0;
            });
    threads = new WorkerThreads(engine, 3, AN_HOUR, "test-worker", failures::add);
    threads.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() == 3);

    threads.wake();

    reachesAndStays(polls, 5);
  }

  @Test
  void anAnnouncementWhileAThreadWorksWakesNoOtherAndThatThreadPollsOnceMoreWhenDone()
      throws Exception {
    HeldPoll held = holdTheThirdPoll();
    // The clock stands still: the working thread stays within the gather window however long.
    threads = new WorkerThreads(engine, 2, AN_HOUR, "test-worker", failures::add, () -> 0L);
    threads.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> held.polls().get() == 2);
    threads.wake();
    assertThat(held.reached().await(5, TimeUnit.SECONDS)).isTrue();

    // Two more announcements while the woken thread works: the other one sleeps on.
    threads.wake();
    threads.wake();
    reachesAndStays(held.polls(), 3);
    held.release().countDown();

    reachesAndStays(held.polls(), 4);
  }

  @Test
  void anAnnouncementWhoseWorkingThreadFinishesMeanwhileStillWakesIt() throws Exception {
    HeldPoll held = holdThePoll(1);
    Thread announcer = Thread.currentThread();
    // The announcement has seen the thread working (within the gather window) when the thread
    // finishes its poll, finds nothing pending and goes to sleep: only then is it marked pending.
    LongSupplier clock =
        () -> {
          if (Thread.currentThread() == announcer) {
            held.release().countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> sleeps("test-worker-1"));
          }
          return 0L;
        };
    threads = new WorkerThreads(engine, 1, AN_HOUR, "test-worker", failures::add, clock);
    threads.start();
    assertThat(held.reached().await(5, TimeUnit.SECONDS)).isTrue();

    threads.wake();

    reachesAndStays(held.polls(), 2);
  }

  @Test
  void anAnnouncementOnceAThreadHasWorkedLongerThanTheGatherWindowWakesAnother() throws Exception {
    AtomicLong nanos = new AtomicLong();
    HeldPoll held = holdTheThirdPoll();
    holdsTheThirdPollWithAnAnnouncementLeftToIt(held, nanos::get);

    // The working thread's batch has taken longer than the window (slow targets).
    nanos.addAndGet(WorkerThreads.GATHER.toNanos());
    threads.wake();

    reachesAndStays(held.polls(), 4);
    held.release().countDown();
  }

  @Test
  void anAnnouncementWhileAThreadWorksABatchClaimedWithinTheWindowWakesNoOtherHoweverLongItPolled()
      throws Exception {
    AtomicLong nanos = new AtomicLong();
    HeldPoll held =
        holdThePoll(
            3,
            claims -> {
              // A steady load: one batch took the whole window, the next was claimed just now.
              claims.claiming();
              nanos.addAndGet(WorkerThreads.GATHER.toNanos());
              claims.claiming();
            });
    holdsTheThirdPollWithAnAnnouncementLeftToIt(held, nanos::get);

    // This batch too has now taken longer than the window.
    nanos.addAndGet(WorkerThreads.GATHER.toNanos());
    threads.wake();
    reachesAndStays(held.polls(), 4);
    held.release().countDown();
  }

  @Test
  void aThreadWhoseIntervalRunsOutWhileAnotherWorksSleepsOnAndPollsAgainOnceNoneWorks()
      throws Exception {
    HeldPoll held = holdTheThirdPoll();
    threads =
        new WorkerThreads(engine, 2, Duration.ofMillis(20), "test-worker", failures::add, () -> 0L);
    threads.start();
    assertThat(held.reached().await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50);
    int whileWorking = held.polls().get();

    // Fifteen intervals of the other thread pass while the third poll works, and an announcement
    // comes: it is the working thread's to take when it is done.
    threads.wake();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(1))
        .until(() -> held.polls().get() == whileWorking);
    held.release().countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> held.polls().get() >= whileWorking + 4);
  }

  @Test
  void aThreadWhosePollWorkedSleepsWhenNothingWasAnnouncedMeanwhile() {
    AtomicInteger polls = new AtomicInteger();
    when(engine.runDue(any()))
        .thenAnswer(
            call -> {
              polls.incrementAndGet();
              // Its last claim found nothing more due.
              return 5;
            });
    threads = new WorkerThreads(engine, 1, AN_HOUR, "test-worker", failures::add);

    threads.start();

    reachesAndStays(polls, 1);
  }

  /** Polls counted; one of them waits inside the engine until released. */
  private record HeldPoll(AtomicInteger polls, CountDownLatch reached, CountDownLatch release) {}

  private HeldPoll holdTheThirdPoll() {
    return holdThePoll(3);
  }

  private HeldPoll holdThePoll(int which) {
    return holdThePoll(which, claims -> {});
  }

  /** As above; the held poll first tells its claims to the threads. */
  private HeldPoll holdThePoll(int which, Consumer<ClaimListener> claimsBeforeHolding) {
    HeldPoll held = new HeldPoll(new AtomicInteger(), new CountDownLatch(1), new CountDownLatch(1));
    when(engine.runDue(any()))
        .thenAnswer(
            call -> {
              if (held.polls().incrementAndGet() == which) {
                claimsBeforeHolding.accept(call.getArgument(0, ClaimListener.class));
                held.reached().countDown();
                held.release().await(5, TimeUnit.SECONDS);
              }
              return 0;
            });
    return held;
  }

  /**
   * Two threads on {@code clock}: both poll at the start, an announcement wakes one into the held
   * third poll, and one more announcement, left to it, wakes no other.
   */
  private void holdsTheThirdPollWithAnAnnouncementLeftToIt(HeldPoll held, LongSupplier clock)
      throws InterruptedException {
    threads = new WorkerThreads(engine, 2, AN_HOUR, "test-worker", failures::add, clock);
    threads.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> held.polls().get() == 2);
    threads.wake();
    assertThat(held.reached().await(5, TimeUnit.SECONDS)).isTrue();
    threads.wake();
    reachesAndStays(held.polls(), 3);
  }

  /** The named thread is parked between two polls (not in a poll). */
  private static boolean sleeps(String threadName) {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(thread -> thread.getKey().getName().equals(threadName))
        .anyMatch(thread -> parksIn(thread.getValue(), WorkerThreads.class));
  }

  private static boolean parksIn(StackTraceElement[] stack, Class<?> caller) {
    for (int i = 0; i + 1 < stack.length; i++) {
      if (stack[i].getClassName().equals(LockSupport.class.getName())
          && stack[i].getMethodName().equals("parkNanos")
          && stack[i + 1].getClassName().equals(caller.getName())) {
        return true;
      }
    }
    return false;
  }

  /** The polls reach {@code count} and no thread polls again for a while after. */
  private static void reachesAndStays(AtomicInteger polls, int count) {
    await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() == count);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(1))
        .until(() -> polls.get() == count);
  }
}
