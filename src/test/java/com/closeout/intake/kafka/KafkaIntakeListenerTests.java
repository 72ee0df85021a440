package com.closeout.intake.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.EventOutcome;
import com.closeout.intake.IncomingEvent;
import com.closeout.intake.IntakeReceipt;
import com.closeout.intake.format.CloudEventJsonReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;

/** The listener alone, on an intake that stores in memory and refuses what it is told to. */
class KafkaIntakeListenerTests {
  private final RefusingIntake intake = new RefusingIntake();
  private final List<Long> deadLettered = new ArrayList<>();
  private final KafkaIntakeListener listener =
      new KafkaIntakeListener(
          intake,
          new KafkaRecordReader(new CloudEventJsonReader()),
          (record, reason) -> deadLettered.add(record.offset()),
          new KafkaIntakeListener.IntakeCounts() {
            @Override
            public void received(IntakeReceipt receipt) {}

            @Override
            public void deadLettered(MalformedRecordException reason) {}
          });

  @Test
  void aPollsEventsGoInInOneTransactionAndItsMalformedRecordsAreDeadLettered() {
    listener.onMessage(List.of(event(0, "evt-a"), malformed(1), event(2, "evt-b")));

    assertThat(intake.transactions).containsExactly(List.of("evt-a", "evt-b"));
    assertThat(deadLettered).containsExactly(1L);
  }

  @Test
  void whenTheStoreRefusesAnEventTheMalformedRecordsBeforeItAreDeadLetteredFirst() {
    intake.refused = Set.of("evt-c");

    assertThatThrownBy(
            () ->
                listener.onMessage(
                    List.of(event(10, "evt-b"), malformed(11), event(12, "evt-c"), malformed(13))))
        .isInstanceOfSatisfying(
            BatchListenerFailedException.class,
            refused -> assertThat(refused.getRecord().offset()).isEqualTo(12));
    // The container commits offsets 10 and 11: 11 is in the dead-letter topic, 13 is not yet (it
    // comes again with 12).
    assertThat(deadLettered).containsExactly(11L);
    assertThat(intake.stored).containsExactly("evt-b");
  }

  @Test
  void aRefusedFirstEventLetsNothingPastIt() {
    intake.refused = Set.of("evt-a");

    assertThatThrownBy(() -> listener.onMessage(List.of(event(0, "evt-a"), malformed(1))))
        .isInstanceOfSatisfying(
            BatchListenerFailedException.class,
            refused -> assertThat(refused.getRecord().offset()).isZero());
    assertThat(deadLettered).isEmpty();
    assertThat(intake.stored).isEmpty();
  }

  /** Stores in memory; a transaction holding a refused event fails whole, as the store's would. */
  private static final class RefusingIntake implements KafkaIntakeListener.Intake {
    Set<String> refused = Set.of();
    final List<List<String>> transactions = new ArrayList<>();
    final List<String> stored = new ArrayList<>();

    @Override
    public List<IntakeReceipt> receiveAll(List<IncomingEvent> events) {
      List<String> ids = events.stream().map(e -> e.id().value()).toList();
      if (ids.stream().anyMatch(refused::contains)) {
        throw new IllegalStateException("the store refused the transaction (test)");
      }
      transactions.add(ids);
      stored.addAll(ids);
      return ids.stream()
          .map(id -> IntakeReceipt.of(id, EventOutcome.CLOSURE_STARTED, 1L))
          .toList();
    }

    @Override
    public IntakeReceipt receive(IncomingEvent event) {
      return receiveAll(List.of(event)).get(0);
    }
  }

  private static ConsumerRecord<byte[], byte[]> event(long offset, String id) {
    String json =
        """
        {"specversion":"1.0","id":"%s","source":"urn:support:review-board",
         "type":"support.review.disposition.finalized","subject":"ESC-1",
         "datacontenttype":"application/json",
         "data":{"escalationId":"ESC-1","episodeId":"EP-1","disposition":"CLOSURE_APPROVED",
           "dispositionVersion":1,"finalizedAt":"2026-11-20T10:14:58Z",
           "archiveRefs":[],"requestedActions":[]}}"""
            .formatted(id);
    return record(offset, json);
  }

  private static ConsumerRecord<byte[], byte[]> malformed(long offset) {
    return record(offset, "{not json");
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String value) {
    return new ConsumerRecord<>("events", 0, offset, null, value.getBytes(StandardCharsets.UTF_8));
  }
}
