package com.closeout.config;

import com.closeout.config.TargetsProperties.TargetKind;
import com.closeout.config.TargetsProperties.TargetProperties;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.notice.NoticeDeliveries;
import com.closeout.targets.rest.Secret;
import com.closeout.targets.rest.TargetCheck;
import com.closeout.targets.s3.ArchiveLocation;
import com.closeout.targets.s3.S3EvidenceArchive;
import com.closeout.targets.s3.S3Settings;
import com.closeout.targets.slack.SlackChannel;
import com.closeout.targets.slack.SlackSettings;
import com.closeout.targets.teams.TeamsChannel;
import com.closeout.targets.teams.TeamsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The vendor settings of the coordinator channel and the archive, beside {@link TargetsProperties}
 * (which picks the kind, timeouts, breaker and limiter of each system):
 *
 * <ul>
 *   <li>{@code closeout.targets.notification.slack.*} for {@code notification.kind=slack}: {@code
 *       channel-id}, {@code token-file} or {@code token-env}, {@code api-url}, {@code
 *       history-lookback}, {@code history-page-size}, {@code history-max-pages};
 *   <li>{@code closeout.targets.notification.teams.*} for {@code notification.kind=teams}: {@code
 *       webhook-url-file} or {@code webhook-url-env} (the URL is a credential);
 *   <li>{@code closeout.targets.archive.s3.*} for {@code archive.kind=s3}: {@code endpoint}, {@code
 *       region}, {@code path-style}, {@code access-key-id-file|env}, {@code
 *       secret-access-key-file|env}, {@code session-token-file|env}, {@code locations[n].uri-prefix
 *       / bucket / key-prefix}, {@code digest-metadata-key}, {@code throttle-wait}.
 * </ul>
 *
 * Secrets are never values here: only the file or the environment variable that holds them.
 */
@ConfigurationProperties("closeout.targets")
public record SlackTeamsS3Properties(NotificationVendors notification, ArchiveVendors archive) {

  public SlackTeamsS3Properties {
    notification = notification == null ? new NotificationVendors(null, null) : notification;
    archive = archive == null ? new ArchiveVendors(null) : archive;
  }

  public static SlackTeamsS3Properties none() {
    return new SlackTeamsS3Properties(null, null);
  }

  public record NotificationVendors(SlackProperties slack, TeamsProperties teams) {}

  public record ArchiveVendors(S3Properties s3) {}

  /**
   * @param apiUrl the Slack Web API base (default https://slack.com/api)
   * @param channelId the conversation id, e.g. C0123456789
   * @param tokenFile a file holding the bot token (xoxb-...)
   * @param tokenEnv an environment variable holding the bot token
   * @param historyLookback how far before an unconfirmed post's first attempt the channel history
   *     is searched (default 10 min)
   * @param historyPageSize messages per history page (default 200)
   * @param historyMaxPages history pages searched at most (default 20)
   */
  public record SlackProperties(
      URI apiUrl,
      String channelId,
      Path tokenFile,
      String tokenEnv,
      Duration historyLookback,
      Integer historyPageSize,
      Integer historyMaxPages) {}

  /**
   * @param webhookUrlFile a file holding the Workflows / incoming webhook URL
   * @param webhookUrlEnv an environment variable holding it
   */
  public record TeamsProperties(Path webhookUrlFile, String webhookUrlEnv) {}

  /**
   * @param endpoint the S3-compatible endpoint; none for AWS's regional endpoint
   * @param region the SigV4 signing region
   * @param pathStyle path-style addressing (default true: what S3-compatible stores expect)
   * @param locations archive URI prefix to bucket and key prefix
   * @param digestMetadataKey user metadata holding the hex SHA-256 (default sha256, i.e.
   *     x-amz-meta-sha256)
   * @param throttleWait the least wait after 503 SlowDown / 429 without Retry-After (default 5 s)
   */
  public record S3Properties(
      URI endpoint,
      String region,
      Boolean pathStyle,
      Path accessKeyIdFile,
      String accessKeyIdEnv,
      Path secretAccessKeyFile,
      String secretAccessKeyEnv,
      Path sessionTokenFile,
      String sessionTokenEnv,
      List<LocationProperties> locations,
      String digestMetadataKey,
      Duration throttleWait) {}

  public record LocationProperties(String uriPrefix, String bucket, String keyPrefix) {}

  /** One vendor-built system: its port, the URL shown for it, and its check-config. */
  public record Connector(Object port, URI baseUrl, Supplier<TargetCheck> check) {}

  /** Whether {@code kind} is one of these vendors'. */
  public static boolean handles(TargetKind kind) {
    return kind == TargetKind.SLACK || kind == TargetKind.TEAMS || kind == TargetKind.S3;
  }

  /**
   * Builds the vendor port of {@code system}; secrets are read now.
   *
   * @param target the system's common settings (kind, timeouts, channel name)
   * @param deliveries the notice-delivery record (Slack, Teams)
   */
  public Connector connector(
      TargetSystem system,
      TargetProperties target,
      NoticeDeliveries deliveries,
      Clock clock,
      Map<String, String> environment) {
    TargetKind kind = target.kind();
    String name = kind.configName();
    TargetSystem home = kind == TargetKind.S3 ? TargetSystem.ARCHIVE : TargetSystem.NOTIFICATION;
    if (system != home) {
      throw new IllegalStateException(
          "closeout.targets."
              + system.wireName()
              + ".kind="
              + name
              + ": "
              + name
              + " can only be the "
              + home.wireName()
              + " system");
    }
    if (kind == TargetKind.S3) {
      S3EvidenceArchive archive = new S3EvidenceArchive(s3Settings(target, environment), clock);
      return new Connector(archive, archive.displayUrl(), () -> archive.check(name));
    }
    if (deliveries == null) {
      throw new IllegalStateException(
          "closeout.targets.notification.kind=" + name + " needs Closeout's store");
    }
    if (kind == TargetKind.SLACK) {
      SlackSettings settings = slackSettings(target, environment);
      SlackChannel channel = new SlackChannel(settings, target.channelName(), deliveries, clock);
      return new Connector(channel, settings.apiUrl(), () -> channel.check(name));
    }
    TeamsProperties teams = notification.teams();
    String prefix = "closeout.targets.notification.teams.";
    if (teams == null) {
      throw new IllegalStateException(prefix + "webhook-url-file or -env is required");
    }
    TeamsSettings settings =
        new TeamsSettings(
            secret(
                teams.webhookUrlFile(),
                teams.webhookUrlEnv(),
                prefix + "webhook-url-file",
                prefix + "webhook-url-env",
                environment),
            target.connectTimeout(),
            target.readTimeout());
    TeamsChannel channel = new TeamsChannel(settings, target.channelName(), deliveries, clock);
    return new Connector(channel, settings.origin(), () -> channel.check(name));
  }

  SlackSettings slackSettings(TargetProperties target, Map<String, String> environment) {
    SlackProperties slack = notification.slack();
    String prefix = "closeout.targets.notification.slack.";
    if (slack == null || slack.channelId() == null) {
      throw new IllegalStateException(prefix + "channel-id is required");
    }
    return new SlackSettings(
        slack.apiUrl(),
        slack.channelId(),
        secret(
            slack.tokenFile(),
            slack.tokenEnv(),
            prefix + "token-file",
            prefix + "token-env",
            environment),
        target.connectTimeout(),
        target.readTimeout(),
        slack.historyLookback(),
        slack.historyPageSize() == null ? 0 : slack.historyPageSize(),
        slack.historyMaxPages() == null ? 0 : slack.historyMaxPages());
  }

  S3Settings s3Settings(TargetProperties target, Map<String, String> environment) {
    S3Properties s3 = archive.s3();
    String prefix = "closeout.targets.archive.s3.";
    if (s3 == null) {
      throw new IllegalStateException(prefix + "region and locations are required");
    }
    List<ArchiveLocation> locations =
        (s3.locations() == null ? List.<LocationProperties>of() : s3.locations())
            .stream()
                .map(l -> new ArchiveLocation(l.uriPrefix(), l.bucket(), l.keyPrefix()))
                .toList();
    Secret sessionToken =
        s3.sessionTokenFile() == null
                && (s3.sessionTokenEnv() == null || s3.sessionTokenEnv().isBlank())
            ? null
            : secret(
                s3.sessionTokenFile(),
                s3.sessionTokenEnv(),
                prefix + "session-token-file",
                prefix + "session-token-env",
                environment);
    return new S3Settings(
        s3.endpoint(),
        s3.region(),
        s3.pathStyle() == null || s3.pathStyle(),
        secret(
            s3.accessKeyIdFile(),
            s3.accessKeyIdEnv(),
            prefix + "access-key-id-file",
            prefix + "access-key-id-env",
            environment),
        secret(
            s3.secretAccessKeyFile(),
            s3.secretAccessKeyEnv(),
            prefix + "secret-access-key-file",
            prefix + "secret-access-key-env",
            environment),
        sessionToken,
        locations,
        s3.digestMetadataKey(),
        target.connectTimeout(),
        target.readTimeout(),
        s3.throttleWait());
  }

  private static Secret secret(
      Path file,
      String variable,
      String fileProperty,
      String variableProperty,
      Map<String, String> environment) {
    if (file != null) {
      return Secret.fromFile(file);
    }
    if (variable != null && !variable.isBlank()) {
      return Secret.fromEnvironment(variable.strip(), environment);
    }
    throw new IllegalStateException(fileProperty + " or " + variableProperty + " is required");
  }
}
