package com.closeout.cli;

import com.closeout.intake.format.CloudEventJsonReader;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.CloseoutStores;
import java.time.Clock;
import java.util.Optional;

/** What a command works with once the service is up. */
public interface Services {
  CloseoutEngine engine();

  CloseoutStores stores();

  Clock clock();

  CloudEventJsonReader eventReader();

  /** Starts the background worker of a served application that was started without it. */
  void startWorker();

  /** An optional collaborator, e.g. the scenario runner, when this build provides one. */
  <T> Optional<T> find(Class<T> type);
}
