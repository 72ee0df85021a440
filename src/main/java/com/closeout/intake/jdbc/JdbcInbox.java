package com.closeout.intake.jdbc;

import static com.closeout.propagation.jdbc.StoreColumns.instant;
import static com.closeout.propagation.jdbc.StoreColumns.nullableInt;
import static com.closeout.propagation.jdbc.StoreColumns.nullableLong;

import com.closeout.domain.EventOutcome;
import com.closeout.intake.Inbox;
import com.closeout.intake.InboxEntry;
import com.closeout.intake.InboxSettlement;
import com.closeout.propagation.jdbc.WritesWithCommit;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Accepted event ids in PostgreSQL; the primary key makes a redelivery a no-op. */
public final class JdbcInbox implements Inbox {
  /** The writes this inbox holds for the commit (its settlements). */
  private static final String HOLDER = "inbox";

  private final DataSource dataSource;
  private final JdbcClient jdbc;

  public JdbcInbox(DataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbc = JdbcClient.create(dataSource);
  }

  /** An immediate statement: what this inbox holds in the transaction goes first. */
  private JdbcClient.StatementSpec sql(String sql) {
    WritesWithCommit.sendHeld(dataSource, HOLDER);
    return jdbc.sql(sql);
  }

  /**
   * Held for the commit of the caller's transaction (decisions 0012, 0013), each row guarded by
   * being there: an event never accepted fails the commit with {@link IllegalStateException}, as a
   * row count checked here would have failed the call.
   */
  @Override
  public void settleAll(List<InboxSettlement> settlements) {
    if (settlements.isEmpty()) {
      return;
    }
    Set<String> given = new HashSet<>();
    for (InboxSettlement settlement : settlements) {
      if (!given.add(settlement.eventId())) {
        // One UPDATE ... FROM changes a row once: the second settlement would not count.
        throw new IllegalArgumentException("event " + settlement.eventId() + " settled twice");
      }
    }
    Map<String, Object> params = new HashMap<>();
    params.put(
        "eventIds", settlements.stream().map(InboxSettlement::eventId).toArray(String[]::new));
    params.put(
        "outcomes", settlements.stream().map(s -> s.outcome().name()).toArray(String[]::new));
    params.put(
        "closureIds", settlements.stream().map(InboxSettlement::closureId).toArray(Long[]::new));
    // Inbox rows are never deleted: a settlement that finds none is a bug, not a race.
    WritesWithCommit.holdGuarded(
        dataSource,
        HOLDER,
        """
            WITH changed AS (
            UPDATE inbox i
               SET outcome = u.outcome, closure_id = u.closure_id
              FROM unnest(CAST(:eventIds AS text[]), CAST(:outcomes AS text[]),
                          CAST(:closureIds AS bigint[]))
                   AS u(event_id, outcome, closure_id)
             WHERE i.event_id = u.event_id
            RETURNING 1)
            SELECT closeout_expect_rows(:expected, (SELECT count(*) FROM changed), :what,
                                        :mismatch)
            """,
        params,
        settlements.size(),
        "settling inbox events "
            + WritesWithCommit.listed(settlements.stream().map(InboxSettlement::eventId).toList()),
        WritesWithCommit.NOT_FOUND);
  }

  @Override
  public Optional<InboxEntry> find(String eventId) {
    return sql("SELECT * FROM inbox WHERE event_id = :eventId")
        .param("eventId", eventId)
        .query(JdbcInbox::entry)
        .optional();
  }

  @Override
  public List<InboxEntry> all() {
    return sql("SELECT * FROM inbox ORDER BY received_at, event_id").query(JdbcInbox::entry).list();
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
