package com.closeout.intake;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for deliveries that arrive one by one on many threads (webhook requests): while one
 * caller's group is being committed, the deliveries arriving behind it queue up, and the next
 * caller to find no commit running takes all of them (up to a limit) in one intake transaction. A
 * lone delivery is committed at once, so nothing waits for company; under load one transaction and
 * one fsync serve many events.
 *
 * <p>No thread of its own: a waiting caller commits the next group (leader/follower), so there is
 * nothing to start or stop. If a group's transaction fails, each of its deliveries is retried
 * alone, so one delivery the store refuses fails only its own caller.
 */
public final class GroupCommitIntake {
  private final EventIntake intake;
  private final int maxGroup;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition groupDone = lock.newCondition();
  private final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
  private boolean committing;

  /**
   * @param maxGroup most deliveries in one transaction
   */
  public GroupCommitIntake(EventIntake intake, int maxGroup) {
    if (maxGroup < 1) {
      throw new IllegalArgumentException("maxGroup must be at least 1");
    }
    this.intake = intake;
    this.maxGroup = maxGroup;
  }

  /** Blocks until the delivery is committed (alone or with others); as {@link EventIntake}. */
  public IntakeReceipt receive(IncomingEvent event) {
    Delivery delivery = new Delivery(event);
    lock.lock();
    try {
      waiting.add(delivery);
      while (!delivery.done()) {
        if (committing) {
          // Uninterruptibly: the delivery is queued and will be committed by someone anyway.
          groupDone.awaitUninterruptibly();
          continue;
        }
        committing = true;
        List<Delivery> group = nextGroup();
        lock.unlock();
        try {
          commit(group);
        } finally {
          lock.lock();
          committing = false;
          groupDone.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
    return delivery.receipt();
  }

  /** Deliveries queued behind the commit in progress (a gauge of intake pressure). */
  public int waiting() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  private List<Delivery> nextGroup() {
    List<Delivery> group = new ArrayList<>(Math.min(maxGroup, waiting.size()));
    while (!waiting.isEmpty() && group.size() < maxGroup) {
      group.add(waiting.poll());
    }
    return group;
  }

  private void commit(List<Delivery> group) {
    try {
      List<IntakeReceipt> receipts = intake.receiveAll(group.stream().map(d -> d.event).toList());
      for (int i = 0; i < group.size(); i++) {
        group.get(i).receipt = receipts.get(i);
      }
    } catch (RuntimeException groupFailed) {
      if (group.size() == 1) {
        group.get(0).failure = groupFailed;
        return;
      }
      for (Delivery delivery : group) {
        try {
          delivery.receipt = intake.receive(delivery.event);
        } catch (RuntimeException failed) {
          delivery.failure = failed;
        }
      }
    } finally {
      // An Error thrown above must not leave a caller waiting forever for a group already taken.
      for (Delivery delivery : group) {
        if (!delivery.done()) {
          delivery.failure = new IllegalStateException("intake of the group was interrupted");
        }
      }
    }
  }

  /** One caller's delivery; written by the committing thread, read by its caller under the lock. */
  private static final class Delivery {
    private final IncomingEvent event;
    private IntakeReceipt receipt;
    private RuntimeException failure;

    Delivery(IncomingEvent event) {
      this.event = event;
    }

    boolean done() {
      return receipt != null || failure != null;
    }

    IntakeReceipt receipt() {
      if (failure != null) {
        throw failure;
      }
      return receipt;
    }
  }
}
