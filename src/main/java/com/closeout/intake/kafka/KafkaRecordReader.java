package com.closeout.intake.kafka;

import com.closeout.intake.ParsedEvent;
import com.closeout.intake.format.CloudEventJsonReader;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads one Kafka record as a CloudEvent, in either mode the CloudEvents Kafka binding defines:
 * binary (attributes in {@code ce_*} headers, {@code data} in the value) or structured (the whole
 * event as JSON in the value). A binary event is rewritten as structured JSON so that both modes
 * pass the same checks of {@link CloudEventJsonReader}, the webhook's reader.
 */
public final class KafkaRecordReader {
  private static final String SPEC_VERSION_HEADER = "ce_specversion";

  private final CloudEventJsonReader reader;
  private final EventFormat json;

  public KafkaRecordReader(CloudEventJsonReader reader) {
    this.reader = reader;
    this.json =
        Objects.requireNonNull(
            EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE),
            "cloudevents-json-jackson is not on the classpath");
  }

  public ParsedEvent read(ConsumerRecord<byte[], byte[]> record) {
    if (record.headers().lastHeader(SPEC_VERSION_HEADER) == null) {
      if (record.value() == null) {
        return new ParsedEvent.Malformed("event", "a CloudEvent in the record's value");
      }
      return reader.read(record.value());
    }
    CloudEvent event;
    try {
      event = KafkaMessageFactory.createReader(record).toEvent();
    } catch (CloudEventRWException | IllegalStateException e) {
      // The library's message may quote a header's value; the reason given never does.
      return new ParsedEvent.Malformed("event", "a CloudEvent in binary mode (ce_* headers)");
    }
    return reader.read(json.serialize(event));
  }
}
