package com.closeout.sandbox.http;

import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.FaultKind;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.sandbox.SandboxControl;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.QueueItem;
import com.closeout.targets.rest.ContractBodies.BookkeepingRecordBody;
import com.closeout.targets.rest.ContractBodies.NoticeBody;
import com.closeout.targets.rest.ContractBodies.QueueItemBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A sandbox server in another process (started by {@code closeout sandbox}), controlled through its
 * admin endpoints: what {@code closeout demo --targets http --sandbox-url URL} sets up and measures
 * with.
 */
public final class RemoteSandbox implements SandboxControl {
  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final URI baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public RemoteSandbox(URI baseUrl) {
    String text = baseUrl.toString();
    this.baseUrl = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
  }

  @Override
  public void putReview(SourceRecord record, RestrictedContent restricted) {
    post("review", AdminBodies.Review.of(record, restricted));
  }

  @Override
  public void putTracker(BookkeepingRecord record) {
    post("tracker", BookkeepingRecordBody.of(record));
  }

  @Override
  public void putLedger(BookkeepingRecord record) {
    post("ledger", BookkeepingRecordBody.of(record));
  }

  @Override
  public void putQueueItem(QueueItem item) {
    post("queue", QueueItemBody.of(item));
  }

  @Override
  public void putArchiveObject(ArchiveObject object) {
    post("archive", new AdminBodies.ArchiveEntry(object.uri(), object.sha256()));
  }

  @Override
  public void injectFault(TargetSystem system, FaultKind kind, int failures) {
    post("faults", new AdminBodies.Fault(system.wireName(), kind.name(), failures));
  }

  @Override
  public Optional<BookkeepingRecord> tracker(EscalationId escalationId) {
    return Optional.ofNullable(state(escalationId).tracker()).map(BookkeepingRecordBody::toRecord);
  }

  @Override
  public Optional<BookkeepingRecord> ledger(EscalationId escalationId) {
    return Optional.ofNullable(state(escalationId).ledger()).map(BookkeepingRecordBody::toRecord);
  }

  @Override
  public Optional<QueueItem> queueItem(EscalationId escalationId) {
    return Optional.ofNullable(state(escalationId).queue()).map(QueueItemBody::toItem);
  }

  @Override
  public List<CoordinatorNotice> notices(EscalationId escalationId) {
    List<NoticeBody> notices = state(escalationId).notices();
    return notices == null ? List.of() : notices.stream().map(NoticeBody::toNotice).toList();
  }

  @Override
  public Map<TargetSystem, Integer> writes(EscalationId escalationId) {
    return state(escalationId).writesBySystem();
  }

  @Override
  public long restrictedLeaksInTargets() {
    return count(send(HttpRequest.newBuilder(admin("leaks")).GET()));
  }

  @Override
  public long countRestrictedOccurrences(Collection<String> texts) {
    return count(
        send(
            HttpRequest.newBuilder(admin("restricted-occurrences"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        JSON.writeValueAsBytes(new AdminBodies.Texts(List.copyOf(texts)))))));
  }

  private SandboxState state(EscalationId id) {
    byte[] body =
        send(
            HttpRequest.newBuilder(
                    admin(
                        "escalations/"
                            + com.closeout.targets.rest.ContractClient.segment(id.value())))
                .GET());
    return JSON.readValue(body, SandboxState.class);
  }

  private static long count(byte[] body) {
    JsonNode node = JSON.readTree(body);
    return node.path("count").asLong();
  }

  private void post(String route, Object body) {
    send(
        HttpRequest.newBuilder(admin(route))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
  }

  private URI admin(String route) {
    return URI.create(baseUrl + "/sandbox/admin/" + route);
  }

  private byte[] send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response =
          http.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(
            "sandbox admin " + request.build().uri().getPath() + ": HTTP " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("sandbox at " + baseUrl + " is not reachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted talking to the sandbox", e);
    }
  }
}
