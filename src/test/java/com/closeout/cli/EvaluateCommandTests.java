package com.closeout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EvaluateCommandTests {
  private final FakeCommandContext context = new FakeCommandContext();

  private int run(String... args) {
    return CloseoutCli.standard().run(args, context);
  }

  @Test
  void optionsHaveDefaultsAndOneSeedIsNoSoak() throws UsageException {
    assertThat(EvaluateCommand.parse(List.of()))
        .isEqualTo(new EvaluationLauncher.Options(200, 1, 1, false, "none", 1, null, false));
    assertThat(
            EvaluateCommand.parse(
                List.of(
                    "--cases",
                    "60",
                    "--seed=-3",
                    "--faults",
                    "outage",
                    "--instances",
                    "2",
                    "--outage-minutes",
                    "4",
                    "--json")))
        .isEqualTo(new EvaluationLauncher.Options(60, -3, -3, false, "outage", 2, 4, true));
  }

  @Test
  void aSeedRangeIsASoak() throws UsageException {
    assertThat(EvaluateCommand.parse(List.of("--seeds", "1..50", "--faults", "chaos")))
        .isEqualTo(new EvaluationLauncher.Options(200, 1, 50, true, "chaos", 1, null, false));
    assertThat(EvaluateCommand.parse(List.of("--seeds", "7..7")).soak()).isTrue();
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThatThrownBy(() -> EvaluateCommand.parse(List.of("--faults", "storm")))
        .hasMessageContaining("--faults must be");
    assertThatThrownBy(() -> EvaluateCommand.parse(List.of("--seed", "1", "--seeds", "1..2")))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> EvaluateCommand.parse(List.of("--seeds", "5")))
        .hasMessageContaining("range");
    assertThatThrownBy(() -> EvaluateCommand.parse(List.of("--seeds", "5..2")))
        .hasMessageContaining("end before");
    assertThatThrownBy(() -> EvaluateCommand.parse(List.of("--instances", "9")))
        .hasMessageContaining("at most 8");
    assertThatThrownBy(() -> EvaluateCommand.parse(List.of("--outage-minutes", "2")))
        .hasMessageContaining("outage or chaos");
  }

  @Test
  void runsTheLauncherOnAOneShotContextAndReturnsItsStatus() {
    AtomicReference<EvaluationLauncher.Options> seen = new AtomicReference<>();
    context.beans.put(
        EvaluationLauncher.class,
        (EvaluationLauncher)
            (options, out, err) -> {
              seen.set(options);
              out.println("soak: done");
              return 1;
            });

    assertThat(run("evaluate", "--seeds", "1..3", "--faults", "chaos", "--cases", "10"))
        .isEqualTo(1);
    assertThat(seen.get().lastSeed()).isEqualTo(3);
    assertThat(context.printed()).contains("soak: done");
    assertThat(context.oneShotStarts).isEqualTo(1);
    assertThat(context.serveStarts).isZero();
  }

  @Test
  void withoutCampaignsInTheBuildItFails() {
    assertThat(run("evaluate")).isEqualTo(1);
    assertThat(context.errors()).contains("no evaluation campaigns");
  }

  @Test
  void aBadProfileExitsWithUsage() {
    assertThat(run("evaluate", "--faults", "storm")).isEqualTo(2);
    assertThat(context.errors()).contains("usage: closeout evaluate");
  }
}
