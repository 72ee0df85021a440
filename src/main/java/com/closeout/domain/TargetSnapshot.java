package com.closeout.domain;

import java.time.Instant;
import java.util.List;

/**
 * What one target record held (before a step, as prior values) or was given (by a step). Only
 * identifiers, statuses, versions, timestamps and archive references: never restricted content.
 */
public record TargetSnapshot(
    TargetSystem system,
    String recordId,
    String status,
    Integer dispositionVersion,
    Instant closedAt,
    List<String> archiveUris,
    long revision) {
  public TargetSnapshot {
    archiveUris = archiveUris == null ? List.of() : List.copyOf(archiveUris);
  }
}
