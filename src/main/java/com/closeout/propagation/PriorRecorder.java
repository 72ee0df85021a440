package com.closeout.propagation;

import com.closeout.domain.TargetSnapshot;
import java.util.List;

/**
 * Makes a step's prior values durable before its first write, and returns what is recorded: the
 * first recording wins, so a retried step keeps the values from before Closeout touched anything.
 */
@FunctionalInterface
interface PriorRecorder {
  List<TargetSnapshot> record(List<TargetSnapshot> prior);
}
