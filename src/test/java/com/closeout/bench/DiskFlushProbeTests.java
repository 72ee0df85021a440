package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFlushProbeTests {
  @TempDir Path disk;

  @Test
  void aProbeBesideTheDataDirectoryTimesItsFlushesAndLeavesNoFileBehind() throws Exception {
    Path dataDirectory = Files.createDirectory(disk.resolve("postgres"));

    DiskFlushProbe probe = DiskFlushProbe.beside(Optional.of(dataDirectory)).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> probe.flushesSoFar() >= 3);
    DiskFlushProbe.Flushes flushes = probe.stop();

    assertThat(flushes.count()).isGreaterThanOrEqualTo(3);
    assertThat(flushes.p50Millis()).isPositive();
    assertThat(flushes.maxMillis()).isGreaterThanOrEqualTo(flushes.p99Millis());
    assertThat(flushes.p99Millis()).isGreaterThanOrEqualTo(flushes.p50Millis());
    try (var left = Files.list(disk)) {
      assertThat(left).containsExactly(dataDirectory);
    }
  }

  @Test
  void noProbeRunsWithoutADataDirectoryOrWhereItsDiskCannotBeWrittenTo() {
    assertThat(DiskFlushProbe.beside(Optional.empty())).isEmpty();
    assertThat(DiskFlushProbe.beside(Optional.of(disk.resolve("gone/postgres")))).isEmpty();
  }

  @Test
  void flushesAreSummarisedByNearestRankAndThoseOverFiftyMillisecondsCounted() {
    // 1, 2, ..., 100 ms in some order.
    long[] nanos = LongStream.rangeClosed(1, 100).map(ms -> (101 - ms) * 1_000_000L).toArray();

    DiskFlushProbe.Flushes flushes = DiskFlushProbe.Flushes.of(nanos);

    assertThat(flushes).isEqualTo(new DiskFlushProbe.Flushes(100, 50.0, 99.0, 100.0, 50));
    assertThat(DiskFlushProbe.Flushes.of(new long[0])).isEqualTo(DiskFlushProbe.Flushes.NONE);
  }
}
