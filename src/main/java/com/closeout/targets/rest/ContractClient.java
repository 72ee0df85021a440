package com.closeout.targets.rest;

import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP side of the reference contract for one system: authentication, timeouts, the {@code
 * Idempotency-Key} and {@code If-Match} headers, and the mapping of status codes and transport
 * failures (docs/api/targets.openapi.yaml). Bodies are never logged and never put into a message.
 */
public final class ContractClient {
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  public static final String IDEMPOTENCY_REPLAYED = "Idempotency-Replayed";
  public static final String CHECKSUM_SHA256 = "x-checksum-sha256";

  private final RestEndpoint endpoint;
  private final HttpClient http;
  private final Clock clock;

  public ContractClient(RestEndpoint endpoint, Clock clock) {
    this(endpoint, newHttpClient(endpoint), clock);
  }

  ContractClient(RestEndpoint endpoint, HttpClient http, Clock clock) {
    this.endpoint = endpoint;
    this.http = http;
    this.clock = clock;
  }

  static HttpClient newHttpClient(RestEndpoint endpoint) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            // HTTP/1.1: no h2c upgrade dance with plain-HTTP servers; one request per exchange.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(endpoint.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    endpoint.authentication().sslContext().ifPresent(builder::sslContext);
    return builder.build();
  }

  public RestEndpoint endpoint() {
    return endpoint;
  }

  public TargetSystem system() {
    return endpoint.system();
  }

  /** An answer the adapter interprets: 2xx, 404, 409 or 412. Everything else was thrown. */
  public record Answer(int status, HttpResponse<byte[]> response) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public boolean notFound() {
      return status == 404;
    }

    public byte[] body() {
      return response.body() == null ? new byte[0] : response.body();
    }

    public Optional<String> header(String name) {
      return response.headers().firstValue(name);
    }

    /** What a write did, from its answer. */
    public WriteResult writeResult() {
      if (ok()) {
        return header(IDEMPOTENCY_REPLAYED).map(v -> v.equalsIgnoreCase("true")).orElse(false)
            ? WriteResult.REPLAYED
            : WriteResult.APPLIED;
      }
      return notFound() ? WriteResult.NOT_FOUND : WriteResult.REVISION_CONFLICT;
    }
  }

  public Answer get(String path) {
    return send(request(path).GET(), false, "read");
  }

  /**
   * Reads one contract body: empty on 404; any other failure, or a body that does not parse or
   * convert, makes the target unavailable (never quoting the body, which may carry anything).
   */
  public <B, T> Optional<T> getOptional(
      String path, Class<B> bodyType, java.util.function.Function<B, T> toValue) {
    Answer answer = get(path);
    if (answer.notFound()) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw new TargetUnavailableException(
          system(), "HTTP " + answer.status() + " on a read", false);
    }
    try {
      B body = ContractBodies.read(answer.body(), bodyType);
      return Optional.of(ContractBodies.convert(bodyType, () -> toValue.apply(body)));
    } catch (ContractBodies.MalformedBodyException e) {
      throw new TargetUnavailableException(system(), e.getMessage(), false);
    }
  }

  public Answer head(String path) {
    return send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()), false, "read");
  }

  /**
   * A write: {@code method} with a JSON body (or none), an idempotency key and, when given, the
   * revision as a strong ETag in {@code If-Match}.
   */
  public Answer write(
      String method, String path, byte[] jsonBody, Long expectedRevision, IdempotencyKey key) {
    HttpRequest.Builder builder =
        request(path)
            .header(IDEMPOTENCY_KEY, key.value())
            .method(
                method,
                jsonBody == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(jsonBody));
    if (jsonBody != null) {
      builder.header("Content-Type", "application/json");
    }
    if (expectedRevision != null) {
      builder.header("If-Match", "\"" + expectedRevision + "\"");
    }
    return send(builder, true, "write");
  }

  /**
   * A call outside the reference contract (a vendor's API) with this system's authentication and
   * timeouts. Every status comes back as an answer for the caller to interpret; only transport
   * failures are thrown. {@link #refusal} maps the statuses the caller does not handle itself.
   */
  public Answer call(String method, String path, byte[] jsonBody, boolean write) {
    HttpRequest.Builder builder =
        request(path)
            .method(
                method,
                jsonBody == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(jsonBody));
    if (jsonBody != null) {
      builder.header("Content-Type", "application/json");
    }
    HttpResponse<byte[]> response = exchange(builder, write, write ? "write" : "read");
    return new Answer(response.statusCode(), response);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + path))
            .timeout(endpoint.readTimeout())
            .header("Accept", "application/json");
    endpoint
        .authentication()
        .authorizationHeader()
        .ifPresent(v -> builder.header("Authorization", v));
    return builder;
  }

  /**
   * A read-only call whose status is returned as is, for {@code check-config}: only transport
   * failures are thrown.
   */
  public HttpResponse<byte[]> probe(String method, String path) {
    return exchange(
        request(path).method(method, HttpRequest.BodyPublishers.noBody()), false, "read");
  }

  private Answer send(HttpRequest.Builder builder, boolean write, String what) {
    HttpResponse<byte[]> response = exchange(builder, write, what);
    int status = response.statusCode();
    if ((status >= 200 && status < 300) || status == 404 || status == 409 || status == 412) {
      return new Answer(status, response);
    }
    throw refusal(new Answer(status, response), write, "not in the contract");
  }

  /**
   * What an answer the caller does not accept means: throttled (429), credentials refused
   * (401/403), the target down (5xx), or a status outside what the caller expects ({@code
   * otherwise} says why, e.g. "not in the contract"). Retry-After is kept; no body is quoted.
   */
  public TargetUnavailableException refusal(Answer answer, boolean write, String otherwise) {
    int status = answer.status();
    Duration retryAfter = retryAfter(answer.response()).orElse(null);
    if (status == 429) {
      return new TargetUnavailableException(system(), "HTTP 429 (throttled)", false, retryAfter);
    }
    if (status == 401 || status == 403) {
      return new TargetUnavailableException(
          system(), "HTTP " + status + " (credentials refused)", false, retryAfter);
    }
    if (status >= 500) {
      // A 5xx other than 503 may come from a proxy after the target applied the write.
      boolean unknown = write && status != 503;
      return new TargetUnavailableException(system(), "HTTP " + status, unknown, retryAfter);
    }
    return new TargetUnavailableException(
        system(), "HTTP " + status + " (" + otherwise + ")", false, retryAfter);
  }

  private HttpResponse<byte[]> exchange(HttpRequest.Builder builder, boolean write, String what) {
    HttpRequest request = builder.build();
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    // The request timeout covers the wait for the response head; this bound covers a body that
    // trickles too, so no call can hold a worker thread longer than connect + read timeout.
    long bound = endpoint.connectTimeout().plus(endpoint.readTimeout()).toMillis();
    try {
      return future.get(bound, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw unavailable(what + " timed out", write, null);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw unavailable(what + " interrupted", write, null);
    } catch (CancellationException e) {
      throw unavailable(what + " cancelled", write, null);
    } catch (ExecutionException e) {
      throw transportFailure(e.getCause(), write, what);
    }
  }

  private TargetUnavailableException transportFailure(Throwable cause, boolean write, String what) {
    // Refused or not connected in time: nothing was sent, so nothing was applied.
    if (cause instanceof HttpConnectTimeoutException) {
      return unavailable("connect timed out", false, null);
    }
    if (cause instanceof ConnectException) {
      return unavailable("connection refused", false, null);
    }
    if (cause instanceof java.net.http.HttpTimeoutException) {
      return unavailable(what + " timed out", write, null);
    }
    if (cause instanceof IOException) {
      // Sent, then the answer was lost (reset, closed, truncated): a write may have applied.
      return unavailable(what + " failed: connection lost", write, null);
    }
    return unavailable(what + " failed: " + cause.getClass().getSimpleName(), write, null);
  }

  private TargetUnavailableException unavailable(
      String message, boolean outcomeUnknown, Duration retryAfter) {
    return new TargetUnavailableException(system(), message, outcomeUnknown, retryAfter);
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
  Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(v -> parseRetryAfter(v, clock));
  }

  public static Optional<Duration> parseRetryAfter(String value, Clock clock) {
    String text = value.strip();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration delay = Duration.between(clock.instant(), at);
      return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A path segment, percent-encoded (spaces as %20, never '+'). */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A query parameter value, percent-encoded. */
  public static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
