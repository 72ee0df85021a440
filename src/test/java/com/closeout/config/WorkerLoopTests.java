package com.closeout.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.closeout.propagation.CloseoutEngine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerLoopTests {

  private final CloseoutEngine engine = mock(CloseoutEngine.class);

  private WorkerLoop loop(boolean enabled) {
    return new WorkerLoop(
        engine, new WorkerProperties(enabled, Duration.ofMillis(10), "test-worker", 1, 1));
  }

  @Test
  void recoversAfterRestartThenKeepsPollingThroughFailures() {
    AtomicInteger polls = new AtomicInteger();
    when(engine.runDue(any()))
        .thenAnswer(
            call -> {
              if (polls.incrementAndGet() <= 2) {
                throw new IllegalStateException("store hiccup");
              }
              return 0;
            });
    WorkerLoop loop = loop(true);

    loop.start();

    assertThat(loop.isRunning()).isTrue();
    verify(engine).recoverAfterRestart();
    await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() >= 5);
    loop.stop();
    assertThat(loop.isRunning()).isFalse();
  }

  @Test
  void aFailedRecoveryDoesNotPreventPolling() {
    when(engine.recoverAfterRestart()).thenThrow(new IllegalStateException("no store yet"));
    WorkerLoop loop = loop(true);

    loop.start();

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> verify(engine, atLeast(2)).runDue(any()));
    loop.stop();
  }

  @Test
  void disabledWorkerDoesNotStartWithTheApplication() {
    assertThat(loop(false).isAutoStartup()).isFalse();
    assertThat(loop(true).isAutoStartup()).isTrue();
  }
}
