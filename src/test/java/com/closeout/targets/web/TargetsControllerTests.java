package com.closeout.targets.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.closeout.config.TargetsAssembly;
import com.closeout.config.TargetsProperties;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.resilience.ConfiguredTargets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(TargetsController.class)
class TargetsControllerTests {

  @TestConfiguration
  static class Targets {
    @Bean
    ConfiguredTargets configuredTargets() {
      ConfiguredTargets targets =
          TargetsAssembly.assemble(
              TargetsProperties.defaults(), new SandboxSystems(), Clock.systemUTC(), Map.of());
      targets.guard(TargetSystem.LEDGER).open();
      return targets;
    }
  }

  @Autowired MockMvc mvc;

  @Test
  void listsEverySystemWithItsKindBreakerStateAndPermissions() throws Exception {
    mvc.perform(get("/api/v1/targets"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.length()").value(6))
        .andExpect(jsonPath("$[0].system").value("review"))
        .andExpect(jsonPath("$[0].kind").value("sandbox"))
        .andExpect(jsonPath("$[0].guard.breakerState").value("CLOSED"))
        .andExpect(jsonPath("$[0].guard.availablePermissions").value(50))
        .andExpect(jsonPath("$[2].system").value("ledger"))
        .andExpect(jsonPath("$[2].guard.breakerState").value("OPEN"));
  }
}
