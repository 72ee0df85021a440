package com.closeout.targets;

import java.util.Optional;

/**
 * The evidence archive: read only. Closeout confirms a reference exists with its digest and never
 * downloads the document.
 *
 * @throws TargetUnavailableException when the system does not answer
 */
public interface EvidenceArchive {
  Optional<ArchiveObject> head(String uri);
}
