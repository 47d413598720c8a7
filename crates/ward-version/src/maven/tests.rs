use std::cmp::Ordering;

use proptest::prelude::*;

use super::*;
use crate::set::VersionSet;

fn v(s: &str) -> Version {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn order(a: &str, b: &str) -> Ordering {
    v(a).cmp(&v(b))
}

#[test]
fn trailing_nulls_are_trimmed() {
    for s in [
        "1",
        "1.0",
        "1.0.0",
        "1-0",
        "1.0-0",
        "1.ga",
        "1-final",
        "1.0.0.RELEASE",
        "1.",
    ] {
        assert_eq!(order(s, "1"), Ordering::Equal, "{s}");
        assert_eq!(v(s).canonical(), "1", "{s}");
    }
}

#[test]
fn qualifier_order() {
    let chain = [
        "1-alpha-1",
        "1-beta-1",
        "1-milestone-1",
        "1-rc-1",
        "1-SNAPSHOT",
        "1",
        "1-sp",
        "1-abc",
        "1-xyz",
        "1-1",
        "1.1",
    ];
    for pair in chain.windows(2) {
        assert_eq!(order(pair[0], pair[1]), Ordering::Less, "{pair:?}");
    }
    assert_eq!(order("1-cr-1", "1-rc-1"), Ordering::Equal);
    assert_eq!(order("1-RC1", "1-rc-1"), Ordering::Equal);
}

#[test]
fn shorthands_need_a_digit() {
    assert_eq!(v("1a1").canonical(), "1-alpha-1");
    assert_eq!(v("1-b2").canonical(), "1-beta-2");
    assert_eq!(v("1m3").canonical(), "1-milestone-3");
    // Without a digit, `a` is an unknown qualifier, above the release.
    assert_eq!(order("1-a", "1"), Ordering::Greater);
    assert_eq!(order("1-a", "1-alpha"), Ordering::Greater);
}

#[test]
fn maven_canonical_forms() {
    // Canonical forms printed by Maven 3.8.7's `ComparableVersion` main (the first two as
    // before MNG-7644, which OSV follows).
    for (s, canonical) in [
        ("1.0.0.X1", "1.0.0.x-1"),
        ("1-1", "1-1"),
        ("1.sp", "1.sp"),
        ("001.02", "1.2"),
        ("1-0.1", "1-0.1"),
        ("1-0-1", "1-1"),
        ("1.0-1", "1-1"),
        ("1-.1", "1-0.1"),
        ("1__x", "1-__x"),
    ] {
        assert_eq!(v(s).canonical(), canonical, "{s}");
    }
    assert_eq!(order("1-0-1", "1.0-1"), Ordering::Less);
    // Before MNG-7644, as OSV orders: a qualifier after a dot stays in the dotted list.
    assert_eq!(order("1.0.0.X1", "1.0.0-X2"), Ordering::Greater);
    assert_eq!(order("6.1.12.rc5", "6.1.12rc1"), Ordering::Less);
    assert_eq!(order("1.sp", "1-sp"), Ordering::Less);
}

#[test]
fn big_numbers() {
    assert_eq!(
        order(
            "12345678901234567890.1H.5-beta",
            "123456789012345.1H.5-beta"
        ),
        Ordering::Greater
    );
    assert_eq!(order("0000000000000000000001", "1"), Ordering::Equal);
}

#[test]
fn rejects_what_cannot_be_a_version() {
    for s in ["", "1 0", "1,0", "[1.0]", "1.0)", "ä", "1\t"] {
        let err = s.parse::<Version>().expect_err("invalid");
        assert!(err.reason.contains("expected"), "{s}: {err}");
    }
}

fn r(s: &str) -> VersionSet<Version> {
    parse_range(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn ranges() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("[1.0]", &["1", "1.0.0"], &["1.0.1", "0.9", "1-SNAPSHOT"]),
        (
            "[1.0,2.0)",
            &["1", "1.5", "2.0-SNAPSHOT", "2-rc1"],
            &["2", "0.9", "1-rc1"],
        ),
        ("(,1.0]", &["0.1", "1", "1-SNAPSHOT"], &["1.0.1", "1-sp"]),
        ("[1.5,)", &["1.5", "99"], &["1.4"]),
        ("(1.0,2.0)", &["1.0.1", "1-sp"], &["1", "2"]),
        ("(,1.0],[1.2,)", &["1", "1.2", "3"], &["1.1"]),
        (" ( , 1.0 ] , [ 1.2 , ) ", &["1", "1.2"], &["1.1"]),
        ("[1.0][2.0]", &["1", "2"], &["1.5"]),
        ("[1.0],", &["1"], &["2"]),
        ("[1.0,1.0.0]", &["1"], &["1.0.1"]),
        ("[1.0,1.0]", &["1"], &["1.0.1"]),
        ("[1.5,),[1.0,2.0]", &["1.0", "1.7", "3"], &["0.9"]),
        ("[,1.0]", &["0"], &["2"]),
    ];
    for (range, inside, outside) in cases {
        let set = r(range);
        for s in *inside {
            assert!(set.contains(&v(s)), "{s} should be in {range}");
        }
        for s in *outside {
            assert!(!set.contains(&v(s)), "{s} should not be in {range}");
        }
    }
}

#[test]
fn invalid_ranges() {
    for (range, expected) in [
        (
            "1.0",
            "write [1.0] for exactly 1.0, or [1.0,) for 1.0 and above",
        ),
        ("", "empty"),
        ("(,)", "no bound on either side"),
        ("[,]", "no bound on either side"),
        ("[1.0,", "not closed"),
        ("(1.0)", "square brackets"),
        ("[1.0)", "square brackets"),
        ("[2.0,1.0]", "lower bound 2.0 above its upper bound 1.0"),
        ("(1.0,1.0.0)", "equal bounds"),
        ("[1.0,1)", "equal bounds"),
        ("[1.0,2.0],[1.5,3.0]", "overlaps"),
        ("[1.0,2.0],(,3.0]", "overlaps"),
        ("[1.0] x", "found \"x\""),
        ("[1.0],,[2.0]", "found \",[2.0]\""),
        ("[1.0,2.0,3.0]", "invalid version"),
    ] {
        let err = parse_range(range).expect_err("invalid");
        let text = format!("{err} {:?}", err.version);
        assert!(text.contains(expected), "{range}: {text}");
    }
}

/// Versions from the pieces Maven's traps are made of: qualifiers in any case, both
/// separators, shorthands, zero padding and empty components.
fn version() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{1,3}",
        Just("0".to_owned()),
        Just("00".to_owned()),
        "[0-9]{19,22}",
        prop::sample::select(vec![
            "alpha",
            "a",
            "beta",
            "B",
            "m",
            "milestone",
            "rc",
            "CR",
            "SNAPSHOT",
            "ga",
            "Final",
            "RELEASE",
            "sp",
            "x",
            "foo",
            "",
        ])
        .prop_map(str::to_owned),
    ];
    let sep = prop::sample::select(vec![".", "-", ""]);
    (piece.clone(), prop::collection::vec((sep, piece), 0..5)).prop_map(|(first, rest)| {
        let mut s = first;
        for (sep, piece) in rest {
            s.push_str(sep);
            s.push_str(&piece);
        }
        if s.is_empty() { "0".to_owned() } else { s }
    })
}

proptest! {
    #[test]
    fn total_order(a in version(), b in version(), c in version()) {
        let (a, b, c) = (v(&a), v(&b), v(&c));
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        if a == b {
            // Eq and Hash agree (the canonical form can not show every difference: `0-B` and
            // `B` both print `b` but differ).
            use std::hash::{BuildHasher, RandomState};
            let hasher = RandomState::new();
            prop_assert_eq!(hasher.hash_one(&a), hasher.hash_one(&b));
            prop_assert_eq!(a.canonical(), b.canonical());
        }
        // Maven's ordering is transitive except around these items (see the traps).
        if ![&a, &b, &c].iter().any(|x| !x.orders_transitively()) && a <= b && b <= c {
            prop_assert!(a <= c, "{} <= {} <= {}", a, b, c);
        }
    }

    #[test]
    fn display_round_trips(s in version()) {
        let parsed = v(&s);
        prop_assert_eq!(parsed.to_string(), s);
        prop_assert_eq!(v(&parsed.to_string()), parsed);
    }

    #[test]
    fn range_bounds(a in version(), b in version(), lo in any::<bool>(), hi in any::<bool>()) {
        let (va, vb) = (v(&a), v(&b));
        prop_assume!(va != vb);
        let (low, high) = if va < vb { (a, b) } else { (b, a) };
        let spec = format!("{}{low},{high}{}", if lo { '[' } else { '(' }, if hi { ']' } else { ')' });
        let set = r(&spec);
        prop_assert_eq!(set.contains(&v(&low)), lo, "{}", spec);
        prop_assert_eq!(set.contains(&v(&high)), hi, "{}", spec);
    }

    #[test]
    fn never_panics(s in "\\PC{0,40}") {
        let _ = s.parse::<Version>();
        let _ = parse_range(&s);
    }
}

#[test]
fn maven_order_is_not_transitive_and_ranges_say_so() {
    // Maven's own ordering has this cycle (the 3.8.7 jar agrees): a zero kept in the dotted
    // list compares equal to "nothing" but above a sub-list.
    assert_eq!(order("1.0.0.alpha.X-123", "1"), Ordering::Less);
    assert_eq!(order("1", "1.0-00-sp-2"), Ordering::Less);
    assert_eq!(order("1.0.0.alpha.X-123", "1.0-00-sp-2"), Ordering::Greater);
    // A single restriction is evaluated as Maven evaluates it.
    assert!(r("[1.0.0.alpha.X-123,1]").contains(&v("1")));
    // Several restrictions whose bounds form such a cycle cannot be merged into intervals.
    let err = parse_range("[1.0.0.alpha.X-123 ,  1](1.0.0Ga-FINAL.ga,  1.0-00-sp-2)")
        .expect_err("inconsistent");
    assert!(err.to_string().contains("not transitive"), "{err}");
}
