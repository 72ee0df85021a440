package com.closeout.targets.web;

import com.closeout.targets.resilience.ConfiguredTargets;
import com.closeout.targets.resilience.ConfiguredTargets.TargetStatus;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Read-only: each configured target's kind, base URL, breaker state and limiter permissions. */
@RestController
public class TargetsController {
  private final ConfiguredTargets targets;

  public TargetsController(ConfiguredTargets targets) {
    this.targets = targets;
  }

  @GetMapping("/api/v1/targets")
  public List<TargetStatus> targets() {
    return targets.statuses();
  }
}
