//! The audit chain: any edit, insertion, deletion or reordering is found, with a key kept in a
//! real key file.

use jiff::Timestamp;
use proptest::prelude::*;
use ward_desk::ReportId;
use ward_desk::audit::{ChainError, Event, NewEvent, verify};
use ward_desk::seal::Secret;

fn chain(key: &Secret, n: usize) -> Vec<Event> {
    let mut events: Vec<Event> = Vec::new();
    for i in 0..n {
        let at = Timestamp::from_nanosecond(1_750_000_000_000_000_000 + i as i128 * 1_001).unwrap();
        let next = Event::chained(
            key,
            events.last(),
            at,
            NewEvent {
                actor: format!("user:{}", i % 3),
                action: ["report.submit", "report.read", "report.transition"][i % 3].to_owned(),
                report: (i % 2 == 0).then_some(ReportId(i as i64)),
                detail: format!(r#"{{"n":{i}}}"#),
            },
        );
        events.push(next);
    }
    events
}

fn key() -> (tempfile::TempDir, Secret) {
    let dir = tempfile::tempdir().unwrap();
    let key = Secret::load_or_create(dir.path(), "audit.key").unwrap();
    (dir, key)
}

/// Changes one field of an event, as someone editing the database would.
fn edit(event: &mut Event, field: usize) {
    match field {
        0 => event.actor.push('x'),
        1 => event.action = "user.login".to_owned(),
        2 => event.report = event.report.map_or(Some(ReportId(0)), |_| None),
        3 => event.detail = "{}".to_owned(),
        4 => {
            event.at = event
                .at
                .checked_add(jiff::SignedDuration::from_nanos(1))
                .unwrap()
        }
        5 => event.hash[0] ^= 1,
        6 => event.prev_hash[31] ^= 1,
        _ => event.seq += 1,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_edit_is_found(n in 1usize..20, at in 0usize..20, field in 0usize..8) {
        let (_dir, key) = key();
        let mut events = chain(&key, n);
        let at = at % n;
        edit(&mut events[at], field);
        prop_assert!(verify(&key, events).is_err());
    }

    #[test]
    fn any_insertion_is_found(n in 1usize..20, at in 0usize..21, from in 0usize..20) {
        let (_dir, key) = key();
        let mut events = chain(&key, n);
        // A copy of an existing event, as the best forgery without the key.
        let copy = events[from % n].clone();
        events.insert(at % (n + 1), copy);
        prop_assert!(verify(&key, events).is_err());
    }

    #[test]
    fn any_deletion_but_the_last_is_found(n in 2usize..20, at in 0usize..19) {
        let (_dir, key) = key();
        let mut events = chain(&key, n);
        let at = at % (n - 1);
        events.remove(at);
        let expected = at as i64 + 1;
        prop_assert_eq!(
            verify(&key, events.clone()),
            Err(if at == 0 {
                ChainError::Gap { expected: 1, found: 2 }
            } else {
                ChainError::Gap { expected, found: expected + 1 }
            })
        );
        // Renumbering to hide the gap breaks the chain instead.
        for e in &mut events[at..] {
            e.seq -= 1;
        }
        prop_assert_eq!(verify(&key, events), Err(ChainError::Broken { seq: expected }));
    }

    #[test]
    fn any_reordering_is_found(n in 2usize..20, a in 0usize..20, b in 0usize..20) {
        let (_dir, key) = key();
        let mut events = chain(&key, n);
        let (a, b) = (a % n, b % n);
        prop_assume!(a != b);
        events.swap(a, b);
        prop_assert!(verify(&key, events).is_err());
    }
}

#[test]
fn an_intact_chain_verifies_under_its_key_only() {
    let (dir, key) = key();
    let events = chain(&key, 50);
    let verified = verify(&key, events.clone()).unwrap();
    assert_eq!(verified.events, 50);
    assert_eq!(verified.head, events[49].hash);
    // The key file gives the same key back.
    let again = Secret::load_or_create(dir.path(), "audit.key").unwrap();
    assert!(verify(&again, events.clone()).is_ok());
    // Someone with the database but another key cannot produce a chain that verifies.
    let other = Secret::random();
    assert_eq!(verify(&other, events), Err(ChainError::Altered { seq: 1 }));
    let forged = chain(&other, 50);
    assert_eq!(verify(&key, forged), Err(ChainError::Altered { seq: 1 }));
}

/// The errors say which event and what happened.
#[test]
fn errors_name_the_event() {
    assert_eq!(
        ChainError::Altered { seq: 4 }.to_string(),
        "event 4 was altered: its hash does not match its contents"
    );
    assert_eq!(
        ChainError::Gap {
            expected: 3,
            found: 6
        }
        .to_string(),
        "events 3 to 5 are missing"
    );
}

/// What the chain cannot see on its own: cutting events off the end (the published head
/// answers that). Documented, so asserted.
#[test]
fn truncation_is_for_the_published_head() {
    let (_dir, key) = key();
    let events = chain(&key, 5);
    let head = verify(&key, events.clone()).unwrap().head;
    let cut = verify(&key, events[..4].to_vec()).unwrap();
    assert_ne!(
        cut.head, head,
        "the head changes, which the published head reveals"
    );
}
