-- Schema 5: API keys for `redflag serve`. A key is `rf_<id>_<secret>`; only an argon2id
-- hash of the secret is kept, so the database (or a backup of it) opens nothing. Keys are
-- never removed or changed, only revoked once: the audit log names callers as
-- `api:<id>`, and that id must always lead back to the key's name and role.

CREATE TABLE api_keys (
    seq        INTEGER PRIMARY KEY,   -- order of creation
    id         TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('admin', 'analyst', 'ingest', 'viewer')),
    hash       TEXT    NOT NULL,      -- argon2id PHC string of the secret
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TRIGGER api_keys_no_delete BEFORE DELETE ON api_keys
BEGIN
    SELECT RAISE(ABORT, 'API keys are never removed: revoke one with `redflag keys revoke`');
END;
CREATE TRIGGER api_keys_only_revoked BEFORE UPDATE ON api_keys
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
  OR NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name
  OR NEW.role IS NOT OLD.role OR NEW.hash IS NOT OLD.hash
  OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'API keys are never changed, only revoked once');
END;
