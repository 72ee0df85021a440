package com.closeout.targets.rest;

import com.closeout.domain.TargetSystem;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.rest.ContractBodies.BookkeepingRecordBody;
import com.closeout.targets.rest.ContractBodies.ChannelBody;
import com.closeout.targets.rest.ContractBodies.MalformedBodyException;
import com.closeout.targets.rest.ContractBodies.QueueItemBody;
import com.closeout.targets.rest.ContractBodies.ReviewPageBody;
import com.closeout.targets.rest.ContractBodies.ReviewRecordBody;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code check-config}'s read-only calls against one system on the reference contract: a lookup of
 * an escalation id that should not exist (404 and 200 are both in the contract), the first page of
 * finalized records, a HEAD in the archive, the channel's description. Nothing is written.
 */
public final class ContractProbe {
  static final String PROBE_ID = "closeout-check-config";

  private ContractProbe() {}

  public static TargetCheck check(ContractClient client, String kind) {
    TargetSystem system = client.system();
    String baseUrl = client.endpoint().baseUrl().toString();
    List<Call> calls = calls(system);
    List<String> problems = new ArrayList<>();
    for (Call call : calls) {
      HttpResponse<byte[]> response;
      try {
        response = client.probe(call.method(), call.path());
      } catch (TargetUnavailableException e) {
        return new TargetCheck(
            system, kind, baseUrl, false, false, false, stripSystem(e.getMessage()));
      }
      int status = response.statusCode();
      if (status == 401 || status == 403) {
        return new TargetCheck(
            system, kind, baseUrl, true, false, false, "HTTP " + status + " on " + call.path());
      }
      String problem = call.judge(response);
      if (problem != null) {
        problems.add(call.method() + " " + call.path() + ": " + problem);
      }
    }
    return problems.isEmpty()
        ? new TargetCheck(system, kind, baseUrl, true, true, true, "ok")
        : new TargetCheck(system, kind, baseUrl, true, true, false, String.join("; ", problems));
  }

  private static String stripSystem(String message) {
    int colon = message.indexOf(": ");
    return colon < 0 ? message : message.substring(colon + 2);
  }

  private interface Judge {
    String problem(HttpResponse<byte[]> response);
  }

  private record Call(String method, String path, Judge judge) {
    String judge(HttpResponse<byte[]> response) {
      return judge.problem(response);
    }
  }

  private static List<Call> calls(TargetSystem system) {
    String id = ContractClient.segment(PROBE_ID);
    switch (system) {
      case REVIEW:
        return List.of(
            new Call(
                "GET", "/review/escalations/" + id, r -> foundOrAbsent(r, ReviewRecordBody.class)),
            new Call(
                "GET",
                "/review/finalized-escalations?finalizedAfter="
                    + ContractClient.query(Instant.EPOCH.toString())
                    + "&afterEscalationId=&limit=1",
                r -> r.statusCode() == 200 ? body(r, ReviewPageBody.class) : unexpected(r)));
      case TRACKER:
      case LEDGER:
        return List.of(
            new Call(
                "GET",
                "/" + system.wireName() + "/records/by-escalation/" + id,
                r -> foundOrAbsent(r, BookkeepingRecordBody.class)));
      case QUEUE:
        return List.of(
            new Call(
                "GET",
                "/queue/items/by-escalation/" + id,
                r -> foundOrAbsent(r, QueueItemBody.class)));
      case ARCHIVE:
        return List.of(
            new Call(
                "HEAD",
                "/archive/objects?uri=" + ContractClient.query("archive://" + PROBE_ID),
                r ->
                    r.statusCode() == 404
                        ? null
                        : r.statusCode() == 200
                            ? (r.headers().firstValue(ContractClient.CHECKSUM_SHA256).isPresent()
                                ? null
                                : "no " + ContractClient.CHECKSUM_SHA256 + " header")
                            : unexpected(r)));
      case NOTIFICATION:
        return List.of(
            new Call(
                "GET",
                "/notification/channel",
                r -> r.statusCode() == 200 ? body(r, ChannelBody.class) : unexpected(r)));
      default:
        throw new IllegalArgumentException("not a target system: " + system);
    }
  }

  private static String foundOrAbsent(HttpResponse<byte[]> response, Class<?> type) {
    if (response.statusCode() == 404) {
      return null;
    }
    return response.statusCode() == 200 ? body(response, type) : unexpected(response);
  }

  private static String body(HttpResponse<byte[]> response, Class<?> type) {
    try {
      ContractBodies.read(response.body(), type);
      return null;
    } catch (MalformedBodyException e) {
      return e.getMessage();
    }
  }

  private static String unexpected(HttpResponse<byte[]> response) {
    return "unexpected HTTP " + response.statusCode();
  }
}
