package com.closeout.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code closeout.intake.kafka.*}: the Kafka intake, beside the webhook. The broker, security and
 * client settings are Boot's {@code spring.kafka.*}; these are the ones intake decides itself.
 *
 * @param enabled whether {@code serve} consumes the topic (off by default: no broker is assumed)
 * @param topic the topic the review board's disposition events are published on
 * @param groupId the consumer group; every instance of Closeout joins the same one
 * @param deadLetterTopic where records that are not a well-formed CloudEvent go, with the reason in
 *     their headers (the sender cannot be answered, and skipping them silently would lose them)
 * @param concurrency consumers in this instance (a partition is read by one consumer of the group
 *     at a time)
 * @param maxPollRecords most records in one poll, and so in one intake transaction
 * @param fetchMinSize the broker holds a fetch until this much has arrived or {@code fetchMaxWait}
 *     has passed. Kafka's default, 1 byte, hands over whatever has arrived; more makes one intake
 *     transaction serve several events at moderate rates, at the price of that wait for a lone
 *     event. On the two-core benchmark machine a wait for company made no difference a run could
 *     tell apart (decision 0022), so the default is Kafka's
 * @param fetchMaxWait the longest a fetch is held for {@code fetchMinSize} (Kafka's default)
 * @param retryInitialDelay first pause before a poll's records are offered again after intake
 *     failed (the store is down); the pause doubles up to {@code retryMaxDelay}, and retries never
 *     end, because skipping a record would lose a closure
 * @param retryMaxDelay longest pause between two attempts
 */
@ConfigurationProperties("closeout.intake.kafka")
public record KafkaIntakeProperties(
    Boolean enabled,
    String topic,
    String groupId,
    String deadLetterTopic,
    Integer concurrency,
    Integer maxPollRecords,
    DataSize fetchMinSize,
    Duration fetchMaxWait,
    Duration retryInitialDelay,
    Duration retryMaxDelay) {

  public static final String DEFAULT_TOPIC = "support.review.disposition-events";
  public static final String DEFAULT_GROUP_ID = "closeout-intake";
  public static final int DEFAULT_MAX_POLL_RECORDS = 64;
  public static final DataSize DEFAULT_FETCH_MIN_SIZE = DataSize.ofBytes(1);
  public static final Duration DEFAULT_FETCH_MAX_WAIT = Duration.ofMillis(500);
  public static final Duration DEFAULT_RETRY_INITIAL_DELAY = Duration.ofMillis(200);
  public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofSeconds(30);

  public KafkaIntakeProperties {
    enabled = enabled != null && enabled;
    topic = blankToNull(topic) == null ? DEFAULT_TOPIC : topic.strip();
    groupId = blankToNull(groupId) == null ? DEFAULT_GROUP_ID : groupId.strip();
    deadLetterTopic =
        blankToNull(deadLetterTopic) == null ? topic + ".malformed" : deadLetterTopic.strip();
    concurrency = concurrency == null ? 1 : concurrency;
    maxPollRecords = maxPollRecords == null ? DEFAULT_MAX_POLL_RECORDS : maxPollRecords;
    fetchMinSize = fetchMinSize == null ? DEFAULT_FETCH_MIN_SIZE : fetchMinSize;
    fetchMaxWait = fetchMaxWait == null ? DEFAULT_FETCH_MAX_WAIT : fetchMaxWait;
    retryInitialDelay = retryInitialDelay == null ? DEFAULT_RETRY_INITIAL_DELAY : retryInitialDelay;
    retryMaxDelay = retryMaxDelay == null ? DEFAULT_RETRY_MAX_DELAY : retryMaxDelay;
    if (deadLetterTopic.equals(topic)) {
      throw new IllegalArgumentException(
          "closeout.intake.kafka.dead-letter-topic must differ from the topic");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("closeout.intake.kafka.concurrency must be at least 1");
    }
    if (maxPollRecords < 1) {
      throw new IllegalArgumentException(
          "closeout.intake.kafka.max-poll-records must be at least 1");
    }
    if (fetchMinSize.toBytes() < 1 || fetchMinSize.toBytes() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("closeout.intake.kafka.fetch-min-size is out of range");
    }
    if (fetchMaxWait.isNegative() || fetchMaxWait.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("closeout.intake.kafka.fetch-max-wait is out of range");
    }
    if (retryInitialDelay.isNegative()
        || retryInitialDelay.isZero()
        || retryMaxDelay.compareTo(retryInitialDelay) < 0) {
      throw new IllegalArgumentException(
          "closeout.intake.kafka.retry-initial-delay must be positive and at most"
              + " retry-max-delay");
    }
  }

  public static KafkaIntakeProperties defaults() {
    return new KafkaIntakeProperties(null, null, null, null, null, null, null, null, null, null);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
