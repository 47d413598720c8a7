//! Every argument ward accepts, in one place.

use clap::{Args, Parser, Subcommand};

/// ward: the security team's platform for an open-source project or a package ecosystem.
#[derive(Debug, Parser)]
#[command(name = "ward", version, about, long_about = None, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Compare versions and test range membership, in any ecosystem's own rules.
    #[command(subcommand)]
    Version(VersionCommand),
}

const ECOSYSTEMS_HELP: &str = "\
ECOSYSTEM is an OSV ecosystem name (case does not matter): npm, crates.io, PyPI, Go, Maven,
RubyGems, NuGet, Hex, Packagist, Pub, Debian, Ubuntu, Red Hat, Rocky Linux, AlmaLinux, SUSE,
openSUSE, Alpine, Wolfi, Chainguard, CRAN, Bioconductor, Hackage, ... A suffix such as
Debian:12 is accepted and does not change the ordering. SEMVER selects OSV's SEMVER range type
itself: SemVer 2.0.0 precedence, read leniently (optional v, missing minor or patch).";

#[derive(Debug, Subcommand)]
pub(crate) enum VersionCommand {
    /// Print whether A is lower than (<), equal to (=) or greater than (>) B.
    ///
    /// Versions are ordered by the ecosystem's own rules: PEP 440 for PyPI, dpkg's for Debian,
    /// Maven's ComparableVersion, and so on. Equal means equal in that order: 1.0 and 1.0.0
    /// are the same PyPI version, and 1.0.0+build equals 1.0.0 in npm.
    ///
    /// Exit status: 0 with one of <, =, > printed; 2 when the ecosystem is unknown or a
    /// version is invalid.
    #[command(after_long_help = ECOSYSTEMS_HELP)]
    Compare(CompareArgs),
    /// Print yes (exit 0) if VERSION is in RANGE, no (exit 1) if not.
    ///
    /// RANGE is written in the ecosystem's native syntax: an npm range (^1.2.3 || ~2.0),
    /// a Cargo requirement (>=1.2, <1.5), a PEP 440 specifier set (~=2.2, !=2.2.1), a Maven
    /// range ([1.0,2.0),[3.0,)), a RubyGems requirement (~> 1.2, >= 1.2.3), a Composer
    /// constraint (^1.2 || ~2.0@beta), a NuGet range ([1.0,2.0)), an Elixir requirement for
    /// Hex (~> 1.0 and >= 1.0.2), a Pub constraint (^1.2.3); other ecosystems take plain
    /// comparators (>= 1.2-1, << 2.0 || = 3.0).
    ///
    /// Membership is the one a vulnerability matcher needs: the range is a set of intervals
    /// and a version inside an interval is in the range, pre-releases included. So 2.0.0-rc.1
    /// is in npm's ">=1.0.0 <2.0.0" (like semver.satisfies with includePrerelease) and
    /// 2.0rc1 is in PyPI's ">=1.0" (like packaging's contains(v, prereleases=True)), whereas
    /// a package manager choosing what to install would skip them.
    ///
    /// Exit status: 0 and "yes" when in the range, 1 and "no" when not, 2 when the ecosystem
    /// is unknown or the version or range is invalid.
    #[command(after_long_help = ECOSYSTEMS_HELP)]
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// The ecosystem whose ordering to use (see below), or SEMVER.
    #[arg(value_name = "ECOSYSTEM")]
    pub(crate) ecosystem: String,
    /// The first version.
    #[arg(value_name = "A", allow_hyphen_values = true)]
    pub(crate) a: String,
    /// The second version.
    #[arg(value_name = "B", allow_hyphen_values = true)]
    pub(crate) b: String,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The ecosystem whose ordering and range syntax to use (see below), or SEMVER.
    #[arg(value_name = "ECOSYSTEM")]
    pub(crate) ecosystem: String,
    /// The version to test.
    #[arg(value_name = "VERSION", allow_hyphen_values = true)]
    pub(crate) candidate: String,
    /// The range, in the ecosystem's native syntax. Quote it: shells treat < > | ~ * specially.
    #[arg(value_name = "RANGE", allow_hyphen_values = true)]
    pub(crate) range: String,
    /// Also print, on standard error, the intervals the range was read as.
    #[arg(long)]
    pub(crate) explain: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        super::Cli::command().debug_assert();
    }
}
