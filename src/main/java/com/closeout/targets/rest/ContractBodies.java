package com.closeout.targets.rest;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewState;
import java.time.Instant;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON bodies of the reference contract (docs/api/targets.openapi.yaml), and their mapping to
 * the ports' values. Parsing binds only the fields listed here: anything else a server sends —
 * above all the review record's restricted fields — is skipped by the parser and never becomes a
 * Java value.
 */
public final class ContractBodies {
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private ContractBodies() {}

  public record ArchiveRefBody(String kind, String uri, String sha256) {
    static ArchiveRefBody of(ArchiveRef ref) {
      return new ArchiveRefBody(ref.kind(), ref.uri(), ref.sha256());
    }

    ArchiveRef toRef() {
      return new ArchiveRef(kind, uri, sha256);
    }
  }

  /** The review record as Closeout reads it: no restricted field exists here to be bound. */
  public record ReviewRecordBody(
      String escalationId,
      String episodeId,
      String severity,
      String status,
      String disposition,
      Integer dispositionVersion,
      String finalizedAt,
      List<ArchiveRefBody> archiveRefs) {
    public static ReviewRecordBody of(SourceRecord r) {
      return new ReviewRecordBody(
          r.escalationId().value(),
          r.episodeId() == null ? null : r.episodeId().value(),
          r.severity(),
          r.status() == null ? null : r.status().name(),
          r.disposition(),
          r.dispositionVersion(),
          text(r.finalizedAt()),
          refs(r.archiveRefs()));
    }

    public SourceRecord toRecord() {
      return new SourceRecord(
          new EscalationId(escalationId),
          episodeId == null ? null : new EpisodeId(episodeId),
          severity,
          status == null ? null : SourceStatus.valueOf(status),
          disposition,
          dispositionVersion == null ? 0 : dispositionVersion,
          instant(finalizedAt),
          toRefs(archiveRefs));
    }
  }

  public record ReviewPageBody(List<ReviewRecordBody> items) {}

  public record BookkeepingRecordBody(
      String recordId,
      String escalationId,
      String episodeId,
      String status,
      Integer dispositionVersion,
      String closedAt,
      List<ArchiveRefBody> archiveRefs,
      Long revision) {
    public static BookkeepingRecordBody of(BookkeepingRecord r) {
      return new BookkeepingRecordBody(
          r.recordId(),
          r.escalationId().value(),
          r.episodeId() == null ? null : r.episodeId().value(),
          r.status(),
          r.dispositionVersion(),
          text(r.closedAt()),
          refs(r.archiveRefs()),
          r.revision());
    }

    public BookkeepingRecord toRecord() {
      return new BookkeepingRecord(
          recordId != null ? recordId : escalationId,
          new EscalationId(escalationId),
          episodeId == null ? null : new EpisodeId(episodeId),
          status,
          dispositionVersion,
          instant(closedAt),
          toRefs(archiveRefs),
          revision == null ? 1 : revision);
    }
  }

  public record ReviewStateBody(String status, Integer dispositionVersion, String closedAt) {
    public static ReviewStateBody of(ReviewState state) {
      return new ReviewStateBody(
          state.status(), state.dispositionVersion(), text(state.closedAt()));
    }

    public ReviewState toState() {
      return new ReviewState(status, dispositionVersion, instant(closedAt));
    }
  }

  public record QueueItemBody(
      String itemId,
      String escalationId,
      String episodeId,
      String status,
      String closedAt,
      Long revision) {
    public static QueueItemBody of(QueueItem item) {
      return new QueueItemBody(
          item.itemId(),
          item.escalationId().value(),
          item.episodeId() == null ? null : item.episodeId().value(),
          item.status(),
          text(item.closedAt()),
          item.revision());
    }

    public QueueItem toItem() {
      return new QueueItem(
          itemId,
          new EscalationId(escalationId),
          episodeId == null ? null : new EpisodeId(episodeId),
          status == null ? QueueItem.OPEN : status,
          instant(closedAt),
          revision == null ? 1 : revision);
    }
  }

  public record CloseBody(String closedAt) {}

  public record NoticeBody(
      String kind, String escalationId, int dispositionVersion, List<String> targets) {
    public static NoticeBody of(CoordinatorNotice notice) {
      return new NoticeBody(
          notice.kind().name(),
          notice.escalationId().value(),
          notice.dispositionVersion(),
          notice.targets().stream().map(TargetSystem::wireName).toList());
    }

    public CoordinatorNotice toNotice() {
      return new CoordinatorNotice(
          CoordinatorNotice.Kind.valueOf(kind),
          new EscalationId(escalationId),
          dispositionVersion,
          (targets == null ? List.<String>of() : targets)
              .stream().map(TargetSystem::fromWireName).toList());
    }
  }

  public record ChannelBody(String name) {}

  public static byte[] write(Object body) {
    return JSON.writeValueAsBytes(body);
  }

  /**
   * Parses a body; a body that does not fit the contract is {@link MalformedBodyException}, whose
   * message names only the expected type: parser messages can quote the input.
   */
  public static <T> T read(byte[] body, Class<T> type) {
    try {
      T value = JSON.readValue(body, type);
      if (value == null) {
        throw new MalformedBodyException(type);
      }
      return value;
    } catch (JacksonException e) {
      throw new MalformedBodyException(type);
    }
  }

  /** Converts a parsed body into a port value; a missing or invalid field is malformed too. */
  public static <T> T convert(Class<?> type, java.util.function.Supplier<T> conversion) {
    try {
      return conversion.get();
    } catch (RuntimeException e) {
      throw new MalformedBodyException(type);
    }
  }

  /** A body that does not fit the contract. Carries no part of the body and no cause. */
  public static final class MalformedBodyException extends RuntimeException {
    MalformedBodyException(Class<?> type) {
      super("body is not a valid " + type.getSimpleName(), null, false, false);
    }
  }

  private static List<ArchiveRefBody> refs(List<ArchiveRef> refs) {
    return refs.stream().map(ArchiveRefBody::of).toList();
  }

  private static List<ArchiveRef> toRefs(List<ArchiveRefBody> refs) {
    return refs == null ? List.of() : refs.stream().map(ArchiveRefBody::toRef).toList();
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
