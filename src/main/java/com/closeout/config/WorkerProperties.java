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
 */
@ConfigurationProperties("closeout.worker")
public record WorkerProperties(Boolean enabled, Duration pollInterval, String workerId) {

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  public WorkerProperties {
    enabled = enabled == null || enabled;
    pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
    workerId = workerId == null || workerId.isBlank() ? defaultWorkerId() : workerId.strip();
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
