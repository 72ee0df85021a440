package com.closeout.intake.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.intake.ParsedEvent;
import com.closeout.intake.format.CloudEventJsonReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaRecordReaderTests {
  private final KafkaRecordReader reader = new KafkaRecordReader(new CloudEventJsonReader());

  private static final String DATA =
      """
      {"escalationId":"ESC-9","episodeId":"EP-1","disposition":"CLOSURE_APPROVED",
       "dispositionVersion":2,"finalizedAt":"2026-11-20T10:14:58Z",
       "archiveRefs":[],"requestedActions":["REFUND"]}""";

  @Test
  void aStructuredRecordIsReadLikeAWebhookBody() {
    String json =
        """
        {"specversion":"1.0","id":"evt-s","source":"urn:support:review-board",
         "type":"support.review.disposition.finalized","subject":"ESC-9",
         "datacontenttype":"application/json","data":%s}"""
            .formatted(DATA);

    ParsedEvent parsed = reader.read(record(json, new RecordHeaders()));

    assertThat(parsed).isInstanceOf(ParsedEvent.Valid.class);
    ParsedEvent.Valid valid = (ParsedEvent.Valid) parsed;
    assertThat(valid.event().id().value()).isEqualTo("evt-s");
    assertThat(valid.event().finalized().dispositionVersion()).isEqualTo(2);
  }

  @Test
  void aBinaryRecordCarriesItsAttributesInHeadersAndItsDataInTheValue() {
    RecordHeaders headers = binaryHeaders();

    ParsedEvent parsed = reader.read(record(DATA, headers));

    assertThat(parsed).isInstanceOf(ParsedEvent.Valid.class);
    ParsedEvent.Valid valid = (ParsedEvent.Valid) parsed;
    assertThat(valid.event().id().value()).isEqualTo("evt-b");
    assertThat(valid.event().subject()).isEqualTo("ESC-9");
    assertThat(valid.event().finalized().escalationId().value()).isEqualTo("ESC-9");
  }

  @Test
  void aBinaryRecordWithoutAnIdIsMalformedAndTheReasonQuotesNoHeader() {
    RecordHeaders headers = binaryHeaders();
    headers.remove("ce_id");

    ParsedEvent parsed = reader.read(record(DATA, headers));

    assertThat(parsed).isInstanceOf(ParsedEvent.Malformed.class);
    assertThat(((ParsedEvent.Malformed) parsed).message()).doesNotContain("ESC-9");
  }

  @Test
  void aBinaryRecordWhoseDataIsWrongNamesTheField() {
    ParsedEvent parsed =
        reader.read(
            record(
                DATA.replace("\"dispositionVersion\":2", "\"dispositionVersion\":\"x\""),
                binaryHeaders()));

    assertThat(parsed).isInstanceOf(ParsedEvent.Malformed.class);
    assertThat(((ParsedEvent.Malformed) parsed).field()).isEqualTo("data.dispositionVersion");
  }

  @Test
  void aRecordWithoutAValueIsMalformed() {
    assertThat(reader.read(record(null, new RecordHeaders())))
        .isEqualTo(new ParsedEvent.Malformed("event", "a CloudEvent in the record's value"));
  }

  private static RecordHeaders binaryHeaders() {
    return BinaryModeHeaders.of("evt-b", "ESC-9");
  }

  private static ConsumerRecord<byte[], byte[]> record(String value, RecordHeaders headers) {
    return new ConsumerRecord<>(
        "events",
        0,
        7L,
        ConsumerRecord.NO_TIMESTAMP,
        TimestampType.NO_TIMESTAMP_TYPE,
        ConsumerRecord.NULL_SIZE,
        ConsumerRecord.NULL_SIZE,
        null,
        value == null ? null : value.getBytes(StandardCharsets.UTF_8),
        headers,
        Optional.empty());
  }
}
