package com.closeout.evaluation;

import com.closeout.domain.ArchiveRef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The result of one scenario run, printed by {@code closeout scenario FILE --json} (SPEC §7.2).
 *
 * @param events per event id in delivery order, what became of it
 * @param mismatches why {@code passed} is false: each expectation that did not hold, and any
 *     intervention the runner could not carry out; not part of the JSON report
 */
public record ScenarioResult(
    String scenario,
    boolean passed,
    Map<String, String> events,
    Map<String, EscalationReport> escalations,
    long auditEntries,
    boolean chainValid,
    long restrictedLeaks,
    List<String> mismatches) {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public ScenarioResult {
    events = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(events));
    escalations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(escalations));
    mismatches = List.copyOf(mismatches);
  }

  /** The report in the exact shape of SPEC §7.2. */
  public ObjectNode toJsonNode() {
    ObjectNode root = NODES.objectNode();
    root.put("scenario", scenario);
    root.put("passed", passed);
    ObjectNode eventsNode = root.putObject("events");
    events.forEach(eventsNode::put);
    ObjectNode escalationsNode = root.putObject("escalations");
    escalations.forEach((id, report) -> escalationsNode.set(id, escalationJson(report)));
    ObjectNode audit = root.putObject("audit");
    audit.put("entries", auditEntries);
    audit.put("chainValid", chainValid);
    root.put("restrictedLeaks", restrictedLeaks);
    return root;
  }

  public String toJson() {
    return MAPPER.writeValueAsString(toJsonNode());
  }

  public String toPrettyJson() {
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonNode());
  }

  static ObjectNode escalationJson(EscalationReport report) {
    ObjectNode node = NODES.objectNode();
    node.put("outcome", report.outcome());
    ArrayNode reasons = node.putArray("reasons");
    report.reasons().forEach(reasons::add);
    node.set("tracker", targetJson(report.tracker()));
    node.set("ledger", targetJson(report.ledger()));
    if (report.queue() == null) {
      node.putNull("queue");
    } else {
      ObjectNode queue = node.putObject("queue");
      queue.put("status", report.queue().status());
      putInstant(queue, "closedAt", report.queue().closedAt());
    }
    node.put("notifications", report.notifications());
    ObjectNode writes = node.putObject("writes");
    report.writes().forEach(writes::put);
    return node;
  }

  private static tools.jackson.databind.JsonNode targetJson(EscalationReport.TargetState state) {
    if (state == null) {
      return NODES.nullNode();
    }
    ObjectNode node = NODES.objectNode();
    node.put("status", state.status());
    if (state.dispositionVersion() == null) {
      node.putNull("dispositionVersion");
    } else {
      node.put("dispositionVersion", state.dispositionVersion());
    }
    putInstant(node, "closedAt", state.closedAt());
    ArrayNode refs = node.putArray("archiveRefs");
    for (ArchiveRef ref : state.archiveRefs()) {
      refs.addObject().put("kind", ref.kind()).put("uri", ref.uri()).put("sha256", ref.sha256());
    }
    return node;
  }

  private static void putInstant(ObjectNode node, String field, Instant value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value.toString());
    }
  }
}
