package com.closeout.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.propagation.jdbc.StoreSessions;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

class EmbeddedPostgresLauncherIntegrationTests {
  private static Path dataDir;

  @BeforeAll
  static void dataFolder() throws IOException {
    dataDir = Files.createTempDirectory("closeout-launcher");
  }

  @AfterAll
  static void stopServer() throws IOException {
    EmbeddedPostgresLauncher.stop(dataDir);
    FileSystemUtils.deleteRecursively(dataDir);
  }

  @Test
  void startCreatesTheCloseoutDatabaseAndAnswersTheSameServerWhenAskedAgain() throws SQLException {
    EmbeddedPostgresLauncher.Connection first = EmbeddedPostgresLauncher.start(dataDir);

    assertThat(EmbeddedPostgresLauncher.start(dataDir)).isEqualTo(first);
    assertThat(currentDatabase(first)).isEqualTo("closeout");
    assertThat(dataDir.resolve("postgres").resolve("postmaster.pid")).exists();
  }

  @Test
  void theStoreCommitsDurablyAWriteIsOnDiskBeforeItsCommitAnswers() throws SQLException {
    EmbeddedPostgresLauncher.Connection connection = EmbeddedPostgresLauncher.start(dataDir);

    assertThat(setting(connection, "synchronous_commit")).isEqualTo("on");
    assertThat(setting(connection, "fsync")).isEqualTo("on");
  }

  @Test
  void theStoresBackendsHandThePagesTheyEvictToTheKernelToWriteBackAtOnce() throws SQLException {
    EmbeddedPostgresLauncher.Connection connection = EmbeddedPostgresLauncher.start(dataDir);

    assertThat(setting(connection, "backend_flush_after")).isEqualTo("256kB");
  }

  @Test
  void aNewWalSegmentIsCreatedWithoutWritingZerosThroughItWhileCommitsWait() throws SQLException {
    EmbeddedPostgresLauncher.Connection connection = EmbeddedPostgresLauncher.start(dataDir);

    assertThat(setting(connection, "wal_init_zero")).isEqualTo("off");
    // Recycling stays on: a recycled segment is already allocated and costs no creation at all.
    assertThat(setting(connection, "wal_recycle")).isEqualTo("on");
  }

  @Test
  void serverAlreadyRunningOnTheFolderIsReusedNotStartedTwice() throws Exception {
    Path other = Files.createTempDirectory("closeout-launcher-reuse");
    try (EmbeddedPostgres running =
        EmbeddedPostgres.builder()
            .setDataDirectory(other.resolve("postgres"))
            .setCleanDataDirectory(false)
            .start()) {
      EmbeddedPostgresLauncher.Connection reused = EmbeddedPostgresLauncher.start(other);

      assertThat(reused.jdbcUrl()).contains(":" + running.getPort() + "/closeout");
      assertThat(currentDatabase(reused)).isEqualTo("closeout");
      // Started with the library's defaults (synchronous_commit off): the store still waits.
      assertThat(setting(reused, "synchronous_commit")).isEqualTo("on");
    } finally {
      EmbeddedPostgresLauncher.stop(other);
      FileSystemUtils.deleteRecursively(other);
    }
  }

  @Test
  void withoutADatasourceUrlTheEmbeddedStoreIsTheOnlyDataSourceAndFlywayMigratesIt() {
    new ApplicationContextRunner()
        .withUserConfiguration(EmbeddedStoreConfiguration.class)
        .withConfiguration(
            AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class))
        .withPropertyValues(EmbeddedStoreConfiguration.DATA_DIR_PROPERTY + "=" + dataDir)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(DataSource.class);
              HikariDataSource dataSource = context.getBean(HikariDataSource.class);
              assertThat(dataSource.getPoolName()).isEqualTo("closeout-embedded");
              assertThat(
                      JdbcClient.create(dataSource)
                          .sql("SELECT count(*) FROM audit_head")
                          .query(Long.class)
                          .single())
                  .isEqualTo(1);
            });
  }

  @Test
  void theEmbeddedStoresSessionsPlanEachStatementOnce() {
    new ApplicationContextRunner()
        .withUserConfiguration(EmbeddedStoreConfiguration.class)
        .withBean(StoreSessionSettings.class)
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues(EmbeddedStoreConfiguration.DATA_DIR_PROPERTY + "=" + dataDir)
        .run(
            context ->
                assertThat(
                        JdbcClient.create(context.getBean(DataSource.class))
                            .sql("SHOW plan_cache_mode")
                            .query(String.class)
                            .single())
                    .isEqualTo("force_generic_plan"));
  }

  @Test
  void aPoolBootBuildsFromADatasourceUrlTakesTheStoresSessionSettingsAfterTheUsersOwn() {
    String url = "jdbc:postgresql://127.0.0.1:1/elsewhere";
    new ApplicationContextRunner()
        .withUserConfiguration(EmbeddedStoreConfiguration.class)
        .withBean(StoreSessionSettings.class)
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues(
            "spring.datasource.url=" + url,
            "spring.datasource.hikari.connection-init-sql=SET application_name TO 'ops'")
        .run(
            context ->
                assertThat(context.getBean(HikariDataSource.class).getConnectionInitSql())
                    .isEqualTo(StoreSessions.SETTINGS + "; SET application_name TO 'ops'"));
  }

  @Test
  void aConfiguredDatasourceUrlLeavesTheDataSourceToBoot() {
    String url = "jdbc:postgresql://127.0.0.1:1/elsewhere";
    new ApplicationContextRunner()
        .withUserConfiguration(EmbeddedStoreConfiguration.class)
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues("spring.datasource.url=" + url)
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedStoreConfiguration.class);
              assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo(url);
            });
  }

  private static String currentDatabase(EmbeddedPostgresLauncher.Connection connection)
      throws SQLException {
    try (java.sql.Connection jdbc =
            DriverManager.getConnection(
                connection.jdbcUrl(), connection.username(), connection.password());
        Statement statement = jdbc.createStatement();
        ResultSet rs = statement.executeQuery("SELECT current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String setting(EmbeddedPostgresLauncher.Connection connection, String name)
      throws SQLException {
    try (java.sql.Connection jdbc =
            DriverManager.getConnection(
                connection.jdbcUrl(), connection.username(), connection.password());
        Statement statement = jdbc.createStatement();
        ResultSet rs = statement.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
