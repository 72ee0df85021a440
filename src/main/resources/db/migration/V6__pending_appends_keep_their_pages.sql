-- audit_pending is a queue: every append is a row, every chaining pass deletes the oldest, and the
-- chainer vacuums it every 2 000 entries. Each VACUUM found the table's last pages empty and tried
-- to cut them off, which needs the table's exclusive lock: it asks without waiting every 50 ms
-- while appenders hold theirs, and gave up or got it after 50-650 ms (the bench's PostgreSQL log,
-- session 11), holding up the chainer; once it got the lock, every append waited on it. The pages
-- are filled again within a second anyway, so they are kept.
ALTER TABLE audit_pending SET (vacuum_truncate = false);
