package com.closeout.config;

import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The zero-configuration default: without {@code spring.datasource.url} (or {@code
 * SPRING_DATASOURCE_URL}) Closeout runs on an embedded PostgreSQL whose data stays in {@code
 * closeout.store.directory}. With it, Spring Boot's own DataSource takes over.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedStoreConfiguration.NoDataSourceUrl.class)
public class EmbeddedStoreConfiguration {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreConfiguration.class);

  @Bean
  DataSource dataSource(StoreProperties store) {
    EmbeddedPostgresLauncher.Connection connection =
        EmbeddedPostgresLauncher.start(store.embeddedDataDirectory());
    log.info("Using the embedded PostgreSQL with data in {}", store.embeddedDataDirectory());
    return DataSourceBuilder.create()
        .url(connection.jdbcUrl())
        .username(connection.username())
        .password(connection.password())
        .build();
  }

  static final class NoDataSourceUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("spring.datasource.url");
      return url == null || url.isBlank();
    }
  }
}
