package com.closeout.audit.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.closeout.audit.Drift;
import com.closeout.audit.DriftReconciliation;
import com.closeout.audit.DriftReport;
import com.closeout.config.ReconciliationProperties;
import com.closeout.domain.TargetSystem;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(
    controllers = ReconciliationController.class,
    properties = "closeout.reconciliation.lookback=2d")
class ReconciliationControllerTests {

  private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

  @TestConfiguration
  @EnableConfigurationProperties(ReconciliationProperties.class)
  static class Settings {
    @Bean
    Clock clock() {
      return Clock.fixed(NOW, ZoneOffset.UTC);
    }
  }

  @Autowired MockMvc mvc;
  @MockitoBean DriftReconciliation reconciliation;

  @Test
  void withoutSinceThePassCoversTheConfiguredLookbackAndReportsDrift() throws Exception {
    Instant since = Instant.parse("2026-11-18T10:00:00Z");
    when(reconciliation.reconcile(since))
        .thenReturn(
            new DriftReport(
                NOW,
                4,
                List.of(
                    new Drift(
                        "ESC-9",
                        2,
                        Drift.Kind.LOST_EVENT,
                        List.of(TargetSystem.TRACKER, TargetSystem.QUEUE),
                        "NONE")),
                List.of("ESC-10")));

    mvc.perform(post("/api/v1/reconciliation"))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.since").value("2026-11-18T10:00:00Z"))
        .andExpect(jsonPath("$.recordsChecked").value(4))
        .andExpect(jsonPath("$.clean").value(false))
        .andExpect(jsonPath("$.drift[0].escalationId").value("ESC-9"))
        .andExpect(jsonPath("$.drift[0].kind").value("LOST_EVENT"))
        .andExpect(jsonPath("$.drift[0].openDownstream[1]").value("QUEUE"))
        .andExpect(jsonPath("$.unreachable[0]").value("ESC-10"));
  }

  @Test
  void sinceIsPassedOnAndACleanPassAnswers200() throws Exception {
    Instant since = Instant.parse("2026-11-01T00:00:00Z");
    when(reconciliation.reconcile(since)).thenReturn(new DriftReport(NOW, 0, List.of(), List.of()));

    mvc.perform(post("/api/v1/reconciliation").param("since", "2026-11-01T00:00:00Z"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.since").value("2026-11-01T00:00:00Z"))
        .andExpect(jsonPath("$.clean").value(true));
  }

  @Test
  void aMalformedSinceIsA400ProblemAndRunsNoPass() throws Exception {
    mvc.perform(post("/api/v1/reconciliation").param("since", "yesterday"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.field").value("since"));
    verify(reconciliation, never()).reconcile(any());
  }
}
