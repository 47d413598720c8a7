//! NuGet against `univers` (`NugetVersion`, `NugetVersionRange`), which reimplements
//! NuGet's ordering on top of the `semver` package (OSV's own NuGet code, adapted).
//!
//! Where univers departs from NuGet, NuGet wins and the class is left out:
//! - a leading `v` (univers strips it; NuGet rejects it) and whitespace (univers removes
//!   it; NuGet rejects it inside a version) are not generated;
//! - univers has no NuGet range parser of its own: `NugetVersionRange.from_native` is its
//!   Maven range parser with NuGet versions, which reads a bare version as a Maven soft
//!   requirement (NuGet: a lower bound), accepts unions NuGet rejects, and knows no floating
//!   versions. The range suite therefore compares membership on valid bracketed intervals
//!   only (`[a,b]`, `[a,b)`, `(a,b]`, `(a,b)`, `[a,)`, `(,b]`, `[a]`, ...); bare versions,
//!   floats and invalid forms are covered by the unit tests of `src/nuget/tests.rs`. Two
//!   more departures of that parser are left out: specs it rejects because Maven's
//!   ordering (not NuGet's) puts the bounds out of order, and two bounds equal in NuGet's
//!   order but written differently (`[1.0,1+meta]`), which univers turns into the `vers`
//!   constraints `>=1.0.0|<=1.0.0+meta` and then reads as every version; and intervals whose
//!   two bounds univers' Maven port finds equal (`(00-0,00)`, `(5-0.alpha,5)`), which it
//!   collapses to the single version `=0.0.0-0` (the oracle reports them as `collapsed`).
//!
//! Validity is compared too: both sides must accept and reject the same generated strings.

use std::fmt::Write as _;
use std::process::Command;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_version::nuget::{Version, parse_range};

use crate::support::{
    assert_agreement, oracle_script, reference_available, reference_dir, run_oracle_lines, runs,
};

fn available() -> bool {
    reference_available(
        "univers",
        runs("python3", &["--version"])
            && reference_dir().join("python/univers/nuget.py").is_file(),
        "needs python3 and univers under $WARD_REFERENCE_DIR/python",
    )
}

fn oracle(input: &str) -> Vec<String> {
    run_oracle_lines(
        Command::new("python3")
            .env("PYTHONPATH", reference_dir().join("python"))
            .arg(oracle_script("nuget-univers.py")),
        input,
    )
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

const PARTS: &[&str] = &[
    "0",
    "1",
    "2",
    "10",
    "01",
    "007",
    "00",
    "2147483648",
    "999999999999999999999999999991",
];

const LABELS: &[&str] = &[
    "alpha",
    "Alpha",
    "ALPHA",
    "beta",
    "BETA",
    "rc",
    "RC",
    "pre",
    "a-b",
    "x-1",
    "0",
    "1",
    "2",
    "10",
    "11",
    "01",
    "9999999999999",
    "-",
    "a",
    "Z",
];

/// A NuGet version with the scheme's traps: 1 to 4 parts (padded, huge), labels in any
/// case (numeric, hyphenated, leading zeros that make it invalid), build metadata, and a
/// few broken forms.
fn version(rng: &mut StdRng) -> String {
    let parts = rng.random_range(1..=4);
    let mut s = (0..parts)
        .map(|_| pick(rng, PARTS))
        .collect::<Vec<_>>()
        .join(".");
    if rng.random_bool(0.5) {
        s.push('-');
        let labels = (0..rng.random_range(1..=3)).map(|_| pick(rng, LABELS));
        s.push_str(&labels.collect::<Vec<_>>().join("."));
    }
    if rng.random_bool(0.2) {
        s.push('+');
        s.push_str(pick(rng, &["a", "B", "01", "sha.5114f85", "x-y"]));
    }
    if rng.random_bool(0.03) {
        s.push_str(pick(rng, &[".", "-", "+", "..1", ".5", "_x"]));
    }
    s
}

fn neighbour(rng: &mut StdRng, a: &str) -> String {
    match rng.random_range(0..6) {
        0 => a.to_ascii_uppercase(),
        1 => format!("{a}{}", pick(rng, &[".0", "+meta", "-0", ".1"])),
        2 => a.split(['-', '+']).next().unwrap_or(a).to_owned(),
        _ => version(rng),
    }
}

fn order(a: &str, b: &str) -> String {
    let (va, vb) = (a.parse::<Version>(), b.parse::<Version>());
    let valid = |v: &Result<Version, _>| u8::from(v.is_ok());
    let order = match (&va, &vb) {
        (Ok(x), Ok(y)) => (x.cmp(y) as i8).to_string(),
        _ => "-".to_owned(),
    };
    format!("{} {} {order}", valid(&va), valid(&vb))
}

#[test]
fn ordering() {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0x6e75_6765_7401);
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    let mut input = String::new();
    while cases.len() < 12_000 {
        let a = version(&mut rng);
        let b = neighbour(&mut rng, &a);
        writeln!(input, "cmp\t{a}\t{b}").expect("write to string");
        ours.push(order(&a, &b));
        cases.push(format!("{a} vs {b}"));
    }
    let compared = ours.iter().filter(|o| !o.ends_with('-')).count();
    eprintln!("NuGet ordering: {compared} pairs valid on both sides");
    let theirs = oracle(&input);
    assert_agreement("NuGet ordering vs univers", &cases, &ours, &theirs);
}

fn valid_version(rng: &mut StdRng) -> Version {
    loop {
        if let Ok(v) = version(rng).parse() {
            return v;
        }
    }
}

#[test]
fn range_membership() {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0x6e75_6765_7402);
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    let mut input = String::new();
    while cases.len() < 15_000 {
        let (mut lo, mut hi) = (valid_version(&mut rng), valid_version(&mut rng));
        if hi < lo {
            std::mem::swap(&mut lo, &mut hi);
        }
        let open = pick(&mut rng, &["[", "("]);
        let close = pick(&mut rng, &["]", ")"]);
        let spec = match rng.random_range(0..8) {
            0 => format!("[{lo}]"),
            1 => format!("{open},{hi}{close}"),
            2 => format!("{open}{lo},{close}"),
            _ if lo == hi => format!("[{lo}]"),
            _ => format!("{open}{lo},{hi}{close}"),
        };
        let v = match rng.random_range(0..4) {
            0 => lo.clone(),
            1 => hi.clone(),
            _ => valid_version(&mut rng),
        };
        let answer = parse_range(&spec)
            .map(|set| set.contains(&v).to_string())
            .unwrap_or_else(|e| panic!("{spec} is a valid NuGet range: {e}"));
        writeln!(input, "range\t{spec}\t{v}").expect("write to string");
        cases.push(format!("{v} in {spec}"));
        ours.push(answer);
    }
    let theirs = oracle(&input);
    assert_eq!(
        theirs.len(),
        cases.len(),
        "one answer per case from univers"
    );
    // Specs univers' Maven-based parser rejects or collapses are left out (module doc).
    let kept: Vec<usize> = (0..cases.len())
        .filter(|&i| theirs[i] != "invalid" && theirs[i] != "collapsed")
        .collect();
    assert!(kept.len() >= 10_000, "only {} comparable cases", kept.len());
    let pick_all = |v: &[String]| kept.iter().map(|&i| v[i].clone()).collect::<Vec<_>>();
    assert_agreement(
        "NuGet range membership vs univers",
        &pick_all(&cases),
        &pick_all(&ours),
        &pick_all(&theirs),
    );
}
