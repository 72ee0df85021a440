package com.closeout.audit.jdbc;

import static com.closeout.propagation.jdbc.StoreColumns.json;
import static com.closeout.propagation.jdbc.StoreColumns.timestamp;

import com.closeout.audit.CompletionRecords;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Completion traces in PostgreSQL: at most one per closure, written once. */
public final class JdbcCompletionRecords implements CompletionRecords {
  private final JdbcClient jdbc;
  private final JdbcTemplate batch;

  public JdbcCompletionRecords(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.batch = new JdbcTemplate(dataSource);
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
    // One chunk (the list's size), so counts[0] holds every record's row count.
    int[] counts =
        batch
            .batchUpdate(
                """
                INSERT INTO completion_records (closure_id, escalation_id, disposition_version,
                                                event_id, audit_entry_ids, recorded_at)
                VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?)
                ON CONFLICT (closure_id) DO NOTHING
                """,
                records,
                records.size(),
                (statement, record) -> {
                  statement.setLong(1, record.closureId());
                  statement.setString(2, record.key().escalationId().value());
                  statement.setInt(3, record.key().dispositionVersion());
                  statement.setString(4, record.eventId());
                  statement.setString(5, json(record.auditEntryIds()));
                  statement.setObject(6, timestamp(record.at()));
                })[0];
    List<Boolean> written = new ArrayList<>(counts.length);
    for (int count : counts) {
      if (count != 0 && count != 1) {
        throw new IllegalStateException("the completion record insert reported " + count + " rows");
      }
      written.add(count == 1);
    }
    return written;
  }
}
