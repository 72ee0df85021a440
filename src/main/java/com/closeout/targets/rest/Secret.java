package com.closeout.targets.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A credential read from a file or the environment, never from configuration text. It prints as
 * {@code [redacted]} wherever it ends up (a record's toString, a log line, an error message), and
 * its source is named without its value.
 */
public final class Secret {
  private final String value;
  private final String source;

  private Secret(String value, String source) {
    this.value = value;
    this.source = source;
  }

  /** The file's content, trailing line breaks removed (files written by editors end with one). */
  public static Secret fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
      if (text.isEmpty()) {
        throw new IllegalStateException("secret file " + file + " is empty");
      }
      return new Secret(text, "file " + file);
    } catch (IOException e) {
      // The path is configuration, not secret; the content never reaches a message.
      throw new UncheckedIOException("cannot read secret file " + file, e);
    }
  }

  /** The variable's value in {@code environment} (normally {@link System#getenv()}). */
  public static Secret fromEnvironment(String variable, Map<String, String> environment) {
    Objects.requireNonNull(variable, "variable");
    String value = environment.get(variable);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException("environment variable " + variable + " is not set");
    }
    return new Secret(value, "environment variable " + variable);
  }

  /** For tests and for secrets already held in memory by a caller. */
  public static Secret of(String value, String source) {
    Objects.requireNonNull(value, "value");
    return new Secret(value, source);
  }

  /** The value, for the one place that puts it on the wire. */
  public String reveal() {
    return value;
  }

  /** Where the secret came from, e.g. {@code file /run/secrets/tracker-token}. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "[redacted]";
  }
}
