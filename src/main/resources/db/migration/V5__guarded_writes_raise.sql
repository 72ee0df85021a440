-- A guarded group write (steps finished, prior values recorded, closures completed) may be held
-- and sent with its transaction's COMMIT in one execution (decision 0013): nothing reads its row
-- count before then. The guard therefore travels inside the statement: the write counts the rows
-- its (id, status, revision) guard matched and passes the count here, which raises when one row
-- moved meanwhile. PostgreSQL stops the execution at the error, so the COMMIT after it never
-- runs. The caller says what a mismatch means: SQLSTATE CO409, a row moved meanwhile (the adapter
-- throws ConcurrentClosureChangeException, as a row count checked in Java would have), or CO404,
-- a row that was never there (a bug: IllegalStateException).
CREATE FUNCTION closeout_expect_rows(expected integer, matched bigint, what text,
                                     mismatch text DEFAULT 'CO409')
    RETURNS bigint
    LANGUAGE plpgsql
AS $$
BEGIN
    IF matched IS DISTINCT FROM expected THEN
        RAISE EXCEPTION USING
            ERRCODE = mismatch,
            MESSAGE = format('%s: %s of %s rows matched', what, matched, expected);
    END IF;
    RETURN matched;
END
$$;
