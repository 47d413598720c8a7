//! How both backends write the domain's values into columns, and read them back: enums as
//! ward-desk's stable lower-case names (the CHECK constraints of both schemas list them),
//! lists as JSON arrays, timestamps at microsecond precision,
//! hashes as 32 bytes, emails by a case-folded key. One codec, so a SQLite database and a
//! PostgreSQL one hold the same text for the same value.
//!
//! Reading is strict: a value this ward did not write is [`Error::Corrupt`], never a panic.

use jiff::{SignedDuration, Timestamp};
use ward_desk::access::{Role, TokenScope};
use ward_desk::audit::{Event, NewEvent, chain_hash};
use ward_desk::seal::Secret;
use ward_desk::sla::Milestone;
use ward_desk::state::{Resolution, State};

use crate::{Error, Result};

/// The states a case is done in: the inbox hides them unless asked.
pub(crate) const DONE_STATES: [State; 2] = [State::Disclosed, State::Closed];

/// The database name of a role: ward-desk's stable name.
pub(crate) fn role_str(role: Role) -> &'static str {
    role.as_str()
}

/// A role from its database name.
pub(crate) fn parse_role(s: &str) -> Result<Role> {
    s.parse().map_err(|_| corrupt("role", s))
}

/// The database name of a state: ward-desk's stable name.
pub(crate) fn state_str(state: State) -> &'static str {
    state.as_str()
}

/// A state from its database name.
pub(crate) fn parse_state(s: &str) -> Result<State> {
    s.parse().map_err(|_| corrupt("state", s))
}

/// The database name of a resolution: ward-desk's stable name.
pub(crate) fn resolution_str(resolution: Resolution) -> &'static str {
    resolution.as_str()
}

/// A resolution from its database name.
pub(crate) fn parse_resolution(s: &str) -> Result<Resolution> {
    s.parse().map_err(|_| corrupt("resolution", s))
}

/// A token's scopes as a JSON array of names.
pub(crate) fn scopes_json(scopes: &[TokenScope]) -> String {
    list_json(scopes)
}

/// A token's scopes from their JSON array.
pub(crate) fn parse_scopes(s: &str) -> Result<Vec<TokenScope>> {
    serde_json::from_str(s).map_err(|_| corrupt("token scopes", s))
}

/// Escalated milestones as a JSON array of names.
pub(crate) fn milestones_json(milestones: &[Milestone]) -> String {
    list_json(milestones)
}

/// Escalated milestones from their JSON array.
pub(crate) fn parse_milestones(s: &str) -> Result<Vec<Milestone>> {
    serde_json::from_str(s).map_err(|_| corrupt("escalated milestones", s))
}

fn list_json<T: serde::Serialize>(items: &[T]) -> String {
    // A slice of unit enums always serializes; an empty list is the fallback that cannot
    // happen.
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

/// The key an email is unique and looked up by: case-folded, so `A@x.org` and `a@X.org`
/// are one account on both backends (SQLite's `NOCASE` folds ASCII only, PostgreSQL's
/// `lower()` depends on the locale; Rust's folding is the same everywhere).
pub(crate) fn email_key(email: &str) -> String {
    email.to_lowercase()
}

/// Microseconds since the Unix epoch: the precision both backends store.
pub(crate) fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

/// A timestamp from microseconds since the Unix epoch.
pub(crate) fn from_micros(us: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(us).map_err(|_| corrupt("timestamp", &us.to_string()))
}

/// `from_micros` for a nullable column.
pub(crate) fn from_micros_opt(us: Option<i64>) -> Result<Option<Timestamp>> {
    us.map(from_micros).transpose()
}

/// A duration in microseconds (time spent on hold).
pub(crate) fn duration_micros(d: SignedDuration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

/// Now, cut to the microseconds the database keeps: an event's hash covers the time it is
/// stored with, so the time must survive the round trip exactly.
pub(crate) fn now() -> Timestamp {
    let now = Timestamp::now();
    Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now)
}

/// A 32-byte hash column.
pub(crate) fn hash32(bytes: Vec<u8>, what: &str) -> Result<[u8; 32]> {
    bytes
        .try_into()
        .map_err(|b: Vec<u8>| Error::Corrupt(format!("{what} is {} bytes, not 32", b.len())))
}

/// The event that follows `prev_hash` as number `seq`, hashed under `key`.
pub(crate) fn chain_event(
    key: &Secret,
    prev_hash: [u8; 32],
    seq: i64,
    at: Timestamp,
    event: &NewEvent,
) -> Event {
    Event {
        seq,
        at,
        actor: event.actor.clone(),
        action: event.action.clone(),
        report: event.report,
        detail: event.detail.clone(),
        prev_hash,
        hash: chain_hash(key, &prev_hash, seq, at, event),
    }
}

fn corrupt(what: &str, value: &str) -> Error {
    // Only enum names, lists of them and numbers reach here, never sealed bytes.
    Error::Corrupt(format!("unknown {what} {value:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_enum_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(parse_role(role_str(role)).ok(), Some(role));
        }
        for state in State::ALL {
            assert_eq!(parse_state(state_str(state)).ok(), Some(state));
        }
        for r in [
            Resolution::Accepted,
            Resolution::Invalid,
            Resolution::Duplicate,
            Resolution::OutOfScope,
        ] {
            assert_eq!(parse_resolution(resolution_str(r)).ok(), Some(r));
        }
        assert!(matches!(parse_state("Received"), Err(Error::Corrupt(_))));
    }

    #[test]
    fn the_names_are_the_serde_names() {
        // The JSON API and the database agree on every name.
        for state in State::ALL {
            let json = serde_json::to_string(&state).ok();
            assert_eq!(json, Some(format!("\"{}\"", state_str(state))));
        }
        for role in Role::ALL {
            let json = serde_json::to_string(&role).ok();
            assert_eq!(json, Some(format!("\"{}\"", role_str(role))));
        }
    }

    /// Released migrations are never edited, so a renamed state or role would break every
    /// database: the names must stay those the schemas' CHECK constraints list.
    #[test]
    fn the_names_are_those_the_schemas_allow() {
        let names = State::ALL
            .map(state_str)
            .into_iter()
            .chain(Role::ALL.map(role_str))
            .chain(
                [
                    Resolution::Accepted,
                    Resolution::Invalid,
                    Resolution::Duplicate,
                    Resolution::OutOfScope,
                ]
                .map(resolution_str),
            );
        for name in names {
            for schema in [
                include_str!("sqlite/migrations/0001_init.sql"),
                include_str!("postgres/migrations/0001_init.sql"),
            ] {
                assert!(schema.contains(&format!("'{name}'")), "{name}");
            }
        }
    }

    #[test]
    fn lists_round_trip() {
        let scopes = vec![TokenScope::Read, TokenScope::Submit];
        assert_eq!(parse_scopes(&scopes_json(&scopes)).ok(), Some(scopes));
        let ms = vec![Milestone::Acknowledge, Milestone::Disclose];
        assert_eq!(parse_milestones(&milestones_json(&ms)).ok(), Some(ms));
        assert!(parse_milestones("[\"lunch\"]").is_err());
    }

    #[test]
    fn emails_fold_case() {
        assert_eq!(email_key("Alice@Example.ORG"), "alice@example.org");
        assert_eq!(email_key("ÉLODIE@x.fr"), email_key("élodie@X.FR"));
    }

    #[test]
    fn now_survives_a_microsecond_round_trip() {
        let t = now();
        assert_eq!(from_micros(micros(t)).ok(), Some(t));
        assert!(hash32(vec![0; 31], "h").is_err());
    }
}
