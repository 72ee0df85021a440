package com.closeout.config;

import com.closeout.targets.jira.JiraSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code closeout.targets.tracker.jira.*}: read only when {@code
 * closeout.targets.tracker.kind=jira}; base URL, credentials and timeouts are the tracker's ({@code
 * closeout.targets.tracker.*}). Defaults and meanings: {@link JiraSettings}.
 */
@ConfigurationProperties("closeout.targets.tracker.jira")
public record JiraProperties(
    String project,
    String escalationIdField,
    String episodeIdField,
    String dispositionVersionField,
    String closedAtField,
    String reviewCompleteStatus,
    Integer pageSize,
    Boolean notifyUsers) {

  public static JiraProperties empty() {
    return new JiraProperties(null, null, null, null, null, null, null, null);
  }

  /** Validated now: a missing or malformed setting names its property. */
  public JiraSettings settings() {
    return new JiraSettings(
        project,
        escalationIdField,
        episodeIdField,
        dispositionVersionField,
        closedAtField,
        reviewCompleteStatus,
        pageSize,
        notifyUsers);
  }
}
