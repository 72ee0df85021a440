package com.closeout.targets;

/** What the archive says about an object: that it exists, and its digest. */
public record ArchiveObject(String uri, String sha256) {}
