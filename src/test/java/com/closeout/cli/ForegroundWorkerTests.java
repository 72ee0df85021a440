package com.closeout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.closeout.evaluation.SimulatedClock;
import com.closeout.propagation.CloseoutEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForegroundWorkerTests {

  private final CloseoutEngine engine = mock(CloseoutEngine.class);
  private final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-11-20T10:00:00Z"));
  private final List<Duration> pauses = new ArrayList<>();
  private final ForegroundWorker worker =
      new ForegroundWorker(
          engine,
          clock,
          duration -> {
            pauses.add(duration);
            clock.advanceTo(clock.instant().plus(duration));
          });

  @Test
  void waitsOutARetryDelayWithinPatienceThenStopsWhenIdle() {
    Instant retryAt = clock.instant().plusSeconds(4);
    when(engine.runDue()).thenReturn(2, 1);
    when(engine.nextDueAt()).thenReturn(Optional.of(retryAt), Optional.empty());

    ForegroundWorker.Result result = worker.runUntilIdle(Duration.ofSeconds(10));

    assertThat(pauses).containsExactly(Duration.ofSeconds(4));
    assertThat(result.worked()).isEqualTo(3);
    assertThat(result.waitingUntil()).isEmpty();
  }

  @Test
  void leavesARetryBeyondPatienceForServe() {
    Instant retryAt = clock.instant().plusSeconds(600);
    when(engine.runDue()).thenReturn(1);
    when(engine.nextDueAt()).thenReturn(Optional.of(retryAt));

    ForegroundWorker.Result result = worker.runUntilIdle(Duration.ofSeconds(10));

    assertThat(pauses).isEmpty();
    assertThat(result.waitingUntil()).contains(retryAt);
  }
}
