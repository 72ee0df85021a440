package com.closeout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.config.TargetsAssembly;
import com.closeout.config.TargetsProperties;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.sandbox.http.SandboxHttpServer;
import com.closeout.targets.resilience.ConfiguredTargets;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TargetCommandsTests {
  private static final String TARGETS_JSON =
      """
      [{"system":"review","kind":"rest","baseUrl":"http://review.internal:8443",
        "guard":{"breakerState":"CLOSED","failureRate":-1.0,"bufferedCalls":0,"failedCalls":0,
                 "notPermittedCalls":0,"availablePermissions":50,"waitingThreads":0,
                 "limitForPeriod":50,"limitRefreshPeriodMillis":100}},
       {"system":"tracker","kind":"sandbox","baseUrl":null,
        "guard":{"breakerState":"OPEN","failureRate":75.0,"bufferedCalls":20,"failedCalls":15,
                 "notPermittedCalls":3,"availablePermissions":12,"waitingThreads":0,
                 "limitForPeriod":50,"limitRefreshPeriodMillis":100}}]
      """;

  @Test
  void targetsCommandShowsEachTargetsKindUrlBreakerAndPermissionsFromTheServer() throws Exception {
    try (FakeCloseoutServer server = FakeCloseoutServer.start()) {
      server.answer("GET", "/api/v1/targets", 200, TARGETS_JSON);
      FakeCommandContext context = new FakeCommandContext();

      int status = new TargetsCommand().run(List.of("--server", server.url()), context);

      assertThat(status).isEqualTo(CliCommand.OK);
      assertThat(context.printed())
          .contains("review", "rest", "http://review.internal:8443", "CLOSED", "50/50 per 100 ms")
          .contains("tracker", "(in memory)", "OPEN", "75%", "12/50");
      assertThat(context.oneShotStarts).isZero();
    }
  }

  @Test
  void targetsCommandFailsWhenTheServerDoesNotAnswerTheList() throws Exception {
    try (FakeCloseoutServer server = FakeCloseoutServer.start()) {
      FakeCommandContext context = new FakeCommandContext();

      int status = new TargetsCommand().run(List.of("--server", server.url()), context);

      assertThat(status).isEqualTo(CliCommand.FAILED);
      assertThat(context.errors()).contains("HTTP 404");
    }
  }

  @Test
  void checkConfigPassesWhenEverySystemAnswersTheContract() throws Exception {
    try (SandboxHttpServer sandbox = SandboxHttpServer.start(new SandboxSystems(), 0)) {
      FakeCommandContext context = new FakeCommandContext();
      context.beans.put(
          ConfiguredTargets.class,
          TargetsAssembly.restOnOneServer(
              sandbox.baseUrl(), TargetsProperties.defaults(), Clock.systemUTC()));

      int status = new CheckConfigCommand().run(List.of(), context);

      assertThat(status).isEqualTo(CliCommand.OK);
      assertThat(context.printed().lines().filter(l -> l.contains(" ok ")).count()).isEqualTo(6);
    }
  }

  @Test
  void checkConfigReportsRefusedCredentialsAndUnreachableSystemsAndExitsOne() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (SandboxHttpServer guarded =
        SandboxHttpServer.start(
            new SandboxSystems(), new InetSocketAddress("127.0.0.1", 0), "Bearer needed")) {
      FakeCommandContext context = new FakeCommandContext();
      context.beans.put(
          ConfiguredTargets.class,
          TargetsAssembly.restOnOneServer(
              guarded.baseUrl(), TargetsProperties.defaults(), Clock.systemUTC()));
      int refused = new CheckConfigCommand().run(List.of("--json"), context);

      FakeCommandContext unreachable = new FakeCommandContext();
      unreachable.beans.put(
          ConfiguredTargets.class,
          TargetsAssembly.restOnOneServer(
              URI.create("http://127.0.0.1:" + closedPort),
              TargetsProperties.defaults(),
              Clock.systemUTC()));
      int down = new CheckConfigCommand().run(List.of(), unreachable);

      assertThat(refused).isEqualTo(CliCommand.FAILED);
      assertThat(context.printed())
          .contains("\"reachable\":true")
          .contains("\"authOk\":false")
          .contains("HTTP 401");
      assertThat(down).isEqualTo(CliCommand.FAILED);
      assertThat(unreachable.printed()).contains("FAILED").contains("connection refused");
    }
  }

  @Test
  void sandboxCommandServesTheContractUntilStopped() throws Exception {
    FakeCommandContext context = new FakeCommandContext();
    AtomicInteger status = new AtomicInteger();
    SandboxCommand command =
        new SandboxCommand(
            server -> {
              try {
                status.set(
                    HttpClient.newHttpClient()
                        .send(
                            HttpRequest.newBuilder(
                                    URI.create(server.baseUrl() + "/notification/channel"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    int exit = command.run(List.of("--port", "0"), context);

    assertThat(exit).isEqualTo(CliCommand.OK);
    assertThat(status.get()).isEqualTo(200);
    assertThat(context.errors()).contains("sandbox systems on http://127.0.0.1:");
  }
}
