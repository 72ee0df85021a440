package com.closeout.evaluation;

import com.closeout.audit.DriftReconciliation;
import com.closeout.audit.DriftReport;
import com.closeout.domain.ArchiveRef;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.domain.TargetSystem;
import com.closeout.intake.ParsedEvent;
import com.closeout.intake.format.CloudEventJsonReader;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.EngineSettings;
import com.closeout.propagation.StepCommitListener;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.sandbox.FaultKind;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import javax.sql.DataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo: generates escalations with known ground truth — clean ones, every anomaly of SPEC §4,
 * and transient target faults — delivers them through the real pipeline (CloudEvent JSON, intake,
 * verification, propagation) against the sandbox systems on the configured store, drains the work
 * on a simulated clock, and measures the outcome from the store and the sandbox.
 */
public final class DemoCampaign {
  private static final int DRAIN_LIMIT = 100_000;
  private static final List<CaseKind> ANOMALIES =
      List.of(CaseKind.values()).stream().filter(CaseKind::isAnomaly).toList();
  private static final List<TargetSystem> FAULTABLE_WRITES =
      List.of(
          TargetSystem.TRACKER, TargetSystem.LEDGER, TargetSystem.QUEUE, TargetSystem.NOTIFICATION);

  private final DataSource dataSource;
  private final SandboxControl sandbox;
  private final Function<Clock, TargetPorts> ports;
  private final EngineSettings settings;
  private final CloudEventJsonReader reader = new CloudEventJsonReader();
  private final JsonMapper json = JsonMapper.builder().build();

  public DemoCampaign(DataSource dataSource, SandboxSystems sandbox, EngineSettings settings) {
    this(dataSource, sandbox, clock -> sandbox.ports(), settings);
  }

  /**
   * A campaign whose engine reaches the systems through {@code ports} (e.g. the REST adapters
   * against a sandbox server), given the campaign's clock; {@code sandbox} sets them up and
   * inspects them.
   */
  public DemoCampaign(
      DataSource dataSource,
      SandboxControl sandbox,
      Function<Clock, TargetPorts> ports,
      EngineSettings settings) {
    this.dataSource = dataSource;
    this.sandbox = sandbox;
    this.ports = ports;
    this.settings = settings;
  }

  /**
   * Runs one campaign. {@code runTag} keeps its escalation ids apart from earlier runs on the same
   * store; {@code start} is the campaign clock's start.
   */
  public CampaignReport run(int cases, long seed, String runTag, Instant start) {
    if (cases < 1) {
      throw new IllegalArgumentException("cases must be positive");
    }
    SplittableRandom random = new SplittableRandom(seed);
    CampaignClock clock = new CampaignClock(start.truncatedTo(ChronoUnit.SECONDS));
    // The store stamps audit entries with the campaign's time too, so one run is one timeline.
    CloseoutStores stores = JdbcCloseoutStores.create(dataSource, clock);
    TargetPorts targets = ports.apply(clock);
    CloseoutEngine engine =
        new CloseoutEngine(
            targets,
            stores,
            clock,
            settings,
            "demo-" + runTag,
            StepCommitListener.NONE,
            random.split());
    List<PlannedCase> plan = plan(cases, random, runTag, clock.instant());
    List<Double> latencies = new ArrayList<>();
    long began = System.nanoTime();
    for (PlannedCase planned : plan) {
      long caseBegan = System.nanoTime();
      deliver(planned, engine, clock);
      clock.advance(Duration.ofMillis(250));
      latencies.add((System.nanoTime() - caseBegan) / 1_000_000.0);
    }
    drain(engine, clock);
    double seconds = (System.nanoTime() - began) / 1_000_000_000.0;
    // The plan's first case is finalized earliest; a day's margin covers clock skew at the source.
    DriftReport drift =
        new DriftReconciliation(
                targets, stores.closures(), stores.audit(), stores.transactions(), clock)
            .reconcile(plan.get(0).finalizedAt().minus(Duration.ofDays(1)));
    return new CampaignMeasures(stores, sandbox)
        .measure(seed, runTag, plan, latencies, seconds, drift);
  }

  private List<PlannedCase> plan(int cases, SplittableRandom random, String runTag, Instant t0) {
    List<CaseKind> kinds = new ArrayList<>();
    for (int i = 0; i < cases; i++) {
      if (i < ANOMALIES.size() && cases >= 2 * ANOMALIES.size()) {
        kinds.add(ANOMALIES.get(i)); // every anomaly at least once when there is room
      } else {
        int roll = random.nextInt(100);
        kinds.add(
            roll < 50
                ? CaseKind.CLEAN
                : roll < 65
                    ? CaseKind.CLEAN_WITH_FAULT
                    : ANOMALIES.get(random.nextInt(ANOMALIES.size())));
      }
    }
    // Seeded shuffle, so anomalies and faults are spread through the run.
    for (int i = kinds.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      CaseKind swap = kinds.get(i);
      kinds.set(i, kinds.get(j));
      kinds.set(j, swap);
    }
    List<PlannedCase> plan = new ArrayList<>();
    for (int i = 0; i < cases; i++) {
      CaseKind kind = kinds.get(i);
      EscalationId escalation = new EscalationId(String.format("ESC-%s-%05d", runTag, i + 1));
      int version = 1 + random.nextInt(3);
      Instant finalizedAt = t0.minus(Duration.ofMinutes(cases - i)).truncatedTo(ChronoUnit.SECONDS);
      TargetSystem faultSystem = null;
      FaultKind faultKind = null;
      int faultCount = 0;
      if (kind == CaseKind.CLEAN_WITH_FAULT) {
        faultKind = FaultKind.values()[random.nextInt(FaultKind.values().length)];
        faultSystem =
            faultKind == FaultKind.UNAVAILABLE && random.nextInt(4) == 0
                ? (random.nextBoolean() ? TargetSystem.REVIEW : TargetSystem.ARCHIVE)
                : FAULTABLE_WRITES.get(random.nextInt(FAULTABLE_WRITES.size()));
        faultCount = 1 + random.nextInt(3);
      }
      String anomalousEventId =
          switch (kind) {
            case DUPLICATE_DELIVERY -> eventId(escalation, version, "a");
            case REEMISSION_NEW_ID -> eventId(escalation, version, "b");
            case STALE_VERSION -> eventId(escalation, version, "old");
            case NON_FINALIZED_TYPE -> eventId(escalation, version, "a");
            default -> null;
          };
      int expectedVersion = kind == CaseKind.STALE_VERSION ? version + 1 : version;
      plan.add(
          new PlannedCase(
              i + 1,
              escalation,
              kind,
              expectedVersion,
              finalizedAt,
              anomalousEventId,
              faultSystem,
              faultKind,
              faultCount));
    }
    return plan;
  }

  /** Sets the case's systems up as its kind says, then delivers its events. */
  private void deliver(PlannedCase planned, CloseoutEngine engine, CampaignClock clock) {
    EscalationId escalation = planned.escalationId();
    EpisodeId episode = new EpisodeId("EP-" + planned.index());
    int version = planned.version();
    int eventVersion = planned.kind() == CaseKind.STALE_VERSION ? version - 1 : version;
    List<ArchiveRef> refs = archiveRefs(escalation, version);
    List<ArchiveRef> eventRefs = archiveRefs(escalation, eventVersion);

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
    List<ArchiveRef> recordRefs =
        planned.kind() == CaseKind.SUPERSEDED ? archiveRefs(escalation, recordVersion) : refs;
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
            escalation.value(), escalation, trackerEpisode, "IN_REVIEW", null, null, List.of(), 1));
    if (planned.kind() != CaseKind.MAPPING_MISSING) {
      sandbox.putLedger(
          new BookkeepingRecord(
              escalation.value(), escalation, episode, "OPEN", null, null, List.of(), 1));
    }
    sandbox.putQueueItem(
        new QueueItem("Q-" + escalation.value(), escalation, episode, QueueItem.OPEN, null, 1));
    for (ArchiveRef ref : recordRefs) {
      String digest =
          planned.kind() == CaseKind.ARCHIVE_DIGEST_MISMATCH && ref.kind().equals("CLOSURE_PACKET")
              ? sha256("tampered:" + ref.uri())
              : ref.sha256();
      sandbox.putArchiveObject(new ArchiveObject(ref.uri(), digest));
    }
    if (planned.kind() == CaseKind.STALE_VERSION) {
      for (ArchiveRef ref : eventRefs) {
        sandbox.putArchiveObject(new ArchiveObject(ref.uri(), ref.sha256()));
      }
    }
    if (planned.faulted()) {
      sandbox.injectFault(planned.faultSystem(), planned.faultKind(), planned.faultCount());
    }

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
    switch (planned.kind()) {
      case LOST_EVENT -> {
        // Nothing is delivered: only reconciliation can notice.
      }
      case DUPLICATE_DELIVERY -> {
        String id = eventId(escalation, version, "a");
        send(engine, event(id, type, escalation, eventEpisode, version, planned, refs, requested));
        send(engine, event(id, type, escalation, eventEpisode, version, planned, refs, requested));
      }
      case REEMISSION_NEW_ID -> {
        send(
            engine,
            event(
                eventId(escalation, version, "a"),
                type,
                escalation,
                eventEpisode,
                version,
                planned,
                refs,
                requested));
        send(
            engine,
            event(
                eventId(escalation, version, "b"),
                type,
                escalation,
                eventEpisode,
                version,
                planned,
                refs,
                requested));
      }
      case STALE_VERSION -> {
        send(
            engine,
            event(
                eventId(escalation, version, "new"),
                type,
                escalation,
                eventEpisode,
                version,
                planned,
                refs,
                requested));
        drain(engine, clock); // the newer closure finishes before the old event arrives
        send(
            engine,
            event(
                planned.anomalousEventId(),
                type,
                escalation,
                eventEpisode,
                eventVersion,
                planned,
                eventRefs,
                requested));
      }
      default ->
          send(
              engine,
              event(
                  eventId(escalation, version, "a"),
                  type,
                  escalation,
                  eventEpisode,
                  eventVersion,
                  planned,
                  eventRefs,
                  requested));
    }
  }

  private void send(CloseoutEngine engine, byte[] body) {
    ParsedEvent parsed = reader.read(body);
    if (parsed instanceof ParsedEvent.Valid valid) {
      engine.receive(valid.event());
      engine.runDue();
    } else if (parsed instanceof ParsedEvent.Malformed malformed) {
      throw new IllegalStateException("demo generated a malformed event: " + malformed.field());
    }
  }

  private void drain(CloseoutEngine engine, CampaignClock clock) {
    for (int i = 0; i < DRAIN_LIMIT; i++) {
      engine.runDue();
      var next = engine.nextDueAt();
      if (next.isEmpty()) {
        return;
      }
      clock.advanceTo(next.get());
    }
    throw new IllegalStateException("campaign did not drain within " + DRAIN_LIMIT + " rounds");
  }

  private byte[] event(
      String id,
      String type,
      EscalationId escalation,
      EpisodeId episode,
      int version,
      PlannedCase planned,
      List<ArchiveRef> refs,
      List<String> requested) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("escalationId", escalation.value());
    data.put("episodeId", episode.value());
    data.put("disposition", DispositionEvent.CLOSURE_APPROVED);
    data.put("dispositionVersion", version);
    data.put("finalizedAt", planned.finalizedAt().toString());
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
    event.put("time", planned.finalizedAt().toString());
    event.put("datacontenttype", "application/json");
    event.put("data", data);
    return json.writeValueAsBytes(event);
  }

  private static String eventId(EscalationId escalation, int version, String suffix) {
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
  private static RestrictedContent canaries(EscalationId escalation) {
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
