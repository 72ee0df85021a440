package com.closeout.propagation.jdbc;

import static com.closeout.propagation.jdbc.StoreColumns.instant;
import static com.closeout.propagation.jdbc.StoreColumns.json;
import static com.closeout.propagation.jdbc.StoreColumns.jsonList;
import static com.closeout.propagation.jdbc.StoreColumns.timestamp;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.ClosureTransitions;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.Step;
import com.closeout.domain.StepStatus;
import com.closeout.domain.TargetSnapshot;
import com.closeout.intake.InboxEntry;
import com.closeout.propagation.Closure;
import com.closeout.propagation.ClosureChange;
import com.closeout.propagation.ClosureStore;
import com.closeout.propagation.ConcurrentClosureChangeException;
import com.closeout.propagation.EscalationLeasedMeanwhileException;
import com.closeout.propagation.NewClosure;
import com.closeout.propagation.StepProgress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

/**
 * Closures and their steps in PostgreSQL. Every status write is an UPDATE guarded by (id, status,
 * revision) whose row count is checked; one leased closure per escalation is enforced by the
 * partial unique index {@code closures_one_leased_per_escalation}.
 */
public final class JdbcClosureStore implements ClosureStore {
  /**
   * A claim reads the due closures in due order, {@code limit} times this many at most, through the
   * index of pending closures: an ordered index scan stops early and marks the entries of closures
   * claimed since as dead, so each claim costs what is due, not what was ever pending. Closures of
   * one escalation count once among them, so a batch can come out smaller than the limit when
   * several versions of one escalation wait; the earliest due is always among it.
   */
  private static final int CLAIM_WINDOW_FACTOR = 2;

  /** A new row's revision: the column default of closures and closure_steps (migration V1). */
  private static final long FIRST_REVISION = 1;

  /** The writes this store holds for the commit (closures and their steps). */
  private static final String HOLDER = "closures";

  private static final TypeReference<List<ArchiveRef>> ARCHIVE_REFS = new TypeReference<>() {};
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<List<TargetSnapshot>> SNAPSHOTS = new TypeReference<>() {};

  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final TransactionTemplate required;
  private final TransactionTemplate nested;
  private final Clock clock;

  /**
   * @param clock stamps {@code updated_at} of a claim, the one write whose caller gives no time
   */
  public JdbcClosureStore(
      DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock) {
    this.dataSource = dataSource;
    this.jdbc = JdbcClient.create(dataSource);
    this.required = new TransactionTemplate(transactionManager);
    this.nested = new TransactionTemplate(transactionManager);
    // A savepoint inside a caller's transaction, a transaction of its own otherwise: a refused
    // claim must not abort the transaction around it.
    this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    this.clock = clock;
  }

  @Override
  public List<Acceptance> acceptAndStartAll(List<Delivery> deliveries, Lease lease) {
    Objects.requireNonNull(lease, "lease");
    if (deliveries.isEmpty()) {
      return List.of();
    }
    int n = deliveries.size();
    String[] eventIds = new String[n];
    String[] types = new String[n];
    String[] subjects = new String[n];
    Integer[] versions = new Integer[n];
    String[] receivedAts = new String[n];
    String[] outcomes = new String[n];
    Long[] givenClosureIds = new Long[n];
    String[] escalations = new String[n];
    Integer[] closureVersions = new Integer[n];
    String[] episodes = new String[n];
    String[] finalizedAts = new String[n];
    String[] archiveRefs = new String[n];
    String[] requested = new String[n];
    String[] createdAts = new String[n];
    List<String> stepEscalations = new ArrayList<>();
    List<Integer> stepVersions = new ArrayList<>();
    List<String> stepNames = new ArrayList<>();
    List<Integer> stepOrders = new ArrayList<>();
    List<String> stepKeys = new ArrayList<>();
    Set<ClosureKey> keys = new HashSet<>();
    for (int i = 0; i < n; i++) {
      InboxEntry entry = deliveries.get(i).entry();
      eventIds[i] = entry.eventId();
      types[i] = entry.type();
      subjects[i] = entry.escalationId();
      versions[i] = entry.dispositionVersion();
      receivedAts[i] = timestamp(entry.receivedAt()).toString();
      outcomes[i] = entry.outcome().name();
      givenClosureIds[i] = entry.closureId();
      NewClosure closure = deliveries.get(i).closure();
      if (closure == null) {
        continue;
      }
      DispositionEvent event = closure.event();
      ClosureKey key = event.closureKey();
      escalations[i] = key.escalationId().value();
      closureVersions[i] = key.dispositionVersion();
      episodes[i] = event.episodeId().value();
      finalizedAts[i] = timestamp(event.finalizedAt()).toString();
      archiveRefs[i] = json(event.archiveRefs());
      requested[i] = json(event.requestedActions());
      createdAts[i] = timestamp(closure.createdAt()).toString();
      if (keys.add(key)) {
        for (Step step : Step.values()) {
          stepEscalations.add(key.escalationId().value());
          stepVersions.add(key.dispositionVersion());
          stepNames.add(step.name());
          stepOrders.add(step.ordinal() + 1);
          stepKeys.add(key.keyFor(step).value());
        }
      }
    }
    try {
      return required.execute(
          status -> {
            // The closure ids are drawn before the inbox rows go in, so a row names its closure as
            // it is written instead of being updated afterwards. Rows go in in the entries' order
            // (PostgreSQL inserts the rows of INSERT ... SELECT ... ORDER BY in that order), so of
            // two entries with one key the first goes in and the second meets its row as a
            // conflict; only the first entry of an event id, and only when its inbox row went in,
            // inserts a closure. One text for any group size and any lease: planned once a session.
            long[] stepsInserted = {0};
            List<Acceptance> answers = new ArrayList<>(n);
            Set<String> seen = new HashSet<>();
            sql("""
              WITH input AS MATERIALIZED (
                SELECT u.*,
                       CASE WHEN u.escalation_id IS NOT NULL
                            THEN nextval('closures_id_seq') END AS drawn_id
                  FROM unnest(CAST(:eventIds AS text[]), CAST(:types AS text[]),
                              CAST(:subjects AS text[]), CAST(:versions AS integer[]),
                              CAST(:receivedAts AS timestamptz[]), CAST(:outcomes AS text[]),
                              CAST(:givenClosureIds AS bigint[]), CAST(:escalations AS text[]), CAST(:closureVersions AS integer[]),
                              CAST(:episodes AS text[]), CAST(:finalizedAts AS timestamptz[]),
                              CAST(:archiveRefs AS text[]), CAST(:requested AS text[]),
                              CAST(:createdAts AS timestamptz[]))
                       WITH ORDINALITY
                       AS u(event_id, event_type, subject, version, received_at, outcome,
                            given_closure_id, escalation_id, disposition_version, episode_id, finalized_at,
                            archive_refs, requested_actions, created_at, entry)
              ), accepted AS (
                INSERT INTO inbox (event_id, event_type, escalation_id, disposition_version,
                                   received_at, outcome, closure_id)
                SELECT event_id, event_type, subject, version, received_at, outcome,
                       COALESCE(drawn_id, given_closure_id)
                  FROM input
                 ORDER BY entry
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id
              ), leased AS (
                -- What a claim right after would take, in the order it would (decision 0023).
                SELECT i.drawn_id
                  FROM input i
                 WHERE :leaseLimit > 0 AND i.drawn_id IS NOT NULL
                   AND i.entry = (SELECT min(f.entry) FROM input f
                                   WHERE f.escalation_id = i.escalation_id)
                   AND NOT EXISTS (
                       SELECT 1 FROM closures o
                        WHERE o.escalation_id = i.escalation_id
                          AND o.status IN ('PENDING', 'RUNNING', 'REVERTING'))
                   AND NOT EXISTS (
                       SELECT 1 FROM closures d
                        WHERE d.status = 'PENDING' AND d.next_attempt_at <= :leaseFrom)
                 ORDER BY i.entry
                 LIMIT :leaseLimit
              ), inserted AS (
                INSERT INTO closures (id, escalation_id, disposition_version, event_id,
                                      event_episode_id, event_finalized_at, event_archive_refs,
                                      requested_actions, status, lease_owner, lease_until,
                                      next_attempt_at, created_at, updated_at)
                SELECT i.drawn_id, i.escalation_id, i.disposition_version, i.event_id,
                       i.episode_id, i.finalized_at, CAST(i.archive_refs AS jsonb),
                       CAST(i.requested_actions AS jsonb),
                       CASE WHEN l.drawn_id IS NULL THEN 'PENDING' ELSE 'RUNNING' END,
                       CASE WHEN l.drawn_id IS NOT NULL THEN CAST(:leaseOwner AS text) END,
                       CASE WHEN l.drawn_id IS NOT NULL THEN CAST(:leaseUntil AS timestamptz) END,
                       i.created_at, i.created_at, i.created_at
                  FROM input i LEFT JOIN leased l ON l.drawn_id = i.drawn_id
                 WHERE i.drawn_id IS NOT NULL
                   AND i.entry = (SELECT min(f.entry) FROM input f WHERE f.event_id = i.event_id)
                   AND EXISTS (SELECT 1 FROM accepted a WHERE a.event_id = i.event_id)
                 ORDER BY i.entry
                ON CONFLICT (escalation_id, disposition_version) DO NOTHING
                RETURNING *
              ), steps AS (
                INSERT INTO closure_steps (closure_id, step, step_order, status, idempotency_key)
                SELECT c.id, u.step, u.step_order, 'PENDING', u.idempotency_key
                  FROM inserted c
                  JOIN unnest(CAST(:stepEscalations AS text[]), CAST(:stepVersions AS integer[]),
                              CAST(:steps AS text[]), CAST(:orders AS integer[]),
                              CAST(:keys AS text[]))
                       AS u(escalation_id, disposition_version, step, step_order, idempotency_key)
                    ON u.escalation_id = c.escalation_id
                   AND u.disposition_version = c.disposition_version
                RETURNING closure_id
              )
              SELECT EXISTS (SELECT 1 FROM accepted a WHERE a.event_id = i.event_id)
                       AS delivery_accepted,
                     (SELECT count(*) FROM steps) AS steps_inserted,
                     c.*
                FROM input i
                LEFT JOIN inserted c ON c.id = i.drawn_id
               ORDER BY i.entry
              """)
                .param("eventIds", eventIds)
                .param("types", types)
                .param("subjects", subjects)
                .param("versions", versions)
                .param("receivedAts", receivedAts)
                .param("outcomes", outcomes)
                .param("givenClosureIds", givenClosureIds)
                .param("escalations", escalations)
                .param("closureVersions", closureVersions)
                .param("episodes", episodes)
                .param("finalizedAts", finalizedAts)
                .param("archiveRefs", archiveRefs)
                .param("requested", requested)
                .param("createdAts", createdAts)
                .param("stepEscalations", stepEscalations.toArray(String[]::new))
                .param("stepVersions", stepVersions.toArray(Integer[]::new))
                .param("steps", stepNames.toArray(String[]::new))
                .param("orders", stepOrders.toArray(Integer[]::new))
                .param("keys", stepKeys.toArray(String[]::new))
                .param("leaseLimit", lease.limit())
                .param("leaseFrom", timestamp(lease.at()))
                .param("leaseOwner", lease.owner())
                .param("leaseUntil", timestamp(lease.until()))
                .query(
                    rs -> {
                      stepsInserted[0] = rs.getLong("steps_inserted");
                      // Both entries of an event id given twice find its row: the first is the one
                      // accepted.
                      boolean accepted =
                          rs.getBoolean("delivery_accepted") && seen.add(eventIds[answers.size()]);
                      Optional<Closure> started =
                          rs.getObject("id") == null
                              ? Optional.empty()
                              : Optional.of(closure(rs, answers.size()));
                      answers.add(
                          new Acceptance(
                              accepted, started, started.flatMap(JdbcClosureStore::leased)));
                    });
            if (answers.size() != n) {
              throw new IllegalStateException("answered " + answers.size() + " deliveries of " + n);
            }
            long expectedSteps =
                answers.stream().filter(answer -> answer.started().isPresent()).count()
                    * Step.values().length;
            if (stepsInserted[0] != expectedSteps) {
              throw new IllegalStateException(
                  "inserted " + stepsInserted[0] + " step rows of " + expectedSteps);
            }
            return answers;
          });
    } catch (DataIntegrityViolationException e) {
      // The statement's other unique keys are its ON CONFLICT arbiters or fresh ids: only a lease
      // taken meanwhile on one of its escalations (closures_one_leased_per_escalation) is left.
      if (lease.limit() > 0 && StoreColumns.isUniqueViolation(e)) {
        throw new EscalationLeasedMeanwhileException(e);
      }
      throw e;
    }
  }

  /**
   * A closure intake leased as it started it, with the step rows the same statement inserted: six
   * PENDING steps at the column's first revision, nothing recorded yet.
   */
  private static Optional<Claimed> leased(Closure closure) {
    if (!ClosureTransitions.startsIn(closure.status())) {
      throw new IllegalStateException(
          "closure " + closure.id() + " started in " + closure.status());
    }
    if (closure.status() != ClosureStatus.RUNNING) {
      return Optional.empty();
    }
    List<StepProgress> steps = new ArrayList<>(Step.values().length);
    for (Step step : Step.values()) {
      steps.add(
          new StepProgress(
              closure.id(),
              step,
              StepStatus.PENDING,
              FIRST_REVISION,
              closure.key().keyFor(step),
              List.of(),
              List.of(),
              null));
    }
    return Optional.of(new Claimed(closure, steps));
  }

  @Override
  public Optional<Closure> find(long closureId) {
    return sql("SELECT * FROM closures WHERE id = :id")
        .param("id", closureId)
        .query(JdbcClosureStore::closure)
        .optional();
  }

  @Override
  public Optional<Closure> find(ClosureKey key) {
    return sql("""
            SELECT * FROM closures
             WHERE escalation_id = :escalationId AND disposition_version = :version
            """)
        .param("escalationId", key.escalationId().value())
        .param("version", key.dispositionVersion())
        .query(JdbcClosureStore::closure)
        .optional();
  }

  @Override
  public List<Closure> forEscalation(EscalationId escalationId) {
    return sql("""
            SELECT * FROM closures
             WHERE escalation_id = :escalationId
             ORDER BY disposition_version
            """)
        .param("escalationId", escalationId.value())
        .query(JdbcClosureStore::closure)
        .list();
  }

  @Override
  public List<Claimed> claimDueWithSteps(Instant now, String owner, Instant leaseUntil, int limit) {
    Objects.requireNonNull(owner, "owner");
    // Alone (the worker's claims), the statement commits by itself: one round trip, not three.
    Function<Supplier<List<Claimed>>, List<Claimed>> atomically =
        TransactionSynchronizationManager.isActualTransactionActive()
            ? claim -> nested.execute(status -> claim.get())
            : Supplier::get;
    // Before the savepoint: a refused claim rolls back to it, and must not take held writes along.
    WritesWithCommit.sendHeld(dataSource, HOLDER);
    try {
      return atomically.apply(
          () ->
              sql("""
                      WITH due AS (
                          SELECT c.id, c.escalation_id, c.next_attempt_at
                            FROM closures c
                           WHERE c.status = 'PENDING' AND c.next_attempt_at <= :now
                             AND NOT EXISTS (
                                 SELECT 1 FROM closures o
                                  WHERE o.escalation_id = c.escalation_id
                                    AND o.status IN ('RUNNING', 'REVERTING'))
                           ORDER BY c.next_attempt_at, c.id
                           LIMIT :window
                      ), candidates AS (
                          SELECT DISTINCT ON (d.escalation_id) d.id
                            FROM due d
                           ORDER BY d.escalation_id, d.next_attempt_at, d.id
                      ), picked AS (
                          SELECT id FROM closures
                           WHERE id IN (SELECT id FROM candidates)
                           ORDER BY next_attempt_at, id
                           LIMIT :limit
                             FOR UPDATE SKIP LOCKED
                      ), claimed AS (
                          UPDATE closures
                             SET status = 'RUNNING', lease_owner = :owner,
                                 lease_until = :leaseUntil, revision = revision + 1,
                                 updated_at = :updatedAt
                           WHERE id IN (SELECT id FROM picked) AND status = 'PENDING'
                          RETURNING *
                      )
                      SELECT c.*, s.step AS step_step, s.status AS step_status,
                             s.revision AS step_revision,
                             s.idempotency_key AS step_idempotency_key, p.prior AS step_prior,
                             s.written AS step_written, s.finished_at AS step_finished_at
                        FROM claimed c LEFT JOIN closure_steps s ON s.closure_id = c.id
                        LEFT JOIN closure_step_priors p
                               ON p.closure_id = s.closure_id AND p.step = s.step
                       ORDER BY c.next_attempt_at, c.id, s.step_order
                      """)
                  .param("now", timestamp(now))
                  .param("owner", owner)
                  .param("leaseUntil", timestamp(leaseUntil))
                  .param("updatedAt", timestamp(clock.instant()))
                  .param("limit", limit)
                  .param("window", CLAIM_WINDOW_FACTOR * limit)
                  .query(JdbcClosureStore::claimedWithSteps));
    } catch (DataIntegrityViolationException e) {
      if (StoreColumns.isUniqueViolation(e)) {
        // Another instance leased a closure of one of these escalations at the same moment.
        return List.of();
      }
      throw e;
    }
  }

  @Override
  public Optional<Instant> nextDueAt() {
    return sql("SELECT min(next_attempt_at) AS due FROM closures WHERE status = 'PENDING'")
        .query((rs, n) -> Optional.ofNullable(instant(rs, "due")))
        .single();
  }

  @Override
  public Optional<Closure> claim(
      Closure closure, ClosureStatus to, String owner, Instant leaseUntil) {
    if (!to.isLeased()) {
      throw new IllegalArgumentException("a claim leads to a leased status, not " + to);
    }
    ClosureTransitions.check(closure.status(), to);
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    // Before the savepoint: a refused claim rolls back to it, and must not take held writes along.
    WritesWithCommit.sendHeld(dataSource, HOLDER);
    try {
      return nested.execute(
          status ->
              sql("""
                      UPDATE closures
                         SET status = :to, lease_owner = :owner, lease_until = :leaseUntil,
                             revision = revision + 1, updated_at = :now
                       WHERE id = :id AND status = :from AND revision = :revision
                         AND lease_owner IS NULL
                      RETURNING *
                      """)
                  .param("to", to.name())
                  .param("owner", owner)
                  .param("leaseUntil", timestamp(leaseUntil))
                  .param("now", timestamp(clock.instant()))
                  .param("id", closure.id())
                  .param("from", closure.status().name())
                  .param("revision", closure.revision())
                  .query(JdbcClosureStore::closure)
                  .optional());
    } catch (DataIntegrityViolationException e) {
      if (StoreColumns.isUniqueViolation(e)) {
        // Another closure of this escalation is leased: closures_one_leased_per_escalation.
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void changeAll(List<Closure> targets, ClosureChange change) {
    if (targets.isEmpty()) {
      return;
    }
    Set<Long> given = new HashSet<>();
    for (Closure closure : targets) {
      if (!given.add(closure.id())) {
        // One UPDATE ... FROM changes a row once: the second entry's guard would not count.
        throw new IllegalArgumentException("closure " + closure.id() + " given twice");
      }
    }
    int n = targets.size();
    Map<String, Object> params = new HashMap<>();
    params.put("at", timestamp(change.at() == null ? clock.instant() : change.at()));
    params.put("ids", targets.stream().map(Closure::id).toArray(Long[]::new));
    params.put("froms", targets.stream().map(c -> c.status().name()).toArray(String[]::new));
    params.put("revisions", targets.stream().map(Closure::revision).toArray(Long[]::new));
    params.put(
        "tos", targets.stream().map(c -> target(c.status(), change).name()).toArray(String[]::new));
    params.put(
        "clearLeases",
        targets.stream()
            .map(c -> clearsLease(change, target(c.status(), change)))
            .toArray(Boolean[]::new));
    // One change for all, spread over the rows: an array is never null, so no parameter's type
    // has to be asked of the server.
    params.put("attempts", repeated(change.attempts(), n, Integer[]::new));
    params.put("behind", repeated(change.sourceBehindReads(), n, Integer[]::new));
    params.put(
        "nextAts",
        repeated(
            change.nextAttemptAt() == null
                ? null
                : StoreColumns.stored(change.nextAttemptAt()).toString(),
            n,
            String[]::new));
    params.put("lastErrors", repeated(change.lastError(), n, String[]::new));
    guarded(
        """
        WITH changed AS (
        UPDATE closures c
           SET status = u.to_status,
               attempts = COALESCE(u.attempts, c.attempts),
               source_behind_reads = COALESCE(u.behind, c.source_behind_reads),
               next_attempt_at = COALESCE(u.next_at, c.next_attempt_at),
               last_error = COALESCE(u.last_error, c.last_error),
               lease_owner = CASE WHEN u.clear_lease THEN NULL ELSE c.lease_owner END,
               lease_until = CASE WHEN u.clear_lease THEN NULL ELSE c.lease_until END,
               revision = c.revision + 1,
               updated_at = :at
          FROM unnest(CAST(:ids AS bigint[]), CAST(:froms AS text[]),
                      CAST(:revisions AS bigint[]), CAST(:tos AS text[]),
                      CAST(:clearLeases AS boolean[]), CAST(:attempts AS integer[]),
                      CAST(:behind AS integer[]), CAST(:nextAts AS timestamptz[]),
                      CAST(:lastErrors AS text[]))
               AS u(id, from_status, revision, to_status, clear_lease, attempts, behind,
                    next_at, last_error)
         WHERE c.id = u.id AND c.status = u.from_status AND c.revision = u.revision
        RETURNING 1)
        SELECT closeout_expect_rows(:expected, (SELECT count(*) FROM changed), :what, :mismatch)
        """,
        params,
        n,
        "changing closures " + WritesWithCommit.listed(targets.stream().map(Closure::id).toList()));
  }

  private static <T> T[] repeated(T value, int n, IntFunction<T[]> array) {
    T[] values = array.apply(n);
    Arrays.fill(values, value);
    return values;
  }

  /**
   * A guarded group write whose guard travels in the statement ({@code closeout_expect_rows},
   * migration V5): in a transaction it is held and sent with the commit (decision 0013), so a row
   * that moved meanwhile fails the commit with {@link ConcurrentClosureChangeException} and nothing
   * of the transaction is kept; outside one it runs at once and throws at once.
   *
   * @param sql a data-modifying CTE {@code changed} and the call that counts its rows
   */
  private void guarded(String sql, Map<String, Object> params, int expected, String what) {
    WritesWithCommit.holdGuarded(
        dataSource, HOLDER, sql, params, expected, what, WritesWithCommit.MOVED_MEANWHILE);
  }

  /**
   * An immediate statement of this store. What the caller's transaction holds goes first, so every
   * statement of the store runs in the order of the calls, held or not.
   */
  private JdbcClient.StatementSpec sql(String sql) {
    WritesWithCommit.sendHeld(dataSource, HOLDER);
    return jdbc.sql(sql);
  }

  /** The status a change leads to, checked against the state table. */
  private static ClosureStatus target(ClosureStatus from, ClosureChange change) {
    ClosureStatus to = change.status() == null ? from : change.status();
    if (change.status() != null) {
      ClosureTransitions.check(from, to);
    }
    if (to.isLeased() && !from.isLeased()) {
      throw new IllegalArgumentException("a closure becomes " + to + " by claim, not by change");
    }
    return to;
  }

  /** A closure no worker holds carries no lease. */
  private static boolean clearsLease(ClosureChange change, ClosureStatus to) {
    return change.clearLease() || !to.isLeased();
  }

  private static ConcurrentClosureChangeException movedMeanwhile(Closure closure) {
    return new ConcurrentClosureChangeException(
        "closure "
            + closure.id()
            + " ("
            + closure.key()
            + ") is no longer "
            + closure.status()
            + " at revision "
            + closure.revision());
  }

  @Override
  public Closure change(Closure closure, ClosureChange change) {
    ClosureStatus from = closure.status();
    ClosureStatus to = target(from, change);
    boolean clearLease = clearsLease(change, to);
    Instant at = change.at() == null ? clock.instant() : change.at();
    return sql("""
            UPDATE closures
               SET status = :to,
                   attempts = COALESCE(:attempts, attempts),
                   source_behind_reads = COALESCE(:sourceBehindReads, source_behind_reads),
                   next_attempt_at = COALESCE(:nextAttemptAt, next_attempt_at),
                   last_error = COALESCE(:lastError, last_error),
                   lease_owner = CASE WHEN :clearLease THEN NULL ELSE lease_owner END,
                   lease_until = CASE WHEN :clearLease THEN NULL ELSE lease_until END,
                   revision = revision + 1,
                   updated_at = :at
             WHERE id = :id AND status = :from AND revision = :revision
            RETURNING *
            """)
        .param("to", to.name())
        .param("attempts", change.attempts())
        .param("sourceBehindReads", change.sourceBehindReads())
        .param("nextAttemptAt", timestamp(change.nextAttemptAt()))
        .param("lastError", change.lastError())
        .param("clearLease", clearLease)
        .param("at", timestamp(at))
        .param("id", closure.id())
        .param("from", from.name())
        .param("revision", closure.revision())
        .query(JdbcClosureStore::closure)
        .optional()
        .orElseThrow(() -> movedMeanwhile(closure));
  }

  @Override
  public int releaseLeasesOf(String owner, Instant now) {
    return sql("""
            UPDATE closures
               SET status = CASE WHEN status = 'RUNNING' THEN 'PENDING' ELSE status END,
                   next_attempt_at = CASE WHEN status = 'RUNNING' THEN :now
                                          ELSE next_attempt_at END,
                   lease_owner = NULL, lease_until = NULL,
                   revision = revision + 1, updated_at = :now
             WHERE status IN ('RUNNING', 'REVERTING') AND lease_owner = :owner
            """)
        .param("now", timestamp(now))
        .param("owner", owner)
        .update();
  }

  @Override
  public int releaseExpiredLeases(Instant now) {
    return sql("""
            UPDATE closures
               SET status = CASE WHEN status = 'RUNNING' THEN 'PENDING' ELSE status END,
                   next_attempt_at = CASE WHEN status = 'RUNNING' THEN :now
                                          ELSE next_attempt_at END,
                   lease_owner = NULL, lease_until = NULL,
                   revision = revision + 1, updated_at = :now
             WHERE status IN ('RUNNING', 'REVERTING') AND lease_until <= :now
            """)
        .param("now", timestamp(now))
        .update();
  }

  /** A step row with its prior values, from the table they are kept in (migration V8). */
  private static final String STEPS_WITH_PRIORS =
      """
      SELECT s.*, p.prior
        FROM closure_steps s
        LEFT JOIN closure_step_priors p ON p.closure_id = s.closure_id AND p.step = s.step
      """;

  @Override
  public List<StepProgress> steps(long closureId) {
    return sql(STEPS_WITH_PRIORS + " WHERE s.closure_id = :id ORDER BY s.step_order")
        .param("id", closureId)
        .query(JdbcClosureStore::step)
        .list();
  }

  @Override
  public Optional<StepProgress> step(long closureId, Step step) {
    return sql(STEPS_WITH_PRIORS + " WHERE s.closure_id = :id AND s.step = :step")
        .param("id", closureId)
        .param("step", step.name())
        .query(JdbcClosureStore::step)
        .optional();
  }

  @Override
  public StepProgress recordPrior(StepProgress step, List<TargetSnapshot> prior) {
    return recordPriors(List.of(new PriorRecord(step, prior))).get(0);
  }

  private static void refuseNone(StepProgress step, List<TargetSnapshot> prior) {
    if (prior.isEmpty()) {
      // Read back, none would tell "recorded" from "never recorded".
      throw new IllegalArgumentException(
          "no prior values to record for step " + step.step() + " of closure " + step.closureId());
    }
  }

  @Override
  public StepProgress finishStep(
      StepProgress step, StepStatus to, List<TargetSnapshot> written, Instant at) {
    ClosureTransitions.check(step.status(), to);
    return sql("""
            UPDATE closure_steps s
               SET status = :to,
                   written = COALESCE(CAST(:written AS jsonb), written),
                   finished_at = :at,
                   revision = revision + 1
             WHERE closure_id = :closureId AND step = :step
               AND status = :from AND revision = :revision
               -- Whether prior values are recorded, as when read (see recordPriors).
               AND EXISTS (SELECT 1 FROM closure_step_priors p
                            WHERE p.closure_id = s.closure_id AND p.step = s.step)
                   = :attempted
            RETURNING *
            """)
        .param("attempted", !step.prior().isEmpty())
        .param("to", to.name())
        .param("written", written == null ? null : json(List.copyOf(written)))
        .param("at", timestamp(at))
        .param("closureId", step.closureId())
        .param("step", step.step().name())
        .param("from", step.status().name())
        .param("revision", step.revision())
        .query((rs, n) -> step(rs, rs.getLong("closure_id"), "", step.prior()))
        .optional()
        .orElseThrow(
            () ->
                new ConcurrentClosureChangeException(
                    "step "
                        + step.step()
                        + " of closure "
                        + step.closureId()
                        + " is no longer "
                        + step.status()
                        + " at revision "
                        + step.revision()));
  }

  @Override
  public List<StepProgress> recordPriors(List<PriorRecord> priors) {
    if (priors.isEmpty()) {
      return List.of();
    }
    // The first recording wins: a step read with its prior values recorded keeps them, and nothing
    // is written for it. The others are inserted in one statement (rows of their own, migration
    // V8: inserted once, never rewritten), each only while its step is at the revision read and has
    // none recorded; a step that moved since it was read fails the write. The step row is locked
    // FOR SHARE, so a step changing meanwhile is read again at its new revision and left out, and
    // a concurrent recording waits for the first and is left out by the primary key. The step's
    // revision stays: its later writes check instead that prior values are recorded as read.
    priors.forEach(prior -> refuseNone(prior.step(), prior.prior()));
    List<PriorRecord> writing =
        priors.stream().filter(prior -> prior.step().prior().isEmpty()).toList();
    if (!writing.isEmpty()) {
      List<StepProgress> steps = writing.stream().map(PriorRecord::step).toList();
      refuseRepeated(steps);
      Map<String, Object> params = new HashMap<>();
      params.put("ids", ids(steps));
      params.put("steps", names(steps));
      params.put("revisions", revisions(steps));
      params.put(
          "priors", writing.stream().map(p -> json(List.copyOf(p.prior()))).toArray(String[]::new));
      guarded(
          """
          WITH changed AS (
          INSERT INTO closure_step_priors (closure_id, step, prior)
          SELECT s.closure_id, s.step, u.prior
            FROM unnest(CAST(:ids AS bigint[]), CAST(:steps AS text[]),
                        CAST(:revisions AS bigint[]), CAST(:priors AS jsonb[]))
                 AS u(closure_id, step, revision, prior)
            JOIN closure_steps s
              ON s.closure_id = u.closure_id AND s.step = u.step AND s.revision = u.revision
             FOR SHARE OF s
          ON CONFLICT (closure_id, step) DO NOTHING
          RETURNING 1)
          SELECT closeout_expect_rows(:expected, (SELECT count(*) FROM changed), :what, :mismatch)
          """,
          params,
          steps.size(),
          "recording prior values of steps of closures "
              + WritesWithCommit.listed(List.of(ids(steps))));
    }
    return priors.stream()
        .map(
            prior ->
                prior.step().prior().isEmpty()
                    ? prior.step().withPrior(prior.prior())
                    : prior.step())
        .toList();
  }

  @Override
  public List<StepProgress> finishSteps(List<StepFinish> finishes, Instant at) {
    if (finishes.isEmpty()) {
      return List.of();
    }
    finishes.forEach(f -> ClosureTransitions.check(f.step().status(), f.to()));
    Instant stored = StoreColumns.stored(at);
    List<StepProgress> steps = finishes.stream().map(StepFinish::step).toList();
    refuseRepeated(steps);
    Map<String, Object> params = new HashMap<>();
    params.put("finishedAt", timestamp(stored));
    params.put("ids", ids(steps));
    params.put("steps", names(steps));
    params.put("froms", steps.stream().map(st -> st.status().name()).toArray(String[]::new));
    params.put("revisions", revisions(steps));
    params.put("attempted", attempted(steps));
    params.put("tos", finishes.stream().map(f -> f.to().name()).toArray(String[]::new));
    params.put(
        "written",
        finishes.stream()
            .map(f -> f.written() == null ? null : json(List.copyOf(f.written())))
            .toArray(String[]::new));
    guarded(
        """
        WITH changed AS (
        UPDATE closure_steps s
           SET status = u.to_status,
               written = COALESCE(u.written, s.written),
               finished_at = :finishedAt,
               revision = s.revision + 1
          FROM unnest(CAST(:ids AS bigint[]), CAST(:steps AS text[]),
                      CAST(:froms AS text[]), CAST(:revisions AS bigint[]),
                      CAST(:attempted AS boolean[]), CAST(:tos AS text[]),
                      CAST(:written AS jsonb[]))
               AS u(closure_id, step, from_status, revision, attempted, to_status, written)
         WHERE s.closure_id = u.closure_id AND s.step = u.step
           AND s.status = u.from_status AND s.revision = u.revision
           -- Whether prior values are recorded, as when read (see recordPriors).
           AND EXISTS (SELECT 1 FROM closure_step_priors p
                        WHERE p.closure_id = s.closure_id AND p.step = s.step)
               = u.attempted
        RETURNING 1)
        SELECT closeout_expect_rows(:expected, (SELECT count(*) FROM changed), :what, :mismatch)
        """,
        params,
        steps.size(),
        "finishing steps of closures " + WritesWithCommit.listed(List.of(ids(steps))));
    List<StepProgress> finished = new ArrayList<>(finishes.size());
    for (StepFinish finish : finishes) {
      StepProgress step = finish.step();
      finished.add(
          new StepProgress(
              step.closureId(),
              step.step(),
              finish.to(),
              step.revision() + 1,
              step.idempotencyKey(),
              step.prior(),
              finish.written() == null ? step.written() : finish.written(),
              stored));
    }
    return finished;
  }

  @Override
  public List<StepProgress> forgetPriors(List<StepProgress> steps) {
    if (steps.isEmpty()) {
      return List.of();
    }
    // The step's revision moves with the delete: a worker that read the step with these prior
    // values (and may be about to write with them) no longer finishes it.
    Set<StepRef> changed =
        changedSteps(
            sql("""
                    WITH moved AS (
                    UPDATE closure_steps s
                       SET revision = s.revision + 1
                      FROM unnest(CAST(:ids AS bigint[]), CAST(:steps AS text[]),
                                  CAST(:revisions AS bigint[]))
                           AS u(closure_id, step, revision)
                     WHERE s.closure_id = u.closure_id AND s.step = u.step
                       AND s.revision = u.revision AND s.status = 'PENDING'
                    RETURNING s.closure_id, s.step
                    ), forgotten AS (
                    DELETE FROM closure_step_priors p
                     USING moved m
                     WHERE p.closure_id = m.closure_id AND p.step = m.step
                    )
                    SELECT closure_id, step FROM moved
                    """)
                .param("ids", ids(steps))
                .param("steps", names(steps))
                .param("revisions", revisions(steps)),
            steps);
    List<StepProgress> forgotten = new ArrayList<>(steps.size());
    for (StepProgress step : steps) {
      if (!changed.contains(StepRef.of(step))) {
        throw new ConcurrentClosureChangeException(
            "step "
                + step.step()
                + " of closure "
                + step.closureId()
                + " is no longer pending at revision "
                + step.revision());
      }
      forgotten.add(step.forgotten());
    }
    return forgotten;
  }

  /** One step row of one closure, as a statement's RETURNING names it. */
  private record StepRef(long closureId, String step) {
    static StepRef of(StepProgress step) {
      return new StepRef(step.closureId(), step.step().name());
    }
  }

  /**
   * A row given twice would be changed once by {@code UPDATE ... FROM}: refused, so every row's
   * guard counts.
   */
  private static void refuseRepeated(List<StepProgress> steps) {
    Set<StepRef> given = new HashSet<>();
    for (StepProgress step : steps) {
      if (!given.add(StepRef.of(step))) {
        throw new IllegalArgumentException(
            "step " + step.step() + " of closure " + step.closureId() + " given twice");
      }
    }
  }

  /** Runs a set-based step update and returns the rows it changed. */
  private static Set<StepRef> changedSteps(
      JdbcClient.StatementSpec statement, List<StepProgress> steps) {
    refuseRepeated(steps);
    return new HashSet<>(
        statement
            .query((rs, n) -> new StepRef(rs.getLong("closure_id"), rs.getString("step")))
            .list());
  }

  private static Long[] ids(List<StepProgress> steps) {
    return steps.stream().map(StepProgress::closureId).toArray(Long[]::new);
  }

  /** Whether each step was read with prior values recorded: part of its guard. */
  private static Boolean[] attempted(List<StepProgress> steps) {
    return steps.stream().map(step -> !step.prior().isEmpty()).toArray(Boolean[]::new);
  }

  private static Long[] revisions(List<StepProgress> steps) {
    return steps.stream().map(StepProgress::revision).toArray(Long[]::new);
  }

  private static String[] names(List<StepProgress> steps) {
    return steps.stream().map(step -> step.step().name()).toArray(String[]::new);
  }

  private static Closure closure(ResultSet rs, int rowNum) throws SQLException {
    return new Closure(
        rs.getLong("id"),
        new ClosureKey(
            new EscalationId(rs.getString("escalation_id")), rs.getInt("disposition_version")),
        new EventId(rs.getString("event_id")),
        new EpisodeId(rs.getString("event_episode_id")),
        instant(rs, "event_finalized_at"),
        jsonList(rs, "event_archive_refs", ARCHIVE_REFS),
        jsonList(rs, "requested_actions", STRINGS),
        ClosureStatus.valueOf(rs.getString("status")),
        rs.getLong("revision"),
        rs.getInt("attempts"),
        rs.getInt("source_behind_reads"),
        instant(rs, "next_attempt_at"),
        rs.getString("lease_owner"),
        instant(rs, "lease_until"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }

  private static StepProgress step(ResultSet rs, int rowNum) throws SQLException {
    return step(rs, rs.getLong("closure_id"), "");
  }

  /** A step row's columns, each named {@code prefix + column}, with its prior values joined. */
  private static StepProgress step(ResultSet rs, long closureId, String prefix)
      throws SQLException {
    return step(rs, closureId, prefix, jsonList(rs, prefix + "prior", SNAPSHOTS));
  }

  /** A step row's columns, each named {@code prefix + column}, with prior values known. */
  private static StepProgress step(
      ResultSet rs, long closureId, String prefix, List<TargetSnapshot> prior) throws SQLException {
    return new StepProgress(
        closureId,
        Step.valueOf(rs.getString(prefix + "step")),
        StepStatus.valueOf(rs.getString(prefix + "status")),
        rs.getLong(prefix + "revision"),
        new IdempotencyKey(rs.getString(prefix + "idempotency_key")),
        prior,
        jsonList(rs, prefix + "written", SNAPSHOTS),
        instant(rs, prefix + "finished_at"));
  }

  /**
   * The claim's rows: a closure's columns on each of its step rows, in claim order then step order;
   * each closure mapped once.
   */
  private static List<Claimed> claimedWithSteps(ResultSet rs) throws SQLException {
    List<Claimed> claimed = new ArrayList<>();
    Closure current = null;
    List<StepProgress> steps = new ArrayList<>();
    int row = 0;
    while (rs.next()) {
      long id = rs.getLong("id");
      if (current == null || current.id() != id) {
        if (current != null) {
          claimed.add(new Claimed(current, steps));
        }
        current = closure(rs, row);
        steps = new ArrayList<>();
      }
      if (rs.getString("step_step") != null) {
        steps.add(step(rs, id, "step_"));
      }
      row++;
    }
    if (current != null) {
      claimed.add(new Claimed(current, steps));
    }
    return claimed;
  }
}
