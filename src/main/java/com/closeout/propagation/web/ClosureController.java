package com.closeout.propagation.web;

import com.closeout.domain.EscalationId;
import com.closeout.followup.FollowUp;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.Closure;
import com.closeout.propagation.StepProgress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Read-only view of an escalation's closures, their steps and their follow-ups. */
@RestController
public class ClosureController {

  private final CloseoutStores stores;

  public ClosureController(CloseoutStores stores) {
    this.stores = stores;
  }

  public record ClosureView(
      long id,
      String escalationId,
      int dispositionVersion,
      String eventId,
      String status,
      int attempts,
      Instant nextAttemptAt,
      Instant createdAt,
      Instant updatedAt,
      List<StepView> steps,
      List<FollowUpRef> followUps) {}

  public record StepView(String step, String status, Instant finishedAt) {}

  public record FollowUpRef(long id, String reason, String system, String status) {}

  @GetMapping("/api/v1/closures/{escalationId}")
  public ResponseEntity<?> closures(@PathVariable String escalationId) {
    if (escalationId.isBlank()) {
      return notFound(escalationId);
    }
    List<Closure> closures = stores.closures().forEscalation(new EscalationId(escalationId));
    if (closures.isEmpty()) {
      return notFound(escalationId);
    }
    return ResponseEntity.ok(closures.stream().map(this::view).toList());
  }

  private ClosureView view(Closure closure) {
    List<StepView> steps =
        stores.closures().steps(closure.id()).stream().map(ClosureController::view).toList();
    List<FollowUpRef> followUps =
        stores.followUps().forClosure(closure.id()).stream().map(ClosureController::view).toList();
    return new ClosureView(
        closure.id(),
        closure.key().escalationId().value(),
        closure.key().dispositionVersion(),
        closure.eventId().value(),
        closure.status().name(),
        closure.attempts(),
        closure.nextAttemptAt(),
        closure.createdAt(),
        closure.updatedAt(),
        steps,
        followUps);
  }

  private static StepView view(StepProgress step) {
    return new StepView(step.step().name(), step.status().name(), step.finishedAt());
  }

  private static FollowUpRef view(FollowUp followUp) {
    return new FollowUpRef(
        followUp.id(),
        followUp.reason().name(),
        followUp.system() == null ? null : followUp.system().wireName(),
        followUp.status().name());
  }

  private static ResponseEntity<ProblemDetail> notFound(String escalationId) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.NOT_FOUND, "No closure exists for escalation " + escalationId + ".");
    problem.setType(URI.create("urn:closeout:problem:closure-not-found"));
    problem.setTitle("Closure not found");
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
