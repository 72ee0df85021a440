package com.closeout.audit.jdbc;

import static com.closeout.propagation.jdbc.StoreColumns.json;
import static com.closeout.propagation.jdbc.StoreColumns.timestamp;

import com.closeout.audit.CompletionRecords;
import com.closeout.domain.ClosureKey;
import java.time.Instant;
import java.util.List;
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
  public boolean insert(
      long closureId, ClosureKey key, String eventId, List<Long> auditSequences, Instant at) {
    return jdbc.sql(
                """
                INSERT INTO completion_records (closure_id, escalation_id, disposition_version,
                                                event_id, audit_sequences, recorded_at)
                VALUES (:closureId, :escalationId, :version, :eventId,
                        CAST(:auditSequences AS jsonb), :at)
                ON CONFLICT (closure_id) DO NOTHING
                """)
            .param("closureId", closureId)
            .param("escalationId", key.escalationId().value())
            .param("version", key.dispositionVersion())
            .param("eventId", eventId)
            .param("auditSequences", json(List.copyOf(auditSequences)))
            .param("at", timestamp(at))
            .update()
        == 1;
  }
}
