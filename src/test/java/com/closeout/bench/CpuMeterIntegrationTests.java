package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.closeout.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class CpuMeterIntegrationTests {

  @Test
  void theServerTimeGrowsByWhatItsBackendsSpentAndTheJvmTimeByWhatThisThreadSpent() {
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
    long spin = 0;
    long until = System.nanoTime() + 200_000_000L;
    while (System.nanoTime() < until) {
      spin += Long.numberOfTrailingZeros(System.nanoTime());
    }
    CpuMeter.Reading after = meter.read();
    CpuMeter.Cost cost = after.since(before, 1, 1_000_000_000L);

    assertThat(spin).isPositive();
    assertThat(cost.serverMillis()).isGreaterThanOrEqualTo(50);
    assertThat(cost.jvmMillis()).isGreaterThanOrEqualTo(150);
    assertThat(cost.busyShare()).isPositive();
    // This thread's spinning, under its name without the numbering; the rest is the JVM's own.
    String self = Thread.currentThread().getName().replaceFirst("[-#]?\\d+$", "");
    assertThat(cost.jvmByThread().get(self)).isGreaterThanOrEqualTo(150);
    assertThat(cost.jvmByThread()).containsKey("JIT, GC, VM");
  }

  @Test
  void aServerTimeThatCouldNotBeReadIsNotANumberAndLeavesTheBusyShareUnknown() {
    CpuMeter.Cost cost =
        new CpuMeter.Reading(2_000_000, -1).since(new CpuMeter.Reading(0, -1), 2, 10_000_000L);

    assertThat(cost.jvmMillis()).isEqualTo(1.0);
    assertThat(cost.serverMillis()).isNaN();
    assertThat(cost.busyShare()).isNaN();
  }
}
