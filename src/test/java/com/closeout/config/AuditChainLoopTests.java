package com.closeout.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.closeout.audit.AuditEntry;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;
import com.closeout.domain.ClosureKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuditChainLoopTests {

  @Test
  void aPassChainsEverythingPendingAndReclaimsTheRoomOnlyEverySoManyEntries() {
    PendingEntries audit = new PendingEntries();
    AuditChainLoop loop = new AuditChainLoop(audit, Duration.ofSeconds(1), true);

    audit.add(AuditChainLoop.RECLAIM_AFTER - 1);
    assertThat(loop.passOnce()).isEqualTo(AuditChainLoop.RECLAIM_AFTER - 1);
    assertThat(audit.reclaims.get()).isZero();

    audit.add(1);
    assertThat(loop.passOnce()).isEqualTo(1);
    assertThat(audit.reclaims.get()).isEqualTo(1);

    audit.add(5);
    assertThat(loop.passOnce()).isEqualTo(5);
    assertThat(audit.reclaims.get()).isEqualTo(1);
    assertThat(audit.pending()).isZero();
  }

  @Test
  void aFailedPassLinksNothingAndTheNextOneChainsWhatWaited() {
    PendingEntries audit = new PendingEntries();
    AuditChainLoop loop = new AuditChainLoop(audit, Duration.ofSeconds(1), true);
    audit.add(3);
    audit.failNext = true;

    assertThat(loop.passOnce()).isZero();
    assertThat(audit.pending()).isEqualTo(3);
    assertThat(loop.passOnce()).isEqualTo(3);
  }

  @Test
  void runningItChainsEntriesAsTheyComeAndStoppingChainsWhatIsLeft() throws Exception {
    PendingEntries audit = new PendingEntries();
    AuditChainLoop loop = new AuditChainLoop(audit, Duration.ofMillis(10), true);
    loop.start();
    try {
      audit.add(7);
      await().atMost(5, TimeUnit.SECONDS).until(() -> audit.pending() == 0);
      assertThat(loop.isRunning()).isTrue();
    } finally {
      loop.stop();
    }
    assertThat(loop.isRunning()).isFalse();
    audit.add(2);
    loop.stop(); // stopped already: nothing more
    assertThat(audit.pending()).isEqualTo(2);
  }

  @Test
  void stoppingChainsWhatCameAfterTheLastScheduledPass() throws Exception {
    PendingEntries audit = new PendingEntries();
    AuditChainLoop loop = new AuditChainLoop(audit, Duration.ofHours(1), true);
    audit.add(2);
    loop.start();
    // The first pass runs at once; the next would be an hour away.
    await().atMost(5, TimeUnit.SECONDS).until(() -> audit.pending() == 0);
    audit.add(3);

    loop.stop();

    assertThat(audit.pending()).isZero();
  }

  @Test
  void stoppingWhileAPassIsUnderWayWaitsForItWithoutDeadlock() throws Exception {
    PendingEntries audit = new PendingEntries();
    CountDownLatch inPass = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    audit.duringPass =
        () -> {
          inPass.countDown();
          try {
            release.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    AuditChainLoop loop = new AuditChainLoop(audit, Duration.ofMillis(10), true);
    loop.start();
    assertThat(inPass.await(5, TimeUnit.SECONDS)).isTrue();
    audit.duringPass = () -> {};
    audit.add(4);

    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                return;
              }
              release.countDown();
            });
    releaser.start();
    long began = System.nanoTime();
    loop.stop();

    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
    assertThat(audit.pending()).isZero();
  }

  /** Counts of pending entries standing in for the store: chaining takes them all. */
  private static final class PendingEntries implements AuditTrail {
    private final Deque<Long> pending = new ArrayDeque<>();
    final AtomicInteger reclaims = new AtomicInteger();
    volatile boolean failNext;
    volatile Runnable duringPass = () -> {};

    synchronized void add(long count) {
      for (long i = 0; i < count; i++) {
        pending.add(i);
      }
    }

    @Override
    public int chainPending(int limit) {
      duringPass.run();
      synchronized (this) {
        if (failNext) {
          failNext = false;
          throw new IllegalStateException("store unavailable");
        }
        int linked = 0;
        while (linked < limit && !pending.isEmpty()) {
          pending.poll();
          linked++;
        }
        return linked;
      }
    }

    @Override
    public long chainAllPending() {
      return chainPending(Integer.MAX_VALUE);
    }

    @Override
    public void reclaimChainedSpace() {
      reclaims.incrementAndGet();
    }

    @Override
    public synchronized long pending() {
      return pending.size();
    }

    @Override
    public long append(AuditRecord record) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Long> appendAll(List<AuditRecord> records) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<AuditEntry> entries(long fromSequence, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<AuditEntry> forEscalation(String escalationId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<ClosureKey, List<Long>> trails(Collection<ClosureKey> closures) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long count() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<ChainBreak> verify() {
      throw new UnsupportedOperationException();
    }
  }
}
