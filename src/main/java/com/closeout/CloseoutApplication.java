package com.closeout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;

/**
 * Boot's Kafka beans (a template, an admin, a listener factory) are left out: the Kafka intake
 * builds the only consumer and producer it needs, and only when it is on ({@code
 * config.KafkaIntakeConfiguration}), so no command creates clients for a broker it never uses.
 */
@SpringBootApplication(exclude = KafkaAutoConfiguration.class)
public class CloseoutApplication {
  public static void main(String[] args) {
    SpringApplication.run(CloseoutApplication.class, args);
  }
}
