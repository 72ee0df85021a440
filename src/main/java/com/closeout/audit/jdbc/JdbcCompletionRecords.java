package com.closeout.audit.jdbc;

import static com.closeout.propagation.jdbc.StoreColumns.json;

import com.closeout.audit.CompletionRecords;
import com.closeout.propagation.jdbc.StoreColumns;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Completion traces in PostgreSQL: at most one per closure, written once. */
public final class JdbcCompletionRecords implements CompletionRecords {
  private final JdbcClient jdbc;

  public JdbcCompletionRecords(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  @Override
  public boolean exists(long closureId) {
    return jdbc.sql("SELECT EXISTS (SELECT 1 FROM completion_records WHERE closure_id = :id)")
        .param("id", closureId)
        .query(Boolean.class)
        .single();
  }

  @Override
  public List<Boolean> insertAll(List<CompletionRecord> records) {
    if (records.isEmpty()) {
      return List.of();
    }
    // One statement for the group, rows in the records' order: RETURNING names the closures whose
    // record this call wrote (a second record for one closure is skipped, as a later one would be).
    Set<Long> written =
        new HashSet<>(
            jdbc.sql(
                    """
                    INSERT INTO completion_records (closure_id, escalation_id, disposition_version,
                                                    event_id, audit_entry_ids, recorded_at)
                    SELECT u.closure_id, u.escalation_id, u.disposition_version, u.event_id,
                           u.audit_entry_ids, u.recorded_at
                      FROM unnest(CAST(:closureIds AS bigint[]), CAST(:escalations AS text[]),
                                  CAST(:versions AS integer[]), CAST(:eventIds AS text[]),
                                  CAST(:entryIds AS jsonb[]), CAST(:recordedAts AS timestamptz[]))
                           WITH ORDINALITY
                           AS u(closure_id, escalation_id, disposition_version, event_id,
                                audit_entry_ids, recorded_at, record)
                     ORDER BY u.record
                    ON CONFLICT (closure_id) DO NOTHING
                    RETURNING closure_id
                    """)
                .param(
                    "closureIds",
                    records.stream().map(CompletionRecord::closureId).toArray(Long[]::new))
                .param(
                    "escalations",
                    records.stream()
                        .map(r -> r.key().escalationId().value())
                        .toArray(String[]::new))
                .param(
                    "versions",
                    records.stream().map(r -> r.key().dispositionVersion()).toArray(Integer[]::new))
                .param(
                    "eventIds",
                    records.stream().map(CompletionRecord::eventId).toArray(String[]::new))
                .param(
                    "entryIds",
                    records.stream().map(r -> json(r.auditEntryIds())).toArray(String[]::new))
                .param(
                    "recordedAts",
                    records.stream()
                        .map(r -> StoreColumns.stored(r.at()).toString())
                        .toArray(String[]::new))
                .query(Long.class)
                .list());
    List<Boolean> inserted = new ArrayList<>(records.size());
    for (CompletionRecord record : records) {
      inserted.add(written.remove(record.closureId()));
    }
    return inserted;
  }
}
