package com.closeout.propagation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The closures intake leased to this process's worker as it started them (decision 0023): the
 * worker takes them from here instead of claiming them, which saves a batch its claim — a
 * statement, a round trip, a commit and the update of every closure row it took — on the way from
 * the event to the notice.
 *
 * <p>Closed until a worker that drains it runs ({@link CloseoutEngine#openIntakeHandOff}): an
 * instance that only takes events in leases nothing, and leaves every closure to the claims. At
 * most {@code capacity} closures wait here (a little more when intake transactions race), so a
 * worker that falls behind lets the rest start PENDING for whoever claims first; intake itself
 * leases nothing while any closure is due and waiting for a claim, so those go first.
 */
public final class IntakeHandOff {
  private final String owner;
  private final Duration lease;
  private final int capacity;
  private final Clock clock;
  private final Queue<ClosureStore.Claimed> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong handedOver = new AtomicLong();
  private volatile boolean open;

  public IntakeHandOff(String owner, Duration lease, int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a hand-off holds at least one closure");
    }
    this.owner = owner;
    this.lease = lease;
    this.capacity = capacity;
    this.clock = clock;
  }

  /** The lease intake may give the closures it starts now: none while closed or full. */
  public ClosureStore.Lease lease() {
    int room = open ? capacity - size.get() : 0;
    if (room <= 0) {
      return ClosureStore.Lease.NONE;
    }
    Instant now = clock.instant();
    return new ClosureStore.Lease(owner, now, now.plus(lease), room);
  }

  /**
   * Closures intake leased with {@link #lease()}, once the transaction that leased them commits.
   *
   * @return false, with nothing taken, when the hand-off closed meanwhile (its worker stopped): the
   *     caller gives them back to the claims
   */
  public synchronized boolean handOver(List<ClosureStore.Claimed> leased) {
    for (ClosureStore.Claimed claimed : leased) {
      if (!owner.equals(claimed.closure().leaseOwner())) {
        throw new IllegalArgumentException(
            "closure " + claimed.closure().id() + " is not leased to " + owner);
      }
    }
    if (!open) {
      return false;
    }
    for (ClosureStore.Claimed claimed : leased) {
      waiting.add(claimed);
      size.incrementAndGet();
    }
    handedOver.addAndGet(leased.size());
    return true;
  }

  /**
   * Up to {@code limit} closures, oldest first. One whose lease ran out while it waited (a worker
   * stopped for longer than a lease) is left out: the lease sweep gives it back to the claims.
   */
  List<ClosureStore.Claimed> take(int limit) {
    List<ClosureStore.Claimed> taken = new ArrayList<>(Math.min(limit, size.get()));
    Instant now = clock.instant();
    while (taken.size() < limit) {
      ClosureStore.Claimed next = waiting.poll();
      if (next == null) {
        break;
      }
      size.decrementAndGet();
      if (next.closure().leaseUntil().isAfter(now)) {
        taken.add(next);
      }
    }
    return taken;
  }

  /** Everything still waiting, for a worker that stops to give back. */
  List<ClosureStore.Claimed> takeAll() {
    return take(Integer.MAX_VALUE);
  }

  public void open() {
    open = true;
  }

  /** Once this returns no closure is handed over any more; what waits stays to be taken. */
  public synchronized void close() {
    open = false;
  }

  /** Closures handed over since the start: the claims this process did not make. */
  public long handedOver() {
    return handedOver.get();
  }
}
