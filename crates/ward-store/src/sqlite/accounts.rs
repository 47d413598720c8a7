//! Accounts, sessions, API tokens, the setup link and the packages in scope, in SQLite.
//! Each function runs inside the caller's transaction; none appends audit events (the
//! caller does, after the change).

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};
use ward_desk::UserId;
use ward_desk::seal::WrappedKey;

use super::constraint;
use crate::codec::{
    email_key, from_micros, from_micros_opt, hash32, micros, now, parse_role, parse_scopes,
    role_str, scopes_json,
};
use crate::{ApiToken, Error, NewApiToken, NewUser, Result, ScopeEntry, Session, User};

const USER: &str = "SELECT id, email, name, role, password_hash, totp_secret, totp_kek_id, \
    totp_wrapped_key, totp_last_step, disabled, created_at FROM users";

pub(super) fn create_user(conn: &Connection, user: &NewUser) -> Result<UserId> {
    conn.prepare_cached(
        "INSERT INTO users (email, email_key, name, role, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        user.email,
        email_key(&user.email),
        user.name,
        role_str(user.role),
        user.password_hash,
        micros(now()),
    ])
    .map_err(constraint("an account with this email", "an account"))?;
    Ok(UserId(conn.last_insert_rowid()))
}

pub(super) fn user(conn: &Connection, id: UserId) -> Result<Option<User>> {
    let mut stmt = conn.prepare_cached(&format!("{USER} WHERE id = ?1"))?;
    let mut rows = stmt.query([id.0])?;
    rows.next()?.map(user_from_row).transpose()
}

pub(super) fn user_by_email(conn: &Connection, email: &str) -> Result<Option<User>> {
    let mut stmt = conn.prepare_cached(&format!("{USER} WHERE email_key = ?1"))?;
    let mut rows = stmt.query([email_key(email)])?;
    rows.next()?.map(user_from_row).transpose()
}

pub(super) fn users(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt = conn.prepare_cached(&format!("{USER} ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(user_from_row(row)?);
    }
    Ok(out)
}

/// Saves the mutable fields. The TOTP step never moves back while the secret stays the same
/// (a stale copy of the account must not reopen a used code); a new secret takes the step
/// given.
pub(super) fn update_user(conn: &Connection, user: &User) -> Result<()> {
    let (kek_id, wrapped) = match &user.totp_key {
        Some(k) => (Some(k.kek_id.as_str()), Some(k.bytes.as_slice())),
        None => (None, None),
    };
    let changed = conn
        .prepare_cached(
            "UPDATE users SET name = ?2, role = ?3, password_hash = ?4, totp_secret = ?5,
                totp_kek_id = ?6, totp_wrapped_key = ?7, disabled = ?9,
                totp_last_step = CASE WHEN ?5 IS NOT NULL AND totp_secret IS ?5
                    THEN max(coalesce(totp_last_step, ?8), coalesce(?8, totp_last_step))
                    ELSE ?8 END
             WHERE id = ?1",
        )?
        .execute(params![
            user.id.0,
            user.name,
            role_str(user.role),
            user.password_hash,
            user.totp_secret,
            kek_id,
            wrapped,
            user.totp_last_step,
            user.disabled,
        ])?;
    if changed == 0 {
        return Err(Error::Conflict {
            what: format!("account {}", user.id),
        });
    }
    Ok(())
}

pub(super) fn advance_totp_step(conn: &Connection, user: UserId, step: i64) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE users SET totp_last_step = ?2
             WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
        )?
        .execute((user.0, step))?;
    Ok(changed == 1)
}

pub(super) fn count_users(conn: &Connection) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM users")?
        .query_row([], |r| r.get(0))?;
    Ok(n.unsigned_abs())
}

pub(super) fn create_session(conn: &Connection, s: &Session) -> Result<()> {
    // Expired sessions are of no use to anyone: they go as new ones arrive.
    conn.prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1")?
        .execute([micros(s.created_at)])?;
    conn.prepare_cached(
        "INSERT INTO sessions (token_hash, user_id, second_factor, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        &s.token_hash[..],
        s.user.0,
        s.second_factor,
        micros(s.created_at),
        micros(s.expires_at),
    ])
    .map_err(constraint(
        "a session with this token",
        "the session's account",
    ))?;
    Ok(())
}

pub(super) fn session(
    conn: &Connection,
    hash: &[u8; 32],
    now: Timestamp,
) -> Result<Option<Session>> {
    let mut stmt = conn.prepare_cached(
        "SELECT token_hash, user_id, second_factor, created_at, expires_at FROM sessions
         WHERE token_hash = ?1 AND expires_at > ?2",
    )?;
    let mut rows = stmt.query(params![&hash[..], micros(now)])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    Ok(Some(Session {
        token_hash: hash32(row.get(0)?, "session token hash")?,
        user: UserId(row.get(1)?),
        second_factor: row.get(2)?,
        created_at: from_micros(row.get(3)?)?,
        expires_at: from_micros(row.get(4)?)?,
    }))
}

pub(super) fn set_second_factor(conn: &Connection, hash: &[u8; 32]) -> Result<()> {
    conn.prepare_cached("UPDATE sessions SET second_factor = 1 WHERE token_hash = ?1")?
        .execute([&hash[..]])?;
    Ok(())
}

pub(super) fn delete_session(conn: &Connection, hash: &[u8; 32]) -> Result<()> {
    conn.prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?
        .execute([&hash[..]])?;
    Ok(())
}

pub(super) fn delete_sessions_of(conn: &Connection, user: UserId) -> Result<()> {
    conn.prepare_cached("DELETE FROM sessions WHERE user_id = ?1")?
        .execute([user.0])?;
    Ok(())
}

pub(super) fn create_token(conn: &Connection, t: &NewApiToken) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        t.user.0,
        t.name,
        &t.token_hash[..],
        scopes_json(&t.scopes),
        micros(now()),
        t.expires_at.map(micros),
    ])
    .map_err(constraint("a token with this hash", "the token's account"))?;
    Ok(conn.last_insert_rowid())
}

const TOKEN: &str = "SELECT id, user_id, name, scopes, created_at, expires_at FROM api_tokens";

pub(super) fn token(
    conn: &Connection,
    hash: &[u8; 32],
    now: Timestamp,
) -> Result<Option<ApiToken>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{TOKEN} WHERE token_hash = ?1 AND (expires_at IS NULL OR expires_at > ?2)"
    ))?;
    let mut rows = stmt.query(params![&hash[..], micros(now)])?;
    rows.next()?.map(token_from_row).transpose()
}

pub(super) fn tokens_of(conn: &Connection, user: UserId) -> Result<Vec<ApiToken>> {
    let mut stmt = conn.prepare_cached(&format!("{TOKEN} WHERE user_id = ?1 ORDER BY id"))?;
    let mut rows = stmt.query([user.0])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(token_from_row(row)?);
    }
    Ok(out)
}

pub(super) fn delete_token(conn: &Connection, user: UserId, id: i64) -> Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM api_tokens WHERE id = ?1 AND user_id = ?2")?
        .execute((id, user.0))?;
    Ok(n == 1)
}

pub(super) fn create_setup_link(
    conn: &Connection,
    hash: &[u8; 32],
    expires: Timestamp,
) -> Result<()> {
    conn.prepare_cached("INSERT INTO setup_links (token_hash, expires_at) VALUES (?1, ?2)")?
        .execute(params![&hash[..], micros(expires)])
        .map_err(constraint("this setup link", "a setup link"))?;
    Ok(())
}

/// Deleting the row is what consumes it: of two concurrent attempts, one deletes it.
pub(super) fn consume_setup_link(
    conn: &Connection,
    hash: &[u8; 32],
    now: Timestamp,
) -> Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM setup_links WHERE token_hash = ?1 AND expires_at > ?2")?
        .execute(params![&hash[..], micros(now)])?;
    Ok(n == 1)
}

pub(super) fn setup_link_live(conn: &Connection, hash: &[u8; 32], now: Timestamp) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM setup_links WHERE token_hash = ?1 AND expires_at > ?2")?
        .exists(params![&hash[..], micros(now)])?)
}

pub(super) fn add_scope(
    conn: &Connection,
    ecosystem: &str,
    package: &str,
    maintainer: UserId,
) -> Result<i64> {
    conn.prepare_cached("INSERT INTO scope (ecosystem, package, maintainer) VALUES (?1, ?2, ?3)")?
        .execute(params![ecosystem, package, maintainer.0])
        .map_err(constraint(
            &format!("{ecosystem} {package} for account {maintainer}"),
            &format!("account {maintainer}"),
        ))?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn remove_scope(conn: &Connection, id: i64) -> Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM scope WHERE id = ?1")?
        .execute([id])?;
    Ok(n == 1)
}

pub(super) fn scope(conn: &Connection) -> Result<Vec<ScopeEntry>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, ecosystem, package, maintainer FROM scope ORDER BY id")?;
    let rows = stmt.query_map([], |row| {
        Ok(ScopeEntry {
            id: row.get(0)?,
            ecosystem: row.get(1)?,
            package: row.get(2)?,
            maintainer: UserId(row.get(3)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn user_from_row(row: &Row<'_>) -> Result<User> {
    let kek_id: Option<String> = row.get(6)?;
    let wrapped: Option<Vec<u8>> = row.get(7)?;
    let totp_key = match (kek_id, wrapped) {
        (Some(kek_id), Some(bytes)) => Some(WrappedKey { kek_id, bytes }),
        (None, None) => None,
        _ => return Err(Error::Corrupt("an account has half a TOTP key".to_owned())),
    };
    Ok(User {
        id: UserId(row.get(0)?),
        email: row.get(1)?,
        name: row.get(2)?,
        role: parse_role(&row.get::<_, String>(3)?)?,
        password_hash: row.get(4)?,
        totp_secret: row.get(5)?,
        totp_key,
        totp_last_step: row.get(8)?,
        disabled: row.get(9)?,
        created_at: from_micros(row.get(10)?)?,
    })
}

fn token_from_row(row: &Row<'_>) -> Result<ApiToken> {
    Ok(ApiToken {
        id: row.get(0)?,
        user: UserId(row.get(1)?),
        name: row.get(2)?,
        scopes: parse_scopes(&row.get::<_, String>(3)?)?,
        created_at: from_micros(row.get(4)?)?,
        expires_at: from_micros_opt(row.get(5)?)?,
    })
}
