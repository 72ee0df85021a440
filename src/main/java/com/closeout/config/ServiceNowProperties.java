package com.closeout.config;

import com.closeout.targets.servicenow.ServiceNowSettings;
import com.closeout.targets.servicenow.ServiceNowSettings.ClosedAtFormat;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code closeout.targets.ledger.servicenow.*}: read only when {@code
 * closeout.targets.ledger.kind=servicenow}; base URL, credentials and timeouts are the ledger's
 * ({@code closeout.targets.ledger.*}). Defaults and meanings: {@link ServiceNowSettings}.
 */
@ConfigurationProperties("closeout.targets.ledger.servicenow")
public record ServiceNowProperties(
    String table,
    String escalationIdColumn,
    String episodeIdColumn,
    String statusColumn,
    String reviewCompleteValue,
    String dispositionVersionColumn,
    String closedAtColumn,
    ClosedAtFormat closedAtFormat,
    String archiveRefsColumn) {

  public static ServiceNowProperties empty() {
    return new ServiceNowProperties(null, null, null, null, null, null, null, null, null);
  }

  /** Validated now: a missing or malformed setting names its property. */
  public ServiceNowSettings settings() {
    return new ServiceNowSettings(
        table,
        escalationIdColumn,
        episodeIdColumn,
        statusColumn,
        reviewCompleteValue,
        dispositionVersionColumn,
        closedAtColumn,
        closedAtFormat,
        archiveRefsColumn);
  }
}
