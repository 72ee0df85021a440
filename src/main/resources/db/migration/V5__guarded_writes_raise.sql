-- A guarded group write (steps finished, prior values recorded, closures completed) may be held
-- and sent with its transaction's COMMIT in one execution (decision 0013): nothing reads its row
-- count before then. The guard therefore travels inside the statement: the write counts the rows
-- its (id, status, revision) guard matched and passes the count here, which raises when one row
-- moved meanwhile. PostgreSQL stops the execution at the error, so the COMMIT after it never
-- runs; the adapter maps SQLSTATE CO409 to ConcurrentClosureChangeException, as a row count
-- checked in Java would have thrown.
CREATE FUNCTION closeout_expect_rows(expected integer, matched bigint, what text)
    RETURNS bigint
    LANGUAGE plpgsql
AS $$
BEGIN
    IF matched IS DISTINCT FROM expected THEN
        RAISE EXCEPTION USING
            ERRCODE = 'CO409',
            MESSAGE = format('%s: %s of %s rows matched their guard, the others moved meanwhile',
                             what, matched, expected);
    END IF;
    RETURN matched;
END
$$;
