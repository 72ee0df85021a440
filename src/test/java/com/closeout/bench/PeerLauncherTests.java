package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerLauncherTests {
  private static final BenchSettings SETTINGS =
      new BenchSettings(1_000, 0, 8, 32, 128, 20, 2, 15, 300, 50, 0);

  @Test
  void thePeersJvmGetsThisJvmsPauseGoalBeforeTheOptionsThatMayChangeIt() {
    long goal = JvmCollector.pauseGoalMillis().orElseThrow();
    PeerLauncher launcher =
        new PeerLauncher("peer.jar", "-Xmx512m -XX:MaxGCPauseMillis=50", quiet());

    List<String> command = launcher.command("jdbc:postgresql://db/bench", "bench", SETTINGS);

    assertThat(command.subList(1, 4))
        .containsExactly("-XX:MaxGCPauseMillis=" + goal, "-Xmx512m", "-XX:MaxGCPauseMillis=50");
    assertThat(command)
        .containsSubsequence("-cp", "peer.jar", PeerLauncher.MAIN_CLASS)
        .containsSubsequence("--cases", "300")
        .containsSubsequence("--jdbc-url", "jdbc:postgresql://db/bench")
        .containsSubsequence("--user", "bench");
  }

  @Test
  void aPeerWithoutOptionsOrUserRunsWithThePauseGoalAlone() {
    PeerLauncher launcher = new PeerLauncher("peer.jar", null, quiet());

    List<String> command = launcher.command("jdbc:postgresql://db/bench", null, SETTINGS);

    assertThat(command.get(1)).startsWith("-XX:MaxGCPauseMillis=");
    assertThat(command.get(2)).isEqualTo("-cp");
    assertThat(command).doesNotContain("--user");
  }

  private static PrintStream quiet() {
    return new PrintStream(OutputStream.nullOutputStream());
  }
}
