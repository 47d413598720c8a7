-- The first schema of ward serve's PostgreSQL store. Applied migrations are never edited:
-- a change is a new numbered file.
--
-- Timestamps are timestamptz (microseconds); ids are bigint identities. Sealed columns
-- (bytea) hold ciphertext only. Durations are bigint microseconds.

CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    -- The case-folded email (folded by ward, the same on every locale): accounts are
    -- unique and found by it.
    email_key text NOT NULL UNIQUE,
    name text NOT NULL,
    role text NOT NULL
        CHECK (role IN ('admin', 'coordinator', 'maintainer', 'reporter', 'party')),
    password_hash text NOT NULL,
    totp_secret bytea,
    totp_kek_id text,
    totp_wrapped_key bytea,
    totp_last_step bigint,
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL
);

CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    second_factor boolean NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    name text NOT NULL,
    token_hash bytea NOT NULL UNIQUE,
    scopes text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE setup_links (
    token_hash bytea PRIMARY KEY,
    expires_at timestamptz NOT NULL
);

-- The packages in scope: a package and a maintainer who owns it.
CREATE TABLE scope (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ecosystem text NOT NULL,
    package text NOT NULL,
    maintainer bigint NOT NULL REFERENCES users (id),
    UNIQUE (ecosystem, package, maintainer)
);
CREATE INDEX scope_maintainer ON scope (maintainer);

CREATE TABLE reports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version bigint NOT NULL DEFAULT 1,
    state text NOT NULL CHECK (state IN ('received', 'acknowledged', 'triaged', 'fixing',
        'fix_ready', 'disclosure_scheduled', 'disclosed', 'closed')),
    resolution text
        CHECK (resolution IN ('accepted', 'invalid', 'duplicate', 'out_of_scope')),
    duplicate_of bigint REFERENCES reports (id),
    reporter bigint REFERENCES users (id),
    coordinator bigint REFERENCES users (id),
    followup_hash bytea NOT NULL UNIQUE,
    received_at timestamptz NOT NULL,
    acknowledged_at timestamptz,
    triaged_at timestamptz,
    fix_ready_at timestamptz,
    disclosed_at timestamptz,
    held_since timestamptz,
    held_for_us bigint NOT NULL DEFAULT 0,
    closed_at timestamptz,
    next_due_at timestamptz,
    escalated text NOT NULL DEFAULT '[]',
    cvss3 text,
    cvss4 text,
    score double precision,
    kek_id text NOT NULL,
    wrapped_key bytea NOT NULL,
    content bytea NOT NULL,
    purged_at timestamptz
);
-- The inbox's order, for open cases (the default inbox), for all, and for one state.
CREATE INDEX reports_inbox ON reports (next_due_at ASC NULLS LAST, id)
    WHERE state NOT IN ('disclosed', 'closed');
CREATE INDEX reports_due ON reports (next_due_at ASC NULLS LAST, id);
CREATE INDEX reports_state ON reports (state, next_due_at ASC NULLS LAST, id);
CREATE INDEX reports_reporter ON reports (reporter);

-- Which packages in scope a report named: their maintainers see it.
CREATE TABLE report_scope (
    report_id bigint NOT NULL REFERENCES reports (id),
    scope_id bigint NOT NULL REFERENCES scope (id) ON DELETE CASCADE,
    PRIMARY KEY (report_id, scope_id)
);
CREATE INDEX report_scope_scope ON report_scope (scope_id, report_id);

CREATE TABLE report_maintainers (
    report_id bigint NOT NULL REFERENCES reports (id),
    user_id bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (report_id, user_id)
);
CREATE INDEX report_maintainers_user ON report_maintainers (user_id, report_id);

CREATE TABLE report_parties (
    report_id bigint NOT NULL REFERENCES reports (id),
    user_id bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (report_id, user_id)
);
CREATE INDEX report_parties_user ON report_parties (user_id, report_id);

CREATE TABLE messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id bigint NOT NULL REFERENCES reports (id),
    author bigint REFERENCES users (id),
    team_only boolean NOT NULL,
    body bytea NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX messages_report ON messages (report_id, id);

CREATE TABLE attachments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id bigint NOT NULL REFERENCES reports (id),
    message_id bigint REFERENCES messages (id),
    sealed_meta bytea NOT NULL,
    sealed_body bytea NOT NULL,
    size bigint NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX attachments_report ON attachments (report_id, id);

-- The audit chain. seq is 1, 2, 3, ...: never a sequence (a rolled-back transaction would
-- leave a gap) but the head's seq plus one, under the head row's lock.
CREATE TABLE audit_events (
    seq bigint PRIMARY KEY,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    report_id bigint,
    detail text NOT NULL,
    prev_hash bytea NOT NULL,
    hash bytea NOT NULL
);
-- The chain's head, one row. Appending locks it (SELECT ... FOR UPDATE) until commit, so
-- appends from every replica on this database take turns: no gaps, no forks.
CREATE TABLE audit_head (
    id smallint PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL,
    hash bytea NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));
-- Append-only against ward's own mistakes (an owner of the database can drop this; the hash
-- chain is what catches them).
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- Notifications waiting to be sent; payloads sealed.
CREATE TABLE outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id bigint NOT NULL REFERENCES reports (id),
    channel text NOT NULL,
    payload bytea NOT NULL,
    due_at timestamptz NOT NULL,
    attempts bigint NOT NULL DEFAULT 0,
    leased_until timestamptz
);
CREATE INDEX outbox_due ON outbox (due_at, id);
