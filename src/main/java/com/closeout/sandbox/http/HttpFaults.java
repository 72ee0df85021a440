package com.closeout.sandbox.http;

import com.closeout.domain.TargetSystem;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Faults the HTTP layer adds to the sandbox's own (SPEC §7.1): a scripted status for the next calls
 * to a system (429 with {@code Retry-After}, 409, 500 ...) and a delay before every answer (a slow
 * target). Thread-safe.
 */
final class HttpFaults {
  /** A scripted answer: {@code status}, with {@code Retry-After} seconds when not null. */
  record Scripted(int status, Integer retryAfterSeconds) {}

  private static final class Armed {
    private final Scripted answer;
    private int remaining;

    Armed(Scripted answer, int remaining) {
      this.answer = answer;
      this.remaining = remaining;
    }
  }

  private final Map<TargetSystem, Deque<Armed>> scripted = new EnumMap<>(TargetSystem.class);
  private final Map<TargetSystem, Duration> latency = new EnumMap<>(TargetSystem.class);

  synchronized void script(TargetSystem system, int status, int times, Integer retryAfterSeconds) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be positive");
    }
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    scripted
        .computeIfAbsent(system, s -> new ArrayDeque<>())
        .addLast(new Armed(new Scripted(status, retryAfterSeconds), times));
  }

  synchronized Optional<Scripted> take(TargetSystem system) {
    Deque<Armed> armed = scripted.get(system);
    if (armed == null || armed.isEmpty()) {
      return Optional.empty();
    }
    Armed head = armed.peekFirst();
    if (--head.remaining == 0) {
      armed.removeFirst();
    }
    return Optional.of(head.answer);
  }

  synchronized void delay(TargetSystem system, Duration delay) {
    if (delay.isZero()) {
      latency.remove(system);
    } else {
      latency.put(system, delay);
    }
  }

  synchronized Duration delay(TargetSystem system) {
    return latency.getOrDefault(system, Duration.ZERO);
  }
}
