package com.closeout.targets.rest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.closeout.config.TargetsAssembly;
import com.closeout.config.TargetsProperties;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.EngineSettings;
import com.closeout.propagation.StepCommitListener;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.sandbox.http.RecordedRequest;
import com.closeout.sandbox.http.SandboxHttpServer;
import com.closeout.targets.ReviewState;
import com.closeout.testsupport.CleanEscalation;
import com.closeout.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Restricted data never leaves the review adapter over HTTP either: a clean closure and a follow-up
 * closure through the REST adapters, every request Closeout sent recorded by the sandbox server
 * (method, URL, headers, body), and none of the canary values anywhere in them, in the targets, the
 * audit trail, the follow-ups or the logs.
 */
class RestCanaryTests {
  private static final Instant FINALIZED = Instant.parse("2026-11-20T10:14:58Z");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T10:20:00Z"), ZoneOffset.UTC);

  @Test
  void noRestrictedValueIsInAnyRequestTargetAuditEntryFollowUpOrLogLine() throws Exception {
    SandboxSystems sandbox = new SandboxSystems();
    CleanEscalation clean = CleanEscalation.loadInto(sandbox, "ESC-CANARY-1", FINALIZED);
    CleanEscalation reopened = CleanEscalation.loadInto(sandbox, "ESC-CANARY-2", FINALIZED);
    sandbox.putReview(
        new SourceRecord(
            reopened.id(),
            CleanEscalation.EPISODE,
            "SEV1",
            SourceStatus.REOPENED,
            DispositionEvent.CLOSURE_APPROVED,
            1,
            FINALIZED,
            reopened.archiveRefs()),
        new RestrictedContent(
            "TRANSCRIPT-CANARY-reopened",
            "CONCESSION-CANARY-reopened",
            "REVIEWER-CANARY-reopened",
            "Contact CANARY reopened",
            "canary-reopened@customer.example"));

    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try (IsolatedSchema schema = TestDatabase.freshSchema("canary");
        SandboxHttpServer server = SandboxHttpServer.start(sandbox, 0)) {
      server.startRecording();
      CloseoutStores stores = JdbcCloseoutStores.create(schema.dataSource(), CLOCK);
      CloseoutEngine engine =
          new CloseoutEngine(
              TargetsAssembly.restOnOneServer(server.baseUrl(), TargetsProperties.defaults(), CLOCK)
                  .ports(),
              stores,
              CLOCK,
              EngineSettings.defaults(),
              "canary",
              StepCommitListener.NONE,
              new Random(1));

      engine.receive(clean.event("evt-canary-1"));
      engine.runDue();
      engine.receive(reopened.event("evt-canary-2"));
      engine.runDue();

      // The closures did what they should, so the requests below are the real traffic.
      assertThat(sandbox.tracker(clean.id()).orElseThrow().status())
          .isEqualTo(ReviewState.REVIEW_COMPLETE);
      assertThat(sandbox.notices(clean.id())).hasSize(1);
      assertThat(sandbox.tracker(reopened.id()).orElseThrow().status()).isEqualTo("IN_REVIEW");
      assertThat(stores.followUps().all(false))
          .anySatisfy(f -> assertThat(f.toString()).contains("REOPENED"));

      // The source did send the restricted fields: the adapter had something to drop.
      String served = get(server.baseUrl(), "/review/escalations/ESC-CANARY-1");
      assertThat(served).contains("TRANSCRIPT-CANARY-ESC-CANARY-1");

      List<RecordedRequest> requests = server.recordedRequests();
      assertThat(requests)
          .anySatisfy(r -> assertThat(r.method()).isEqualTo("PATCH"))
          .anySatisfy(r -> assertThat(r.uri()).startsWith("/notification/notices"))
          .anySatisfy(r -> assertThat(r.headers()).containsKey("Idempotency-key"));

      List<String> texts = new ArrayList<>();
      requests.forEach(r -> texts.add(r.text()));
      stores.audit().chainAllPending();
      stores.audit().entries(0, 10_000).forEach(e -> texts.add(e.toString()));
      stores.followUps().all(false).forEach(f -> texts.add(f.toString()));
      logs.list.forEach(
          e -> {
            texts.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
              texts.add(e.getThrowableProxy().getMessage());
            }
          });

      assertThat(sandbox.restrictedValues()).hasSize(15);
      assertThat(sandbox.countRestrictedOccurrences(texts)).isZero();
      assertThat(sandbox.restrictedLeaksInTargets()).isZero();
      for (String value : sandbox.restrictedValues()) {
        assertThat(String.join("\n", texts)).doesNotContain(value);
      }
    } finally {
      root.detachAppender(logs);
    }
  }

  private static String get(URI base, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
