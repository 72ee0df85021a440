package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tiny run whose open-loop phase goes through a broker (in process here, a JVM of its own under
 * {@code bin/closeout bench --intake kafka}) to the Kafka intake {@code serve} runs.
 */
@EmbeddedKafka(partitions = 1)
class KafkaIntakeRouteIntegrationTests {

  @Test
  void theOpenLoopPhaseThroughKafkaAcceptsEveryCaseAndSaysItWentThatWay(EmbeddedKafkaBroker broker)
      throws Exception {
    BenchReport report =
        BenchmarkTests.tinyRun(Optional.empty(), Optional.of(broker.getBrokersAsString()));

    CloseoutRun closeout = report.closeout();
    // Every case of the phase was accepted by the Kafka intake's commit and passed every mark.
    assertThat(closeout.halfRateFigures().closures()).isPositive();
    assertThat(closeout.halfRateFigures().legs())
        .allSatisfy(
            leg -> assertThat(leg.cases()).isEqualTo(closeout.halfRateFigures().measured()));
    // Intake wrote the inbox from the listener's transactions, one statement each.
    JsonNode json = JsonMapper.builder().build().readTree(report.toJson());
    assertThat(json.path("openLoopCosts").path("eventsPerIntakeTransaction").asDouble())
        .isGreaterThanOrEqualTo(1.0);
    assertThat(json.path("run").path("openLoopIntake").asString()).isEqualTo("kafka");
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    report.printTable(new PrintStream(table, true, StandardCharsets.UTF_8));
    assertThat(table.toString(StandardCharsets.UTF_8)).contains("open loop, through Kafka)");
  }
}
