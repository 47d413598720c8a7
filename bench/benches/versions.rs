//! Ordering and range checks per second, per ecosystem, with peer implementations side by
//! side on the same inputs where a Rust peer exists:
//!
//! ```sh
//! cargo bench --manifest-path bench/Cargo.toml
//! ```
//!
//! Each group reports throughput in elements per second: comparisons for `compare`,
//! membership checks for `check`, parsed strings for `parse`. Inputs are realistic
//! published versions and the kinds of ranges advisories use.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ward_version::{Scheme, Version};

struct Case {
    ecosystem: &'static str,
    scheme: Scheme,
    versions: &'static [&'static str],
    range: &'static str,
}

const CASES: &[Case] = &[
    Case {
        ecosystem: "npm",
        scheme: Scheme::Npm,
        versions: &["1.0.0", "1.2.3", "1.2.4-beta.1", "2.0.0-rc.2", "2.0.0", "2.10.1", "3.0.0-alpha.10", "4.17.21", "0.0.1", "10.1.0+build.5"],
        range: ">=1.2.0 <2.0.0 || ^2.10.0 || ~4.17.0",
    },
    Case {
        ecosystem: "crates.io",
        scheme: Scheme::Cargo,
        versions: &["0.1.0", "0.2.15", "1.0.0", "1.0.0-alpha.1", "1.2.3", "1.36.0", "2.0.0-rc.1", "0.12.4", "3.4.5", "1.0.197"],
        range: ">=1.2.0, <1.36.0",
    },
    Case {
        ecosystem: "PyPI",
        scheme: Scheme::Pep440,
        versions: &["1.0", "1.0.post1", "2.0rc1", "2.0.0", "1!0.5", "3.4.5.dev2", "2.31.0", "1.26.18", "0.9b3", "4.0.0+local.7"],
        range: ">=1.0,<2.31.0,!=1.26.*",
    },
    Case {
        ecosystem: "Maven",
        scheme: Scheme::Maven,
        versions: &["1.0", "1.0-SNAPSHOT", "2.17.1", "2.0-beta9", "2.15.0-rc1", "5.3.27.RELEASE", "1.0.0.Final", "3.0-alpha-1", "2.12.7.1", "1.2.17"],
        range: "[2.0-beta9,2.15.0),[2.16.0,2.17.1)",
    },
    Case {
        ecosystem: "RubyGems",
        scheme: Scheme::RubyGems,
        versions: &["1.0", "1.0.a10", "7.0.8", "6.1.7.6", "5.2.0.beta2", "2.7.0", "1.13.10", "0.9.2", "3.0.0.rc1", "4.2.11.1"],
        range: "~> 6.1.7, >= 6.1.7.3",
    },
    Case {
        ecosystem: "NuGet",
        scheme: Scheme::NuGet,
        versions: &["1.0", "13.0.3", "6.0.0-preview.7.21377.19", "4.7.2", "2.0.0.1", "1.0.0-beta", "12.0.1", "5.0.0-rc.2", "3.1.32", "8.0.0"],
        range: "[4.7.2,13.0.1)",
    },
    Case {
        ecosystem: "Packagist",
        scheme: Scheme::Packagist,
        versions: &["1.0.0", "v2.3.4", "5.4.0-beta1", "3.0.0-RC2", "1.0-dev", "6.4.3", "4.4.49", "2.0.0-p1", "10.0.0", "7.1.2"],
        range: ">=4.4.0,<4.4.50 || >=5.0.0,<6.4.4",
    },
    Case {
        ecosystem: "Debian",
        scheme: Scheme::Debian,
        versions: &["1.2.3-1", "1:2.0-1", "1.2.3-1~deb11u1", "2.7.4+reloaded2-13+deb9u1", "0.9.8k-7", "1.1.1n-0+deb11u5", "3.0.11-1~deb12u2", "2:8.2.2434-3+deb11u1", "1.0~rc1-2", "5.10.0-26"],
        range: ">= 1.1.1n-0+deb11u4, << 3.0.11-1~deb12u2",
    },
    Case {
        ecosystem: "Go",
        scheme: Scheme::Go,
        versions: &["v1.2.3", "v0.0.0-20191109021931-daa7c04131f5", "v1.17.7", "v2.0.0+incompatible", "v1.2.4-0.20191109021931-daa7c04131f5", "v0.3.8", "v1.21.0-rc.1", "v1.9.1", "v0.17.0", "v1.0.0"],
        range: ">=v1.2.0, <v1.17.7",
    },
];

fn parsed(case: &Case) -> Vec<Version> {
    case.versions
        .iter()
        .map(|v| case.scheme.parse_version(v).unwrap_or_else(|e| panic!("{}: {e}", case.ecosystem)))
        .collect()
}

fn compare(c: &mut Criterion) {
    let mut group = c.benchmark_group("compare");
    for case in CASES {
        let versions = parsed(case);
        let n = versions.len();
        group.throughput(Throughput::Elements((n * n) as u64));
        group.bench_function(BenchmarkId::new("ward", case.ecosystem), |b| {
            b.iter(|| {
                for a in &versions {
                    for v in &versions {
                        black_box(a.compare(v));
                    }
                }
            })
        });
    }
    // Peers on the same inputs.
    let npm = &CASES[0];
    let peer: Vec<nodejs_semver::Version> = npm.versions.iter().map(|v| v.parse().expect("npm version")).collect();
    group.throughput(Throughput::Elements((peer.len() * peer.len()) as u64));
    group.bench_function(BenchmarkId::new("nodejs-semver", "npm"), |b| {
        b.iter(|| pairs(&peer, |a, v| black_box(a.cmp(v))))
    });
    let cargo: Vec<semver::Version> = CASES[1].versions.iter().map(|v| v.parse().expect("semver")).collect();
    group.bench_function(BenchmarkId::new("semver", "crates.io"), |b| {
        b.iter(|| pairs(&cargo, |a, v| black_box(a.cmp_precedence(v))))
    });
    let pypi: Vec<pep440_rs::Version> = CASES[2].versions.iter().map(|v| v.parse().expect("pep440")).collect();
    group.bench_function(BenchmarkId::new("pep440_rs", "PyPI"), |b| {
        b.iter(|| pairs(&pypi, |a, v| black_box(a.cmp(v))))
    });
    let debian: Vec<debversion::Version> = CASES[7].versions.iter().map(|v| v.parse().expect("debversion")).collect();
    group.bench_function(BenchmarkId::new("debversion", "Debian"), |b| {
        b.iter(|| pairs(&debian, |a, v| black_box(a.cmp(v))))
    });
    group.finish();
}

fn pairs<T, R>(items: &[T], mut f: impl FnMut(&T, &T) -> R) {
    for a in items {
        for v in items {
            f(a, v);
        }
    }
}

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    for case in CASES {
        let versions = parsed(case);
        let range = case.scheme.parse_range(case.range).unwrap_or_else(|e| panic!("{}: {e}", case.ecosystem));
        group.throughput(Throughput::Elements(versions.len() as u64));
        group.bench_function(BenchmarkId::new("ward", case.ecosystem), |b| {
            b.iter(|| {
                for v in &versions {
                    black_box(range.contains(v));
                }
            })
        });
    }
    let npm = &CASES[0];
    let range: nodejs_semver::Range = npm.range.parse().expect("npm range");
    let versions: Vec<nodejs_semver::Version> = npm.versions.iter().map(|v| v.parse().expect("npm version")).collect();
    group.throughput(Throughput::Elements(versions.len() as u64));
    group.bench_function(BenchmarkId::new("nodejs-semver", "npm"), |b| {
        b.iter(|| versions.iter().for_each(|v| _ = black_box(range.satisfies(v))))
    });
    let req: semver::VersionReq = CASES[1].range.parse().expect("semver req");
    let versions: Vec<semver::Version> = CASES[1].versions.iter().map(|v| v.parse().expect("semver")).collect();
    group.bench_function(BenchmarkId::new("semver", "crates.io"), |b| {
        b.iter(|| versions.iter().for_each(|v| _ = black_box(req.matches(v))))
    });
    let spec: pep440_rs::VersionSpecifiers = CASES[2].range.parse().expect("specifiers");
    let versions: Vec<pep440_rs::Version> = CASES[2].versions.iter().map(|v| v.parse().expect("pep440")).collect();
    group.bench_function(BenchmarkId::new("pep440_rs", "PyPI"), |b| {
        b.iter(|| versions.iter().for_each(|v| _ = black_box(spec.contains(v))))
    });
    group.finish();
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for case in CASES {
        group.throughput(Throughput::Elements(case.versions.len() as u64));
        group.bench_function(BenchmarkId::new("ward", case.ecosystem), |b| {
            b.iter(|| case.versions.iter().for_each(|v| _ = black_box(case.scheme.parse_version(v))))
        });
    }
    group.bench_function(BenchmarkId::new("nodejs-semver", "npm"), |b| {
        b.iter(|| CASES[0].versions.iter().for_each(|v| _ = black_box(v.parse::<nodejs_semver::Version>())))
    });
    group.bench_function(BenchmarkId::new("semver", "crates.io"), |b| {
        b.iter(|| CASES[1].versions.iter().for_each(|v| _ = black_box(v.parse::<semver::Version>())))
    });
    group.bench_function(BenchmarkId::new("pep440_rs", "PyPI"), |b| {
        b.iter(|| CASES[2].versions.iter().for_each(|v| _ = black_box(v.parse::<pep440_rs::Version>())))
    });
    group.bench_function(BenchmarkId::new("debversion", "Debian"), |b| {
        b.iter(|| CASES[7].versions.iter().for_each(|v| _ = black_box(v.parse::<debversion::Version>())))
    });
    group.finish();
}

criterion_group!(benches, compare, check, parse);
criterion_main!(benches);
