package com.closeout.evaluation;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Everything logged while a scenario runs, message and stack trace, so the leak count can look in
 * the logs too (SPEC §7.2 {@code restrictedLeaks}).
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final Logger root;

  private CapturedLogs(Logger root) {
    this.root = root;
  }

  /** Attaches to the root logger; without Logback there is nothing to capture. */
  static CapturedLogs attach() {
    if (!(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root)) {
      return new CapturedLogs(null);
    }
    CapturedLogs logs = new CapturedLogs(root);
    logs.setName("scenario-capture");
    logs.setContext(root.getLoggerContext());
    logs.start();
    root.addAppender(logs);
    return logs;
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(event.getFormattedMessage());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append('\n').append(ThrowableProxyUtil.asString(thrown));
    }
    if (event.getKeyValuePairs() != null) {
      event.getKeyValuePairs().forEach(pair -> line.append(' ').append(pair));
    }
    if (event.getMDCPropertyMap() != null) {
      line.append(' ').append(event.getMDCPropertyMap());
    }
    lines.add(line.toString());
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    if (root != null) {
      root.detachAppender(this);
    }
    stop();
  }
}
