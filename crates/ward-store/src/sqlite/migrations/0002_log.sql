-- The transparency log (ward-log): entries, C2SP tiles and the signed head.
-- An append writes its entries, the tiles it changed and the new head in one transaction:
-- it is in the log with its proof, or it never happened.

-- One row: the tree size, the last audit event logged and the signed checkpoint.
CREATE TABLE log_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    size INTEGER NOT NULL,
    audit_seq INTEGER NOT NULL,
    checkpoint TEXT
) STRICT;
INSERT INTO log_head (id, size, audit_seq, checkpoint) VALUES (1, 0, 0, NULL);

-- Entry idx is the leaf index; leaf_hash finds an entry from its content.
CREATE TABLE log_entries (
    idx INTEGER PRIMARY KEY,
    leaf_hash BLOB NOT NULL,
    data BLOB NOT NULL
) STRICT;
CREATE INDEX log_entries_leaf ON log_entries (leaf_hash);
CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries
BEGIN
    SELECT raise(ABORT, 'log entries are append-only');
END;
CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries
BEGIN
    SELECT raise(ABORT, 'log entries are append-only');
END;

-- Hash tiles as the tree grows: a tile's row is rewritten while it is partial and never
-- again once it holds 256 hashes.
CREATE TABLE log_tiles (
    level INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;
