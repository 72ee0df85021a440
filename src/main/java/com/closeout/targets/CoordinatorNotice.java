package com.closeout.targets;

import com.closeout.domain.EscalationId;
import com.closeout.domain.TargetSystem;
import java.util.List;

/**
 * The one internal notice to the support operations coordinator. It names only the escalation, the
 * version and the systems updated: there is no free text a customer detail could ride in.
 */
public record CoordinatorNotice(
    Kind kind, EscalationId escalationId, int dispositionVersion, List<TargetSystem> targets) {
  public enum Kind {
    CLOSURE_PROPAGATION_COMPLETE,
    CLOSURE_REVERTED
  }

  public CoordinatorNotice {
    targets = List.copyOf(targets);
  }
}
