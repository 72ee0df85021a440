package com.closeout.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code closeout.api.*}: who may use the operator API (revert, follow-up resolution,
 * reconciliation). With a token, every such request must carry {@code Authorization: Bearer
 * <token>}; without one, only callers on this machine (loopback) are let in.
 *
 * @param operatorToken the token itself, from the environment ({@code CLOSEOUT_API_OPERATORTOKEN})
 * @param operatorTokenFile a file holding the token, for secret mounts; wins over the variable
 */
@ConfigurationProperties("closeout.api")
public record ApiProperties(String operatorToken, Path operatorTokenFile) {

  /** The configured token, read from the file when one is named; never logged. */
  public Optional<String> token() {
    if (operatorTokenFile != null) {
      try {
        String text = Files.readString(operatorTokenFile, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
          throw new IllegalStateException("closeout.api.operator-token-file is empty");
        }
        return Optional.of(text);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read closeout.api.operator-token-file", e);
      }
    }
    return Optional.ofNullable(operatorToken).map(String::strip).filter(t -> !t.isEmpty());
  }

  @Override
  public String toString() {
    return "ApiProperties[operatorToken="
        + (operatorToken == null ? "unset" : "[redacted]")
        + ", operatorTokenFile="
        + operatorTokenFile
        + "]";
  }
}
