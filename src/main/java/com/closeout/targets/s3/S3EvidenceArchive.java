package com.closeout.targets.s3;

import com.closeout.domain.TargetSystem;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.EvidenceArchive;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.rest.ContractClient;
import com.closeout.targets.rest.TargetCheck;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The evidence archive on S3-compatible object storage: one signed {@code HEAD Object} per
 * reference (AWS Signature Version 4, by the AWS SDK for Java v2), never a download. The digest is
 * the object's full-object {@code x-amz-checksum-sha256} (asked for with {@code
 * x-amz-checksum-mode: ENABLED}; base64 of the 32 bytes, turned into lowercase hex) or, when the
 * object has none, the hex SHA-256 in the configured user metadata ({@code x-amz-meta-sha256}).
 *
 * <p>The SDK does not retry (Closeout's retries are durable rows) and every call is bounded by
 * connect + read timeout. 404 is an absent object; 403, 503 SlowDown, 429 and transport failures
 * are {@link TargetUnavailableException}, throttling with a {@code retryAfter}.
 */
public final class S3EvidenceArchive implements EvidenceArchive, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3EvidenceArchive.class);
  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final S3Settings settings;
  private final S3Client s3;
  private final Clock clock;

  public S3EvidenceArchive(S3Settings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.s3 = client(settings);
  }

  static S3Client client(S3Settings settings) {
    AwsCredentials credentials =
        settings.sessionToken() == null
            ? AwsBasicCredentials.create(
                settings.accessKeyId().reveal(), settings.secretAccessKey().reveal())
            : AwsSessionCredentials.create(
                settings.accessKeyId().reveal(),
                settings.secretAccessKey().reveal(),
                settings.sessionToken().reveal());
    Duration callBound = settings.connectTimeout().plus(settings.readTimeout());
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(StaticCredentialsProvider.create(credentials))
            .forcePathStyle(settings.pathStyle())
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(settings.connectTimeout())
                    .socketTimeout(settings.readTimeout())
                    .build())
            .overrideConfiguration(
                o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(callBound));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  /** The URL shown for this archive: the endpoint, or AWS's regional one. */
  public URI displayUrl() {
    return settings.endpoint() != null
        ? settings.endpoint()
        : URI.create("https://s3." + settings.region() + ".amazonaws.com");
  }

  @Override
  public Optional<ArchiveObject> head(String uri) {
    Optional<ArchiveLocation.ObjectKey> location = settings.resolve(uri);
    if (location.isEmpty()) {
      // Not an object of any configured location: it cannot be in this archive.
      LOG.warn("archive reference {} matches no configured S3 location", uri);
      return Optional.empty();
    }
    ArchiveLocation.ObjectKey object = location.get();
    HeadObjectResponse response;
    try {
      response =
          s3.headObject(
              HeadObjectRequest.builder()
                  .bucket(object.bucket())
                  .key(object.key())
                  .checksumMode(ChecksumMode.ENABLED)
                  .build());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw refused(e, "HEAD " + object.bucket() + "/" + object.key());
    } catch (SdkClientException e) {
      throw unavailable(
          "HEAD " + object.bucket() + "/" + object.key() + " failed: " + transport(e), null);
    }
    String digest =
        digest(response, settings.digestMetadataKey())
            .orElseThrow(
                () ->
                    unavailable(
                        "object "
                            + object.bucket()
                            + "/"
                            + object.key()
                            + " has no full-object x-amz-checksum-sha256 and no valid x-amz-meta-"
                            + settings.digestMetadataKey(),
                        null));
    return Optional.of(new ArchiveObject(uri, digest));
  }

  /**
   * The object's SHA-256 as lowercase hex: the full-object checksum S3 keeps, else the metadata
   * entry. A composite checksum (a multipart upload's checksum of part checksums, {@code ...-N}) is
   * not the document's digest and is skipped.
   */
  static Optional<String> digest(HeadObjectResponse response, String metadataKey) {
    String checksum = response.checksumSHA256();
    boolean composite =
        response.checksumType() == ChecksumType.COMPOSITE
            || (checksum != null && checksum.contains("-"));
    if (checksum != null && !composite) {
      Optional<String> hex = base64ToHex(checksum);
      if (hex.isPresent()) {
        return hex;
      }
    }
    String meta = response.metadata() == null ? null : response.metadata().get(metadataKey);
    if (meta != null) {
      String hex = meta.strip().toLowerCase(Locale.ROOT);
      if (HEX_SHA256.matcher(hex).matches()) {
        return Optional.of(hex);
      }
    }
    return Optional.empty();
  }

  static Optional<String> base64ToHex(String base64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64.strip());
      return bytes.length == 32 ? Optional.of(HexFormat.of().formatHex(bytes)) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private TargetUnavailableException refused(S3Exception e, String call) {
    int status = e.statusCode();
    Duration retryAfter =
        e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null
            ? null
            : e.awsErrorDetails()
                .sdkHttpResponse()
                .firstMatchingHeader("Retry-After")
                .flatMap(v -> ContractClient.parseRetryAfter(v, clock))
                .orElse(null);
    if (status == 503 || status == 429) {
      return unavailable(
          call + ": HTTP " + status + " (slow down)",
          retryAfter != null ? retryAfter : settings.throttleWait());
    }
    if (status == 403) {
      return unavailable(
          call
              + ": HTTP 403 (access denied: check the access key, the bucket policy and"
              + " s3:GetObject; without s3:ListBucket S3 answers 403 for a missing object too)",
          retryAfter);
    }
    if (status == 401) {
      return unavailable(call + ": HTTP 401 (credentials refused)", retryAfter);
    }
    if (status == 301 || status == 400) {
      return unavailable(
          call + ": HTTP " + status + " (check the region and the endpoint / path-style setting)",
          retryAfter);
    }
    return unavailable(call + ": HTTP " + status, retryAfter);
  }

  private static String transport(SdkClientException e) {
    String type = e.getClass().getSimpleName();
    return type.contains("Timeout") ? "timed out" : "no answer (" + type + ")";
  }

  private static TargetUnavailableException unavailable(String message, Duration retryAfter) {
    return new TargetUnavailableException(TargetSystem.ARCHIVE, "s3 " + message, false, retryAfter);
  }

  /** {@code check-config}: {@code HEAD Bucket} on each configured bucket; nothing is read. */
  public TargetCheck check(String kind) {
    String url = displayUrl().toString();
    List<String> problems = new ArrayList<>();
    for (String bucket : settings.buckets()) {
      try {
        s3.headBucket(HeadBucketRequest.builder().bucket(bucket).build());
      } catch (S3Exception e) {
        int status = e.statusCode();
        if (status == 401 || status == 403) {
          return new TargetCheck(
              TargetSystem.ARCHIVE,
              kind,
              url,
              true,
              false,
              false,
              "HeadBucket " + bucket + ": HTTP " + status + " (access denied)");
        }
        problems.add(
            "HeadBucket "
                + bucket
                + ": HTTP "
                + status
                + (status == 404
                    ? " (no such bucket)"
                    : status == 301 ? " (bucket in another region)" : ""));
      } catch (SdkClientException e) {
        return new TargetCheck(
            TargetSystem.ARCHIVE,
            kind,
            url,
            false,
            false,
            false,
            "HeadBucket " + bucket + ": " + transport(e));
      }
    }
    return problems.isEmpty()
        ? new TargetCheck(TargetSystem.ARCHIVE, kind, url, true, true, true, "ok")
        : new TargetCheck(
            TargetSystem.ARCHIVE, kind, url, true, true, false, String.join("; ", problems));
  }

  @Override
  public void close() {
    s3.close();
  }
}
