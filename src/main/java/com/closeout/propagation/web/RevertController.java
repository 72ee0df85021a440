package com.closeout.propagation.web;

import com.closeout.domain.EscalationId;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.RevertOutcome;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An operator's revert of one closure (SPEC §5), run by the serving process because it holds the
 * connections to the targets. A full revert answers 200; one that stopped at a target that changed
 * or a refusal answers 409, a target that did not answer 503 — each as a problem that still carries
 * the outcome, so a client reads one shape.
 */
@RestController
public class RevertController {

  public static final String PATH = "/api/v1/closures/{escalationId}/versions/{version}/revert";
  private static final String PROBLEM_BASE = "urn:closeout:problem:";

  private final CloseoutEngine engine;

  public RevertController(CloseoutEngine engine) {
    this.engine = engine;
  }

  /** A full revert: the steps undone, newest first. */
  public record Reverted(
      String outcome, String escalationId, int dispositionVersion, List<String> undone) {}

  @PostMapping(PATH)
  public ResponseEntity<?> revert(@PathVariable String escalationId, @PathVariable String version) {
    if (escalationId.isBlank()) {
      return badRequest("escalationId", "The escalation id must not be blank.");
    }
    int dispositionVersion;
    try {
      dispositionVersion = Integer.parseInt(version.strip());
    } catch (NumberFormatException e) {
      dispositionVersion = 0;
    }
    if (dispositionVersion < 1) {
      return badRequest("version", "The disposition version must be a whole number of at least 1.");
    }
    RevertOutcome outcome = engine.revert(new EscalationId(escalationId), dispositionVersion);
    if (outcome instanceof RevertOutcome.Reverted reverted) {
      return ResponseEntity.ok()
          .contentType(MediaType.APPLICATION_JSON)
          .body(
              new Reverted(
                  "REVERTED",
                  reverted.key().escalationId().value(),
                  reverted.key().dispositionVersion(),
                  reverted.undone().stream().map(Step::name).toList()));
    }
    if (outcome instanceof RevertOutcome.Conflict conflict) {
      ProblemDetail problem =
          problem(
              HttpStatus.CONFLICT,
              "revert-conflict",
              "Revert stopped at a conflict",
              "Revert of "
                  + conflict.key()
                  + " stopped at "
                  + conflict.step()
                  + ": "
                  + systemName(conflict.system())
                  + " no longer holds what Closeout wrote; follow-up "
                  + conflict.followUpId()
                  + " raised.",
              "CONFLICT");
      keyed(problem, conflict.key().escalationId().value(), conflict.key().dispositionVersion());
      problem.setProperty("step", stepName(conflict.step()));
      problem.setProperty("system", systemName(conflict.system()));
      problem.setProperty("followUpId", conflict.followUpId());
      return answer(HttpStatus.CONFLICT, problem);
    }
    if (outcome instanceof RevertOutcome.Unavailable unavailable) {
      ProblemDetail problem =
          problem(
              HttpStatus.SERVICE_UNAVAILABLE,
              "revert-target-unavailable",
              "A target did not answer",
              "Revert of "
                  + unavailable.key()
                  + " stopped at "
                  + unavailable.step()
                  + ": "
                  + systemName(unavailable.system())
                  + " did not answer; run the revert again later.",
              "UNAVAILABLE");
      keyed(
          problem,
          unavailable.key().escalationId().value(),
          unavailable.key().dispositionVersion());
      problem.setProperty("step", stepName(unavailable.step()));
      problem.setProperty("system", systemName(unavailable.system()));
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .header("Retry-After", "30")
          .body(problem);
    }
    RevertOutcome.Refused refused = (RevertOutcome.Refused) outcome;
    ProblemDetail problem =
        problem(HttpStatus.CONFLICT, "revert-refused", "Revert refused", refused.why(), "REFUSED");
    problem.setProperty("why", refused.why());
    return answer(HttpStatus.CONFLICT, problem);
  }

  private static void keyed(ProblemDetail problem, String escalationId, int version) {
    problem.setProperty("escalationId", escalationId);
    problem.setProperty("dispositionVersion", version);
  }

  private static String systemName(TargetSystem system) {
    return system == null ? "a target" : system.wireName();
  }

  private static String stepName(Step step) {
    return step == null ? null : step.name();
  }

  private static ProblemDetail problem(
      HttpStatus status, String type, String title, String detail, String outcome) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(PROBLEM_BASE + type));
    problem.setTitle(title);
    problem.setProperty("outcome", outcome);
    return problem;
  }

  private static ResponseEntity<ProblemDetail> badRequest(String field, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    problem.setType(URI.create(PROBLEM_BASE + "bad-revert-request"));
    problem.setTitle("Bad revert request");
    problem.setProperty("field", field);
    return answer(HttpStatus.BAD_REQUEST, problem);
  }

  private static ResponseEntity<ProblemDetail> answer(HttpStatus status, ProblemDetail problem) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
