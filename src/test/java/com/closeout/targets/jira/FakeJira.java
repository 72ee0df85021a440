package com.closeout.targets.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.closeout.testsupport.StatefulVendorFake;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small stateful Jira Cloud behind WireMock, answering the calls the connector makes in the
 * shapes of the public REST API v3 documentation: enhanced JQL search with {@code nextPageToken},
 * issue read and edit, transitions, remote links (create-or-update by {@code globalId}, delete by
 * {@code globalId}), {@code myself}, {@code field}, {@code project}; errors as {@code
 * {"errorMessages":[...],"errors":{}}}. A test's own stubs (priority 1) win over it (priority 10);
 * the request journal records everything sent.
 */
public final class FakeJira extends StatefulVendorFake {
  public static final String ESCALATION = "customfield_10040";
  public static final String EPISODE = "customfield_10041";
  public static final String VERSION = "customfield_10042";
  public static final String CLOSED_AT = "customfield_10043";
  public static final String PROJECT = "SUP";
  public static final String EMAIL = "closeout@example.com";
  public static final String TOKEN = "jira-api-token-secret";
  public static final List<String> STATUSES =
      List.of("Waiting for support", "In Review", "Review Complete");

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final DateTimeFormatter JIRA_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
  private static final Pattern PHRASE = Pattern.compile("~ \"\\\\\"(.*)\\\\\"\"");

  public static final class Issue {
    public final String key;
    public final Map<String, Object> fields = new LinkedHashMap<>();
    public final Map<String, ObjectNode> links = new LinkedHashMap<>();
    public String status;
    public long updated;

    Issue(String key, String escalation, String episode, String status, long updated) {
      this.key = key;
      this.status = status;
      this.updated = updated;
      fields.put(ESCALATION, escalation);
      fields.put(EPISODE, episode);
    }
  }

  private final Map<String, Issue> issues = new LinkedHashMap<>();
  private final Deque<ResponseDefinition> faults = new ArrayDeque<>();
  private long clock = Instant.parse("2026-11-20T09:00:00Z").toEpochMilli();
  private Runnable afterEdit = () -> {};

  private FakeJira() {}

  public static FakeJira launch() {
    FakeJira fake = new FakeJira();
    fake.serve();
    return fake;
  }

  @Override
  public String getName() {
    return "fake-jira";
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }

  public synchronized Issue put(String key, String escalation, String episode, String status) {
    Issue issue = new Issue(key, escalation, episode, status, tick());
    issues.put(key, issue);
    return issue;
  }

  public synchronized Map<String, Issue> issues() {
    return issues;
  }

  public synchronized Issue issue(String key) {
    return issues.get(key);
  }

  /** Someone else edits the issue: its updated time moves, nothing Closeout reads changes. */
  public synchronized void foreignEdit(String key) {
    issues.get(key).updated = tick();
  }

  /** Runs after the next field edit, before its answer: another writer's change. */
  public synchronized void afterNextEdit(Runnable action) {
    afterEdit = action;
  }

  /** The next calls answer these, in order, whatever they are. */
  public synchronized void failNext(ResponseDefinition... responses) {
    faults.addAll(List.of(responses));
  }

  static ResponseDefinition error(int status, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("errorMessages").add(message);
    body.putObject("errors");
    return json(status, body);
  }

  private long tick() {
    clock += 1000;
    return clock;
  }

  @Override
  public synchronized ResponseDefinition transform(ServeEvent event) {
    LoggedRequest request = event.getRequest();
    String expected =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString((EMAIL + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(request.getHeader("Authorization"))) {
      return error(401, "Client must be authenticated to access this resource.");
    }
    if (!faults.isEmpty()) {
      return faults.poll();
    }
    URI uri = URI.create(request.getUrl());
    String path = uri.getRawPath();
    String method = request.getMethod().getName();
    String[] parts = path.split("/");
    if (path.equals("/rest/api/3/myself") && method.equals("GET")) {
      ObjectNode me = JSON.createObjectNode();
      me.put("accountId", "5b10a2844c20165700ede21g");
      me.put("emailAddress", EMAIL);
      return json(200, me);
    }
    if (path.equals("/rest/api/3/field") && method.equals("GET")) {
      ArrayNode fields = JSON.createArrayNode();
      for (String id :
          List.of("summary", "status", "updated", ESCALATION, EPISODE, VERSION, CLOSED_AT)) {
        fields
            .addObject()
            .put("id", id)
            .put("name", id)
            .put("custom", id.startsWith("customfield_"));
      }
      return json(200, fields);
    }
    if (path.startsWith("/rest/api/3/project/") && method.equals("GET")) {
      return parts[5].equals(PROJECT)
          ? json(200, JSON.createObjectNode().put("key", PROJECT).put("id", "10000"))
          : error(404, "No project could be found with key '" + parts[5] + "'.");
    }
    if (path.equals("/rest/api/3/search/jql") && method.equals("POST")) {
      return search(JSON.readTree(request.getBodyAsString()));
    }
    if (parts.length >= 6 && path.startsWith("/rest/api/3/issue/")) {
      Issue issue = issues.get(decode(parts[5]));
      if (issue == null) {
        return error(404, "Issue does not exist or you do not have permission to see it.");
      }
      String rest = parts.length > 6 ? parts[6] : "";
      Map<String, String> query = query(uri.getRawQuery());
      if (rest.isEmpty() && method.equals("GET")) {
        return json(200, issueJson(issue));
      }
      if (rest.isEmpty() && method.equals("PUT")) {
        JsonNode fields = JSON.readTree(request.getBodyAsString()).path("fields");
        for (var field : fields.properties()) {
          JsonNode value = field.getValue();
          issue.fields.put(
              field.getKey(),
              value.isNull()
                  ? null
                  : value.isNumber() ? (Object) value.numberValue() : value.asString());
        }
        issue.updated = tick();
        Runnable action = afterEdit;
        afterEdit = () -> {};
        action.run();
        return new ResponseDefinition(204, "");
      }
      if (rest.equals("transitions") && method.equals("GET")) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode transitions = body.putArray("transitions");
        for (int i = 0; i < STATUSES.size(); i++) {
          if (!STATUSES.get(i).equals(issue.status)) {
            ObjectNode t = transitions.addObject();
            t.put("id", String.valueOf(11 + i * 10));
            t.put("name", "To " + STATUSES.get(i));
            t.putObject("to").put("name", STATUSES.get(i)).put("id", String.valueOf(i + 1));
          }
        }
        return json(200, body);
      }
      if (rest.equals("transitions") && method.equals("POST")) {
        String id =
            JSON.readTree(request.getBodyAsString()).path("transition").path("id").asString();
        int index = (Integer.parseInt(id) - 11) / 10;
        if (index < 0 || index >= STATUSES.size() || STATUSES.get(index).equals(issue.status)) {
          return error(400, "Transition id '" + id + "' is not valid for this issue.");
        }
        issue.status = STATUSES.get(index);
        issue.updated = tick();
        return new ResponseDefinition(204, "");
      }
      if (rest.equals("remotelink") && method.equals("GET")) {
        ArrayNode links = JSON.createArrayNode();
        issue.links.values().forEach(links::add);
        return json(200, links);
      }
      if (rest.equals("remotelink") && method.equals("POST")) {
        ObjectNode link = (ObjectNode) JSON.readTree(request.getBodyAsString());
        String globalId = link.path("globalId").asString();
        boolean exists = issue.links.containsKey(globalId);
        long id =
            exists ? issue.links.get(globalId).path("id").asLong() : 10000 + issue.links.size();
        link.put("id", id);
        issue.links.put(globalId, link);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", id);
        answer.put(
            "self", server().baseUrl() + "/rest/api/3/issue/" + issue.key + "/remotelink/" + id);
        return json(exists ? 200 : 201, answer);
      }
      if (rest.equals("remotelink") && method.equals("DELETE")) {
        String globalId = query.get("globalId");
        return issue.links.remove(globalId) == null
            ? error(404, "No remote link with the given globalId.")
            : new ResponseDefinition(204, "");
      }
    }
    return error(404, "Not a Jira endpoint this fake knows: " + method + " " + path);
  }

  private ResponseDefinition search(JsonNode body) {
    String jql = body.path("jql").asString();
    Matcher phrase = PHRASE.matcher(jql);
    if (!jql.startsWith("project = \"" + PROJECT + "\" AND cf[10040] ~ ") || !phrase.find()) {
      return error(400, "Error in the JQL Query.");
    }
    String wanted = phrase.group(1);
    int max = body.path("maxResults").asInt(50);
    int from =
        body.has("nextPageToken") ? Integer.parseInt(body.path("nextPageToken").asString()) : 0;
    // A text search: a value containing the phrase matches too (ESC-1 finds ESC-1 and ESC-1 0...).
    List<Issue> found = new ArrayList<>();
    for (Issue issue : issues.values()) {
      Object value = issue.fields.get(ESCALATION);
      if (value != null && value.toString().contains(wanted)) {
        found.add(issue);
      }
    }
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode page = answer.putArray("issues");
    found.stream().skip(from).limit(max).forEach(i -> page.add(issueJson(i)));
    if (from + max < found.size()) {
      answer.put("nextPageToken", String.valueOf(from + max));
      answer.put("isLast", false);
    } else {
      answer.put("isLast", true);
    }
    return json(200, answer);
  }

  private ObjectNode issueJson(Issue issue) {
    ObjectNode json = JSON.createObjectNode();
    json.put("id", String.valueOf(10000 + issue.key.hashCode() % 1000));
    json.put("key", issue.key);
    ObjectNode fields = json.putObject("fields");
    fields.putObject("status").put("name", issue.status).put("id", "1");
    fields.put(
        "updated", JIRA_TIME.format(Instant.ofEpochMilli(issue.updated).atOffset(ZoneOffset.UTC)));
    issue.fields.forEach(
        (k, v) -> {
          if (v == null) {
            fields.putNull(k);
          } else if (v instanceof Number n) {
            fields.put(k, n.doubleValue());
          } else {
            fields.put(k, v.toString());
          }
        });
    for (String id : List.of(ESCALATION, EPISODE, VERSION, CLOSED_AT)) {
      if (!fields.has(id)) {
        fields.putNull(id);
      }
    }
    return json;
  }

  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder jsonBuilder(
      int status, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("errorMessages").add(message);
    body.putObject("errors");
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json;charset=UTF-8")
        .withBody(JSON.writeValueAsString(body));
  }

  static ResponseDefinition json(int status, JsonNode body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json;charset=UTF-8")
        .withBody(JSON.writeValueAsString(body))
        .build();
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
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
}
