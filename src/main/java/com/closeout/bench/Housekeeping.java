package com.closeout.bench;

import com.closeout.propagation.jdbc.IsolatedSchema;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

/**
 * What ran beside the closures during a phase: the JVM's collections and the store's vacuums and
 * checkpoints. Each stops or slows every closure in flight for a while, so a phase's tail is read
 * against them: a p99 made by one vacuum pass or one long collection says something else than one
 * made by the closures' own work.
 *
 * @param collections collections this JVM's collectors ran (G1: young and mixed pauses)
 * @param collectionMillis the time they report for them (G1: their pauses, added up)
 * @param vacuumsByTable vacuum passes that finished, autovacuum's included, by table of the run's
 *     schema ({@code audit_pending} is vacuumed every few hundred reclaimed rows by design, V4)
 * @param checkpoints checkpoints the server ran, timed or requested (the whole server: on a shared
 *     one, others' writes are in them too)
 */
public record Housekeeping(
    long collections, long collectionMillis, Map<String, Long> vacuumsByTable, long checkpoints) {

  public Housekeeping {
    vacuumsByTable = Map.copyOf(vacuumsByTable);
  }

  /** Vacuum passes of all the schema's tables. */
  public long vacuums() {
    return vacuumsByTable.values().stream().mapToLong(Long::longValue).sum();
  }

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

  /** What happened between {@code before} and this reading; tables with no pass left out. */
  Housekeeping since(Housekeeping before) {
    Map<String, Long> vacuums = new TreeMap<>();
    vacuumsByTable.forEach(
        (table, passes) -> {
          long during = passes - before.vacuumsByTable.getOrDefault(table, 0L);
          if (during > 0) {
            vacuums.put(table, during);
          }
        });
    return new Housekeeping(
        collections - before.collections,
        collectionMillis - before.collectionMillis,
        vacuums,
        checkpoints - before.checkpoints);
  }
}
