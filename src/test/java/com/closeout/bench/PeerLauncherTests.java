package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerLauncherTests {
  private static final BenchSettings SETTINGS =
      new BenchSettings(1_000, 0, 8, 32, 128, 20, 2, 15, 300, 50, 0);

  @Test
  void thePeersJvmGetsThisJvmsPauseGoalBeforeTheOptionsThatMayChangeIt() {
    PeerLauncher launcher =
        new PeerLauncher("peer.jar", "-Xmx512m -XX:MaxGCPauseMillis=50", quiet());

    List<String> command = launcher.command("jdbc:postgresql://db/bench", "bench", SETTINGS);

    List<String> options = new ArrayList<>(thisJvmsPauseGoal());
    options.addAll(List.of("-Xmx512m", "-XX:MaxGCPauseMillis=50"));
    assertThat(command.subList(1, 1 + options.size())).containsExactlyElementsOf(options);
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

    List<String> expected = new ArrayList<>(thisJvmsPauseGoal());
    expected.add("-cp");
    assertThat(command.subList(1, 1 + expected.size())).containsExactlyElementsOf(expected);
    assertThat(command).doesNotContain("--user");
  }

  /** G1, which the JVM picks on two cores or more, has a goal; a JVM without one passes none. */
  private static List<String> thisJvmsPauseGoal() {
    return JvmCollector.pauseGoalMillis().stream()
        .mapToObj(goal -> "-XX:MaxGCPauseMillis=" + goal)
        .toList();
  }

  private static PrintStream quiet() {
    return new PrintStream(OutputStream.nullOutputStream());
  }
}
