package com.closeout.bench;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The clean closures of a benchmark run, numbered 0..n-1 under a run tag: the sandbox state each
 * needs (review record, tracker, ledger, queue item, archive objects) and its CloudEvent. Closeout
 * and the Flowable peer are driven by the very same cases.
 */
public final class BenchCases {
  /** Every case is version 1 of its escalation. */
  public static final int VERSION = 1;

  private static final String PREFIX = "BENCH-";

  private final String tag;
  private final Instant finalizedAt;

  /**
   * @param tag keeps this run's escalation ids apart from other runs on the same sandbox
   * @param finalizedAt the finalization time every case's record and event carry
   */
  public BenchCases(String tag, Instant finalizedAt) {
    if (!tag.matches("[A-Za-z0-9]+")) {
      throw new IllegalArgumentException("tag must be letters and digits");
    }
    this.tag = tag;
    this.finalizedAt = finalizedAt;
  }

  public String tag() {
    return tag;
  }

  public EscalationId escalation(int index) {
    return new EscalationId(PREFIX + tag + "-" + index);
  }

  /**
   * The case number of an escalation of this run, or -1 when it belongs to another run.
   *
   * <p>Parsed from the id so a notice can be matched to its case without a map per case.
   */
  public int indexOf(EscalationId escalation) {
    String value = escalation.value();
    String head = PREFIX + tag + "-";
    if (!value.startsWith(head)) {
      return -1;
    }
    try {
      return Integer.parseInt(value, head.length(), value.length(), 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The case number of an event id of {@link #eventJson}, or -1 when it is not one of this run's.
   */
  public int indexOfEvent(String eventId) {
    String suffix = "-v" + VERSION;
    if (!eventId.startsWith("evt-") || !eventId.endsWith(suffix)) {
      return -1;
    }
    return indexOf(new EscalationId(eventId.substring(4, eventId.length() - suffix.length())));
  }

  /** Puts what a clean closure of case {@code index} finds at the source and the targets. */
  public void populate(SandboxSystems sandbox, int index) {
    EscalationId escalation = escalation(index);
    EpisodeId episode = episode(index);
    List<ArchiveRef> refs = archiveRefs(escalation);
    sandbox.putReview(
        new SourceRecord(
            escalation,
            episode,
            "SEV1",
            SourceStatus.FINAL,
            DispositionEvent.CLOSURE_APPROVED,
            VERSION,
            finalizedAt,
            refs),
        RestrictedContent.NONE);
    sandbox.putTracker(
        new BookkeepingRecord(
            escalation.value(), escalation, episode, "IN_REVIEW", null, null, List.of(), 1));
    sandbox.putLedger(
        new BookkeepingRecord(
            escalation.value(), escalation, episode, "OPEN", null, null, List.of(), 1));
    sandbox.putQueueItem(
        new QueueItem("Q-" + escalation.value(), escalation, episode, QueueItem.OPEN, null, 1));
    for (ArchiveRef ref : refs) {
      sandbox.putArchiveObject(new ArchiveObject(ref.uri(), ref.sha256()));
    }
  }

  /** The finalized-disposition CloudEvent of case {@code index}, structured JSON (SPEC §2). */
  public byte[] eventJson(int index) {
    EscalationId escalation = escalation(index);
    StringBuilder refs = new StringBuilder();
    for (ArchiveRef ref : archiveRefs(escalation)) {
      if (refs.length() > 0) {
        refs.append(',');
      }
      refs.append("{\"kind\":\"")
          .append(ref.kind())
          .append("\",\"uri\":\"")
          .append(ref.uri())
          .append("\",\"sha256\":\"")
          .append(ref.sha256())
          .append("\"}");
    }
    // Every value is an identifier of letters, digits and punctuation: nothing to escape.
    String json =
        "{\"specversion\":\"1.0\",\"id\":\"evt-"
            + escalation.value()
            + "-v"
            + VERSION
            + "\",\"source\":\"urn:support:review-board\",\"type\":\""
            + DispositionEvent.FINALIZED_TYPE
            + "\",\"subject\":\""
            + escalation.value()
            + "\",\"time\":\""
            + finalizedAt
            + "\",\"datacontenttype\":\"application/json\",\"data\":{\"escalationId\":\""
            + escalation.value()
            + "\",\"episodeId\":\""
            + episode(index).value()
            + "\",\"disposition\":\""
            + DispositionEvent.CLOSURE_APPROVED
            + "\",\"dispositionVersion\":"
            + VERSION
            + ",\"finalizedAt\":\""
            + finalizedAt
            + "\",\"archiveRefs\":["
            + refs
            + "],\"requestedActions\":[]}}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private EpisodeId episode(int index) {
    return new EpisodeId("EP-" + tag + "-" + index);
  }

  static List<ArchiveRef> archiveRefs(EscalationId escalation) {
    String packet = "archive://closure-packets/" + escalation.value() + "/v" + VERSION + ".pdf";
    String note = "archive://review-notes/" + escalation.value() + "/v" + VERSION + ".md";
    return List.of(
        new ArchiveRef("CLOSURE_PACKET", packet, sha256(packet)),
        new ArchiveRef("REVIEW_NOTE", note, sha256(note)));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
