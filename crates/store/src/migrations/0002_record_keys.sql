-- Schema 2: the uniqueness of (kind, key) moves from an index on `records` to a table of
-- record keys, filled in key order when a unit of work commits.
--
-- Keys are random (UUIDs, content hashes), so an index kept up to date on every insert
-- touched a random index page per record; at 400,000 records that index was the slowest
-- part of a scan. Records are now appended to `records` with no index but the insertion
-- order, and the store adds the unit of work's keys here, sorted, just before it
-- commits: a key already present fails the commit, so (kind, key) stays unique in every
-- committed state of the database.

CREATE TABLE record_keys (
    hash BLOB    PRIMARY KEY,  -- first 16 bytes of BLAKE3(kind || 0x00 || key)
    seq  INTEGER NOT NULL      -- the record in `records`
) WITHOUT ROWID;

INSERT INTO record_keys (hash, seq) SELECT key_hash, seq FROM records ORDER BY key_hash;
DROP INDEX records_by_key_hash;
ALTER TABLE records DROP COLUMN key_hash;
