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

  private final Intake intake;
  private final KafkaRecordReader reader;
  private final BiConsumer<ConsumerRecord<byte[], byte[]>, MalformedRecordException> deadLetters;
  private final IntakeCounts counts;

  /**
   * @param deadLetters publishes one record to the dead-letter topic and returns only once the
   *     broker has it (it throws otherwise, and the poll is offered again)
   */
  public KafkaIntakeListener(
      Intake intake,
      KafkaRecordReader reader,
      BiConsumer<ConsumerRecord<byte[], byte[]>, MalformedRecordException> deadLetters,
      IntakeCounts counts) {
    this.intake = intake;
    this.reader = reader;
    this.deadLetters = deadLetters;
    this.counts = counts;
  }

  /** Where the events go: the engine's intake ({@link #of}). */
  public interface Intake {
    /** All in one transaction, or an exception with nothing stored. */
    List<IntakeReceipt> receiveAll(List<IncomingEvent> events);

    IntakeReceipt receive(IncomingEvent event);
  }

  public static Intake of(CloseoutEngine engine) {
    return new Intake() {
      @Override
      public List<IntakeReceipt> receiveAll(List<IncomingEvent> events) {
        return engine.receiveAll(events);
      }

      @Override
      public IntakeReceipt receive(IncomingEvent event) {
        return engine.receive(event);
      }
    };
  }

  /** What became of the records taken, for metrics; called once per record. */
  public interface IntakeCounts {
    void received(IntakeReceipt receipt);

    void deadLettered(MalformedRecordException reason);
  }

  /**
   * A record of the poll that is not a well-formed CloudEvent, with where it stands in the poll.
   */
  private record Malformed(int position, MalformedRecordException reason) {}

  @Override
  public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
    List<Integer> positions = new ArrayList<>(records.size());
    List<IncomingEvent> events = new ArrayList<>(records.size());
    List<Malformed> malformed = new ArrayList<>();
    for (int position = 0; position < records.size(); position++) {
      ParsedEvent parsed = reader.read(records.get(position));
      if (parsed instanceof ParsedEvent.Valid valid) {
        positions.add(position);
        events.add(valid.event());
      } else {
        ParsedEvent.Malformed bad = (ParsedEvent.Malformed) parsed;
        malformed.add(
            new Malformed(position, new MalformedRecordException(bad.field(), bad.message())));
      }
    }
    Refusal refusal = receiveAll(events);
    if (refusal == null) {
      // After intake: if publishing fails, the poll comes again and its events are redeliveries.
      deadLetter(records, malformed, records.size());
      return;
    }
    // The container commits the offsets before the refused record's: each malformed record among
    // them must be in the dead-letter topic first, or it would be skipped without a trace.
    int position = positions.get(refusal.index());
    deadLetter(records, malformed, position);
    throw new BatchListenerFailedException(
        "intake of event " + events.get(refusal.index()).id() + " failed",
        refusal.cause(),
        records.get(position));
  }

  /** The first event the store refused, by its index among the poll's events, and why. */
  private record Refusal(int index, RuntimeException cause) {}

  /**
   * Takes the events in one transaction or, if the store refuses that, one by one.
   *
   * @return null when every event is stored, else the first the store refused (those before it are
   *     stored)
   */
  private Refusal receiveAll(List<IncomingEvent> events) {
    if (events.isEmpty()) {
      return null;
    }
    try {
      intake.receiveAll(events).forEach(counts::received);
      return null;
    } catch (RuntimeException groupFailed) {
      log.warn(
          "Intake of {} events in one transaction failed; taking them one by one",
          events.size(),
          groupFailed);
    }
    for (int i = 0; i < events.size(); i++) {
      try {
        counts.received(intake.receive(events.get(i)));
      } catch (RuntimeException failed) {
        return new Refusal(i, failed);
      }
    }
    return null;
  }

  private void deadLetter(
      List<ConsumerRecord<byte[], byte[]>> records, List<Malformed> malformed, int before) {
    for (Malformed bad : malformed) {
      if (bad.position() >= before) {
        return;
      }
      ConsumerRecord<byte[], byte[]> record = records.get(bad.position());
      deadLetters.accept(record, bad.reason());
      counts.deadLettered(bad.reason());
      log.warn(
          "Record {}-{}@{} is not a well-formed CloudEvent ({}); sent to the dead-letter topic",
          record.topic(),
          record.partition(),
          record.offset(),
          bad.reason().getMessage());
    }
  }
}
