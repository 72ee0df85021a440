package com.closeout.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * The restricted fields of a review record (SPEC §3). They live only inside the sandbox review
 * system, which keeps them so a scenario can check they never appear anywhere else.
 */
public record RestrictedContent(
    String customerTranscript,
    String concessionNotes,
    String reviewerDiscussion,
    String contactName,
    String contactEmail) {

  public static final RestrictedContent NONE = new RestrictedContent(null, null, null, null, null);

  /** The non-blank values, the strings a leak check looks for. */
  public List<String> values() {
    List<String> values = new ArrayList<>();
    for (String value :
        new String[] {
          customerTranscript, concessionNotes, reviewerDiscussion, contactName, contactEmail
        }) {
      if (value != null && !value.isBlank()) {
        values.add(value);
      }
    }
    return values;
  }

  /** Never prints the values: a record logged by mistake must not be a leak. */
  @Override
  public String toString() {
    return "RestrictedContent[redacted]";
  }
}
