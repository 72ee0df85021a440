package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MachineStallProbeTests {
  @Test
  void aStallOfTheMachineIsALateWakeThatNoCollectionOfTheJvmExplains() {
    MachineStallProbe.Stalls stalls =
        new MachineStallProbe.Stalls(
            true,
            5_000,
            List.of(
                new MachineStallProbe.Stall(1_000_000L, 13_000_000L, false),
                new MachineStallProbe.Stall(50_000_000L, 110_000_000L, true),
                new MachineStallProbe.Stall(200_000_000L, 281_500_000L, false)));

    assertThat(stalls.machine()).hasSize(2);
    assertThat(stalls.duringCollections()).isEqualTo(1);
    assertThat(stalls.machineOver(50)).isEqualTo(1);
    assertThat(stalls.longestMillis()).isEqualTo(81.5);
    assertThat(stalls.stalledMillis()).isEqualTo(93.5);
    assertThat(MachineStallProbe.Stalls.NONE.longestMillis()).isZero();
  }

  @Test
  void aStallOverlapsWhatWasUnderWayWhileItLastedAndNothingElse() {
    MachineStallProbe.Stall stall = new MachineStallProbe.Stall(100, 200, false);

    assertThat(stall.overlaps(50, 150)).isTrue();
    assertThat(stall.overlaps(120, 180)).isTrue();
    assertThat(stall.overlaps(0, 300)).isTrue();
    assertThat(stall.overlaps(0, 100)).as("noticed as the stall began").isFalse();
    assertThat(stall.overlaps(200, 300)).as("due as it ended").isFalse();
  }

  @Test
  void theProbeSaysItRunsAtRealTimePriorityExactlyWhenTheKernelSchedulesItsThreadSo()
      throws Exception {
    MachineStallProbe probe = MachineStallProbe.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> probe.wakesSoFar() >= 20);
      long thread = probe.nativeThreadId();
      assumeThat(thread).as("a kernel that names its threads in /proc").isPositive();
      Path stat =
          Path.of(
              "/proc", Long.toString(ProcessHandle.current().pid()), "task", "" + thread, "stat");
      String line = Files.readString(stat);
      // Fields after the command's closing parenthesis start at field 3; the policy is field 41.
      String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
      int policy = Integer.parseInt(fields[41 - 3]);
      int fifo = 1;

      assertThat(policy == fifo).isEqualTo(probe.realTime());
    } finally {
      MachineStallProbe.Stalls stalls = probe.stop();
      assertThat(stalls.wakes()).isGreaterThanOrEqualTo(20);
    }
  }

  @Test
  void aStoppedProbeWakesNoMore() throws Exception {
    MachineStallProbe probe = MachineStallProbe.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> probe.wakesSoFar() >= 5);

    MachineStallProbe.Stalls stalls = probe.stop();
    Thread.sleep(20);

    assertThat(probe.wakesSoFar()).isEqualTo(stalls.wakes());
    assertThat(stalls.all())
        .allSatisfy(stall -> assertThat(stall.millis()).isGreaterThanOrEqualTo(10));
  }
}
