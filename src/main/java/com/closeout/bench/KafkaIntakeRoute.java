package com.closeout.bench;

import com.closeout.config.KafkaIntakeConfiguration;
import com.closeout.config.KafkaIntakeProperties;
import com.closeout.domain.EventOutcome;
import com.closeout.intake.IntakeReceipt;
import com.closeout.intake.format.CloudEventJsonReader;
import com.closeout.intake.kafka.KafkaIntakeListener;
import com.closeout.intake.kafka.MalformedRecordException;
import com.closeout.propagation.CloseoutEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * The open-loop phase's events through a Kafka broker: the sender publishes each case's event as it
 * falls due, and Closeout's own Kafka intake (the container {@code serve} runs, with its default
 * fetch settings) takes them into the engine. A case is accepted when intake's transaction for it
 * has committed, as on the direct route.
 */
final class KafkaIntakeRoute implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final DefaultKafkaProducerFactory<byte[], byte[]> deadLetters;
  private final ConcurrentMessageListenerContainer<byte[], byte[]> container;
  private final Consumer<RuntimeException> failure;

  private KafkaIntakeRoute(
      String topic,
      KafkaProducer<byte[], byte[]> producer,
      DefaultKafkaProducerFactory<byte[], byte[]> deadLetters,
      ConcurrentMessageListenerContainer<byte[], byte[]> container,
      Consumer<RuntimeException> failure) {
    this.topic = topic;
    this.producer = producer;
    this.deadLetters = deadLetters;
    this.container = container;
    this.failure = failure;
  }

  /**
   * Creates the phase's topic, starts intake on it and waits until it owns the partition.
   *
   * @param accepted called with a case's number once intake has committed its event
   * @param failure called with anything that went wrong on intake's side or the sender's
   */
  static KafkaIntakeRoute start(
      String bootstrap,
      String topic,
      BenchCases cases,
      CloseoutEngine engine,
      CloudEventJsonReader reader,
      java.util.function.IntConsumer accepted,
      Consumer<RuntimeException> failure)
      throws InterruptedException {
    Map<String, Object> client = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    KafkaIntakeProperties settings =
        new KafkaIntakeProperties(
            true, topic, "closeout-bench-" + topic, null, null, null, null, null, null, null);
    try (Admin admin = Admin.create(client)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(settings.topic(), 1, (short) 1),
                  new NewTopic(settings.deadLetterTopic(), 1, (short) 1)))
          .all()
          .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create the topic " + topic, e);
    }
    DefaultKafkaProducerFactory<byte[], byte[]> deadLetters =
        KafkaIntakeConfiguration.deadLetterProducers(client);
    KafkaIntakeListener.IntakeCounts counts =
        new KafkaIntakeListener.IntakeCounts() {
          @Override
          public void received(IntakeReceipt receipt) {
            int index = cases.indexOfEvent(receipt.eventId());
            if (index < 0 || receipt.outcome() != EventOutcome.CLOSURE_STARTED) {
              failure.accept(
                  new IllegalStateException(
                      "event " + receipt.eventId() + " was " + receipt.outcome()));
              return;
            }
            accepted.accept(index);
          }

          @Override
          public void deadLettered(MalformedRecordException reason) {
            failure.accept(new IllegalStateException("the benchmark sent a malformed event"));
          }
        };
    ConcurrentMessageListenerContainer<byte[], byte[]> container =
        KafkaIntakeConfiguration.container(
            client, settings, deadLetters, engine, reader, null, counts);
    container.setBeanName("bench-kafka-intake");
    container.start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (container.getAssignedPartitions() == null
        || container.getAssignedPartitions().isEmpty()) {
      if (System.nanoTime() > deadline) {
        container.stop();
        deadLetters.destroy();
        throw new IllegalStateException("Kafka intake was given no partition within 60 s");
      }
      Thread.sleep(20);
    }
    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            // Each event leaves as soon as it is due, as a review board would publish it.
            ProducerConfig.LINGER_MS_CONFIG,
            0,
            ProducerConfig.ACKS_CONFIG,
            "all");
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    return new KafkaIntakeRoute(topic, producer, deadLetters, container, failure);
  }

  /** Publishes one event; it is not waited for (intake's commit marks the case accepted). */
  void send(byte[] eventJson) {
    producer.send(
        new ProducerRecord<>(topic, eventJson),
        (metadata, error) -> {
          if (error != null) {
            failure.accept(new IllegalStateException("publishing an event failed", error));
          }
        });
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
    container.stop();
    deadLetters.destroy();
  }
}
