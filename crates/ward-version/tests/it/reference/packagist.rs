//! Packagist against PHP 8.2 (`version_compare`) and Composer's semver library
//! (`Semver::satisfies`), through `tests/oracles/packagist-oracle.php`.
//!
//! OSV's Packagist order is osv.dev's port of `version_compare`, which departs from PHP's C
//! code in a few classes of strings; OSV wins, so the ordering suite generates none of them:
//! - characters other than letters, digits and single `.`/`-`/`_`/`+` separators (PHP turns
//!   any other character, `#` included, into a separator; osv.dev keeps it as a word), and
//!   empty parts (`1..0`, `1.`, `-1`: PHP skips them, osv.dev has an empty word);
//! - a leading `v`/`V` (osv.dev drops it, PHP reads a word `v`);
//! - numbers of 19 digits or more (PHP's `strtol` saturates at `i64::MAX`).
//!
//! Composer compares versions padded to four numbers (`1.0 == 1.0.0.0`), OSV's order does
//! not (`1.0 < 1.0.0`). The membership suite therefore asks about versions whose OSV order
//! agrees with Composer's own comparison: releases written with one to four numbers (with or
//! without `v`), and pre-releases / dev / patch versions written with all four numbers. It
//! leaves out, because there the two orders disagree by design: shorter pre-releases
//! (`1.0-beta2 < 1.0.0-beta1` in OSV, `>` in Composer), the words `patch` and `stable` in a
//! version (Composer rewrites them), build metadata (`+foo` is dropped by
//! Composer, a low word in OSV), date versions, branches (`dev-main` matches only itself in
//! Composer) and numbers above PHP's integers. Constraints are generated in every form.

use std::process::Command;
use std::str::FromStr;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_version::packagist::{self, Version};

use crate::support::{
    assert_agreement, oracle_script, reference_available, run_oracle_lines, runs,
};

const CASES: usize = 12_000;

fn available() -> bool {
    reference_available(
        "php with Composer's semver library",
        runs("php", &["--version"])
            && std::path::Path::new("/usr/share/php/Composer/Semver/autoload.php").is_file(),
        "install Debian's php-cli and php-composer-semver",
    )
}

fn oracle(mode: &str, lines: &[String]) -> Vec<String> {
    let mut input = lines.join("\n");
    input.push('\n');
    run_oracle_lines(
        Command::new("php")
            .arg(oracle_script("packagist-oracle.php"))
            .arg(mode),
        &input,
    )
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// A number: mostly small, sometimes with leading zeros, sometimes large but below `i64::MAX`.
fn number(rng: &mut StdRng) -> String {
    match rng.random_range(0..10) {
        0..=5 => rng.random_range(0..4).to_string(),
        6 => rng.random_range(4..20).to_string(),
        7 => "0".to_owned(),
        8 => "01".to_owned(),
        _ => "123456789012345678".to_owned(),
    }
}

/// Special words, words that start with one (PHP and OSV match by prefix), and unknown words.
const WORDS: [&str; 27] = [
    "dev", "alpha", "a", "beta", "b", "RC", "rc", "pl", "p", "foo", "x", "Rc", "ALPHA", "Beta",
    "snapshot", "final", "c", "m", "Dev", "zeta", "patch", "post", "preview", "betax", "rcfoo",
    "develop", "abc",
];

/// A version in the class where osv.dev and PHP agree.
fn php_version(rng: &mut StdRng) -> String {
    let mut s = number(rng);
    let mut last_is_number = true;
    for _ in 0..rng.random_range(0..6) {
        let word = rng.random_bool(0.35);
        let sep = pick(rng, &[".", ".", ".", "-", "_", "+", ""]);
        // Without a separator, two numbers or two words would merge into one.
        let sep = if sep.is_empty() && word != last_is_number {
            "."
        } else {
            sep
        };
        s.push_str(sep);
        if word {
            s.push_str(pick(rng, &WORDS));
        } else {
            s.push_str(&number(rng));
        }
        last_is_number = !word;
    }
    s
}

fn neighbour(rng: &mut StdRng, base: &str) -> String {
    match rng.random_range(0..5) {
        0 => format!("{base}.0"),
        1 => format!("{base}-{}", pick(rng, &["dev", "beta", "RC1", "p1", "foo"])),
        2 => base.replace('-', "."),
        3 => base.replace(".0", ""),
        _ => php_version(rng),
    }
}

#[test]
fn ordering_matches_php_version_compare() {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0x7061_0001);
    let mut pairs: Vec<(String, String)> = [
        ("1.0.0", "1.0"),
        ("1.0-dev", "1.0a1"),
        ("1.0", "1.0pl1"),
        ("1.0rc1", "1.0RC1"),
        ("1.0-Rc1", "1.0"),
        ("1.25.0beta2.1", "1.25.0-b2.1"),
        ("dev-foo", "1.26.0"),
        ("1.0_foo", "1.0+foo"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    while pairs.len() < CASES {
        let a = php_version(&mut rng);
        let b = if rng.random_bool(0.5) {
            neighbour(&mut rng, &a)
        } else {
            php_version(&mut rng)
        };
        pairs.push((a, b));
    }
    let cases: Vec<String> = pairs.iter().map(|(a, b)| format!("{a} <=> {b}")).collect();
    let lines: Vec<String> = pairs
        .iter()
        .map(|(a, b)| serde_json::json!([a, b]).to_string())
        .collect();
    let ours: Vec<String> = pairs
        .iter()
        .map(
            |(a, b)| match (Version::from_str(a), Version::from_str(b)) {
                (Ok(a), Ok(b)) => (a.cmp(&b) as i8).to_string(),
                _ => "invalid".to_owned(),
            },
        )
        .collect();
    let theirs = oracle("compare", &lines);
    assert_agreement("Packagist ordering", &cases, &ours, &theirs);
}

/// A version as a constraint operand: one to four numbers, any suffix Composer accepts.
fn operand(rng: &mut StdRng) -> String {
    let count = rng.random_range(1..5);
    let mut s = (0..count)
        .map(|_| number_small(rng))
        .collect::<Vec<_>>()
        .join(".");
    if rng.random_bool(0.1) {
        s.insert(0, 'v');
    }
    if rng.random_bool(0.3) {
        s.push_str(pick(
            rng,
            &[
                "-dev",
                "-beta1",
                "-b2",
                "-RC1",
                "-rc2",
                "-alpha",
                "-a1",
                "-p1",
                "-pl2",
                "-patch1",
                "-stable",
                "beta1",
                "-beta1-dev",
                "-RC1.2",
            ],
        ));
    }
    s
}

fn number_small(rng: &mut StdRng) -> String {
    match rng.random_range(0..8) {
        0..=4 => rng.random_range(0..3).to_string(),
        5 => "0".to_owned(),
        6 => "01".to_owned(),
        _ => rng.random_range(3..12).to_string(),
    }
}

/// A candidate version in the class where OSV's order agrees with Composer's.
fn candidate(rng: &mut StdRng, near: &str) -> String {
    let numbers: Vec<String> = if rng.random_bool(0.6) {
        // Close to an operand, so that bounds are hit.
        let mut n: Vec<String> = near
            .trim_start_matches('v')
            .split(|c: char| !c.is_ascii_digit())
            .take_while(|p| !p.is_empty())
            .map(str::to_owned)
            .take(4)
            .collect();
        if n.is_empty() {
            n.push("1".to_owned());
        }
        if rng.random_bool(0.3)
            && let Some(last) = n.last_mut()
        {
            *last = (last.parse::<u64>().unwrap_or(0) + 1).to_string();
        }
        n
    } else {
        (0..rng.random_range(1..5))
            .map(|_| number_small(rng))
            .collect()
    };
    let prefix = if rng.random_bool(0.1) { "v" } else { "" };
    if rng.random_bool(0.4) {
        // A pre-release, dev or patch version: written with four numbers.
        let mut four = numbers;
        four.resize(4, "0".to_owned());
        let suffix = pick(
            rng,
            &[
                "-dev",
                "-beta1",
                "-beta2",
                "-b1",
                "-RC1",
                "-rc2",
                "-alpha",
                "-a1",
                "-p1",
                "-pl2",
                "beta1",
                ".RC1",
                "-beta1-dev",
                "-RC1.2",
                "-alpha1.1",
            ],
        );
        format!("{prefix}{}{suffix}", four.join("."))
    } else {
        let mut release = numbers;
        release.truncate(rng.random_range(1..5).min(release.len()).max(1));
        format!("{prefix}{}", release.join("."))
    }
}

/// A constraint in one of Composer's forms.
fn constraint(rng: &mut StdRng) -> String {
    let a = operand(rng);
    let b = operand(rng);
    let single = |rng: &mut StdRng, v: &str| -> String {
        match rng.random_range(0..13) {
            0 => format!("^{v}"),
            1 => format!("~{v}"),
            2 => format!(">={v}"),
            3 => format!(">{v}"),
            4 => format!("<={v}"),
            5 => format!("<{v}"),
            6 => format!("!={v}"),
            7 => format!("=={v}"),
            8 => v.to_owned(),
            9 => format!(">= {v}"),
            10 => format!(
                "{v}@{}",
                pick(rng, &["dev", "beta", "stable", "RC", "alpha"])
            ),
            11 => format!(">{v}@{}", pick(rng, &["dev", "beta", "stable"])),
            _ => format!("<={v}@{}", pick(rng, &["dev", "beta", "stable"])),
        }
    };
    let numbers = |v: &str| {
        v.trim_start_matches('v')
            .split('-')
            .next()
            .unwrap_or("1")
            .split('.')
            .take(3)
            .collect::<Vec<_>>()
            .join(".")
    };
    match rng.random_range(0..12) {
        0..=3 => single(rng, &a),
        4 => format!("{} {}", single(rng, &a), single(rng, &b)),
        5 => format!("{},{}", single(rng, &a), single(rng, &b)),
        6 => format!("{} || {}", single(rng, &a), single(rng, &b)),
        7 => format!("{} | {}", single(rng, &a), single(rng, &b)),
        8 => format!("{a} - {b}"),
        9 => format!("{}.*", numbers(&a)),
        10 => pick(
            rng,
            &[
                "*",
                "x",
                "v*",
                "*.*",
                "dev-master",
                "~>1.2",
                "^1.2 ||",
                ">=1.0 <foo",
            ],
        )
        .to_owned(),
        _ => format!(">={a}, <{b}"),
    }
}

#[test]
fn membership_matches_composer_satisfies() {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0x7061_0002);
    let mut cases = Vec::new();
    let mut lines = Vec::new();
    let mut ours = Vec::new();
    while cases.len() < CASES {
        let c = constraint(&mut rng);
        let near = c
            .trim_start_matches(|ch: char| !ch.is_ascii_digit())
            .to_owned();
        let v = candidate(&mut rng, &near);
        let answer = match (packagist::parse_range(&c), Version::from_str(&v)) {
            (Err(_), _) => "invalid-constraint".to_owned(),
            (Ok(set), Ok(version)) => set.contains(&version).to_string(),
            (Ok(_), Err(_)) => "invalid-version".to_owned(),
        };
        cases.push(format!("{v:?} in {c:?}"));
        lines.push(serde_json::json!([c, v]).to_string());
        ours.push(answer);
    }
    let theirs = oracle("satisfies", &lines);
    assert_agreement("Composer constraints", &cases, &ours, &theirs);
    let inside = ours.iter().filter(|a| *a == "true").count();
    let invalid = ours.iter().filter(|a| a.starts_with("invalid")).count();
    assert!(
        inside > CASES / 5 && inside < CASES * 4 / 5 && invalid < CASES / 10,
        "{inside} inside and {invalid} invalid of {CASES}: the generator is lopsided"
    );
}
