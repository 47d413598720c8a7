//! Alpine: ward against univers' `AlpineLinuxVersion` (apk-tools is not packaged for Debian
//! 12, so the real `apk version -t` is not available here).
//!
//! univers reads Alpine versions with Gentoo's (pkgcore's) algorithm, which agrees with
//! apk-tools on the apk grammar except for classes this generator leaves out by design:
//! - the suffixes `_cvs`, `_svn`, `_git`, `_hg` (Gentoo has none of them: univers rejects
//!   them), commit hashes `~hash`, letters followed by a number (`1.2p1`) and `.rN`
//!   revisions (univers rejects all of these);
//! - a first component with a leading zero (univers rejects `006`);
//! - later components with a leading zero *and* a trailing zero (`010`): Gentoo strips
//!   trailing zeros before its string comparison (`1.010 == 1.01`), apk-tools does not;
//!   and components made only of zeros beyond `0` (`00`), for the same reason;
//! - upper-case letters, which apk-tools does not allow and ward reads as a tail;
//! - malformed versions (tails), where OSV's test data, not univers, decides.

use std::cmp::Ordering;
use std::process::Command;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_version::alpine::Version;

use crate::support::{assert_agreement, reference_available, reference_dir, run_oracle_lines};

const CASES: usize = 10_000;

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

fn version(rng: &mut StdRng) -> String {
    const LATER: &[&str] = &[
        "0",
        "1",
        "2",
        "9",
        "10",
        "100",
        "01",
        "02",
        "05",
        "012",
        "099",
        "123456789012345678901",
    ];
    const SUFFIX: &[&str] = &["alpha", "beta", "pre", "rc", "p"];
    let mut s = pick(rng, &["0", "1", "2", "10", "20220101"]).to_owned();
    for _ in 0..rng.random_range(0..4) {
        s.push('.');
        s.push_str(pick(rng, LATER));
    }
    if rng.random_bool(0.25) {
        s.push_str(pick(rng, &["a", "b", "k", "z"]));
    }
    for _ in 0..rng.random_range(0..3) {
        s.push('_');
        s.push_str(pick(rng, SUFFIX));
        if rng.random_bool(0.6) {
            s.push_str(pick(rng, &["0", "1", "2", "10", "01"]));
        }
    }
    if rng.random_bool(0.5) {
        s.push_str(pick(rng, &["-r0", "-r1", "-r2", "-r10", "-r01"]));
    }
    s
}

/// `b` close to `a`: the same version with one thing changed at the end.
fn neighbour(rng: &mut StdRng, a: &str) -> String {
    let base = a.split_once("-r").map_or(a, |(v, _)| v);
    let tail = pick(
        rng,
        &[
            "", ".0", ".1", "a", "_rc1", "_p", "_p0", "_alpha", "-r0", "-r1", "_p1-r1", ".01",
        ],
    );
    // A letter may only follow the numbers: do not put one after a suffix.
    if tail == "a" && (base.contains('_') || base.ends_with(|c: char| c.is_ascii_lowercase())) {
        return base.to_owned();
    }
    if tail.starts_with('.') && base.contains(|c: char| c == '_' || c.is_ascii_lowercase()) {
        return base.to_owned();
    }
    format!("{base}{tail}")
}

#[test]
fn ordering_agrees_with_univers() {
    let python = reference_dir().join("python");
    let available = python.join("univers").is_dir();
    if !reference_available("univers (Python)", available, "pip install univers") {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0xa1b);
    let cases: Vec<String> = (0..CASES)
        .map(|i| {
            let a = version(&mut rng);
            let b = if i % 3 == 0 {
                neighbour(&mut rng, &a)
            } else {
                version(&mut rng)
            };
            format!("{a} {b}")
        })
        .collect();
    let input: String = cases.iter().map(|c| format!("{c}\n")).collect();
    let mut oracle = Command::new("python3");
    oracle
        .arg(crate::support::oracle_script("alpine-univers.py"))
        .env("PYTHONPATH", &python);
    let theirs = run_oracle_lines(&mut oracle, &input);
    let ours: Vec<String> = cases
        .iter()
        .map(|c| {
            let (a, b) = c.split_once(' ').unwrap_or_default();
            match (a.parse::<Version>(), b.parse::<Version>()) {
                (Ok(x), Ok(y)) => match x.cmp(&y) {
                    Ordering::Less => "<",
                    Ordering::Equal => "=",
                    Ordering::Greater => ">",
                }
                .to_owned(),
                (Err(e), _) | (_, Err(e)) => format!("rejected: {e}"),
            }
        })
        .collect();
    assert_agreement("Alpine ordering vs univers", &cases, &ours, &theirs);
}
