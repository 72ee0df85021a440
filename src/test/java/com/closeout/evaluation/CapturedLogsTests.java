package com.closeout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class CapturedLogsTests {
  private static final Logger LOG = LoggerFactory.getLogger(CapturedLogsTests.class);

  @Test
  void capturesMessagesAndStackTracesOnlyWhileAttached() {
    LOG.info("before: CANARY-0");
    CapturedLogs logs = CapturedLogs.attach();
    LOG.info("during: {}", "CANARY-1");
    LOG.warn("failed", new IllegalStateException("CANARY-2 in an exception"));
    logs.close();
    LOG.info("after: CANARY-3");

    assertThat(String.join("\n", logs.lines()))
        .contains("during: CANARY-1", "CANARY-2 in an exception")
        .doesNotContain("CANARY-0", "CANARY-3");
  }
}
