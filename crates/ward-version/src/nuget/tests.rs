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
fn missing_parts_are_zero() {
    for s in [
        "1",
        "1.0",
        "1.0.0",
        "1.0.0.0",
        "01.00.000",
        "1.0.0+meta",
        " 1.0 ",
    ] {
        assert_eq!(order(s, "1.0.0.0"), Ordering::Equal, "{s}");
    }
    assert_eq!(order("1.0.0.1-alpha", "1.0.0"), Ordering::Greater);
    assert_eq!(order("1.0.01", "1.0.1.2"), Ordering::Less);
}

#[test]
fn labels() {
    let chain = [
        "1.0.0-0",
        "1.0.0-2",
        "1.0.0-10",
        "1.0.0-Alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-BETA",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.0.1-alpha",
    ];
    for pair in chain.windows(2) {
        assert_eq!(order(pair[0], pair[1]), Ordering::Less, "{pair:?}");
    }
    assert_eq!(order("1.0.0-BETA+a", "1.0.0-beta+b"), Ordering::Equal);
    assert_eq!(order("1.0.0+a", "1.0.0+b"), Ordering::Equal);
}

#[test]
fn rejects() {
    for (s, expected) in [
        ("", "empty"),
        ("v1.0", "no prefix"),
        ("1.2.3.4.5", "more than 4 parts"),
        ("1..2", "part 2"),
        ("1.0-", "release label"),
        ("1.0+", "build metadata"),
        ("1.0-beta+", "build metadata"),
        ("1.0-beta..1", "release label"),
        ("1.0.0-01", "leading zero"),
        ("1.0.0-be_ta", "release label"),
        ("1.a", "part 2"),
        ("-1", "part 1"),
        ("1 .0", "part 1"),
    ] {
        let err = s.parse::<Version>().expect_err(s);
        assert!(err.to_string().contains(expected), "{s}: {err}");
    }
}

fn r(s: &str) -> VersionSet<Version> {
    parse_range(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn ranges() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("1.0", &["1.0", "5.0", "1.0.1-beta"], &["0.9", "1.0.0-rc"]),
        ("[1.0]", &["1.0.0.0"], &["1.0.1", "1.0.0-rc"]),
        ("(1.0,)", &["1.0.0.1", "2"], &["1.0"]),
        ("(,1.0]", &["0.1", "1.0", "1.0.0-rc"], &["1.0.0.1"]),
        ("[1.0,2.0)", &["1.0", "1.9", "2.0.0-beta"], &["2.0", "0.9"]),
        ("(1.0,2.0)", &["1.5"], &["1.0", "2.0"]),
        (" [ 1.0 , 2.0 ] ", &["1.0", "2.0"], &["2.0.0.1"]),
        ("(1.0,1.0)", &[], &["1.0"]),
        ("*", &["0.0.0", "99"], &["0.0.0-alpha"]),
        ("*-*", &["0.0.0-0", "1"], &[]),
        ("1.*", &["1.0.0", "7.0"], &["1.0.0-beta", "0.9"]),
        ("1.0.*", &["1.0.0", "1.1"], &["0.9"]),
        ("1.2.3.*", &["1.2.3"], &["1.2.2"]),
        (
            "1.0.0-beta*",
            &["1.0.0-beta", "1.0.0-beta.1", "1.0.0-rc"],
            &["1.0.0-alpha"],
        ),
        ("1.0.0-*", &["1.0.0-0", "1.0.0-alpha"], &["0.9"]),
        ("1.*-*", &["1.0.0-0"], &["0.9"]),
        ("[1.*,2.0)", &["1.0", "1.9"], &["2.0"]),
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
        ("", "empty"),
        ("(1.0)", "square brackets"),
        ("[1.0)", "square brackets"),
        ("[2.0,1.0]", "above upper bound"),
        ("(1.0,1.0]", "equal bounds"),
        ("(,)", "no bound"),
        ("( , )", "no bound"),
        ("[1.0,2.0", "does not end"),
        ("[1.0,2.0,3.0]", "more than one comma"),
        ("[1.0,2.*)", "floats"),
        ("1.*.*", "floating"),
        ("1*", "floating"),
        ("1.0.0+b*", "build metadata"),
        ("v1.0", "invalid version"),
        ("[1.0],[2.0]", "invalid version"),
    ] {
        let err = parse_range(range).expect_err(range);
        let text = format!("{err} {:?}", err.version);
        assert!(text.contains(expected), "{range}: {text}");
    }
}

/// Versions with NuGet's traps: 1 to 4 parts, zero padding, huge parts, labels in both
/// cases, numeric labels, and metadata.
fn version() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        "[0-9]{1,2}",
        Just("0".to_owned()),
        "0[0-9]",
        "[1-9][0-9]{20,25}"
    ];
    let label = prop_oneof![
        prop::sample::select(vec!["alpha", "Alpha", "BETA", "beta", "rc", "a-b", "x"])
            .prop_map(str::to_owned),
        "[1-9][0-9]{0,2}",
        Just("0".to_owned()),
    ];
    (
        prop::collection::vec(part, 1..=4),
        prop::collection::vec(label, 0..3),
        prop::option::of("[a-zA-Z0-9]{1,3}"),
    )
        .prop_map(|(parts, labels, build)| {
            let mut s = parts.join(".");
            if !labels.is_empty() {
                s.push('-');
                s.push_str(&labels.join("."));
            }
            if let Some(build) = build {
                s.push('+');
                s.push_str(&build);
            }
            s
        })
}

proptest! {
    #[test]
    fn total_order(a in version(), b in version(), c in version()) {
        let (a, b, c) = (v(&a), v(&b), v(&c));
        crate::laws::total_order(&a, &b, &c)?;
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
        prop_assert!(r(&low).contains(&v(&high)));
    }

    #[test]
    fn never_panics(s in "\\PC{0,40}") {
        let _ = s.parse::<Version>();
        let _ = parse_range(&s);
    }
}
