package com.closeout.evaluation;

import com.closeout.audit.DriftReconciliation;
import com.closeout.audit.DriftReport;
import com.closeout.domain.ArchiveRef;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import com.closeout.intake.IncomingEvent;
import com.closeout.intake.ParsedEvent;
import com.closeout.intake.format.CloudEventJsonReader;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.Closure;
import com.closeout.propagation.EngineSettings;
import com.closeout.propagation.StepCommitListener;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.sandbox.SandboxControl;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import com.closeout.targets.TargetPorts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A seeded campaign: generates escalations with known ground truth — clean ones and every anomaly
 * of SPEC §4 — arms the faults of its {@link FaultProfile}, delivers real CloudEvent JSON through
 * the reader and the engine against the sandbox systems on a JDBC store, on a simulated clock,
 * drains the work and measures the outcome from the store and the sandbox ({@link
 * CampaignMeasures}).
 *
 * <p>With one instance the campaign thread delivers and works closures itself, so a seed replays
 * exactly. With K instances, K engines with their own worker ids work on K threads on the same
 * store and sandbox while the campaign delivers, in turn through an intake-only engine and through
 * each of the K (whose intake leases what it starts to its own worker, decision 0023); interleaving
 * then varies, the outcome must not.
 */
public final class Campaign {
  /** Simulated time between two cases' deliveries. */
  static final Duration CASE_SPACING = Duration.ofMillis(250);

  private static final int DRAIN_LIMIT = 100_000;
  private static final Duration IDLE_NUDGE = Duration.ofSeconds(1);
  private static final long SETTLE_TIMEOUT_MILLIS = 120_000;

  /** Deliveries of one event before a campaign gives up on a store that keeps refusing it. */
  private static final int INTAKE_ATTEMPTS = 5;

  /** Crash after one step commit in this many, with the crashes profile. */
  private static final int CRASH_ONE_IN = 25;

  private static final List<TargetSystem> OUTAGE_SYSTEMS =
      List.of(
          TargetSystem.TRACKER,
          TargetSystem.LEDGER,
          TargetSystem.QUEUE,
          TargetSystem.NOTIFICATION,
          TargetSystem.REVIEW,
          TargetSystem.ARCHIVE);

  private final DataSource dataSource;
  private final SandboxControl sandbox;
  private final Function<Clock, TargetPorts> ports;
  private final EngineSettings settings;
  private final String schemaToScan;
  private final CloudEventJsonReader reader = new CloudEventJsonReader();
  private final JsonMapper json = JsonMapper.builder().build();

  /** A campaign on a store shared with other runs: only its own escalations are looked at. */
  public Campaign(DataSource dataSource, SandboxSystems sandbox, EngineSettings settings) {
    this(dataSource, sandbox, clock -> sandbox.ports(), settings, null);
  }

  /**
   * @param schemaToScan a schema the campaign owns alone: every row of it is searched for
   *     restricted values too
   */
  /**
   * @param sandbox sets the systems up and inspects them
   * @param ports how the engine reaches the systems (the sandbox's own ports, or e.g. the REST
   *     adapters against a sandbox server), given the campaign's clock
   */
  Campaign(
      DataSource dataSource,
      SandboxControl sandbox,
      Function<Clock, TargetPorts> ports,
      EngineSettings settings,
      String schemaToScan) {
    this.dataSource = dataSource;
    this.sandbox = sandbox;
    this.ports = ports;
    this.settings = settings;
    this.schemaToScan = schemaToScan;
  }

  /** The default outage of a profile, within the retry budget (see {@link RetryBudget}). */
  public static Duration defaultOutage(FaultProfile profile, EngineSettings settings) {
    Duration longest = longestOutage(profile, settings);
    Duration preferred =
        profile == FaultProfile.CHAOS ? Duration.ofMinutes(1) : Duration.ofMinutes(5);
    return preferred.compareTo(longest) < 0 ? preferred : longest.dividedBy(2);
  }

  /** The longest outage the profile may ask for and still expect every clean case to complete. */
  public static Duration longestOutage(FaultProfile profile, EngineSettings settings) {
    return RetryBudget.longestOutage(settings, CampaignPlanner.maxRefusalsPerCase(profile));
  }

  /**
   * Runs one campaign. {@code runTag} keeps its escalation ids apart from other runs on the same
   * store; {@code start} is the campaign clock's start.
   */
  public CampaignReport run(CampaignSpec spec, String runTag, Instant start) {
    Duration outage =
        spec.outage() == null ? defaultOutage(spec.profile(), settings) : spec.outage();
    if (spec.profile().outage() && outage.compareTo(longestOutage(spec.profile(), settings)) >= 0) {
      throw new IllegalArgumentException(
          "an outage of "
              + outage
              + " outlasts the retry budget; at most "
              + longestOutage(spec.profile(), settings));
    }
    try (CapturedLogs logs = CapturedLogs.attach()) {
      Run run = new Run(spec, runTag, start.truncatedTo(ChronoUnit.SECONDS), outage, logs);
      try {
        return run.execute();
      } finally {
        run.stopWorkers();
      }
    }
  }

  /** Killed the worker at a step boundary; an Error so no engine catch of Exception stops it. */
  private static final class WorkerKilled extends Error {
    WorkerKilled(Step step) {
      super("campaign crash after " + step, null, false, false);
    }
  }

  /** Kills the worker after one step commit in {@link #CRASH_ONE_IN}, from a seeded generator. */
  private static final class CrashSwitch implements StepCommitListener {
    private final SplittableRandom random;
    private final Map<String, Integer> byEscalation = new TreeMap<>();

    CrashSwitch(SplittableRandom random) {
      this.random = random;
    }

    @Override
    public void stepCommitted(ClosureKey key, Step step) {
      synchronized (this) {
        if (random == null || random.nextInt(CRASH_ONE_IN) != 0) {
          return;
        }
        byEscalation.merge(key.escalationId().value(), 1, Integer::sum);
      }
      throw new WorkerKilled(step);
    }

    synchronized Map<String, Integer> byEscalation() {
      return new TreeMap<>(byEscalation);
    }
  }

  /** A change at the source while the closure waited: its place in the write order and time. */
  record SourceChange(long mark, Instant at, String what) {}

  /** The state of one run. */
  private final class Run {
    private final CampaignSpec spec;
    private final String runTag;
    private final Duration outageLength;
    private final CapturedLogs logs;
    private final SimulatedClock clock;
    private final CloseoutStores stores;
    private final TargetPorts targets;
    private final CampaignPorts faults;
    private final CrashSwitch crashes;
    private final SplittableRandom random;
    private final List<Worker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CloseoutEngine intake;

    /** Deliveries made with several instances: which instance takes the next one. */
    private int deliveries;

    private final Object wake = new Object();
    private final Map<String, SourceChange> changes = new ConcurrentHashMap<>();
    private final List<CampaignReport.Problem> problems =
        Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;

    Run(CampaignSpec spec, String runTag, Instant start, Duration outageLength, CapturedLogs logs) {
      this.spec = spec;
      this.runTag = runTag;
      this.outageLength = outageLength;
      this.logs = logs;
      this.random = new SplittableRandom(spec.seed());
      this.clock = new SimulatedClock(start);
      // The store stamps audit entries with the campaign's time too, so one run is one timeline.
      this.stores = JdbcCloseoutStores.create(dataSource, clock);
      this.targets = ports.apply(clock);
      this.faults = new CampaignPorts(sandbox, targets, clock);
      this.crashes = new CrashSwitch(spec.profile().crashes() ? random.split() : null);
      for (int k = 1; k <= spec.instances(); k++) {
        workers.add(new Worker("eval-" + runTag + "-w" + k, random.split()));
      }
      this.intake =
          spec.instances() == 1
              ? null
              : new CloseoutEngine(
                  faults.ports(),
                  stores,
                  clock,
                  settings,
                  "eval-" + runTag + "-intake",
                  StepCommitListener.NONE,
                  random.split());
    }

    CampaignReport execute() {
      List<PlannedCase> plan =
          new CampaignPlanner(spec.profile(), random.split())
              .plan(spec.cases(), runTag, clock.instant());
      SplittableRandom outageRandom = random.split();
      TargetSystem outageSystem = OUTAGE_SYSTEMS.get(outageRandom.nextInt(OUTAGE_SYSTEMS.size()));
      int outageSlot = spec.cases() / 3;
      Map<Integer, List<Runnable>> later = new TreeMap<>();
      startWorkers();

      List<Double> latencies = new ArrayList<>();
      long began = System.nanoTime();
      for (int slot = 0; slot < plan.size(); slot++) {
        long caseBegan = System.nanoTime();
        if (spec.profile().outage() && slot == outageSlot) {
          faults.startOutage(outageSystem, clock.instant(), outageLength);
        }
        for (Runnable late : later.getOrDefault(slot, List.of())) {
          late.run();
        }
        later.remove(slot);
        PlannedCase planned = plan.get(slot);
        setUp(planned);
        deliver(planned, slot, later);
        clock.advance(CASE_SPACING);
        wakeWorkers();
        // As serve's chainer does: entries are linked while the campaign goes on, beside the
        // workers still appending.
        stores.audit().chainAllPending();
        latencies.add((System.nanoTime() - caseBegan) / 1_000_000.0);
      }
      // Deliveries held back past the last case arrive now, in their order.
      later.values().forEach(list -> list.forEach(Runnable::run));
      settle();
      stopWorkers();
      double seconds = (System.nanoTime() - began) / 1_000_000_000.0;

      // Reconciliation reads past the campaign's faults: the outage is over, it is not under test.
      DriftReport drift =
          new DriftReconciliation(
                  targets, stores.closures(), stores.audit(), stores.transactions(), clock)
              .reconcile(plan.get(0).finalizedAt().minus(Duration.ofDays(1)));
      List<String> texts = new ArrayList<>(logs.lines());
      if (schemaToScan != null) {
        texts.addAll(StoreRows.texts(dataSource, schemaToScan));
      }
      return new CampaignMeasures(stores, sandbox)
          .measure(
              new CampaignMeasures.Inputs(
                  spec,
                  runTag,
                  plan,
                  latencies,
                  seconds,
                  drift,
                  faults,
                  crashes.byEscalation(),
                  Map.copyOf(changes),
                  List.copyOf(problems),
                  texts,
                  faults.outage().map(o -> o.system().wireName() + " for " + outageLength)));
    }

    // ---- set-up and deliveries -----------------------------------------------------------------

    /** Sets the case's systems up as its kind says and arms its faults. */
    private void setUp(PlannedCase planned) {
      EscalationId escalation = planned.escalationId();
      EpisodeId episode = new EpisodeId("EP-" + planned.index());
      int version = planned.version();
      SourceStatus status =
          switch (planned.kind()) {
            case REOPENED -> SourceStatus.REOPENED;
            case NOT_FINAL -> SourceStatus.IN_REVIEW;
            default -> SourceStatus.FINAL;
          };
      String disposition =
          planned.kind() == CaseKind.DISPOSITION_CHANGED
              ? "CLOSURE_REJECTED"
              : DispositionEvent.CLOSURE_APPROVED;
      int recordVersion = planned.kind() == CaseKind.SUPERSEDED ? version + 1 : version;
      List<ArchiveRef> recordRefs = archiveRefs(escalation, recordVersion);
      if (planned.kind() != CaseKind.SOURCE_MISSING) {
        sandbox.putReview(
            new SourceRecord(
                escalation,
                episode,
                "SEV1",
                status,
                disposition,
                recordVersion,
                planned.finalizedAt(),
                recordRefs),
            canaries(escalation));
      }
      EpisodeId trackerEpisode =
          planned.kind() == CaseKind.TRACKER_EPISODE_MISMATCH
              ? new EpisodeId(episode.value() + "-previous")
              : episode;
      sandbox.putTracker(
          new BookkeepingRecord(
              escalation.value(),
              escalation,
              trackerEpisode,
              "IN_REVIEW",
              null,
              null,
              List.of(),
              1));
      if (planned.kind() != CaseKind.MAPPING_MISSING) {
        sandbox.putLedger(
            new BookkeepingRecord(
                escalation.value(), escalation, episode, "OPEN", null, null, List.of(), 1));
      }
      String itemId = "Q-" + escalation.value();
      sandbox.putQueueItem(new QueueItem(itemId, escalation, episode, QueueItem.OPEN, null, 1));
      faults.own(escalation.value(), escalation);
      faults.own(itemId, escalation);
      for (ArchiveRef ref : recordRefs) {
        String digest =
            planned.kind() == CaseKind.ARCHIVE_DIGEST_MISMATCH
                    && ref.kind().equals("CLOSURE_PACKET")
                ? sha256("tampered:" + ref.uri())
                : ref.sha256();
        putArchive(escalation, new ArchiveObject(ref.uri(), digest));
      }
      if (planned.kind() == CaseKind.STALE_VERSION || planned.kind() == CaseKind.REORDERED) {
        for (ArchiveRef ref : archiveRefs(escalation, version - 1)) {
          putArchive(escalation, new ArchiveObject(ref.uri(), ref.sha256()));
        }
      }
      planned.faults().forEach(fault -> faults.arm(escalation, fault));
    }

    private void putArchive(EscalationId escalation, ArchiveObject object) {
      sandbox.putArchiveObject(object);
      faults.own(object.uri(), escalation);
    }

    /** Delivers the case's events now, and queues its late ones for a later slot. */
    private void deliver(PlannedCase planned, int slot, Map<Integer, List<Runnable>> later) {
      EscalationId escalation = planned.escalationId();
      int version = planned.version();
      EpisodeId episode = new EpisodeId("EP-" + planned.index());
      EpisodeId eventEpisode =
          planned.kind() == CaseKind.EVENT_EPISODE_MISMATCH
              ? new EpisodeId(episode.value() + "-earlier")
              : episode;
      List<String> requested =
          planned.kind() == CaseKind.OUT_OF_SCOPE_REQUEST
              ? List.of("REFUND", "CUSTOMER_UPDATE")
              : List.of();
      String type =
          planned.kind() == CaseKind.NON_FINALIZED_TYPE
              ? "support.review.disposition.drafted"
              : DispositionEvent.FINALIZED_TYPE;
      List<ArchiveRef> refs = archiveRefs(escalation, version);
      byte[] first =
          event(
              eventId(escalation, version, "a"),
              type,
              escalation,
              eventEpisode,
              version,
              planned.finalizedAt(),
              refs,
              requested);
      byte[] older =
          event(
              eventId(escalation, version - 1, "old"),
              type,
              escalation,
              eventEpisode,
              version - 1,
              planned.finalizedAt().minus(Duration.ofMinutes(1)),
              archiveRefs(escalation, version - 1),
              requested);
      switch (planned.kind()) {
        case LOST_EVENT -> {
          // Nothing is delivered: only reconciliation can notice.
        }
        case LATE_DELIVERY -> at(later, slot, planned.lateBy(), () -> send(first));
        case DUPLICATE_DELIVERY -> {
          send(first);
          at(later, slot, planned.lateBy(), () -> send(first));
        }
        case REEMISSION_NEW_ID -> {
          send(first);
          byte[] again =
              event(
                  eventId(escalation, version, "b"),
                  type,
                  escalation,
                  eventEpisode,
                  version,
                  planned.finalizedAt(),
                  refs,
                  requested);
          at(later, slot, planned.lateBy(), () -> send(again));
        }
        case STALE_VERSION -> {
          send(first);
          settle(); // the newer closure finishes before the old event arrives
          send(older);
        }
        case REORDERED -> {
          send(first);
          send(older);
        }
        case REOPENED_MID_FLIGHT, SUPERSEDED_MID_FLIGHT -> {
          send(first);
          changeWhileWaiting(planned, episode);
        }
        default -> send(first);
      }
      if (planned.redeliverAfter() > 0) {
        at(later, slot, planned.redeliverAfter(), () -> send(first));
      }
    }

    /** Delivers {@code lateBy} cases after {@code slot}: at once when that is now. */
    private void at(Map<Integer, List<Runnable>> later, int slot, int lateBy, Runnable delivery) {
      if (lateBy == 0) {
        delivery.run();
      } else {
        later.computeIfAbsent(slot + lateBy, s -> new ArrayList<>()).add(delivery);
      }
    }

    /**
     * The mid-flight change: once the closure waits for a retry (its planned fault made it), the
     * record is reopened, or a newer version finalized, at the source. Every write for the
     * escalation logged after this point is a false propagation.
     */
    private void changeWhileWaiting(PlannedCase planned, EpisodeId episode) {
      EscalationId escalation = planned.escalationId();
      ClosureKey key = new ClosureKey(escalation, planned.version());
      Optional<Closure> waiting = awaitWaiting(key);
      if (waiting.isEmpty()) {
        return;
      }
      boolean reopen = planned.kind() == CaseKind.REOPENED_MID_FLIGHT;
      int newVersion = reopen ? planned.version() : planned.version() + 1;
      List<ArchiveRef> refs = archiveRefs(escalation, newVersion);
      if (!reopen) {
        refs.forEach(ref -> putArchive(escalation, new ArchiveObject(ref.uri(), ref.sha256())));
      }
      long mark = faults.mark();
      sandbox.putReview(
          new SourceRecord(
              escalation,
              episode,
              "SEV1",
              reopen ? SourceStatus.REOPENED : SourceStatus.FINAL,
              DispositionEvent.CLOSURE_APPROVED,
              newVersion,
              reopen ? planned.finalizedAt() : planned.finalizedAt().plusSeconds(30),
              refs),
          canaries(escalation));
      changes.put(
          escalation.value(),
          new SourceChange(
              mark,
              clock.instant(),
              (reopen ? "reopened" : "superseded by v" + newVersion)
                  + " while waiting until "
                  + waiting.get().nextAttemptAt()));
    }

    /** The closure, once it is PENDING with its next attempt in the future; else a problem. */
    private Optional<Closure> awaitWaiting(ClosureKey key) {
      long deadline = System.currentTimeMillis() + SETTLE_TIMEOUT_MILLIS;
      while (true) {
        Optional<Closure> closure = stores.closures().find(key);
        ClosureStatus status = closure.map(Closure::status).orElse(null);
        if (status == ClosureStatus.PENDING
            && closure.get().nextAttemptAt().isAfter(clock.instant())) {
          return closure;
        }
        boolean stillMoving = status == ClosureStatus.PENDING || status == ClosureStatus.RUNNING;
        if (!stillMoving || spec.instances() == 1 || System.currentTimeMillis() > deadline) {
          problems.add(
              new CampaignReport.Problem(
                  key.escalationId().value(),
                  "mid-flight change not made: the closure was "
                      + (status == null ? "never started" : status)
                      + " instead of waiting for a retry"));
          return Optional.empty();
        }
        pause();
      }
    }

    private void send(byte[] body) {
      ParsedEvent parsed = reader.read(body);
      if (parsed instanceof ParsedEvent.Valid valid) {
        if (intake == null) {
          Worker worker = workers.get(0);
          worker.receive(valid);
          worker.runDue();
        } else {
          // In turn through the intake-only engine, which leaves every closure to the claims, and
          // each worker's own, which hands what it starts to its worker (decision 0023) and races
          // the other instances' claims for the lease.
          int turn = deliveries++ % (workers.size() + 1);
          receiveLikeAWebhookSender(
              valid, turn == 0 ? intake::receive : workers.get(turn - 1)::receive);
          wakeWorkers();
        }
      } else if (parsed instanceof ParsedEvent.Malformed malformed) {
        throw new IllegalStateException(
            "campaign generated a malformed event: " + malformed.field());
      }
    }

    /**
     * Intake while other instances work: a transient store failure (a deadlock with a worker's
     * transaction) is what the webhook answers 503 to, and a sender delivers again. The campaign
     * does the same, and counts it under {@code intake/REFUSED} for the escalation.
     */
    private void receiveLikeAWebhookSender(
        ParsedEvent.Valid valid, Consumer<IncomingEvent> instance) {
      for (int attempt = 1; ; attempt++) {
        try {
          instance.accept(valid.event());
          return;
        } catch (TransientDataAccessException refused) {
          valid.event().finalizedEvent().ifPresent(e -> faults.noteIntakeRefused(e.escalationId()));
          if (attempt >= INTAKE_ATTEMPTS) {
            throw refused;
          }
        }
      }
    }

    private byte[] event(
        String id,
        String type,
        EscalationId escalation,
        EpisodeId episode,
        int version,
        Instant finalizedAt,
        List<ArchiveRef> refs,
        List<String> requested) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("escalationId", escalation.value());
      data.put("episodeId", episode.value());
      data.put("disposition", DispositionEvent.CLOSURE_APPROVED);
      data.put("dispositionVersion", version);
      data.put("finalizedAt", finalizedAt.toString());
      List<Map<String, String>> refList = new ArrayList<>();
      for (ArchiveRef ref : refs) {
        refList.add(Map.of("kind", ref.kind(), "uri", ref.uri(), "sha256", ref.sha256()));
      }
      data.put("archiveRefs", refList);
      data.put("requestedActions", requested);
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("specversion", "1.0");
      event.put("id", id);
      event.put("source", "urn:support:review-board");
      event.put("type", type);
      event.put("subject", escalation.value());
      event.put("time", finalizedAt.toString());
      event.put("datacontenttype", "application/json");
      event.put("data", data);
      return json.writeValueAsBytes(event);
    }

    // ---- working and settling -----------------------------------------------------------------

    /** Works everything due, moving the clock to each next retry, until nothing is left. */
    private void settle() {
      if (spec.instances() == 1) {
        Worker worker = workers.get(0);
        for (int i = 0; i < DRAIN_LIMIT; i++) {
          int worked = worker.runDue();
          Optional<Instant> next = stores.closures().nextDueAt();
          if (next.isEmpty()) {
            return;
          }
          if (next.get().isAfter(clock.instant())) {
            clock.advanceTo(next.get());
          } else if (worked == 0) {
            // Due but not claimable (another closure of the escalation holds the lease).
            clock.advanceTo(clock.instant().plus(IDLE_NUDGE));
          }
        }
        throw new IllegalStateException("campaign did not drain within " + DRAIN_LIMIT + " rounds");
      }
      for (int i = 0; i < DRAIN_LIMIT; i++) {
        awaitQuiet();
        Optional<Instant> next = stores.closures().nextDueAt();
        if (next.isEmpty()) {
          return;
        }
        clock.advanceTo(
            next.get().isAfter(clock.instant()) ? next.get() : clock.instant().plus(IDLE_NUDGE));
        wakeWorkers();
      }
      throw new IllegalStateException("campaign did not drain within " + DRAIN_LIMIT + " rounds");
    }

    /** Waits until no closure is leased and none is due at the current campaign time. */
    private void awaitQuiet() {
      JdbcClient jdbc = JdbcClient.create(dataSource);
      long deadline = System.currentTimeMillis() + SETTLE_TIMEOUT_MILLIS;
      while (true) {
        long busy =
            jdbc.sql(
                    """
                    SELECT count(*) FROM closures
                     WHERE status IN ('RUNNING', 'REVERTING')
                        OR (status = 'PENDING' AND next_attempt_at <= :now)
                    """)
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
        if (busy == 0) {
          return;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(
              "campaign did not settle: " + busy + " closures still busy after 120 s");
        }
        wakeWorkers();
        pause();
      }
    }

    private void startWorkers() {
      if (spec.instances() == 1) {
        return;
      }
      for (Worker worker : workers) {
        Thread thread = new Thread(() -> loop(worker), worker.id);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    private void loop(Worker worker) {
      while (running) {
        int worked = 0;
        try {
          worked = worker.runDue();
        } catch (TransientDataAccessException e) {
          // As the service's worker loop does: the next poll tries again.
          worked = 0;
        } catch (RuntimeException e) {
          problems.add(
              new CampaignReport.Problem(
                  CampaignReport.Problem.CAMPAIGN, "worker " + worker.id + " failed: " + e));
        }
        if (worked == 0) {
          synchronized (wake) {
            try {
              wake.wait(5);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
        }
      }
    }

    private void wakeWorkers() {
      if (spec.instances() > 1) {
        synchronized (wake) {
          wake.notifyAll();
        }
      }
    }

    void stopWorkers() {
      running = false;
      wakeWorkers();
      for (Thread thread : threads) {
        try {
          thread.join(30_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      threads.clear();
    }

    private void pause() {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("campaign interrupted", e);
      }
    }

    /**
     * One engine instance: a worker id, its jitter, and its engine, replaced by a fresh one on the
     * same store when the crash switch kills it, as a restarted instance would be.
     */
    private final class Worker {
      private final String id;
      private final SplittableRandom jitter;
      private volatile CloseoutEngine engine;

      Worker(String id, SplittableRandom jitter) {
        this.id = id;
        this.jitter = jitter;
        this.engine = newEngine();
      }

      private CloseoutEngine newEngine() {
        CloseoutEngine engine =
            new CloseoutEngine(faults.ports(), stores, clock, settings, id, crashes, jitter);
        // This worker runs whatever it takes in, so intake may hand it what it starts (decision
        // 0023); the intake-only engine of a campaign of several instances leases nothing.
        engine.openIntakeHandOff();
        return engine;
      }

      void receive(ParsedEvent.Valid valid) {
        receive(valid.event());
      }

      /**
       * Intake on this instance. Never while its engine is being replaced: a closure leased into
       * the hand-off of an engine that is gone must be given back by its successor's recovery, and
       * one leased to the successor must not be.
       */
      void receive(IncomingEvent event) {
        synchronized (this) {
          engine.receive(event);
        }
      }

      /** Works what is due; a kill restarts the engine, which resumes (and may be killed again). */
      int runDue() {
        try {
          return engine.runDue();
        } catch (WorkerKilled killed) {
          while (true) {
            synchronized (this) {
              CloseoutEngine successor = newEngine();
              successor.recoverAfterRestart();
              engine = successor;
            }
            try {
              engine.runDue();
              return 1;
            } catch (WorkerKilled again) {
              // Killed again while resuming: restart once more.
            }
          }
        }
      }
    }
  }

  // ---- ground-truth material
  // ---------------------------------------------------------------------

  static String eventId(EscalationId escalation, int version, String suffix) {
    return "evt-" + escalation.value() + "-v" + version + "-" + suffix;
  }

  static List<ArchiveRef> archiveRefs(EscalationId escalation, int version) {
    String packet = "archive://closure-packets/" + escalation.value() + "/v" + version + ".pdf";
    String note = "archive://review-notes/" + escalation.value() + "/v" + version + ".md";
    return List.of(
        new ArchiveRef("CLOSURE_PACKET", packet, sha256(packet)),
        new ArchiveRef("REVIEW_NOTE", note, sha256(note)));
  }

  /** Canary values in every restricted field: any of them found outside the review is a leak. */
  static RestrictedContent canaries(EscalationId escalation) {
    String id = escalation.value();
    return new RestrictedContent(
        "TRANSCRIPT-CANARY-" + id + " the customer said the outage cost them",
        "CONCESSION-CANARY-" + id + " offered a credit",
        "REVIEWER-CANARY-" + id + " we disagree on root cause",
        "Contact CANARY " + id,
        "contact-canary-" + id.toLowerCase() + "@customer.example");
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
