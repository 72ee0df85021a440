package com.closeout.bench.flowable;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.BookkeepingTarget;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewState;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.WriteResult;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.flowable.common.engine.api.FlowableException;
import org.flowable.engine.delegate.BpmnError;
import org.flowable.engine.delegate.DelegateExecution;
import org.flowable.engine.delegate.JavaDelegate;
import org.flowable.engine.impl.util.CommandContextUtil;

/**
 * The service tasks of the peer: the same verification reads (SPEC §4) and the same six steps
 * (SPEC §5) against the same target ports Closeout uses — read before write, skip what is already
 * done, conditional writes with the same idempotency keys, prior values kept (as process
 * variables) for a revert. A failed check or an unexpected target state raises FOLLOW_UP; an
 * unavailable target throws, and the job executor retries the step.
 */
final class ClosureDelegates {
  static final String FOLLOW_UP = "FOLLOW_UP";
  private static final int CONFLICT_REREADS = 5;
  private static final TypeReference<List<Map<String, String>>> REFS = new TypeReference<>() {};

  private final TargetPorts targets;
  private final ObjectMapper json = new ObjectMapper();

  ClosureDelegates(TargetPorts targets) {
    this.targets = targets;
  }

  /** The beans the process's delegate expressions name. */
  Map<Object, Object> beans() {
    return Map.of(
        "verify", (JavaDelegate) this::verify,
        "trackerSync", (JavaDelegate) e -> sync(e, targets.tracker(), Step.TRACKER_SYNC),
        "ledgerSync", (JavaDelegate) e -> sync(e, targets.ledger(), Step.LEDGER_SYNC),
        "archiveLink", (JavaDelegate) this::archiveLink,
        "queueClose", (JavaDelegate) this::queueClose,
        "completionRecord", (JavaDelegate) this::completionRecord,
        "coordinatorNotify", (JavaDelegate) this::coordinatorNotify);
  }

  private void verify(DelegateExecution execution) {
    ClosureKey key = key(execution);
    EpisodeId episode = new EpisodeId((String) execution.getVariable("episodeId"));
    SourceRecord record =
        targets
            .review()
            .readEscalation(key.escalationId())
            .orElseThrow(() -> followUp("SOURCE_RECORD_MISSING"));
    if (record.status() != SourceStatus.FINAL) {
      throw followUp(record.status() == SourceStatus.REOPENED ? "REOPENED" : "NOT_FINAL");
    }
    if (!DispositionEvent.CLOSURE_APPROVED.equals(record.disposition())) {
      throw followUp("DISPOSITION_CHANGED");
    }
    if (record.dispositionVersion() > key.dispositionVersion()) {
      throw followUp("DISPOSITION_SUPERSEDED");
    }
    if (record.dispositionVersion() < key.dispositionVersion()) {
      // Replication lag at the source: the job executor retries later.
      throw new FlowableException("source record behind the event");
    }
    if (!record.episodeId().equals(episode)) {
      throw followUp("EPISODE_MISMATCH");
    }
    List<ArchiveRef> eventRefs = archiveRefs(execution);
    if (!eventRefs.equals(record.archiveRefs())) {
      throw followUp("ARCHIVE_MISMATCH");
    }
    for (ArchiveRef ref : record.archiveRefs()) {
      Optional<ArchiveObject> object = targets.archive().head(ref.uri());
      if (object.isEmpty() || !object.get().sha256().equals(ref.sha256())) {
        throw followUp("ARCHIVE_MISMATCH");
      }
    }
    Optional<BookkeepingRecord> tracker = targets.tracker().findByEscalation(key.escalationId());
    Optional<BookkeepingRecord> ledger = targets.ledger().findByEscalation(key.escalationId());
    Optional<QueueItem> item = targets.queue().findByEscalation(key.escalationId());
    if (tracker.isEmpty() || ledger.isEmpty() || item.isEmpty()) {
      throw followUp("MAPPING_MISSING");
    }
    if (!tracker.get().episodeId().equals(episode)
        || !ledger.get().episodeId().equals(episode)
        || !item.get().episodeId().equals(episode)) {
      throw followUp("EPISODE_MISMATCH");
    }
    execution.setVariable("closedAt", record.finalizedAt().toString());
  }

  private void sync(DelegateExecution execution, BookkeepingTarget target, Step step) {
    ClosureKey key = key(execution);
    ReviewState desired =
        ReviewState.reviewComplete(key.dispositionVersion(), closedAt(execution));
    for (int read = 0; read <= CONFLICT_REREADS; read++) {
      BookkeepingRecord current =
          target.findByEscalation(key.escalationId()).orElseThrow(() -> followUp("TARGET_CONFLICT"));
      if (current.reviewState().equals(desired)) {
        return;
      }
      Integer written = current.dispositionVersion();
      if (written != null && written > key.dispositionVersion()) {
        throw followUp("TARGET_CONFLICT");
      }
      recordPrior(execution, step, current.reviewState() + "@" + current.revision());
      WriteResult result =
          target.setReviewState(current.recordId(), desired, current.revision(), key.keyFor(step));
      if (result == WriteResult.APPLIED || result == WriteResult.REPLAYED) {
        return;
      }
      if (result == WriteResult.NOT_FOUND) {
        throw followUp("TARGET_CONFLICT");
      }
    }
    throw new FlowableException(step + " kept conflicting");
  }

  private void archiveLink(DelegateExecution execution) {
    ClosureKey key = key(execution);
    List<ArchiveRef> refs = archiveRefs(execution);
    for (TargetSystem system : List.of(TargetSystem.TRACKER, TargetSystem.LEDGER)) {
      BookkeepingTarget target =
          system == TargetSystem.TRACKER ? targets.tracker() : targets.ledger();
      link(execution, key, refs, system, target);
    }
  }

  private void link(
      DelegateExecution execution,
      ClosureKey key,
      List<ArchiveRef> refs,
      TargetSystem system,
      BookkeepingTarget target) {
    for (int read = 0; read <= CONFLICT_REREADS; read++) {
      BookkeepingRecord current =
          target.findByEscalation(key.escalationId()).orElseThrow(() -> followUp("TARGET_CONFLICT"));
      List<ArchiveRef> missing = new ArrayList<>();
      for (ArchiveRef ref : refs) {
        if (!current.hasLink(ref.uri())) {
          missing.add(ref);
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      recordPrior(execution, Step.ARCHIVE_LINK, system + ":" + current.archiveRefs().size());
      long revision = current.revision();
      boolean conflicted = false;
      for (ArchiveRef ref : missing) {
        WriteResult result =
            target.linkArchiveRef(
                current.recordId(),
                ref,
                revision,
                key.keyFor(Step.ARCHIVE_LINK).qualified(system.wireName() + ":" + ref.uri()));
        if (result == WriteResult.APPLIED || result == WriteResult.REPLAYED) {
          revision++;
        } else if (result == WriteResult.NOT_FOUND) {
          throw followUp("TARGET_CONFLICT");
        } else {
          conflicted = true;
          break;
        }
      }
      if (!conflicted) {
        return;
      }
    }
    throw new FlowableException("archive links kept conflicting");
  }

  private void queueClose(DelegateExecution execution) {
    ClosureKey key = key(execution);
    Instant closedAt = closedAt(execution);
    for (int read = 0; read <= CONFLICT_REREADS; read++) {
      QueueItem item =
          targets
              .queue()
              .findByEscalation(key.escalationId())
              .orElseThrow(() -> followUp("TARGET_CONFLICT"));
      if (QueueItem.CLOSED.equals(item.status())) {
        return;
      }
      recordPrior(execution, Step.QUEUE_CLOSE, item.status() + "@" + item.revision());
      WriteResult result =
          targets
              .queue()
              .close(item.itemId(), closedAt, item.revision(), key.keyFor(Step.QUEUE_CLOSE));
      if (result == WriteResult.APPLIED || result == WriteResult.REPLAYED) {
        return;
      }
      if (result == WriteResult.NOT_FOUND) {
        throw followUp("TARGET_CONFLICT");
      }
    }
    throw new FlowableException("queue close kept conflicting");
  }

  /** The completion trace goes in the job's own transaction, through the engine's connection. */
  private void completionRecord(DelegateExecution execution) {
    ClosureKey key = key(execution);
    Connection connection = CommandContextUtil.getDbSqlSession().getSqlSession().getConnection();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO bench_completion_records (process_instance_id, escalation_id,"
                + " disposition_version, event_id, recorded_at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (process_instance_id) DO NOTHING")) {
      insert.setString(1, execution.getProcessInstanceId());
      insert.setString(2, key.escalationId().value());
      insert.setInt(3, key.dispositionVersion());
      insert.setString(4, (String) execution.getVariable("eventId"));
      insert.setTimestamp(5, Timestamp.from(Instant.now()));
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new FlowableException("completion record not written", e);
    }
  }

  private void coordinatorNotify(DelegateExecution execution) {
    ClosureKey key = key(execution);
    WriteResult result =
        targets
            .coordinator()
            .post(
                new CoordinatorNotice(
                    CoordinatorNotice.Kind.CLOSURE_PROPAGATION_COMPLETE,
                    key.escalationId(),
                    key.dispositionVersion(),
                    List.of(TargetSystem.TRACKER, TargetSystem.LEDGER, TargetSystem.QUEUE)),
                key.keyFor(Step.COORDINATOR_NOTIFY));
    if (result != WriteResult.APPLIED && result != WriteResult.REPLAYED) {
      throw new FlowableException("notice refused: " + result);
    }
  }

  private static void recordPrior(DelegateExecution execution, Step step, String prior) {
    String name = "prior_" + step.name();
    if (!execution.hasVariable(name)) {
      execution.setVariable(name, prior);
    }
  }

  private static ClosureKey key(DelegateExecution execution) {
    return new ClosureKey(
        new EscalationId((String) execution.getVariable("escalationId")),
        (Integer) execution.getVariable("dispositionVersion"));
  }

  private static Instant closedAt(DelegateExecution execution) {
    return Instant.parse((String) Objects.requireNonNull(execution.getVariable("closedAt")));
  }

  private List<ArchiveRef> archiveRefs(DelegateExecution execution) {
    try {
      List<ArchiveRef> refs = new ArrayList<>();
      for (Map<String, String> ref :
          json.readValue((String) execution.getVariable("archiveRefs"), REFS)) {
        refs.add(new ArchiveRef(ref.get("kind"), ref.get("uri"), ref.get("sha256")));
      }
      return refs;
    } catch (JsonProcessingException e) {
      throw new FlowableException("archive references unreadable", e);
    }
  }

  private static BpmnError followUp(String reason) {
    return new BpmnError(FOLLOW_UP, reason);
  }
}
