package com.closeout.targets;

import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The authoritative review system: read only. Implementations drop the restricted fields of SPEC §3
 * before returning, so they never leave the adapter.
 *
 * @throws TargetUnavailableException when the system does not answer
 */
public interface ReviewSystem {
  Optional<SourceRecord> readEscalation(EscalationId escalationId);

  /**
   * Records with status FINAL, in (finalizedAt, escalationId) order, strictly after the cursor; at
   * most {@code limit}. Read only: reconciliation pages through them to find lost events.
   */
  List<SourceRecord> finalizedAfter(FinalizedCursor after, int limit);

  /** A position in the (finalizedAt, escalationId) order of finalized records. */
  record FinalizedCursor(Instant finalizedAt, String escalationId) {
    public static FinalizedCursor from(Instant since) {
      return new FinalizedCursor(since, "");
    }

    public static FinalizedCursor after(SourceRecord record) {
      return new FinalizedCursor(record.finalizedAt(), record.escalationId().value());
    }

    public boolean isBefore(SourceRecord record) {
      int byTime = finalizedAt.compareTo(record.finalizedAt());
      return byTime < 0
          || (byTime == 0 && escalationId.compareTo(record.escalationId().value()) < 0);
    }
  }
}
