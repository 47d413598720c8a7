-- The transparency log (ward-log): entries, C2SP tiles and the signed head.
-- An append writes its entries, the tiles it changed and the new head in one transaction
-- that holds the head row's lock: replicas take turns, and an append is in the log with its
-- proof or never happened.

CREATE TABLE log_head (
    id smallint PRIMARY KEY CHECK (id = 1),
    size bigint NOT NULL,
    audit_seq bigint NOT NULL,
    checkpoint text
);
INSERT INTO log_head (id, size, audit_seq, checkpoint) VALUES (1, 0, 0, NULL);

CREATE TABLE log_entries (
    idx bigint PRIMARY KEY,
    leaf_hash bytea NOT NULL,
    data bytea NOT NULL
);
CREATE INDEX log_entries_leaf ON log_entries (leaf_hash);
CREATE FUNCTION log_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'log entries are append-only';
END;
$$;
CREATE TRIGGER log_entries_append_only BEFORE UPDATE OR DELETE ON log_entries
    FOR EACH ROW EXECUTE FUNCTION log_entries_append_only();
CREATE TRIGGER log_entries_no_truncate BEFORE TRUNCATE ON log_entries
    FOR EACH STATEMENT EXECUTE FUNCTION log_entries_append_only();

CREATE TABLE log_tiles (
    level smallint NOT NULL,
    idx bigint NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (level, idx)
);
