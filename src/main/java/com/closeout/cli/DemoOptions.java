package com.closeout.cli;

/**
 * The {@code demo} command's options.
 *
 * @param cases how many escalations to generate
 * @param seed the seed of the generator: the same seed gives the same cases
 * @param json print the report as one JSON object instead of a table
 * @param exit stop after the report instead of serving on
 */
public record DemoOptions(int cases, long seed, boolean json, boolean exit) {
  public static final int DEFAULT_CASES = 200;
  public static final long DEFAULT_SEED = 1L;

  public DemoOptions {
    if (cases < 1) {
      throw new IllegalArgumentException("cases must be at least 1");
    }
  }
}
