-- Closeout's statements each touch a handful of rows by key. A parallel plan never pays for them:
-- starting its workers costs 10-15 ms, and the bench saw the planner choose one for the step read
-- of a batch (`closure_id = ANY(...)`, 32 closures, 192 rows) whenever its statistics were older
-- than the table, which on a table growing by thousands of rows a minute is often.
ALTER TABLE inbox SET (parallel_workers = 0);
ALTER TABLE closures SET (parallel_workers = 0);
ALTER TABLE closure_steps SET (parallel_workers = 0);
ALTER TABLE audit_entries SET (parallel_workers = 0);
ALTER TABLE completion_records SET (parallel_workers = 0);
ALTER TABLE follow_ups SET (parallel_workers = 0);
ALTER TABLE notice_deliveries SET (parallel_workers = 0);

-- Every closure has exactly one row per step (six): the distinct closure ids are a sixth of the
-- rows however large the table grows. Sampled statistics of a young table say otherwise.
ALTER TABLE closure_steps ALTER COLUMN closure_id SET (n_distinct = -0.1667);

-- A step row is written three times (inserted, its prior values, its result) and grows each time.
-- Room left on its page lets PostgreSQL keep the new versions there (a HOT update: no new index
-- entry, less WAL); a full page sends every version elsewhere, with an index entry of its own.
ALTER TABLE closure_steps SET (fillfactor = 50);
