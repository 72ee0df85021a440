package com.closeout.evaluation;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What a scenario expects of one escalation. Every part is optional: only what is given is
 * compared. {@code tracker}, {@code ledger} and {@code queue} are partial state objects in the
 * shape of the report (SPEC §7.2); {@code writes} may name only some systems.
 */
public record EscalationExpectation(
    String outcome,
    List<String> reasons,
    JsonNode tracker,
    JsonNode ledger,
    JsonNode queue,
    Integer notifications,
    Map<String, Integer> writes) {
  public EscalationExpectation {
    reasons = reasons == null ? null : List.copyOf(reasons);
    writes = writes == null ? null : Map.copyOf(writes);
  }
}
