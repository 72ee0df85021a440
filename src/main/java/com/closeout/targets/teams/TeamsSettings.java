package com.closeout.targets.teams;

import com.closeout.targets.rest.RestEndpoint;
import com.closeout.targets.rest.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The Microsoft Teams coordinator channel: a Workflows ("Send webhook alerts to a channel") or
 * incoming-webhook URL. The URL carries its own authorization (the {@code sig} query parameter), so
 * it is a secret: read from a file or the environment, never printed; only its origin is shown.
 *
 * @param webhookUrl the full webhook URL
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for an answer once connected
 */
public record TeamsSettings(Secret webhookUrl, Duration connectTimeout, Duration readTimeout) {

  public TeamsSettings {
    Objects.requireNonNull(webhookUrl, "webhookUrl");
    connectTimeout = connectTimeout == null ? RestEndpoint.DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    readTimeout = readTimeout == null ? RestEndpoint.DEFAULT_READ_TIMEOUT : readTimeout;
    parsed(webhookUrl);
  }

  /** {@code scheme://host[:port]}: what may be shown of the webhook. */
  public URI origin() {
    URI url = parsed(webhookUrl);
    return URI.create(url.getScheme() + "://" + url.getRawAuthority());
  }

  /** Path and query: the secret part, for the one request that uses it. */
  String pathAndQuery() {
    URI url = parsed(webhookUrl);
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  // Messages name the secret's source, never the URL: its query string is the credential.
  private static URI parsed(Secret secret) {
    URI url;
    try {
      url = new URI(secret.reveal().strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          "teams: the webhook URL from " + secret.source() + " is not a URL");
    }
    String scheme = url.getScheme();
    if (url.getRawAuthority() == null || !("https".equals(scheme) || "http".equals(scheme))) {
      throw new IllegalArgumentException(
          "teams: the webhook URL from " + secret.source() + " must be an https URL");
    }
    if ("http".equals(scheme) && !loopback(url.getHost())) {
      // Plain http would put the URL's signature on the wire: only a local test stub may use it.
      throw new IllegalArgumentException(
          "teams: the webhook URL from " + secret.source() + " must use https");
    }
    return url;
  }

  private static boolean loopback(String host) {
    return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
  }
}
