package com.closeout.evaluation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** Compares a run's report with what the scenario expects: only what the expectation gives. */
final class ExpectationCheck {
  private ExpectationCheck() {}

  static List<String> mismatches(
      Scenario scenario, Map<String, String> events, Map<String, EscalationReport> escalations) {
    List<String> mismatches = new ArrayList<>();
    scenario
        .expect()
        .forEach(
            (id, expected) -> {
              EscalationReport actual = escalations.get(id);
              if (actual == null) {
                mismatches.add(id + ": not in the report");
                return;
              }
              check(id, expected, actual, mismatches);
            });
    scenario
        .expectEvents()
        .forEach(
            (id, expected) -> {
              String actual = events.get(id);
              if (!expected.equals(actual)) {
                mismatches.add(
                    "event "
                        + id
                        + ": expected "
                        + expected
                        + ", got "
                        + (actual == null ? "no delivery" : actual));
              }
            });
    return mismatches;
  }

  private static void check(
      String id, EscalationExpectation expected, EscalationReport actual, List<String> out) {
    if (expected.outcome() != null && !expected.outcome().equals(actual.outcome())) {
      out.add(id + ".outcome: expected " + expected.outcome() + ", got " + actual.outcome());
    }
    if (expected.reasons() != null) {
      List<String> want = List.copyOf(new TreeSet<>(expected.reasons()));
      if (!want.equals(actual.reasons())) {
        out.add(id + ".reasons: expected " + want + ", got " + actual.reasons());
      }
    }
    JsonNode report = ScenarioResult.escalationJson(actual);
    for (String system : List.of("tracker", "ledger", "queue")) {
      JsonNode want =
          switch (system) {
            case "tracker" -> expected.tracker();
            case "ledger" -> expected.ledger();
            default -> expected.queue();
          };
      if (want != null) {
        matches(want, report.get(system), id + "." + system).ifPresent(out::add);
      }
    }
    if (expected.notifications() != null && expected.notifications() != actual.notifications()) {
      out.add(
          id
              + ".notifications: expected "
              + expected.notifications()
              + ", got "
              + actual.notifications());
    }
    if (expected.writes() != null) {
      expected
          .writes()
          .forEach(
              (system, count) -> {
                Integer got = actual.writes().get(system);
                if (!Objects.equals(count, got)) {
                  out.add(id + ".writes." + system + ": expected " + count + ", got " + got);
                }
              });
    }
  }

  /** Partial match: objects compare only the keys expected; instants compare as instants. */
  static Optional<String> matches(JsonNode want, JsonNode got, String path) {
    if (want == null || want.isNull()) {
      return got == null || got.isNull()
          ? Optional.empty()
          : Optional.of(path + ": expected null, got " + got);
    }
    if (got == null || got.isNull()) {
      return Optional.of(path + ": expected " + want + ", got null");
    }
    if (want.isObject()) {
      if (!got.isObject()) {
        return Optional.of(path + ": expected an object, got " + got);
      }
      for (String key : want.propertyNames()) {
        Optional<String> problem = matches(want.get(key), got.get(key), path + "." + key);
        if (problem.isPresent()) {
          return problem;
        }
      }
      return Optional.empty();
    }
    if (want.isArray()) {
      if (!got.isArray() || got.size() != want.size()) {
        return Optional.of(path + ": expected " + want + ", got " + got);
      }
      for (int i = 0; i < want.size(); i++) {
        JsonNode element = got.get(i);
        // An archive reference may be expected by its uri alone.
        if (want.get(i).isString() && element.isObject() && element.has("uri")) {
          element = element.get("uri");
        }
        Optional<String> problem = matches(want.get(i), element, path + "[" + i + "]");
        if (problem.isPresent()) {
          return problem;
        }
      }
      return Optional.empty();
    }
    if (want.isNumber() && got.isNumber()) {
      BigDecimal a = want.decimalValue();
      BigDecimal b = got.decimalValue();
      return a.compareTo(b) == 0
          ? Optional.empty()
          : Optional.of(path + ": expected " + want + ", got " + got);
    }
    if (want.isString() && got.isString()) {
      Optional<Instant> a = instant(want.stringValue());
      Optional<Instant> b = instant(got.stringValue());
      boolean same =
          a.isPresent() && b.isPresent()
              ? a.get().equals(b.get())
              : want.stringValue().equals(got.stringValue());
      return same ? Optional.empty() : Optional.of(path + ": expected " + want + ", got " + got);
    }
    return want.equals(got)
        ? Optional.empty()
        : Optional.of(path + ": expected " + want + ", got " + got);
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
