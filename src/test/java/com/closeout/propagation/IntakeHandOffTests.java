package com.closeout.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventId;
import com.closeout.evaluation.SimulatedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntakeHandOffTests {
  private static final Instant T0 = Instant.parse("2026-11-20T10:15:00Z");
  private static final Duration LEASE = Duration.ofMinutes(2);

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final IntakeHandOff handOff = new IntakeHandOff("worker-a", LEASE, 3, clock);

  @Test
  void aClosedHandOffOffersNoLease() {
    assertThat(handOff.lease()).isEqualTo(ClosureStore.Lease.NONE);
  }

  @Test
  void anOpenHandOffLeasesToItsOwnerForALeaseFromNowAsManyAsItHasRoomFor() {
    handOff.open();
    assertThat(handOff.lease())
        .isEqualTo(new ClosureStore.Lease("worker-a", T0, T0.plus(LEASE), 3));

    assertThat(handOff.handOver(List.of(leased(1, T0.plus(LEASE)), leased(2, T0.plus(LEASE)))))
        .isTrue();

    assertThat(handOff.lease().limit()).isOne();
    handOff.handOver(List.of(leased(3, T0.plus(LEASE))));
    assertThat(handOff.lease()).isEqualTo(ClosureStore.Lease.NONE);
    handOff.close();
    assertThat(handOff.take(1)).hasSize(1);
    assertThat(handOff.lease()).isEqualTo(ClosureStore.Lease.NONE);
  }

  @Test
  void closuresAreTakenOldestFirstAndEachOnce() {
    handOff.open();
    handOff.handOver(List.of(leased(1, T0.plus(LEASE)), leased(2, T0.plus(LEASE))));
    handOff.handOver(List.of(leased(3, T0.plus(LEASE))));

    assertThat(handOff.take(2)).extracting(c -> c.closure().id()).containsExactly(1L, 2L);
    assertThat(handOff.takeAll()).extracting(c -> c.closure().id()).containsExactly(3L);
    assertThat(handOff.take(5)).isEmpty();
    assertThat(handOff.handedOver()).isEqualTo(3);
    assertThat(handOff.lease().limit()).isEqualTo(3);
  }

  @Test
  void aClosureWhoseLeaseRanOutWhileItWaitedIsNotTaken() {
    handOff.open();
    handOff.handOver(List.of(leased(1, T0.plusSeconds(1)), leased(2, T0.plus(LEASE))));
    clock.advanceTo(T0.plusSeconds(1));

    assertThat(handOff.take(5)).extracting(c -> c.closure().id()).containsExactly(2L);
  }

  @Test
  void aHandOverAfterTheHandOffClosedIsRefusedAndTakesNothing() {
    handOff.open();
    ClosureStore.Lease lease = handOff.lease();
    handOff.close();

    assertThat(lease.limit()).isEqualTo(3);
    assertThat(handOff.handOver(List.of(leased(1, T0.plus(LEASE))))).isFalse();
    assertThat(handOff.takeAll()).isEmpty();
    assertThat(handOff.handedOver()).isZero();
  }

  @Test
  void aClosureLeasedToAnotherWorkerIsRefused() {
    handOff.open();
    ClosureStore.Claimed other = leased(1, T0.plus(LEASE), "worker-b");

    assertThatThrownBy(() -> handOff.handOver(List.of(other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("worker-a");
  }

  private static ClosureStore.Claimed leased(long id, Instant until) {
    return leased(id, until, "worker-a");
  }

  private static ClosureStore.Claimed leased(long id, Instant until, String owner) {
    Closure closure =
        new Closure(
            id,
            new ClosureKey(new EscalationId("ESC-" + id), 1),
            new EventId("evt-" + id),
            new EpisodeId("EP-1"),
            T0,
            List.<ArchiveRef>of(),
            List.of(),
            ClosureStatus.RUNNING,
            1,
            0,
            0,
            T0,
            owner,
            until,
            T0,
            T0);
    return new ClosureStore.Claimed(closure, List.of());
  }
}
