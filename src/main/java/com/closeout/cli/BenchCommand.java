package com.closeout.cli;

import com.closeout.bench.BenchDatabase;
import com.closeout.bench.BenchReport;
import com.closeout.bench.BenchSettings;
import com.closeout.bench.Benchmark;
import com.closeout.bench.LocalBroker;
import com.closeout.bench.PeerLauncher;
import com.closeout.bench.StderrLogs;
import com.closeout.config.EmbeddedPostgresLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Drives clean closures through the real pipeline and measures it, beside the Flowable peer and the
 * PostgreSQL write ceiling on the same database (docs/performance.md). Needs no Spring context: it
 * builds the engine itself on a fresh schema.
 */
final class BenchCommand implements CliCommand {
  static final String DATABASE_URL_VARIABLE = "CLOSEOUT_BENCH_DATABASE_URL";
  static final String DEFAULT_DATABASE_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static final String DATA_DIR_VARIABLE = "CLOSEOUT_STORE_EMBEDDEDDATADIR";

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String usage() {
    return "bench [--cases N] [--store embedded|postgres] [--target-latency-ms L]"
        + " [--parallelism P] [--batch-size B] [--workers T] [--window W] [--half-rate-seconds S]"
        + " [--warmup-seconds S] [--peer-cases M] [--open-loop-percent P | --open-loop-rate R]"
        + " [--intake direct|kafka] [--trace FILE]"
        + " [--no-peer] [--json]";
  }

  @Override
  public String summary() {
    return "measure throughput, latency, commits and heap beside Flowable and the write ceiling";
  }

  /**
   * @param trace where to write the open-loop phase's per-case marks as CSV (--trace), if anywhere
   * @param intake how the open-loop phase's events reach intake: {@code direct} (the sender calls
   *     it) or {@code kafka} (through a local broker to the Kafka intake)
   */
  record Options(
      BenchSettings settings,
      String store,
      boolean json,
      boolean peer,
      Optional<Path> trace,
      String intake) {
    Options(
        BenchSettings settings, String store, boolean json, boolean peer, Optional<Path> trace) {
      this(settings, store, json, peer, trace, "direct");
    }
  }

  static Options parse(List<String> args) throws UsageException {
    Arguments arguments =
        Arguments.parse(
            args,
            Set.of("--json", "--no-peer"),
            Set.of(
                "--cases",
                "--store",
                "--target-latency-ms",
                "--parallelism",
                "--batch-size",
                "--workers",
                "--window",
                "--half-rate-seconds",
                "--warmup-seconds",
                "--open-loop-percent",
                "--open-loop-rate",
                "--trace",
                "--intake",
                "--peer-cases"));
    arguments.expectPositionals(0, "nothing");
    long cases = arguments.longOption("--cases", BenchSettings.DEFAULT_CASES, 1);
    if (cases > 1_000_000) {
      throw new UsageException("--cases must be at most 1000000");
    }
    String store = arguments.option("--store").orElse("embedded");
    String intake = arguments.option("--intake").orElse("direct");
    if (!intake.equals("direct") && !intake.equals("kafka")) {
      throw new UsageException("--intake must be direct or kafka, not '" + intake + "'");
    }
    if (!store.equals("embedded") && !store.equals("postgres")) {
      throw new UsageException("--store must be embedded or postgres, not '" + store + "'");
    }
    long latency = arguments.longOption("--target-latency-ms", 0, 0);
    long parallelism = arguments.longOption("--parallelism", BenchSettings.DEFAULT_PARALLELISM, 1);
    long batch = arguments.longOption("--batch-size", BenchSettings.DEFAULT_BATCH_SIZE, 1);
    long workers = arguments.longOption("--workers", BenchSettings.DEFAULT_WORKERS, 1);
    if (workers > 64) {
      throw new UsageException("--workers must be at most 64");
    }
    long window =
        arguments.longOption(
            "--window", BenchSettings.defaultWindow((int) batch, (int) workers), 1);
    long halfRate =
        arguments.longOption("--half-rate-seconds", BenchSettings.DEFAULT_HALF_RATE_SECONDS, 1);
    long warmupSeconds =
        arguments.longOption("--warmup-seconds", BenchSettings.DEFAULT_WARMUP_SECONDS, 0);
    long peerCases =
        arguments.longOption("--peer-cases", Math.min(cases, BenchSettings.DEFAULT_PEER_CASES), 1);
    long openLoopPercent =
        arguments.longOption("--open-loop-percent", BenchSettings.DEFAULT_OPEN_LOOP_PERCENT, 1);
    long openLoopRate = arguments.longOption("--open-loop-rate", 0, 1);
    if (openLoopRate > 0 && arguments.option("--open-loop-percent").isPresent()) {
      throw new UsageException("give --open-loop-percent or --open-loop-rate, not both");
    }
    if (warmupSeconds > 3_600
        || peerCases > 1_000_000
        || openLoopPercent > 100
        || openLoopRate > 100_000) {
      throw new UsageException("an option is out of range");
    }
    if (latency > 10_000 || parallelism > 1_024 || batch > 10_000 || window > 100_000) {
      throw new UsageException("an option is out of range");
    }
    return new Options(
        new BenchSettings(
            (int) cases,
            (int) latency,
            (int) parallelism,
            (int) batch,
            (int) window,
            (int) Math.min(halfRate, 3_600),
            (int) workers,
            (int) warmupSeconds,
            (int) peerCases,
            (int) openLoopPercent,
            (int) openLoopRate),
        store,
        arguments.flag("--json"),
        !arguments.flag("--no-peer"),
        arguments.option("--trace").map(Path::of),
        intake);
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Options options = parse(args);
    Optional<String> brokerClasspath = LocalBroker.classpathFromEnvironment();
    if (options.intake().equals("kafka") && brokerClasspath.isEmpty()) {
      context
          .err()
          .println(
              "closeout bench: --intake kafka needs a local broker ("
                  + LocalBroker.CLASSPATH_VARIABLE
                  + " is not set; bin/closeout bench builds and sets it)");
      return FAILED;
    }
    StderrLogs.warningsOnly();
    try (BenchDatabase database = database(options.store());
        LocalBroker broker =
            options.intake().equals("kafka") ? startBroker(brokerClasspath.get(), context) : null) {
      Optional<PeerLauncher> peer =
          options.peer() ? PeerLauncher.fromEnvironment(context.err()) : Optional.empty();
      BenchReport report =
          new Benchmark(
                  database,
                  options.store(),
                  peer,
                  context.err(),
                  options.trace(),
                  Optional.ofNullable(broker).map(LocalBroker::bootstrap))
              .run(options.settings());
      if (options.json()) {
        context.out().println(report.toJson());
      } else {
        report.printTable(context.out());
      }
      return OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      context.err().println("closeout bench: interrupted");
      return FAILED;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static LocalBroker startBroker(String classpath, CommandContext context)
      throws IOException, InterruptedException {
    context.err().println("bench: starting a local Kafka broker for the open-loop phase ...");
    LocalBroker broker = LocalBroker.start(classpath);
    context
        .err()
        .printf("bench: the open-loop phase goes through Kafka at %s%n", broker.bootstrap());
    return broker;
  }

  private static BenchDatabase database(String store) {
    if (store.equals("postgres")) {
      String url = System.getenv(DATABASE_URL_VARIABLE);
      return new BenchDatabase(
          url == null || url.isBlank() ? DEFAULT_DATABASE_URL : url, null, null);
    }
    String dir = System.getenv(DATA_DIR_VARIABLE);
    EmbeddedPostgresLauncher.Connection connection =
        EmbeddedPostgresLauncher.start(Path.of(dir == null || dir.isBlank() ? "./data" : dir));
    return new BenchDatabase(connection.jdbcUrl(), connection.username(), connection.password());
  }
}
