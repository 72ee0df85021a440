package com.closeout.sandbox;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.CaseLedger;
import com.closeout.targets.CoordinatorChannel;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.EscalationTracker;
import com.closeout.targets.EvidenceArchive;
import com.closeout.targets.PostReviewQueue;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewState;
import com.closeout.targets.ReviewSystem;
import com.closeout.targets.ReviewSystem.FinalizedCursor;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * In-memory stand-ins for the six external systems of SPEC §1, for scenarios and tests: the review
 * system, tracker, ledger, post-review queue, archive and coordinator channel, with the faults of
 * SPEC §7.1 and a count of the writes that changed each target.
 *
 * <p>Targets behave like the real ones are expected to: every write is conditional on the revision
 * read (else {@link WriteResult#REVISION_CONFLICT}), every applied change moves the revision by
 * one, and a write whose idempotency key was already applied answers {@link WriteResult#REPLAYED}
 * and changes nothing. Tracker and ledger records are identified by their escalation id unless an
 * entry names its own {@code recordId}.
 *
 * <p>Thread-safe: every operation holds this object's monitor.
 */
public final class SandboxSystems implements SandboxControl {
  /** The name the coordinator channel gives in audit entries. */
  public static final String COORDINATOR_CHANNEL = "ops-coordinator";

  /** The systems whose writes are counted (SPEC §7.2 {@code writes}). */
  public static final List<TargetSystem> COUNTED =
      List.of(
          TargetSystem.TRACKER, TargetSystem.LEDGER, TargetSystem.QUEUE, TargetSystem.NOTIFICATION);

  private static final Set<TargetSystem> FAULTABLE =
      EnumSet.of(
          TargetSystem.REVIEW,
          TargetSystem.TRACKER,
          TargetSystem.LEDGER,
          TargetSystem.QUEUE,
          TargetSystem.ARCHIVE,
          TargetSystem.NOTIFICATION);

  private final Map<String, ReviewEntry> review = new LinkedHashMap<>();
  private final Map<TargetSystem, Map<String, BookkeepingRecord>> bookkeeping =
      new EnumMap<>(TargetSystem.class);
  private final Map<String, QueueItem> queue = new LinkedHashMap<>();
  // Each escalation has at most one record per system (a put replaces it): these indexes keep
  // look-ups by escalation constant-time, so a benchmark of 100k escalations is not quadratic.
  private final Map<TargetSystem, Map<EscalationId, String>> recordIdsByEscalation =
      new EnumMap<>(TargetSystem.class);
  private final Map<EscalationId, String> itemIdsByEscalation = new HashMap<>();
  private final Map<String, ArchiveObject> archive = new LinkedHashMap<>();
  private final List<CoordinatorNotice> notices = new ArrayList<>();
  private final Map<TargetSystem, Set<String>> appliedKeys = new EnumMap<>(TargetSystem.class);
  private final Map<TargetSystem, Deque<ArmedFault>> faults = new EnumMap<>(TargetSystem.class);
  private final Map<String, Map<TargetSystem, Integer>> writes = new HashMap<>();

  /** Edits by "someone else" per record, the unrelated field a CONFLICT fault changes. */
  private final Map<String, Integer> foreignEdits = new HashMap<>();

  private final Set<String> restrictedValues = new LinkedHashSet<>();

  public SandboxSystems() {
    bookkeeping.put(TargetSystem.TRACKER, new LinkedHashMap<>());
    bookkeeping.put(TargetSystem.LEDGER, new LinkedHashMap<>());
    recordIdsByEscalation.put(TargetSystem.TRACKER, new HashMap<>());
    recordIdsByEscalation.put(TargetSystem.LEDGER, new HashMap<>());
    for (TargetSystem system : FAULTABLE) {
      appliedKeys.put(system, new HashSet<>());
      faults.put(system, new ArrayDeque<>());
    }
  }

  // ---- set-up, as scenario steps do it --------------------------------------------------------

  /** Replaces or adds the review system's record of an escalation, restricted fields included. */
  @Override
  public synchronized void putReview(SourceRecord record, RestrictedContent restricted) {
    Objects.requireNonNull(record, "record");
    RestrictedContent content = restricted == null ? RestrictedContent.NONE : restricted;
    review.put(record.escalationId().value(), new ReviewEntry(record, content));
    restrictedValues.addAll(content.values());
  }

  @Override
  public synchronized void putTracker(BookkeepingRecord record) {
    putBookkeeping(TargetSystem.TRACKER, record);
  }

  @Override
  public synchronized void putLedger(BookkeepingRecord record) {
    putBookkeeping(TargetSystem.LEDGER, record);
  }

  /** Replaces the queue item of the same escalation (or the same item id), or adds it. */
  @Override
  public synchronized void putQueueItem(QueueItem item) {
    Objects.requireNonNull(item, "item");
    String sameEscalation = itemIdsByEscalation.remove(item.escalationId());
    if (sameEscalation != null) {
      queue.remove(sameEscalation);
    }
    QueueItem sameId = queue.remove(item.itemId());
    if (sameId != null) {
      itemIdsByEscalation.remove(sameId.escalationId());
    }
    queue.put(item.itemId(), item);
    itemIdsByEscalation.put(item.escalationId(), item.itemId());
  }

  @Override
  public synchronized void putArchiveObject(ArchiveObject object) {
    Objects.requireNonNull(object, "object");
    archive.put(object.uri(), object);
  }

  /** Makes the next {@code failures} calls to one system fail (SPEC §7.1). */
  @Override
  public synchronized void injectFault(TargetSystem system, FaultKind kind, int failures) {
    Objects.requireNonNull(kind, "kind");
    if (system == null || !FAULTABLE.contains(system)) {
      throw new IllegalArgumentException("unknown sandbox system: " + system);
    }
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be positive");
    }
    faults.get(system).addLast(new ArmedFault(kind, failures));
  }

  /** As a scenario names it: {@code system} by wire name, {@code kind} by enum name. */
  public void injectFault(String system, String kind, int failures) {
    TargetSystem parsed = TargetSystem.fromWireName(system);
    injectFault(parsed, FaultKind.fromName(kind), failures);
  }

  // ---- what a scenario inspects ----------------------------------------------------------------

  @Override
  public synchronized Optional<BookkeepingRecord> tracker(EscalationId escalationId) {
    return findBookkeeping(TargetSystem.TRACKER, escalationId);
  }

  @Override
  public synchronized Optional<BookkeepingRecord> ledger(EscalationId escalationId) {
    return findBookkeeping(TargetSystem.LEDGER, escalationId);
  }

  @Override
  public synchronized Optional<QueueItem> queueItem(EscalationId escalationId) {
    String itemId = itemIdsByEscalation.get(escalationId);
    return itemId == null ? Optional.empty() : Optional.ofNullable(queue.get(itemId));
  }

  @Override
  public synchronized List<CoordinatorNotice> notices(EscalationId escalationId) {
    return notices.stream().filter(n -> n.escalationId().equals(escalationId)).toList();
  }

  public synchronized List<CoordinatorNotice> notices() {
    return List.copyOf(notices);
  }

  /** State-changing calls per counted system for one escalation (zero when none). */
  @Override
  public synchronized Map<TargetSystem, Integer> writes(EscalationId escalationId) {
    Map<TargetSystem, Integer> counted = writes.getOrDefault(escalationId.value(), Map.of());
    Map<TargetSystem, Integer> result = new LinkedHashMap<>();
    for (TargetSystem system : COUNTED) {
      result.put(system, counted.getOrDefault(system, 0));
    }
    return result;
  }

  public synchronized int writes(EscalationId escalationId, TargetSystem system) {
    return writes.getOrDefault(escalationId.value(), Map.of()).getOrDefault(system, 0);
  }

  /** Faults injected but not yet fired, for a test that wants to know they all went off. */
  public synchronized int armedFaults(TargetSystem system) {
    return faults.get(system).stream().mapToInt(f -> f.remaining).sum();
  }

  /** How often "someone else" edited a record's unrelated field (CONFLICT faults that fired). */
  public synchronized int foreignEdits(TargetSystem system, String recordId) {
    return foreignEdits.getOrDefault(system.name() + "/" + recordId, 0);
  }

  /**
   * The restricted fields the source holds for an escalation. Only the sandbox's HTTP server asks,
   * to serve the whole record as a real review system would; the ports never return them.
   */
  public synchronized Optional<RestrictedContent> restrictedContent(EscalationId escalationId) {
    return Optional.ofNullable(review.get(escalationId.value())).map(ReviewEntry::restricted);
  }

  /** Every restricted value ever loaded into the review system. */
  public synchronized Set<String> restrictedValues() {
    return Set.copyOf(restrictedValues);
  }

  /** Occurrences of any restricted value in the given texts. */
  @Override
  public synchronized long countRestrictedOccurrences(Collection<String> texts) {
    long count = 0;
    for (String text : texts) {
      if (text == null || text.isEmpty()) {
        continue;
      }
      for (String value : restrictedValues) {
        count += occurrences(text, value);
      }
    }
    return count;
  }

  /** Occurrences of restricted values outside the review system: targets and notices. */
  @Override
  public synchronized long restrictedLeaksInTargets() {
    List<String> texts = new ArrayList<>();
    bookkeeping.values().forEach(records -> records.values().forEach(r -> texts.add(r.toString())));
    queue.values().forEach(item -> texts.add(item.toString()));
    archive.values().forEach(object -> texts.add(object.toString()));
    notices.forEach(notice -> texts.add(notice.toString()));
    return countRestrictedOccurrences(texts);
  }

  private static long occurrences(String text, String value) {
    long count = 0;
    int from = 0;
    while ((from = text.indexOf(value, from)) >= 0) {
      count++;
      from += value.length();
    }
    return count;
  }

  // ---- the ports ---------------------------------------------------------------------------

  public TargetPorts ports() {
    return new TargetPorts(
        new SandboxReview(),
        new SandboxTracker(),
        new SandboxLedger(),
        new SandboxQueue(),
        new SandboxArchive(),
        new SandboxCoordinator());
  }

  private final class SandboxReview implements ReviewSystem {
    @Override
    public Optional<SourceRecord> readEscalation(EscalationId escalationId) {
      synchronized (SandboxSystems.this) {
        takeFault(TargetSystem.REVIEW, false);
        // Only the domain record leaves: the restricted content stays in the entry.
        return Optional.ofNullable(review.get(escalationId.value())).map(ReviewEntry::record);
      }
    }

    @Override
    public List<SourceRecord> finalizedAfter(FinalizedCursor after, int limit) {
      synchronized (SandboxSystems.this) {
        takeFault(TargetSystem.REVIEW, false);
        return review.values().stream()
            .map(ReviewEntry::record)
            .filter(r -> r.status() == SourceStatus.FINAL && r.finalizedAt() != null)
            .filter(after::isBefore)
            .sorted(
                Comparator.comparing(SourceRecord::finalizedAt)
                    .thenComparing(r -> r.escalationId().value()))
            .limit(limit)
            .toList();
      }
    }
  }

  private class SandboxBookkeeping {
    private final TargetSystem system;

    SandboxBookkeeping(TargetSystem system) {
      this.system = system;
    }

    public Optional<BookkeepingRecord> findByEscalation(EscalationId escalationId) {
      synchronized (SandboxSystems.this) {
        takeFault(system, false);
        return findBookkeeping(system, escalationId);
      }
    }

    public WriteResult setReviewState(
        String recordId, ReviewState state, long expectedRevision, IdempotencyKey key) {
      Objects.requireNonNull(state, "state");
      return write(
          recordId,
          expectedRevision,
          key,
          r ->
              new BookkeepingRecord(
                  r.recordId(),
                  r.escalationId(),
                  r.episodeId(),
                  state.status(),
                  state.dispositionVersion(),
                  state.closedAt(),
                  r.archiveRefs(),
                  r.revision() + 1));
    }

    public WriteResult linkArchiveRef(
        String recordId, ArchiveRef ref, long expectedRevision, IdempotencyKey key) {
      Objects.requireNonNull(ref, "ref");
      return write(
          recordId,
          expectedRevision,
          key,
          r -> {
            List<ArchiveRef> refs = new ArrayList<>(r.archiveRefs());
            // A link already present is accepted without a second copy; the call still counts, so
            // an engine that links twice shows in the write counts.
            if (!r.hasLink(ref.uri())) {
              refs.add(ref);
            }
            return withRefs(r, refs);
          });
    }

    public WriteResult unlinkArchiveRef(
        String recordId, String uri, long expectedRevision, IdempotencyKey key) {
      Objects.requireNonNull(uri, "uri");
      return write(
          recordId,
          expectedRevision,
          key,
          r -> {
            List<ArchiveRef> refs = new ArrayList<>(r.archiveRefs());
            refs.removeIf(ref -> ref.uri().equals(uri));
            return withRefs(r, refs);
          });
    }

    private WriteResult write(
        String recordId,
        long expectedRevision,
        IdempotencyKey key,
        UnaryOperator<BookkeepingRecord> change) {
      Objects.requireNonNull(recordId, "recordId");
      Objects.requireNonNull(key, "key");
      synchronized (SandboxSystems.this) {
        Map<String, BookkeepingRecord> records = bookkeeping.get(system);
        FaultKind fault = takeFault(system, true);
        if (fault == FaultKind.CONFLICT) {
          BookkeepingRecord current = records.get(recordId);
          if (current != null) {
            foreignEdits.merge(system.name() + "/" + recordId, 1, Integer::sum);
            records.put(recordId, withRevision(current, current.revision() + 1));
          }
        }
        WriteResult result;
        BookkeepingRecord current = records.get(recordId);
        if (appliedKeys.get(system).contains(key.value())) {
          result = WriteResult.REPLAYED;
        } else if (current == null) {
          result = WriteResult.NOT_FOUND;
        } else if (current.revision() != expectedRevision) {
          result = WriteResult.REVISION_CONFLICT;
        } else {
          records.put(recordId, change.apply(current));
          appliedKeys.get(system).add(key.value());
          countWrite(current.escalationId(), system);
          result = WriteResult.APPLIED;
        }
        if (fault == FaultKind.TIMEOUT) {
          throw new TargetUnavailableException(system, "sandbox: answer lost (timeout)", true);
        }
        return result;
      }
    }
  }

  private final class SandboxTracker extends SandboxBookkeeping implements EscalationTracker {
    SandboxTracker() {
      super(TargetSystem.TRACKER);
    }
  }

  private final class SandboxLedger extends SandboxBookkeeping implements CaseLedger {
    SandboxLedger() {
      super(TargetSystem.LEDGER);
    }
  }

  private final class SandboxQueue implements PostReviewQueue {
    @Override
    public Optional<QueueItem> findByEscalation(EscalationId escalationId) {
      synchronized (SandboxSystems.this) {
        takeFault(TargetSystem.QUEUE, false);
        return queueItem(escalationId);
      }
    }

    @Override
    public WriteResult close(
        String itemId, Instant closedAt, long expectedRevision, IdempotencyKey key) {
      Objects.requireNonNull(closedAt, "closedAt");
      return write(itemId, expectedRevision, key, QueueItem.CLOSED, closedAt);
    }

    @Override
    public WriteResult restoreOpen(String itemId, long expectedRevision, IdempotencyKey key) {
      return write(itemId, expectedRevision, key, QueueItem.OPEN, null);
    }

    private WriteResult write(
        String itemId, long expectedRevision, IdempotencyKey key, String status, Instant closedAt) {
      Objects.requireNonNull(itemId, "itemId");
      Objects.requireNonNull(key, "key");
      synchronized (SandboxSystems.this) {
        FaultKind fault = takeFault(TargetSystem.QUEUE, true);
        if (fault == FaultKind.CONFLICT) {
          QueueItem current = queue.get(itemId);
          if (current != null) {
            foreignEdits.merge("QUEUE/" + itemId, 1, Integer::sum);
            queue.put(itemId, withRevision(current, current.revision() + 1));
          }
        }
        WriteResult result;
        QueueItem current = queue.get(itemId);
        if (appliedKeys.get(TargetSystem.QUEUE).contains(key.value())) {
          result = WriteResult.REPLAYED;
        } else if (current == null) {
          result = WriteResult.NOT_FOUND;
        } else if (current.revision() != expectedRevision) {
          result = WriteResult.REVISION_CONFLICT;
        } else {
          queue.put(
              itemId,
              new QueueItem(
                  itemId,
                  current.escalationId(),
                  current.episodeId(),
                  status,
                  closedAt,
                  current.revision() + 1));
          appliedKeys.get(TargetSystem.QUEUE).add(key.value());
          countWrite(current.escalationId(), TargetSystem.QUEUE);
          result = WriteResult.APPLIED;
        }
        if (fault == FaultKind.TIMEOUT) {
          throw new TargetUnavailableException(
              TargetSystem.QUEUE, "sandbox: answer lost (timeout)", true);
        }
        return result;
      }
    }
  }

  private final class SandboxArchive implements EvidenceArchive {
    @Override
    public Optional<ArchiveObject> head(String uri) {
      synchronized (SandboxSystems.this) {
        takeFault(TargetSystem.ARCHIVE, false);
        return Optional.ofNullable(archive.get(uri));
      }
    }
  }

  private final class SandboxCoordinator implements CoordinatorChannel {
    @Override
    public String name() {
      return COORDINATOR_CHANNEL;
    }

    @Override
    public WriteResult post(CoordinatorNotice notice, IdempotencyKey key) {
      Objects.requireNonNull(notice, "notice");
      Objects.requireNonNull(key, "key");
      synchronized (SandboxSystems.this) {
        // A post is not conditional on a revision: a CONFLICT fault is used up and changes
        // nothing, so the notice goes through.
        FaultKind fault = takeFault(TargetSystem.NOTIFICATION, true);
        WriteResult result;
        if (appliedKeys.get(TargetSystem.NOTIFICATION).contains(key.value())) {
          result = WriteResult.REPLAYED;
        } else {
          notices.add(notice);
          appliedKeys.get(TargetSystem.NOTIFICATION).add(key.value());
          countWrite(notice.escalationId(), TargetSystem.NOTIFICATION);
          result = WriteResult.APPLIED;
        }
        if (fault == FaultKind.TIMEOUT) {
          throw new TargetUnavailableException(
              TargetSystem.NOTIFICATION, "sandbox: answer lost (timeout)", true);
        }
        return result;
      }
    }
  }

  // ---- internals (callers hold the monitor) ----------------------------------------------------

  /**
   * Uses up one armed fault of {@code system} if it applies to this call: UNAVAILABLE to every call
   * (thrown here), TIMEOUT and CONFLICT only to writes (returned for the caller to act on).
   */
  private FaultKind takeFault(TargetSystem system, boolean write) {
    Deque<ArmedFault> armed = faults.get(system);
    ArmedFault head = armed.peekFirst();
    if (head == null || (!write && head.kind != FaultKind.UNAVAILABLE)) {
      return null;
    }
    head.remaining--;
    if (head.remaining == 0) {
      armed.removeFirst();
    }
    if (head.kind == FaultKind.UNAVAILABLE) {
      throw new TargetUnavailableException(system, "sandbox: unavailable", false);
    }
    return head.kind;
  }

  private void putBookkeeping(TargetSystem system, BookkeepingRecord record) {
    Objects.requireNonNull(record, "record");
    Map<String, BookkeepingRecord> records = bookkeeping.get(system);
    Map<EscalationId, String> byEscalation = recordIdsByEscalation.get(system);
    String sameEscalation = byEscalation.remove(record.escalationId());
    if (sameEscalation != null) {
      records.remove(sameEscalation);
    }
    BookkeepingRecord sameId = records.remove(record.recordId());
    if (sameId != null) {
      byEscalation.remove(sameId.escalationId());
    }
    records.put(record.recordId(), record);
    byEscalation.put(record.escalationId(), record.recordId());
  }

  private Optional<BookkeepingRecord> findBookkeeping(
      TargetSystem system, EscalationId escalationId) {
    String recordId = recordIdsByEscalation.get(system).get(escalationId);
    return recordId == null
        ? Optional.empty()
        : Optional.ofNullable(bookkeeping.get(system).get(recordId));
  }

  private void countWrite(EscalationId escalationId, TargetSystem system) {
    writes
        .computeIfAbsent(escalationId.value(), id -> new EnumMap<>(TargetSystem.class))
        .merge(system, 1, Integer::sum);
  }

  private static BookkeepingRecord withRefs(BookkeepingRecord r, List<ArchiveRef> refs) {
    return new BookkeepingRecord(
        r.recordId(),
        r.escalationId(),
        r.episodeId(),
        r.status(),
        r.dispositionVersion(),
        r.closedAt(),
        refs,
        r.revision() + 1);
  }

  private static BookkeepingRecord withRevision(BookkeepingRecord r, long revision) {
    return new BookkeepingRecord(
        r.recordId(),
        r.escalationId(),
        r.episodeId(),
        r.status(),
        r.dispositionVersion(),
        r.closedAt(),
        r.archiveRefs(),
        revision);
  }

  private static QueueItem withRevision(QueueItem item, long revision) {
    return new QueueItem(
        item.itemId(),
        item.escalationId(),
        item.episodeId(),
        item.status(),
        item.closedAt(),
        revision);
  }

  private record ReviewEntry(SourceRecord record, RestrictedContent restricted) {}

  private static final class ArmedFault {
    private final FaultKind kind;
    private int remaining;

    ArmedFault(FaultKind kind, int remaining) {
      this.kind = kind;
      this.remaining = remaining;
    }
  }
}
