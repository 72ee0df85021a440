package com.closeout.audit;

import com.closeout.domain.TargetSystem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/** One appended, hash-chained audit entry (SPEC §6). */
public record AuditEntry(
    long sequence,
    Instant recordedAt,
    String eventId,
    String escalationId,
    Integer dispositionVersion,
    AuditAction action,
    TargetSystem targetSystem,
    String targetRecordId,
    boolean skippedAsDone,
    String notificationTarget,
    String detail,
    String previousHash,
    String hash) {

  /** The hash of the empty chain, which the first entry points back to. */
  public static final String GENESIS_HASH = "0".repeat(64);

  /** Chains {@code record} after the entry whose hash is {@code previousHash}. */
  public static AuditEntry chain(
      long sequence, Instant recordedAt, AuditRecord record, String previousHash) {
    AuditEntry unhashed =
        new AuditEntry(
            sequence,
            recordedAt,
            record.eventId(),
            record.escalationId(),
            record.dispositionVersion(),
            record.action(),
            record.targetSystem(),
            record.targetRecordId(),
            record.skippedAsDone(),
            record.notificationTarget(),
            record.detail(),
            previousHash,
            null);
    return unhashed.withHash(unhashed.computeHash());
  }

  /**
   * {@code record} at its place in the chain, with the previous hash and hash the store computed;
   * refuses a hash that is not the one this entry's fields give (the store's and this class's ways
   * of hashing must never drift apart).
   */
  public static AuditEntry chained(
      long sequence, Instant recordedAt, AuditRecord record, String previousHash, String hash) {
    AuditEntry entry = chain(sequence, recordedAt, record, previousHash);
    if (!entry.hash.equals(hash)) {
      throw new IllegalStateException(
          "the store hashed audit entry " + sequence + " as " + hash + ", not " + entry.hash);
    }
    return entry;
  }

  /** {@code record} before it has a place in the chain: only its {@link #hashedMiddle()} counts. */
  public static AuditEntry unplaced(Instant recordedAt, AuditRecord record) {
    return new AuditEntry(
        0,
        recordedAt,
        record.eventId(),
        record.escalationId(),
        record.dispositionVersion(),
        record.action(),
        record.targetSystem(),
        record.targetRecordId(),
        record.skippedAsDone(),
        record.notificationTarget(),
        record.detail(),
        null,
        null);
  }

  private AuditEntry withHash(String value) {
    return new AuditEntry(
        sequence,
        recordedAt,
        eventId,
        escalationId,
        dispositionVersion,
        action,
        targetSystem,
        targetRecordId,
        skippedAsDone,
        notificationTarget,
        detail,
        previousHash,
        value);
  }

  /**
   * SHA-256 over every field but the hash itself, in a fixed order with unambiguous separators. The
   * time is hashed in epoch microseconds: that is what PostgreSQL keeps.
   */
  public String computeHash() {
    StringBuilder text = new StringBuilder();
    field(text, Long.toString(sequence));
    text.append(hashedMiddle());
    field(text, previousHash);
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /**
   * The hashed fields that do not depend on the entry's place in the chain (all but the sequence
   * and the previous hash), serialised as {@link #computeHash()} serialises them: what the store's
   * {@code audit_append} function chains after the head it locks.
   */
  public String hashedMiddle() {
    StringBuilder text = new StringBuilder();
    field(text, Long.toString(toMicros(recordedAt)));
    field(text, eventId);
    field(text, escalationId);
    field(text, dispositionVersion == null ? null : dispositionVersion.toString());
    field(text, action.name());
    field(text, targetSystem == null ? null : targetSystem.name());
    field(text, targetRecordId);
    field(text, Boolean.toString(skippedAsDone));
    field(text, notificationTarget);
    field(text, detail);
    return text.toString();
  }

  public boolean hashIsIntact() {
    return Objects.equals(hash, computeHash());
  }

  private static long toMicros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }

  private static void field(StringBuilder text, String value) {
    // Length-prefixed, so no value can imitate a separator.
    if (value == null) {
      text.append("-1:");
    } else {
      text.append(value.length()).append(':').append(value);
    }
    text.append('|');
  }
}
