-- API keys for `redflag serve` (see the SQLite store's migration 5): only an argon2id
-- hash of each secret is kept; keys are never removed or changed, only revoked once.

CREATE TABLE api_keys (
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- order of creation
    id         text   COLLATE "C" NOT NULL UNIQUE,
    name       text   NOT NULL,
    role       text   NOT NULL CHECK (role IN ('admin', 'analyst', 'ingest', 'viewer')),
    hash       text   NOT NULL,  -- argon2id PHC string of the secret
    created_at bigint NOT NULL,
    revoked_at bigint
);

CREATE FUNCTION redflag_api_key_revoke_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
       OR (NEW.seq, NEW.id, NEW.name, NEW.role, NEW.hash, NEW.created_at)
          IS DISTINCT FROM (OLD.seq, OLD.id, OLD.name, OLD.role, OLD.hash, OLD.created_at) THEN
        RAISE EXCEPTION 'API keys are never removed or changed, only revoked once'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER api_keys_revoke_only BEFORE UPDATE OR DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION redflag_api_key_revoke_only();
CREATE TRIGGER api_keys_no_truncate BEFORE TRUNCATE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION
    redflag_refuse_change('API keys are never removed: a key cannot be');
