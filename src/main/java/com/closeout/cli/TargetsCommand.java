package com.closeout.cli;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Each target system of the running Closeout: kind, base URL, breaker and rate limiter. */
final class TargetsCommand implements CliCommand {

  @Override
  public String name() {
    return "targets";
  }

  @Override
  public String usage() {
    return "targets [--json] [--server URL]";
  }

  @Override
  public String summary() {
    return "show each target system's kind, base URL, circuit breaker and rate limiter";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Arguments arguments = Arguments.parse(args, Set.of("--json"), Set.of(ServerClient.OPTION));
    arguments.expectPositionals(0, "nothing");
    ServerClient server = ServerClient.of(arguments, context);
    ServerClient.Answer answer = server.targets();
    if (!answer.ok() || !answer.body().isArray()) {
      context.err().printf("closeout targets: %s answered %s%n", server.base(), answer.describe());
      return FAILED;
    }
    if (arguments.flag("--json")) {
      context.out().println(server.write(answer.body()));
      return OK;
    }
    context
        .out()
        .printf(
            "%-13s %-8s %-32s %-10s %-9s %s%n",
            "system", "kind", "base URL", "breaker", "failures", "permissions");
    for (JsonNode target : answer.body()) {
      JsonNode guard = target.path("guard");
      float failureRate = (float) guard.path("failureRate").asDouble(-1);
      context
          .out()
          .printf(
              "%-13s %-8s %-32s %-10s %-9s %d/%d per %d ms%s%n",
              target.path("system").asString(),
              target.path("kind").asString(),
              target.path("baseUrl").isNull() || target.path("baseUrl").isMissingNode()
                  ? "(in memory)"
                  : target.path("baseUrl").asString(),
              guard.path("breakerState").asString(),
              failureRate < 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", failureRate),
              guard.path("availablePermissions").asInt(),
              guard.path("limitForPeriod").asInt(),
              guard.path("limitRefreshPeriodMillis").asLong(),
              guard.path("waitingThreads").asInt() > 0
                  ? " (" + guard.path("waitingThreads").asInt() + " waiting)"
                  : "");
    }
    return OK;
  }
}
