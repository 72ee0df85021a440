package com.closeout.sandbox.http;

import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.BookkeepingTarget;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewSystem.FinalizedCursor;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import com.closeout.targets.rest.ContractBodies;
import com.closeout.targets.rest.ContractBodies.ArchiveRefBody;
import com.closeout.targets.rest.ContractBodies.BookkeepingRecordBody;
import com.closeout.targets.rest.ContractBodies.CloseBody;
import com.closeout.targets.rest.ContractBodies.NoticeBody;
import com.closeout.targets.rest.ContractBodies.QueueItemBody;
import com.closeout.targets.rest.ContractBodies.ReviewRecordBody;
import com.closeout.targets.rest.ContractBodies.ReviewStateBody;
import com.closeout.targets.rest.ContractClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves {@link SandboxSystems} over HTTP on the reference contract
 * (docs/api/targets.openapi.yaml), so the REST adapters can be run against it: {@code closeout
 * sandbox}, {@code closeout demo --targets http}, and the contract tests. The review record is
 * served whole, restricted fields included, as a real review system would; dropping them is the
 * adapter's job.
 *
 * <p>The sandbox's faults become HTTP: UNAVAILABLE answers 503 with {@code Retry-After: 1}; TIMEOUT
 * applies the write and then drops the connection after the response head, so the caller loses the
 * answer; CONFLICT answers 412. {@code /sandbox/admin/...} (not part of the contract) loads
 * records, injects faults, scripts statuses and delays, and reports state.
 */
public final class SandboxHttpServer implements AutoCloseable {
  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final String ADMIN = "/sandbox/admin/";

  static {
    // The JDK server writes a response's head and body separately; without TCP_NODELAY each
    // answer waits ~40 ms for the client's delayed ACK. Read once, when the first server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final SandboxSystems sandbox;
  private final TargetPorts ports;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpFaults httpFaults = new HttpFaults();
  private final String requiredAuthorization;
  private final List<RecordedRequest> recorded = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean recording;

  private SandboxHttpServer(
      SandboxSystems sandbox, InetSocketAddress address, String requiredAuthorization)
      throws IOException {
    this.sandbox = sandbox;
    this.ports = sandbox.ports();
    this.requiredAuthorization = requiredAuthorization;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            16,
            task -> {
              Thread thread = new Thread(task, "sandbox-http-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.server = HttpServer.create(address, 64);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Serves on loopback; port 0 picks a free one. */
  public static SandboxHttpServer start(SandboxSystems sandbox, int port) {
    return start(sandbox, new InetSocketAddress("127.0.0.1", port), null);
  }

  /**
   * @param requiredAuthorization the exact {@code Authorization} value every contract call must
   *     carry (401 otherwise), or {@code null} to accept any
   */
  public static SandboxHttpServer start(
      SandboxSystems sandbox, InetSocketAddress address, String requiredAuthorization) {
    try {
      return new SandboxHttpServer(sandbox, address, requiredAuthorization);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the sandbox on " + address, e);
    }
  }

  public URI baseUrl() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public SandboxSystems sandbox() {
    return sandbox;
  }

  /** The next {@code times} calls to {@code system} answer {@code status}, changing nothing. */
  public void respondWith(TargetSystem system, int status, int times, Integer retryAfterSeconds) {
    httpFaults.script(system, status, times, retryAfterSeconds);
  }

  /** Every answer of {@code system} waits this long first (zero: none). */
  public void delay(TargetSystem system, Duration delay) {
    httpFaults.delay(system, delay);
  }

  /** Starts keeping every contract request (method, URI, headers, body) for inspection. */
  public void startRecording() {
    recording = true;
  }

  public List<RecordedRequest> recordedRequests() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- dispatch -----------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith(ADMIN)) {
        admin(exchange, path.substring(ADMIN.length()), body);
        return;
      }
      if (recording) {
        recorded.add(
            new RecordedRequest(
                exchange.getRequestMethod(),
                exchange.getRequestURI().toString(),
                new HashMap<>(exchange.getRequestHeaders()),
                new String(body, StandardCharsets.UTF_8)));
      }
      if (requiredAuthorization != null
          && !requiredAuthorization.equals(
              exchange.getRequestHeaders().getFirst("Authorization"))) {
        problem(exchange, 401, "credentials required");
        return;
      }
      List<String> segments = segments(path);
      Optional<TargetSystem> system = segments.isEmpty() ? Optional.empty() : system(segments);
      if (system.isEmpty()) {
        problem(exchange, 400, "no such operation");
        return;
      }
      Duration delay = httpFaults.delay(system.get());
      if (!delay.isZero()) {
        sleep(delay);
      }
      Optional<HttpFaults.Scripted> scripted = httpFaults.take(system.get());
      if (scripted.isPresent()) {
        if (scripted.get().retryAfterSeconds() != null) {
          exchange
              .getResponseHeaders()
              .set("Retry-After", Integer.toString(scripted.get().retryAfterSeconds()));
        }
        problem(exchange, scripted.get().status(), "scripted answer");
        return;
      }
      try {
        contract(exchange, system.get(), segments, body);
      } catch (TargetUnavailableException e) {
        if (e.outcomeUnknown()) {
          dropAnswer(exchange);
        } else {
          exchange.getResponseHeaders().set("Retry-After", "1");
          problem(exchange, 503, "unavailable");
        }
      } catch (BadRequest e) {
        problem(exchange, 400, e.getMessage());
      }
    } catch (RuntimeException e) {
      // A bug in the sandbox answers 500 rather than hanging the caller.
      try {
        problem(exchange, 500, "sandbox error");
      } catch (IOException | RuntimeException ignored) {
        // the exchange is already answered or gone
      }
    }
  }

  private static Optional<TargetSystem> system(List<String> segments) {
    try {
      TargetSystem system = TargetSystem.fromWireName(segments.get(0));
      return system == TargetSystem.AUDIT ? Optional.empty() : Optional.of(system);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private void contract(
      HttpExchange exchange, TargetSystem system, List<String> segments, byte[] body)
      throws IOException {
    String method = exchange.getRequestMethod();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String route = method + " " + String.join("/", shape(segments));
    switch (route) {
      case "GET review/escalations/*" -> review(exchange, new EscalationId(segments.get(2)));
      case "GET review/finalized-escalations" -> finalized(exchange, query);
      case "GET tracker/records/by-escalation/*", "GET ledger/records/by-escalation/*" -> {
        Optional<BookkeepingRecord> record =
            bookkeeping(system).findByEscalation(new EscalationId(segments.get(3)));
        if (record.isEmpty()) {
          problem(exchange, 404, "no record for this escalation");
        } else {
          exchange.getResponseHeaders().set("ETag", "\"" + record.get().revision() + "\"");
          json(exchange, 200, BookkeepingRecordBody.of(record.get()));
        }
      }
      case "PATCH tracker/records/*/review-state", "PATCH ledger/records/*/review-state" -> {
        ReviewStateBody state = contractBody(body, ReviewStateBody.class);
        written(
            exchange,
            bookkeeping(system)
                .setReviewState(
                    segments.get(2), state.toState(), ifMatch(exchange), idempotencyKey(exchange)));
      }
      case "POST tracker/records/*/archive-links", "POST ledger/records/*/archive-links" -> {
        ArchiveRefBody ref = contractBody(body, ArchiveRefBody.class);
        written(
            exchange,
            bookkeeping(system)
                .linkArchiveRef(
                    segments.get(2),
                    new com.closeout.domain.ArchiveRef(ref.kind(), ref.uri(), ref.sha256()),
                    ifMatch(exchange),
                    idempotencyKey(exchange)));
      }
      case "DELETE tracker/records/*/archive-links", "DELETE ledger/records/*/archive-links" -> {
        String uri = required(query, "uri");
        written(
            exchange,
            bookkeeping(system)
                .unlinkArchiveRef(
                    segments.get(2), uri, ifMatch(exchange), idempotencyKey(exchange)));
      }
      case "GET queue/items/by-escalation/*" -> {
        Optional<QueueItem> item =
            ports.queue().findByEscalation(new EscalationId(segments.get(3)));
        if (item.isEmpty()) {
          problem(exchange, 404, "no queue item for this escalation");
        } else {
          exchange.getResponseHeaders().set("ETag", "\"" + item.get().revision() + "\"");
          json(exchange, 200, QueueItemBody.of(item.get()));
        }
      }
      case "POST queue/items/*/close" -> {
        CloseBody close = contractBody(body, CloseBody.class);
        Instant closedAt = instant(close.closedAt());
        written(
            exchange,
            ports
                .queue()
                .close(segments.get(2), closedAt, ifMatch(exchange), idempotencyKey(exchange)));
      }
      case "POST queue/items/*/restore" ->
          written(
              exchange,
              ports
                  .queue()
                  .restoreOpen(segments.get(2), ifMatch(exchange), idempotencyKey(exchange)));
      case "HEAD archive/objects" -> {
        Optional<ArchiveObject> object = ports.archive().head(required(query, "uri"));
        if (object.isEmpty()) {
          exchange.sendResponseHeaders(404, -1);
        } else {
          exchange.getResponseHeaders().set(ContractClient.CHECKSUM_SHA256, object.get().sha256());
          exchange.sendResponseHeaders(200, -1);
        }
      }
      case "GET notification/channel" ->
          json(exchange, 200, new ContractBodies.ChannelBody(ports.coordinator().name()));
      case "POST notification/notices" -> {
        NoticeBody notice = contractBody(body, NoticeBody.class);
        try {
          written(exchange, ports.coordinator().post(notice.toNotice(), idempotencyKey(exchange)));
        } catch (IllegalArgumentException | NullPointerException e) {
          throw new BadRequest("not a valid notice");
        }
      }
      default -> problem(exchange, 400, "no such operation");
    }
  }

  /** The path with record and escalation ids replaced by '*', for matching a route. */
  private static List<String> shape(List<String> segments) {
    List<String> shape = new ArrayList<>(segments);
    if (shape.size() >= 3
        && (shape.get(1).equals("records") || shape.get(1).equals("items"))
        && !shape.get(2).equals("by-escalation")) {
      shape.set(2, "*");
    }
    if (shape.size() == 4 && shape.get(2).equals("by-escalation")) {
      shape.set(3, "*");
    }
    if (shape.size() == 3 && shape.get(1).equals("escalations")) {
      shape.set(2, "*");
    }
    return shape;
  }

  private BookkeepingTarget bookkeeping(TargetSystem system) {
    return system == TargetSystem.TRACKER ? ports.tracker() : ports.ledger();
  }

  private void review(HttpExchange exchange, EscalationId escalationId) throws IOException {
    Optional<SourceRecord> record = ports.review().readEscalation(escalationId);
    if (record.isEmpty()) {
      problem(exchange, 404, "no such escalation");
      return;
    }
    json(exchange, 200, wholeRecord(record.get()));
  }

  private void finalized(HttpExchange exchange, Map<String, String> query) throws IOException {
    Instant after = instant(required(query, "finalizedAfter"));
    String afterId = query.getOrDefault("afterEscalationId", "");
    int limit;
    try {
      limit = Integer.parseInt(required(query, "limit"));
    } catch (NumberFormatException e) {
      throw new BadRequest("limit is not a number");
    }
    if (limit < 1 || limit > 1000) {
      throw new BadRequest("limit must be 1..1000");
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (SourceRecord record :
        ports.review().finalizedAfter(new FinalizedCursor(after, afterId), limit)) {
      items.add(wholeRecord(record));
    }
    json(exchange, 200, Map.of("items", items));
  }

  /** The record as the review system holds it: contract fields plus the restricted ones. */
  private Map<String, Object> wholeRecord(SourceRecord record) {
    Map<String, Object> whole =
        JSON.convertValue(
            ReviewRecordBody.of(record),
            JSON.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
    RestrictedContent restricted =
        sandbox.restrictedContent(record.escalationId()).orElse(RestrictedContent.NONE);
    whole.put("customerTranscript", restricted.customerTranscript());
    whole.put("concessionNotes", restricted.concessionNotes());
    whole.put("reviewerDiscussion", restricted.reviewerDiscussion());
    Map<String, Object> contact = new LinkedHashMap<>();
    contact.put("name", restricted.contactName());
    contact.put("email", restricted.contactEmail());
    whole.put("customerContact", contact);
    return whole;
  }

  private void written(HttpExchange exchange, WriteResult result) throws IOException {
    switch (result) {
      case APPLIED -> exchange.sendResponseHeaders(204, -1);
      case REPLAYED -> {
        exchange.getResponseHeaders().set(ContractClient.IDEMPOTENCY_REPLAYED, "true");
        exchange.sendResponseHeaders(204, -1);
      }
      case REVISION_CONFLICT -> problem(exchange, 412, "revision does not match");
      case NOT_FOUND -> problem(exchange, 404, "no such record");
    }
  }

  /**
   * A TIMEOUT fault: the write was applied, and the answer is lost. The response head promises a
   * body that never comes, and the connection closes: the caller reads a truncated answer.
   */
  private static void dropAnswer(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, 64);
    exchange.getResponseBody().flush();
    // Closing the exchange short of the promised length makes the server close the connection.
    exchange.close();
  }

  private static long ifMatch(HttpExchange exchange) {
    String value = exchange.getRequestHeaders().getFirst("If-Match");
    if (value == null) {
      throw new BadRequest("If-Match is required");
    }
    String text = value.strip();
    if (text.startsWith("W/")) {
      throw new BadRequest("If-Match must be a strong ETag");
    }
    text = text.replace("\"", "");
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new BadRequest("If-Match is not a revision");
    }
  }

  private static IdempotencyKey idempotencyKey(HttpExchange exchange) {
    String value = exchange.getRequestHeaders().getFirst(ContractClient.IDEMPOTENCY_KEY);
    if (value == null || value.isBlank()) {
      throw new BadRequest("Idempotency-Key is required");
    }
    return new IdempotencyKey(value);
  }

  private static <T> T contractBody(byte[] body, Class<T> type) {
    try {
      return ContractBodies.read(body, type);
    } catch (ContractBodies.MalformedBodyException e) {
      throw new BadRequest(e.getMessage());
    }
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (RuntimeException e) {
      throw new BadRequest("not an instant");
    }
  }

  private static String required(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null) {
      throw new BadRequest(name + " is required");
    }
    return value;
  }

  // ---- admin --------------------------------------------------------------------------------

  private void admin(HttpExchange exchange, String route, byte[] body) throws IOException {
    String method = exchange.getRequestMethod();
    try {
      if (method.equals("GET") && route.startsWith("escalations/")) {
        EscalationId id = new EscalationId(decode(route.substring("escalations/".length())));
        json(exchange, 200, SandboxState.of(sandbox, id));
        return;
      }
      if (method.equals("GET") && route.equals("leaks")) {
        json(exchange, 200, Map.of("count", sandbox.restrictedLeaksInTargets()));
        return;
      }
      if (!method.equals("POST")) {
        problem(exchange, 405, "admin endpoints take POST (GET for escalations/{id}, leaks)");
        return;
      }
      switch (route) {
        case "review" -> {
          AdminBodies.Review review = adminBody(body, AdminBodies.Review.class);
          sandbox.putReview(review.record(), review.restricted());
        }
        case "tracker" ->
            sandbox.putTracker(adminBody(body, BookkeepingRecordBody.class).toRecord());
        case "ledger" -> sandbox.putLedger(adminBody(body, BookkeepingRecordBody.class).toRecord());
        case "queue" -> sandbox.putQueueItem(adminBody(body, QueueItemBody.class).toItem());
        case "archive" -> {
          AdminBodies.ArchiveEntry entry = adminBody(body, AdminBodies.ArchiveEntry.class);
          sandbox.putArchiveObject(new ArchiveObject(entry.uri(), entry.sha256()));
        }
        case "faults" -> {
          AdminBodies.Fault fault = adminBody(body, AdminBodies.Fault.class);
          sandbox.injectFault(fault.system(), fault.kind(), fault.failures());
        }
        case "responses" -> {
          AdminBodies.Response response = adminBody(body, AdminBodies.Response.class);
          httpFaults.script(
              TargetSystem.fromWireName(response.system()),
              response.status(),
              response.times(),
              response.retryAfterSeconds());
        }
        case "latency" -> {
          AdminBodies.Latency latency = adminBody(body, AdminBodies.Latency.class);
          httpFaults.delay(
              TargetSystem.fromWireName(latency.system()), Duration.ofMillis(latency.millis()));
        }
        case "restricted-occurrences" -> {
          AdminBodies.Texts texts = adminBody(body, AdminBodies.Texts.class);
          json(
              exchange,
              200,
              Map.of(
                  "count",
                  sandbox.countRestrictedOccurrences(
                      texts.texts() == null ? List.of() : texts.texts())));
          return;
        }
        default -> {
          problem(exchange, 404, "no such admin endpoint");
          return;
        }
      }
      exchange.sendResponseHeaders(204, -1);
    } catch (IllegalArgumentException | NullPointerException | BadRequest e) {
      problem(exchange, 400, "invalid admin request: " + e.getClass().getSimpleName());
    }
  }

  private static <T> T adminBody(byte[] body, Class<T> type) {
    try {
      T value = JSON.readValue(body, type);
      if (value == null) {
        throw new BadRequest("empty body");
      }
      return value;
    } catch (JacksonException e) {
      throw new BadRequest("not a valid " + type.getSimpleName());
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void problem(HttpExchange exchange, int status, String title) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(Map.of("title", title, "status", status));
    exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static List<String> segments(String rawPath) {
    return Arrays.stream(rawPath.split("/"))
        .filter(s -> !s.isEmpty())
        .map(SandboxHttpServer::decode)
        .toList();
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      query.putIfAbsent(name, value);
    }
    return query;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A request that does not fit the contract: 400, naming the problem, never echoing input. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
