package com.closeout.propagation.web;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.closeout.audit.AuditTrail;
import com.closeout.audit.CompletionRecords;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventId;
import com.closeout.domain.FollowUpReason;
import com.closeout.domain.Step;
import com.closeout.domain.StepStatus;
import com.closeout.followup.FollowUp;
import com.closeout.followup.FollowUpStatus;
import com.closeout.followup.FollowUpStore;
import com.closeout.followup.web.FollowUpController;
import com.closeout.intake.Inbox;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.Closure;
import com.closeout.propagation.ClosureStore;
import com.closeout.propagation.StepProgress;
import com.closeout.propagation.TransactionRunner;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest({ClosureController.class, FollowUpController.class})
class ReadApiTests {

  private static final Instant AT = Instant.parse("2026-11-20T10:15:00Z");
  private static final ClosureStore closures = mock(ClosureStore.class);
  private static final FollowUpStore followUps = mock(FollowUpStore.class);

  @TestConfiguration
  static class Stores {
    @Bean
    CloseoutStores stores() {
      return new CloseoutStores(
          mock(Inbox.class),
          closures,
          mock(AuditTrail.class),
          mock(CompletionRecords.class),
          followUps,
          mock(TransactionRunner.class));
    }
  }

  @Autowired MockMvc mvc;

  private static FollowUp followUp() {
    return new FollowUp(
        4,
        11,
        "ESC-1",
        "evt-1",
        FollowUpReason.OUT_OF_SCOPE_REQUEST,
        null,
        3,
        3,
        "REFUND",
        FollowUpStatus.OPEN,
        1,
        AT,
        null,
        null);
  }

  @Test
  void closuresOfAnEscalationShowTheirStepsAndFollowUps() throws Exception {
    Closure closure =
        new Closure(
            11,
            new ClosureKey(new EscalationId("ESC-1"), 3),
            new EventId("evt-1"),
            new EpisodeId("EP-1"),
            AT,
            List.of(),
            List.of("REFUND"),
            ClosureStatus.COMPLETED,
            9,
            0,
            0,
            AT,
            null,
            null,
            AT,
            AT);
    when(closures.forEscalation(new EscalationId("ESC-1"))).thenReturn(List.of(closure));
    when(closures.steps(11))
        .thenReturn(
            List.of(
                new StepProgress(
                    11,
                    Step.TRACKER_SYNC,
                    StepStatus.DONE,
                    2,
                    closure.key().keyFor(Step.TRACKER_SYNC),
                    List.of(),
                    List.of(),
                    AT)));
    when(followUps.forClosure(11)).thenReturn(List.of(followUp()));

    mvc.perform(get("/api/v1/closures/ESC-1"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[0].dispositionVersion").value(3))
        .andExpect(jsonPath("$[0].status").value("COMPLETED"))
        .andExpect(jsonPath("$[0].steps[0].step").value("TRACKER_SYNC"))
        .andExpect(jsonPath("$[0].steps[0].status").value("DONE"))
        .andExpect(jsonPath("$[0].followUps[0].reason").value("OUT_OF_SCOPE_REQUEST"));
  }

  @Test
  void unknownEscalationIsA404Problem() throws Exception {
    when(closures.forEscalation(new EscalationId("ESC-404"))).thenReturn(List.of());
    mvc.perform(get("/api/v1/closures/ESC-404"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
  }

  @Test
  void openFollowUpsAreListed() throws Exception {
    when(followUps.all(true)).thenReturn(List.of(followUp()));
    mvc.perform(get("/api/v1/follow-ups").param("open", "true"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[0].id").value(4))
        .andExpect(jsonPath("$[0].escalationId").value("ESC-1"))
        .andExpect(jsonPath("$[0].createdAt").value("2026-11-20T10:15:00Z"));
  }
}
