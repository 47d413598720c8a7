//! `ward version compare` and `ward version check`.

use std::cmp::Ordering;
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context, bail};
use ward_version::{Ecosystem, Scheme};

use crate::cli::{CheckArgs, CompareArgs, VersionCommand};

pub(crate) fn run(command: VersionCommand) -> anyhow::Result<ExitCode> {
    match command {
        VersionCommand::Compare(args) => compare(args),
        VersionCommand::Check(args) => check(args),
    }
}

fn compare(args: CompareArgs) -> anyhow::Result<ExitCode> {
    let scheme = scheme(&args.ecosystem)?;
    let a = scheme.parse_version(&args.a)?;
    let b = scheme.parse_version(&args.b)?;
    let sign = match a
        .compare(&b)
        .context("versions of one scheme always compare")?
    {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    };
    writeln!(io::stdout().lock(), "{sign}")?;
    Ok(ExitCode::SUCCESS)
}

fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let scheme = scheme(&args.ecosystem)?;
    let version = scheme.parse_version(&args.candidate)?;
    let range = scheme.parse_range(&args.range)?;
    if args.explain {
        writeln!(
            io::stderr().lock(),
            "{} {:?} is {range}",
            scheme.range_syntax(),
            args.range
        )?;
    }
    let inside = range
        .contains(&version)
        .context("a range and a version of one scheme always compare")?;
    writeln!(io::stdout().lock(), "{}", if inside { "yes" } else { "no" })?;
    Ok(if inside {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The scheme of an ecosystem named on the command line, or of `SEMVER`.
fn scheme(name: &str) -> anyhow::Result<Scheme> {
    if name.eq_ignore_ascii_case("SEMVER") {
        return Ok(Scheme::SemVer);
    }
    let ecosystem: Ecosystem = name.parse()?;
    if !ecosystem.is_known() {
        let names: Vec<&str> = Ecosystem::known()
            .filter(|(_, s)| s.is_some())
            .map(|(n, _)| n)
            .collect();
        bail!(
            "unknown ecosystem {name:?}; expected an OSV ecosystem name ({}) or SEMVER",
            names.join(", ")
        );
    }
    ecosystem.scheme().with_context(|| {
        format!(
            "ward has no version ordering for the {} ecosystem (its advisories use GIT ranges or version lists)",
            ecosystem.name()
        )
    })
}
