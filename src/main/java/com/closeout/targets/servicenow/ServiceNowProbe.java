package com.closeout.targets.servicenow;

import com.closeout.domain.TargetSystem;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.rest.ContractClient;
import com.closeout.targets.rest.ContractClient.Answer;
import com.closeout.targets.rest.JsonTree;
import com.closeout.targets.rest.TargetCheck;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code check-config} for ServiceNow: one {@code sysparm_limit=1} GET on the table with the
 * configured columns. Reachable and credentials accepted when it answers 200; the contract holds
 * when the answer is a result list and, if it has a row, the row carries every configured column
 * (the Table API leaves out a field the table does not have). Read only.
 */
public final class ServiceNowProbe {
  public static final String KIND = "servicenow";

  private ServiceNowProbe() {}

  public static TargetCheck check(ContractClient client, ServiceNowSettings settings) {
    TargetSystem system = client.system();
    String baseUrl = client.endpoint().baseUrl().toString();
    String path =
        "/api/now/table/"
            + ContractClient.segment(settings.table())
            + "?sysparm_limit=1&sysparm_fields="
            + ContractClient.query(String.join(",", settings.columns()))
            + "&sysparm_exclude_reference_link=true";
    Answer answer;
    try {
      answer = client.call("GET", path, null, false);
    } catch (TargetUnavailableException e) {
      return new TargetCheck(system, KIND, baseUrl, false, false, false, e.getMessage());
    }
    if (answer.status() == 401 || answer.status() == 403) {
      return new TargetCheck(
          system, KIND, baseUrl, true, false, false, "HTTP " + answer.status() + " on the table");
    }
    if (!answer.ok()) {
      return new TargetCheck(
          system,
          KIND,
          baseUrl,
          true,
          true,
          false,
          "HTTP " + answer.status() + " on table " + settings.table());
    }
    JsonNode result;
    try {
      result = JsonTree.parse(answer.body(), system, "table read").path("result");
    } catch (TargetUnavailableException e) {
      return new TargetCheck(system, KIND, baseUrl, true, true, false, "answer is not JSON");
    }
    if (!result.isArray()) {
      return new TargetCheck(system, KIND, baseUrl, true, true, false, "no result list");
    }
    List<String> missing = new ArrayList<>();
    if (!result.isEmpty()) {
      settings.columns().stream().filter(c -> !result.get(0).has(c)).forEach(missing::add);
    }
    return missing.isEmpty()
        ? new TargetCheck(system, KIND, baseUrl, true, true, true, "ok")
        : new TargetCheck(
            system,
            KIND,
            baseUrl,
            true,
            true,
            false,
            "table " + settings.table() + " has no column " + String.join(", ", missing));
  }
}
