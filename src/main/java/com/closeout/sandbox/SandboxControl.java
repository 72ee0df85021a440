package com.closeout.sandbox;

import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.QueueItem;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a campaign does to the sandbox systems besides calling them through the ports: set them up,
 * inject faults, and inspect what ended up there. {@link SandboxSystems} in the same process, or a
 * sandbox server's admin endpoints ({@code closeout sandbox}).
 */
public interface SandboxControl {
  void putReview(SourceRecord record, RestrictedContent restricted);

  void putTracker(BookkeepingRecord record);

  void putLedger(BookkeepingRecord record);

  void putQueueItem(QueueItem item);

  void putArchiveObject(ArchiveObject object);

  void injectFault(TargetSystem system, FaultKind kind, int failures);

  Optional<BookkeepingRecord> tracker(EscalationId escalationId);

  Optional<BookkeepingRecord> ledger(EscalationId escalationId);

  Optional<QueueItem> queueItem(EscalationId escalationId);

  List<CoordinatorNotice> notices(EscalationId escalationId);

  Map<TargetSystem, Integer> writes(EscalationId escalationId);

  long restrictedLeaksInTargets();

  long countRestrictedOccurrences(Collection<String> texts);
}
