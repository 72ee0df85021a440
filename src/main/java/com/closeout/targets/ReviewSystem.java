package com.closeout.targets;

import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import java.util.Optional;

/**
 * The authoritative review system: read only. Implementations drop the restricted fields of SPEC §3
 * before returning, so they never leave the adapter.
 *
 * @throws TargetUnavailableException when the system does not answer
 */
public interface ReviewSystem {
  Optional<SourceRecord> readEscalation(EscalationId escalationId);
}
