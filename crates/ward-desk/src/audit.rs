//! The audit log's hash chain.
//!
//! Every action is an event; each event's hash is an HMAC-SHA-256, under the instance's audit
//! key (a file outside the database), of the previous hash and the event's fields in a fixed
//! encoding. Someone who can edit the database but not read the key cannot edit, insert or
//! delete an event without [`verify`] noticing: an edit changes a hash, an insertion or a
//! deletion breaks the sequence or the chain. (Cutting events off the end is caught once the
//! head is published to the transparency log.)

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

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
    let _ = (key, prev, seq, at, event);
    todo!()
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
    let _ = (key, events);
    todo!()
}
