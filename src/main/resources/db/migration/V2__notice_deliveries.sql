-- Closeout's record of each coordinator notice it tried to post to a chat channel (Slack, Teams),
-- keyed by the step's idempotency key: neither API is idempotent, so duplicates are suppressed
-- here. ATTEMPTING is written and committed before the post, DELIVERED after its answer;
-- UNCONFIRMED marks a notice given up on at-most-once. No message text is kept.

CREATE TABLE notice_deliveries (
    idempotency_key text        PRIMARY KEY,
    channel         text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('ATTEMPTING', 'DELIVERED', 'UNCONFIRMED')),
    attempted_at    timestamptz NOT NULL,
    settled_at      timestamptz,
    revision        bigint      NOT NULL DEFAULT 1
);
