package com.closeout.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code closeout.store.*}: where the embedded PostgreSQL keeps its data when no {@code
 * spring.datasource.url} is given. {@code bin/closeout} points it at the repository's {@code data/}
 * through {@code CLOSEOUT_STORE_DIRECTORY}.
 */
@ConfigurationProperties("closeout.store")
public record StoreProperties(Path directory) {

  public StoreProperties {
    directory = directory == null ? Path.of("data") : directory;
  }

  /** The embedded server's own folder inside the data directory. */
  public Path embeddedDataDirectory() {
    return directory.resolve("postgres").toAbsolutePath().normalize();
  }
}
