-- Closeout's durable state: accepted events, closures with per-step progress, the audit chain,
-- completion traces and follow-ups. Identifiers and versions only: no restricted content.

CREATE TABLE inbox (
    event_id            text        PRIMARY KEY,
    event_type          text        NOT NULL,
    escalation_id       text,
    disposition_version integer,
    received_at         timestamptz NOT NULL,
    outcome             text        NOT NULL,
    closure_id          bigint
);

CREATE TABLE closures (
    id                  bigserial   PRIMARY KEY,
    escalation_id       text        NOT NULL,
    disposition_version integer     NOT NULL CHECK (disposition_version > 0),
    event_id            text        NOT NULL,
    event_episode_id    text        NOT NULL,
    event_finalized_at  timestamptz NOT NULL,
    event_archive_refs  jsonb       NOT NULL,
    requested_actions   jsonb       NOT NULL,
    status              text        NOT NULL,
    revision            bigint      NOT NULL DEFAULT 1,
    attempts            integer     NOT NULL DEFAULT 0,
    source_behind_reads integer     NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL,
    lease_owner         text,
    lease_until         timestamptz,
    last_error          text,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CONSTRAINT closures_one_per_version UNIQUE (escalation_id, disposition_version)
);

-- At most one closure per escalation runs at a time, across all instances: enforced here, not
-- by a lock a crashed instance could forget to release.
CREATE UNIQUE INDEX closures_one_leased_per_escalation
    ON closures (escalation_id) WHERE status IN ('RUNNING', 'REVERTING');

CREATE INDEX closures_due ON closures (next_attempt_at, id) WHERE status = 'PENDING';
CREATE INDEX closures_leased ON closures (lease_until) WHERE status IN ('RUNNING', 'REVERTING');

CREATE TABLE closure_steps (
    closure_id      bigint      NOT NULL REFERENCES closures (id),
    step            text        NOT NULL,
    step_order      integer     NOT NULL,
    status          text        NOT NULL,
    revision        bigint      NOT NULL DEFAULT 1,
    idempotency_key text        NOT NULL,
    prior           jsonb,
    written         jsonb,
    finished_at     timestamptz,
    PRIMARY KEY (closure_id, step)
);

CREATE TABLE audit_entries (
    sequence            bigint      PRIMARY KEY,
    recorded_at         timestamptz NOT NULL,
    event_id            text,
    escalation_id       text,
    disposition_version integer,
    action              text        NOT NULL,
    target_system       text,
    target_record_id    text,
    skipped_as_done     boolean     NOT NULL,
    notification_target text,
    detail              text,
    previous_hash       char(64)    NOT NULL,
    hash                char(64)    NOT NULL UNIQUE
);

CREATE INDEX audit_entries_escalation ON audit_entries (escalation_id, sequence);

-- The chain head: appends lock this one row, so the chain stays a line under concurrency.
CREATE TABLE audit_head (
    id        integer  PRIMARY KEY CHECK (id = 1),
    sequence  bigint   NOT NULL,
    hash      char(64) NOT NULL
);
INSERT INTO audit_head (id, sequence, hash) VALUES (1, 0, repeat('0', 64));

-- Append-only: the store refuses to change, delete or truncate audit entries.
CREATE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_entries_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();

CREATE TRIGGER audit_entries_no_truncate
    BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();

CREATE TABLE completion_records (
    closure_id          bigint      PRIMARY KEY REFERENCES closures (id),
    escalation_id       text        NOT NULL,
    disposition_version integer     NOT NULL,
    event_id            text        NOT NULL,
    audit_sequences     jsonb       NOT NULL,
    recorded_at         timestamptz NOT NULL
);

CREATE TABLE follow_ups (
    id                 bigserial   PRIMARY KEY,
    closure_id         bigint      NOT NULL REFERENCES closures (id),
    escalation_id      text        NOT NULL,
    event_id           text        NOT NULL,
    reason             text        NOT NULL,
    system             text,
    event_version      integer,
    record_version     integer,
    detail             text,
    status             text        NOT NULL,
    revision           bigint      NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL,
    resolved_at        timestamptz,
    resolution_comment text
);

CREATE UNIQUE INDEX follow_ups_one_open_per_reason
    ON follow_ups (closure_id, reason) WHERE status = 'OPEN';
CREATE INDEX follow_ups_open ON follow_ups (created_at) WHERE status = 'OPEN';
CREATE INDEX follow_ups_closure ON follow_ups (closure_id);
