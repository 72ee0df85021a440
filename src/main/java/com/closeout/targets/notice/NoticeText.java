package com.closeout.targets.notice;

import com.closeout.domain.TargetSystem;
import com.closeout.targets.CoordinatorNotice;
import java.util.stream.Collectors;

/**
 * The words of a coordinator notice, built from the {@link CoordinatorNotice} alone — its kind,
 * escalation id, version and systems — so nothing else can reach a chat channel.
 */
public final class NoticeText {
  private NoticeText() {}

  /** E.g. {@code Closure propagation complete}. */
  public static String title(CoordinatorNotice notice) {
    return switch (notice.kind()) {
      case CLOSURE_PROPAGATION_COMPLETE -> "Closure propagation complete";
      case CLOSURE_REVERTED -> "Closure reverted";
    };
  }

  /** E.g. {@code ESC-1042 v3}. */
  public static String subject(CoordinatorNotice notice) {
    return notice.escalationId().value() + " v" + notice.dispositionVersion();
  }

  /** How the systems line is labelled for this kind. */
  public static String systemsLabel(CoordinatorNotice notice) {
    return switch (notice.kind()) {
      case CLOSURE_PROPAGATION_COMPLETE -> "Systems updated";
      case CLOSURE_REVERTED -> "Systems restored";
    };
  }

  /** E.g. {@code tracker, ledger, queue}; {@code none} for an empty list. */
  public static String systems(CoordinatorNotice notice) {
    return notice.targets().isEmpty()
        ? "none"
        : notice.targets().stream().map(TargetSystem::wireName).collect(Collectors.joining(", "));
  }

  /** One plain line: title, subject, systems and the kind's code. */
  public static String line(CoordinatorNotice notice) {
    return title(notice)
        + ": "
        + subject(notice)
        + ". "
        + systemsLabel(notice)
        + ": "
        + systems(notice)
        + ". ("
        + notice.kind().name()
        + ")";
  }
}
