package com.closeout.targets.s3;

import com.closeout.targets.rest.RestEndpoint;
import com.closeout.targets.rest.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The S3-compatible evidence archive.
 *
 * @param endpoint the service endpoint (e.g. {@code https://s3.eu-central-1.amazonaws.com}, a MinIO
 *     or Ceph URL); null for AWS's regional default
 * @param region the signing region (SigV4), e.g. {@code eu-central-1}; {@code us-east-1} for most
 *     S3-compatible stores
 * @param pathStyle {@code https://host/bucket/key} rather than {@code https://bucket.host/key}
 *     (S3-compatible stores mostly need it)
 * @param accessKeyId from a file or the environment
 * @param secretAccessKey from a file or the environment
 * @param sessionToken for temporary credentials; null for none
 * @param locations which URI prefixes live in which bucket and key prefix
 * @param digestMetadataKey the user-metadata key holding the hex SHA-256 when the object has no
 *     {@code x-amz-checksum-sha256}: {@code sha256} reads {@code x-amz-meta-sha256}
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for an answer once connected
 * @param throttleWait the least wait after {@code 503 SlowDown} or 429 without a Retry-After
 */
public record S3Settings(
    URI endpoint,
    String region,
    boolean pathStyle,
    Secret accessKeyId,
    Secret secretAccessKey,
    Secret sessionToken,
    List<ArchiveLocation> locations,
    String digestMetadataKey,
    Duration connectTimeout,
    Duration readTimeout,
    Duration throttleWait) {

  public static final String DEFAULT_DIGEST_METADATA_KEY = "sha256";
  public static final Duration DEFAULT_THROTTLE_WAIT = Duration.ofSeconds(5);

  public S3Settings {
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("s3: region is required (the SigV4 signing region)");
    }
    region = region.strip();
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    if (locations == null || locations.isEmpty()) {
      throw new IllegalArgumentException(
          "s3: at least one location (uri-prefix, bucket, key-prefix) is required");
    }
    // Longest prefix first: archive://a/b/ wins over archive://a/.
    locations =
        locations.stream()
            .sorted(
                Comparator.comparingInt((ArchiveLocation l) -> l.uriPrefix().length()).reversed())
            .toList();
    digestMetadataKey =
        digestMetadataKey == null || digestMetadataKey.isBlank()
            ? DEFAULT_DIGEST_METADATA_KEY
            : metadataName(digestMetadataKey);
    connectTimeout = connectTimeout == null ? RestEndpoint.DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    readTimeout = readTimeout == null ? RestEndpoint.DEFAULT_READ_TIMEOUT : readTimeout;
    throttleWait = throttleWait == null ? DEFAULT_THROTTLE_WAIT : throttleWait;
    if (endpoint != null
        && !"https".equals(endpoint.getScheme())
        && !"http".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException("s3: endpoint must be http or https: " + endpoint);
    }
  }

  /** The bucket and key of an archive URI, by the longest matching location. */
  public Optional<ArchiveLocation.ObjectKey> resolve(String uri) {
    for (ArchiveLocation location : locations) {
      if (uri.startsWith(location.uriPrefix())) {
        return location.resolve(uri);
      }
    }
    return Optional.empty();
  }

  /** The distinct buckets, for check-config. */
  public List<String> buckets() {
    return locations.stream().map(ArchiveLocation::bucket).distinct().toList();
  }

  // Both "sha256" and "x-amz-meta-sha256" name the same metadata entry; the SDK strips the prefix.
  private static String metadataName(String key) {
    String lower = key.strip().toLowerCase(Locale.ROOT);
    return lower.startsWith("x-amz-meta-") ? lower.substring("x-amz-meta-".length()) : lower;
  }
}
