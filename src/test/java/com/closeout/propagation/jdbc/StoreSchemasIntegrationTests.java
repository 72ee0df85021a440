package com.closeout.propagation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.domain.EventOutcome;
import com.closeout.intake.InboxEntry;
import com.closeout.intake.jdbc.JdbcInbox;
import com.closeout.testsupport.Deliveries;
import com.closeout.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class StoreSchemasIntegrationTests {

  @Test
  void isolatedSchemaIsMigratedAndItsConnectionsWorkInIt() {
    try (IsolatedSchema schema = TestDatabase.freshSchema("schemas")) {
      JdbcClient sql = JdbcClient.create(schema.dataSource());

      assertThat(sql.sql("SELECT current_schema()").query(String.class).single())
          .isEqualTo(schema.name());
      assertThat(
              sql.sql(
                      """
                      SELECT table_name FROM information_schema.tables
                       WHERE table_schema = :schema
                      """)
                  .param("schema", schema.name())
                  .query(String.class)
                  .list())
          .contains(
              "inbox",
              "closures",
              "closure_steps",
              "audit_entries",
              "audit_head",
              "completion_records",
              "follow_ups",
              "flyway_schema_history");
    }
  }

  @Test
  void isolatedSchemasDoNotSeeEachOthersRows() {
    try (IsolatedSchema one = TestDatabase.freshSchema("schemas");
        IsolatedSchema two = TestDatabase.freshSchema("schemas")) {
      Deliveries.accept(
          JdbcCloseoutStores.create(one.dataSource(), Clock.systemUTC()).closures(),
          new InboxEntry("evt-1", "t", null, null, Instant.EPOCH, EventOutcome.IGNORED, null));

      assertThat(one.name()).isNotEqualTo(two.name());
      assertThat(new JdbcInbox(one.dataSource()).find("evt-1")).isPresent();
      assertThat(new JdbcInbox(two.dataSource()).find("evt-1")).isEmpty();
    }
  }

  @Test
  void searchPathOfAnIsolatedSchemaNeverReachesTheBaseConnections() throws SQLException {
    DataSource base = TestDatabase.server();
    try (IsolatedSchema schema = TestDatabase.freshSchema("schemas")) {
      JdbcClient.create(schema.dataSource())
          .sql("SELECT count(*) FROM closures")
          .query()
          .listOfRows();

      // Hold several base connections at once so a pooled base hands out every one it has.
      List<Connection> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          held.add(base.getConnection());
        }
        for (Connection connection : held) {
          assertThat(currentSchema(connection)).isNotEqualTo(schema.name());
        }
      } finally {
        for (Connection connection : held) {
          connection.close();
        }
      }
    }
  }

  @Test
  void closingDropsTheSchemaAndIsHarmlessTwice() {
    IsolatedSchema schema = TestDatabase.freshSchema("schemas");
    String name = schema.name();

    schema.close();
    schema.close();

    assertThat(
            JdbcClient.create(TestDatabase.server())
                .sql("SELECT count(*) FROM pg_namespace WHERE nspname = :name")
                .param("name", name)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void migrateOnAnUpToDateSchemaChangesNothing() {
    try (IsolatedSchema schema = TestDatabase.freshSchema("schemas")) {
      JdbcClient jdbc = JdbcClient.create(schema.dataSource());
      String applied = "SELECT count(*) FROM flyway_schema_history WHERE success";
      long before = jdbc.sql(applied).query(Long.class).single();

      StoreSchemas.migrate(schema.dataSource());

      // Every migration (V1 store, V2 notice deliveries, V3 planner settings, V4 audit entries
      // chained after commit, V5 guarded writes that raise, V6 pending appends keep their pages,
      // V7 the chain's hash needs no index, V8 prior values in rows of their own) was applied
      // once, and none again.
      assertThat(before).isEqualTo(8);
      assertThat(jdbc.sql(applied).query(Long.class).single()).isEqualTo(before);
    }
  }

  @Test
  void everyTableOfTheStoreIsWorkedWithoutParallelPlans() {
    try (IsolatedSchema schema = TestDatabase.freshSchema("schemas")) {
      JdbcClient jdbc = JdbcClient.create(schema.dataSource());
      List<String> tables =
          jdbc.sql(
                  """
                  SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = current_schema() AND c.relkind = 'r'
                     AND c.relname NOT IN ('flyway_schema_history', 'audit_head')
                     AND NOT coalesce('parallel_workers=0' = ANY(c.reloptions), false)
                  """)
              .query(String.class)
              .list();
      boolean closureIdDistinct =
          jdbc.sql(
                  """
                  SELECT coalesce('n_distinct=-0.1667' = ANY(a.attoptions), false)
                    FROM pg_attribute a
                   WHERE a.attrelid = CAST('closure_steps' AS regclass) AND a.attname = 'closure_id'
                  """)
              .query(Boolean.class)
              .single();

      boolean escalationDistinct =
          jdbc.sql(
                  """
                  SELECT coalesce('n_distinct=-0.05' = ANY(a.attoptions), false)
                    FROM pg_attribute a
                   WHERE a.attrelid = CAST('audit_entries' AS regclass)
                     AND a.attname = 'escalation_id'
                  """)
              .query(Boolean.class)
              .single();

      assertThat(tables).as("tables a parallel plan could still scan").isEmpty();
      assertThat(closureIdDistinct).as("closure_steps.closure_id has n_distinct = -1/6").isTrue();
      assertThat(escalationDistinct)
          .as("audit_entries.escalation_id has n_distinct = -1/20")
          .isTrue();
    }
  }

  @Test
  void anIsolatedSchemasConnectionsPlanEachStatementOnceAndWorkInTheirSchema() {
    try (IsolatedSchema schema = TestDatabase.freshSchema("schemas")) {
      JdbcClient sql = JdbcClient.create(schema.dataSource());

      assertThat(sql.sql("SHOW plan_cache_mode").query(String.class).single())
          .isEqualTo("force_generic_plan");
      assertThat(sql.sql("SELECT current_schema()").query(String.class).single())
          .isEqualTo(schema.name());
    }
  }

  @Test
  void vacuumLeavesThePendingAppendsTableItsEmptyPages() {
    try (IsolatedSchema schema = TestDatabase.freshSchema("schemas")) {
      assertThat(
              JdbcClient.create(schema.dataSource())
                  .sql(
                      "SELECT reloptions FROM pg_class WHERE oid = CAST('audit_pending' AS regclass)")
                  .query(String.class)
                  .single())
          .contains("vacuum_truncate=false");
    }
  }

  @Test
  void schemaNamesAreSafeIdentifiersUniquePerCall() {
    String first = StoreSchemas.schemaName("Scenario: reopened-after-event");
    String second = StoreSchemas.schemaName("Scenario: reopened-after-event");

    assertThat(first).matches("scenario__reopened_after_event_[0-9a-f]{12}");
    assertThat(first).isNotEqualTo(second);
    assertThat(StoreSchemas.schemaName("7up")).startsWith("s_7up_");
  }

  private static String currentSchema(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
