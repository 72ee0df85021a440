package com.closeout.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.propagation.EngineSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class CloseoutPropertiesTests {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({
    EngineProperties.class,
    WorkerProperties.class,
    IntakeProperties.class
  })
  static class Properties {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(Properties.class);

  @Test
  void withoutPropertiesEverythingTakesItsDefault() {
    runner.run(
        context -> {
          assertThat(context.getBean(EngineProperties.class).toSettings())
              .isEqualTo(EngineSettings.defaults());
          WorkerProperties worker = context.getBean(WorkerProperties.class);
          assertThat(worker.enabled()).isTrue();
          assertThat(worker.pollInterval()).isEqualTo(Duration.ofSeconds(1));
          assertThat(worker.workerId()).endsWith(":" + ProcessHandle.current().pid());
          assertThat(context.getBean(IntakeProperties.class).maxBodySize())
              .isEqualTo(DataSize.ofKilobytes(256));
        });
  }

  @Test
  void propertiesOverrideTheDefaultsOneByOne() {
    runner
        .withPropertyValues(
            "closeout.engine.max-attempts=3",
            "closeout.engine.initial-backoff=250ms",
            "closeout.engine.lease=30s",
            "closeout.worker.enabled=false",
            "closeout.worker.poll-interval=200ms",
            "closeout.worker.worker-id=node-a",
            "closeout.intake.max-body-size=64KB")
        .run(
            context -> {
              EngineSettings settings = context.getBean(EngineProperties.class).toSettings();
              assertThat(settings.maxAttempts()).isEqualTo(3);
              assertThat(settings.initialBackoff()).isEqualTo(Duration.ofMillis(250));
              assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(30));
              assertThat(settings.maxBackoff()).isEqualTo(EngineSettings.defaults().maxBackoff());
              WorkerProperties worker = context.getBean(WorkerProperties.class);
              assertThat(worker.enabled()).isFalse();
              assertThat(worker.pollInterval()).isEqualTo(Duration.ofMillis(200));
              assertThat(worker.workerId()).isEqualTo("node-a");
              assertThat(context.getBean(IntakeProperties.class).maxBodySize())
                  .isEqualTo(DataSize.ofKilobytes(64));
            });
  }

  @Test
  void nonsenseValuesStopTheStartWithTheirName() {
    runner
        .withPropertyValues("closeout.engine.max-backoff=1ms")
        .run(
            context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("max-backoff"));
    runner
        .withPropertyValues("closeout.worker.poll-interval=0s")
        .run(
            context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("poll-interval"));
  }
}
