package com.closeout.followup;

/** A person's answer to a follow-up. */
public enum Resolution {
  /** Re-verify from scratch and go on if everything now checks out. */
  RETRY,
  /** Stop the closure for good. */
  DISMISS
}
