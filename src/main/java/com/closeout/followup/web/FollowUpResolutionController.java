package com.closeout.followup.web;

import com.closeout.followup.Resolution;
import com.closeout.followup.ResolutionOutcome;
import com.closeout.followup.web.FollowUpController.FollowUpView;
import com.closeout.propagation.CloseoutEngine;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A person's answer to a follow-up: {@code {"action": "RETRY"|"DISMISS", "comment": "..."}}. Retry
 * only sends the closure back to the queue; this process's worker re-verifies it from scratch. A
 * refusal (not open, unknown) answers 409, a bad body 400, both as problem details.
 */
@RestController
public class FollowUpResolutionController {

  public static final String PATH = "/api/v1/follow-ups/{id}/resolution";
  private static final String PROBLEM_BASE = "urn:closeout:problem:";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final CloseoutEngine engine;

  public FollowUpResolutionController(CloseoutEngine engine) {
    this.engine = engine;
  }

  /** The follow-up as resolved, and where its closure stands now. */
  public record Resolved(String outcome, FollowUpView followUp, String closureStatus) {}

  @PostMapping(PATH)
  public ResponseEntity<?> resolve(
      @PathVariable String id, @RequestBody(required = false) String body) {
    long followUpId;
    try {
      followUpId = Long.parseLong(id.strip());
    } catch (NumberFormatException e) {
      followUpId = 0;
    }
    if (followUpId < 1) {
      return badRequest("id", "The follow-up id must be a whole number of at least 1.");
    }
    JsonNode request;
    try {
      request = body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (JacksonException e) {
      request = null;
    }
    if (request == null || !request.isObject()) {
      return badRequest(
          "body",
          "Send a JSON object: {\"action\": \"RETRY\" or \"DISMISS\", \"comment\": \"...\"}.");
    }
    Resolution resolution = resolution(request.get("action"));
    if (resolution == null) {
      return badRequest("action", "action must be RETRY or DISMISS.");
    }
    JsonNode comment = request.get("comment");
    if (comment == null || !comment.isString() || comment.asString().isBlank()) {
      return badRequest("comment", "comment is required: say why.");
    }
    ResolutionOutcome outcome =
        engine.resolveFollowUp(followUpId, resolution, comment.asString().strip());
    if (outcome instanceof ResolutionOutcome.Resolved resolved) {
      return ResponseEntity.ok()
          .contentType(MediaType.APPLICATION_JSON)
          .body(
              new Resolved(
                  "RESOLVED",
                  FollowUpView.of(resolved.followUp()),
                  resolved.closureStatus().name()));
    }
    ResolutionOutcome.Refused refused = (ResolutionOutcome.Refused) outcome;
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, refused.why());
    problem.setType(URI.create(PROBLEM_BASE + "resolution-refused"));
    problem.setTitle("Resolution refused");
    problem.setProperty("outcome", "REFUSED");
    problem.setProperty("why", refused.why());
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  private static Resolution resolution(JsonNode action) {
    if (action == null || !action.isString()) {
      return null;
    }
    String name = action.asString().strip().toUpperCase(Locale.ROOT);
    for (Resolution resolution : Resolution.values()) {
      if (resolution.name().equals(name)) {
        return resolution;
      }
    }
    return null;
  }

  private static ResponseEntity<ProblemDetail> badRequest(String field, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    problem.setType(URI.create(PROBLEM_BASE + "bad-resolution"));
    problem.setTitle("Bad resolution");
    problem.setProperty("field", field);
    return ResponseEntity.status(HttpStatus.BAD_REQUEST)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
