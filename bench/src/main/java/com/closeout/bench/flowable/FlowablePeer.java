package com.closeout.bench.flowable;

import com.closeout.bench.BenchCases;
import com.closeout.bench.BenchDatabase;
import com.closeout.bench.BenchTargets;
import com.closeout.bench.ClosureTimings;
import com.closeout.bench.CountingDataSource;
import com.closeout.sandbox.SandboxSystems;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.flowable.job.api.Job;

/**
 * The benchmark's peer: Closeout's workflow on Flowable 7.2.0 the way a team would build it — a
 * BPMN process of asynchronous service tasks on Flowable's async job executor, history at its
 * default level ({@code audit}), its own schema on the same PostgreSQL database — driven by the
 * same cases (CloudEvent JSON, parsed with Jackson 2 as such a team would) against the same sandbox
 * systems with the same target latency, measured the same way (closed loop with the same window,
 * event-to-notice latency where the notice lands).
 *
 * <p>Run by {@code bin/closeout bench}; prints one JSON object on stdout.
 */
public final class FlowablePeer {
  static final String NAME = "flowable-7.2.0";
  private static final String PROCESS = "closeoutClosure";
  private static final Duration STALL = Duration.ofSeconds(120);

  private final BenchDatabase database;
  private final PrintStream progress;
  private final ObjectMapper json = new ObjectMapper();

  public FlowablePeer(BenchDatabase database, PrintStream progress) {
    this.database = database;
    this.progress = progress;
  }

  /**
   * @param cases closures of the run
   * @param latencyMillis pause before every target call
   * @param parallelism job executor threads
   * @param window most closures in flight at once
   * @param warmupSeconds the run's first seconds left out of its figures (as Closeout's)
   */
  public record Settings(
      int cases, int latencyMillis, int parallelism, int window, int warmupSeconds) {}

  /** What one run measured. */
  public record Figures(
      ClosureTimings.Figures timings,
      double commitsPerClosure,
      double statementsPerClosure,
      long notices) {}

  public Figures run(Settings settings) throws InterruptedException {
    String hex = HexFormat.of().formatHex(randomBytes());
    String schema = "flowable_bench_" + hex;
    BenchCases cases = new BenchCases("F" + hex, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    SandboxSystems sandbox = new SandboxSystems();
    for (int i = 0; i < settings.cases(); i++) {
      cases.populate(sandbox, i);
    }
    database.execute("CREATE SCHEMA " + schema);
    try {
      progress.printf(
          "bench: %s, %d closures, %d ms per target call, %d job executor threads, schema %s%n",
          NAME, settings.cases(), settings.latencyMillis(), settings.parallelism(), schema);
      // Tables, the deployment and the completion table first, in an engine of their own, so the
      // measured run counts only its own commits.
      try (HikariDataSource pool = database.pool("flowable-setup", schema, 2)) {
        ProcessEngine setup = engine(pool, schema, settings.parallelism(), Map.of(), false);
        setup
            .getRepositoryService()
            .createDeployment()
            .addClasspathResource("closeout-closure.bpmn20.xml")
            .deploy();
        setup.close();
      }
      database.execute(
          "CREATE TABLE "
              + schema
              + ".bench_completion_records (process_instance_id text PRIMARY KEY,"
              + " escalation_id text NOT NULL, disposition_version integer NOT NULL,"
              + " event_id text NOT NULL, recorded_at timestamptz NOT NULL)");
      long commitsBefore = database.committedTransactions();
      ClosureTimings timings = new ClosureTimings(cases, 0, settings.cases(), settings.window());
      BenchTargets targets =
          new BenchTargets(sandbox.ports(), settings.latencyMillis(), timings::noticed);
      CountingDataSource.Counts counts;
      try (HikariDataSource pool =
          database.pool("flowable-bench", schema, settings.parallelism() + 4)) {
        CountingDataSource counting = new CountingDataSource(pool);
        ProcessEngine engine =
            engine(
                counting,
                schema,
                settings.parallelism(),
                new ClosureDelegates(targets.ports()).beans(),
                true);
        try {
          for (int i = 0; i < settings.cases(); i++) {
            timings.sending(i);
            receive(engine, cases.eventJson(i));
          }
          awaitNotices(engine, timings);
          // The notice is posted before its job commits: let every instance end before counting.
          awaitInstancesEnded(engine);
          counts = counting.counts();
        } finally {
          engine.close();
        }
      }
      long commits = database.committedTransactions() - commitsBefore;
      return new Figures(
          timings.figures(
              Math.min(settings.cases() / 10, 1_000),
              java.time.Duration.ofSeconds(settings.warmupSeconds())),
          (double) commits / settings.cases(),
          (double) counts.statements() / settings.cases(),
          sandbox.notices().size());
    } finally {
      database.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /**
   * The intake a Flowable team would write: parse the CloudEvent, start one process instance per
   * (escalation, version) unless one was already started (its business key).
   */
  private void receive(ProcessEngine engine, byte[] body) {
    JsonNode event;
    try {
      event = json.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("malformed event", e);
    }
    if (!"support.review.disposition.finalized".equals(event.path("type").asText())) {
      return;
    }
    JsonNode data = event.path("data");
    String escalation = data.path("escalationId").asText();
    int version = data.path("dispositionVersion").asInt();
    String businessKey = escalation + ":v" + version;
    long started =
        engine
            .getHistoryService()
            .createHistoricProcessInstanceQuery()
            .processInstanceBusinessKey(businessKey)
            .count();
    if (started > 0) {
      return;
    }
    Map<String, Object> variables = new HashMap<>();
    variables.put("eventId", event.path("id").asText());
    variables.put("escalationId", escalation);
    variables.put("episodeId", data.path("episodeId").asText());
    variables.put("dispositionVersion", version);
    variables.put("archiveRefs", data.path("archiveRefs").toString());
    engine.getRuntimeService().startProcessInstanceByKey(PROCESS, businessKey, variables);
  }

  private void awaitNotices(ProcessEngine engine, ClosureTimings timings)
      throws InterruptedException {
    long seen = -1;
    long lastProgress = System.nanoTime();
    while (!timings.awaitAll(Duration.ofSeconds(1))) {
      List<Job> dead = engine.getManagementService().createDeadLetterJobQuery().listPage(0, 1);
      if (!dead.isEmpty()) {
        throw new IllegalStateException(
            "a step failed for good: " + dead.get(0).getExceptionMessage());
      }
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

  private static void awaitInstancesEnded(ProcessEngine engine) throws InterruptedException {
    long deadline = System.nanoTime() + STALL.toNanos();
    while (engine.getRuntimeService().createProcessInstanceQuery().count() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("process instances did not end after their notices");
      }
      Thread.sleep(20);
    }
  }

  private static ProcessEngine engine(
      javax.sql.DataSource dataSource,
      String schema,
      int parallelism,
      Map<Object, Object> beans,
      boolean executor) {
    StandaloneProcessEngineConfiguration configuration = new StandaloneProcessEngineConfiguration();
    configuration.setDataSource(dataSource);
    configuration.setDatabaseSchema(schema);
    configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    configuration.setBeans(beans);
    configuration.setAsyncExecutorActivate(executor);
    configuration.setAsyncExecutorCorePoolSize(parallelism);
    configuration.setAsyncExecutorMaxPoolSize(parallelism);
    configuration.setEngineName("closeout-peer-" + schema + (executor ? "" : "-setup"));
    return configuration.buildProcessEngine();
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[4];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  /**
   * {@code --cases N --jdbc-url URL [--user U] --target-latency-ms L --parallelism P --window W
   * --warmup-seconds S};
   * a password comes from CLOSEOUT_BENCH_PEER_PASSWORD.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    String url = required(options, "jdbc-url");
    Settings settings =
        new Settings(
            Integer.parseInt(required(options, "cases")),
            Integer.parseInt(options.getOrDefault("target-latency-ms", "0")),
            Integer.parseInt(options.getOrDefault("parallelism", "8")),
            Integer.parseInt(options.getOrDefault("window", "64")),
            Integer.parseInt(options.getOrDefault("warmup-seconds", "0")));
    Figures figures;
    try (BenchDatabase database =
        new BenchDatabase(
            url, options.get("user"), System.getenv("CLOSEOUT_BENCH_PEER_PASSWORD"))) {
      figures = new FlowablePeer(database, System.err).run(settings);
    }
    System.err.printf(
        Locale.ROOT,
        "bench: %s %.0f closures/s, p50 %.1f ms, p99 %.1f ms%n",
        NAME,
        figures.timings().closuresPerSecond(),
        figures.timings().p50Millis(),
        figures.timings().p99Millis());
    System.out.println(toJson(figures));
    System.exit(0);
  }

  static String toJson(Figures figures) {
    return String.format(
        Locale.ROOT,
        "{\"name\":\"%s\",\"closures\":%d,\"closuresPerSecond\":%.2f,\"p50Millis\":%.2f,"
            + "\"p99Millis\":%.2f,\"commitsPerClosure\":%.2f,\"statementsPerClosure\":%.2f}",
        NAME,
        figures.timings().closures(),
        figures.timings().closuresPerSecond(),
        figures.timings().p50Millis(),
        figures.timings().p99Millis(),
        figures.commitsPerClosure(),
        figures.statementsPerClosure());
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }
}
