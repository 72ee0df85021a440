package com.closeout.intake.web;

import com.closeout.config.IntakeProperties;
import com.closeout.intake.IntakeReceipt;
import com.closeout.intake.ParsedEvent;
import com.closeout.intake.format.CloudEventJsonReader;
import com.closeout.propagation.CloseoutEngine;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhook: one CloudEvent in structured JSON mode per request. Malformed input is answered with
 * RFC 9457 problem details and stores nothing; a well-formed event goes to the engine's intake,
 * which decides between a new event (202) and a redelivery (200).
 */
@RestController
public class EventWebhookController {

  public static final String PATH = "/api/v1/events";
  static final MediaType CLOUDEVENTS_JSON = MediaType.valueOf("application/cloudevents+json");
  static final String PROBLEM_BASE = "urn:closeout:problem:";

  private static final Logger log = LoggerFactory.getLogger(EventWebhookController.class);

  private final CloseoutEngine engine;
  private final CloudEventJsonReader reader;
  private final long maxBodyBytes;

  public EventWebhookController(
      CloseoutEngine engine, CloudEventJsonReader reader, IntakeProperties intake) {
    this.engine = engine;
    this.reader = reader;
    this.maxBodyBytes = intake.maxBodySize().toBytes();
  }

  /** What the sender learns about its delivery. */
  public record Receipt(String eventId, String outcome, Long closureId) {}

  @PostMapping(PATH)
  public ResponseEntity<?> receive(HttpServletRequest request) throws IOException {
    if (!acceptedContentType(request.getContentType())) {
      return problem(
              HttpStatus.UNSUPPORTED_MEDIA_TYPE,
              "unsupported-media-type",
              "Unsupported media type",
              "Send one CloudEvent in structured mode as application/cloudevents+json"
                  + " (or application/json).",
              null)
          .header("Accept-Post", CLOUDEVENTS_JSON + ", " + MediaType.APPLICATION_JSON)
          .build();
    }
    // Content-Length is only a hint: it may be absent (chunked) or wrong, so the stream is capped.
    byte[] body =
        request.getContentLengthLong() > maxBodyBytes
            ? null
            : readAtMost(request.getInputStream(), maxBodyBytes);
    if (body == null) {
      return tooLarge();
    }
    ParsedEvent parsed = reader.read(body);
    if (parsed instanceof ParsedEvent.Malformed malformed) {
      return malformed(malformed);
    }
    ParsedEvent.Valid valid = (ParsedEvent.Valid) parsed;
    IntakeReceipt receipt;
    try {
      receipt = engine.receive(valid.event());
    } catch (RuntimeException e) {
      // The sender redelivers on 5xx, and intake is idempotent, so nothing is lost.
      log.error("Intake of event {} failed", valid.event().id(), e);
      return problem(
              HttpStatus.SERVICE_UNAVAILABLE,
              "intake-unavailable",
              "Intake unavailable",
              "The event was not stored; deliver it again later.",
              null)
          .header("Retry-After", "5")
          .build();
    }
    Receipt answer = new Receipt(receipt.eventId(), receipt.outcome().name(), receipt.closureId());
    return ResponseEntity.status(isRedelivery(receipt) ? HttpStatus.OK : HttpStatus.ACCEPTED)
        .contentType(MediaType.APPLICATION_JSON)
        .body(answer);
  }

  /**
   * 200 only for an event id already accepted. A re-emission with a new id is a new delivery (202)
   * even though it joins the existing closure: intake then names that closure, a redelivery none.
   */
  private static boolean isRedelivery(IntakeReceipt receipt) {
    return receipt.redelivery();
  }

  private static boolean acceptedContentType(String header) {
    if (header == null || header.isBlank()) {
      return false;
    }
    try {
      MediaType type = MediaType.parseMediaType(header);
      return type.equalsTypeAndSubtype(CLOUDEVENTS_JSON)
          || type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON);
    } catch (InvalidMimeTypeException e) {
      return false;
    }
  }

  /** The whole body, or null as soon as it grows past {@code limit} bytes. */
  static byte[] readAtMost(InputStream in, long limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      total += n;
      if (total > limit) {
        return null;
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private ResponseEntity<ProblemDetail> tooLarge() {
    return problem(
            HttpStatus.CONTENT_TOO_LARGE,
            "body-too-large",
            "Event too large",
            "The body exceeds the limit of " + maxBodyBytes + " bytes.",
            null)
        .build();
  }

  private static ResponseEntity<ProblemDetail> malformed(ParsedEvent.Malformed malformed) {
    String message = malformed.message() == null ? "is not valid" : malformed.message();
    String detail =
        message.contains(malformed.field()) ? message : malformed.field() + ": " + message;
    return problem(
            HttpStatus.BAD_REQUEST, "malformed-event", "Malformed event", detail, malformed.field())
        .build();
  }

  private static ProblemResponse problem(
      HttpStatus status, String type, String title, String detail, String field) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(PROBLEM_BASE + type));
    problem.setTitle(title);
    if (field != null) {
      problem.setProperty("field", field);
    }
    return new ProblemResponse(status, problem);
  }

  /** A problem answer still open for headers. */
  private static final class ProblemResponse {
    private final ResponseEntity.BodyBuilder builder;
    private final ProblemDetail problem;

    ProblemResponse(HttpStatus status, ProblemDetail problem) {
      this.builder = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
      this.problem = problem;
    }

    ProblemResponse header(String name, String value) {
      builder.header(name, value);
      return this;
    }

    ResponseEntity<ProblemDetail> build() {
      return builder.body(problem);
    }
  }
}
