package com.closeout.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One benchmark run, back to back on one database: Closeout, then the peer (when there is one),
 * then the write ceiling for the write set Closeout was measured to have.
 */
public final class Benchmark {
  private final BenchDatabase database;
  private final String store;
  private final Optional<PeerLauncher> peer;
  private final PrintStream progress;
  private final Optional<Path> trace;
  private final Optional<String> kafkaBootstrap;

  public Benchmark(
      BenchDatabase database,
      String store,
      Optional<PeerLauncher> peer,
      PrintStream progress,
      Optional<Path> trace) {
    this(database, store, peer, progress, trace, Optional.empty());
  }

  /**
   * @param store how the database was chosen, for the report ({@code embedded}, {@code postgres})
   * @param trace where to write the open-loop phase's per-case marks, if anywhere
   * @param kafkaBootstrap a broker the open-loop phase's events go through to Closeout's Kafka
   *     intake, if any
   */
  public Benchmark(
      BenchDatabase database,
      String store,
      Optional<PeerLauncher> peer,
      PrintStream progress,
      Optional<Path> trace,
      Optional<String> kafkaBootstrap) {
    this.database = database;
    this.store = store;
    this.peer = peer;
    this.progress = progress;
    this.trace = trace;
    this.kafkaBootstrap = kafkaBootstrap;
  }

  public BenchReport run(BenchSettings settings) throws InterruptedException, IOException {
    CloseoutRun closeout =
        new ClosureBench(database, progress, trace, kafkaBootstrap).run(settings);
    PeerRun peerRun = null;
    if (peer.isPresent()) {
      peerRun = peer.get().run(database, settings);
    } else {
      progress.println(
          "bench: no peer ("
              + PeerLauncher.CLASSPATH_VARIABLE
              + " is not set; bin/closeout bench builds and sets it)");
    }
    WriteCeiling.Plan plan =
        WriteCeiling.Plan.of(
            closeout.rowsWritten(), closeout.counts().writeCommits(), closeout.closures());
    double ceiling =
        new WriteCeiling(database, progress).run(plan, settings.cases(), settings.parallelism());
    return new BenchReport(
        store,
        settings,
        closeout,
        peerRun,
        ceiling,
        plan,
        kafkaBootstrap.isPresent() ? "kafka" : "direct",
        JvmCollector.inThisJvm());
  }
}
