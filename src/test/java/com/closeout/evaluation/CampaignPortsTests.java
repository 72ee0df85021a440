package com.closeout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.FaultKind;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.ReviewState;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CampaignPortsTests {
  private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
  private static final EscalationId ONE = new EscalationId("ESC-1");
  private static final EscalationId TWO = new EscalationId("ESC-2");

  private final SandboxSystems sandbox = new SandboxSystems();
  private final SimulatedClock clock = new SimulatedClock(T0);
  private final CampaignPorts campaign = new CampaignPorts(sandbox, sandbox.ports(), clock);
  private final TargetPorts ports = campaign.ports();

  @BeforeEach
  void twoTrackerRecords() {
    for (EscalationId id : List.of(ONE, TWO)) {
      sandbox.putTracker(
          new BookkeepingRecord(
              id.value(), id, new EpisodeId("EP-1"), "IN_REVIEW", null, null, List.of(), 1));
      campaign.own(id.value(), id);
    }
  }

  private WriteResult syncTracker(EscalationId id, long revision) {
    return ports
        .tracker()
        .setReviewState(
            id.value(),
            ReviewState.reviewComplete(1, T0),
            revision,
            new IdempotencyKey(id.value() + ":v1:TRACKER_SYNC"));
  }

  @Test
  void aFaultArmedForOneEscalationLeavesTheOthersCallsAlone() {
    campaign.arm(ONE, new PlannedFault(TargetSystem.TRACKER, FaultKind.UNAVAILABLE, 2, false));

    assertThat(ports.tracker().findByEscalation(TWO)).isPresent();
    assertThatThrownBy(() -> ports.tracker().findByEscalation(ONE))
        .isInstanceOf(TargetUnavailableException.class);
    assertThatThrownBy(() -> syncTracker(ONE, 1)).isInstanceOf(TargetUnavailableException.class);
    assertThat(syncTracker(ONE, 1)).isEqualTo(WriteResult.APPLIED);
    assertThat(campaign.fired(ONE)).containsExactly(java.util.Map.entry("tracker/UNAVAILABLE", 2));
    assertThat(campaign.fired(TWO)).isEmpty();
  }

  @Test
  void aWritesOnlyRefusalLetsReadsThrough() {
    campaign.arm(ONE, new PlannedFault(TargetSystem.TRACKER, FaultKind.UNAVAILABLE, 1, true));

    assertThat(ports.tracker().findByEscalation(ONE)).isPresent();
    assertThatThrownBy(() -> syncTracker(ONE, 1)).isInstanceOf(TargetUnavailableException.class);
    assertThat(sandbox.writes(ONE, TargetSystem.TRACKER)).isZero();
  }

  @Test
  void aTimeoutAppliesTheWriteLogsItAndLosesTheAnswer() {
    campaign.arm(ONE, new PlannedFault(TargetSystem.TRACKER, FaultKind.TIMEOUT, 1, false));

    assertThatThrownBy(() -> syncTracker(ONE, 1))
        .isInstanceOf(TargetUnavailableException.class)
        .satisfies(e -> assertThat(((TargetUnavailableException) e).outcomeUnknown()).isTrue());
    assertThat(sandbox.tracker(ONE).orElseThrow().status()).isEqualTo("REVIEW_COMPLETE");
    assertThat(campaign.writes(ONE)).hasSize(1);
  }

  @Test
  void aConflictMovesTheRevisionJustBeforeTheWriteSoItIsRefused() {
    campaign.arm(ONE, new PlannedFault(TargetSystem.TRACKER, FaultKind.CONFLICT, 1, false));

    assertThat(syncTracker(ONE, 1)).isEqualTo(WriteResult.REVISION_CONFLICT);
    BookkeepingRecord edited = sandbox.tracker(ONE).orElseThrow();
    assertThat(edited.revision()).isEqualTo(2);
    assertThat(edited.status()).isEqualTo("IN_REVIEW");
    assertThat(syncTracker(ONE, 2)).isEqualTo(WriteResult.APPLIED);
  }

  @Test
  void anOutageRefusesEveryCallToItsSystemOnlyInsideItsWindow() {
    campaign.startOutage(TargetSystem.TRACKER, T0.plusSeconds(10), Duration.ofSeconds(60));

    assertThat(ports.tracker().findByEscalation(ONE)).isPresent();
    clock.advance(Duration.ofSeconds(10));
    assertThatThrownBy(() -> ports.tracker().findByEscalation(TWO))
        .isInstanceOf(TargetUnavailableException.class);
    assertThat(ports.review().readEscalation(ONE)).isEmpty();
    clock.advance(Duration.ofSeconds(60));
    assertThat(syncTracker(TWO, 1)).isEqualTo(WriteResult.APPLIED);
    assertThat(campaign.fired(TWO)).containsEntry("tracker/OUTAGE", 1);
  }

  @Test
  void aMarkSeparatesTheWritesBeforeAChangeFromThoseAfterIt() {
    assertThat(syncTracker(ONE, 1)).isEqualTo(WriteResult.APPLIED);
    long mark = campaign.mark();
    clock.advance(Duration.ofSeconds(5));
    assertThat(syncTracker(TWO, 1)).isEqualTo(WriteResult.APPLIED);

    assertThat(campaign.writes(ONE)).allSatisfy(w -> assertThat(w.sequence()).isLessThan(mark));
    assertThat(campaign.writes(TWO))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.sequence()).isGreaterThan(mark);
              assertThat(w.at()).isEqualTo(T0.plusSeconds(5));
              assertThat(w.system()).isEqualTo(TargetSystem.TRACKER);
            });
  }
}
