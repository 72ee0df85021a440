package com.closeout.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Times a small write and its flush ({@code fdatasync}) on the store's disk every 10 ms while a
 * phase runs, from a file beside the server's data directory. Every commit waits for such a flush
 * of the WAL; when this file's flush stalls, the disk (or the host under it) stalled, whatever the
 * store was doing. Session 13 saw the two together: flushes of this probe of 110 and 192 ms at the
 * moments three commits each took 107 and 198 ms, on a disk whose idle flushes take 0.1 ms.
 */
public final class DiskFlushProbe implements AutoCloseable {
  static final long INTERVAL_NANOS = 10_000_000L;
  private static final int BLOCK = 8192;
  private static final int BLOCKS = 128;
  private static final String FILE_NAME = "closeout-bench-flush-probe";

  private final Path file;
  private final FileChannel channel;
  private final Thread prober;
  private final Object lock = new Object();
  private long[] nanos = new long[1024];
  private int count;
  private volatile boolean running = true;

  private DiskFlushProbe(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
    this.prober = new Thread(this::probe, "closeout-bench-flush-probe");
    prober.setDaemon(true);
    prober.start();
  }

  /**
   * A probe writing beside {@code dataDirectory} (the server's, when it runs on this machine), or
   * none when there is no such directory or it cannot be written to.
   */
  public static Optional<DiskFlushProbe> beside(Optional<Path> dataDirectory) {
    if (dataDirectory.isEmpty() || dataDirectory.get().getParent() == null) {
      return Optional.empty();
    }
    Path file = dataDirectory.get().getParent().resolve(FILE_NAME);
    try {
      FileChannel channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
      return Optional.of(new DiskFlushProbe(file, channel));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  private void probe() {
    ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
    long position = 0;
    while (running) {
      try {
        block.clear();
        channel.write(block, position);
        position = (position + BLOCK) % ((long) BLOCK * BLOCKS);
        long start = System.nanoTime();
        channel.force(false);
        record(System.nanoTime() - start);
      } catch (IOException e) {
        // The file went away or the disk refused: what was timed so far still counts.
        return;
      }
      LockSupport.parkNanos(INTERVAL_NANOS);
    }
  }

  private void record(long flushNanos) {
    synchronized (lock) {
      if (count == nanos.length) {
        nanos = Arrays.copyOf(nanos, count * 2);
      }
      nanos[count++] = flushNanos;
    }
  }

  /** Flushes timed so far. */
  int flushesSoFar() {
    synchronized (lock) {
      return count;
    }
  }

  /** Stops probing and says how the flushes went. */
  public Flushes stop() {
    close();
    synchronized (lock) {
      return Flushes.of(Arrays.copyOf(nanos, count));
    }
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(prober);
    try {
      prober.join(1_000);
      channel.close();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A probe file left behind is harmless and overwritten by the next run.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * How long the probe's flushes took.
   *
   * @param over50Millis flushes that took longer than 50 ms: a commit flushing the WAL meanwhile
   *     waits about as long (seen so in session 13)
   */
  public record Flushes(
      int count, double p50Millis, double p99Millis, double maxMillis, int over50Millis) {
    /** No probe ran: the server is not on this machine, or its disk could not be written to. */
    public static final Flushes NONE = new Flushes(0, Double.NaN, Double.NaN, Double.NaN, 0);

    static Flushes of(long[] flushNanos) {
      if (flushNanos.length == 0) {
        return NONE;
      }
      long[] sorted = flushNanos.clone();
      Arrays.sort(sorted);
      int over50 = 0;
      for (long flush : sorted) {
        if (flush > 50_000_000L) {
          over50++;
        }
      }
      return new Flushes(
          sorted.length,
          millis(ClosureTimings.percentile(sorted, 50)),
          millis(ClosureTimings.percentile(sorted, 99)),
          millis(sorted[sorted.length - 1]),
          over50);
    }

    private static double millis(long nanos) {
      return Math.round(nanos / 10_000.0) / 100.0;
    }
  }
}
