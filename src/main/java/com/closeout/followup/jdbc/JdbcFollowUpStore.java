package com.closeout.followup.jdbc;

import static com.closeout.propagation.jdbc.StoreColumns.instant;
import static com.closeout.propagation.jdbc.StoreColumns.nullableInt;
import static com.closeout.propagation.jdbc.StoreColumns.timestamp;

import com.closeout.domain.FollowUpReason;
import com.closeout.domain.TargetSystem;
import com.closeout.followup.FollowUp;
import com.closeout.followup.FollowUpStatus;
import com.closeout.followup.FollowUpStore;
import com.closeout.followup.NewFollowUp;
import com.closeout.propagation.ConcurrentClosureChangeException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Follow-ups in PostgreSQL. The partial unique index {@code follow_ups_one_open_per_reason} keeps
 * at most one OPEN follow-up per closure and reason.
 */
public final class JdbcFollowUpStore implements FollowUpStore {
  private final JdbcClient jdbc;

  public JdbcFollowUpStore(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  @Override
  public Optional<FollowUp> openIfAbsent(NewFollowUp followUp) {
    return jdbc.sql(
            """
            INSERT INTO follow_ups (closure_id, escalation_id, event_id, reason, system,
                                    event_version, record_version, detail, status, created_at)
            VALUES (:closureId, :escalationId, :eventId, :reason, :system, :eventVersion,
                    :recordVersion, :detail, 'OPEN', :createdAt)
            ON CONFLICT (closure_id, reason) WHERE status = 'OPEN' DO NOTHING
            RETURNING *
            """)
        .param("closureId", followUp.closureId())
        .param("escalationId", followUp.escalationId())
        .param("eventId", followUp.eventId())
        .param("reason", followUp.reason().name())
        .param("system", followUp.system() == null ? null : followUp.system().name())
        .param("eventVersion", followUp.eventVersion())
        .param("recordVersion", followUp.recordVersion())
        .param("detail", followUp.detail())
        .param("createdAt", timestamp(followUp.createdAt()))
        .query(JdbcFollowUpStore::followUp)
        .optional();
  }

  @Override
  public Optional<FollowUp> find(long id) {
    return jdbc.sql("SELECT * FROM follow_ups WHERE id = :id")
        .param("id", id)
        .query(JdbcFollowUpStore::followUp)
        .optional();
  }

  @Override
  public List<FollowUp> all(boolean openOnly) {
    return jdbc.sql(
            """
            SELECT * FROM follow_ups
             WHERE NOT :openOnly OR status = 'OPEN'
             ORDER BY created_at, id
            """)
        .param("openOnly", openOnly)
        .query(JdbcFollowUpStore::followUp)
        .list();
  }

  @Override
  public List<FollowUp> forClosure(long closureId) {
    return jdbc.sql("SELECT * FROM follow_ups WHERE closure_id = :closureId ORDER BY id")
        .param("closureId", closureId)
        .query(JdbcFollowUpStore::followUp)
        .list();
  }

  @Override
  public FollowUp resolve(FollowUp followUp, FollowUpStatus to, String comment, Instant at) {
    if (followUp.status() != FollowUpStatus.OPEN || to == FollowUpStatus.OPEN) {
      throw new IllegalStateException(
          "follow-up may not move from " + followUp.status() + " to " + to);
    }
    return jdbc.sql(
            """
            UPDATE follow_ups
               SET status = :to, resolved_at = :at, resolution_comment = :comment,
                   revision = revision + 1
             WHERE id = :id AND status = :from AND revision = :revision
            RETURNING *
            """)
        .param("to", to.name())
        .param("at", timestamp(at))
        .param("comment", comment)
        .param("id", followUp.id())
        .param("from", followUp.status().name())
        .param("revision", followUp.revision())
        .query(JdbcFollowUpStore::followUp)
        .optional()
        .orElseThrow(
            () ->
                new ConcurrentClosureChangeException(
                    "follow-up "
                        + followUp.id()
                        + " is no longer "
                        + followUp.status()
                        + " at revision "
                        + followUp.revision()));
  }

  private static FollowUp followUp(ResultSet rs, int rowNum) throws SQLException {
    String system = rs.getString("system");
    return new FollowUp(
        rs.getLong("id"),
        rs.getLong("closure_id"),
        rs.getString("escalation_id"),
        rs.getString("event_id"),
        FollowUpReason.valueOf(rs.getString("reason")),
        system == null ? null : TargetSystem.valueOf(system),
        nullableInt(rs, "event_version"),
        nullableInt(rs, "record_version"),
        rs.getString("detail"),
        FollowUpStatus.valueOf(rs.getString("status")),
        rs.getLong("revision"),
        instant(rs, "created_at"),
        instant(rs, "resolved_at"),
        rs.getString("resolution_comment"));
  }
}
