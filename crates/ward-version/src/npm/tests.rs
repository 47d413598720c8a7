//! Unit tests and properties of npm versions and ranges. The differential tests against
//! node-semver are in `tests/it/reference/npm.rs`.

use proptest::prelude::*;

use super::*;

fn v(s: &str) -> Version {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

fn range(s: &str) -> VersionSet<Version> {
    parse_range(s).unwrap_or_else(|e| panic!("{e}"))
}

fn range_err(s: &str) -> RangeError {
    match parse_range(s) {
        Ok(r) => panic!("{s:?} should be invalid, parsed as {r}"),
        Err(e) => e,
    }
}

/// Asserts which of `versions` are in `r`: `+` in, `-` out.
fn check(r: &str, versions: &[&str]) {
    let set = range(r);
    for case in versions {
        let (inside, version) = case.split_at(1);
        assert_eq!(
            set.contains(&v(version)),
            inside == "+",
            "{version} in {r:?} (read as {set})"
        );
    }
}

#[test]
fn versions_as_new_semver_reads_them() {
    assert_eq!(v("v1.2.3").to_string(), "1.2.3");
    assert_eq!(
        v(" \u{3000}1.2.3-rc.1+build.5\u{feff}").to_string(),
        "1.2.3-rc.1"
    );
    assert_eq!(
        v("9007199254740991.0.0").to_string(),
        "9007199254740991.0.0"
    );
    assert_eq!(v("1.2.3+a"), v("1.2.3+b"));
    for bad in [
        "=1.2.3",
        "V1.2.3",
        "vv1.2.3",
        "1.2",
        "1.2.3.4",
        "01.2.3",
        "1.2.3-01",
        "1.2.3-",
        "1.2.3+",
        "1.2.3-a_b",
        "9007199254740992.0.0",
        "\u{85}1.2.3",
        "",
    ] {
        assert!(
            bad.parse::<Version>().is_err(),
            "{bad:?} should be rejected"
        );
    }
    // 256 UTF-16 units of the untrimmed input at most.
    let padded = format!("{}1.2.3", " ".repeat(251));
    assert!(padded.parse::<Version>().is_ok());
    assert!(format!(" {padded}").parse::<Version>().is_err());
}

#[test]
fn version_errors_say_what_was_expected() {
    match "=1.2.3".parse::<Version>() {
        Ok(_) => panic!("=1.2.3 should be rejected"),
        Err(e) => assert!(e.to_string().contains("range operator"), "{e}"),
    }
    match "1.2.3.4".parse::<Version>() {
        Ok(_) => panic!("1.2.3.4 should be rejected"),
        Err(e) => assert!(e.to_string().contains("expected exactly three"), "{e}"),
    }
    match "9007199254740992.0.0".parse::<Version>() {
        Ok(_) => panic!("too large"),
        Err(e) => assert!(e.to_string().contains("MAX_SAFE_INTEGER"), "{e}"),
    }
}

#[test]
fn precedence() {
    let chain = [
        "0.0.0-0",
        "0.0.0-alpha",
        "0.0.0",
        "1.0.0-0",
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-r100",
        "1.0.0-r2",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1-0",
        "9007199254740991.0.0",
    ];
    for pair in chain.windows(2) {
        assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
    }
    // Exact, unlike node-semver's doubles (see the Traps).
    assert!(v("1.0.0-9007199254740992") < v("1.0.0-9007199254740993"));
}

#[test]
fn carets() {
    check(
        "^1.2.3",
        &[
            "-1.2.3-rc.1",
            "+1.2.3",
            "+1.9.9",
            "-2.0.0-rc.1",
            "-2.0.0-0",
            "-2.0.0",
        ],
    );
    check(
        "^0.2.3",
        &["-0.2.2", "+0.2.3", "+0.2.9", "-0.3.0-0", "-0.3.0"],
    );
    check("^0.0.3", &["+0.0.3", "-0.0.4-0", "-0.0.4"]);
    check(
        "^1.2.3-beta.2",
        &[
            "-1.2.3-beta.1",
            "+1.2.3-beta.2",
            "+1.2.3-beta.11",
            "+1.2.4-0",
        ],
    );
    check("^1.x", &["-0.9.9", "+1.0.0-0", "+1.9.0", "-2.0.0-0"]);
    check("^0.x", &["+0.0.0-0", "+0.9.9", "-1.0.0-0"]);
    check("^0.0", &["+0.0.0-0", "+0.0.9", "-0.1.0-0"]);
    check("^ 1.2", &["-1.1.9", "+1.2.0-0", "+1.9.0", "-2.0.0-0"]);
    check("^*.1.2", &["+0.0.0-0", "+99.0.0"]);
}

#[test]
fn tildes() {
    check("~1.2.3", &["-1.2.2", "+1.2.3", "+1.2.9", "-1.3.0-0"]);
    check("~1.2", &["+1.2.0-0", "+1.2.9", "-1.3.0-0"]);
    check("~1", &["+1.0.0-0", "+1.9.9", "-2.0.0-0"]);
    check(
        "~> 1.2.3-rc.1",
        &["-1.2.3-beta", "+1.2.3-rc.1", "+1.2.3", "-1.3.0-0"],
    );
    check("~0.0.1", &["+0.0.1", "+0.0.9", "-0.1.0-0"]);
}

#[test]
fn x_ranges_and_partials() {
    check("1.x", &["-0.9.9", "+1.0.0-0", "+1.9.9", "-2.0.0-0"]);
    check("1.2.*", &["+1.2.0-0", "+1.2.99", "-1.3.0-0"]);
    check("*", &["+0.0.0-0", "+99.0.0"]);
    check("", &["+0.0.0-0", "+99.0.0"]);
    check("x.x.x", &["+0.0.0-0"]);
    check(">1.2", &["-1.2.9", "+1.3.0-0", "+1.3.0"]);
    check(">1", &["-1.9.9", "+2.0.0-0"]);
    check("<=1.2", &["+1.2.9", "-1.3.0-0"]);
    check("<1.2", &["+1.1.9", "-1.2.0-0"]);
    check(">=1.2", &["-1.1.9", "+1.2.0-0"]);
    check("=1.2", &["+1.2.0-0", "-1.3.0-0"]);
    check("==1.2", &["+1.2.5"]);
    check("<*", &["-0.0.0-0", "-1.0.0"]);
    check(">=*", &["+0.0.0-0"]);
    check(">=0.0.0", &["-0.0.0-alpha", "+0.0.0"]);
    check(">=0.0.0-0", &["+0.0.0-0"]);
}

#[test]
fn hyphen_ranges() {
    check(
        "1.2.3 - 2.3.4",
        &["+1.2.3-0", "+1.2.3", "+2.3.4", "-2.3.5-0"],
    );
    check("1.2 - 2.3", &["+1.2.0-0", "+2.3.9", "-2.4.0-0"]);
    check("1 - 2", &["+1.0.0-0", "+2.9.9", "-3.0.0-0"]);
    check(
        "1.2.3-rc.1 - 2.3.4-rc.2",
        &["-1.2.3-rc.0", "+1.2.3-rc.1", "+2.3.4-rc.2", "-2.3.4-rc.3"],
    );
    check("* - 2", &["+0.0.0-0", "-3.0.0-0"]);
    check("1.2.3 - v 2.0.0", &["+2.0.0", "-2.0.1-0"]);
    check("1.x.3 - 2", &["+1.0.0-0"]);
}

#[test]
fn sets_unions_and_operators() {
    check(
        ">=1.2.7 <1.3.0",
        &["-1.2.6", "+1.2.7", "+1.2.99", "+1.3.0-0", "-1.3.0"],
    );
    check(
        "1.2.7 || >=1.2.9 <2.0.0",
        &["+1.2.7", "-1.2.8", "+1.2.9", "-2.0.0"],
    );
    check("> 1.2.3 < 1.2.5", &["-1.2.3", "+1.2.4", "-1.2.5"]);
    check("=1.2.3", &["+1.2.3", "+1.2.3+build", "-1.2.3-0"]);
    check("1.2.3+build", &["+1.2.3"]);
    check("1.2.3 ||", &["+0.0.1"]);
    check("1.2.3-a*", &["+1.2.3-a", "-1.2.3"]);
    check("*1.2.3", &["+1.2.3", "-1.2.4"]);
}

#[test]
fn invalid_ranges_name_the_column() {
    let err = range_err(">=1.2.3 <x.1");
    assert_eq!(err.offset, Some(8), "{err}");
    let err = range_err("^1.2.3 || ~1.2.3.4");
    assert_eq!(err.offset, Some(10), "{err}");
    assert!(err.to_string().contains("at column 11"), "{err}");
    for bad in [
        "=1.2.3 - 2",
        "v 1.2.3 - 2",
        "**",
        "==1.2.3",
        "> = 1",
        "< = 1",
        "^9007199254740991.0.0",
        "1.x.3",
        "~1.2.3*",
        "=<1.2.3",
        ">=",
        "1.2.3 - ",
        "a+b",
        "1.2.3-01",
    ] {
        range_err(bad);
    }
    let err = range_err("^9007199254740991.0.0");
    assert!(err.to_string().contains("9007199254740992"), "{err}");
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0u64..4).prop_map(|n| n.to_string()),
        1 => Just("9007199254740991".to_owned()),
        1 => (0u64..100_000).prop_map(|n| n.to_string()),
    ]
}

fn identifier() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_owned()),
        Just("2".to_owned()),
        Just("11".to_owned()),
        Just("r2".to_owned()),
        Just("r100".to_owned()),
        Just("R2".to_owned()),
        Just("alpha".to_owned()),
        Just("beta".to_owned()),
        Just("-".to_owned()),
        Just("0a".to_owned()),
        Just("18014398509481984".to_owned()),
        "[0-9A-Za-z-]{1,6}".prop_filter("no leading zero", |s| {
            !(s.len() > 1 && s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit()))
        }),
    ]
}

fn version() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just(""), Just("v"), Just(" ")],
        number(),
        number(),
        number(),
        proptest::collection::vec(identifier(), 0..4),
        prop_oneof![Just(""), Just("+build.01")],
    )
        .prop_map(|(prefix, a, b, c, pre, build)| {
            let pre = if pre.is_empty() {
                String::new()
            } else {
                format!("-{}", pre.join("."))
            };
            format!("{prefix}{a}.{b}.{c}{pre}{build}")
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
        let again = v(&parsed.to_string());
        prop_assert_eq!(&again, &parsed);
        prop_assert_eq!(again.to_string(), parsed.to_string());
    }

    #[test]
    fn bounds(a in version(), b in version()) {
        let (lo, hi) = if v(&a) <= v(&b) { (v(&a), v(&b)) } else { (v(&b), v(&a)) };
        let r = range(&format!(">={lo} <={hi}"));
        prop_assert!(r.contains(&lo) && r.contains(&hi));
        let r = range(&format!(">{lo} <{hi}"));
        prop_assert!(!r.contains(&lo) && !r.contains(&hi));
        match parse_range(&format!("{lo} - {hi}")) {
            Ok(r) => prop_assert!(r.contains(&lo) && r.contains(&hi)),
            // `<M.m.(p+1)-0` overflows: node-semver rejects the range too.
            Err(_) => prop_assert_eq!(hi.as_semver().patch.as_u64(), Some(MAX_SAFE_INTEGER)),
        }
    }

    #[test]
    fn never_panics(s in "[ <>=~^*xX|v0-9.+-]{0,30}|\\PC{0,30}") {
        let _ = s.parse::<Version>();
        let _ = parse_range(&s);
    }
}

#[test]
fn error_messages() {
    for (input, expected) in [
        (
            ">=1.2.3 <x.1",
            "invalid npm range \">=1.2.3 <x.1\" at column 9: \"<x.1\": \"x.1\" is not an x-range; X may only replace the components after the ones kept, as in 1.x or 1.2.x",
        ),
        (
            "^9007199254740991",
            "invalid npm range \"^9007199254740991\" at column 1: \"^9007199254740991\" (read as \"<9007199254740992.0.0-0\"): expected a comparator, x-range (1.x), tilde (~1.2), caret (^1.2.3) or hyphen range; major version 9007199254740992 is above 9007199254740991 (Number.MAX_SAFE_INTEGER), the largest node-semver accepts",
        ),
        (
            "1.2.3 || >=",
            "invalid npm range \"1.2.3 || >=\" at column 10: \">=\": expected a version after \">=\", as in \">=1.2.3\"",
        ),
    ] {
        assert_eq!(range_err(input).to_string(), expected);
    }
}
