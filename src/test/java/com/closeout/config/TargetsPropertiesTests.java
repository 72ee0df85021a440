package com.closeout.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.config.TargetsProperties.AuthProperties;
import com.closeout.config.TargetsProperties.AuthType;
import com.closeout.config.TargetsProperties.TargetKind;
import com.closeout.config.TargetsProperties.TargetProperties;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.rest.Authentication;
import com.closeout.targets.rest.RestEndpoint;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class TargetsPropertiesTests {
  private static final String TOKEN = "tok-7f3a-very-secret";

  private static TargetsProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("closeout.targets", TargetsProperties.class);
  }

  @Test
  void everySystemDefaultsToTheSandboxWithDocumentedTimeoutsBreakerAndLimiter() {
    TargetsProperties targets = bind(Map.of());
    for (TargetSystem system : TargetsAssembly.SYSTEMS) {
      TargetProperties target = targets.of(system);
      assertThat(target.kind()).isEqualTo(TargetKind.SANDBOX);
      assertThat(target.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(target.readTimeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(target.breaker().waitInOpenState()).isEqualTo(Duration.ofSeconds(30));
      assertThat(target.rateLimit().limitForPeriod()).isEqualTo(50);
    }
    assertThat(
            TargetsAssembly.assemble(targets, new SandboxSystems(), Clock.systemUTC(), Map.of())
                .check())
        .allSatisfy(check -> assertThat(check.passed()).isTrue());
  }

  @Test
  void perSystemSettingsOverrideTheDefaultsForAllSystems() {
    TargetsProperties targets =
        bind(
            Map.of(
                "closeout.targets.kind", "rest",
                "closeout.targets.base-url", "http://all.internal:8089",
                "closeout.targets.review.kind", "sandbox",
                "closeout.targets.tracker.base-url", "https://tracker.internal",
                "closeout.targets.tracker.read-timeout", "750ms",
                "closeout.targets.tracker.breaker.wait-in-open-state", "1m",
                "closeout.targets.tracker.rate-limit.limit-for-period", "5",
                "closeout.targets.tracker.auth.type", "bearer",
                "closeout.targets.tracker.auth.token-env", "TRACKER_TOKEN",
                "closeout.targets.notification.channel-name", "sev1-ops"));

    assertThat(targets.of(TargetSystem.REVIEW).kind()).isEqualTo(TargetKind.SANDBOX);
    assertThat(targets.of(TargetSystem.LEDGER).kind()).isEqualTo(TargetKind.REST);
    assertThat(targets.of(TargetSystem.LEDGER).baseUrl())
        .isEqualTo(URI.create("http://all.internal:8089"));
    TargetProperties tracker = targets.of(TargetSystem.TRACKER);
    assertThat(tracker.baseUrl()).isEqualTo(URI.create("https://tracker.internal"));
    assertThat(tracker.readTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(tracker.guardSettings().waitInOpenState()).isEqualTo(Duration.ofMinutes(1));
    assertThat(tracker.guardSettings().limitForPeriod()).isEqualTo(5);
    assertThat(tracker.auth().type()).isEqualTo(AuthType.BEARER);
    assertThat(targets.of(TargetSystem.NOTIFICATION).channelName()).isEqualTo("sev1-ops");

    RestEndpoint endpoint = tracker.endpoint(TargetSystem.TRACKER, Map.of("TRACKER_TOKEN", TOKEN));
    assertThat(endpoint.authentication().authorizationHeader()).contains("Bearer " + TOKEN);
  }

  @Test
  void secretsComeFromFilesOrTheEnvironmentAndAreNeverPrinted(@TempDir Path dir) throws Exception {
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    TargetsProperties targets =
        bind(
            Map.of(
                "closeout.targets.kind", "rest",
                "closeout.targets.base-url", "http://all.internal:8089",
                "closeout.targets.review.auth.type", "bearer",
                "closeout.targets.review.auth.token-file", tokenFile.toString(),
                "closeout.targets.ledger.auth.type", "basic",
                "closeout.targets.ledger.auth.username", "closeout",
                "closeout.targets.ledger.auth.password-env", "LEDGER_PASSWORD"));
    Map<String, String> environment = Map.of("LEDGER_PASSWORD", TOKEN + "-pw");

    RestEndpoint review =
        targets.of(TargetSystem.REVIEW).endpoint(TargetSystem.REVIEW, environment);
    RestEndpoint ledger =
        targets.of(TargetSystem.LEDGER).endpoint(TargetSystem.LEDGER, environment);

    assertThat(review.authentication().authorizationHeader()).contains("Bearer " + TOKEN);
    assertThat(ledger.authentication()).isInstanceOf(Authentication.Basic.class);
    for (Object printed :
        new Object[] {
          targets,
          review,
          ledger,
          review.authentication(),
          ledger.authentication(),
          TargetsAssembly.assemble(targets, new SandboxSystems(), Clock.systemUTC(), environment)
              .statuses()
        }) {
      assertThat(printed.toString()).doesNotContain(TOKEN);
    }
  }

  @Test
  void missingSecretFailsAtStartNamingThePropertyNotAValue() {
    TargetsProperties targets =
        bind(
            Map.of(
                "closeout.targets.queue.kind", "rest",
                "closeout.targets.queue.base-url", "http://queue.internal",
                "closeout.targets.queue.auth.type", "bearer"));
    assertThatThrownBy(() -> targets.of(TargetSystem.QUEUE).endpoint(TargetSystem.QUEUE, Map.of()))
        .hasMessageContaining("closeout.targets.queue.auth.token-file")
        .hasMessageContaining("token-env");
    assertThatThrownBy(
            () ->
                bind(Map.of(
                        "closeout.targets.archive.kind", "rest",
                        "closeout.targets.archive.auth.type", "none"))
                    .of(TargetSystem.ARCHIVE)
                    .endpoint(TargetSystem.ARCHIVE, Map.of()))
        .hasMessageContaining("base-url");
  }

  @Test
  void clientCertificateIsLoadedFromAPkcs12KeystoreAndNeedsHttps(@TempDir Path dir)
      throws Exception {
    Path keystore = dir.resolve("client.p12");
    String password = "ks-pass-9c1e";
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "closeout",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=closeout-client",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password)
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    Path passwordFile = dir.resolve("keystore-password");
    Files.writeString(passwordFile, password);
    AuthProperties auth =
        new AuthProperties(
            AuthType.CLIENT_CERTIFICATE,
            null,
            null,
            null,
            null,
            null,
            keystore,
            passwordFile,
            null);
    TargetProperties https =
        new TargetProperties(
            TargetKind.REST,
            URI.create("https://ledger.internal"),
            auth,
            null,
            null,
            null,
            null,
            null);
    TargetProperties http =
        new TargetProperties(
            TargetKind.REST,
            URI.create("http://ledger.internal"),
            auth,
            null,
            null,
            null,
            null,
            null);

    RestEndpoint endpoint = https.endpoint(TargetSystem.LEDGER, Map.of());

    assertThat(endpoint.authentication().sslContext()).isPresent();
    assertThat(endpoint.authentication().authorizationHeader()).isEmpty();
    assertThat(endpoint.toString()).doesNotContain(password);
    assertThatThrownBy(() -> http.endpoint(TargetSystem.LEDGER, Map.of()))
        .hasMessageContaining("https");
    Files.writeString(passwordFile, "wrong-password");
    assertThatThrownBy(() -> https.endpoint(TargetSystem.LEDGER, Map.of()))
        .hasMessageContaining("keystore")
        .hasMessageNotContaining("wrong-password");
  }
}
