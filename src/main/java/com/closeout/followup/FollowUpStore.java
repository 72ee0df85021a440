package com.closeout.followup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Durable follow-ups. Status writes are guarded by (id, status, revision). */
public interface FollowUpStore {
  /** At most one OPEN follow-up per closure and reason: empty when one is already open. */
  Optional<FollowUp> openIfAbsent(NewFollowUp followUp);

  Optional<FollowUp> find(long id);

  List<FollowUp> all(boolean openOnly);

  List<FollowUp> forClosure(long closureId);

  /** Guarded: throws if the follow-up is no longer in the status and revision read. */
  FollowUp resolve(FollowUp followUp, FollowUpStatus to, String comment, Instant at);
}
