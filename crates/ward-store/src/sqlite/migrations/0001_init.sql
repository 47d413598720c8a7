-- The first schema of ward serve's SQLite store. Applied migrations are never edited: a
-- change is a new numbered file.
--
-- Timestamps are INTEGER microseconds since the Unix epoch (UTC); ids are INTEGER PRIMARY
-- KEY (the rowid). Sealed columns (BLOB) hold ciphertext only. STRICT tables refuse a value
-- of the wrong type instead of storing it.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    -- The case-folded email: accounts are unique and found by it.
    email_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL
        CHECK (role IN ('admin', 'coordinator', 'maintainer', 'reporter', 'party')),
    password_hash TEXT NOT NULL,
    totp_secret BLOB,
    totp_kek_id TEXT,
    totp_wrapped_key BLOB,
    totp_last_step INTEGER,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    second_factor INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE setup_links (
    token_hash BLOB PRIMARY KEY,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The packages in scope: a package and a maintainer who owns it.
CREATE TABLE scope (
    id INTEGER PRIMARY KEY,
    ecosystem TEXT NOT NULL,
    package TEXT NOT NULL,
    maintainer INTEGER NOT NULL REFERENCES users (id),
    UNIQUE (ecosystem, package, maintainer)
) STRICT;
CREATE INDEX scope_maintainer ON scope (maintainer);

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 1,
    state TEXT NOT NULL CHECK (state IN ('received', 'acknowledged', 'triaged', 'fixing',
        'fix_ready', 'disclosure_scheduled', 'disclosed', 'closed')),
    resolution TEXT
        CHECK (resolution IN ('accepted', 'invalid', 'duplicate', 'out_of_scope')),
    duplicate_of INTEGER REFERENCES reports (id),
    reporter INTEGER REFERENCES users (id),
    coordinator INTEGER REFERENCES users (id),
    followup_hash BLOB NOT NULL UNIQUE,
    received_at INTEGER NOT NULL,
    acknowledged_at INTEGER,
    triaged_at INTEGER,
    fix_ready_at INTEGER,
    disclosed_at INTEGER,
    held_since INTEGER,
    held_for_us INTEGER NOT NULL DEFAULT 0,
    closed_at INTEGER,
    next_due_at INTEGER,
    escalated TEXT NOT NULL DEFAULT '[]',
    cvss3 TEXT,
    cvss4 TEXT,
    score REAL,
    kek_id TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    content BLOB NOT NULL,
    purged_at INTEGER,
    -- The inbox's order is next_due_at ASC NULLS LAST, id. An index keeps NULLs first, so
    -- the inbox sorts by this key instead, where "no deadline" is the largest value.
    due_sort INTEGER NOT NULL
        GENERATED ALWAYS AS (coalesce(next_due_at, 9223372036854775807)) VIRTUAL,
    done INTEGER NOT NULL
        GENERATED ALWAYS AS (state IN ('disclosed', 'closed')) VIRTUAL
) STRICT;
-- The default inbox (open cases), any inbox with done cases, one state's inbox.
CREATE INDEX reports_inbox ON reports (done, due_sort, id);
CREATE INDEX reports_due ON reports (due_sort, id);
CREATE INDEX reports_state ON reports (state, due_sort, id);
CREATE INDEX reports_reporter ON reports (reporter);

-- Which packages in scope a report named: their maintainers see it.
CREATE TABLE report_scope (
    report_id INTEGER NOT NULL REFERENCES reports (id),
    scope_id INTEGER NOT NULL REFERENCES scope (id) ON DELETE CASCADE,
    PRIMARY KEY (report_id, scope_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX report_scope_scope ON report_scope (scope_id, report_id);

CREATE TABLE report_maintainers (
    report_id INTEGER NOT NULL REFERENCES reports (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (report_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX report_maintainers_user ON report_maintainers (user_id, report_id);

CREATE TABLE report_parties (
    report_id INTEGER NOT NULL REFERENCES reports (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (report_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX report_parties_user ON report_parties (user_id, report_id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    author INTEGER REFERENCES users (id),
    team_only INTEGER NOT NULL,
    body BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX messages_report ON messages (report_id, id);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    message_id INTEGER REFERENCES messages (id),
    sealed_meta BLOB NOT NULL,
    sealed_body BLOB NOT NULL,
    size INTEGER NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX attachments_report ON attachments (report_id, id);

-- The audit chain. seq is 1, 2, 3, ... (the writer appends under its lock); no foreign key,
-- so nothing can ever block or remove an event.
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    report_id INTEGER,
    detail TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL
) STRICT;
-- Append-only against ward's own mistakes (someone with the file can drop these; the hash
-- chain is what catches them).
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT raise(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT raise(ABORT, 'audit events are append-only');
END;

-- Notifications waiting to be sent; payloads sealed.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    channel TEXT NOT NULL,
    payload BLOB NOT NULL,
    due_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    leased_until INTEGER
) STRICT;
CREATE INDEX outbox_due ON outbox (due_at, id);
