package com.closeout.domain;

import java.util.Objects;

/** One episode of an escalation; a reopened escalation starts a new episode. */
public record EpisodeId(String value) {
  public EpisodeId {
    Objects.requireNonNull(value, "episodeId");
  }

  @Override
  public String toString() {
    return value;
  }
}
