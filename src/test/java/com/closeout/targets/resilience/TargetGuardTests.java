package com.closeout.targets.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.EscalationId;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.FaultKind;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.sandbox.http.SandboxHttpServer;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.rest.RestTargets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetGuardTests {
  private static final EscalationId ESC = new EscalationId("ESC-1");

  /** Opens after 2 failures out of the last 2 calls; stays open 30 s of the given clock. */
  private static GuardSettings touchy() {
    return new GuardSettings(
        50f, 2, 2, Duration.ofSeconds(30), 1, 1000, Duration.ofMillis(100), Duration.ZERO);
  }

  private static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-11-20T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void openBreakerRefusesAtOnceWhileOtherTargetsGoOnAndHalfOpensWhenItsTimeHasPassed() {
    SandboxSystems sandbox = new SandboxSystems();
    MovableClock clock = new MovableClock();
    try (SandboxHttpServer server = SandboxHttpServer.start(sandbox, 0)) {
      TargetPorts rest = RestTargets.onOneServer(server.baseUrl(), clock);
      TargetGuard trackerGuard = new TargetGuard(TargetSystem.TRACKER, touchy(), clock);
      TargetGuard ledgerGuard = new TargetGuard(TargetSystem.LEDGER, touchy(), clock);
      TargetPorts guarded =
          GuardedPorts.wrap(
              rest, Map.of(TargetSystem.TRACKER, trackerGuard, TargetSystem.LEDGER, ledgerGuard));
      sandbox.injectFault(TargetSystem.TRACKER, FaultKind.UNAVAILABLE, 2);

      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> guarded.tracker().findByEscalation(ESC))
            .isInstanceOf(TargetUnavailableException.class);
      }
      assertThat(trackerGuard.status().breakerState()).isEqualTo("OPEN");

      // A dead tracker costs nothing: refused without a call, with the wait as Retry-After.
      int callsBefore = sandbox.armedFaults(TargetSystem.TRACKER);
      assertThatThrownBy(() -> guarded.tracker().findByEscalation(ESC))
          .isInstanceOfSatisfying(
              TargetUnavailableException.class,
              e -> {
                assertThat(e.getMessage()).contains("circuit breaker open");
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
                assertThat(e.outcomeUnknown()).isFalse();
              });
      assertThat(sandbox.armedFaults(TargetSystem.TRACKER)).isEqualTo(callsBefore);
      assertThat(guarded.ledger().findByEscalation(ESC)).isEmpty();
      assertThat(ledgerGuard.status().breakerState()).isEqualTo("CLOSED");

      clock.now = clock.now.plusSeconds(31);
      assertThat(guarded.tracker().findByEscalation(ESC)).isEmpty();
      assertThat(trackerGuard.status().breakerState()).isEqualTo("CLOSED");
    }
  }

  @Test
  void answersThatAreNotOutagesDoNotOpenTheBreaker() {
    TargetGuard guard = new TargetGuard(TargetSystem.QUEUE, touchy(), Clock.systemUTC());
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(
              () ->
                  guard.call(
                      () -> {
                        throw new IllegalStateException("a bug, not an outage");
                      }))
          .isInstanceOf(IllegalStateException.class);
    }
    assertThat(guard.status().breakerState()).isEqualTo("CLOSED");
  }

  @Test
  void exhaustedRateLimitIsUnavailableWithoutCallingTheTarget() {
    GuardSettings oneCall =
        new GuardSettings(
            50f, 10, 10, Duration.ofSeconds(30), 1, 1, Duration.ofSeconds(10), Duration.ZERO);
    TargetGuard guard = new TargetGuard(TargetSystem.NOTIFICATION, oneCall, Clock.systemUTC());
    int[] calls = {0};

    guard.call(() -> ++calls[0]);
    assertThatThrownBy(() -> guard.call(() -> ++calls[0]))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(10)));

    assertThat(calls[0]).isEqualTo(1);
    assertThat(guard.status().availablePermissions()).isZero();
  }
}
