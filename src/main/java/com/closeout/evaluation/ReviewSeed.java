package com.closeout.evaluation;

import com.closeout.domain.SourceRecord;
import com.closeout.sandbox.RestrictedContent;
import java.util.Objects;

/** A review-system record as a scenario gives it: the domain record plus its restricted fields. */
public record ReviewSeed(SourceRecord record, RestrictedContent restricted) {
  public ReviewSeed {
    Objects.requireNonNull(record, "record");
    restricted = restricted == null ? RestrictedContent.NONE : restricted;
  }
}
