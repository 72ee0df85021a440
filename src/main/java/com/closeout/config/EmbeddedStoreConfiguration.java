package com.closeout.config;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The default store when no {@code spring.datasource.url} is configured: the embedded PostgreSQL,
 * data under {@code closeout.store.embedded-data-dir} (default {@code ./data}). Boot's DataSource
 * auto-configuration backs off because this bean exists; Boot's Flyway migrates it.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedStoreConfiguration.NoDataSourceUrl.class)
public class EmbeddedStoreConfiguration {
  static final String DATA_DIR_PROPERTY = "closeout.store.embedded-data-dir";

  @Bean(destroyMethod = "close")
  public HikariDataSource dataSource(Environment environment) {
    Path dataDir = Path.of(environment.getProperty(DATA_DIR_PROPERTY, "./data"));
    EmbeddedPostgresLauncher.Connection connection = EmbeddedPostgresLauncher.start(dataDir);
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setPoolName("closeout-embedded");
    dataSource.setJdbcUrl(connection.jdbcUrl());
    dataSource.setUsername(connection.username());
    dataSource.setPassword(connection.password());
    return dataSource;
  }

  static final class NoDataSourceUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
    }
  }
}
