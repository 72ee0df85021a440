package com.closeout.followup.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.closeout.domain.ClosureStatus;
import com.closeout.domain.FollowUpReason;
import com.closeout.domain.TargetSystem;
import com.closeout.followup.FollowUp;
import com.closeout.followup.FollowUpStatus;
import com.closeout.followup.Resolution;
import com.closeout.followup.ResolutionOutcome;
import com.closeout.propagation.CloseoutEngine;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(FollowUpResolutionController.class)
class FollowUpResolutionControllerTests {

  private static final Instant AT = Instant.parse("2026-11-20T10:15:00Z");

  @Autowired MockMvc mvc;
  @MockitoBean CloseoutEngine engine;

  private static FollowUp followUp(FollowUpStatus status) {
    return new FollowUp(
        5,
        3,
        "ESC-7",
        "evt-7",
        FollowUpReason.MAPPING_MISSING,
        TargetSystem.LEDGER,
        2,
        2,
        null,
        status,
        2,
        AT,
        AT,
        "mapping added");
  }

  private org.springframework.test.web.servlet.ResultActions resolve(String id, String body)
      throws Exception {
    return mvc.perform(
        post("/api/v1/follow-ups/" + id + "/resolution")
            .contentType(MediaType.APPLICATION_JSON)
            .content(body));
  }

  @Test
  void retryReQueuesTheClosureAndAnswers200WithTheResolvedFollowUp() throws Exception {
    when(engine.resolveFollowUp(5, Resolution.RETRY, "mapping added"))
        .thenReturn(
            new ResolutionOutcome.Resolved(
                followUp(FollowUpStatus.RETRIED), ClosureStatus.PENDING));

    resolve("5", "{\"action\":\"RETRY\",\"comment\":\" mapping added \"}")
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.outcome").value("RESOLVED"))
        .andExpect(jsonPath("$.closureStatus").value("PENDING"))
        .andExpect(jsonPath("$.followUp.id").value(5))
        .andExpect(jsonPath("$.followUp.closureId").value(3))
        .andExpect(jsonPath("$.followUp.escalationId").value("ESC-7"))
        .andExpect(jsonPath("$.followUp.status").value("RETRIED"))
        .andExpect(jsonPath("$.followUp.system").value("ledger"));
    // Re-queued only: the serving worker re-verifies, not the request thread.
    verify(engine, never()).runDue();
  }

  @Test
  void dismissAnswers200() throws Exception {
    when(engine.resolveFollowUp(5, Resolution.DISMISS, "withdrawn"))
        .thenReturn(
            new ResolutionOutcome.Resolved(
                followUp(FollowUpStatus.DISMISSED), ClosureStatus.DISMISSED));

    resolve("5", "{\"action\":\"DISMISS\",\"comment\":\"withdrawn\"}")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.closureStatus").value("DISMISSED"));
  }

  @Test
  void refusalAnswers409ProblemWithTheReason() throws Exception {
    when(engine.resolveFollowUp(9, Resolution.RETRY, "x"))
        .thenReturn(new ResolutionOutcome.Refused("follow-up 9 is already DISMISSED"));

    resolve("9", "{\"action\":\"RETRY\",\"comment\":\"x\"}")
        .andExpect(status().isConflict())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.outcome").value("REFUSED"))
        .andExpect(jsonPath("$.why").value("follow-up 9 is already DISMISSED"));
  }

  @Test
  void aBadBodyIsA400ProblemNamingTheFieldAndResolvesNothing() throws Exception {
    Map<String, String> fieldByBody =
        Map.of(
            "", "body",
            "not json", "body",
            "[1]", "body",
            "{\"comment\":\"x\"}", "action",
            "{\"action\":\"ESCALATE\",\"comment\":\"x\"}", "action",
            "{\"action\":\"RETRY\"}", "comment",
            "{\"action\":\"RETRY\",\"comment\":\"   \"}", "comment",
            "{\"action\":\"RETRY\",\"comment\":7}", "comment");
    for (Map.Entry<String, String> bad : fieldByBody.entrySet()) {
      resolve("5", bad.getKey())
          .andExpect(status().isBadRequest())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.field").value(bad.getValue()));
    }
    resolve("five", "{\"action\":\"RETRY\",\"comment\":\"x\"}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("id"));
    verify(engine, never()).resolveFollowUp(anyLong(), any(), anyString());
  }
}
