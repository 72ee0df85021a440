package com.closeout.cli;

import java.net.URI;
import java.util.Objects;

/**
 * The {@code demo} command's options.
 *
 * @param cases how many escalations to generate
 * @param seed the seed of the generator: the same seed gives the same cases
 * @param json print the report as one JSON object instead of a table
 * @param exit stop after the report instead of serving on
 * @param targets how the engine reaches the sandbox systems: in memory, or over HTTP
 * @param sandboxUrl with {@code targets=HTTP}, a sandbox server already running ({@code closeout
 *     sandbox}); null starts one in this process on a free loopback port
 */
public record DemoOptions(
    int cases, long seed, boolean json, boolean exit, Targets targets, URI sandboxUrl) {
  public static final int DEFAULT_CASES = 200;
  public static final long DEFAULT_SEED = 1L;

  /** {@code --targets}: the sandbox objects in this process, or the REST adapters over HTTP. */
  public enum Targets {
    SANDBOX,
    HTTP
  }

  public DemoOptions {
    if (cases < 1) {
      throw new IllegalArgumentException("cases must be at least 1");
    }
    Objects.requireNonNull(targets, "targets");
    if (sandboxUrl != null && targets != Targets.HTTP) {
      throw new IllegalArgumentException("a sandbox URL needs targets HTTP");
    }
  }

  /** The in-memory demo. */
  public DemoOptions(int cases, long seed, boolean json, boolean exit) {
    this(cases, seed, json, exit, Targets.SANDBOX, null);
  }
}
