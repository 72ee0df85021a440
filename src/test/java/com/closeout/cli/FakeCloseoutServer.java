package com.closeout.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for a running Closeout's API on a free local port: answers what a test queued per
 * method and path (the last answer repeats), records every request, and answers 404 otherwise.
 */
final class FakeCloseoutServer implements AutoCloseable {

  record Request(String method, String path, String query, String contentType, String body) {}

  private record Response(int status, String contentType, String body) {}

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Map<String, Deque<Response>> answers = new HashMap<>();

  private FakeCloseoutServer(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.start();
  }

  static FakeCloseoutServer start() {
    try {
      return new FakeCloseoutServer(
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues a JSON answer; a status of 400 or more is sent as a problem. */
  synchronized FakeCloseoutServer answer(String method, String path, int status, String json) {
    String type = status >= 400 ? "application/problem+json" : "application/json";
    answers
        .computeIfAbsent(method + " " + path, key -> new ArrayDeque<>())
        .add(new Response(status, type, json));
    return this;
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The POSTs to {@code path}. */
  List<Request> requests(String path) {
    return requests("POST", path);
  }

  synchronized List<Request> requests(String method, String path) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    Response response;
    synchronized (this) {
      requests.add(
          new Request(
              method,
              path,
              exchange.getRequestURI().getRawQuery(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body));
      Deque<Response> queued = answers.get(method + " " + path);
      if (queued == null || queued.isEmpty()) {
        response =
            new Response(
                404, "application/problem+json", "{\"status\":404,\"detail\":\"no such fake\"}");
      } else {
        response = queued.size() > 1 ? queued.poll() : queued.peek();
      }
    }
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
