package com.closeout.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class KafkaIntakePropertiesTests {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(KafkaIntakeProperties.class)
  static class Properties {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(Properties.class);

  @Test
  void theKafkaIntakeIsOffByDefaultAndItsDeadLettersGoBesideItsTopic() {
    runner.run(
        context -> {
          KafkaIntakeProperties kafka = context.getBean(KafkaIntakeProperties.class);
          assertThat(kafka.enabled()).isFalse();
          assertThat(kafka.topic()).isEqualTo("support.review.disposition-events");
          assertThat(kafka.deadLetterTopic())
              .isEqualTo("support.review.disposition-events.malformed");
          assertThat(kafka.groupId()).isEqualTo("closeout-intake");
          assertThat(kafka.fetchMinSize()).isEqualTo(DataSize.ofBytes(1));
          assertThat(kafka.fetchMaxWait()).isEqualTo(Duration.ofMillis(500));
          assertThat(kafka).isEqualTo(KafkaIntakeProperties.defaults());
        });
  }

  @Test
  void aTopicOfItsOwnMovesTheDeadLetterTopicWithItUnlessThatIsNamed() {
    runner
        .withPropertyValues("closeout.intake.kafka.topic=review.events")
        .run(
            context ->
                assertThat(context.getBean(KafkaIntakeProperties.class).deadLetterTopic())
                    .isEqualTo("review.events.malformed"));
    runner
        .withPropertyValues(
            "closeout.intake.kafka.topic=review.events",
            "closeout.intake.kafka.dead-letter-topic=review.rejects",
            "closeout.intake.kafka.fetch-max-wait=0ms")
        .run(
            context -> {
              KafkaIntakeProperties kafka = context.getBean(KafkaIntakeProperties.class);
              assertThat(kafka.deadLetterTopic()).isEqualTo("review.rejects");
              assertThat(kafka.fetchMaxWait()).isZero();
            });
  }

  @Test
  void nonsenseValuesStopTheStartWithTheirName() {
    runner
        .withPropertyValues(
            "closeout.intake.kafka.topic=t", "closeout.intake.kafka.dead-letter-topic=t")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("dead-letter-topic"));
    runner
        .withPropertyValues("closeout.intake.kafka.max-poll-records=0")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("max-poll-records"));
    runner
        .withPropertyValues(
            "closeout.intake.kafka.retry-initial-delay=10s",
            "closeout.intake.kafka.retry-max-delay=1s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("retry-initial-delay"));
  }
}
