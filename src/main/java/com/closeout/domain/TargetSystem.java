package com.closeout.domain;

import java.util.Locale;

/** The systems of SPEC §1, named as scenario files and follow-ups name them. */
public enum TargetSystem {
  REVIEW,
  TRACKER,
  LEDGER,
  QUEUE,
  ARCHIVE,
  NOTIFICATION,
  AUDIT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TargetSystem fromWireName(String name) {
    for (TargetSystem system : values()) {
      if (system.wireName().equals(name)) {
        return system;
      }
    }
    throw new IllegalArgumentException("unknown system: " + name);
  }
}
