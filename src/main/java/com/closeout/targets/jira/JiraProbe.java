package com.closeout.targets.jira;

import static com.closeout.targets.rest.JsonTree.text;

import com.closeout.domain.TargetSystem;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.rest.ContractClient;
import com.closeout.targets.rest.ContractClient.Answer;
import com.closeout.targets.rest.JsonTree;
import com.closeout.targets.rest.TargetCheck;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code check-config} for Jira: {@code GET /rest/api/3/myself} (reachable, credentials accepted),
 * {@code GET /rest/api/3/field} (the configured custom fields exist) and {@code GET
 * /rest/api/3/project/{key}} (the project is visible). Read only.
 */
public final class JiraProbe {
  public static final String KIND = "jira";

  private JiraProbe() {}

  public static TargetCheck check(ContractClient client, JiraSettings settings) {
    TargetSystem system = client.system();
    String baseUrl = client.endpoint().baseUrl().toString();
    try {
      Answer myself = client.call("GET", "/rest/api/3/myself", null, false);
      if (myself.status() == 401 || myself.status() == 403) {
        return new TargetCheck(
            system, KIND, baseUrl, true, false, false, "HTTP " + myself.status() + " on /myself");
      }
      if (!myself.ok()) {
        return new TargetCheck(
            system,
            KIND,
            baseUrl,
            true,
            false,
            false,
            "unexpected HTTP " + myself.status() + " on /myself");
      }
      List<String> problems = new ArrayList<>();
      Answer fields = client.call("GET", "/rest/api/3/field", null, false);
      if (fields.ok()) {
        Set<String> known = new HashSet<>();
        for (JsonNode field : JsonTree.parse(fields.body(), system, "field list")) {
          known.add(text(field.get("id")));
        }
        settings.customFields().stream()
            .filter(id -> !known.contains(id))
            .forEach(id -> problems.add("no field " + id));
      } else {
        problems.add("HTTP " + fields.status() + " on /field");
      }
      Answer project =
          client.call(
              "GET",
              "/rest/api/3/project/" + ContractClient.segment(settings.project()),
              null,
              false);
      if (!project.ok()) {
        problems.add("project " + settings.project() + ": HTTP " + project.status());
      }
      return problems.isEmpty()
          ? new TargetCheck(system, KIND, baseUrl, true, true, true, "ok")
          : new TargetCheck(system, KIND, baseUrl, true, true, false, String.join("; ", problems));
    } catch (TargetUnavailableException e) {
      return new TargetCheck(system, KIND, baseUrl, false, false, false, e.getMessage());
    }
  }
}
