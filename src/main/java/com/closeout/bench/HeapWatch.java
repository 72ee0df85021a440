package com.closeout.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap of this JVM during a run: the highest use seen (MemoryMXBean, sampled every 20 ms; the
 * collector's laziness is part of it) and the use after forced collections.
 */
public final class HeapWatch implements AutoCloseable {
  private static final double MIB = 1024.0 * 1024.0;
  private final AtomicLong peak = new AtomicLong();
  private final Thread sampler;
  private volatile boolean running = true;

  private HeapWatch() {
    sampler =
        new Thread(
            () -> {
              while (running) {
                peak.accumulateAndGet(used(), Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "closeout-bench-heap");
    sampler.setDaemon(true);
    sampler.start();
  }

  public static HeapWatch start() {
    return new HeapWatch();
  }

  public double peakMiB() {
    return Math.max(peak.get(), used()) / MIB;
  }

  /** Heap in use after full collections: what the run left behind. */
  public static double usedAfterGcMiB() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      used = Math.min(used, used());
    }
    return used / MIB;
  }

  private static long used() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}
