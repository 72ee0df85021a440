package com.closeout.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.notice.NoticeDeliveries;
import com.closeout.targets.resilience.ConfiguredTargets;
import com.closeout.targets.s3.ArchiveLocation;
import com.closeout.targets.s3.S3Settings;
import com.closeout.targets.slack.SlackSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SlackTeamsS3PropertiesTests {
  private static final String TOKEN = "xoxb-from-a-file-0042";
  private static final String WEBHOOK =
      "https://prod-07.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke"
          + "?api-version=2016-06-01&sig=very-secret-sig";

  // Assembly needs a store only for Slack and Teams; nothing here posts.
  private static final NoticeDeliveries NO_POSTS =
      new NoticeDeliveries() {
        @Override
        public Claim claim(com.closeout.domain.IdempotencyKey key, String channel) {
          throw new AssertionError("no post expected");
        }

        @Override
        public void delivered(com.closeout.domain.IdempotencyKey key) {
          throw new AssertionError("no post expected");
        }

        @Override
        public void release(com.closeout.domain.IdempotencyKey key) {
          throw new AssertionError("no post expected");
        }

        @Override
        public void unconfirmed(
            com.closeout.domain.IdempotencyKey key,
            com.closeout.targets.CoordinatorNotice notice,
            String channel) {
          throw new AssertionError("no post expected");
        }
      };

  private static Binder binder(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties));
  }

  private static ConfiguredTargets assemble(
      Map<String, String> properties, Map<String, String> environment) {
    Binder binder = binder(properties);
    return TargetsAssembly.assemble(
        binder.bindOrCreate("closeout.targets", TargetsProperties.class),
        new VendorSettings(
            null,
            null,
            binder.bindOrCreate("closeout.targets", SlackTeamsS3Properties.class),
            NO_POSTS),
        new SandboxSystems(),
        Clock.systemUTC(),
        environment);
  }

  @Test
  void slackAndS3SettingsBindWithSecretsFromAFileAndTheEnvironment(@TempDir Path dir)
      throws Exception {
    Path token = Files.writeString(dir.resolve("slack-token"), TOKEN + "\n");
    Map<String, String> properties = new HashMap<>();
    properties.put("closeout.targets.notification.kind", "slack");
    properties.put("closeout.targets.notification.read-timeout", "3s");
    properties.put("closeout.targets.notification.slack.channel-id", "C0OPS");
    properties.put("closeout.targets.notification.slack.token-file", token.toString());
    properties.put("closeout.targets.notification.slack.history-lookback", "30m");
    properties.put("closeout.targets.archive.kind", "s3");
    properties.put("closeout.targets.archive.s3.region", "eu-central-1");
    properties.put("closeout.targets.archive.s3.access-key-id-env", "KEY_ID");
    properties.put("closeout.targets.archive.s3.secret-access-key-env", "SECRET");
    properties.put("closeout.targets.archive.s3.digest-metadata-key", "x-amz-meta-Digest");
    properties.put(
        "closeout.targets.archive.s3.locations[0].uri-prefix", "archive://closure-packets/");
    properties.put("closeout.targets.archive.s3.locations[0].bucket", "evidence-prod");
    properties.put("closeout.targets.archive.s3.locations[0].key-prefix", "packets/");
    Binder binder = binder(properties);
    TargetsProperties targets = binder.bindOrCreate("closeout.targets", TargetsProperties.class);
    SlackTeamsS3Properties vendors =
        binder.bindOrCreate("closeout.targets", SlackTeamsS3Properties.class);

    SlackSettings slack = vendors.slackSettings(targets.of(TargetSystem.NOTIFICATION), Map.of());
    assertThat(slack.botToken().reveal()).isEqualTo(TOKEN);
    assertThat(slack.apiUrl()).isEqualTo(URI.create("https://slack.com/api"));
    assertThat(slack.readTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(slack.historyLookback()).isEqualTo(Duration.ofMinutes(30));
    assertThat(slack.toString()).doesNotContain(TOKEN);

    S3Settings s3 =
        vendors.s3Settings(
            targets.of(TargetSystem.ARCHIVE), Map.of("KEY_ID", "AKIA1", "SECRET", "s3cr3t"));
    assertThat(s3.pathStyle()).isTrue();
    assertThat(s3.digestMetadataKey()).isEqualTo("digest");
    assertThat(s3.locations())
        .containsExactly(
            new ArchiveLocation("archive://closure-packets/", "evidence-prod", "packets/"));
    assertThat(s3.toString()).doesNotContain("s3cr3t");

    ConfiguredTargets assembled =
        assemble(properties, Map.of("KEY_ID", "AKIA1", "SECRET", "s3cr3t"));
    assertThat(assembled.statuses())
        .anySatisfy(
            s -> {
              assertThat(s.system()).isEqualTo("archive");
              assertThat(s.kind()).isEqualTo("s3");
              assertThat(s.baseUrl()).isEqualTo("https://s3.eu-central-1.amazonaws.com");
            })
        .anySatisfy(
            s -> {
              assertThat(s.system()).isEqualTo("notification");
              assertThat(s.kind()).isEqualTo("slack");
            });
  }

  @Test
  void teamsShowsOnlyTheWebhooksOriginAndIsNotCheckedByCheckConfig() {
    ConfiguredTargets assembled =
        assemble(
            Map.of(
                "closeout.targets.notification.kind", "teams",
                "closeout.targets.notification.teams.webhook-url-env", "TEAMS_WEBHOOK"),
            Map.of("TEAMS_WEBHOOK", WEBHOOK));

    assertThat(assembled.statuses())
        .filteredOn(s -> s.system().equals("notification"))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.baseUrl())
                    .isEqualTo("https://prod-07.westeurope.logic.azure.com:443"));
    assertThat(assembled.check())
        .filteredOn(c -> c.system() == TargetSystem.NOTIFICATION)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.checked()).isFalse();
              assertThat(c.passed()).isTrue();
              assertThat(c.toString()).doesNotContain("very-secret-sig", "/workflows/");
            });
  }

  @Test
  void aVendorKindOnAnotherSystemIsRefused() {
    assertThatThrownBy(() -> assemble(Map.of("closeout.targets.tracker.kind", "slack"), Map.of()))
        .hasMessageContaining("closeout.targets.tracker.kind=slack")
        .hasMessageContaining("only be the notification system");
    assertThatThrownBy(() -> assemble(Map.of("closeout.targets.kind", "s3"), Map.of()))
        .hasMessageContaining("only be the archive system");
  }

  @Test
  void missingSettingsAreNamedByTheirProperty() {
    assertThatThrownBy(
            () -> assemble(Map.of("closeout.targets.notification.kind", "slack"), Map.of()))
        .hasMessageContaining("closeout.targets.notification.slack.channel-id is required");
    assertThatThrownBy(
            () ->
                assemble(
                    Map.of(
                        "closeout.targets.notification.kind", "slack",
                        "closeout.targets.notification.slack.channel-id", "C1",
                        "closeout.targets.notification.slack.token-env", "NOPE"),
                    Map.of()))
        .hasMessageContaining("environment variable NOPE is not set");
    assertThatThrownBy(
            () -> assemble(Map.of("closeout.targets.notification.kind", "teams"), Map.of()))
        .hasMessageContaining("closeout.targets.notification.teams.webhook-url-file");
    assertThatThrownBy(
            () ->
                assemble(
                    Map.of(
                        "closeout.targets.archive.kind", "s3",
                        "closeout.targets.archive.s3.region", "us-east-1",
                        "closeout.targets.archive.s3.access-key-id-env", "A",
                        "closeout.targets.archive.s3.secret-access-key-env", "B"),
                    Map.of("A", "a", "B", "b")))
        .hasMessageContaining("at least one location");
  }

  @Test
  void withoutAStoreASlackChannelCannotBeAssembled() {
    Binder binder =
        binder(
            Map.of(
                "closeout.targets.notification.kind", "slack",
                "closeout.targets.notification.slack.channel-id", "C1",
                "closeout.targets.notification.slack.token-env", "T"));
    assertThatThrownBy(
            () ->
                TargetsAssembly.assemble(
                    binder.bindOrCreate("closeout.targets", TargetsProperties.class),
                    new SandboxSystems(),
                    Clock.systemUTC(),
                    Map.of("T", "xoxb-1")))
        .hasMessageContaining("needs Closeout's store");
  }
}
