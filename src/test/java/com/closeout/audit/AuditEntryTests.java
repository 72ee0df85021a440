package com.closeout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.domain.TargetSystem;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditEntryTests {
  private static final Instant AT = Instant.parse("2026-11-20T10:15:00.123456Z");

  /** {@link #stepDone()} chained first at {@link #AT} by the code before entry ids existed. */
  private static final String LEGACY_HASH_OF_STEP_DONE_AT_1 =
      "3d871865256de1e7106f711c0d15c806355cffb0f025b2d4be9fa63bf54a028f";

  private static final String PINNED =
      "6035c65c258261edc56cf865af19b6a2029abee4cfe23a1b931e38486746c3c4";

  private static AuditRecord stepDone() {
    return AuditRecord.of("evt-1", "ESC-1", 3, AuditAction.STEP_DONE)
        .target(TargetSystem.TRACKER, "ESC-1")
        .detail("TRACKER_SYNC");
  }

  @Test
  void chainedEntryPointsAtThePreviousHashAndHashesIntact() {
    AuditEntry first = AuditEntry.chain(1, AT, stepDone(), AuditEntry.GENESIS_HASH);
    AuditEntry second = AuditEntry.chain(2, AT, stepDone(), first.hash());
    assertThat(second.previousHash()).isEqualTo(first.hash());
    assertThat(first.hashIsIntact()).isTrue();
    assertThat(second.hashIsIntact()).isTrue();
    assertThat(first.hash()).hasSize(64).isNotEqualTo(second.hash());
  }

  @Test
  void changingAnyFieldBreaksTheHash() {
    AuditEntry entry = AuditEntry.chain(1, AT, stepDone(), AuditEntry.GENESIS_HASH);
    AuditEntry tampered =
        new AuditEntry(
            entry.sequence(),
            entry.entryId(),
            entry.recordedAt(),
            entry.eventId(),
            entry.escalationId(),
            4, // version changed
            entry.action(),
            entry.targetSystem(),
            entry.targetRecordId(),
            entry.skippedAsDone(),
            entry.notificationTarget(),
            entry.detail(),
            entry.previousHash(),
            entry.hash());
    assertThat(tampered.hashIsIntact()).isFalse();
  }

  @Test
  void fieldBoundariesCannotBeShiftedToForgeTheSameHash() {
    AuditRecord a = AuditRecord.of("evt-1", "ESC-12", 3, AuditAction.RECEIVED);
    AuditRecord b = AuditRecord.of("evt-1E", "SC-12", 3, AuditAction.RECEIVED);
    assertThat(AuditEntry.chain(1, AT, a, AuditEntry.GENESIS_HASH).hash())
        .isNotEqualTo(AuditEntry.chain(1, AT, b, AuditEntry.GENESIS_HASH).hash());
  }

  @Test
  void hashUsesMicrosecondsSoAStoredAndReloadedEntryStillVerifies() {
    Instant withNanos = Instant.parse("2026-11-20T10:15:00.123456789Z");
    AuditEntry entry = AuditEntry.chain(1, withNanos, stepDone(), AuditEntry.GENESIS_HASH);
    AuditEntry reloaded =
        new AuditEntry(
            1,
            1,
            Instant.parse("2026-11-20T10:15:00.123456Z"),
            entry.eventId(),
            entry.escalationId(),
            entry.dispositionVersion(),
            entry.action(),
            entry.targetSystem(),
            entry.targetRecordId(),
            entry.skippedAsDone(),
            entry.notificationTarget(),
            entry.detail(),
            entry.previousHash(),
            entry.hash());
    assertThat(reloaded.hashIsIntact()).isTrue();
  }

  @Test
  void anEntryWhoseIdIsItsSequenceHashesAsEntriesDidBeforeEntryIds() {
    // The hash of this entry as the chain computed it before entry ids existed (sequence 1).
    AuditEntry entry = AuditEntry.chain(1, 1, AT, stepDone(), AuditEntry.GENESIS_HASH);

    assertThat(entry.hash())
        .isEqualTo(AuditEntry.chain(1, AT, stepDone(), AuditEntry.GENESIS_HASH).hash())
        .isEqualTo(LEGACY_HASH_OF_STEP_DONE_AT_1);
  }

  @Test
  void anEntryWithItsOwnIdAndEmptyFieldsHashesAsTheStoredChainsDo() {
    // Computed by the chain as it ran from decision 0009 on: stored hashes must keep verifying.
    AuditEntry entry =
        AuditEntry.chain(
            12,
            4711,
            AT,
            AuditRecord.of("evt-é", "ESC-1", null, AuditAction.RECEIVED).detail("café | 3:x|"),
            LEGACY_HASH_OF_STEP_DONE_AT_1);

    assertThat(entry.hash()).isEqualTo(PINNED);
  }

  @Test
  void anEntryIdOtherThanTheSequenceIsHashedSoChangingItEitherWayBreaksTheHash() {
    AuditEntry numbered = AuditEntry.chain(1, 7, AT, stepDone(), AuditEntry.GENESIS_HASH);
    AuditEntry plain = AuditEntry.chain(1, 1, AT, stepDone(), AuditEntry.GENESIS_HASH);

    assertThat(numbered.hash()).isNotEqualTo(plain.hash());
    assertThat(withEntryId(numbered, 8).hashIsIntact()).isFalse();
    assertThat(withEntryId(numbered, 1).hashIsIntact()).isFalse();
    assertThat(withEntryId(plain, 7).hashIsIntact()).isFalse();
  }

  private static AuditEntry withEntryId(AuditEntry entry, long entryId) {
    return new AuditEntry(
        entry.sequence(),
        entryId,
        entry.recordedAt(),
        entry.eventId(),
        entry.escalationId(),
        entry.dispositionVersion(),
        entry.action(),
        entry.targetSystem(),
        entry.targetRecordId(),
        entry.skippedAsDone(),
        entry.notificationTarget(),
        entry.detail(),
        entry.previousHash(),
        entry.hash());
  }
}
