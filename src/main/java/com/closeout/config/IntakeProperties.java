package com.closeout.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code closeout.intake.*}: the webhook.
 *
 * @param maxBodySize the largest event body accepted; larger ones get 413
 */
@ConfigurationProperties("closeout.intake")
public record IntakeProperties(DataSize maxBodySize) {

  public static final DataSize DEFAULT_MAX_BODY_SIZE = DataSize.ofKilobytes(256);

  public IntakeProperties {
    maxBodySize = maxBodySize == null ? DEFAULT_MAX_BODY_SIZE : maxBodySize;
    if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("closeout.intake.max-body-size is out of range");
    }
  }

  public static IntakeProperties defaults() {
    return new IntakeProperties(null);
  }
}
