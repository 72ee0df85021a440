package com.closeout.targets.notice.jdbc;

import static com.closeout.propagation.jdbc.StoreColumns.instant;
import static com.closeout.propagation.jdbc.StoreColumns.timestamp;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.notice.NoticeDeliveries;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Notice deliveries in PostgreSQL ({@code notice_deliveries}, V2). Every call runs in a transaction
 * of its own (REQUIRES_NEW), so {@code ATTEMPTING} is durable before the post goes out even if a
 * caller had a transaction open; every state change is a guarded UPDATE with its row count checked.
 */
public final class JdbcNoticeDeliveries implements NoticeDeliveries {
  private static final String ATTEMPTING = "ATTEMPTING";
  private static final String DELIVERED = "DELIVERED";
  private static final String UNCONFIRMED = "UNCONFIRMED";

  private final JdbcClient jdbc;
  private final TransactionTemplate ownTransaction;
  private final AuditTrail audit;
  private final Clock clock;

  /**
   * @param audit the audit trail on the same DataSource: an unconfirmed notice is audited in the
   *     transaction that marks it
   */
  public JdbcNoticeDeliveries(DataSource dataSource, AuditTrail audit, Clock clock) {
    this.jdbc = JdbcClient.create(dataSource);
    this.ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private record Row(String state, Instant attemptedAt, long revision) {}

  @Override
  public Claim claim(IdempotencyKey key, String channel) {
    return ownTransaction.execute(
        status -> {
          int inserted =
              jdbc.sql(
                      """
                      INSERT INTO notice_deliveries (idempotency_key, channel, state, attempted_at)
                      VALUES (:key, :channel, 'ATTEMPTING', :at)
                      ON CONFLICT (idempotency_key) DO NOTHING
                      """)
                  .param("key", key.value())
                  .param("channel", channel)
                  .param("at", timestamp(clock.instant()))
                  .update();
          if (inserted == 1) {
            return new Claim.Claimed();
          }
          Row row = find(key).orElseThrow(() -> new IllegalStateException("claim vanished"));
          return switch (row.state()) {
            case ATTEMPTING -> new Claim.Attempting(row.attemptedAt());
            case DELIVERED -> new Claim.Delivered();
            case UNCONFIRMED -> new Claim.Unconfirmed();
            default -> throw new IllegalStateException("unknown delivery state " + row.state());
          };
        });
  }

  @Override
  public void delivered(IdempotencyKey key) {
    ownTransaction.executeWithoutResult(
        status -> {
          if (settle(key, DELIVERED) == 0) {
            // A second confirmation of the same post is harmless; anything else is a bug.
            requireState(key, DELIVERED);
          }
        });
  }

  @Override
  public void release(IdempotencyKey key) {
    ownTransaction.executeWithoutResult(
        status -> {
          Row row = find(key).orElse(null);
          if (row == null) {
            return;
          }
          int deleted =
              jdbc.sql(
                      """
                      DELETE FROM notice_deliveries
                       WHERE idempotency_key = :key AND state = 'ATTEMPTING' AND revision = :revision
                      """)
                  .param("key", key.value())
                  .param("revision", row.revision())
                  .update();
          if (deleted != 1) {
            throw new IllegalStateException(
                "notice delivery " + key + " is " + row.state() + ", not ATTEMPTING");
          }
        });
  }

  @Override
  public void unconfirmed(IdempotencyKey key, CoordinatorNotice notice, String channel) {
    ownTransaction.executeWithoutResult(
        status -> {
          if (settle(key, UNCONFIRMED) == 0) {
            requireState(key, UNCONFIRMED);
            return;
          }
          audit.append(
              AuditRecord.of(
                      null,
                      notice.escalationId().value(),
                      notice.dispositionVersion(),
                      AuditAction.NOTICE_UNCONFIRMED)
                  .target(TargetSystem.NOTIFICATION, channel)
                  .notified(channel)
                  .detail(
                      notice.kind().name()
                          + " "
                          + key
                          + ": an earlier post's answer was lost and the channel cannot be read"
                          + " back; not posted again (at-most-once), the notice may be missing"));
        });
  }

  /** The state of a key's record, for tests and operators. */
  public Optional<String> state(IdempotencyKey key) {
    return find(key).map(Row::state);
  }

  private int settle(IdempotencyKey key, String state) {
    Row row = find(key).orElse(null);
    if (row == null || !ATTEMPTING.equals(row.state())) {
      return 0;
    }
    int updated =
        jdbc.sql(
                """
                UPDATE notice_deliveries
                   SET state = :state, settled_at = :at, revision = revision + 1
                 WHERE idempotency_key = :key AND state = 'ATTEMPTING' AND revision = :revision
                """)
            .param("state", state)
            .param("at", timestamp(clock.instant()))
            .param("key", key.value())
            .param("revision", row.revision())
            .update();
    if (updated != 1) {
      throw new IllegalStateException("notice delivery " + key + " changed concurrently");
    }
    return updated;
  }

  private void requireState(IdempotencyKey key, String expected) {
    Row row = find(key).orElse(null);
    if (row == null || !expected.equals(row.state())) {
      throw new IllegalStateException(
          "notice delivery "
              + key
              + " is "
              + (row == null ? "not recorded" : row.state())
              + ", cannot become "
              + expected);
    }
  }

  private Optional<Row> find(IdempotencyKey key) {
    return jdbc.sql(
            """
            SELECT state, attempted_at, revision FROM notice_deliveries
             WHERE idempotency_key = :key
            """)
        .param("key", key.value())
        .query(
            (rs, n) -> new Row(rs.getString("state"), instant(rs, "attempted_at"), rs.getLong(3)))
        .optional();
  }
}
