package com.closeout.targets.s3;

import java.util.Objects;
import java.util.Optional;

/**
 * Where archive references with one URI prefix live: {@code archive://closure-packets/} in bucket
 * {@code evidence}, keys under {@code closure-packets/}. The rest of the URI after the prefix is
 * appended to the key prefix as it is.
 *
 * @param uriPrefix e.g. {@code archive://closure-packets/}
 * @param bucket the bucket name
 * @param keyPrefix prepended to the URI's remainder; empty for none
 */
public record ArchiveLocation(String uriPrefix, String bucket, String keyPrefix) {
  public ArchiveLocation {
    if (uriPrefix == null || uriPrefix.isBlank()) {
      throw new IllegalArgumentException("s3: a location needs a uri-prefix");
    }
    if (bucket == null || !bucket.strip().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException(
          "s3: location " + uriPrefix + " needs a valid bucket name, not " + bucket);
    }
    bucket = bucket.strip();
    keyPrefix = keyPrefix == null ? "" : keyPrefix;
    if (keyPrefix.startsWith("/")) {
      throw new IllegalArgumentException("s3: key-prefix must not start with '/': " + keyPrefix);
    }
  }

  /** The object a URI names here: bucket and key. */
  public record ObjectKey(String bucket, String key) {
    public ObjectKey {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * The object for {@code uri} when it starts with this prefix and its remainder is a plain key:
   * empty, or with a {@code .} or {@code ..} segment, it names nothing.
   */
  public Optional<ObjectKey> resolve(String uri) {
    if (!uri.startsWith(uriPrefix)) {
      return Optional.empty();
    }
    String rest = uri.substring(uriPrefix.length());
    if (rest.isEmpty() || rest.startsWith("/")) {
      return Optional.empty();
    }
    for (String segment : rest.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return Optional.empty();
      }
    }
    return Optional.of(new ObjectKey(bucket, keyPrefix + rest));
  }
}
