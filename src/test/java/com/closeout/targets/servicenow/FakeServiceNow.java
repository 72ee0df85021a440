package com.closeout.targets.servicenow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.closeout.testsupport.StatefulVendorFake;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small stateful ServiceNow Table API behind WireMock, in the shapes of the public documentation:
 * {@code GET /api/now/table/{table}} with {@code sysparm_query} (one {@code col=value} term),
 * {@code sysparm_fields} and {@code sysparm_limit}; {@code GET} and {@code PATCH} of one record by
 * {@code sys_id}; every value a string; {@code sys_mod_count} moving by one per update that changes
 * something; errors as {@code {"error":{"message","detail"},"status":"failure"}}.
 */
public final class FakeServiceNow extends StatefulVendorFake {
  public static final String TABLE = "u_support_case";
  public static final String USER = "closeout.integration";
  public static final String PASSWORD = "servicenow-password-secret";
  public static final String OAUTH_TOKEN = "oauth-access-token";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, Map<String, String>> rows = new LinkedHashMap<>();
  private final Deque<ResponseDefinition> faults = new ArrayDeque<>();
  private Runnable afterPatch = () -> {};
  private int nextId = 1;

  private FakeServiceNow() {}

  public static FakeServiceNow launch() {
    FakeServiceNow fake = new FakeServiceNow();
    fake.serve();
    return fake;
  }

  @Override
  public String getName() {
    return "fake-servicenow";
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }

  /** A case row with the default columns; returns its sys_id. */
  public synchronized String put(String escalation, String episode, String status) {
    String sysId = String.format("%032x", nextId++);
    Map<String, String> row = new LinkedHashMap<>();
    row.put("sys_id", sysId);
    row.put("sys_mod_count", "0");
    row.put("number", "CS00" + (1000 + nextId));
    row.put("u_escalation_id", escalation);
    row.put("u_episode_id", episode);
    row.put("u_review_status", status);
    row.put("u_disposition_version", "");
    row.put("u_closed_at", "");
    row.put("u_archive_refs", "");
    rows.put(sysId, row);
    return sysId;
  }

  public synchronized Map<String, String> row(String sysId) {
    return rows.get(sysId);
  }

  /** Someone else updates the row: sys_mod_count moves, nothing Closeout reads changes. */
  public synchronized void foreignUpdate(String sysId) {
    Map<String, String> row = rows.get(sysId);
    row.put("sys_mod_count", String.valueOf(Long.parseLong(row.get("sys_mod_count")) + 1));
  }

  public synchronized void afterNextPatch(Runnable action) {
    afterPatch = action;
  }

  public synchronized void failNext(ResponseDefinition... responses) {
    faults.addAll(List.of(responses));
  }

  static ResponseDefinitionBuilder error(int status, String message, String detail) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("message", message).put("detail", detail);
    body.put("status", "failure");
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json;charset=UTF-8")
        .withBody(JSON.writeValueAsString(body));
  }

  @Override
  public synchronized ResponseDefinition transform(ServeEvent event) {
    LoggedRequest request = event.getRequest();
    String expected =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    String authorization = request.getHeader("Authorization");
    if (!expected.equals(authorization) && !("Bearer " + OAUTH_TOKEN).equals(authorization)) {
      return error(401, "User Not Authenticated", "Required to provide Auth information").build();
    }
    if (!faults.isEmpty()) {
      return faults.poll();
    }
    URI uri = URI.create(request.getUrl());
    String[] parts = uri.getRawPath().split("/");
    String method = request.getMethod().getName();
    Map<String, String> query = query(uri.getRawQuery());
    if (parts.length < 5 || !uri.getRawPath().startsWith("/api/now/table/")) {
      return error(400, "Requested URI does not represent any resource", null).build();
    }
    if (!parts[4].equals(TABLE)) {
      return error(400, "Invalid table " + parts[4], null).build();
    }
    List<String> fields =
        query.containsKey("sysparm_fields")
            ? List.of(query.get("sysparm_fields").split(","))
            : null;
    if (parts.length == 5 && method.equals("GET")) {
      int limit = Integer.parseInt(query.getOrDefault("sysparm_limit", "10000"));
      String condition = query.getOrDefault("sysparm_query", "");
      List<Map<String, String>> found = new ArrayList<>();
      for (Map<String, String> row : rows.values()) {
        if (matches(row, condition)) {
          found.add(row);
        }
      }
      ObjectNode body = JSON.createObjectNode();
      ArrayNode result = body.putArray("result");
      found.stream().limit(limit).forEach(r -> result.add(select(r, fields)));
      return json(200, body).build();
    }
    if (parts.length == 6) {
      Map<String, String> row = rows.get(parts[5]);
      if (row == null) {
        return error(
                404,
                "No Record found",
                "Record doesn't exist or ACL restricts the record retrieval")
            .build();
      }
      if (method.equals("GET")) {
        return json(200, JSON.createObjectNode().set("result", select(row, fields))).build();
      }
      if (method.equals("PATCH") || method.equals("PUT")) {
        JsonNode patch = JSON.readTree(request.getBodyAsString());
        boolean changed = false;
        for (var field : patch.properties()) {
          String value = field.getValue().isNull() ? "" : field.getValue().asString();
          if (!value.equals(row.get(field.getKey()))) {
            row.put(field.getKey(), value);
            changed = true;
          }
        }
        if (changed) {
          row.put("sys_mod_count", String.valueOf(Long.parseLong(row.get("sys_mod_count")) + 1));
        }
        Runnable action = afterPatch;
        afterPatch = () -> {};
        action.run();
        return json(200, JSON.createObjectNode().set("result", select(row, fields))).build();
      }
    }
    return error(405, "Method not Supported", null).build();
  }

  private static boolean matches(Map<String, String> row, String condition) {
    if (condition.isEmpty()) {
      return true;
    }
    int eq = condition.indexOf('=');
    return condition.substring(eq + 1).equals(row.get(condition.substring(0, eq)));
  }

  /** Fields the table does not have are left out of the answer, as the Table API does. */
  private static ObjectNode select(Map<String, String> row, List<String> fields) {
    ObjectNode json = JSON.createObjectNode();
    row.forEach(
        (k, v) -> {
          if (fields == null || fields.contains(k)) {
            json.put(k, v);
          }
        });
    return json;
  }

  private static ResponseDefinitionBuilder json(int status, JsonNode body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json;charset=UTF-8")
        .withBody(JSON.writeValueAsString(body));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        query.put(
            decode(eq < 0 ? pair : pair.substring(0, eq)),
            eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return query;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
