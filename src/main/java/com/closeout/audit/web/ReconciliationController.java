package com.closeout.audit.web;

import com.closeout.audit.Drift;
import com.closeout.audit.DriftReconciliation;
import com.closeout.audit.DriftReport;
import com.closeout.config.ReconciliationProperties;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One reconciliation pass on demand (SPEC §6), in the process that holds the target connections. A
 * POST because the pass audits what it found. Drift is a finding, not an error: 200 either way.
 */
@RestController
public class ReconciliationController {

  public static final String PATH = "/api/v1/reconciliation";

  private final DriftReconciliation reconciliation;
  private final ReconciliationProperties properties;
  private final Clock clock;

  public ReconciliationController(
      DriftReconciliation reconciliation, ReconciliationProperties properties, Clock clock) {
    this.reconciliation = reconciliation;
    this.properties = properties;
    this.clock = clock;
  }

  /** The drift report, and from when finalized records were compared. */
  public record Report(
      Instant since,
      Instant checkedAt,
      int recordsChecked,
      List<Drift> drift,
      List<String> unreachable,
      boolean clean) {
    static Report of(Instant since, DriftReport report) {
      return new Report(
          since,
          report.checkedAt(),
          report.recordsChecked(),
          report.drift(),
          report.unreachable(),
          report.clean());
    }
  }

  @PostMapping(PATH)
  public ResponseEntity<?> reconcile(@RequestParam(name = "since", required = false) String since) {
    Instant from;
    if (since == null || since.isBlank()) {
      from = clock.instant().minus(properties.lookback());
    } else {
      try {
        from = Instant.parse(since.strip());
      } catch (DateTimeParseException e) {
        ProblemDetail problem =
            ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST,
                "since must be an ISO-8601 instant, e.g. 2026-11-20T00:00:00Z.");
        problem.setType(URI.create("urn:closeout:problem:bad-reconciliation-request"));
        problem.setTitle("Bad reconciliation request");
        problem.setProperty("field", "since");
        return ResponseEntity.badRequest()
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .body(problem);
      }
    }
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(Report.of(from, reconciliation.reconcile(from)));
  }
}
