package com.closeout.targets.rest;

import com.closeout.domain.TargetSystem;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach one target system over the reference contract.
 *
 * @param readTimeout how long a call may wait for its answer once connected
 */
public record RestEndpoint(
    TargetSystem system,
    URI baseUrl,
    Authentication authentication,
    Duration connectTimeout,
    Duration readTimeout) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

  public RestEndpoint {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(baseUrl, "baseUrl");
    authentication = authentication == null ? new Authentication.None() : authentication;
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    readTimeout = readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout;
    String scheme = baseUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          system.wireName() + " base URL must be http or https: " + baseUrl);
    }
    if (authentication instanceof Authentication.ClientCertificate && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          system.wireName() + ": a client certificate needs an https base URL");
    }
    if (!positive(connectTimeout) || !positive(readTimeout)) {
      throw new IllegalArgumentException(system.wireName() + ": timeouts must be positive");
    }
    // Paths are appended to the base URL: one trailing slash too many would double up.
    String text = baseUrl.toString();
    if (text.endsWith("/")) {
      baseUrl = URI.create(text.substring(0, text.length() - 1));
    }
  }

  /** A plain endpoint without authentication and default timeouts (sandbox on loopback). */
  public static RestEndpoint plain(TargetSystem system, URI baseUrl) {
    return new RestEndpoint(system, baseUrl, null, null, null);
  }

  private static boolean positive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }
}
