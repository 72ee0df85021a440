package com.closeout.propagation;

import com.closeout.domain.DispositionEvent;
import java.time.Instant;

/** What intake stores to start a closure for an accepted finalized event. */
public record NewClosure(DispositionEvent event, Instant createdAt) {}
