package com.closeout.intake.kafka;

import com.closeout.intake.IncomingEvent;
import com.closeout.intake.IntakeReceipt;
import com.closeout.intake.ParsedEvent;
import com.closeout.propagation.CloseoutEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;

/**
 * Takes one poll's records into intake. Every well-formed event of the poll goes in in one intake
 * transaction (one statement, one commit), as a webhook group does; the container commits the
 * offsets only after this returns, so a record is either stored or offered again (intake is
 * idempotent, so offering it again is harmless).
 *
 * <p>A record that is not a well-formed CloudEvent cannot be answered the way the webhook answers
 * (400): it goes to the dead-letter topic with the reason, before the offsets move past it. If the
 * store refuses the poll's transaction, each event is tried alone and the first that fails is
 * reported to the container, which commits the records before it and offers that one and the rest
 * again after a pause, without end: a record is never skipped.
 */
public final class KafkaIntakeListener implements BatchMessageListener<byte[], byte[]> {
  private static final Logger log = LoggerFactory.getLogger(KafkaIntakeListener.class);

  private final CloseoutEngine engine;
  private final KafkaRecordReader reader;
  private final BiConsumer<ConsumerRecord<byte[], byte[]>, MalformedRecordException> deadLetters;
  private final IntakeCounts counts;

  /**
   * @param deadLetters publishes one record to the dead-letter topic and returns only once the
   *     broker has it (it throws otherwise, and the poll is offered again)
   */
  public KafkaIntakeListener(
      CloseoutEngine engine,
      KafkaRecordReader reader,
      BiConsumer<ConsumerRecord<byte[], byte[]>, MalformedRecordException> deadLetters,
      IntakeCounts counts) {
    this.engine = engine;
    this.reader = reader;
    this.deadLetters = deadLetters;
    this.counts = counts;
  }

  /** What became of the records taken, for metrics; called once per record. */
  public interface IntakeCounts {
    void received(IntakeReceipt receipt);

    void deadLettered(MalformedRecordException reason);
  }

  @Override
  public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
    List<ConsumerRecord<byte[], byte[]>> wellFormed = new ArrayList<>(records.size());
    List<IncomingEvent> events = new ArrayList<>(records.size());
    List<ConsumerRecord<byte[], byte[]>> malformed = new ArrayList<>();
    List<MalformedRecordException> reasons = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      ParsedEvent parsed = reader.read(record);
      if (parsed instanceof ParsedEvent.Valid valid) {
        wellFormed.add(record);
        events.add(valid.event());
      } else {
        ParsedEvent.Malformed bad = (ParsedEvent.Malformed) parsed;
        malformed.add(record);
        reasons.add(new MalformedRecordException(bad.field(), bad.message()));
      }
    }
    receiveAll(wellFormed, events);
    // After intake: if publishing fails, the poll comes again and its events are redeliveries.
    for (int i = 0; i < malformed.size(); i++) {
      ConsumerRecord<byte[], byte[]> record = malformed.get(i);
      deadLetters.accept(record, reasons.get(i));
      counts.deadLettered(reasons.get(i));
      log.warn(
          "Record {}-{}@{} is not a well-formed CloudEvent ({}); sent to the dead-letter topic",
          record.topic(),
          record.partition(),
          record.offset(),
          reasons.get(i).getMessage());
    }
  }

  private void receiveAll(
      List<ConsumerRecord<byte[], byte[]>> records, List<IncomingEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    try {
      engine.receiveAll(events).forEach(counts::received);
      return;
    } catch (RuntimeException groupFailed) {
      log.warn(
          "Intake of {} events in one transaction failed; taking them one by one",
          events.size(),
          groupFailed);
    }
    for (int i = 0; i < events.size(); i++) {
      try {
        counts.received(engine.receive(events.get(i)));
      } catch (RuntimeException failed) {
        // The records before this one are stored; the container commits up to here and offers
        // this one (and the rest) again after its back-off.
        throw new BatchListenerFailedException(
            "intake of event " + events.get(i).id() + " failed", failed, records.get(i));
      }
    }
  }
}
