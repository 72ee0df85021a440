package com.closeout.bench;

import com.closeout.propagation.jdbc.IsolatedSchema;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What ran beside the closures during a phase: the JVM's collections and the store's vacuums and
 * checkpoints. Each stops or slows every closure in flight for a while, so a phase's tail is read
 * against them: a p99 made by one vacuum pass or one long collection says something else than one
 * made by the closures' own work.
 *
 * @param collections collections this JVM's collectors ran (G1: young and mixed pauses)
 * @param collectionMillis the time they report for them (G1: their pauses, added up)
 * @param vacuums vacuum passes of the schema's tables that finished, autovacuum's included
 * @param checkpoints checkpoints the server ran, timed or requested (the whole server: on a shared
 *     one, others' writes are in them too)
 */
public record Housekeeping(
    long collections, long collectionMillis, long vacuums, long checkpoints) {

  /** Nothing counted: a run that has no phase of this kind. */
  public static final Housekeeping NONE = new Housekeeping(0, 0, 0, 0);

  /** The counts so far, to subtract from a later reading ({@link #since}). */
  static Housekeeping now(BenchDatabase database, IsolatedSchema schema) {
    long collections = 0;
    long millis = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      // -1: this collector does not say; the others still count.
      collections += Math.max(0, collector.getCollectionCount());
      millis += Math.max(0, collector.getCollectionTime());
    }
    return new Housekeeping(
        collections, millis, database.vacuumsFinished(schema), database.checkpointsDone());
  }

  /** What happened between {@code before} and this reading. */
  Housekeeping since(Housekeeping before) {
    return new Housekeeping(
        collections - before.collections,
        collectionMillis - before.collectionMillis,
        vacuums - before.vacuums,
        checkpoints - before.checkpoints);
  }
}
