package com.closeout.followup.web;

import com.closeout.followup.FollowUp;
import com.closeout.followup.FollowUpStore;
import com.closeout.propagation.CloseoutStores;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read-only list of follow-ups; {@link FollowUpResolutionController} resolves one. */
@RestController
public class FollowUpController {

  private final FollowUpStore followUps;

  public FollowUpController(CloseoutStores stores) {
    this.followUps = stores.followUps();
  }

  public record FollowUpView(
      long id,
      long closureId,
      String escalationId,
      String eventId,
      String reason,
      String system,
      Integer eventVersion,
      Integer recordVersion,
      String detail,
      String status,
      Instant createdAt,
      Instant resolvedAt,
      String resolutionComment) {

    static FollowUpView of(FollowUp followUp) {
      return new FollowUpView(
          followUp.id(),
          followUp.closureId(),
          followUp.escalationId(),
          followUp.eventId(),
          followUp.reason().name(),
          followUp.system() == null ? null : followUp.system().wireName(),
          followUp.eventVersion(),
          followUp.recordVersion(),
          followUp.detail(),
          followUp.status().name(),
          followUp.createdAt(),
          followUp.resolvedAt(),
          followUp.resolutionComment());
    }
  }

  @GetMapping("/api/v1/follow-ups")
  public List<FollowUpView> followUps(
      @RequestParam(name = "open", defaultValue = "false") boolean openOnly) {
    return followUps.all(openOnly).stream().map(FollowUpView::of).toList();
  }
}
