//! The transition graph is exactly the one `ward_desk::state` documents: every edge listed
//! here is allowed, with the resolutions listed, and nothing else is.

use proptest::prelude::*;
use ward_desk::state::{Resolution, State, check_transition};

use State::*;

const NOT_ACCEPTED: [Resolution; 3] = [
    Resolution::Invalid,
    Resolution::Duplicate,
    Resolution::OutOfScope,
];

/// The documented graph, written out independently of the implementation. `resolution` is
/// the one set (into `triaged`) or the case's (out of it).
fn documented(from: State, to: State, resolution: Option<Resolution>) -> bool {
    match (from, to) {
        (Received, Acknowledged) => true,
        (Received, Triaged) | (Acknowledged, Triaged) => resolution.is_some(),
        (Triaged, Fixing) => resolution == Some(Resolution::Accepted),
        (Triaged, Closed) => resolution.is_some_and(|r| NOT_ACCEPTED.contains(&r)),
        (Fixing, FixReady)
        | (FixReady, DisclosureScheduled)
        | (DisclosureScheduled, Disclosed)
        | (Disclosed, Closed) => true,
        _ => false,
    }
}

fn state() -> impl Strategy<Value = State> {
    prop::sample::select(State::ALL.to_vec())
}

fn resolution() -> impl Strategy<Value = Option<Resolution>> {
    prop::option::of(prop::sample::select(Resolution::ALL.to_vec()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn the_graph_is_the_documented_one(from in state(), to in state(), resolution in resolution()) {
        let allowed = check_transition(from, to, resolution);
        prop_assert_eq!(
            allowed.is_ok(),
            documented(from, to, resolution),
            "{} → {} with {:?}: {:?}", from, to, resolution, allowed
        );
        if let Err(e) = allowed {
            prop_assert_eq!((e.from, e.to), (from, to));
        }
    }

    #[test]
    fn there_is_no_way_back(from in state(), to in state(), resolution in resolution()) {
        if check_transition(from, to, resolution).is_ok() {
            prop_assert!(to > from, "{} → {}", from, to);
        }
    }
}

/// The same, over every case (the space is small enough to walk).
#[test]
fn every_triple_is_as_documented() {
    let resolutions: Vec<Option<Resolution>> = std::iter::once(None)
        .chain(Resolution::ALL.map(Some))
        .collect();
    let mut edges = 0;
    for from in State::ALL {
        for to in State::ALL {
            for &resolution in &resolutions {
                let ok = check_transition(from, to, resolution).is_ok();
                assert_eq!(
                    ok,
                    documented(from, to, resolution),
                    "{from} → {to} {resolution:?}"
                );
                edges += usize::from(ok);
            }
        }
    }
    // 5 plain edges × 5 resolutions + 2 triage entries × 4 + 1 accepted + 3 not accepted.
    assert_eq!(edges, 5 * 5 + 2 * 4 + 1 + 3);
}

/// Every state lies on a path from `received` to `closed`.
#[test]
fn every_state_is_reachable_and_every_case_can_close() {
    // Takes the last successor but goes through `acknowledged`, to visit every state.
    let walk = |resolution: Resolution| {
        let mut path = vec![Received];
        loop {
            let here = *path.last().unwrap();
            let next = here
                .successors(Some(resolution))
                .into_iter()
                .rfind(|&s| s != Triaged || here == Acknowledged);
            match next {
                Some(next) => path.push(next),
                None => return path,
            }
        }
    };
    let accepted = walk(Resolution::Accepted);
    assert_eq!(accepted.first(), Some(&Received));
    assert_eq!(accepted.last(), Some(&Closed));
    for resolution in NOT_ACCEPTED {
        assert_eq!(walk(resolution).last(), Some(&Closed));
    }
    for state in State::ALL {
        let on_a_path = accepted.contains(&state);
        assert!(
            on_a_path,
            "{state} is not on the accepted path {accepted:?}"
        );
    }
}
