package com.closeout.cli;

import com.closeout.sandbox.SandboxSystems;
import com.closeout.sandbox.http.SandboxHttpServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Serves empty sandbox systems over HTTP on the reference contract (docs/api/targets.openapi.yaml)
 * until stopped, with {@code /sandbox/admin/...} to load records and inject faults. No store, no
 * Spring: it starts in a moment.
 */
final class SandboxCommand implements CliCommand {
  static final int DEFAULT_PORT = 8089;

  private final Consumer<SandboxHttpServer> awaitStop;

  SandboxCommand() {
    this(SandboxCommand::untilStopped);
  }

  /** For tests: what to do once serving, instead of waiting for Ctrl-C. */
  SandboxCommand(Consumer<SandboxHttpServer> awaitStop) {
    this.awaitStop = awaitStop;
  }

  @Override
  public String name() {
    return "sandbox";
  }

  @Override
  public String usage() {
    return "sandbox [--port P] [--host H] [--bearer-token-env NAME]";
  }

  @Override
  public String summary() {
    return "serve the sandbox systems over HTTP on the targets contract (default port 8089)";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Arguments arguments =
        Arguments.parse(args, Set.of(), Set.of("--port", "--host", "--bearer-token-env"));
    arguments.expectPositionals(0, "nothing");
    long port = arguments.longOption("--port", DEFAULT_PORT, 0);
    if (port > 65_535) {
      throw new UsageException("--port must be at most 65535");
    }
    String host = arguments.option("--host").orElse("127.0.0.1").strip();
    String requiredAuthorization = null;
    if (arguments.option("--bearer-token-env").isPresent()) {
      String variable = arguments.option("--bearer-token-env").get().strip();
      String token = context.environment(variable);
      if (token == null || token.isBlank()) {
        throw new UsageException("environment variable " + variable + " is not set");
      }
      requiredAuthorization = "Bearer " + token.strip();
    }
    SandboxHttpServer server =
        SandboxHttpServer.start(
            new SandboxSystems(), new InetSocketAddress(host, (int) port), requiredAuthorization);
    context
        .err()
        .printf(
            "closeout: sandbox systems on %s (contract: docs/api/targets.openapi.yaml,"
                + " admin: %s/sandbox/admin/...); stop with Ctrl-C%n",
            server.baseUrl(), server.baseUrl());
    context.err().flush();
    try {
      awaitStop.accept(server);
    } finally {
      server.close();
    }
    return OK;
  }

  private static void untilStopped(SandboxHttpServer server) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "sandbox-stop"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
