//! Accounts, sessions, API tokens, the setup link and the packages in scope, in
//! PostgreSQL. Each function runs on the caller's connection or transaction; none appends
//! audit events (the caller does, after the change).

use jiff::Timestamp;
use postgres::{GenericClient, Row};
use ward_desk::UserId;
use ward_desk::seal::WrappedKey;

use super::{constraint, from_ts, from_ts_opt, ts};
use crate::codec::{email_key, hash32, now, parse_role, parse_scopes, role_str, scopes_json};
use crate::{ApiToken, Error, NewApiToken, NewUser, Result, ScopeEntry, Session, User};

const USER: &str = "SELECT id, email, name, role, password_hash, totp_secret, totp_kek_id, \
    totp_wrapped_key, totp_last_step, disabled, created_at FROM users";

pub(super) fn create_user(c: &mut impl GenericClient, user: &NewUser) -> Result<UserId> {
    let row = c
        .query_one(
            "INSERT INTO users (email, email_key, name, role, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &user.email,
                &email_key(&user.email),
                &user.name,
                &role_str(user.role),
                &user.password_hash,
                &ts(now()),
            ],
        )
        .map_err(constraint("an account with this email", "an account"))?;
    Ok(UserId(row.try_get(0)?))
}

pub(super) fn user(c: &mut impl GenericClient, id: UserId) -> Result<Option<User>> {
    c.query_opt(&format!("{USER} WHERE id = $1"), &[&id.0])?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

pub(super) fn user_by_email(c: &mut impl GenericClient, email: &str) -> Result<Option<User>> {
    c.query_opt(
        &format!("{USER} WHERE email_key = $1"),
        &[&email_key(email)],
    )?
    .as_ref()
    .map(user_from_row)
    .transpose()
}

pub(super) fn users(c: &mut impl GenericClient) -> Result<Vec<User>> {
    c.query(&format!("{USER} ORDER BY id"), &[])?
        .iter()
        .map(user_from_row)
        .collect()
}

/// Saves the mutable fields. The TOTP step never moves back while the secret stays the same
/// (a stale copy of the account must not reopen a used code); a new secret takes the step
/// given.
pub(super) fn update_user(c: &mut impl GenericClient, user: &User) -> Result<()> {
    let (kek_id, wrapped) = match &user.totp_key {
        Some(k) => (Some(k.kek_id.as_str()), Some(k.bytes.as_slice())),
        None => (None, None),
    };
    let changed = c.execute(
        "UPDATE users SET name = $2, role = $3, password_hash = $4, totp_secret = $5,
            totp_kek_id = $6, totp_wrapped_key = $7, disabled = $9,
            totp_last_step = CASE WHEN $5::bytea IS NOT NULL AND totp_secret = $5::bytea
                THEN greatest(totp_last_step, $8::bigint) ELSE $8::bigint END
         WHERE id = $1",
        &[
            &user.id.0,
            &user.name,
            &role_str(user.role),
            &user.password_hash,
            &user.totp_secret,
            &kek_id,
            &wrapped,
            &user.totp_last_step,
            &user.disabled,
        ],
    )?;
    if changed == 0 {
        return Err(Error::Conflict {
            what: format!("account {}", user.id),
        });
    }
    Ok(())
}

pub(super) fn advance_totp_step(
    c: &mut impl GenericClient,
    user: UserId,
    step: i64,
) -> Result<bool> {
    let changed = c.execute(
        "UPDATE users SET totp_last_step = $2
         WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
        &[&user.0, &step],
    )?;
    Ok(changed == 1)
}

pub(super) fn count_users(c: &mut impl GenericClient) -> Result<u64> {
    let n: i64 = c.query_one("SELECT count(*) FROM users", &[])?.try_get(0)?;
    Ok(n.unsigned_abs())
}

pub(super) fn create_session(c: &mut impl GenericClient, s: &Session) -> Result<()> {
    // Expired sessions are of no use to anyone: they go as new ones arrive.
    c.execute(
        "DELETE FROM sessions WHERE expires_at <= $1",
        &[&ts(s.created_at)],
    )?;
    c.execute(
        "INSERT INTO sessions (token_hash, user_id, second_factor, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &&s.token_hash[..],
            &s.user.0,
            &s.second_factor,
            &ts(s.created_at),
            &ts(s.expires_at),
        ],
    )
    .map_err(constraint(
        "a session with this token",
        "the session's account",
    ))?;
    Ok(())
}

pub(super) fn session(
    c: &mut impl GenericClient,
    hash: &[u8; 32],
    now: Timestamp,
) -> Result<Option<Session>> {
    let Some(row) = c.query_opt(
        "SELECT token_hash, user_id, second_factor, created_at, expires_at FROM sessions
         WHERE token_hash = $1 AND expires_at > $2",
        &[&&hash[..], &ts(now)],
    )?
    else {
        return Ok(None);
    };
    Ok(Some(Session {
        token_hash: hash32(row.try_get(0)?, "session token hash")?,
        user: UserId(row.try_get(1)?),
        second_factor: row.try_get(2)?,
        created_at: from_ts(row.try_get(3)?)?,
        expires_at: from_ts(row.try_get(4)?)?,
    }))
}

pub(super) fn set_second_factor(c: &mut impl GenericClient, hash: &[u8; 32]) -> Result<()> {
    c.execute(
        "UPDATE sessions SET second_factor = true WHERE token_hash = $1",
        &[&&hash[..]],
    )?;
    Ok(())
}

pub(super) fn delete_session(c: &mut impl GenericClient, hash: &[u8; 32]) -> Result<()> {
    c.execute("DELETE FROM sessions WHERE token_hash = $1", &[&&hash[..]])?;
    Ok(())
}

pub(super) fn delete_sessions_of(c: &mut impl GenericClient, user: UserId) -> Result<()> {
    c.execute("DELETE FROM sessions WHERE user_id = $1", &[&user.0])?;
    Ok(())
}

pub(super) fn create_token(c: &mut impl GenericClient, t: &NewApiToken) -> Result<i64> {
    let row = c
        .query_one(
            "INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &t.user.0,
                &t.name,
                &&t.token_hash[..],
                &scopes_json(&t.scopes),
                &ts(now()),
                &t.expires_at.map(ts),
            ],
        )
        .map_err(constraint("a token with this hash", "the token's account"))?;
    Ok(row.try_get(0)?)
}

const TOKEN: &str = "SELECT id, user_id, name, scopes, created_at, expires_at FROM api_tokens";

pub(super) fn token(
    c: &mut impl GenericClient,
    hash: &[u8; 32],
    now: Timestamp,
) -> Result<Option<ApiToken>> {
    c.query_opt(
        &format!("{TOKEN} WHERE token_hash = $1 AND (expires_at IS NULL OR expires_at > $2)"),
        &[&&hash[..], &ts(now)],
    )?
    .as_ref()
    .map(token_from_row)
    .transpose()
}

pub(super) fn tokens_of(c: &mut impl GenericClient, user: UserId) -> Result<Vec<ApiToken>> {
    c.query(
        &format!("{TOKEN} WHERE user_id = $1 ORDER BY id"),
        &[&user.0],
    )?
    .iter()
    .map(token_from_row)
    .collect()
}

pub(super) fn delete_token(c: &mut impl GenericClient, user: UserId, id: i64) -> Result<bool> {
    let n = c.execute(
        "DELETE FROM api_tokens WHERE id = $1 AND user_id = $2",
        &[&id, &user.0],
    )?;
    Ok(n == 1)
}

pub(super) fn create_setup_link(
    c: &mut impl GenericClient,
    hash: &[u8; 32],
    expires: Timestamp,
) -> Result<()> {
    c.execute(
        "INSERT INTO setup_links (token_hash, expires_at) VALUES ($1, $2)",
        &[&&hash[..], &ts(expires)],
    )
    .map_err(constraint("this setup link", "a setup link"))?;
    Ok(())
}

/// Deleting the row is what consumes it: of two concurrent attempts, the second waits for
/// the first's row lock and then finds nothing to delete.
pub(super) fn consume_setup_link(
    c: &mut impl GenericClient,
    hash: &[u8; 32],
    now: Timestamp,
) -> Result<bool> {
    let n = c.execute(
        "DELETE FROM setup_links WHERE token_hash = $1 AND expires_at > $2",
        &[&&hash[..], &ts(now)],
    )?;
    Ok(n == 1)
}

pub(super) fn setup_link_live(
    c: &mut impl GenericClient,
    hash: &[u8; 32],
    now: Timestamp,
) -> Result<bool> {
    let row = c.query_opt(
        "SELECT 1 FROM setup_links WHERE token_hash = $1 AND expires_at > $2",
        &[&&hash[..], &ts(now)],
    )?;
    Ok(row.is_some())
}

pub(super) fn add_scope(
    c: &mut impl GenericClient,
    ecosystem: &str,
    package: &str,
    maintainer: UserId,
) -> Result<i64> {
    let row = c
        .query_one(
            "INSERT INTO scope (ecosystem, package, maintainer) VALUES ($1, $2, $3)
             RETURNING id",
            &[&ecosystem, &package, &maintainer.0],
        )
        .map_err(constraint(
            &format!("{ecosystem} {package} for account {maintainer}"),
            &format!("account {maintainer}"),
        ))?;
    Ok(row.try_get(0)?)
}

pub(super) fn remove_scope(c: &mut impl GenericClient, id: i64) -> Result<bool> {
    Ok(c.execute("DELETE FROM scope WHERE id = $1", &[&id])? == 1)
}

pub(super) fn scope(c: &mut impl GenericClient) -> Result<Vec<ScopeEntry>> {
    c.query(
        "SELECT id, ecosystem, package, maintainer FROM scope ORDER BY id",
        &[],
    )?
    .iter()
    .map(|row| {
        Ok(ScopeEntry {
            id: row.try_get(0)?,
            ecosystem: row.try_get(1)?,
            package: row.try_get(2)?,
            maintainer: UserId(row.try_get(3)?),
        })
    })
    .collect()
}

fn user_from_row(row: &Row) -> Result<User> {
    let kek_id: Option<String> = row.try_get(6)?;
    let wrapped: Option<Vec<u8>> = row.try_get(7)?;
    let totp_key = match (kek_id, wrapped) {
        (Some(kek_id), Some(bytes)) => Some(WrappedKey { kek_id, bytes }),
        (None, None) => None,
        _ => return Err(Error::Corrupt("an account has half a TOTP key".to_owned())),
    };
    Ok(User {
        id: UserId(row.try_get(0)?),
        email: row.try_get(1)?,
        name: row.try_get(2)?,
        role: parse_role(row.try_get(3)?)?,
        password_hash: row.try_get(4)?,
        totp_secret: row.try_get(5)?,
        totp_key,
        totp_last_step: row.try_get(8)?,
        disabled: row.try_get(9)?,
        created_at: from_ts(row.try_get(10)?)?,
    })
}

fn token_from_row(row: &Row) -> Result<ApiToken> {
    Ok(ApiToken {
        id: row.try_get(0)?,
        user: UserId(row.try_get(1)?),
        name: row.try_get(2)?,
        scopes: parse_scopes(row.try_get(3)?)?,
        created_at: from_ts(row.try_get(4)?)?,
        expires_at: from_ts_opt(row.try_get(5)?)?,
    })
}
