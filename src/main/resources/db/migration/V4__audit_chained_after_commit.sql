-- Appends no longer take the chain head. An append (the entries one transaction records, in
-- order) commits with the change it records as one row of audit_pending, its entries numbered by
-- entry id and unchained; the chainer then moves committed appends into audit_entries, entry by
-- entry in entry-id order, giving each its sequence, previous hash and hash under the head's
-- lock. So no closure's commit waits for another's, and the head is taken a few times a second by
-- the chainer instead of once per appending transaction. One row per append, not per entry: the
-- rows a closure adds and the chainer deletes are a group commit's, not ten a closure. A
-- completion record names its closure's entries by entry id: known at append, unlike the
-- sequence.

CREATE SEQUENCE audit_entry_ids;
CREATE SEQUENCE audit_append_ids;

CREATE TABLE audit_pending (
    append_id            bigint      PRIMARY KEY,
    recorded_at          timestamptz NOT NULL,
    entry_ids            bigint[]    NOT NULL,
    event_ids            text[]      NOT NULL,
    escalation_ids       text[]      NOT NULL,
    disposition_versions integer[]   NOT NULL,
    actions              text[]      NOT NULL,
    target_systems       text[]      NOT NULL,
    target_record_ids    text[]      NOT NULL,
    skipped_as_done      boolean[]   NOT NULL,
    notification_targets text[]      NOT NULL,
    details              text[]      NOT NULL
);

-- Every append chained leaves a dead row here. The chainer vacuums the table every 10 000
-- entries; autovacuum, should no chainer run, is told not to wait for a fraction of a table this
-- small.
ALTER TABLE audit_pending SET (parallel_workers = 0, autovacuum_vacuum_scale_factor = 0,
                               autovacuum_vacuum_threshold = 1000);

-- What an entry says is fixed when it is appended: the chainer only moves it (delete + insert),
-- and only a transaction that says it is the chainer (holding the chain head) may delete one.
CREATE TRIGGER audit_pending_no_update
    BEFORE UPDATE ON audit_pending
    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();

CREATE FUNCTION audit_pending_only_chained_away() RETURNS trigger AS $$
BEGIN
    IF current_setting('closeout.chaining', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'audit entries are append-only: pending entries leave only when chained';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_pending_no_delete
    BEFORE DELETE ON audit_pending
    FOR EACH ROW EXECUTE FUNCTION audit_pending_only_chained_away();

CREATE TRIGGER audit_pending_no_truncate
    BEFORE TRUNCATE ON audit_pending
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();

-- Entries chained before this migration keep their sequence as their entry id: their completion
-- records named them by sequence. The append-only trigger is lifted for this one backfill only.
ALTER TABLE audit_entries ADD COLUMN entry_id bigint;
ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update_or_delete;
UPDATE audit_entries SET entry_id = sequence;
ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update_or_delete;
ALTER TABLE audit_entries ALTER COLUMN entry_id SET NOT NULL;
CREATE UNIQUE INDEX audit_entries_entry_id ON audit_entries (entry_id);
SELECT setval('audit_entry_ids', (SELECT coalesce(max(sequence), 0) + 1 FROM audit_entries), false);

ALTER TABLE completion_records RENAME COLUMN audit_sequences TO audit_entry_ids;

-- An escalation has some ten to twenty entries however long the chain grows. Sampled statistics of
-- a young table say a few hundred distinct escalations for good, and the completion records' trail
-- read (`escalation_id = ANY(...)`, a batch's escalations) was then planned as a sequential scan
-- of the whole chain: 24 ms a read at 230 000 entries, 15 s of the bench's 25 s maximum-rate phase.
ALTER TABLE audit_entries ALTER COLUMN escalation_id SET (n_distinct = -0.05);

COMMENT ON TABLE audit_head IS 'The chain head: only the chainer locks it, so the chain stays a line.';
