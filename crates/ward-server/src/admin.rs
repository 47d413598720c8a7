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

/// A plausible email address: one `@`, something on each side, no spaces, not too long.
pub(crate) fn valid_email(email: &str) -> bool {
    email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@')
        })
}
