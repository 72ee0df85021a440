package com.closeout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpringCommandContextTests {

  @Test
  void aOneShotCommandNeitherWorksClosuresNorConsumesTheEventTopicWhateverIsConfigured() {
    assertThat(SpringCommandContext.overrides(false, false))
        .containsExactly(
            "--closeout.worker.enabled=false", "--closeout.intake.kafka.enabled=false");
  }

  @Test
  void serveLeavesTheKafkaIntakeToItsSettingsAndADeferredWorkerWaits() {
    assertThat(SpringCommandContext.overrides(true, true)).isEmpty();
    assertThat(SpringCommandContext.overrides(true, false))
        .containsExactly("--closeout.worker.enabled=false");
  }
}
