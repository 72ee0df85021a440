package com.closeout.intake.jdbc;

import static com.closeout.propagation.jdbc.StoreColumns.instant;
import static com.closeout.propagation.jdbc.StoreColumns.nullableInt;
import static com.closeout.propagation.jdbc.StoreColumns.nullableLong;
import static com.closeout.propagation.jdbc.StoreColumns.timestamp;

import com.closeout.domain.EventOutcome;
import com.closeout.intake.Inbox;
import com.closeout.intake.InboxEntry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Accepted event ids in PostgreSQL; the primary key makes a redelivery a no-op. */
public final class JdbcInbox implements Inbox {
  private final JdbcClient jdbc;

  public JdbcInbox(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  @Override
  public boolean accept(InboxEntry entry) {
    return jdbc.sql(
                """
                INSERT INTO inbox (event_id, event_type, escalation_id, disposition_version,
                                   received_at, outcome, closure_id)
                VALUES (:eventId, :type, :escalationId, :version, :receivedAt, :outcome,
                        :closureId)
                ON CONFLICT (event_id) DO NOTHING
                """)
            .param("eventId", entry.eventId())
            .param("type", entry.type())
            .param("escalationId", entry.escalationId())
            .param("version", entry.dispositionVersion())
            .param("receivedAt", timestamp(entry.receivedAt()))
            .param("outcome", entry.outcome().name())
            .param("closureId", entry.closureId())
            .update()
        == 1;
  }

  @Override
  public void settle(String eventId, EventOutcome outcome, Long closureId) {
    int settled =
        jdbc.sql(
                """
                UPDATE inbox SET outcome = :outcome, closure_id = :closureId
                 WHERE event_id = :eventId
                """)
            .param("outcome", outcome.name())
            .param("closureId", closureId)
            .param("eventId", eventId)
            .update();
    if (settled != 1) {
      throw new IllegalStateException("event " + eventId + " was never accepted");
    }
  }

  @Override
  public Optional<InboxEntry> find(String eventId) {
    return jdbc.sql("SELECT * FROM inbox WHERE event_id = :eventId")
        .param("eventId", eventId)
        .query(JdbcInbox::entry)
        .optional();
  }

  @Override
  public List<InboxEntry> all() {
    return jdbc.sql("SELECT * FROM inbox ORDER BY received_at, event_id")
        .query(JdbcInbox::entry)
        .list();
  }

  private static InboxEntry entry(ResultSet rs, int rowNum) throws SQLException {
    return new InboxEntry(
        rs.getString("event_id"),
        rs.getString("event_type"),
        rs.getString("escalation_id"),
        nullableInt(rs, "disposition_version"),
        instant(rs, "received_at"),
        EventOutcome.valueOf(rs.getString("outcome")),
        nullableLong(rs, "closure_id"));
  }
}
