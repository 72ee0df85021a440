package com.closeout.targets.notice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditTrail;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.TargetSystem;
import com.closeout.evaluation.SimulatedClock;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.propagation.jdbc.SpringTransactionRunner;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.notice.NoticeDeliveries.Claim;
import com.closeout.targets.notice.jdbc.JdbcNoticeDeliveries;
import com.closeout.testsupport.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class JdbcNoticeDeliveriesTests {
  private static final IdempotencyKey KEY = new IdempotencyKey("ESC-5:v1:COORDINATOR_NOTIFY");
  private static final Instant START = Instant.parse("2026-11-20T10:20:00Z");
  private static final CoordinatorNotice NOTICE =
      new CoordinatorNotice(
          CoordinatorNotice.Kind.CLOSURE_PROPAGATION_COMPLETE,
          new EscalationId("ESC-5"),
          1,
          List.of(TargetSystem.TRACKER));

  private final SimulatedClock clock = new SimulatedClock(START);
  private IsolatedSchema schema;
  private AuditTrail audit;
  private JdbcNoticeDeliveries deliveries;

  @BeforeEach
  void start() {
    schema = TestDatabase.freshSchema("notices");
    audit = JdbcCloseoutStores.create(schema.dataSource(), clock).audit();
    deliveries = new JdbcNoticeDeliveries(schema.dataSource(), audit, clock);
  }

  @AfterEach
  void stop() throws Exception {
    schema.close();
  }

  @Test
  void theFirstClaimRecordsAttemptingAndLaterClaimsSeeWhenItBegan() {
    assertThat(deliveries.claim(KEY, "ops")).isInstanceOf(Claim.Claimed.class);
    clock.advanceTo(START.plusSeconds(90));

    assertThat(deliveries.claim(KEY, "ops")).isEqualTo(new Claim.Attempting(START));
    deliveries.delivered(KEY);
    assertThat(deliveries.claim(KEY, "ops")).isInstanceOf(Claim.Delivered.class);
    // A second confirmation of the same post changes nothing.
    deliveries.delivered(KEY);
    assertThat(deliveries.state(KEY)).contains("DELIVERED");
  }

  @Test
  void theRecordHoldsNoMessageText() {
    deliveries.claim(KEY, "ops");

    List<Map<String, Object>> rows =
        JdbcClient.create(schema.dataSource())
            .sql("SELECT * FROM notice_deliveries")
            .query()
            .listOfRows();
    assertThat(rows)
        .singleElement()
        .satisfies(
            row ->
                assertThat(row.keySet())
                    .containsExactlyInAnyOrder(
                        "idempotency_key",
                        "channel",
                        "state",
                        "attempted_at",
                        "settled_at",
                        "revision"));
  }

  @Test
  void aReleasedClaimIsGoneButADeliveredOneCannotBeReleased() {
    deliveries.claim(KEY, "ops");
    deliveries.release(KEY);
    assertThat(deliveries.state(KEY)).isEmpty();
    assertThat(deliveries.claim(KEY, "ops")).isInstanceOf(Claim.Claimed.class);

    deliveries.delivered(KEY);
    assertThatThrownBy(() -> deliveries.release(KEY)).hasMessageContaining("DELIVERED");
    assertThat(deliveries.state(KEY)).contains("DELIVERED");
  }

  @Test
  void anUnconfirmedNoticeIsAuditedOnceInTheChain() {
    deliveries.claim(KEY, "ops");
    deliveries.unconfirmed(KEY, NOTICE, "ops");
    deliveries.unconfirmed(KEY, NOTICE, "ops");

    assertThat(deliveries.claim(KEY, "ops")).isInstanceOf(Claim.Unconfirmed.class);
    audit.chainAllPending();
    assertThat(audit.forEscalation("ESC-5"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.action()).isEqualTo(AuditAction.NOTICE_UNCONFIRMED);
              assertThat(e.dispositionVersion()).isEqualTo(1);
            });
    assertThatThrownBy(() -> deliveries.delivered(KEY)).hasMessageContaining("UNCONFIRMED");
  }

  @Test
  void aClaimCommitsEvenWhenTheCallersTransactionRollsBack() {
    SpringTransactionRunner outer = new SpringTransactionRunner(schema.dataSource());
    assertThatThrownBy(
            () ->
                outer.inTransaction(
                    () -> {
                      deliveries.claim(KEY, "ops");
                      throw new IllegalStateException("caller failed");
                    }))
        .hasMessage("caller failed");

    assertThat(deliveries.state(KEY)).contains("ATTEMPTING");
  }
}
