use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use proptest::prelude::*;

use super::*;

fn v(s: &str) -> Version {
    s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn contains(spec: &str, version: &str) -> bool {
    parse_range(spec)
        .unwrap_or_else(|e| panic!("{spec:?}: {e}"))
        .contains(&v(version))
}

fn hash(v: &Version) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

#[test]
fn normalizes_like_packaging() {
    for (input, shown) in [
        ("1.0", "1.0"),
        (" v1.0.0 ", "1.0.0"),
        ("1!2.0", "1!2.0"),
        ("0!2.0", "2.0"),
        ("1.0ALPHA", "1.0a0"),
        ("1.0-beta.2", "1.0b2"),
        ("1.0c1", "1.0rc1"),
        ("1.0_pre_3", "1.0rc3"),
        ("1.0preview", "1.0rc0"),
        ("1.0-1", "1.0.post1"),
        ("1.0rev", "1.0.post0"),
        ("1.0.r7", "1.0.post7"),
        ("1.0-dev", "1.0.dev0"),
        ("1.0a1-post2-dev3", "1.0a1.post2.dev3"),
        ("1.0+Ubuntu-01_X", "1.0+ubuntu.1.x"),
        ("007.010", "7.10"),
        ("1.0a.", "1.0a0"),
        ("\u{1c}1.0\u{3000}", "1.0"),
        (
            "1.99999999999999999999999999",
            "1.99999999999999999999999999",
        ),
    ] {
        assert_eq!(v(input).to_string(), shown, "{input:?}");
        assert!(!v(input).is_legacy());
    }
}

#[test]
fn orders_like_packaging() {
    let chain = [
        "0.dev0",
        "0",
        "1.0.dev0",
        "1.0a0.dev0",
        "1.0a0",
        "1.0a0.post0",
        "1.0a1",
        "1.0b1",
        "1.0rc1",
        "1.0",
        "1.0+abc",
        "1.0+abc.1",
        "1.0+1",
        "1.0+1.a",
        "1.0+2",
        "1.0+10",
        "1.0.post0.dev0",
        "1.0.post0",
        "1.0.post1",
        "1.0.0.1",
        "1.1",
        "18446744073709551616",
        "1!0.dev0",
    ];
    for pair in chain.windows(2) {
        assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
    }
    for (a, b) in [
        ("1.0", "1.0.0.0"),
        ("1.0+A", "1.0+a"),
        ("1.0+01", "1.0+1"),
        ("v1", "1"),
    ] {
        assert_eq!(v(a), v(b));
        assert_eq!(hash(&v(a)), hash(&v(b)));
    }
}

#[test]
fn legacy_versions_sort_first() {
    let doduo = v("0.9-doduo");
    assert!(doduo.is_legacy());
    assert_eq!(doduo.to_string(), "0.9-doduo");
    assert!(doduo < v("0.dev0"));
    assert!(v("0.1-charmander") < doduo);
    assert!(Version::parse_strict("0.9-doduo").is_err());
    for bad in ["", " ", "1.0 beta", "1.0\u{e9}", "..."] {
        let err = bad.parse::<Version>().expect_err("not a version");
        assert!(err.to_string().contains("expected"), "{err}");
    }
}

#[test]
fn errors_say_where_and_what() {
    let err = Version::parse_strict("1.0-x").expect_err("legacy");
    assert_eq!(
        err.reason,
        "found \"-x\"; expected a pre-release (a, b, rc), .postN, .devN, +local or the end (at byte 3 of \"1.0-x\")"
    );
}

#[test]
fn specifier_rules_beyond_intervals() {
    // `>V` excludes V's post-releases and local versions, not what lies above them.
    assert!(!contains(">1.0", "1.0.post1"));
    assert!(!contains(">1.0", "1.0+local"));
    assert!(contains(">1.0", "1.0.0.1"));
    assert!(contains(">1.0.post1", "1.0.post2"));
    assert!(!contains(">1.0.post1", "1.0.post1+x"));
    assert!(contains(">1.0a1", "1.0a2.dev0"));
    assert!(!contains(">1.0a1", "1.0a1.post3"));
    // `<V` excludes V's pre-releases unless V is one.
    assert!(!contains("<1.0", "1.0a1"));
    assert!(contains("<1.0", "0.9"));
    assert!(contains("<1.0rc1", "1.0a1"));
    // `<=`, `==`, `!=` without a local see V+local as V.
    assert!(contains("<=1.0", "1.0+x"));
    assert!(contains("==1.0", "1.0.0+x"));
    assert!(!contains("!=1.0", "1.0+x"));
    assert!(!contains("==1.0+x", "1.0"));
    assert!(contains("==1.0+X", "1.0+x"));
    // Prefixes, compatible release, arbitrary equality.
    assert!(contains("==1.2.*", "1.2.0.dev0"));
    assert!(contains("==1.2.*", "1.2.9+x"));
    assert!(!contains("==1.2.*", "1.3.dev0"));
    assert!(!contains("!=1.2.*", "1.2a1"));
    assert!(contains("~=1.4.5", "1.4.9"));
    assert!(!contains("~=1.4.5", "1.5.dev0"));
    assert!(contains("===Foo", "foo"));
    assert!(!contains("===1.0", "1.0.0"));
    // Legacy versions only in the empty set and `===`.
    assert!(contains("", "0.9-doduo"));
    assert!(contains(" , ", "0.9-doduo"));
    assert!(contains("===0.9-DODUO", "0.9-doduo"));
    assert!(!contains("<1.0", "0.9-doduo"));
    assert!(!contains("!=1.0", "0.9-doduo"));
    assert!(!contains("<0", "0.dev0"));
    assert!(contains(">=1.0, <2.0, !=1.5.*", "1.4.9"));
    assert!(!contains(">=1.0, <2.0, !=1.5.*", "1.5.1"));
}

#[test]
fn invalid_specifiers_have_a_column() {
    for (spec, column) in [
        ("~=1", 3),
        ("<1.0.*", 5),
        (">=1.0+local", 6),
        (">=1.0, =2", 8),
        ("==1.0, >=1.x", 11),
        ("=== a b", 6),
    ] {
        let err = parse_range(spec).expect_err("invalid");
        assert_eq!(err.offset, Some(column - 1), "{spec:?}: {err}");
        assert!(
            err.to_string().contains("expected") || err.to_string().contains("only"),
            "{err}"
        );
    }
}

/// Versions built from the traps: epochs, zero padding, every spelling and separator, case,
/// implicit post-releases, locals, big numbers.
fn arb_version() -> impl Strategy<Value = String> {
    let num = prop_oneof![
        4 => (0u8..4).prop_map(|n| n.to_string()),
        1 => Just("00".to_owned()),
        1 => Just("18446744073709551616".to_owned()),
    ];
    let sep = prop_oneof![Just(""), Just("."), Just("-"), Just("_")];
    let pre = prop_oneof![
        Just("a"),
        Just("b"),
        Just("rc"),
        Just("alpha"),
        Just("BETA"),
        Just("c"),
        Just("pre"),
        Just("preview")
    ];
    (
        prop::option::of(num.clone()),
        prop::collection::vec(num.clone(), 1..4),
        prop::option::of((sep.clone(), pre, sep.clone(), prop::option::of(num.clone()))),
        prop_oneof![
            Just(None),
            num.clone().prop_map(|n| Some(format!("-{n}"))),
            (
                sep.clone(),
                prop_oneof![Just("post"), Just("rev"), Just("r")],
                num.clone()
            )
                .prop_map(|(s, l, n)| Some(format!("{s}{l}{n}"))),
        ],
        prop::option::of((sep.clone(), num.clone())),
        prop::option::of(prop::collection::vec(
            prop_oneof![num, Just("abc".to_owned()), Just("Z".to_owned())],
            1..3,
        )),
        any::<bool>(),
    )
        .prop_map(|(epoch, release, pre, post, dev, local, v)| {
            let mut s = String::new();
            if v {
                s.push('v');
            }
            if let Some(e) = epoch {
                s.push_str(&format!("{e}!"));
            }
            s.push_str(&release.join("."));
            if let Some((s1, l, s2, n)) = pre {
                s.push_str(&format!("{s1}{l}{s2}{}", n.unwrap_or_default()));
            }
            s.push_str(&post.unwrap_or_default());
            if let Some((s1, n)) = dev {
                s.push_str(&format!("{s1}dev{n}"));
            }
            if let Some(local) = local {
                s.push('+');
                s.push_str(&local.join("."));
            }
            s
        })
}

proptest! {
    #[test]
    fn order_is_total(a in arb_version(), b in arb_version(), c in arb_version()) {
        let (a, b, c) = (v(&a), v(&b), v(&c));
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        prop_assert_eq!(a == b, a.cmp(&b) == Ordering::Equal);
        if a == b {
            prop_assert_eq!(hash(&a), hash(&b));
        }
        if a <= b && b <= c {
            prop_assert!(a <= c);
        }
    }

    #[test]
    fn display_round_trips(s in arb_version()) {
        let parsed = v(&s);
        let shown = parsed.to_string();
        let again = v(&shown);
        prop_assert_eq!(&again, &parsed);
        prop_assert_eq!(again.to_string(), shown);
    }

    #[test]
    fn ranges_contain_inclusive_bounds_only(s in arb_version()) {
        let parsed = v(&s);
        let public = Version::from_parts(parsed.parts().map(Parts::public).expect("PEP 440"));
        let shown = public.to_string();
        for (op, inside) in [(">=", true), ("<=", true), ("==", true), (">", false), ("<", false), ("!=", false)] {
            let spec = format!("{op}{shown}");
            prop_assert_eq!(contains(&spec, &s), inside, "{} in {}", s, spec);
        }
    }

    #[test]
    fn never_panics(s in "\\PC{0,40}") {
        let _ = s.parse::<Version>();
        let _ = parse_range(&s);
    }
}
