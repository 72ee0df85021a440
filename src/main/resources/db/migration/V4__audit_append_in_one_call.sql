-- Appends a group of audit entries in one call: lock the chain head, chain the entries after it,
-- insert them, move the head. Every writer's commit waits for the head (SPEC §6 wants one chain),
-- so what matters is how long the head stays locked: with this function, one call and the commit;
-- before it, the head's SELECT ... FOR UPDATE, a round trip to the JVM to hash, the insert, and
-- the commit (docs/decisions/0009).
--
-- The caller serialises each entry's hashed fields but the two that depend on the head — its
-- sequence and the previous hash — as AuditEntry.hashedMiddle() does; the function puts them
-- around it exactly as AuditEntry.computeHash() does (length-prefixed, '|' after each field), and
-- the caller checks every returned hash against its own computation before the commit.
CREATE FUNCTION audit_append(
    recorded_at    timestamptz,
    middles        text[],
    event_ids      text[],
    escalation_ids text[],
    versions       integer[],
    actions        text[],
    systems        text[],
    record_ids     text[],
    skipped        boolean[],
    notified       text[],
    details        text[])
RETURNS TABLE (entry_sequence bigint, entry_previous_hash text, entry_hash text) AS $$
DECLARE
    head_sequence bigint;
    head_hash     text;
    n             integer := coalesce(array_length(middles, 1), 0);
    sequences     bigint[] := '{}';
    previous      text[] := '{}';
    hashes        text[] := '{}';
BEGIN
    IF n = 0 THEN
        RETURN;
    END IF;
    SELECT h.sequence, h.hash::text INTO head_sequence, head_hash
      FROM audit_head h WHERE h.id = 1 FOR UPDATE;
    FOR i IN 1 .. n LOOP
        sequences := sequences || (head_sequence + i);
        previous := previous || head_hash;
        head_hash := encode(sha256(convert_to(
                         length((head_sequence + i)::text) || ':' || (head_sequence + i)::text || '|'
                         || middles[i]
                         || length(head_hash) || ':' || head_hash || '|',
                         'UTF8')), 'hex');
        hashes := hashes || head_hash;
    END LOOP;
    INSERT INTO audit_entries (sequence, recorded_at, event_id, escalation_id, disposition_version,
                               action, target_system, target_record_id, skipped_as_done,
                               notification_target, detail, previous_hash, hash)
    SELECT u.sequence, audit_append.recorded_at, u.event_id, u.escalation_id, u.version, u.action,
           u.system, u.record_id, u.skipped, u.notified, u.detail, u.previous_hash, u.hash
      FROM unnest(sequences, event_ids, escalation_ids, versions, actions, systems, record_ids,
                  skipped, notified, details, previous, hashes)
           AS u(sequence, event_id, escalation_id, version, action, system, record_id, skipped,
                notified, detail, previous_hash, hash);
    UPDATE audit_head SET sequence = head_sequence + n, hash = head_hash WHERE id = 1;
    RETURN QUERY SELECT u.s, u.p, u.h FROM unnest(sequences, previous, hashes) AS u(s, p, h);
END;
$$ LANGUAGE plpgsql;
