package com.closeout.bench;

/**
 * The unmeasured open loop run before the measured one, until the JIT compiler settled.
 *
 * @param parts parts run, each half the measured phase's length
 * @param seconds how long they took
 * @param compilerShare the JIT compiler's CPU over the last part's wall time (1 = a core); NaN
 *     where it cannot be read (then one part ran)
 * @param settled whether the last part's share was under the bound
 */
public record OpenLoopWarmup(int parts, double seconds, double compilerShare, boolean settled) {
  static OpenLoopWarmup unmetered(int parts, double seconds) {
    return new OpenLoopWarmup(parts, seconds, Double.NaN, false);
  }
}
