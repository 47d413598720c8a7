//! PEP 440 against `packaging` 26.3 (`tests/oracles/pep440-*.py`): ordering, normalization
//! and validity of versions, membership and validity of specifier sets.
//!
//! Legacy versions (`0.9-doduo`) are ward's and OSV's, not `packaging` 26's: they appear here
//! only as "not PEP 440" in the validity suites and as candidates in the membership suite,
//! where `packaging` gives the answer ward must give (only the empty set and `===` contain
//! them).

use std::process::Command;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_version::pep440::{Version, parse_range};

use crate::support::{
    assert_agreement, oracle_script, reference_available, reference_dir, run_oracle_lines,
};

fn python_path() -> std::path::PathBuf {
    reference_dir().join("python")
}

fn available() -> bool {
    reference_available(
        "packaging 26.3",
        python_path().join("packaging/version.py").is_file()
            && crate::support::runs("python3", &["--version"]),
        "python3 with packaging under $WARD_REFERENCE_DIR/python",
    )
}

/// Runs `script mode` over the cases, one JSON value per line.
fn oracle(script: &str, mode: &str, cases: &[String]) -> Vec<String> {
    let input: String = cases.iter().map(|c| format!("{c}\n")).collect();
    run_oracle_lines(
        Command::new("python3")
            .arg(oracle_script(script))
            .arg(mode)
            .env("PYTHONPATH", python_path()),
        &input,
    )
}

fn json(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

fn json2(a: &str, b: &str) -> String {
    serde_json::to_string(&[a, b]).expect("strings serialize")
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

fn number(rng: &mut StdRng) -> String {
    match rng.random_range(0..20) {
        0 => "00".to_owned(),
        1 => "010".to_owned(),
        2 => "18446744073709551616".to_owned(),
        3 => "99999999999999999999999999999".to_owned(),
        4..=9 => "0".to_owned(),
        n => (n - 9).to_string(),
    }
}

fn separator(rng: &mut StdRng) -> &'static str {
    pick(rng, &["", "", "", ".", "-", "_"])
}

/// Randomly changes the case of letters.
fn recase(rng: &mut StdRng, s: &str) -> String {
    if rng.random_bool(0.8) {
        return s.to_owned();
    }
    s.chars()
        .map(|c| {
            if rng.random_bool(0.5) {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

/// The pieces of a version, generated from the traps; `render` writes them in one of the
/// many spellings of the same version.
#[derive(Clone, Default)]
struct Shape {
    epoch: Option<String>,
    release: Vec<String>,
    pre: Option<(&'static str, Option<String>)>,
    post: Option<Option<String>>,
    dev: Option<Option<String>>,
    local: Option<Vec<String>>,
}

impl Shape {
    fn random(rng: &mut StdRng) -> Shape {
        let len = rng.random_range(1..=4);
        Shape {
            epoch: rng.random_bool(0.1).then(|| number(rng)),
            release: (0..len).map(|_| number(rng)).collect(),
            pre: rng.random_bool(0.35).then(|| {
                let kind = pick(
                    rng,
                    &["a", "b", "rc", "alpha", "beta", "c", "pre", "preview"],
                );
                (kind, rng.random_bool(0.8).then(|| number(rng)))
            }),
            post: rng
                .random_bool(0.3)
                .then(|| rng.random_bool(0.8).then(|| number(rng))),
            dev: rng
                .random_bool(0.3)
                .then(|| rng.random_bool(0.8).then(|| number(rng))),
            local: rng.random_bool(0.2).then(|| {
                let n = rng.random_range(1..=3);
                (0..n)
                    .map(|_| match rng.random_range(0..4) {
                        0 => pick(rng, &["ubuntu", "abc", "a", "Z9"]).to_owned(),
                        _ => number(rng),
                    })
                    .collect()
            }),
        }
    }

    /// A spelling of this version: random separators, alternative words, case, `v`.
    fn render(&self, rng: &mut StdRng) -> String {
        let mut s = String::new();
        if rng.random_bool(0.1) {
            s.push(if rng.random_bool(0.5) { 'v' } else { 'V' });
        }
        if let Some(e) = &self.epoch {
            s.push_str(&format!("{e}!"));
        }
        s.push_str(&self.release.join("."));
        if let Some((kind, n)) = &self.pre {
            s.push_str(separator(rng));
            s.push_str(&recase(rng, kind));
            if let Some(n) = n {
                s.push_str(separator(rng));
                s.push_str(n);
            }
        }
        if let Some(n) = &self.post {
            match n {
                // `1.0-1`: the implicit post-release, when no pre-release separator could
                // swallow the `-`.
                Some(n) if rng.random_bool(0.3) => s.push_str(&format!("-{n}")),
                _ => {
                    s.push_str(separator(rng));
                    let word = pick(rng, &["post", "post", "rev", "r"]);
                    s.push_str(&recase(rng, word));
                    if let Some(n) = n {
                        s.push_str(separator(rng));
                        s.push_str(n);
                    }
                }
            }
        }
        if let Some(n) = &self.dev {
            s.push_str(separator(rng));
            s.push_str(&recase(rng, "dev"));
            if let Some(n) = n {
                s.push_str(separator(rng));
                s.push_str(n);
            }
        }
        if let Some(local) = &self.local {
            s.push('+');
            for (i, segment) in local.iter().enumerate() {
                if i > 0 {
                    s.push_str(pick(rng, &[".", ".", "-", "_"]));
                }
                s.push_str(&recase(rng, segment));
            }
        }
        s
    }

    /// A version near this one: the same with one part changed, added or removed, so that
    /// comparisons land on the traps (equal by padding, dev vs pre, post vs local...).
    fn neighbour(&self, rng: &mut StdRng) -> Shape {
        let mut n = self.clone();
        match rng.random_range(0..9) {
            0 => n.release.push("0".to_owned()),
            1 => {
                n.pre = if n.pre.is_some() {
                    None
                } else {
                    Some(("rc", Some("1".into())))
                }
            }
            2 => {
                n.post = if n.post.is_some() {
                    None
                } else {
                    Some(Some(number(rng)))
                }
            }
            3 => {
                n.dev = if n.dev.is_some() {
                    None
                } else {
                    Some(Some(number(rng)))
                }
            }
            4 => {
                n.local = if n.local.is_some() {
                    None
                } else {
                    Some(vec![number(rng)])
                }
            }
            5 => {
                n.epoch = if n.epoch.is_some() {
                    None
                } else {
                    Some("0".into())
                }
            }
            6 => {
                if let Some(last) = n.release.last_mut() {
                    *last = number(rng);
                }
            }
            7 => {
                if let Some(local) = &mut n.local {
                    local.push(pick(rng, &["1", "a"]).to_owned());
                }
            }
            _ => {}
        }
        n
    }
}

/// A fresh random version, or one near `previous`.
fn version_pair(rng: &mut StdRng) -> (String, String) {
    let a = Shape::random(rng);
    let b = if rng.random_bool(0.6) {
        a.neighbour(rng)
    } else {
        Shape::random(rng)
    };
    (a.render(rng), b.render(rng))
}

fn whitespace(rng: &mut StdRng) -> &'static str {
    pick(
        rng,
        &[
            "", "", "", "", " ", "\t", "\n", "\u{a0}", "\u{3000}", "\u{1c}", "\u{1f}", "\u{200b}",
            "\u{85}",
        ],
    )
}

/// Whitespace that Python strips (so not U+200B).
fn space(rng: &mut StdRng) -> &'static str {
    pick(
        rng,
        &[
            "", "", "", "", " ", "\t", "\u{a0}", "\u{3000}", "\u{1c}", "\u{85}",
        ],
    )
}

#[test]
fn ordering_agrees_with_packaging() {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(440);
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    while cases.len() < 12_000 {
        let (a, b) = version_pair(&mut rng);
        let (va, vb): (Version, Version) = (
            Version::parse_strict(&a).unwrap_or_else(|e| panic!("generated {a:?}: {e}")),
            Version::parse_strict(&b).unwrap_or_else(|e| panic!("generated {b:?}: {e}")),
        );
        ours.push((va.cmp(&vb) as i8).to_string());
        cases.push(json2(&a, &b));
    }
    let theirs = oracle("pep440-versions.py", "cmp", &cases);
    assert_agreement("PEP 440 ordering", &cases, &ours, &theirs);
}

#[test]
fn normalization_agrees_with_packaging() {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(4401);
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    while cases.len() < 3_000 {
        let v = Shape::random(&mut rng).render(&mut rng);
        let s = format!("{}{v}{}", whitespace(&mut rng), whitespace(&mut rng));
        ours.push(
            Version::parse_strict(&s).map_or_else(|_| "invalid".to_owned(), |v| v.to_string()),
        );
        cases.push(json(&s));
    }
    eprintln!(
        "PEP 440 normalization: {} of {} cases are invalid for ward",
        ours.iter().filter(|a| *a == "invalid").count(),
        ours.len()
    );
    let theirs = oracle("pep440-versions.py", "str", &cases);
    assert_agreement("PEP 440 normalization", &cases, &ours, &theirs);
}

/// A string near a version: one character inserted, removed or replaced by one that
/// matters to the grammar, or a legacy version.
fn mutated(rng: &mut StdRng) -> String {
    const LEGACY: &[&str] = &[
        "0.9-doduo",
        "-class.-jw.util.version.version-pre",
        "2.0.1rc2-git",
        "0.7.1.fix1",
        "2013-01-21T20:33:09+0100",
        "0.7.10p1",
        "trunk",
        "0.3m1",
        "1.3.1-STAGING",
        "4.11-final",
        "a3",
        "1.0beta6.1",
        "0.4.0-p1",
        "",
        " ",
        "...",
        "1..0",
        ".1",
        "1.",
        "1.0+",
        "1.0+a..b",
        "!1",
        "1!",
        "1.0-",
        "1.0.*",
        "1.0post-",
        "1.0.dev-1",
        "1.0+a+b",
        "1.0a1a1",
        "1.0_1",
    ];
    if rng.random_bool(0.1) {
        return pick(rng, LEGACY).to_owned();
    }
    let mut chars: Vec<char> = Shape::random(rng).render(rng).chars().collect();
    let noise = [
        '.', '-', '_', '+', '!', '*', 'a', 'b', 'c', 'r', 'v', 'x', 'z', 'ſ', 'é', '1', '0', ' ',
        '\u{a0}', '\u{1c}', '\u{200b}', 'K',
    ];
    for _ in 0..rng.random_range(0..=2) {
        let at = rng.random_range(0..=chars.len());
        let c = noise[rng.random_range(0..noise.len())];
        match rng.random_range(0..3) {
            0 => chars.insert(at, c),
            1 if at < chars.len() => {
                chars.remove(at);
            }
            _ if at < chars.len() => chars[at] = c,
            _ => chars.push(c),
        }
    }
    chars.into_iter().collect()
}

#[test]
fn validity_agrees_with_packaging() {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(4402);
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    let mut legacy = 0;
    while cases.len() < 10_000 {
        let s = mutated(&mut rng);
        // Legacy versions are accepted by ward but are not PEP 440: "invalid" for packaging.
        let answer = match s.parse::<Version>() {
            Ok(v) if v.is_legacy() => {
                legacy += 1;
                assert!(Version::parse_strict(&s).is_err(), "{s:?}");
                "invalid"
            }
            Ok(_) => "valid",
            Err(_) => "invalid",
        };
        ours.push(answer.to_owned());
        cases.push(json(&s));
    }
    eprintln!("PEP 440 validity: {legacy} cases are legacy versions");
    eprintln!(
        "PEP 440 validity: {} of {} cases are valid for ward",
        ours.iter().filter(|a| *a == "valid").count(),
        ours.len()
    );
    let theirs = oracle("pep440-versions.py", "valid", &cases);
    assert_agreement("PEP 440 validity", &cases, &ours, &theirs);
}

const OPERATORS: &[&str] = &["==", "!=", "<=", ">=", "<", ">", "~=", "==", "!=", "==="];

/// A valid specifier for `op` around `shape`, and the shape with what `op` forbids removed.
fn specifier(rng: &mut StdRng, op: &str, shape: &Shape) -> String {
    let mut s = shape.clone();
    let wildcard = (op == "==" || op == "!=") && rng.random_bool(0.25);
    if op != "==" && op != "!=" || wildcard {
        s.local = None;
    }
    if wildcard {
        s.pre = None;
        s.post = None;
        s.dev = None;
    }
    if op == "~=" && s.release.len() < 2 {
        s.release.push(number(rng));
    }
    let mut text = s.render(rng);
    if wildcard {
        text.push_str(".*");
    }
    format!("{}{op}{}{text}{}", space(rng), space(rng), space(rng))
}

/// A candidate near `shape`: its pre/post/dev/local variants, zero padding, neighbours.
fn candidate(rng: &mut StdRng, shape: &Shape) -> String {
    match rng.random_range(0..20) {
        0 => pick(rng, &["0.9-doduo", "trunk", "0.7.10p1", "0.dev0", "0"]).to_owned(),
        1..=3 => Shape::random(rng).render(rng),
        _ => {
            let mut near = shape.neighbour(rng);
            if rng.random_bool(0.5) {
                near = near.neighbour(rng);
            }
            near.render(rng)
        }
    }
}

#[test]
fn specifier_membership_agrees_with_packaging() {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(4403);
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    let mut exclusions = 0;
    while cases.len() < 15_000 {
        let base = Shape::random(&mut rng);
        let count = rng.random_range(1..=3);
        let specs: Vec<String> = (0..count)
            .map(|i| {
                let op = pick(&mut rng, OPERATORS);
                let around = if i == 0 {
                    base.clone()
                } else {
                    base.neighbour(&mut rng)
                };
                if op == "===" {
                    let text = if rng.random_bool(0.5) {
                        {
                            let text = around.render(&mut rng);
                            recase(&mut rng, &text)
                        }
                    } else {
                        candidate(&mut rng, &around)
                    };
                    return format!("==={text}");
                }
                specifier(&mut rng, op, &around)
            })
            .collect();
        let spec = specs.join(pick(&mut rng, &[",", ", ", " ,", ",,"]));
        let version = candidate(&mut rng, &base);
        let set = parse_range(&spec).unwrap_or_else(|e| panic!("generated {spec:?}: {e}"));
        if !set.is_intervals() {
            exclusions += 1;
        }
        let answer = match version.parse::<Version>() {
            Ok(v) => set.contains(&v),
            Err(e) => panic!("generated candidate {version:?}: {e}"),
        };
        ours.push(answer.to_string());
        cases.push(json2(&spec, &version));
    }
    eprintln!("PEP 440 membership: {exclusions} cases have exclusions");
    eprintln!(
        "PEP 440 membership: {} of {} cases are true for ward",
        ours.iter().filter(|a| *a == "true").count(),
        ours.len()
    );
    let theirs = oracle("pep440-specifiers.py", "contains", &cases);
    assert_agreement("PEP 440 specifier membership", &cases, &ours, &theirs);
}

#[test]
fn specifier_validity_agrees_with_packaging() {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(4404);
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    const FIXED: &[&str] = &[
        "~=1",
        "<1.0.*",
        ">=1.0+local",
        "==1.0a1.*",
        "~=1.0.*",
        "== 1.0",
        "==1.0 .*",
        "=1.0",
        "1.0",
        ">=",
        "===",
        "=== ",
        "===a;b",
        "===a)b",
        "==1.0, ,",
        ",",
        "",
        "~=1.0poſt1",
        "~=1.0prevıew1",
        "==1.0poſt1",
        "<=1.0,>=2.0",
        ">=1.0;",
        "==1.*.*",
        "!=1.0+",
        "====1",
        "<==1",
        "~= 1.0",
        ">v1.0",
        "==V1!2.*",
        "===1.0 extra",
        ">=1.0\u{a0}",
        "\u{1c}>=1.0",
    ];
    while cases.len() < 10_000 {
        let spec = if rng.random_bool(0.05) {
            pick(&mut rng, FIXED).to_owned()
        } else {
            let op = pick(
                &mut rng,
                &[
                    "==", "!=", "<=", ">=", "<", ">", "~=", "===", "=", "", "=<", "<>",
                ],
            );
            let mut s = format!("{op}{}{}", whitespace(&mut rng), mutated(&mut rng));
            if rng.random_bool(0.15) {
                s.push_str(".*");
            }
            if rng.random_bool(0.2) {
                s = format!("{s},{}", {
                    let shape = Shape::random(&mut rng);
                    specifier(&mut rng, ">=", &shape)
                });
            }
            s
        };
        ours.push(
            if parse_range(&spec).is_ok() {
                "valid"
            } else {
                "invalid"
            }
            .to_owned(),
        );
        cases.push(json(&spec));
    }
    eprintln!(
        "PEP 440 specifier validity: {} of {} cases are valid for ward",
        ours.iter().filter(|a| *a == "valid").count(),
        ours.len()
    );
    let theirs = oracle("pep440-specifiers.py", "valid", &cases);
    assert_agreement("PEP 440 specifier validity", &cases, &ours, &theirs);
}
