//! Hex versions and requirements against Elixir's own `Version` module
//! (`tests/oracles/hex-version.exs`): ordering (`Version.compare/2`), validity
//! (`Version.parse/1`, `Version.parse_requirement/1`) and membership
//! (`Version.match?/3` with `allow_pre: true`).

use std::process::Command;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_version::hex::{Version, parse_range};

use crate::support::{
    assert_agreement, oracle_script, reference_available, run_oracle_lines, runs,
};

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

fn elixir() -> bool {
    reference_available(
        "Elixir",
        runs("elixir", &["--version"]),
        "needs the Debian package elixir",
    )
}

fn run_elixir(input: &str) -> Vec<String> {
    run_oracle_lines(
        Command::new("elixir").arg(oracle_script("hex-version.exs")),
        input,
    )
}

fn version_string(rng: &mut StdRng, valid_bias: bool) -> String {
    let n = |rng: &mut StdRng| {
        if rng.random_bool(if valid_bias { 0.85 } else { 0.7 }) {
            pick(rng, &["0", "1", "2", "3", "10"]).to_owned()
        } else {
            pick(
                rng,
                &[
                    "01",
                    "00",
                    "18446744073709551616",
                    "99999999999999999999999999",
                    "x",
                ],
            )
            .to_owned()
        }
    };
    let mut s = match rng.random_range(0..20) {
        0 if !valid_bias => n(rng),
        1 if !valid_bias => format!("{}.{}", n(rng), n(rng)),
        2 if !valid_bias => format!("{}.{}.{}.{}", n(rng), n(rng), n(rng), n(rng)),
        _ => format!("{}.{}.{}", n(rng), n(rng), n(rng)),
    };
    if rng.random_bool(0.4) {
        let pre: &[&str] = if valid_bias {
            &[
                "alpha", "beta", "rc.1", "0", "1", "11", "alpha.1", "beta.11", "a-b", "-", "RC",
            ]
        } else {
            &["alpha", "0", "01", "", "a..b", "rc.1", "ä"]
        };
        s = format!("{s}-{}", pick(rng, pre));
    }
    if rng.random_bool(0.15) {
        s = format!("{s}+{}", pick(rng, &["build", "001", "a.b", "", "x+y"]));
    }
    if !valid_bias && rng.random_bool(0.1) {
        s = pick(rng, &[" ", "v"]).to_owned() + &s;
    }
    s
}

#[test]
fn ordering_agrees_with_elixir() {
    if !elixir() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0x4E8_0001);
    let mut pool = Vec::new();
    while pool.len() < 400 {
        let s = version_string(&mut rng, true);
        if s.parse::<Version>().is_ok() {
            pool.push(s);
        }
    }
    let pairs: Vec<(&String, &String)> = (0..10_000)
        .map(|_| {
            (
                &pool[rng.random_range(0..400)],
                &pool[rng.random_range(0..400)],
            )
        })
        .collect();
    let cases: Vec<String> = pairs.iter().map(|(a, b)| format!("{a} vs {b}")).collect();
    let ours: Vec<String> = pairs
        .iter()
        .map(|(a, b)| {
            let (a, b): (Version, Version) = (a.parse().expect("valid"), b.parse().expect("valid"));
            match a.cmp(&b) {
                std::cmp::Ordering::Less => "lt",
                std::cmp::Ordering::Equal => "eq",
                std::cmp::Ordering::Greater => "gt",
            }
            .to_owned()
        })
        .collect();
    let input: String = pairs
        .iter()
        .map(|(a, b)| format!("compare\t{a}\t{b}\n"))
        .collect();
    assert_agreement("hex ordering", &cases, &ours, &run_elixir(&input));
}

fn operand(rng: &mut StdRng, pessimistic: bool) -> String {
    let n = |rng: &mut StdRng| pick(rng, &["0", "1", "2", "3"]);
    let mut s = if pessimistic && rng.random_bool(0.4) {
        format!("{}.{}", n(rng), n(rng))
    } else {
        format!("{}.{}.{}", n(rng), n(rng), n(rng))
    };
    if rng.random_bool(0.25) {
        s = format!(
            "{s}-{}",
            pick(rng, &["alpha", "beta", "rc.1", "0", "alpha.1"])
        );
    }
    if rng.random_bool(0.03) {
        s.push_str("+build");
    }
    s
}

fn requirement_string(rng: &mut StdRng, valid_bias: bool) -> String {
    // `!=` is rare: Elixir prints a deprecation warning for each use.
    const OPS: &[&str] = &[
        "", "== ", "> ", ">= ", "< ", "<= ", "~> ", "~>", ">=", "~> ", "<",
    ];
    let count = rng.random_range(1..4);
    let mut s = String::new();
    for i in 0..count {
        if i > 0 {
            s.push_str(pick(rng, &[" and ", " or ", " and ", "  or  "]));
        }
        let op = if rng.random_bool(0.01) {
            "!= "
        } else {
            pick(rng, OPS)
        };
        s.push_str(op);
        s.push_str(&operand(rng, op.starts_with("~>")));
    }
    if !valid_bias {
        match rng.random_range(0..16) {
            0 => s.push_str(" and"),
            1 => s = format!("or {s}"),
            2 => s = s.replace(" and ", "and"),
            3 => s = s.replace(" ", ""),
            4 => s = format!("> {s}"),
            5 => s = s.replacen(".", ".0.", 1),
            6 => s = s.replace("~> ", "~> 1"),
            7 => s = format!("= {s}"),
            8 => s = String::new(),
            9 => s = s.replace(" and ", " "),
            10 => s = s.replace(".", ""),
            _ => {}
        }
    }
    s
}

#[test]
fn validity_agrees_with_elixir() {
    if !elixir() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0x4E8_0002);
    let versions: Vec<String> = (0..2_000)
        .map(|_| version_string(&mut rng, false))
        .collect();
    let reqs: Vec<String> = (0..2_000)
        .map(|_| requirement_string(&mut rng, false))
        .collect();
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    let mut input = String::new();
    for s in &versions {
        cases.push(format!("version {s:?}"));
        ours.push(
            if s.parse::<Version>().is_ok() {
                "valid"
            } else {
                "invalid"
            }
            .to_owned(),
        );
        input.push_str(&format!("version\t{s}\n"));
    }
    for s in &reqs {
        cases.push(format!("requirement {s:?}"));
        ours.push(
            if parse_range(s).is_ok() {
                "valid"
            } else {
                "invalid"
            }
            .to_owned(),
        );
        input.push_str(&format!("requirement\t{s}\n"));
    }
    let valid = ours.iter().filter(|a| *a == "valid").count();
    assert!(
        valid > 1_000 && valid < 3_000,
        "a useful mix of valid ({valid}) and invalid"
    );
    assert_agreement("hex validity", &cases, &ours, &run_elixir(&input));
}

#[test]
fn membership_agrees_with_elixir_allow_pre() {
    if !elixir() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0x4E8_0003);
    let mut all = Vec::new();
    while all.len() < 10_000 {
        let req = requirement_string(&mut rng, true);
        let n = |rng: &mut StdRng| pick(rng, &["0", "1", "2", "3", "4"]);
        let mut v = format!("{}.{}.{}", n(&mut rng), n(&mut rng), n(&mut rng));
        if rng.random_bool(0.4) {
            v = format!(
                "{v}-{}",
                pick(&mut rng, &["0", "alpha", "alpha.1", "beta", "rc.1", "zzz"])
            );
        }
        all.push((req, v));
    }
    let cases: Vec<String> = all.iter().map(|(r, v)| format!("{v} in {r:?}")).collect();
    let ours: Vec<String> = all
        .iter()
        .map(|(r, v)| match parse_range(r) {
            Ok(set) => set.contains(&v.parse().expect("valid")).to_string(),
            Err(_) => "invalid".to_owned(),
        })
        .collect();
    let inside = ours.iter().filter(|a| *a == "true").count();
    assert!(
        inside > 2_000 && inside < 8_000,
        "a useful mix: {inside} inside"
    );
    let input: String = all
        .iter()
        .map(|(r, v)| format!("match\t{v}\t{r}\n"))
        .collect();
    assert_agreement("hex membership", &cases, &ours, &run_elixir(&input));
}
