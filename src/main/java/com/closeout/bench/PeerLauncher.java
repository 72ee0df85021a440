package com.closeout.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the peer of the {@code bench/} module (Flowable) in a JVM of its own, so its libraries never
 * meet the service's and its heap is its own, on the same cases and the same database, and reads
 * the one JSON object it prints.
 *
 * <p>{@code bin/closeout bench} builds the module and sets {@value #CLASSPATH_VARIABLE}; without it
 * there is no peer.
 */
public final class PeerLauncher {
  public static final String CLASSPATH_VARIABLE = "CLOSEOUT_BENCH_PEER_CLASSPATH";
  public static final String JAVA_OPTS_VARIABLE = "CLOSEOUT_BENCH_PEER_JAVA_OPTS";
  public static final String MAIN_CLASS = "com.closeout.bench.flowable.FlowablePeer";

  private final String classpath;
  private final String javaOpts;
  private final PrintStream progress;

  public PeerLauncher(String classpath, String javaOpts, PrintStream progress) {
    this.classpath = classpath;
    this.javaOpts = javaOpts;
    this.progress = progress;
  }

  /** The peer this environment provides, if any. */
  public static Optional<PeerLauncher> fromEnvironment(PrintStream progress) {
    String classpath = System.getenv(CLASSPATH_VARIABLE);
    if (classpath == null || classpath.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new PeerLauncher(classpath, System.getenv(JAVA_OPTS_VARIABLE), progress));
  }

  public PeerRun run(BenchDatabase database, BenchSettings settings)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command(database.jdbcUrl(), database.username(), settings));
    if (database.password() != null) {
      // Not on the command line, where other users of the machine could read it.
      builder.environment().put("CLOSEOUT_BENCH_PEER_PASSWORD", database.password());
    }
    Process process = builder.start();
    Thread errors = copy(process.getErrorStream(), progress);
    byte[] out = process.getInputStream().readAllBytes();
    int status = process.waitFor();
    errors.join();
    if (status != 0) {
      throw new IllegalStateException("the peer failed with exit status " + status);
    }
    JsonNode json = JsonMapper.builder().build().readTree(new String(out, StandardCharsets.UTF_8));
    return new PeerRun(
        json.path("name").asString("flowable"),
        json.path("closuresPerSecond").asDouble(),
        json.path("p50Millis").asDouble(),
        json.path("p99Millis").asDouble(),
        json.path("commitsPerClosure").asDouble(Double.NaN),
        json.path("statementsPerClosure").asDouble(Double.NaN));
  }

  /**
   * The peer's command line. Its JVM gets this JVM's pause goal first, so both sides of the
   * comparison are measured with the same collector settings (decision 0025); {@value
   * #JAVA_OPTS_VARIABLE} comes after it and may change it.
   */
  List<String> command(String jdbcUrl, String username, BenchSettings settings) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    JvmCollector.pauseGoalMillis().ifPresent(goal -> command.add("-XX:MaxGCPauseMillis=" + goal));
    if (javaOpts != null && !javaOpts.isBlank()) {
      command.addAll(List.of(javaOpts.trim().split("\\s+")));
    }
    command.addAll(
        List.of(
            "-cp",
            classpath,
            MAIN_CLASS,
            "--cases",
            Integer.toString(settings.peerCases()),
            "--warmup-seconds",
            Integer.toString(settings.warmupSeconds()),
            "--jdbc-url",
            jdbcUrl,
            "--target-latency-ms",
            Integer.toString(settings.targetLatencyMillis()),
            "--parallelism",
            Integer.toString(settings.parallelism()),
            "--window",
            Integer.toString(settings.window())));
    if (username != null) {
      command.addAll(List.of("--user", username));
    }
    return command;
  }

  private static Thread copy(InputStream from, PrintStream to) {
    Thread thread =
        new Thread(
            () -> {
              try {
                from.transferTo(to);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "bench-peer-stderr");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
