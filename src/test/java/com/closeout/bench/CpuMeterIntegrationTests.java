package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.closeout.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class CpuMeterIntegrationTests {

  @Test
  void theServerTimeGrowsByWhatItsBackendsSpentAndTheJvmTimeByWhatAThreadSpent()
      throws InterruptedException {
    // The test servers (the embedded one, CI's local one) run on this machine; /proc is Linux's.
    assumeThat(Files.isDirectory(Path.of("/proc/self"))).isTrue();
    DataSource server = TestDatabase.server();
    CpuMeter meter = CpuMeter.of(server);
    CpuMeter.Reading before = meter.read();
    assertThat(before.serverNanos()).as("a server on this machine is metered").isPositive();

    // Busy work in a backend (which may end before the second reading: the reaped time counts).
    JdbcClient.create(server)
        .sql("SELECT count(*) FROM generate_series(1, 6000000)")
        .query(Long.class)
        .single();
    long[] spin = new long[1];
    CountDownLatch spun = new CountDownLatch(1);
    CountDownLatch read = new CountDownLatch(1);
    Thread spinner =
        new Thread(
            () -> {
              long until = System.nanoTime() + 200_000_000L;
              while (System.nanoTime() < until) {
                spin[0] += Long.numberOfTrailingZeros(System.nanoTime());
              }
              spun.countDown();
              // Alive until read: an ended thread's time is no longer its own.
              awaitQuietly(read);
            },
            "cpu-spinner-7");
    spinner.start();
    assertThat(spun.await(10, TimeUnit.SECONDS)).isTrue();
    CpuMeter.Reading after = meter.read();
    read.countDown();
    CpuMeter.Cost cost = after.since(before, 1, 1_000_000_000L);

    assertThat(spin[0]).isPositive();
    assertThat(cost.serverMillis()).isGreaterThanOrEqualTo(50);
    assertThat(cost.jvmMillis()).isGreaterThanOrEqualTo(150);
    assertThat(cost.busyShare()).isPositive();
    // The spinner's time under its name, unnumbered.
    assertThat(cost.jvmByThread().get("cpu-spinner")).isGreaterThanOrEqualTo(150);
    assertThat(cost.jvmByThread()).containsKey("ended threads");
  }

  @Test
  void theDataDirectoryFoundForAServerOnThisMachineIsTheOneTheServerNames() throws Exception {
    assumeThat(Files.isDirectory(Path.of("/proc/self"))).isTrue();
    DataSource server = TestDatabase.server();
    CpuMeter meter = CpuMeter.of(server);
    // Another user's server process cannot be looked into: then no directory, and no probe.
    assumeThat(meter.serverDataDirectory()).isPresent();

    String named =
        JdbcClient.create(server).sql("SHOW data_directory").query(String.class).single();

    assertThat(meter.serverDataDirectory()).contains(Path.of(named).toRealPath());
    assertThat(meter.serverDataDirectory().orElseThrow().resolve("PG_VERSION")).exists();
  }

  @Test
  void theJitCompilersTimeIsReadFromItsOwnThreads() {
    assumeThat(Files.isDirectory(Path.of("/proc/self/task"))).isTrue();

    // This JVM compiled the test framework on its way here.
    assertThat(CpuMeter.compilerNanos()).isPositive();
  }

  @Test
  void aServerTimeThatCouldNotBeReadIsNotANumberAndLeavesTheBusyShareUnknown() {
    CpuMeter.Cost cost =
        new CpuMeter.Reading(2_000_000, -1).since(new CpuMeter.Reading(0, -1), 2, 10_000_000L);

    assertThat(cost.jvmMillis()).isEqualTo(1.0);
    assertThat(cost.serverMillis()).isNaN();
    assertThat(cost.busyShare()).isNaN();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
