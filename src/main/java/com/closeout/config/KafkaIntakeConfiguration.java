package com.closeout.config;

import com.closeout.intake.IntakeReceipt;
import com.closeout.intake.format.CloudEventJsonReader;
import com.closeout.intake.kafka.KafkaIntakeListener;
import com.closeout.intake.kafka.KafkaRecordReader;
import com.closeout.intake.kafka.MalformedRecordException;
import com.closeout.propagation.CloseoutEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The Kafka intake of {@code serve}, when {@code closeout.intake.kafka.enabled}: one listener
 * container on the event topic, its offsets committed after each poll's intake transaction, and a
 * producer for the dead-letter topic. Broker address, security and other client settings come from
 * Boot's {@code spring.kafka.*}; what intake depends on (byte values, no auto-commit, the fetch
 * wait) is set here and wins.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("closeout.intake.kafka.enabled")
@EnableConfigurationProperties(KafkaProperties.class)
public class KafkaIntakeConfiguration {

  @Bean
  DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducerFactory(KafkaProperties kafka) {
    return deadLetterProducers(kafka.buildProducerProperties());
  }

  @Bean
  ConcurrentMessageListenerContainer<byte[], byte[]> kafkaIntakeContainer(
      KafkaProperties kafka,
      KafkaIntakeProperties settings,
      DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducerFactory,
      CloseoutEngine engine,
      CloudEventJsonReader reader,
      ObjectProvider<MeterRegistry> meters) {
    MeterRegistry registry = meters.getIfAvailable();
    return container(
        kafka.buildConsumerProperties(),
        settings,
        deadLetterProducerFactory,
        engine,
        reader,
        registry,
        registry == null ? NO_COUNTS : new MeteredCounts(registry));
  }

  /** The dead-letter producer on the given client settings (Boot's, or the bench's). */
  public static DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducers(
      Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    // A dead letter stands in for an answer to the sender: it must not be lost or doubled.
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new DefaultKafkaProducerFactory<>(config);
  }

  /**
   * The intake's listener container, not started: what {@code serve} runs, and what {@code bench
   * --intake kafka} runs against its own broker.
   *
   * @param clientConfig the consumer's client settings (broker, security); intake's own win
   * @param registry for the Kafka clients' metrics; null for none
   */
  public static ConcurrentMessageListenerContainer<byte[], byte[]> container(
      Map<String, Object> clientConfig,
      KafkaIntakeProperties settings,
      DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducers,
      CloseoutEngine engine,
      CloudEventJsonReader reader,
      MeterRegistry registry,
      KafkaIntakeListener.IntakeCounts counts) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
    config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, (int) settings.fetchMinSize().toBytes());
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) settings.fetchMaxWait().toMillis());
    // A new group starts at the beginning: events published before Closeout first ran are taken.
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Events of an aborted transaction were never emitted.
    config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    DefaultKafkaConsumerFactory<byte[], byte[]> consumers =
        new DefaultKafkaConsumerFactory<>(config);
    if (registry != null) {
      consumers.addListener(new MicrometerConsumerListener<>(registry));
    }

    DeadLetterPublishingRecoverer deadLetters =
        new DeadLetterPublishingRecoverer(
            new KafkaTemplate<>(deadLetterProducers),
            (record, reason) -> new TopicPartition(settings.deadLetterTopic(), -1));
    deadLetters.setVerifyPartition(false);
    deadLetters.setFailIfSendResultIsError(true);

    KafkaIntakeListener listener =
        new KafkaIntakeListener(
            KafkaIntakeListener.of(engine),
            new KafkaRecordReader(reader),
            deadLetters::accept,
            counts);

    ContainerProperties container = new ContainerProperties(settings.topic());
    container.setGroupId(settings.groupId());
    container.setAckMode(ContainerProperties.AckMode.BATCH);
    container.setMessageListener(listener);
    ConcurrentMessageListenerContainer<byte[], byte[]> intake =
        new ConcurrentMessageListenerContainer<>(consumers, container);
    intake.setConcurrency(settings.concurrency());
    ExponentialBackOff backOff =
        new ExponentialBackOff(settings.retryInitialDelay().toMillis(), 2.0);
    backOff.setMaxInterval(settings.retryMaxDelay().toMillis());
    // No recoverer is ever reached: the back-off never runs out, so no record is skipped.
    intake.setCommonErrorHandler(new DefaultErrorHandler(backOff));
    return intake;
  }

  private static final KafkaIntakeListener.IntakeCounts NO_COUNTS =
      new KafkaIntakeListener.IntakeCounts() {
        @Override
        public void received(IntakeReceipt receipt) {}

        @Override
        public void deadLettered(MalformedRecordException reason) {}
      };

  /** {@code closeout.intake.kafka.records}, tagged with what intake made of each record. */
  private record MeteredCounts(MeterRegistry registry) implements KafkaIntakeListener.IntakeCounts {
    @Override
    public void received(IntakeReceipt receipt) {
      counter(receipt.redelivery() ? "REDELIVERY" : receipt.outcome().name()).increment();
    }

    @Override
    public void deadLettered(MalformedRecordException reason) {
      counter("MALFORMED").increment();
    }

    private Counter counter(String outcome) {
      return Counter.builder("closeout.intake.kafka.records")
          .description("Records taken from the event topic, by what intake made of them")
          .tag("outcome", outcome)
          .register(registry);
    }
  }
}
