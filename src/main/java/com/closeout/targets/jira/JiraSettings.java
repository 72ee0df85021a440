package com.closeout.targets.jira;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where Closeout's values live in a Jira Service Management project. Field ids are Jira's ({@code
 * customfield_10042}), found under Settings → Issues → Custom fields or with {@code GET
 * /rest/api/3/field}.
 *
 * @param project the project key the escalations' issues are in (bounds every search)
 * @param escalationIdField short-text custom field holding the escalation id (the key mapping)
 * @param episodeIdField short-text custom field holding the episode id
 * @param dispositionVersionField number custom field Closeout writes the disposition version to
 * @param closedAtField date-time (or short-text) custom field Closeout writes closedAt to
 * @param reviewCompleteStatus the workflow status an issue is transitioned to for REVIEW_COMPLETE
 * @param pageSize issues per search page (default 50)
 * @param notifyUsers whether Jira may e-mail watchers about Closeout's field edits (default false:
 *     {@code notifyUsers=false}, which needs the project-administrator permission)
 */
public record JiraSettings(
    String project,
    String escalationIdField,
    String episodeIdField,
    String dispositionVersionField,
    String closedAtField,
    String reviewCompleteStatus,
    Integer pageSize,
    Boolean notifyUsers) {

  private static final Pattern CUSTOM_FIELD = Pattern.compile("customfield_[0-9]+");
  private static final Pattern PROJECT_KEY = Pattern.compile("[A-Z][A-Z0-9_]*");
  public static final int DEFAULT_PAGE_SIZE = 50;
  static final String PREFIX = "closeout.targets.tracker.jira.";

  public JiraSettings {
    project = required(project, "project");
    if (!PROJECT_KEY.matcher(project).matches()) {
      throw new IllegalArgumentException(PREFIX + "project must be a project key like SUP");
    }
    escalationIdField = customField(escalationIdField, "escalation-id-field");
    episodeIdField = customField(episodeIdField, "episode-id-field");
    dispositionVersionField = customField(dispositionVersionField, "disposition-version-field");
    closedAtField = customField(closedAtField, "closed-at-field");
    reviewCompleteStatus = required(reviewCompleteStatus, "review-complete-status");
    pageSize = pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
    if (pageSize < 1 || pageSize > 100) {
      throw new IllegalArgumentException(PREFIX + "page-size must be 1..100");
    }
    notifyUsers = notifyUsers != null && notifyUsers;
  }

  /** The custom fields Closeout reads, in a fixed order. */
  public List<String> customFields() {
    return List.of(escalationIdField, episodeIdField, dispositionVersionField, closedAtField);
  }

  /** The field's JQL name: {@code cf[10042]}. */
  String jqlName(String field) {
    return "cf[" + field.substring("customfield_".length()) + "]";
  }

  private static String required(String value, String property) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(PREFIX + property + " is required for kind jira");
    }
    return value.strip();
  }

  private static String customField(String value, String property) {
    String id = required(value, property);
    if (!CUSTOM_FIELD.matcher(id).matches()) {
      throw new IllegalArgumentException(
          PREFIX + property + " must be a custom field id like customfield_10042, not " + id);
    }
    return Objects.requireNonNull(id);
  }
}
