package com.closeout.targets.rest;

import com.closeout.targets.ArchiveObject;
import com.closeout.targets.EvidenceArchive;
import com.closeout.targets.TargetUnavailableException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The archive over the reference contract: a HEAD per reference, never a download. */
public final class RestEvidenceArchive implements EvidenceArchive {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final ContractClient client;

  public RestEvidenceArchive(ContractClient client) {
    this.client = client;
  }

  @Override
  public Optional<ArchiveObject> head(String uri) {
    ContractClient.Answer answer = client.head("/archive/objects?uri=" + ContractClient.query(uri));
    if (answer.notFound()) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw new TargetUnavailableException(
          client.system(), "HTTP " + answer.status() + " on a read", false);
    }
    String digest =
        answer
            .header(ContractClient.CHECKSUM_SHA256)
            .map(v -> v.strip().toLowerCase(Locale.ROOT))
            .orElse("");
    if (!SHA256.matcher(digest).matches()) {
      // Without a digest nothing can be verified; the closure waits rather than guess.
      throw new TargetUnavailableException(
          client.system(), "no valid " + ContractClient.CHECKSUM_SHA256 + " header", false);
    }
    return Optional.of(new ArchiveObject(uri, digest));
  }
}
