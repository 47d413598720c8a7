//! OSV ecosystem names, and the version scheme each one orders its versions by.
//!
//! Traps:
//! - **Suffixes**: `Debian:11`, `Ubuntu:Pro:18.04:LTS`, `Maven:https://maven.google.com` and
//!   `Red Hat:rhel_aus:8.4::appstream` name a release or a repository of the ecosystem before
//!   the first colon; the suffix does not change how versions order.
//! - **Several ecosystems share a scheme** (Ubuntu orders like Debian, Rocky Linux like Red
//!   Hat, Wolfi like Alpine), and some have none ward can apply (`Linux`, `Android`,
//!   `OSS-Fuzz` are matched by git commits or enumerated `versions` only).
//! - **Records name ecosystems ward does not know yet**: they still parse, so a record is
//!   never dropped; their `ECOSYSTEM` ranges are reported as not evaluable.

use std::fmt;
use std::str::FromStr;

use crate::scheme::Scheme;

/// An OSV ecosystem, such as `npm`, `PyPI` or `Debian:12`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ecosystem {
    /// The name before the first colon, as OSV spells it when ward knows it.
    name: Box<str>,
    /// What follows the first colon, if anything.
    suffix: Option<Box<str>>,
    scheme: Option<Scheme>,
    known: bool,
}

/// Every ecosystem the OSV schema defines, with the scheme its versions order by.
const KNOWN: &[(&str, Option<Scheme>)] = &[
    ("AlmaLinux", Some(Scheme::Rpm)),
    ("Alpaquita", Some(Scheme::Alpine)),
    ("Alpine", Some(Scheme::Alpine)),
    ("Android", None),
    ("BellSoft Hardened Containers", Some(Scheme::Alpine)),
    ("Bioconductor", Some(Scheme::Cran)),
    ("Bitnami", Some(Scheme::SemVer)),
    ("Chainguard", Some(Scheme::Alpine)),
    ("CleanStart", None),
    ("ConanCenter", None),
    ("CRAN", Some(Scheme::Cran)),
    ("crates.io", Some(Scheme::Cargo)),
    ("Debian", Some(Scheme::Debian)),
    ("Docker Hardened Images", None),
    ("Echo", None),
    ("FreeBSD", None),
    ("GHC", None),
    ("GitHub Actions", None),
    ("Go", Some(Scheme::Go)),
    ("Hackage", Some(Scheme::Hackage)),
    ("Hex", Some(Scheme::Hex)),
    ("Julia", None),
    ("Kubernetes", None),
    ("Linux", None),
    ("Mageia", Some(Scheme::Rpm)),
    ("Maven", Some(Scheme::Maven)),
    ("MinimOS", Some(Scheme::Alpine)),
    ("npm", Some(Scheme::Npm)),
    ("NuGet", Some(Scheme::NuGet)),
    ("opam", None),
    ("openEuler", Some(Scheme::Rpm)),
    ("openSUSE", Some(Scheme::Rpm)),
    ("OSS-Fuzz", None),
    ("Packagist", Some(Scheme::Packagist)),
    ("Photon OS", Some(Scheme::Rpm)),
    ("Pub", Some(Scheme::Pub)),
    ("PyPI", Some(Scheme::Pep440)),
    ("Red Hat", Some(Scheme::Rpm)),
    ("Rocky Linux", Some(Scheme::Rpm)),
    ("Root", None),
    ("RubyGems", Some(Scheme::RubyGems)),
    ("SUSE", Some(Scheme::Rpm)),
    ("SwiftURL", Some(Scheme::SemVer)),
    ("Ubuntu", Some(Scheme::Debian)),
    ("VSCode", None),
    ("Wolfi", Some(Scheme::Alpine)),
];

/// An ecosystem string that is not an ecosystem at all (empty, or only a suffix).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid ecosystem {0:?}: expected an OSV ecosystem name such as npm, PyPI or Debian:12")]
pub struct InvalidEcosystem(pub String);

impl Ecosystem {
    /// The ecosystem's name without suffix, as OSV spells it (`Debian` for `debian:12`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What follows the first colon (`12` for `Debian:12`).
    pub fn suffix(&self) -> Option<&str> {
        self.suffix.as_deref()
    }

    /// The scheme this ecosystem orders versions by, if ward has one for it.
    pub fn scheme(&self) -> Option<Scheme> {
        self.scheme
    }

    /// Whether the name is one the OSV schema defines.
    pub fn is_known(&self) -> bool {
        self.known
    }

    /// The ecosystem names the OSV schema defines, with ward's scheme for each.
    pub fn known() -> impl Iterator<Item = (&'static str, Option<Scheme>)> {
        KNOWN.iter().copied()
    }
}

impl FromStr for Ecosystem {
    type Err = InvalidEcosystem;

    /// Reads an OSV ecosystem string. Names are matched ignoring case and spelled as OSV
    /// spells them afterwards; unknown names are kept as they are, with no scheme.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, suffix) = match s.split_once(':') {
            Some((name, suffix)) => (name, Some(suffix)),
            None => (s, None),
        };
        let name = name.trim();
        if name.is_empty() || s.len() > 200 {
            return Err(InvalidEcosystem(s.chars().take(200).collect()));
        }
        let known = KNOWN
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name));
        Ok(Ecosystem {
            name: known.map_or(name, |(n, _)| n).into(),
            suffix: suffix.map(Into::into),
            scheme: known.and_then(|(_, scheme)| *scheme),
            known: known.is_some(),
        })
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(suffix) = &self.suffix {
            write!(f, ":{suffix}")?;
        }
        Ok(())
    }
}

impl serde::Serialize for Ecosystem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Ecosystem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eco(s: &str) -> Ecosystem {
        s.parse().expect("valid ecosystem")
    }

    #[test]
    fn suffixes_keep_the_scheme() {
        assert_eq!(eco("Debian:12").scheme(), Some(Scheme::Debian));
        assert_eq!(eco("Ubuntu:Pro:18.04:LTS").suffix(), Some("Pro:18.04:LTS"));
        assert_eq!(
            eco("Maven:https://maven.google.com").scheme(),
            Some(Scheme::Maven)
        );
        assert_eq!(eco("Red Hat:rhel_aus:8.4::appstream").name(), "Red Hat");
    }

    #[test]
    fn names_are_matched_ignoring_case_and_respelled() {
        assert_eq!(eco("pypi").to_string(), "PyPI");
        assert_eq!(eco("CRATES.IO").scheme(), Some(Scheme::Cargo));
    }

    #[test]
    fn unknown_names_are_kept_without_scheme() {
        let e = eco("NewThing:1");
        assert!(!e.is_known());
        assert_eq!(e.scheme(), None);
        assert_eq!(e.to_string(), "NewThing:1");
        assert!("".parse::<Ecosystem>().is_err());
        assert!(":12".parse::<Ecosystem>().is_err());
    }

    #[test]
    fn every_ecosystem_of_the_schema_is_listed() {
        // The OSV schema's enum, as of the schema copy ward is tested against.
        for name in [
            "npm",
            "PyPI",
            "crates.io",
            "Go",
            "Maven",
            "NuGet",
            "RubyGems",
            "Hex",
            "Packagist",
            "Pub",
        ] {
            assert!(eco(name).is_known(), "{name}");
        }
    }
}
