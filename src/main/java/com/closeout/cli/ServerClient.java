package com.closeout.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operator commands' line to a running Closeout. The serving process ({@code serve}, {@code
 * demo}) holds the connections to the target systems — until real connectors exist, its in-memory
 * sandbox — so every command that reads or writes a target goes through its API instead of starting
 * an engine of its own.
 */
final class ServerClient {

  static final String OPTION = "--server";
  static final String ENVIRONMENT = "CLOSEOUT_SERVER";
  static final String DEFAULT_URL = "http://localhost:8080";
  static final String TOKEN_ENVIRONMENT = "CLOSEOUT_OPERATOR_TOKEN";
  static final String TOKEN_FILE_ENVIRONMENT = "CLOSEOUT_OPERATOR_TOKEN_FILE";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  /** A pass reads every finalized record of the lookback window: it may take a while. */
  private static final Duration RECONCILE_TIMEOUT = Duration.ofMinutes(15);

  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  private static final Set<String> IN_FLIGHT = Set.of("PENDING", "RUNNING", "REVERTING");

  private final URI base;
  private final HttpClient http;
  private final JsonMapper json;
  private final Clock clock;
  private final Optional<String> operatorToken;

  ServerClient(URI base, Clock clock) {
    this(base, clock, Optional.empty());
  }

  /**
   * @param operatorToken sent as a bearer token on operator calls (revert, resolve, reconcile)
   */
  ServerClient(URI base, Clock clock, Optional<String> operatorToken) {
    this.base = base;
    this.clock = clock;
    this.operatorToken = operatorToken;
    // HTTP/1.1: no upgrade dance with the servlet container on plain http.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
    // The server may add members; a client of an older build must still read the answer.
    this.json =
        JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  }

  /** The server a command talks to: {@code --server}, else {@code CLOSEOUT_SERVER}, else local. */
  static ServerClient of(Arguments arguments, CommandContext context) throws UsageException {
    Optional<String> given = arguments.option(OPTION);
    String text;
    if (given.isPresent()) {
      text = given.get();
    } else {
      String fromEnvironment = context.environment(ENVIRONMENT);
      text = fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_URL : fromEnvironment;
    }
    return new ServerClient(parseBase(text), Clock.systemUTC(), operatorToken(context));
  }

  /** The operator token, from a file named in the environment or the environment itself. */
  static Optional<String> operatorToken(CommandContext context) throws UsageException {
    String file = context.environment(TOKEN_FILE_ENVIRONMENT);
    if (file != null && !file.isBlank()) {
      try {
        return Optional.of(
            java.nio.file.Files.readString(java.nio.file.Path.of(file.strip())).strip());
      } catch (java.io.IOException e) {
        throw new UsageException(TOKEN_FILE_ENVIRONMENT + " names a file that cannot be read");
      }
    }
    String token = context.environment(TOKEN_ENVIRONMENT);
    return token == null || token.isBlank() ? Optional.empty() : Optional.of(token.strip());
  }

  private HttpRequest.Builder asOperator(HttpRequest.Builder request) {
    operatorToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
    return request;
  }

  static URI parseBase(String text) throws UsageException {
    String trimmed = text.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new UsageException(
          "--server must be a URL like " + DEFAULT_URL + ", not '" + text + "'");
    }
    boolean http =
        "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
    if (!http || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
      throw new UsageException(
          "--server must be a URL like " + DEFAULT_URL + ", not '" + text + "'");
    }
    return uri;
  }

  URI base() {
    return base;
  }

  // ---- the operator API ---------------------------------------------------------------------

  /** Delivers one CloudEvent to the webhook, exactly as a producer would. */
  Answer deliver(String event) {
    return send(
        HttpRequest.newBuilder(resolve("/api/v1/events"))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/cloudevents+json")
            .POST(HttpRequest.BodyPublishers.ofString(event, StandardCharsets.UTF_8)));
  }

  Answer revert(String escalationId, int dispositionVersion) {
    return send(
        asOperator(
                HttpRequest.newBuilder(
                    resolve(
                        "/api/v1/closures/"
                            + segment(escalationId)
                            + "/versions/"
                            + dispositionVersion
                            + "/revert")))
            .timeout(REQUEST_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  Answer resolveFollowUp(long followUpId, String action, String comment) {
    ObjectNode body = json.createObjectNode();
    body.put("action", action);
    body.put("comment", comment);
    return send(
        asOperator(
                HttpRequest.newBuilder(resolve("/api/v1/follow-ups/" + followUpId + "/resolution")))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  Answer reconcile(Optional<Instant> since) {
    String query = since.map(at -> "?since=" + segment(at.toString())).orElse("");
    return send(
        asOperator(HttpRequest.newBuilder(resolve("/api/v1/reconciliation" + query)))
            .timeout(RECONCILE_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** Each configured target's kind, base URL, breaker and rate limiter. */
  Answer targets() {
    return send(HttpRequest.newBuilder(resolve("/api/v1/targets")).timeout(REQUEST_TIMEOUT).GET());
  }

  /** The closures of one escalation; none when the server knows none. */
  List<ClosureState> closures(String escalationId) {
    Answer answer =
        send(
            HttpRequest.newBuilder(resolve("/api/v1/closures/" + segment(escalationId)))
                .timeout(REQUEST_TIMEOUT)
                .GET());
    if (answer.status() == 404) {
      return List.of();
    }
    if (!answer.ok() || !answer.body().isArray()) {
      throw new IllegalStateException(
          "reading the closures of " + escalationId + ": " + answer.describe());
    }
    return json.convertValue(answer.body(), new TypeReference<List<ClosureState>>() {});
  }

  /**
   * Polls the closures of {@code escalations} until none of those {@code watched} is still in
   * flight (pending, running, reverting) or {@code wait} has passed; the serving worker does the
   * work meanwhile.
   */
  Settled awaitSettled(
      Collection<String> escalations, Predicate<ClosureState> watched, Duration wait) {
    Instant deadline = clock.instant().plus(wait);
    while (true) {
      List<ClosureState> seen = new ArrayList<>();
      for (String escalation : escalations) {
        closures(escalation).stream().filter(watched).forEach(seen::add);
      }
      boolean inFlight = seen.stream().anyMatch(ClosureState::inFlight);
      if (!inFlight || !clock.instant().isBefore(deadline)) {
        return new Settled(seen, inFlight);
      }
      try {
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Settled(seen, true);
      }
    }
  }

  <T> T read(JsonNode node, Class<T> type) {
    return json.treeToValue(node, type);
  }

  String write(JsonNode node) {
    return json.writeValueAsString(node);
  }

  // ---- transport ----------------------------------------------------------------------------

  private URI resolve(String path) {
    return URI.create(base + path);
  }

  private static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Answer send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response =
          http.send(
              request.header("Accept", "application/json, application/problem+json").build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new ServerUnreachableException(base, e);
    } catch (IOException e) {
      throw new UncheckedIOException("lost the connection to Closeout at " + base, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while talking to Closeout at " + base, e);
    }
    return new Answer(response.statusCode(), parse(response.body()));
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return json.readTree(body);
    } catch (JacksonException e) {
      // Not our server, or a proxy's error page: the status says enough.
      return MissingNode.getInstance();
    }
  }

  // ---- what comes back ----------------------------------------------------------------------

  /** One answer: the status and the JSON body (missing when there was none, or not JSON). */
  record Answer(int status, JsonNode body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** A text member of the body, or null. */
    String text(String member) {
      JsonNode value = body.get(member);
      return value == null || value.isNull() ? null : value.asString();
    }

    /** What went wrong, for an answer a command did not expect: status, detail and field. */
    String describe() {
      StringBuilder text = new StringBuilder("HTTP ").append(status);
      String detail = text("detail");
      if (detail == null) {
        detail = text("error");
      }
      if (detail != null) {
        text.append(": ").append(detail);
      }
      String field = text("field");
      if (field != null && !text.toString().contains(field)) {
        text.append(" (field ").append(field).append(')');
      }
      return text.toString();
    }
  }

  /** A closure as {@code GET /api/v1/closures/{escalationId}} shows it. */
  record ClosureState(
      long id,
      String escalationId,
      int dispositionVersion,
      String status,
      Instant nextAttemptAt,
      List<FollowUpRef> followUps) {
    ClosureState {
      followUps = followUps == null ? List.of() : List.copyOf(followUps);
    }

    boolean inFlight() {
      return IN_FLIGHT.contains(status);
    }

    String key() {
      return escalationId + "@v" + dispositionVersion;
    }
  }

  record FollowUpRef(long id, String reason, String system, String status) {}

  /**
   * @param closures the watched closures as last seen
   * @param inFlight whether some were still in flight when the wait ended
   */
  record Settled(List<ClosureState> closures, boolean inFlight) {}
}
