package com.closeout.targets.s3;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.closeout.targets.ArchiveObject;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.rest.Secret;
import com.closeout.targets.rest.TargetCheck;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The S3 archive against a WireMock S3 following the S3 API reference: HeadObject with {@code
 * x-amz-checksum-mode: ENABLED} answering {@code x-amz-checksum-sha256} (base64) or user metadata,
 * 404, 403, 503 SlowDown, HeadBucket; every request signed with SigV4.
 */
class S3EvidenceArchiveTests {
  private static final String ACCESS_KEY = "AKIACLOSEOUTTEST0001";
  private static final String SECRET_KEY = "wJalrXUtnFEMI-closeout-test-secret-key";
  private static final String DIGEST =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final String OBJECT = "/evidence/packets/ESC-1042/v3.pdf";
  private static final String URI_ = "archive://closure-packets/ESC-1042/v3.pdf";

  private WireMockServer s3;
  private S3EvidenceArchive archive;

  @BeforeEach
  void start() {
    s3 = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    s3.start();
    archive = new S3EvidenceArchive(settings(), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    archive.close();
    s3.stop();
  }

  private S3Settings settings() {
    return new S3Settings(
        URI.create(s3.baseUrl()),
        "eu-central-1",
        true,
        Secret.of(ACCESS_KEY, "test"),
        Secret.of(SECRET_KEY, "test"),
        null,
        List.of(
            new ArchiveLocation("archive://closure-packets/", "evidence", "packets/"),
            new ArchiveLocation("archive://review-notes/", "notes", "")),
        null,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        null);
  }

  private static String base64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  private void stubHead(int status, String... headers) {
    var response = aResponse().withStatus(status);
    for (int i = 0; i < headers.length; i += 2) {
      response = response.withHeader(headers[i], headers[i + 1]);
    }
    s3.stubFor(WireMock.head(urlPathEqualTo(OBJECT)).willReturn(response));
  }

  @Test
  void theDigestIsTheChecksumHeaderTurnedFromBase64IntoHex() {
    stubHead(
        200,
        "x-amz-checksum-sha256",
        base64(DIGEST),
        "x-amz-checksum-type",
        "FULL_OBJECT",
        "Content-Length",
        "52311",
        "ETag",
        "\"d41d8cd98f00b204e9800998ecf8427e\"");

    assertThat(archive.head(URI_)).contains(new ArchiveObject(URI_, DIGEST));

    RequestPatternBuilder signedHead =
        new RequestPatternBuilder(RequestMethod.HEAD, urlPathEqualTo(OBJECT))
            .withHeader("x-amz-checksum-mode", equalTo("ENABLED"))
            .withHeader("x-amz-date", matching("\\d{8}T\\d{6}Z"))
            .withHeader("x-amz-content-sha256", matching("[0-9a-f]{64}|UNSIGNED-PAYLOAD"))
            .withHeader(
                "Authorization",
                matching(
                    "AWS4-HMAC-SHA256 Credential="
                        + ACCESS_KEY
                        + "/\\d{8}/eu-central-1/s3/aws4_request, SignedHeaders=[a-z0-9;-]*host"
                        + "[a-z0-9;-]*x-amz-date[a-z0-9;-]*, Signature=[0-9a-f]{64}"));
    s3.verify(1, signedHead);
    // Never a download, never the secret key on the wire.
    assertThat(s3.findAll(anyRequestedFor(anyUrl())))
        .allSatisfy(
            r -> {
              assertThat(r.getMethod()).isEqualTo(RequestMethod.HEAD);
              assertThat(r.toString()).doesNotContain(SECRET_KEY);
            });
  }

  @Test
  void withoutAChecksumTheDigestComesFromTheConfiguredMetadata() {
    stubHead(200, "x-amz-meta-sha256", DIGEST.toUpperCase(), "Content-Length", "10");

    assertThat(archive.head(URI_)).contains(new ArchiveObject(URI_, DIGEST));
  }

  @Test
  void aCompositeMultipartChecksumIsNotTheDocumentsDigest() {
    String other = "0".repeat(64);
    stubHead(
        200,
        "x-amz-checksum-sha256",
        base64(other) + "-3",
        "x-amz-checksum-type",
        "COMPOSITE",
        "x-amz-meta-sha256",
        DIGEST);

    assertThat(archive.head(URI_)).contains(new ArchiveObject(URI_, DIGEST));
  }

  @Test
  void anObjectWithNoDigestAtAllIsUnavailableNotGuessed() {
    stubHead(200, "Content-Length", "10");

    TargetUnavailableException e =
        catchThrowableOfType(TargetUnavailableException.class, () -> archive.head(URI_));
    assertThat(e.getMessage()).contains("no full-object x-amz-checksum-sha256");
  }

  @Test
  void aMissingObjectIsEmpty() {
    stubHead(404);

    assertThat(archive.head(URI_)).isEmpty();
  }

  @Test
  void anUnmappedReferenceIsEmptyWithoutACall() {
    assertThat(archive.head("archive://somewhere-else/ESC-1/v1.pdf")).isEmpty();
    assertThat(archive.head("archive://closure-packets/../notes/x.md")).isEmpty();
    assertThat(s3.getAllServeEvents()).isEmpty();
  }

  @Test
  void theLongestPrefixDecidesTheBucketAndTheKeyPrefix() {
    assertThat(settings().resolve("archive://review-notes/ESC-1/v1.md"))
        .contains(new ArchiveLocation.ObjectKey("notes", "ESC-1/v1.md"));
    assertThat(settings().resolve(URI_))
        .contains(new ArchiveLocation.ObjectKey("evidence", "packets/ESC-1042/v3.pdf"));
  }

  @Test
  void forbiddenIsUnavailableWithAClearMessage() {
    stubHead(403);

    TargetUnavailableException e =
        catchThrowableOfType(TargetUnavailableException.class, () -> archive.head(URI_));
    assertThat(e.getMessage()).contains("HTTP 403 (access denied");
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.outcomeUnknown()).isFalse();
  }

  @Test
  void slowDownAndThrottlingAreUnavailableWithRetryAfter() {
    stubHead(503, "Retry-After", "9");
    assertThat(
            catchThrowableOfType(TargetUnavailableException.class, () -> archive.head(URI_))
                .retryAfter())
        .contains(Duration.ofSeconds(9));

    stubHead(503);
    assertThat(
            catchThrowableOfType(TargetUnavailableException.class, () -> archive.head(URI_))
                .retryAfter())
        .contains(S3Settings.DEFAULT_THROTTLE_WAIT);

    stubHead(429, "Retry-After", "2");
    assertThat(
            catchThrowableOfType(TargetUnavailableException.class, () -> archive.head(URI_))
                .retryAfter())
        .contains(Duration.ofSeconds(2));
  }

  @Test
  void anUnreachableStoreIsUnavailable() {
    S3EvidenceArchive dead = new S3EvidenceArchive(settings(), Clock.systemUTC());
    s3.stop();
    TargetUnavailableException e =
        catchThrowableOfType(TargetUnavailableException.class, () -> dead.head(URI_));
    assertThat(e.getMessage()).contains("HEAD evidence/packets/ESC-1042/v3.pdf failed");
    dead.close();
  }

  @Test
  void checkConfigHeadsEachBucket() {
    s3.stubFor(WireMock.head(urlPathEqualTo("/evidence")).willReturn(aResponse().withStatus(200)));
    s3.stubFor(WireMock.head(urlPathEqualTo("/notes")).willReturn(aResponse().withStatus(200)));
    TargetCheck ok = archive.check("s3");
    assertThat(ok.passed()).isTrue();
    assertThat(s3.findAll(anyRequestedFor(anyUrl())))
        .extracting(r -> r.getMethod().getName() + " " + r.getUrl())
        .containsExactlyInAnyOrder("HEAD /evidence", "HEAD /notes");

    s3.stubFor(WireMock.head(urlPathEqualTo("/notes")).willReturn(aResponse().withStatus(404)));
    TargetCheck missing = archive.check("s3");
    assertThat(missing.authOk()).isTrue();
    assertThat(missing.contractOk()).isFalse();
    assertThat(missing.detail()).contains("HeadBucket notes: HTTP 404 (no such bucket)");

    s3.stubFor(WireMock.head(urlPathEqualTo("/evidence")).willReturn(aResponse().withStatus(403)));
    TargetCheck refused = archive.check("s3");
    assertThat(refused.reachable()).isTrue();
    assertThat(refused.authOk()).isFalse();
  }

  @Test
  void base64ThatIsNotThirtyTwoBytesIsNoDigest() {
    assertThat(S3EvidenceArchive.base64ToHex(base64(DIGEST))).contains(DIGEST);
    assertThat(S3EvidenceArchive.base64ToHex("AAAA")).isEqualTo(Optional.empty());
    assertThat(S3EvidenceArchive.base64ToHex("not base64!")).isEmpty();
  }
}
