-- Schema 3: analysts' decisions on sanctions screening results (`redflag screen
-- clear|confirm`). Like assessments and the audit log, never changed or removed: a new
-- decision on the same pair is a new row, and the newest row is the one in force.

CREATE TABLE sanctions_decisions (
    id                 INTEGER PRIMARY KEY,  -- order of writing: the highest is the newest
    at                 INTEGER NOT NULL,
    actor              TEXT    NOT NULL,     -- "cli:alice"
    subject            TEXT    NOT NULL,
    entity_id          TEXT    NOT NULL,     -- "OFAC-24918"
    decision           TEXT    NOT NULL CHECK (decision IN ('cleared', 'confirmed')),
    reason             TEXT    NOT NULL,
    entity_fingerprint TEXT    NOT NULL,     -- the list entry as decided; a change reopens it
    list_version       TEXT
);
CREATE INDEX sanctions_decisions_by_pair ON sanctions_decisions (subject, entity_id, id);

CREATE TRIGGER sanctions_decisions_no_update BEFORE UPDATE ON sanctions_decisions
BEGIN
    SELECT RAISE(ABORT, 'sanctions decisions are append-only: record a new decision instead');
END;
CREATE TRIGGER sanctions_decisions_no_delete BEFORE DELETE ON sanctions_decisions
BEGIN
    SELECT RAISE(ABORT, 'sanctions decisions are append-only: record a new decision instead');
END;
