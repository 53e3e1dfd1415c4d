-- Schema 4: the audit log becomes a hash chain (see `audit.rs` for the hash).
--
-- Each entry gains the hash of the entry before it and its own hash, so an entry changed,
-- removed or inserted by anything but redflag (the sqlite3 shell, a restored copy) is
-- found by `redflag audit verify`. The table is rebuilt so that both columns are NOT NULL;
-- the migration's code (`chain_existing_audit` in migrations.rs) copies the old entries
-- into it in id order, chaining them as it goes, and then drops the old table. The
-- existing entries are vouched for as they are at this moment: the chain starts here.

DROP TRIGGER audit_no_update;
DROP TRIGGER audit_no_delete;
ALTER TABLE audit RENAME TO audit_unchained;

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,    -- the order of writing (one more than the last); hashed
    at        INTEGER NOT NULL,
    actor     TEXT    NOT NULL,       -- "cli:alice", "engine", "api:token-3"
    action    TEXT    NOT NULL,       -- "scan", "policy.change", "case.close"
    target    TEXT,                   -- what it acted on, e.g. a subject id
    detail    TEXT    NOT NULL CHECK (json_valid(detail)),
    prev_hash BLOB    NOT NULL CHECK (length(prev_hash) = 32),  -- the hash of the entry before it
    hash      BLOB    NOT NULL CHECK (length(hash) = 32)        -- over prev_hash and this entry
);
CREATE INDEX audit_by_at ON audit (at);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: an entry cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: an entry cannot be removed');
END;
