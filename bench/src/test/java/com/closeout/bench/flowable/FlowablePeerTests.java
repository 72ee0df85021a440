package com.closeout.bench.flowable;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.bench.BenchDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The peer runs a handful of closures to their notices on PostgreSQL: CLOSEOUT_TEST_DATABASE_URL
 * when set, an embedded server otherwise.
 */
class FlowablePeerTests {

  @Test
  void closuresRunToTheirNoticesAndTheirStoreTrafficIsCounted() throws Exception {
    String url = System.getenv("CLOSEOUT_TEST_DATABASE_URL");
    EmbeddedPostgres embedded = null;
    if (url == null || url.isBlank()) {
      embedded = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
      url = embedded.getJdbcUrl("postgres", "postgres");
    }
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    FlowablePeer.Figures figures;
    try (BenchDatabase database = new BenchDatabase(url, null, null)) {
      figures =
          new FlowablePeer(database, new PrintStream(progress, true, StandardCharsets.UTF_8))
              .run(new FlowablePeer.Settings(12, 0, 2, 4, 0));
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }

    assertThat(figures.notices()).isEqualTo(12);
    assertThat(figures.timings().closuresPerSecond()).isPositive();
    assertThat(figures.timings().p50Millis())
        .isPositive()
        .isLessThanOrEqualTo(figures.timings().p99Millis());
    assertThat(figures.commitsPerClosure()).isPositive();
    assertThat(figures.statementsPerClosure()).isGreaterThan(1);
    assertThat(FlowablePeer.toJson(figures))
        .startsWith("{\"name\":\"flowable-7.2.0\"")
        .contains("\"closuresPerSecond\":", "\"p50Millis\":", "\"p99Millis\":");
  }
}
