package com.closeout.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Which collector the measured JVM ran, and its pause-time goal: the open loop's tail moves with
 * the length of the young pauses (decision 0025), so a report says what it was measured with, and
 * the peer's JVM gets the same goal.
 */
public final class JvmCollector {
  private JvmCollector() {}

  /**
   * This JVM's collectors as they name themselves, and its pause goal where it has one, e.g. {@code
   * "G1 Young Generation, G1 Old Generation; pause goal 10 ms"} on Java 17.
   */
  public static String inThisJvm() {
    String collectors =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining(", "));
    OptionalLong goal = pauseGoalMillis();
    return goal.isPresent() ? collectors + "; pause goal " + goal.getAsLong() + " ms" : collectors;
  }

  /** This JVM's {@code MaxGCPauseMillis}; empty on a JVM without that option (not HotSpot's). */
  public static OptionalLong pauseGoalMillis() {
    HotSpotDiagnosticMXBean hotSpot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotSpot == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(hotSpot.getVMOption("MaxGCPauseMillis").getValue()));
    } catch (IllegalArgumentException e) {
      // No such option here (NumberFormatException is one too): the collectors' names say enough.
      return OptionalLong.empty();
    }
  }
}
