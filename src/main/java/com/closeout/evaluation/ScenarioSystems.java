package com.closeout.evaluation;

import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import java.util.List;

/** The initial state of the sandbox systems a scenario starts from. */
public record ScenarioSystems(
    List<ReviewSeed> review,
    List<BookkeepingRecord> tracker,
    List<BookkeepingRecord> ledger,
    List<QueueItem> queue,
    List<ArchiveObject> archive) {

  public static final ScenarioSystems EMPTY =
      new ScenarioSystems(List.of(), List.of(), List.of(), List.of(), List.of());

  public ScenarioSystems {
    review = List.copyOf(review);
    tracker = List.copyOf(tracker);
    ledger = List.copyOf(ledger);
    queue = List.copyOf(queue);
    archive = List.copyOf(archive);
  }
}
