package com.closeout.targets.rest;

import com.closeout.domain.TargetSystem;
import com.closeout.targets.CaseLedger;
import com.closeout.targets.CoordinatorChannel;
import com.closeout.targets.EscalationTracker;
import com.closeout.targets.EvidenceArchive;
import com.closeout.targets.PostReviewQueue;
import com.closeout.targets.ReviewSystem;
import com.closeout.targets.TargetPorts;
import java.net.URI;
import java.time.Clock;

/** Builds the REST adapter of one system from its endpoint. */
public final class RestTargets {
  /** The coordinator channel's audited name unless configured otherwise. */
  public static final String DEFAULT_CHANNEL_NAME = "ops-coordinator";

  private RestTargets() {}

  public static ReviewSystem review(RestEndpoint endpoint, Clock clock) {
    return new RestReviewSystem(client(endpoint, TargetSystem.REVIEW, clock));
  }

  public static EscalationTracker tracker(RestEndpoint endpoint, Clock clock) {
    return new RestEscalationTracker(client(endpoint, TargetSystem.TRACKER, clock));
  }

  public static CaseLedger ledger(RestEndpoint endpoint, Clock clock) {
    return new RestCaseLedger(client(endpoint, TargetSystem.LEDGER, clock));
  }

  public static PostReviewQueue queue(RestEndpoint endpoint, Clock clock) {
    return new RestPostReviewQueue(client(endpoint, TargetSystem.QUEUE, clock));
  }

  public static EvidenceArchive archive(RestEndpoint endpoint, Clock clock) {
    return new RestEvidenceArchive(client(endpoint, TargetSystem.ARCHIVE, clock));
  }

  public static CoordinatorChannel coordinator(
      RestEndpoint endpoint, String channelName, Clock clock) {
    return new RestCoordinatorChannel(
        client(endpoint, TargetSystem.NOTIFICATION, clock), channelName);
  }

  /** All six systems on one server (the sandbox), no authentication, default timeouts. */
  public static TargetPorts onOneServer(URI baseUrl, Clock clock) {
    return new TargetPorts(
        review(RestEndpoint.plain(TargetSystem.REVIEW, baseUrl), clock),
        tracker(RestEndpoint.plain(TargetSystem.TRACKER, baseUrl), clock),
        ledger(RestEndpoint.plain(TargetSystem.LEDGER, baseUrl), clock),
        queue(RestEndpoint.plain(TargetSystem.QUEUE, baseUrl), clock),
        archive(RestEndpoint.plain(TargetSystem.ARCHIVE, baseUrl), clock),
        coordinator(
            RestEndpoint.plain(TargetSystem.NOTIFICATION, baseUrl), DEFAULT_CHANNEL_NAME, clock));
  }

  private static ContractClient client(RestEndpoint endpoint, TargetSystem system, Clock clock) {
    if (endpoint.system() != system) {
      throw new IllegalArgumentException(
          "endpoint of " + endpoint.system().wireName() + " given for " + system.wireName());
    }
    return new ContractClient(endpoint, clock);
  }
}
