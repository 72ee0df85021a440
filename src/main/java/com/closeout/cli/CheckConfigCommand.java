package com.closeout.cli;

import com.closeout.targets.resilience.ConfiguredTargets;
import com.closeout.targets.rest.TargetCheck;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * Read-only calls to each configured target system (closeout.targets.*): reachable, credentials
 * accepted, answers in the contract's shape. Exit 1 when any system fails.
 */
final class CheckConfigCommand implements CliCommand {

  @Override
  public String name() {
    return "check-config";
  }

  @Override
  public String usage() {
    return "check-config [--json]";
  }

  @Override
  public String summary() {
    return "make read-only calls to each configured target: reachable / auth ok / contract ok";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Arguments arguments = Arguments.parse(args, Set.of("--json"), Set.of());
    arguments.expectPositionals(0, "nothing");
    Optional<ConfiguredTargets> targets = context.services().find(ConfiguredTargets.class);
    if (targets.isEmpty()) {
      context.err().println("closeout check-config: this build has no configured targets");
      return FAILED;
    }
    List<TargetCheck> checks = targets.get().check();
    if (arguments.flag("--json")) {
      context.out().println(JsonMapper.builder().build().writeValueAsString(checks));
    } else {
      context
          .out()
          .printf(
              "%-13s %-8s %-32s %-9s %-7s %-8s %s%n",
              "system", "kind", "base URL", "reachable", "auth", "contract", "detail");
      for (TargetCheck check : checks) {
        context
            .out()
            .printf(
                "%-13s %-8s %-32s %-9s %-7s %-8s %s%n",
                check.system().wireName(),
                check.kind(),
                check.baseUrl() == null ? "(in memory)" : check.baseUrl(),
                check.checked() ? yes(check.reachable()) : "not checked",
                check.checked() && check.reachable() ? yes(check.authOk()) : "-",
                check.checked() && check.authOk() ? yes(check.contractOk()) : "-",
                check.detail());
      }
    }
    return checks.stream().allMatch(TargetCheck::passed) ? OK : FAILED;
  }

  private static String yes(boolean ok) {
    return ok ? "ok" : "FAILED";
  }
}
