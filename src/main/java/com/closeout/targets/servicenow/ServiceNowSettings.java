package com.closeout.targets.servicenow;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where Closeout's values live in a ServiceNow table (Table API). Columns are the table's field
 * names ({@code u_...} for custom ones).
 *
 * @param table the table holding one record per escalation, e.g. {@code u_support_case}
 * @param escalationIdColumn string column holding the escalation id (the key mapping)
 * @param episodeIdColumn string column holding the episode id
 * @param statusColumn column holding the record's review status (a choice or string)
 * @param reviewCompleteValue the status column's value that means REVIEW_COMPLETE
 * @param dispositionVersionColumn integer column Closeout writes the disposition version to
 * @param closedAtColumn column Closeout writes closedAt to
 * @param closedAtFormat {@code glide-date-time} (default; a date/time column, whole seconds, UTC)
 *     or {@code iso-8601} (a string column; keeps fractions of a second)
 * @param archiveRefsColumn string column (at least 4000 characters) holding the linked archive
 *     references as a JSON array of {@code {kind, uri, sha256}}
 */
public record ServiceNowSettings(
    String table,
    String escalationIdColumn,
    String episodeIdColumn,
    String statusColumn,
    String reviewCompleteValue,
    String dispositionVersionColumn,
    String closedAtColumn,
    ClosedAtFormat closedAtFormat,
    String archiveRefsColumn) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  static final String PREFIX = "closeout.targets.ledger.servicenow.";

  public enum ClosedAtFormat {
    GLIDE_DATE_TIME,
    ISO_8601
  }

  public ServiceNowSettings {
    table = name(table, "table", null);
    escalationIdColumn = name(escalationIdColumn, "escalation-id-column", "u_escalation_id");
    episodeIdColumn = name(episodeIdColumn, "episode-id-column", "u_episode_id");
    statusColumn = name(statusColumn, "status-column", "u_review_status");
    reviewCompleteValue =
        reviewCompleteValue == null || reviewCompleteValue.isBlank()
            ? "review_complete"
            : reviewCompleteValue.strip();
    dispositionVersionColumn =
        name(dispositionVersionColumn, "disposition-version-column", "u_disposition_version");
    closedAtColumn = name(closedAtColumn, "closed-at-column", "u_closed_at");
    closedAtFormat = closedAtFormat == null ? ClosedAtFormat.GLIDE_DATE_TIME : closedAtFormat;
    archiveRefsColumn = name(archiveRefsColumn, "archive-refs-column", "u_archive_refs");
  }

  /** Only the table named; every column at its default. */
  public static ServiceNowSettings forTable(String table) {
    return new ServiceNowSettings(table, null, null, null, null, null, null, null, null);
  }

  /** The columns Closeout reads, sys_id and sys_mod_count first. */
  public List<String> columns() {
    return List.of(
        "sys_id",
        "sys_mod_count",
        escalationIdColumn,
        episodeIdColumn,
        statusColumn,
        dispositionVersionColumn,
        closedAtColumn,
        archiveRefsColumn);
  }

  private static String name(String value, String property, String fallback) {
    if (value == null || value.isBlank()) {
      if (fallback == null) {
        throw new IllegalArgumentException(PREFIX + property + " is required for kind servicenow");
      }
      return fallback;
    }
    String name = value.strip();
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          PREFIX + property + " must be a table or column name like u_escalation_id, not " + name);
    }
    return name;
  }
}
