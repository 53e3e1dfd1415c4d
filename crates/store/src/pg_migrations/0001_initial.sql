-- PostgreSQL schema 1: what SQLite's schemas 1 to 4 hold, in PostgreSQL's terms.
--
-- Every table lives in the connection's current schema (the first of its search_path),
-- so one database can hold several redflag stores side by side. Times are bigint
-- microseconds since 1970-01-01T00:00:00Z (UTC), as in SQLite: `to_timestamp(at / 1e6)`
-- shows one as a date. Texts that are sorted (subject ids, entity ids) use the "C"
-- collation, so they sort bytewise, as SQLite and the in-memory store sort them, whatever
-- the database's locale. JSON is kept as text, exactly as written: the audit chain hashes
-- that text, and `jsonb` would rewrite it.

-- Which migration steps have run, and when; its name also marks a schema as redflag's.
CREATE TABLE redflag_schema (
    version     integer PRIMARY KEY,
    description text    NOT NULL,
    applied_at  bigint  NOT NULL
);

-- Every record ever ingested, once per (kind, key). Appended with COPY in batches; the
-- unique index on the key's hash refuses a second copy (a unit of work that tries is lost).
CREATE TABLE records (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- insertion order
    key_hash    bytea  NOT NULL CHECK (length(key_hash) = 16),     -- BLAKE3(kind || 0x00 || key), 16 bytes
    kind        text   NOT NULL,
    key         text   NOT NULL,
    subject     text   COLLATE "C" NOT NULL,
    at          bigint,                                           -- NULL when the record has no time
    body        text   NOT NULL,                                  -- the record's JSON exactly as received
    source      text   NOT NULL,                                  -- "file.ndjson:123"
    ingested_at bigint NOT NULL
);
CREATE UNIQUE INDEX records_by_key_hash ON records (key_hash);

-- Raises the error every append-only table gives on UPDATE, DELETE or TRUNCATE:
-- TG_ARGV[0] says what the table holds, the operation says what was refused.
CREATE FUNCTION redflag_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% %', TG_ARGV[0],
        CASE TG_OP WHEN 'UPDATE' THEN 'changed' ELSE 'removed' END
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

-- Every assessment ever made, never changed or removed.
CREATE TABLE assessments (
    id          bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- the highest is the newest
    subject     text     COLLATE "C" NOT NULL,
    assessed_at bigint   NOT NULL,
    score       smallint NOT NULL CHECK (score BETWEEN 0 AND 255),
    band        text     NOT NULL CHECK (band IN ('low', 'medium', 'high', 'critical')),
    policy      text     NOT NULL,
    stored_at   bigint   NOT NULL,
    body        text     NOT NULL CHECK ((body::json) IS NOT NULL)  -- the Assessment as JSON
);
CREATE INDEX assessments_by_subject ON assessments (subject, id);
CREATE TRIGGER assessments_append_only BEFORE UPDATE OR DELETE ON assessments
    FOR EACH ROW EXECUTE FUNCTION
    redflag_refuse_change('assessments are append-only: a stored assessment cannot be');
CREATE TRIGGER assessments_no_truncate BEFORE TRUNCATE ON assessments
    FOR EACH STATEMENT EXECUTE FUNCTION
    redflag_refuse_change('assessments are append-only: a stored assessment cannot be');

-- The newest assessment of each subject, kept by a trigger so that listing every
-- subject's latest score does not scan the whole history. The function keeps the
-- search_path it was created with, so it finds this schema's table from any session.
CREATE TABLE latest_assessment (
    subject       text     COLLATE "C" PRIMARY KEY,
    assessment_id bigint   NOT NULL REFERENCES assessments (id),
    score         smallint NOT NULL
);
CREATE INDEX latest_assessment_by_score ON latest_assessment (score DESC, subject);

CREATE FUNCTION redflag_track_latest() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO latest_assessment (subject, assessment_id, score)
    VALUES (NEW.subject, NEW.id, NEW.score)
    ON CONFLICT (subject) DO UPDATE
        SET assessment_id = excluded.assessment_id, score = excluded.score;
    RETURN NULL;
END
$$;
CREATE TRIGGER assessments_track_latest AFTER INSERT ON assessments
    FOR EACH ROW EXECUTE FUNCTION redflag_track_latest();

-- Who or what changed what: a hash chain (see the store's audit.rs for the hash), never
-- changed or removed. Ids are given by redflag, one more than the newest, under the
-- store's write lock, so the chain has no gaps and no two writers race for a link.
CREATE TABLE audit (
    id        bigint PRIMARY KEY CHECK (id > 0),
    at        bigint NOT NULL,
    actor     text   NOT NULL,        -- "cli:alice", "engine", "api:token-3"
    action    text   NOT NULL,        -- "scan", "screen.clear", "case.close"
    target    text,                   -- what it acted on, e.g. a subject id
    detail    text   NOT NULL CHECK ((detail::json) IS NOT NULL),
    prev_hash bytea  NOT NULL CHECK (length(prev_hash) = 32),  -- the hash of the entry before
    hash      bytea  NOT NULL CHECK (length(hash) = 32)        -- over prev_hash and this entry
);
CREATE INDEX audit_by_at ON audit (at);
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION
    redflag_refuse_change('the audit log is append-only: an entry cannot be');
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION
    redflag_refuse_change('the audit log is append-only: an entry cannot be');

-- Analysts' decisions on sanctions screening results; the newest of a pair is in force.
CREATE TABLE sanctions_decisions (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at                 bigint NOT NULL,
    actor              text   NOT NULL,
    subject            text   COLLATE "C" NOT NULL,
    entity_id          text   COLLATE "C" NOT NULL,   -- "OFAC-24918"
    decision           text   NOT NULL CHECK (decision IN ('cleared', 'confirmed')),
    reason             text   NOT NULL,
    entity_fingerprint text   NOT NULL,               -- the list entry as decided
    list_version       text
);
CREATE INDEX sanctions_decisions_by_pair ON sanctions_decisions (subject, entity_id, id);
CREATE TRIGGER sanctions_decisions_append_only BEFORE UPDATE OR DELETE ON sanctions_decisions
    FOR EACH ROW EXECUTE FUNCTION
    redflag_refuse_change('sanctions decisions are append-only (record a new decision instead): a decision cannot be');
CREATE TRIGGER sanctions_decisions_no_truncate BEFORE TRUNCATE ON sanctions_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION
    redflag_refuse_change('sanctions decisions are append-only (record a new decision instead): a decision cannot be');
