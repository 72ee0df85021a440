package com.closeout.propagation.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.closeout.domain.ClosureKey;
import com.closeout.domain.EscalationId;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.RevertOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(RevertController.class)
class RevertControllerTests {

  private static final ClosureKey KEY = new ClosureKey(new EscalationId("ESC-1"), 3);
  private static final String PATH = "/api/v1/closures/ESC-1/versions/3/revert";

  @Autowired MockMvc mvc;
  @MockitoBean CloseoutEngine engine;

  @Test
  void fullRevertAnswers200WithTheUndoneSteps() throws Exception {
    when(engine.revert(new EscalationId("ESC-1"), 3))
        .thenReturn(new RevertOutcome.Reverted(KEY, List.of(Step.QUEUE_CLOSE, Step.TRACKER_SYNC)));

    mvc.perform(post(PATH))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.outcome").value("REVERTED"))
        .andExpect(jsonPath("$.escalationId").value("ESC-1"))
        .andExpect(jsonPath("$.dispositionVersion").value(3))
        .andExpect(jsonPath("$.undone[0]").value("QUEUE_CLOSE"))
        .andExpect(jsonPath("$.undone[1]").value("TRACKER_SYNC"));
  }

  @Test
  void conflictAnswers409ProblemNamingStepSystemAndFollowUp() throws Exception {
    when(engine.revert(new EscalationId("ESC-1"), 3))
        .thenReturn(new RevertOutcome.Conflict(KEY, Step.LEDGER_SYNC, TargetSystem.LEDGER, 12));

    mvc.perform(post(PATH))
        .andExpect(status().isConflict())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value("urn:closeout:problem:revert-conflict"))
        .andExpect(jsonPath("$.status").value(409))
        .andExpect(jsonPath("$.outcome").value("CONFLICT"))
        .andExpect(jsonPath("$.step").value("LEDGER_SYNC"))
        .andExpect(jsonPath("$.system").value("ledger"))
        .andExpect(jsonPath("$.followUpId").value(12));
  }

  @Test
  void unavailableTargetAnswers503ProblemToRunItAgain() throws Exception {
    when(engine.revert(new EscalationId("ESC-1"), 3))
        .thenReturn(new RevertOutcome.Unavailable(KEY, Step.QUEUE_CLOSE, TargetSystem.QUEUE));

    mvc.perform(post(PATH))
        .andExpect(status().isServiceUnavailable())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(header().exists("Retry-After"))
        .andExpect(jsonPath("$.outcome").value("UNAVAILABLE"))
        .andExpect(jsonPath("$.step").value("QUEUE_CLOSE"))
        .andExpect(jsonPath("$.system").value("queue"));
  }

  @Test
  void refusalAnswers409ProblemWithTheReason() throws Exception {
    when(engine.revert(new EscalationId("ESC-1"), 3))
        .thenReturn(new RevertOutcome.Refused("no closure for ESC-1@v3"));

    mvc.perform(post(PATH))
        .andExpect(status().isConflict())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.outcome").value("REFUSED"))
        .andExpect(jsonPath("$.why").value("no closure for ESC-1@v3"))
        .andExpect(jsonPath("$.detail").value("no closure for ESC-1@v3"));
  }

  @Test
  void aVersionThatIsNotAPositiveNumberIsA400ProblemAndRevertsNothing() throws Exception {
    for (String version : List.of("0", "three", "-1")) {
      mvc.perform(post("/api/v1/closures/ESC-1/versions/" + version + "/revert"))
          .andExpect(status().isBadRequest())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.field").value("version"));
    }
    verify(engine, never()).revert(any(), anyInt());
  }
}
