package com.closeout.intake.jdbc;

import static com.closeout.propagation.jdbc.StoreColumns.instant;
import static com.closeout.propagation.jdbc.StoreColumns.nullableInt;
import static com.closeout.propagation.jdbc.StoreColumns.nullableLong;
import static com.closeout.propagation.jdbc.StoreColumns.timestamp;

import com.closeout.domain.EventOutcome;
import com.closeout.intake.Inbox;
import com.closeout.intake.InboxEntry;
import com.closeout.intake.InboxSettlement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Accepted event ids in PostgreSQL; the primary key makes a redelivery a no-op. */
public final class JdbcInbox implements Inbox {
  private final JdbcClient jdbc;
  private final JdbcTemplate batch;

  public JdbcInbox(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.batch = new JdbcTemplate(dataSource);
  }

  @Override
  public List<Boolean> acceptAll(List<InboxEntry> entries) {
    if (entries.isEmpty()) {
      return List.of();
    }
    // One JDBC batch: the rows are inserted in order, so a second entry with the same event id
    // finds the first one's row and counts 0, like a redelivery. One chunk (the list's size).
    int[] counts =
        batch
            .batchUpdate(
                """
                INSERT INTO inbox (event_id, event_type, escalation_id, disposition_version,
                                   received_at, outcome, closure_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (event_id) DO NOTHING
                """,
                entries,
                entries.size(),
                (statement, entry) -> {
                  statement.setString(1, entry.eventId());
                  statement.setString(2, entry.type());
                  statement.setString(3, entry.escalationId());
                  statement.setObject(4, entry.dispositionVersion(), Types.INTEGER);
                  statement.setObject(5, timestamp(entry.receivedAt()));
                  statement.setString(6, entry.outcome().name());
                  statement.setObject(7, entry.closureId(), Types.BIGINT);
                })[0];
    List<Boolean> accepted = new ArrayList<>(counts.length);
    for (int count : counts) {
      if (count != 0 && count != 1) {
        // A driver that rewrites batches reports no row counts: redeliveries could not be told.
        throw new IllegalStateException("the inbox insert reported " + count + " rows");
      }
      accepted.add(count == 1);
    }
    return accepted;
  }

  @Override
  public void settleAll(List<InboxSettlement> settlements) {
    if (settlements.isEmpty()) {
      return;
    }
    // One chunk: the batch size is the list's.
    int[] counts =
        batch
            .batchUpdate(
                "UPDATE inbox SET outcome = ?, closure_id = ? WHERE event_id = ?",
                settlements,
                settlements.size(),
                (statement, settlement) -> {
                  statement.setString(1, settlement.outcome().name());
                  statement.setObject(2, settlement.closureId(), Types.BIGINT);
                  statement.setString(3, settlement.eventId());
                })[0];
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 1) {
        throw new IllegalStateException(
            "event " + settlements.get(i).eventId() + " was never accepted");
      }
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
