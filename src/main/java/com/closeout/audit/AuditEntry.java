package com.closeout.audit;

import com.closeout.domain.TargetSystem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One hash-chained audit entry (SPEC §6). {@code entryId} names it from the moment it is appended
 * (a completion record's trail uses it); {@code sequence} is its place in the chain, given when the
 * chainer links it.
 */
public record AuditEntry(
    long sequence,
    long entryId,
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

  /**
   * Chains {@code record} after the entry whose hash is {@code previousHash}, for an entry whose id
   * is its sequence.
   */
  public static AuditEntry chain(
      long sequence, Instant recordedAt, AuditRecord record, String previousHash) {
    return chain(sequence, sequence, recordedAt, record, previousHash);
  }

  /**
   * Chains the entry appended as {@code entryId} at {@code sequence}, after {@code previousHash}.
   */
  public static AuditEntry chain(
      long sequence, long entryId, Instant recordedAt, AuditRecord record, String previousHash) {
    AuditEntry unhashed =
        new AuditEntry(
            sequence,
            entryId,
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

  /** What was recorded, without its place in the chain. */
  public AuditRecord record() {
    return new AuditRecord(
        eventId,
        escalationId,
        dispositionVersion,
        action,
        targetSystem,
        targetRecordId,
        skippedAsDone,
        notificationTarget,
        detail);
  }

  private AuditEntry withHash(String value) {
    return new AuditEntry(
        sequence,
        entryId,
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
   * time is hashed in epoch microseconds: that is what PostgreSQL keeps. The entry id is hashed
   * where it differs from the sequence: entries chained before entry ids existed were hashed
   * without one (and got their sequence as id), and changing an id either way still breaks the
   * hash, because whether it is hashed depends on it too.
   */
  public String computeHash() {
    // Sized for the whole text up front: the chainer hashes every entry of every closure, and a
    // builder grown from 16 characters copied itself about five times an entry.
    StringBuilder text =
        new StringBuilder(
            HASHED_TEXT_FIXED
                + length(eventId)
                + length(escalationId)
                + length(targetRecordId)
                + length(notificationTarget)
                + length(detail)
                + length(previousHash));
    field(text, Long.toString(sequence));
    if (entryId != sequence) {
      field(text, "entry " + entryId);
    }
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
    field(text, previousHash);
    // digest() resets the thread's digest, so each entry starts from nothing.
    return HEX.formatHex(SHA_256.get().digest(text.toString().getBytes(StandardCharsets.UTF_8)));
  }

  public boolean hashIsIntact() {
    return Objects.equals(hash, computeHash());
  }

  /** The text's length apart from its variable strings: numbers, names, prefixes, separators. */
  private static final int HASHED_TEXT_FIXED = 192;

  private static final HexFormat HEX = HexFormat.of();

  /** One digest a thread: getInstance builds a new one, reflectively, every call. */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is required of every JVM", e);
            }
          });

  private static int length(String value) {
    return value == null ? 0 : value.length() + 8;
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
