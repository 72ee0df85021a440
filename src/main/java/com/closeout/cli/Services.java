package com.closeout.cli;

import com.closeout.propagation.CloseoutStores;
import java.util.Optional;

/**
 * What a command works with once the service is up. No engine on purpose: the target systems live
 * in the serving process, so a one-shot command only reads the store, and anything that touches a
 * target goes through {@link ServerClient}.
 */
public interface Services {
  CloseoutStores stores();

  /** Starts the background worker of a served application that was started without it. */
  void startWorker();

  /** An optional collaborator, e.g. the scenario runner, when this build provides one. */
  <T> Optional<T> find(Class<T> type);
}
