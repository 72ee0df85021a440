package com.closeout.bench.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One Kafka broker (KRaft, broker and controller in one node) for {@code closeout bench --intake
 * kafka}: Kafka's own in-process test cluster, in a JVM of its own, so its CPU and heap are not
 * Closeout's. Prints {@code bootstrap=HOST:PORT} on stdout once the broker takes clients, then runs
 * until its stdin closes (the bench ends, or dies), and removes its logs. With {@code
 * --exit-when-ready} it stops as soon as it has printed the address (the build's smoke test).
 */
public final class LocalBroker {
  private LocalBroker() {}

  public static void main(String[] args) throws Exception {
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .build();
    try (KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(nodes)
            .setConfigProp("auto.create.topics.enable", "false")
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build()) {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      System.out.println("bootstrap=" + cluster.bootstrapServers());
      System.out.flush();
      if (!List.of(args).contains("--exit-when-ready")) {
        drain(System.in);
      }
    }
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // Only the end of the stream matters.
    }
  }
}
