package com.closeout.intake.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.closeout.domain.EventOutcome;
import com.closeout.intake.InboxEntry;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/**
 * The service as {@code serve} assembles it with the Kafka intake on, against an in-process broker
 * and a schema of its own: records are taken in both CloudEvents modes, offsets move on only past
 * what is stored or dead-lettered, and a store that is down loses nothing.
 */
@SpringBootTest(
    properties = {
      "spring.datasource.url=jdbc:postgresql://127.0.0.1/isolated-schema",
      "spring.flyway.enabled=false",
      "closeout.worker.enabled=false",
      "closeout.intake.kafka.enabled=true",
      "closeout.intake.kafka.topic=" + KafkaIntakeIntegrationTests.TOPIC,
      "closeout.intake.kafka.retry-initial-delay=50ms",
      "closeout.intake.kafka.retry-max-delay=200ms",
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}"
    })
@EmbeddedKafka(
    partitions = 1,
    topics = {KafkaIntakeIntegrationTests.TOPIC, KafkaIntakeIntegrationTests.DEAD_LETTERS})
class KafkaIntakeIntegrationTests {
  static final String TOPIC = "disposition-events";
  static final String DEAD_LETTERS = TOPIC + ".malformed";

  private static final IsolatedSchema schema = TestDatabase.freshSchema("kafka");
  private static final SwitchableStore store = new SwitchableStore(schema.dataSource());

  @TestConfiguration
  static class Store {
    @Bean
    @Primary
    DataSource dataSource() {
      return store;
    }
  }

  @AfterAll
  static void dropSchema() {
    schema.close();
  }

  @Autowired EmbeddedKafkaBroker broker;
  @Autowired CloseoutStores stores;
  @Autowired MeterRegistry meters;

  @AfterEach
  void storeIsUpAgain() {
    store.down.set(false);
  }

  @Test
  void aStructuredEventIsStoredAndStartsAClosure() {
    send(structured("evt-k-1", "ESC-K1", "3"));

    InboxEntry entry = awaitStored("evt-k-1");
    assertThat(entry.outcome()).isEqualTo(EventOutcome.CLOSURE_STARTED);
    assertThat(entry.escalationId()).isEqualTo("ESC-K1");
    assertThat(entry.dispositionVersion()).isEqualTo(3);
  }

  @Test
  void aBinaryModeEventIsStoredTheSameWay() {
    send(
        new ProducerRecord<>(
            TOPIC,
            null,
            bytes("ESC-K2"),
            bytes(data("ESC-K2", "4")),
            BinaryModeHeaders.of("evt-k-2", "ESC-K2")));

    InboxEntry entry = awaitStored("evt-k-2");
    assertThat(entry.outcome()).isEqualTo(EventOutcome.CLOSURE_STARTED);
    assertThat(entry.escalationId()).isEqualTo("ESC-K2");
    assertThat(entry.dispositionVersion()).isEqualTo(4);
  }

  @Test
  void aRedeliveredRecordStartsNoSecondClosure() {
    double before = count("REDELIVERY");
    send(structured("evt-k-3", "ESC-K3", "2"));
    send(structured("evt-k-3", "ESC-K3", "2"));

    await().atMost(Duration.ofSeconds(20)).until(() -> count("REDELIVERY") >= before + 1);
    assertThat(stores.inbox().all().stream().filter(e -> e.eventId().equals("evt-k-3")))
        .singleElement()
        .extracting(InboxEntry::outcome)
        .isEqualTo(EventOutcome.CLOSURE_STARTED);
  }

  @Test
  void aMalformedRecordGoesToTheDeadLetterTopicWithTheFieldAndTheNextOneIsStillTaken() {
    send(structured("evt-k-bad", "ESC-K4", "\"three\""));
    send(structured("evt-k-4", "ESC-K4", "3"));

    awaitStored("evt-k-4");
    assertThat(stores.inbox().find("evt-k-bad")).isEmpty();
    try (Consumer<String, String> consumer = deadLetterConsumer()) {
      broker.consumeFromAnEmbeddedTopic(consumer, DEAD_LETTERS);
      ConsumerRecord<String, String> dead =
          KafkaTestUtils.getSingleRecord(consumer, DEAD_LETTERS, Duration.ofSeconds(20));
      assertThat(dead.value()).contains("\"id\":\"evt-k-bad\"");
      String reason =
          new String(
              dead.headers().lastHeader("kafka_dlt-exception-message").value(),
              StandardCharsets.UTF_8);
      assertThat(reason).startsWith("data.dispositionVersion: expected ").doesNotContain("three");
      assertThat(dead.headers().lastHeader("kafka_dlt-original-topic").value())
          .isEqualTo(bytes(TOPIC));
    }
  }

  @Test
  void anEventSentWhileTheStoreIsDownIsStoredOnceItIsBack() {
    store.down.set(true);
    int refusedBefore = store.refused.get();
    send(structured("evt-k-5", "ESC-K5", "5"));

    // Intake tried and was refused more than once; the record was neither skipped nor committed.
    await().atMost(Duration.ofSeconds(20)).until(() -> store.refused.get() >= refusedBefore + 3);
    store.down.set(false);

    assertThat(awaitStored("evt-k-5").outcome()).isEqualTo(EventOutcome.CLOSURE_STARTED);
  }

  private InboxEntry awaitStored(String eventId) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> stores.inbox().find(eventId), found -> found.isPresent())
        .orElseThrow();
  }

  private double count(String outcome) {
    var counter = meters.find("closeout.intake.kafka.records").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private Consumer<String, String> deadLetterConsumer() {
    Map<String, Object> config = KafkaTestUtils.consumerProps(broker, "dead-letter-reader", false);
    config.put("auto.offset.reset", "earliest");
    config.put("key.deserializer", StringDeserializer.class);
    config.put("value.deserializer", StringDeserializer.class);
    return new org.apache.kafka.clients.consumer.KafkaConsumer<>(config);
  }

  private void send(ProducerRecord<byte[], byte[]> record) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException("the test could not publish", e);
    }
  }

  private static ProducerRecord<byte[], byte[]> structured(
      String id, String escalation, String version) {
    String json =
        """
        {"specversion":"1.0","id":"%s","source":"urn:support:review-board",
         "type":"support.review.disposition.finalized","subject":"%s",
         "time":"2026-11-20T10:15:00Z","datacontenttype":"application/json",
         "data":%s}
        """
            .formatted(id, escalation, data(escalation, version));
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(TOPIC, null, bytes(escalation), bytes(json));
    header(record, "content-type", "application/cloudevents+json; charset=UTF-8");
    return record;
  }

  private static String data(String escalation, String version) {
    return """
        {"escalationId":"%s","episodeId":"EP-7","disposition":"CLOSURE_APPROVED",
         "dispositionVersion":%s,"finalizedAt":"2026-11-20T10:14:58Z",
         "archiveRefs":[],"requestedActions":[]}"""
        .formatted(escalation, version);
  }

  private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
    record.headers().add(new RecordHeader(name, bytes(value)));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The schema's pool, refusing connections while {@code down}, as a store that is unreachable. */
  static final class SwitchableStore extends DelegatingDataSource {
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicInteger refused = new AtomicInteger();

    SwitchableStore(DataSource pool) {
      super(pool);
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (down.get()) {
        refused.incrementAndGet();
        throw new SQLException("the store is down (test)", "08001");
      }
      return super.getConnection();
    }
  }
}
