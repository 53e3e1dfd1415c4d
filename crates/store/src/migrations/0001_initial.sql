-- Schema 1: records, assessments, the audit log.
--
-- Every time is an INTEGER of microseconds since 1970-01-01T00:00:00Z (UTC); in the
-- sqlite3 shell, `datetime(at / 1000000, 'unixepoch')` shows it as a date.

-- Which migration steps have run, and when. PRAGMA user_version holds the same number;
-- this table is for people.
CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    description TEXT    NOT NULL,
    applied_at  INTEGER NOT NULL
);

-- Every record ever ingested, once per (kind, key). Kept lean, because inserts must be
-- fast: the one index is on key_hash, 16 bytes per record, about half the size of an
-- index on the (kind, key) text. Keys are mostly random (UUIDs, content hashes), so each
-- batch of inserts dirties most index pages and the commit writes them all: a small
-- index is what keeps ingest at hundreds of thousands of records a second.
CREATE TABLE records (
    seq         INTEGER PRIMARY KEY,  -- insertion order
    key_hash    BLOB    NOT NULL,     -- first 16 bytes of BLAKE3(kind || 0x00 || key)
    kind        TEXT    NOT NULL,     -- "login", "payment", ...
    key         TEXT    NOT NULL,     -- the writer's id, or "#" and a content hash
    subject     TEXT    NOT NULL,
    at          INTEGER,              -- when it happened; NULL when the record has no time
    body        TEXT    NOT NULL,     -- the record's JSON exactly as received
    source      TEXT    NOT NULL,     -- where it came from: "file.ndjson:123"
    ingested_at INTEGER NOT NULL
);
-- UNIQUE (kind, key), by way of their 128-bit hash.
CREATE UNIQUE INDEX records_by_key_hash ON records (key_hash);

-- Every assessment ever made, never changed or removed.
CREATE TABLE assessments (
    id          INTEGER PRIMARY KEY,  -- order of storing: the highest is the newest
    subject     TEXT    NOT NULL,
    assessed_at INTEGER NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 255),
    band        TEXT    NOT NULL CHECK (band IN ('low', 'medium', 'high', 'critical')),
    policy      TEXT    NOT NULL,     -- a short label of the policy used, e.g. its hash
    stored_at   INTEGER NOT NULL,
    body        TEXT    NOT NULL CHECK (json_valid(body))  -- the whole Assessment as JSON
);
CREATE INDEX assessments_by_subject ON assessments (subject, id);

CREATE TRIGGER assessments_no_update BEFORE UPDATE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments are append-only: a stored assessment cannot be changed');
END;
CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments are append-only: a stored assessment cannot be removed');
END;

-- The newest assessment of each subject, kept by a trigger so that listing every
-- subject's latest score does not scan the whole history.
CREATE TABLE latest_assessment (
    subject       TEXT    PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    score         INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX latest_assessment_by_score ON latest_assessment (score DESC, subject);

CREATE TRIGGER assessments_track_latest AFTER INSERT ON assessments
BEGIN
    INSERT INTO latest_assessment (subject, assessment_id, score)
    VALUES (NEW.subject, NEW.id, NEW.score)
    ON CONFLICT (subject) DO UPDATE
        SET assessment_id = excluded.assessment_id, score = excluded.score;
END;

-- Who or what changed what, never changed or removed.
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,           -- order of writing: the highest is the newest
    at     INTEGER NOT NULL,
    actor  TEXT    NOT NULL,              -- "cli:alice", "engine", "api:token-3"
    action TEXT    NOT NULL,              -- "scan", "policy.change", "case.close"
    target TEXT,                          -- what it acted on, e.g. a subject id
    detail TEXT    NOT NULL CHECK (json_valid(detail))
);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: an entry cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: an entry cannot be removed');
END;
