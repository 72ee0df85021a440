package com.closeout.bench;

import com.closeout.config.AuditChainLoop;
import com.closeout.config.AuditProperties;
import com.closeout.domain.EventOutcome;
import com.closeout.intake.IncomingEvent;
import com.closeout.intake.IntakeReceipt;
import com.closeout.intake.ParsedEvent;
import com.closeout.intake.format.CloudEventJsonReader;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.EngineSettings;
import com.closeout.propagation.WorkerThreads;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.propagation.jdbc.StoreSchemas;
import com.closeout.sandbox.SandboxSystems;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Closeout under load: clean closures through the real pipeline (CloudEvent JSON, reader, intake,
 * worker with its parallel executor, JDBC stores on a fresh schema) against the sandbox systems
 * behind {@link BenchTargets}. A closed-loop phase measures the sustained rate; an open-loop phase
 * at half that rate (or another share, {@link BenchSettings#openLoopPercent}) measures latency when
 * the pipeline is not saturated.
 */
public final class ClosureBench {
  private static final Duration STALL = Duration.ofSeconds(120);
  private static final int MAX_WARMUP_PARTS = 6;
  private static final double SETTLED_COMPILER_SHARE = 0.05;

  private final BenchDatabase database;
  private final PrintStream progress;
  private final Optional<Path> trace;
  private final Optional<String> kafkaBootstrap;

  public ClosureBench(BenchDatabase database, PrintStream progress, Optional<Path> trace) {
    this(database, progress, trace, Optional.empty());
  }

  /**
   * @param trace where to write the open-loop phase's per-case marks ({@link
   *     ClosureTimings#writeTrace}), if anywhere
   * @param kafkaBootstrap a broker the open-loop phase's events go through, to Closeout's Kafka
   *     intake ({@link KafkaIntakeRoute}); without one the sender hands them to intake directly
   */
  public ClosureBench(
      BenchDatabase database,
      PrintStream progress,
      Optional<Path> trace,
      Optional<String> kafkaBootstrap) {
    this.database = database;
    this.progress = progress;
    this.trace = trace;
    this.kafkaBootstrap = kafkaBootstrap;
  }

  public CloseoutRun run(BenchSettings settings) throws InterruptedException {
    String tag = "C" + HexFormat.of().formatHex(randomBytes());
    BenchCases cases = new BenchCases(tag, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    // Held only here and by the targets, so both can let go of it before the heap is measured.
    AtomicReference<SandboxSystems> world = new AtomicReference<>(new SandboxSystems());
    for (int i = 0; i < settings.cases(); i++) {
      cases.populate(world.get(), i);
    }
    CpuMeter cpu = CpuMeter.of(database.base());
    try (IsolatedSchema schema = StoreSchemas.isolated(database.base(), "closeout_bench")) {
      progress.printf(
          "bench: Closeout, %d closures, %d ms per target call, %d worker threads, parallelism %d,"
              + " schema %s%n",
          settings.cases(),
          settings.targetLatencyMillis(),
          settings.workers(),
          settings.parallelism(),
          schema.name());
      long commitsBefore = database.committedTransactions();
      // The migration's own rows (its history, the chain head) are not the closures'.
      Map<String, Long> rowsBefore = database.rowsWritten(schema);
      double[] heapMiB = new double[2];
      Phase main;
      try (HeapWatch heap = HeapWatch.start()) {
        ClosureTimings timings = new ClosureTimings(cases, 0, settings.cases(), settings.window());
        BenchTargets targets =
            new BenchTargets(world.get().ports(), settings.targetLatencyMillis(), timings::noticed);
        main =
            runPhase(
                settings,
                schema,
                cpu,
                targets,
                cases,
                timings,
                0,
                settings.cases(),
                0,
                () -> {
                  long notices = world.get().notices().size();
                  if (notices != settings.cases()) {
                    throw new IllegalStateException(
                        "expected one notice per closure, found " + notices);
                  }
                  heapMiB[0] = heap.peakMiB();
                  // The sandbox stands in for other processes: let it go, keep the engine.
                  targets.release();
                  world.set(null);
                  heapMiB[1] = HeapWatch.usedAfterGcMiB();
                });
      }
      long commits = database.committedTransactions() - commitsBefore;
      Map<String, Long> rowsWritten = new java.util.TreeMap<>();
      database
          .rowsWritten(schema)
          .forEach(
              (kind, rows) -> {
                long delta = rows - rowsBefore.getOrDefault(kind, 0L);
                if (delta > 0) {
                  rowsWritten.put(kind, delta);
                }
              });
      ClosureTimings.Figures figures =
          main.timings().figures(settings.warmup(), settings.warmupTime());
      if (figures.warmupCut()) {
        progress.printf(
            "bench: the run was shorter than twice its %d s warm-up: its figures include part of"
                + " the warm-up (run more --cases)%n",
            settings.warmupSeconds());
      }
      progress.printf(
          "bench: Closeout %.0f closures/s, p50 %.1f ms, p99 %.1f ms%n",
          figures.closuresPerSecond(), figures.p50Millis(), figures.p99Millis());

      double halfRate = settings.openLoopRateFor(figures.closuresPerSecond());
      int halfCases =
          (int)
              Math.max(
                  20,
                  Math.min(settings.cases(), Math.round(halfRate * settings.halfRateSeconds())));
      OpenLoopWarmup warmup =
          warmUpAtOpenLoop(settings, schema, cpu, cases, halfRate, settings.cases() + halfCases);
      progress.printf(
          "bench: Closeout at %s, %.0f events/s open loop%n", settings.openLoopChoice(), halfRate);
      Phase half = openLoop(settings, schema, cpu, cases, settings.cases(), halfCases, halfRate);
      ClosureTimings.Figures halfFigures =
          half.timings().figures(BenchSettings.warmupOf(halfCases), settings.halfRateWarmupTime());
      if (trace.isPresent()) {
        writeTrace(half.timings(), trace.get());
      }
      return new CloseoutRun(
          figures,
          (double) commits / settings.cases(),
          main.counts(),
          rowsWritten,
          settings.cases(),
          heapMiB[0],
          heapMiB[1],
          halfRate,
          halfFigures,
          main.cpu(),
          half.counts(),
          halfCases,
          half.cpu(),
          warmup,
          main.walBytes(),
          half.walBytes(),
          main.flushes(),
          half.flushes(),
          main.housekeeping(),
          half.housekeeping(),
          main.stallsAgainst(settings.warmup(), settings.warmupTime()),
          half.stallsAgainst(BenchSettings.warmupOf(halfCases), settings.halfRateWarmupTime()),
          half.handedOver());
    }
  }

  /**
   * Runs the open loop at {@code rate}, unmeasured, in parts of half the measured phase's length,
   * until the JIT compiler spent under 5 % of a core in one part (at most {@link #MAX_WARMUP_PARTS}
   * parts). The open loop's small batches take code paths the closed loop did not make hot, and in
   * a 20-second phase right after it the compiler was measured at 0.4–0.5 of a core of a 2-core
   * machine (docs/performance.md): a JVM warming up, not the running service whose latency the
   * phase is meant to measure. Its cases are numbered from {@code firstIndex}.
   */
  private OpenLoopWarmup warmUpAtOpenLoop(
      BenchSettings settings,
      IsolatedSchema schema,
      CpuMeter cpu,
      BenchCases cases,
      double rate,
      int firstIndex)
      throws InterruptedException {
    int partCases = (int) Math.max(20, Math.round(rate * settings.halfRateSeconds() / 2.0));
    long start = System.nanoTime();
    int first = firstIndex;
    double share = Double.NaN;
    for (int part = 1; part <= MAX_WARMUP_PARTS; part++) {
      long compilerBefore = CpuMeter.compilerNanos();
      long partStart = System.nanoTime();
      openLoop(settings, schema, cpu, cases, first, partCases, rate);
      first += partCases;
      if (compilerBefore < 0) {
        return OpenLoopWarmup.unmetered(part, (System.nanoTime() - start) / 1e9);
      }
      share =
          (double) (CpuMeter.compilerNanos() - compilerBefore) / (System.nanoTime() - partStart);
      if (share < SETTLED_COMPILER_SHARE) {
        return report(new OpenLoopWarmup(part, (System.nanoTime() - start) / 1e9, share, true));
      }
    }
    return report(
        new OpenLoopWarmup(MAX_WARMUP_PARTS, (System.nanoTime() - start) / 1e9, share, false));
  }

  /** An open-loop phase over cases {@code first} on, on a sandbox of their own. */
  private Phase openLoop(
      BenchSettings settings,
      IsolatedSchema schema,
      CpuMeter cpu,
      BenchCases cases,
      int first,
      int count,
      double rate)
      throws InterruptedException {
    SandboxSystems sandbox = new SandboxSystems();
    for (int i = first; i < first + count; i++) {
      cases.populate(sandbox, i);
    }
    ClosureTimings timings = new ClosureTimings(cases, first, count, 0);
    BenchTargets targets =
        new BenchTargets(sandbox.ports(), settings.targetLatencyMillis(), timings::noticed);
    return runPhase(settings, schema, cpu, targets, cases, timings, first, count, rate, () -> {});
  }

  private OpenLoopWarmup report(OpenLoopWarmup warmup) {
    progress.printf(
        "bench: open-loop warm-up: %d parts, %.1f s; the JIT compiler at %.0f %% of a core in the"
            + " last%s%n",
        warmup.parts(),
        warmup.seconds(),
        100 * warmup.compilerShare(),
        warmup.settled() ? "" : " (not settled)");
    return warmup;
  }

  /**
   * @param counts the phase's JDBC statements, round trips and commits
   * @param cpu CPU per closure of the phase (JVM, database server) and how busy the machine was
   * @param walBytes WAL the server wrote during the phase, its last entries' chaining included
   * @param flushes how the store's disk flushed a probe's writes meanwhile ({@link
   *     DiskFlushProbe.Flushes#NONE} when the server is not on this machine)
   * @param housekeeping the collections, vacuums and checkpoints that ran beside the closures
   * @param stalls the late wakes of a probe thread meanwhile ({@link MachineStallProbe})
   */
  private record Phase(
      ClosureTimings timings,
      CountingDataSource.Counts counts,
      CpuMeter.Cost cpu,
      long walBytes,
      DiskFlushProbe.Flushes flushes,
      Housekeeping housekeeping,
      MachineStallProbe.Stalls stalls,
      long handedOver) {
    /** The machine's stalls and the measured cases (the figures' warm-up) they held up. */
    MachineStallProbe.PhaseStalls stallsAgainst(int warmup, Duration warmupTime) {
      return new MachineStallProbe.PhaseStalls(
          stalls,
          timings.duringStalls(stalls.machine(), warmup, warmupTime, BenchReport.P99_GOAL_MILLIS));
    }
  }

  private void writeTrace(ClosureTimings timings, Path file) {
    try {
      timings.writeTrace(file);
      progress.printf("bench: the open-loop phase's cases traced to %s%n", file);
    } catch (IOException e) {
      // The figures are still worth reporting; the trace is a diagnosis aid.
      progress.printf("bench: could not write the trace to %s: %s%n", file, e.getMessage());
    }
  }

  /**
   * @param ratePerSecond open loop at this rate; 0 for closed loop (the timings' window paces)
   * @param beforeTeardown runs once every notice landed, while the engine is still up
   */
  private Phase runPhase(
      BenchSettings settings,
      IsolatedSchema schema,
      CpuMeter cpu,
      BenchTargets targets,
      BenchCases cases,
      ClosureTimings timings,
      int first,
      int count,
      double ratePerSecond,
      Runnable beforeTeardown)
      throws InterruptedException {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            settings.parallelism(),
            task -> {
              Thread thread = new Thread(task, "bench-closure-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    HikariDataSource pool =
        database.storePool("closeout-bench", schema.name(), settings.parallelism() + 4);
    CountingDataSource counting = new CountingDataSource(pool);
    Clock clock = Clock.systemUTC();
    EngineSettings engineSettings = EngineSettings.defaults().withBatchSize(settings.batchSize());
    CloseoutStores stores = JdbcCloseoutStores.create(counting, clock);
    CloseoutEngine engine =
        new CloseoutEngine(
            targets.ports(),
            stores,
            clock,
            engineSettings,
            "bench-" + cases.tag() + "-" + first,
            timings.stepCommits(),
            new Random(first),
            executor);
    CloudEventJsonReader reader = new CloudEventJsonReader();
    // The worker threads of serve, woken by intake (CloseoutEngine.whenWorkArrives).
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    WorkerThreads worker =
        new WorkerThreads(
            engine, settings.workers(), Duration.ofMillis(50), "bench-worker", failure::set);
    // The chainer of serve, on the same counted connections: its statements, rows and commits
    // are the closures' too.
    AuditChainLoop chainer =
        new AuditChainLoop(stores.audit(), AuditProperties.DEFAULT_CHAIN_INTERVAL, true);
    KafkaIntakeRoute kafka = null;
    if (ratePerSecond > 0 && kafkaBootstrap.isPresent()) {
      kafka =
          KafkaIntakeRoute.start(
              kafkaBootstrap.get(),
              "closeout-bench-" + cases.tag() + "-" + first,
              cases,
              engine,
              reader,
              timings::accepted,
              failure::set);
    }
    CpuMeter.Reading cpuBefore = cpu.read();
    long walBefore = database.walWritten();
    Housekeeping housekeepingBefore = Housekeeping.now(database, schema);
    Optional<DiskFlushProbe> probe = DiskFlushProbe.beside(cpu.serverDataDirectory());
    MachineStallProbe stallProbe = MachineStallProbe.start();
    long phaseStart = System.nanoTime();
    chainer.start();
    worker.start();
    try {
      long start = System.nanoTime();
      int end = first + count;
      int i = first;
      while (i < end) {
        // The sender delivers what it has ready as one batch (a Kafka poll, a CloudEvents batch
        // request): in closed loop every case the window lets go, open loop every case due.
        int ready;
        if (ratePerSecond > 0) {
          long due = start + (long) ((i - first) * 1e9 / ratePerSecond);
          for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
          }
          ready = 1;
          long now = System.nanoTime();
          while (i + ready < end
              && ready < settings.batchSize()
              && start + (long) ((i + ready - first) * 1e9 / ratePerSecond) <= now) {
            ready++;
          }
          for (int k = 0; k < ready; k++) {
            // Latency counts from when the case was due, however late the sender got to it.
            timings.sendingScheduled(i + k, start + (long) ((i + k - first) * 1e9 / ratePerSecond));
          }
        } else {
          ready = timings.sendingReady(i, Math.min(settings.batchSize(), end - i));
        }
        if (kafka != null) {
          for (int k = i; k < i + ready; k++) {
            kafka.send(cases.eventJson(k));
          }
          rethrow(failure);
          i += ready;
          continue;
        }
        List<IncomingEvent> events = new ArrayList<>(ready);
        for (int k = i; k < i + ready; k++) {
          ParsedEvent parsed = reader.read(cases.eventJson(k));
          if (!(parsed instanceof ParsedEvent.Valid valid)) {
            throw new IllegalStateException("the benchmark generated a malformed event");
          }
          events.add(valid.event());
        }
        List<IntakeReceipt> receipts = engine.receiveAll(events);
        for (int k = 0; k < ready; k++) {
          timings.accepted(i + k);
          if (receipts.get(k).outcome() != EventOutcome.CLOSURE_STARTED) {
            throw new IllegalStateException(
                "event of case " + (i + k) + " was " + receipts.get(k).outcome());
          }
        }
        rethrow(failure);
        i += ready;
      }
      awaitNotices(timings, failure);
      if (kafka != null) {
        kafka.close();
        kafka = null;
      }
      // Read while the worker's threads live (an ended thread's time is not theirs any more); the
      // last commit after the last notice is left out.
      CpuMeter.Cost cost = cpu.read().since(cpuBefore, count, System.nanoTime() - phaseStart);
      DiskFlushProbe.Flushes flushes =
          probe.map(DiskFlushProbe::stop).orElse(DiskFlushProbe.Flushes.NONE);
      MachineStallProbe.Stalls stalls = stallProbe.stop();
      Housekeeping housekeeping = Housekeeping.now(database, schema).since(housekeepingBefore);
      // The last batch's results commit after its notices (they ride with the next claim, which
      // finds nothing): the worker stops first, then the phase's last entries are chained, and
      // only then is anything counted.
      if (!worker.stop(Duration.ofSeconds(60))) {
        throw new IllegalStateException("the worker did not stop within 60 s");
      }
      rethrow(failure);
      chainer.stop();
      long walBytes = database.walWritten() - walBefore;
      CountingDataSource.Counts counts = counting.counts();
      beforeTeardown.run();
      Reference.reachabilityFence(engine);
      return new Phase(
          timings,
          counts,
          cost,
          walBytes,
          flushes,
          housekeeping,
          stalls,
          engine.handedOverByIntake());
    } finally {
      if (kafka != null) {
        kafka.close();
      }
      probe.ifPresent(DiskFlushProbe::close);
      stallProbe.close();
      worker.stop(Duration.ofSeconds(60));
      chainer.stop();
      executor.shutdownNow();
      executor.awaitTermination(30, TimeUnit.SECONDS);
      pool.close();
    }
  }

  private static void rethrow(AtomicReference<RuntimeException> failure) {
    RuntimeException e = failure.get();
    if (e != null) {
      throw new IllegalStateException("the worker failed", e);
    }
  }

  private void awaitNotices(ClosureTimings timings, AtomicReference<RuntimeException> failure)
      throws InterruptedException {
    long seen = -1;
    long lastProgress = System.nanoTime();
    while (!timings.awaitAll(Duration.ofSeconds(1))) {
      rethrow(failure);
      long now = timings.noticedSoFar();
      if (now != seen) {
        seen = now;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
        throw new IllegalStateException(
            "no closure completed for " + STALL.toSeconds() + " s (" + now + " done)");
      }
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[4];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
