package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.StoreSchemas;
import com.closeout.testsupport.TestDatabase;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class HousekeepingIntegrationTests {

  @Test
  void aReadingCountsTheSchemasVacuumsTheServersCheckpointsAndTheJvmsCollectionsSinceTheLast() {
    DataSource server = TestDatabase.server();
    try (IsolatedSchema schema = StoreSchemas.isolated(server, "closeout_housekeeping");
        BenchDatabase database = BenchDatabase.of(server)) {
      Housekeeping before = Housekeeping.now(database, schema);

      JdbcClient store = JdbcClient.create(schema.dataSource());
      store.sql("VACUUM closures").update();
      store.sql("VACUUM closure_steps").update();
      store.sql("CHECKPOINT").update();
      System.gc();
      Housekeeping during = Housekeeping.now(database, schema).since(before);

      assertThat(during.vacuumsByTable()).isEqualTo(Map.of("closures", 1L, "closure_steps", 1L));
      assertThat(during.vacuums()).isEqualTo(2);
      assertThat(during.checkpoints()).isGreaterThanOrEqualTo(1);
      assertThat(during.collections()).isGreaterThanOrEqualTo(1);
      assertThat(during.collectionMillis()).isNotNegative();
    }
  }

  @Test
  void anotherSchemasVacuumsAreNotCounted() {
    DataSource server = TestDatabase.server();
    try (IsolatedSchema counted = StoreSchemas.isolated(server, "closeout_housekeeping");
        IsolatedSchema other = StoreSchemas.isolated(server, "closeout_housekeeping");
        BenchDatabase database = BenchDatabase.of(server)) {
      Housekeeping before = Housekeeping.now(database, counted);

      JdbcClient.create(other.dataSource()).sql("VACUUM closures").update();

      assertThat(Housekeeping.now(database, counted).since(before).vacuums()).isZero();
    }
  }
}
