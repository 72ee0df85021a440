package com.closeout.domain;

import java.util.Objects;

/** A reference to evidence in the archive: closure packet or internal review note. */
public record ArchiveRef(String kind, String uri, String sha256) {
  public ArchiveRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(sha256, "sha256");
  }
}
