//! Administration outside the web pages, for the CLI and tests: accounts, TOTP enrollment, the
//! setup link, KEK rotation and audit verification.
//!
//! These functions are synchronous (the store is); call them from `spawn_blocking` inside an
//! async runtime.

use anyhow::Context as _;
use jiff::SignedDuration;
use ward_desk::UserId;
use ward_desk::access::Role;
use ward_desk::audit::{self, NewEvent, Verified};
use ward_desk::seal::{Keyring, Secret};
use ward_store::NewUser;

use crate::state::{AUDIT_KEY, keys_dir, location};
use crate::{AppState, Config, auth, password, totp};

/// How long the setup link works.
pub const SETUP_LINK_VALIDITY: SignedDuration = SignedDuration::from_hours(24);

/// Creates an account (`actor` of the audit event: `system`). The password must be at least
/// 12 characters.
pub fn create_user(
    state: &AppState,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
) -> anyhow::Result<UserId> {
    create_user_as(state, "system", email, name, role, password)
}

pub(crate) fn create_user_as(
    state: &AppState,
    actor: &str,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
) -> anyhow::Result<UserId> {
    let email = email.trim();
    anyhow::ensure!(valid_email(email), "{email:?} is not an email address");
    password::check_new(password)
        .map_err(|expected| anyhow::anyhow!("the password must have {expected}"))?;
    let user = NewUser {
        email: email.to_owned(),
        name: name.trim().to_owned(),
        role,
        password_hash: password::hash(password)?,
    };
    let event = NewEvent {
        actor: actor.to_owned(),
        action: "user.create".to_owned(),
        report: None,
        detail: serde_json::json!({ "role": role }).to_string(),
    };
    Ok(state.store.create_user(&user, &event)?)
}

/// Enrolls `user` in TOTP with a new secret and returns it, base32.
pub fn enroll_totp(state: &AppState, user: UserId) -> anyhow::Result<String> {
    let secret: [u8; totp::SECRET_BYTES] = rand::random();
    store_totp(state, "system", user, &secret)?;
    Ok(totp::base32(&secret))
}

/// Seals and stores a confirmed TOTP secret.
pub(crate) fn store_totp(
    state: &AppState,
    actor: &str,
    user: UserId,
    secret: &[u8],
) -> anyhow::Result<()> {
    let mut account = state
        .store
        .user(user)?
        .with_context(|| format!("no account {user}"))?;
    let (key, wrapped) = state.keyring.new_data_key();
    account.totp_secret = Some(key.seal(&totp::label(user), secret));
    account.totp_key = Some(wrapped);
    account.totp_last_step = None;
    let event = NewEvent {
        actor: actor.to_owned(),
        action: "user.totp_enroll".to_owned(),
        report: None,
        detail: serde_json::json!({ "user": user }).to_string(),
    };
    state.store.update_user(&account, &event)?;
    Ok(())
}

/// When there is no account yet, a fresh one-time link (valid 24 hours) that creates the
/// first admin; only its hash is stored. `None` once an account exists.
pub fn setup_link(state: &AppState) -> anyhow::Result<Option<String>> {
    if state.store.count_users()? > 0 {
        return Ok(None);
    }
    let token = auth::new_token();
    let expires = state
        .now()
        .checked_add(SETUP_LINK_VALIDITY)
        .context("setup link expiry")?;
    state
        .store
        .create_setup_link(&auth::hash_token(&token), expires)?;
    Ok(Some(format!("{}/setup/{token}", state.public_url())))
}

/// What a KEK rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// The new KEK's id.
    pub kek_id: String,
    /// How many data keys were rewrapped.
    pub rewrapped: usize,
}

/// Rotates the key-encryption key: adds a new KEK, rewraps every data key under it in one
/// transaction (with its audit event), then retires the old KEKs. Report ciphertexts are not
/// touched. Run it with the server stopped (a running server holds the old keyring).
pub fn rotate_kek(config: &Config) -> anyhow::Result<Rotation> {
    let keys = keys_dir(&config.data_dir);
    let audit_key = Secret::load_or_create(&keys, AUDIT_KEY).context("loading the audit key")?;
    let store = ward_store::open(&location(config), audit_key).context("opening the store")?;
    let keyring = Keyring::rotate(&keys).context("creating a new key-encryption key")?;
    let wrapped = store.wrapped_keys()?;
    let mut rewrapped = Vec::with_capacity(wrapped.len());
    for (kind, id, key) in wrapped {
        let new = keyring
            .rewrap(&key)
            .with_context(|| format!("rewrapping the data key of {kind} {id}"))?;
        rewrapped.push((kind, id, new));
    }
    let event = NewEvent {
        actor: "system".to_owned(),
        action: "kek.rotate".to_owned(),
        report: None,
        detail: serde_json::json!({ "kek": keyring.current_id(), "keys": rewrapped.len() })
            .to_string(),
    };
    store.replace_wrapped_keys(&rewrapped, &event)?;
    keyring
        .retire(&keys)
        .context("removing the old key-encryption keys")?;
    Ok(Rotation {
        kek_id: keyring.current_id().to_owned(),
        rewrapped: rewrapped.len(),
    })
}

/// Verifies the whole audit chain, a page at a time.
pub fn verify_audit(config: &Config) -> anyhow::Result<Verified> {
    let keys = keys_dir(&config.data_dir);
    let open_key = || Secret::load_or_create(&keys, AUDIT_KEY).context("loading the audit key");
    let store = ward_store::open(&location(config), open_key()?).context("opening the store")?;
    let mut failure = None;
    let pages = Pages {
        store: &*store,
        after: 0,
        page: Vec::new().into_iter(),
        failure: &mut failure,
    };
    let verified = audit::verify(&open_key()?, pages);
    if let Some(error) = failure {
        return Err(anyhow::Error::new(error).context("reading the audit log"));
    }
    Ok(verified?)
}

/// The events, fetched a page at a time; a store error ends the iteration and is kept.
struct Pages<'a> {
    store: &'a dyn ward_store::Store,
    after: i64,
    page: std::vec::IntoIter<audit::Event>,
    failure: &'a mut Option<ward_store::Error>,
}

impl Iterator for Pages<'_> {
    type Item = audit::Event;

    fn next(&mut self) -> Option<audit::Event> {
        if let Some(event) = self.page.next() {
            return Some(event);
        }
        if self.failure.is_some() {
            return None;
        }
        match self.store.events(self.after, 1000) {
            Ok(page) => {
                self.after = page.last()?.seq;
                self.page = page.into_iter();
                self.page.next()
            }
            Err(error) => {
                *self.failure = Some(error);
                None
            }
        }
    }
}

/// Creates an API token for the account `email` (the operator's way to give a release
/// pipeline a `write` token for `ward log add`); returns the token, shown once. A token never
/// gets more than its account's role allows: `authorize` checks both on every request.
pub fn create_token(
    state: &AppState,
    email: &str,
    name: &str,
    scopes: Vec<ward_desk::access::TokenScope>,
    expires_days: Option<u32>,
) -> anyhow::Result<String> {
    use base64::Engine as _;
    let user = state
        .store
        .user_by_email(email)
        .context("reading the account")?
        .ok_or_else(|| anyhow::anyhow!("no account {email}"))?;
    if scopes.is_empty() {
        anyhow::bail!("a token needs at least one scope");
    }
    if scopes.contains(&ward_desk::access::TokenScope::Admin) && user.role != Role::Admin {
        anyhow::bail!("only an admin's token may have the admin scope");
    }
    let expires_at = expires_days
        .map(|days| {
            state
                .now()
                .checked_add(SignedDuration::from_hours(i64::from(days) * 24))
                .context("the expiry is out of range")
        })
        .transpose()?;
    let token = format!(
        "{}{}",
        auth::TOKEN_PREFIX,
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
    );
    let new = ward_store::NewApiToken {
        user: user.id,
        name: name.to_owned(),
        token_hash: auth::hash_token(&token),
        scopes: scopes.clone(),
        expires_at,
    };
    state
        .store
        .create_token(
            &new,
            &NewEvent {
                actor: "system".to_owned(),
                action: "token.create".to_owned(),
                report: None,
                detail: serde_json::json!({ "user": user.id.0, "scopes": scopes }).to_string(),
            },
        )
        .context("storing the token")?;
    Ok(token)
}

/// What `ward audit verify` found in the transparency log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogVerified {
    /// The log's origin (its name in checkpoints).
    pub origin: String,
    /// The checkpoint's tree size: every entry was checked.
    pub size: u64,
    /// Audit events recorded in the log, each equal to the database's.
    pub audit_logged: i64,
}

/// The transparency log disagrees with itself, its checkpoint or the audit events.
#[derive(Debug, thiserror::Error)]
pub enum LogBroken {
    /// The stored checkpoint does not verify with the instance's log key.
    #[error("the stored checkpoint does not verify: {0}")]
    Checkpoint(String),
    /// A tile below the checkpoint's size is missing or truncated.
    #[error("{0}")]
    Unreadable(String),
    /// An entry, a tile or the root is inconsistent, or an audit event differs.
    #[error(transparent)]
    Inconsistent(#[from] ward_log::audit::AuditError),
}

/// Audits the instance's transparency log from its store: the checkpoint's signature, every
/// entry against its tile, every tile against the root, and every logged audit event against
/// the database's event of the same seq (so an event deleted, edited or cut from the tail
/// after it was logged is found). A [`LogBroken`] error means the log is inconsistent.
pub fn verify_log(config: &Config) -> anyhow::Result<LogVerified> {
    let keys = keys_dir(&config.data_dir);
    let audit_key = Secret::load_or_create(&keys, AUDIT_KEY).context("loading the audit key")?;
    let seed = Secret::load_or_create(&keys, crate::log::LOG_KEY).context("loading the log key")?;
    let store = ward_store::open(&location(config), audit_key).context("opening the store")?;
    let store = &*store;
    let head = store
        .log_head()
        .context("reading the log's head")?
        .ok_or_else(|| LogBroken::Checkpoint("the log has no checkpoint".to_owned()))?;
    // The origin is read from the note, then the signature is checked with the key named by
    // that origin: a note signed by any other key or for any other name fails.
    let origin = head
        .checkpoint
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    let key = crate::log::LogKey::new(&origin, seed.expose())
        .map_err(|e| LogBroken::Checkpoint(format!("{e:#}")))?;
    let checkpoint = ward_log::Checkpoint::open(&head.checkpoint, key.verifier())
        .map_err(|e| LogBroken::Checkpoint(e.to_string()))?;
    if checkpoint.size != head.size {
        return Err(LogBroken::Checkpoint(format!(
            "it is for size {}, the head row says {}",
            checkpoint.size, head.size
        ))
        .into());
    }

    let read = |level: u8, index: u64| store.log_tile(level, index);
    let tiles = ward_store::StoreTiles::new(&read);
    let mut failure = None;
    let mut events = Pages {
        store,
        after: 0,
        page: Vec::new().into_iter(),
        failure: &mut failure,
    };
    let mut logged = 0i64;
    let mut store_error = None;
    let result = ward_log::audit::audit(
        &checkpoint,
        &tiles,
        &mut |index, width| {
            let first = index * ward_log::tile::TILE_WIDTH;
            store.log_entries(first, u32::from(width)).map_err(|e| {
                let path = format!("tile/entries/{index}");
                store_error = Some(e);
                ward_log::Error::TileMissing { path }
            })
        },
        &mut |_, entry| match ward_desk::ledger::Entry::parse(entry) {
            Ok(ward_desk::ledger::Entry::Audit { seq, hash }) => {
                logged += 1;
                if seq != logged {
                    return Err(format!(
                        "audit event {seq} is logged where event {logged} is expected"
                    ));
                }
                match events.next() {
                    Some(event) if event.seq == seq && event.hash == hash => Ok(()),
                    Some(event) if event.seq == seq => Err(format!(
                        "audit event {seq} in the database differs from the logged one (hash {} \
                         in the log, {} in the database)",
                        audit::hex(&hash),
                        audit::hex(&event.hash)
                    )),
                    Some(event) => Err(format!(
                        "audit event {seq} is in the log; the database has event {} in its place",
                        event.seq
                    )),
                    None => Err(format!(
                        "audit event {seq} is in the log but not in the database (deleted, or \
                         cut from the end)"
                    )),
                }
            }
            Ok(ward_desk::ledger::Entry::Signature { .. }) => Ok(()),
            Err(e) => Err(e.to_string()),
        },
    );
    if let Some(error) = store_error.or(failure) {
        return Err(anyhow::Error::new(error).context("reading the log"));
    }
    if let Err(err) = result {
        if let ward_log::audit::AuditError::Read(inner) = &err {
            return Err(match tiles.error(inner.clone()) {
                ward_store::Error::Corrupt(reason) => LogBroken::Unreadable(reason).into(),
                other => anyhow::Error::new(other).context("reading the log's tiles"),
            });
        }
        return Err(LogBroken::Inconsistent(err).into());
    }
    Ok(LogVerified {
        origin,
        size: checkpoint.size,
        audit_logged: logged,
    })
}

/// A plausible email address: one `@`, something on each side, no spaces, not too long.
pub(crate) fn valid_email(email: &str) -> bool {
    email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@')
        })
}
