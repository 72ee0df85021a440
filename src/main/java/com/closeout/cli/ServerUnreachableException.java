package com.closeout.cli;

import java.net.URI;

/**
 * Nothing answered at the server address. Not a bug: the operator has to start Closeout or point
 * the command at it, so the message says how.
 */
final class ServerUnreachableException extends RuntimeException {
  ServerUnreachableException(URI server, Throwable cause) {
    super(
        "no Closeout is serving at "
            + server
            + ": start `bin/closeout serve` (or `demo`), or pass --server URL;"
            + " the target systems live in the serving process",
        cause);
  }
}
