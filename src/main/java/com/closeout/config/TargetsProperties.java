package com.closeout.config;

import com.closeout.domain.TargetSystem;
import com.closeout.targets.resilience.GuardSettings;
import com.closeout.targets.rest.Authentication;
import com.closeout.targets.rest.RestEndpoint;
import com.closeout.targets.rest.RestTargets;
import com.closeout.targets.rest.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code closeout.targets.*}: how Closeout reaches each of the six systems, in one place. {@code
 * closeout.targets.kind} and {@code closeout.targets.base-url} are defaults for every system;
 * {@code closeout.targets.<system>.*} (review, tracker, ledger, queue, archive, notification)
 * override them per system. Secrets are never values here: only the file or the environment
 * variable that holds them.
 */
@ConfigurationProperties("closeout.targets")
public record TargetsProperties(
    TargetKind kind,
    URI baseUrl,
    TargetProperties review,
    TargetProperties tracker,
    TargetProperties ledger,
    TargetProperties queue,
    TargetProperties archive,
    TargetProperties notification) {

  /** Where a system's port comes from. Vendor connectors add their kinds here. */
  public enum TargetKind {
    /** The in-memory sandbox systems of this process (the default: nothing to set up). */
    SANDBOX,
    /** The generic REST adapter on the reference contract, docs/api/targets.openapi.yaml. */
    REST,
    /** Tracker only: Jira Service Management, {@code closeout.targets.tracker.jira.*}. */
    JIRA,
    /** Ledger only: a ServiceNow table, {@code closeout.targets.ledger.servicenow.*}. */
    SERVICENOW,
    /** Notification only: Slack chat.postMessage ({@link SlackTeamsS3Properties}). */
    SLACK,
    /** Notification only: a Microsoft Teams Workflows webhook ({@link SlackTeamsS3Properties}). */
    TEAMS,
    /** Archive only: S3-compatible object storage ({@link SlackTeamsS3Properties}). */
    S3;

    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public enum AuthType {
    NONE,
    BEARER,
    BASIC,
    CLIENT_CERTIFICATE
  }

  public TargetsProperties {
    kind = kind == null ? TargetKind.SANDBOX : kind;
    review = orEmpty(review);
    tracker = orEmpty(tracker);
    ledger = orEmpty(ledger);
    queue = orEmpty(queue);
    archive = orEmpty(archive);
    notification = orEmpty(notification);
  }

  public static TargetsProperties defaults() {
    return new TargetsProperties(null, null, null, null, null, null, null, null);
  }

  /** One system's settings with the defaults above filled in. */
  public TargetProperties of(TargetSystem system) {
    TargetProperties own =
        switch (system) {
          case REVIEW -> review;
          case TRACKER -> tracker;
          case LEDGER -> ledger;
          case QUEUE -> queue;
          case ARCHIVE -> archive;
          case NOTIFICATION -> notification;
          case AUDIT -> throw new IllegalArgumentException("the audit store is not a target");
        };
    return own.withDefaults(kind, baseUrl);
  }

  private static TargetProperties orEmpty(TargetProperties target) {
    return target == null ? TargetProperties.empty() : target;
  }

  /**
   * One system.
   *
   * @param kind sandbox (default), rest, jira (tracker), servicenow (ledger), slack or teams
   *     (notification), s3 (archive)
   * @param baseUrl the system's base URL (rest)
   * @param auth how Closeout authenticates
   * @param connectTimeout how long to wait for a connection (default 2 s)
   * @param readTimeout how long to wait for an answer once connected (default 5 s)
   * @param breaker the circuit breaker
   * @param rateLimit the rate limiter
   * @param channelName notification only: the channel's name in audit entries
   */
  public record TargetProperties(
      TargetKind kind,
      URI baseUrl,
      AuthProperties auth,
      Duration connectTimeout,
      Duration readTimeout,
      BreakerProperties breaker,
      RateLimitProperties rateLimit,
      String channelName) {

    public TargetProperties {
      auth = auth == null ? AuthProperties.none() : auth;
      connectTimeout =
          connectTimeout == null ? RestEndpoint.DEFAULT_CONNECT_TIMEOUT : connectTimeout;
      readTimeout = readTimeout == null ? RestEndpoint.DEFAULT_READ_TIMEOUT : readTimeout;
      breaker = breaker == null ? BreakerProperties.defaults() : breaker;
      rateLimit = rateLimit == null ? RateLimitProperties.defaults() : rateLimit;
      channelName =
          channelName == null || channelName.isBlank()
              ? RestTargets.DEFAULT_CHANNEL_NAME
              : channelName.strip();
    }

    static TargetProperties empty() {
      return new TargetProperties(null, null, null, null, null, null, null, null);
    }

    TargetProperties withDefaults(TargetKind defaultKind, URI defaultBaseUrl) {
      return new TargetProperties(
          kind == null ? defaultKind : kind,
          baseUrl == null ? defaultBaseUrl : baseUrl,
          auth,
          connectTimeout,
          readTimeout,
          breaker,
          rateLimit,
          channelName);
    }

    /** The REST endpoint, secrets read now from their files or variables. */
    public RestEndpoint endpoint(TargetSystem system, Map<String, String> environment) {
      if (baseUrl == null) {
        throw new IllegalStateException(
            "closeout.targets."
                + system.wireName()
                + ".base-url (or closeout.targets.base-url) is required for kind "
                + kind.configName());
      }
      return new RestEndpoint(
          system, baseUrl, auth.authentication(system, environment), connectTimeout, readTimeout);
    }

    public GuardSettings guardSettings() {
      return new GuardSettings(
          breaker.failureRateThreshold(),
          breaker.slidingWindowSize(),
          breaker.minimumNumberOfCalls(),
          breaker.waitInOpenState(),
          breaker.permittedCallsInHalfOpenState(),
          rateLimit.limitForPeriod(),
          rateLimit.limitRefreshPeriod(),
          rateLimit.timeout());
    }
  }

  /**
   * Credentials: for bearer {@code token-file} or {@code token-env}; for basic {@code username} and
   * {@code password-file} or {@code password-env}; for client-certificate {@code keystore-file}
   * (PKCS12) and {@code keystore-password-file} or {@code keystore-password-env}. The *-env
   * properties name an environment variable; they never hold the secret itself.
   */
  public record AuthProperties(
      AuthType type,
      Path tokenFile,
      String tokenEnv,
      String username,
      Path passwordFile,
      String passwordEnv,
      Path keystoreFile,
      Path keystorePasswordFile,
      String keystorePasswordEnv) {

    public AuthProperties {
      type = type == null ? AuthType.NONE : type;
    }

    static AuthProperties none() {
      return new AuthProperties(null, null, null, null, null, null, null, null, null);
    }

    Authentication authentication(TargetSystem system, Map<String, String> environment) {
      String prefix = "closeout.targets." + system.wireName() + ".auth.";
      return switch (type) {
        case NONE -> new Authentication.None();
        case BEARER ->
            new Authentication.Bearer(
                secret(
                    tokenFile, tokenEnv, prefix + "token-file", prefix + "token-env", environment));
        case BASIC -> {
          if (username == null || username.isBlank()) {
            throw new IllegalStateException(prefix + "username is required for basic auth");
          }
          yield new Authentication.Basic(
              username.strip(),
              secret(
                  passwordFile,
                  passwordEnv,
                  prefix + "password-file",
                  prefix + "password-env",
                  environment));
        }
        case CLIENT_CERTIFICATE -> {
          if (keystoreFile == null) {
            throw new IllegalStateException(
                prefix + "keystore-file is required for client-certificate auth");
          }
          yield Authentication.ClientCertificate.load(
              keystoreFile,
              secret(
                  keystorePasswordFile,
                  keystorePasswordEnv,
                  prefix + "keystore-password-file",
                  prefix + "keystore-password-env",
                  environment));
        }
      };
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

  /**
   * @param failureRateThreshold percent of failed calls that opens the breaker (default 50)
   * @param slidingWindowSize calls the rate is computed over (default 20)
   * @param minimumNumberOfCalls calls before the rate counts (default 10)
   * @param waitInOpenState how long an open breaker refuses calls (default 30 s)
   * @param permittedCallsInHalfOpenState trial calls after that (default 3)
   */
  public record BreakerProperties(
      Float failureRateThreshold,
      Integer slidingWindowSize,
      Integer minimumNumberOfCalls,
      Duration waitInOpenState,
      Integer permittedCallsInHalfOpenState) {
    public BreakerProperties {
      GuardSettings d = GuardSettings.defaults();
      failureRateThreshold =
          failureRateThreshold == null ? d.failureRateThreshold() : failureRateThreshold;
      slidingWindowSize = slidingWindowSize == null ? d.slidingWindowSize() : slidingWindowSize;
      minimumNumberOfCalls =
          minimumNumberOfCalls == null ? d.minimumNumberOfCalls() : minimumNumberOfCalls;
      waitInOpenState = waitInOpenState == null ? d.waitInOpenState() : waitInOpenState;
      permittedCallsInHalfOpenState =
          permittedCallsInHalfOpenState == null
              ? d.permittedCallsInHalfOpenState()
              : permittedCallsInHalfOpenState;
    }

    static BreakerProperties defaults() {
      return new BreakerProperties(null, null, null, null, null);
    }
  }

  /**
   * @param limitForPeriod calls per period (default 50)
   * @param limitRefreshPeriod the period (default 100 ms)
   * @param timeout how long a call waits for a permission before it counts as unavailable (default
   *     2 s)
   */
  public record RateLimitProperties(
      Integer limitForPeriod, Duration limitRefreshPeriod, Duration timeout) {
    public RateLimitProperties {
      GuardSettings d = GuardSettings.defaults();
      limitForPeriod = limitForPeriod == null ? d.limitForPeriod() : limitForPeriod;
      limitRefreshPeriod = limitRefreshPeriod == null ? d.limitRefreshPeriod() : limitRefreshPeriod;
      timeout = timeout == null ? d.limitTimeout() : timeout;
    }

    static RateLimitProperties defaults() {
      return new RateLimitProperties(null, null, null);
    }
  }
}
