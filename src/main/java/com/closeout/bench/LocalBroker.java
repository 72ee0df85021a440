package com.closeout.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Kafka broker for {@code bench --intake kafka}, in a JVM of its own: the {@code bench/} module's
 * {@code com.closeout.bench.kafka.LocalBroker} (Kafka's in-process test cluster) on the classpath
 * {@code bin/closeout bench} builds and sets in {@value #CLASSPATH_VARIABLE}. It lives until this
 * is closed; its own process ends when its stdin closes, so it does not outlive a killed bench.
 */
public final class LocalBroker implements AutoCloseable {
  public static final String CLASSPATH_VARIABLE = "CLOSEOUT_BENCH_BROKER_CLASSPATH";
  static final String MAIN_CLASS = "com.closeout.bench.kafka.LocalBroker";
  private static final long START_SECONDS = 90;

  private final Process process;
  private final String bootstrap;

  private LocalBroker(Process process, String bootstrap) {
    this.process = process;
    this.bootstrap = bootstrap;
  }

  /** The classpath this environment provides for the broker, if any. */
  public static Optional<String> classpathFromEnvironment() {
    String classpath = System.getenv(CLASSPATH_VARIABLE);
    return classpath == null || classpath.isBlank() ? Optional.empty() : Optional.of(classpath);
  }

  /** Starts the broker and waits until it takes clients. */
  public static LocalBroker start(String classpath) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                classpath,
                MAIN_CLASS));
    // Its log is Kafka's, a screenful a second at start; a failure shows in the exit status.
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    CompletableFuture<String> address =
        CompletableFuture.supplyAsync(() -> bootstrapLine(process.getInputStream()));
    try {
      return new LocalBroker(process, address.get(START_SECONDS, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "the Kafka broker did not start within " + START_SECONDS + " s", e);
    }
  }

  public String bootstrap() {
    return bootstrap;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static String bootstrapLine(InputStream out) {
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("bootstrap=")) {
          return line.substring("bootstrap=".length()).strip();
        }
      }
      throw new IllegalStateException("the Kafka broker ended before it took clients");
    } catch (IOException e) {
      throw new IllegalStateException("could not read the Kafka broker's address", e);
    }
  }
}
