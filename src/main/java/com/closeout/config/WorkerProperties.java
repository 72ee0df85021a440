package com.closeout.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code closeout.worker.*}: the background worker of {@code serve}.
 *
 * @param enabled whether the worker starts with the application (one-shot commands turn it off)
 * @param pollInterval pause between two polls of the due closures
 * @param workerId the lease owner this instance writes; unique per running process
 * @param parallelism closures of one claimed batch worked at once, so slow targets overlap
 * @param threads worker threads at most, each claiming batches of its own: while one commits,
 *     another's target calls run, and the store works on more than one connection; below the load
 *     at which a claim comes back full one thread works and gathers (decision 0011)
 */
@ConfigurationProperties("closeout.worker")
public record WorkerProperties(
    Boolean enabled, Duration pollInterval, String workerId, Integer parallelism, Integer threads) {

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_PARALLELISM = 8;
  public static final int DEFAULT_THREADS = 2;

  public WorkerProperties {
    enabled = enabled == null || enabled;
    pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
    workerId = workerId == null || workerId.isBlank() ? defaultWorkerId() : workerId.strip();
    parallelism = parallelism == null ? DEFAULT_PARALLELISM : parallelism;
    threads = threads == null ? DEFAULT_THREADS : threads;
    if (threads < 1) {
      throw new IllegalArgumentException("closeout.worker.threads must be at least 1");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("closeout.worker.parallelism must be at least 1");
    }
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("closeout.worker.poll-interval must be positive");
    }
  }

  /** Host name and process id: two instances on one host never share a lease owner. */
  static String defaultWorkerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + ":" + ProcessHandle.current().pid();
  }
}
