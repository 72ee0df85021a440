package com.closeout.cli;

/** The command line was wrong: the message says how; the command exits 2 with its usage. */
public class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}
