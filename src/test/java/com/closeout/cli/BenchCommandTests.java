package com.closeout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.closeout.bench.BenchSettings;
import com.closeout.bench.LocalBroker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCommandTests {

  @Test
  void defaultsToTheEmbeddedStoreWithThePeer() throws UsageException {
    BenchCommand.Options options = BenchCommand.parse(List.of());

    assertThat(options.store()).isEqualTo("embedded");
    assertThat(options.peer()).isTrue();
    assertThat(options.json()).isFalse();
    assertThat(options.trace()).isEmpty();
    assertThat(options.intake()).isEqualTo("direct");
    assertThat(options.settings())
        .isEqualTo(
            new BenchSettings(
                BenchSettings.DEFAULT_CASES,
                0,
                BenchSettings.DEFAULT_PARALLELISM,
                BenchSettings.DEFAULT_BATCH_SIZE,
                2 * BenchSettings.DEFAULT_BATCH_SIZE * BenchSettings.DEFAULT_WORKERS,
                BenchSettings.DEFAULT_HALF_RATE_SECONDS,
                BenchSettings.DEFAULT_WORKERS,
                BenchSettings.DEFAULT_WARMUP_SECONDS,
                BenchSettings.DEFAULT_PEER_CASES,
                BenchSettings.DEFAULT_OPEN_LOOP_PERCENT,
                0));
  }

  @Test
  void readsEveryOption() throws UsageException {
    BenchCommand.Options options =
        BenchCommand.parse(
            List.of(
                "--cases",
                "100",
                "--store",
                "postgres",
                "--target-latency-ms",
                "5",
                "--parallelism",
                "16",
                "--batch-size",
                "64",
                "--window=256",
                "--workers",
                "3",
                "--warmup-seconds",
                "4",
                "--peer-cases",
                "50",
                "--half-rate-seconds",
                "3",
                "--open-loop-percent",
                "25",
                "--trace",
                "traces/open-loop.csv",
                "--intake",
                "kafka",
                "--json",
                "--no-peer"));

    assertThat(options.settings())
        .isEqualTo(new BenchSettings(100, 5, 16, 64, 256, 3, 3, 4, 50, 25, 0));
    assertThat(options.settings().openLoopAtHalfRate()).isFalse();
    assertThat(options.store()).isEqualTo("postgres");
    assertThat(options.json()).isTrue();
    assertThat(options.peer()).isFalse();
    assertThat(options.trace()).contains(Path.of("traces/open-loop.csv"));
    assertThat(options.intake()).isEqualTo("kafka");
  }

  @Test
  void readsAFixedOpenLoopRate() throws UsageException {
    BenchSettings settings = BenchCommand.parse(List.of("--open-loop-rate", "300")).settings();

    assertThat(settings.openLoopRate()).isEqualTo(300);
    assertThat(settings.openLoopAtHalfRate()).isFalse();
    assertThat(settings.openLoopRateFor(1_000)).isEqualTo(300.0);
  }

  @Test
  void refusesAnUnknownStoreAndNonsenseNumbers() {
    assertThatThrownBy(() -> BenchCommand.parse(List.of("--store", "h2")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("embedded or postgres");
    assertThatThrownBy(() -> BenchCommand.parse(List.of("--intake", "nats")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("direct or kafka");
    assertThatThrownBy(() -> BenchCommand.parse(List.of("--cases", "0")))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> BenchCommand.parse(List.of("--target-latency-ms", "-1")))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(
            () ->
                BenchCommand.parse(List.of("--open-loop-percent", "25", "--open-loop-rate", "300")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> BenchCommand.parse(List.of("--open-loop-rate", "0")))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> BenchCommand.parse(List.of("--open-loop-percent", "101")))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> BenchCommand.parse(List.of("--open-loop-percent", "0")))
        .isInstanceOf(UsageException.class);
  }

  @Test
  void throughKafkaWithoutALocalBrokerItSaysWhatIsMissingAndMeasuresNothing()
      throws UsageException {
    assumeTrue(LocalBroker.classpathFromEnvironment().isEmpty(), "a broker classpath is set");
    FakeCommandContext context = new FakeCommandContext();

    int status = new BenchCommand().run(List.of("--intake", "kafka", "--no-peer"), context);

    assertThat(status).isEqualTo(CliCommand.FAILED);
    assertThat(context.errors()).contains(LocalBroker.CLASSPATH_VARIABLE);
  }
}
