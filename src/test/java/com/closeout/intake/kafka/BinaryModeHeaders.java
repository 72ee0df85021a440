package com.closeout.intake.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a finalized-disposition CloudEvent in the Kafka binding's binary mode: attributes
 * as {@code ce_*} headers, the record's value being the event's {@code data}.
 */
final class BinaryModeHeaders {
  private BinaryModeHeaders() {}

  static RecordHeaders of(String eventId, String escalationId) {
    RecordHeaders headers = new RecordHeaders();
    add(headers, "ce_specversion", "1.0");
    add(headers, "ce_id", eventId);
    add(headers, "ce_source", "urn:support:review-board");
    add(headers, "ce_type", "support.review.disposition.finalized");
    add(headers, "ce_subject", escalationId);
    add(headers, "ce_time", "2026-11-20T10:15:00Z");
    add(headers, "content-type", "application/json");
    return headers;
  }

  private static void add(RecordHeaders headers, String name, String value) {
    headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
  }
}
