//! The audit log's hash chain.
//!
//! Every action is an event; each event's hash is an HMAC-SHA-256, under the instance's audit
//! key (a file outside the database), of the previous hash and the event's fields in a fixed
//! encoding. Someone who can edit the database but not read the key cannot edit, insert or
//! delete an event without [`verify`] noticing: an edit changes a hash, an insertion or a
//! deletion breaks the sequence or the chain. (Cutting events off the end is caught once the
//! head is published to the transparency log.)
//!
//! The encoding hashed (version 1) is unambiguous: the tag `ward-audit-v1`, then each field as
//! an 8-byte big-endian length followed by its bytes, in this order: the previous hash (32
//! bytes), `seq` (8 bytes, big-endian two's complement), `at` as Unix nanoseconds (16 bytes,
//! big-endian two's complement), `actor`, `action`, `report` (empty for none, else its id as 8
//! bytes), `detail` (UTF-8). A store must therefore give `at` back to the nanosecond it
//! was given (or truncate it before hashing, to what it keeps).

use hmac::{Hmac, Mac};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::ReportId;
use crate::seal::Secret;

/// The previous hash of the first event.
pub const GENESIS: [u8; 32] = [0; 32];

/// An event to append. `detail` is a short JSON object of ids and names, never report content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    /// Who: `user:<id>`, `followup:<report>`, `anonymous`, `system`.
    pub actor: String,
    /// What: `report.submit`, `report.read`, `report.transition`, `user.login`, ...
    pub action: String,
    /// The case it is about.
    pub report: Option<ReportId>,
    /// Ids and names only (e.g. `{"to":"acknowledged"}`).
    pub detail: String,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// 1, 2, 3, ... without gaps.
    pub seq: i64,
    /// When it was appended.
    pub at: Timestamp,
    /// See [`NewEvent::actor`].
    pub actor: String,
    /// See [`NewEvent::action`].
    pub action: String,
    /// See [`NewEvent::report`].
    pub report: Option<ReportId>,
    /// See [`NewEvent::detail`].
    pub detail: String,
    /// The previous event's hash ([`GENESIS`] for the first).
    pub prev_hash: [u8; 32],
    /// This event's hash: [`chain_hash`] of the above.
    pub hash: [u8; 32],
}

/// The hash of an event following `prev`.
pub fn chain_hash(
    key: &Secret,
    prev: &[u8; 32],
    seq: i64,
    at: Timestamp,
    event: &NewEvent,
) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.expose())
        .expect("HMAC takes a key of any length");
    mac.update(b"ward-audit-v1");
    let report = event.report.map(|r| r.0.to_be_bytes());
    let fields: [&[u8]; 7] = [
        prev,
        &seq.to_be_bytes(),
        &at.as_nanosecond().to_be_bytes(),
        event.actor.as_bytes(),
        event.action.as_bytes(),
        report.as_ref().map_or(&[][..], |r| &r[..]),
        event.detail.as_bytes(),
    ];
    for field in fields {
        mac.update(&(field.len() as u64).to_be_bytes());
        mac.update(field);
    }
    mac.finalize().into_bytes().into()
}

/// Where and how the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// An event's stored hash is not the hash of its fields: it was edited.
    #[error("event {seq} was altered: its hash does not match its contents")]
    Altered {
        /// The event.
        seq: i64,
    },
    /// An event does not point at its predecessor: one was inserted or removed before it.
    #[error("event {seq} does not follow event {}: an event was inserted or removed", .seq - 1)]
    Broken {
        /// The event.
        seq: i64,
    },
    /// The sequence jumps: events were deleted.
    #[error("events {expected} to {} are missing", .found - 1)]
    Gap {
        /// The seq that should come next.
        expected: i64,
        /// The seq found.
        found: i64,
    },
}

/// The result of a successful verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// How many events were checked.
    pub events: u64,
    /// The last hash ([`GENESIS`] when empty).
    pub head: [u8; 32],
}

/// Verifies events given in seq order, starting at seq 1.
pub fn verify<I: IntoIterator<Item = Event>>(
    key: &Secret,
    events: I,
) -> Result<Verified, ChainError> {
    let mut expected = 1;
    let mut prev = GENESIS;
    let mut count = 0;
    for event in events {
        if event.seq > expected {
            return Err(ChainError::Gap {
                expected,
                found: event.seq,
            });
        }
        if event.seq < expected || event.prev_hash != prev {
            return Err(ChainError::Broken { seq: event.seq });
        }
        let hash = chain_hash(
            key,
            &event.prev_hash,
            event.seq,
            event.at,
            &NewEvent {
                actor: event.actor,
                action: event.action,
                report: event.report,
                detail: event.detail,
            },
        );
        if !bool::from(hash.ct_eq(&event.hash)) {
            return Err(ChainError::Altered { seq: event.seq });
        }
        prev = hash;
        expected = expected.saturating_add(1);
        count += 1;
    }
    Ok(Verified {
        events: count,
        head: prev,
    })
}

impl Event {
    /// The event that follows `prev` (`None` for the first), hashed.
    pub fn chained(key: &Secret, prev: Option<&Event>, at: Timestamp, event: NewEvent) -> Event {
        let (seq, prev_hash) = prev.map_or((1, GENESIS), |p| (p.seq.saturating_add(1), p.hash));
        let hash = chain_hash(key, &prev_hash, seq, at, &event);
        Event {
            seq,
            at,
            actor: event.actor,
            action: event.action,
            report: event.report,
            detail: event.detail,
            prev_hash,
            hash,
        }
    }
}

/// A hash as lower-case hex (for `ward audit verify` and the audit page).
pub fn hex(hash: &[u8; 32]) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(actor: &str, report: Option<i64>, detail: &str) -> NewEvent {
        NewEvent {
            actor: actor.to_owned(),
            action: "report.transition".to_owned(),
            report: report.map(ReportId),
            detail: detail.to_owned(),
        }
    }

    fn chain(key: &Secret, n: usize) -> Vec<Event> {
        let mut events: Vec<Event> = Vec::new();
        for i in 0..n {
            let at = Timestamp::from_second(1_700_000_000 + i as i64).unwrap();
            let next = Event::chained(
                key,
                events.last(),
                at,
                event("user:1", Some(i as i64), r#"{"to":"acknowledged"}"#),
            );
            events.push(next);
        }
        events
    }

    #[test]
    fn a_chain_verifies() {
        let key = Secret::random();
        assert_eq!(
            verify(&key, Vec::new()),
            Ok(Verified {
                events: 0,
                head: GENESIS
            })
        );
        let events = chain(&key, 5);
        let verified = verify(&key, events.clone()).unwrap();
        assert_eq!(verified.events, 5);
        assert_eq!(verified.head, events[4].hash);
        assert_eq!(hex(&verified.head).len(), 64);
        // Another key sees an altered first event.
        assert_eq!(
            verify(&Secret::random(), events),
            Err(ChainError::Altered { seq: 1 })
        );
    }

    #[test]
    fn the_encoding_is_unambiguous() {
        let key = Secret::random();
        let at = Timestamp::UNIX_EPOCH;
        let h = |e: &NewEvent| chain_hash(&key, &GENESIS, 1, at, e);
        // Moving bytes from one field to the next changes the hash.
        let a = NewEvent {
            actor: "user:1".into(),
            action: "x".into(),
            report: None,
            detail: String::new(),
        };
        let b = NewEvent {
            actor: "user:".into(),
            action: "1x".into(),
            ..a.clone()
        };
        assert_ne!(h(&a), h(&b));
        // No report and report 0 differ.
        assert_ne!(
            h(&a),
            h(&NewEvent {
                report: Some(ReportId(0)),
                ..a.clone()
            })
        );
        // The time counts to the nanosecond.
        assert_ne!(
            h(&a),
            chain_hash(
                &key,
                &GENESIS,
                1,
                Timestamp::from_nanosecond(1).unwrap(),
                &a
            )
        );
    }

    #[test]
    fn edits_insertions_and_deletions_are_found() {
        let key = Secret::random();
        let events = chain(&key, 5);

        let mut edited = events.clone();
        edited[2].detail = r#"{"to":"closed"}"#.to_owned();
        assert_eq!(verify(&key, edited), Err(ChainError::Altered { seq: 3 }));

        let mut deleted = events.clone();
        deleted.remove(2);
        assert_eq!(
            verify(&key, deleted.clone()),
            Err(ChainError::Gap {
                expected: 3,
                found: 4
            })
        );
        // Renumbering after the deletion breaks the chain instead.
        for e in &mut deleted[2..] {
            e.seq -= 1;
        }
        assert_eq!(verify(&key, deleted), Err(ChainError::Broken { seq: 3 }));

        let mut inserted = events.clone();
        let mut forged = events[1].clone();
        forged.actor = "user:2".to_owned();
        inserted.insert(2, forged);
        assert_eq!(verify(&key, inserted), Err(ChainError::Broken { seq: 2 }));
    }
}
