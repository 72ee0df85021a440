-- A step's prior values (what its targets held before Closeout wrote) move to rows of their own.
-- In the step row they were logged twice: once by the update that recorded them, and again by the
-- step's finish, which rewrote the whole row with them (a same-page update logs the new row from
-- its first changed column). Here they are inserted once and never updated: the first recording
-- wins by the primary key, and forgetting them is a delete. Measured in session 13 on rows of the
-- bench's shape: the steps' WAL 8.0 -> 6.6 kB a closure.
--
-- No foreign key to closure_steps: its check locks the step row FOR KEY SHARE, one more write of
-- the step's page a recording; the recording's own join on the step row (locked FOR SHARE, so a
-- step that moved meanwhile fails it) already says the step exists.
CREATE TABLE closure_step_priors (
    closure_id bigint NOT NULL,
    step       text   NOT NULL,
    prior      jsonb  NOT NULL,
    PRIMARY KEY (closure_id, step)
);

ALTER TABLE closure_step_priors SET (parallel_workers = 0);

-- An empty list was never a recording (a step reads as attempted only with values recorded).
INSERT INTO closure_step_priors (closure_id, step, prior)
SELECT closure_id, step, prior FROM closure_steps
 WHERE prior IS NOT NULL AND prior <> CAST('[]' AS jsonb);

-- Instant: PostgreSQL marks the column dropped; old row versions keep its bytes until rewritten.
ALTER TABLE closure_steps DROP COLUMN prior;
