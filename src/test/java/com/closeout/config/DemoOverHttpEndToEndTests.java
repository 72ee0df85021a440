package com.closeout.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.cli.DemoOptions;
import com.closeout.propagation.EngineSettings;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.sandbox.http.SandboxHttpServer;
import com.closeout.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code demo --targets http}: the whole campaign through the REST adapters, breakers and rate
 * limiters against the sandbox's HTTP server on loopback gives the in-memory demo's invariants.
 */
class DemoOverHttpEndToEndTests {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T08:00:00Z"), ZoneOffset.UTC);

  private static JsonNode demo(IsolatedSchema schema, SandboxSystems sandbox, DemoOptions options) {
    DemoCampaignLauncher launcher =
        new DemoCampaignLauncher(
            schema.dataSource(),
            sandbox,
            EngineSettings.defaults(),
            TargetsProperties.defaults(),
            CLOCK);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        launcher.run(
            options,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("over HTTP");
    return JsonMapper.builder().build().readTree(out.toString(StandardCharsets.UTF_8));
  }

  private static void assertInvariants(JsonNode report, int cases) {
    assertThat(report.path("cases").asInt()).isEqualTo(cases);
    assertThat(report.path("faulted").asInt()).isPositive();
    assertThat(report.path("anomalies").asInt()).isPositive();
    assertThat(report.path("completionRate").asDouble()).isEqualTo(1.0);
    assertThat(report.path("detectionRate").asDouble()).isEqualTo(1.0);
    assertThat(report.path("recoveryRate").asDouble()).isEqualTo(1.0);
    assertThat(report.path("auditChainValid").asBoolean()).isTrue();
    assertThat(report.path("falsePropagations").asInt()).isZero();
    assertThat(report.path("duplicateEffects").asInt()).isZero();
    assertThat(report.path("repeatedLinks").asInt()).isZero();
    assertThat(report.path("conflictingTimestamps").asInt()).isZero();
    assertThat(report.path("restrictedLeaks").asInt()).isZero();
  }

  @Test
  void demoThroughTheRestAdaptersAgainstAnInProcessSandboxServerKeepsTheInvariants() {
    try (IsolatedSchema schema = TestDatabase.freshSchema("demohttp")) {
      JsonNode report =
          demo(
              schema,
              new SandboxSystems(),
              new DemoOptions(40, 5L, true, true, DemoOptions.Targets.HTTP, null));
      assertInvariants(report, 40);
    }
  }

  @Test
  void demoAgainstASandboxServerAtAUrlIsSetUpAndMeasuredThroughItsAdminEndpoints() {
    SandboxSystems remote = new SandboxSystems();
    try (IsolatedSchema schema = TestDatabase.freshSchema("demoremote");
        SandboxHttpServer server = SandboxHttpServer.start(remote, 0)) {
      JsonNode report =
          demo(
              schema,
              // The launcher's own sandbox stays empty: everything goes to the server's.
              new SandboxSystems(),
              new DemoOptions(30, 9L, true, true, DemoOptions.Targets.HTTP, server.baseUrl()));
      assertInvariants(report, 30);
      assertThat(remote.restrictedValues()).isNotEmpty();
    }
  }
}
