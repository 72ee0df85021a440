package com.closeout.sandbox.http;

import com.closeout.domain.EscalationId;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.SandboxControl;
import com.closeout.targets.rest.ContractBodies.BookkeepingRecordBody;
import com.closeout.targets.rest.ContractBodies.NoticeBody;
import com.closeout.targets.rest.ContractBodies.QueueItemBody;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the sandbox holds for one escalation, as its admin endpoint reports it. */
record SandboxState(
    BookkeepingRecordBody tracker,
    BookkeepingRecordBody ledger,
    QueueItemBody queue,
    List<NoticeBody> notices,
    Map<String, Integer> writes) {

  static SandboxState of(SandboxControl sandbox, EscalationId id) {
    Map<String, Integer> writes = new LinkedHashMap<>();
    sandbox.writes(id).forEach((system, count) -> writes.put(system.wireName(), count));
    return new SandboxState(
        sandbox.tracker(id).map(BookkeepingRecordBody::of).orElse(null),
        sandbox.ledger(id).map(BookkeepingRecordBody::of).orElse(null),
        sandbox.queueItem(id).map(QueueItemBody::of).orElse(null),
        sandbox.notices(id).stream().map(NoticeBody::of).toList(),
        writes);
  }

  Map<TargetSystem, Integer> writesBySystem() {
    Map<TargetSystem, Integer> bySystem = new LinkedHashMap<>();
    if (writes != null) {
      writes.forEach((name, count) -> bySystem.put(TargetSystem.fromWireName(name), count));
    }
    return bySystem;
  }
}
