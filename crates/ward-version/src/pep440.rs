//! PEP 440 versions (PyPI) and specifier sets, exactly as `packaging` 26.3 parses, normalizes,
//! orders and matches them, plus the pre-PEP 440 "legacy" versions that OSV still orders.
//!
//! A version is `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`; [`Version`]'s `Display` is
//! `packaging`'s normalized `str(Version(s))`. Specifier sets (`>=1.0, !=1.3.*, <2`) are
//! parsed by [`parse_range`] into intervals, plus the one rule intervals cannot express.
//!
//! Traps:
//! - **Zero padding is equality**: `1.0 == 1.0.0 == 1`; `Eq`, `Ord` and `Hash` compare the
//!   release with trailing zeros removed, while `Display` keeps the written length (`1.0.0`).
//! - **Many spellings, one version**: `alpha`/`beta`/`c`/`pre`/`preview` are `a`/`b`/`rc`,
//!   `rev`/`r` are `post`, `1.0-1` is `1.0.post1`, separators `.`/`-`/`_` are optional, a
//!   missing number is 0 (`1.0a` = `1.0a0`), case is ignored, a leading `v` and surrounding
//!   whitespace (Python's notion of whitespace, including `\x1c`-`\x1f` and U+3000) are
//!   dropped. The parser is a hand-written transcription of `packaging`'s regular
//!   expression, checked against it on generated strings.
//! - **Dev releases sort below everything of their release**: `1.0.dev0 < 1.0a0 < 1.0 <
//!   1.0.post0.dev0 < 1.0.post0`, but `1.0a1.dev1` sits between `1.0a0` and `1.0a1`.
//! - **Local versions** (`1.0+ubuntu.1`) sort after their public version; numeric segments
//!   compare as numbers and above alphanumeric ones, and a longer local wins a tie.
//! - **Numbers of any size**: every number is a [`Number`]; `1!99999999999999999999999.0`
//!   occurs in real data.
//! - **Legacy versions**: PyPI still holds versions such as `0.9-doduo` or
//!   `2013-01-21T20:33:09+0100` that `packaging` 22+ rejects and OSV tools still order the
//!   way `packaging`'s old `LegacyVersion` did: every legacy version sorts before every
//!   PEP 440 version, and legacy versions compare by setuptools' old `parse_version` key.
//!   [`Version::from_str`] accepts them (see [`Version::is_legacy`]) so that such versions
//!   in OSV records still order; [`Version::parse_strict`] rejects them. Only printable
//!   ASCII without whitespace and with at least one letter or digit is accepted as legacy,
//!   so garbage is still reported. Old `LegacyVersion` kept surrounding whitespace in its
//!   key; we trim it, as for PEP 440 versions.
//! - **Specifiers hold rules intervals cannot**: `>1.0` excludes `1.0.post1` and
//!   `1.0+local` though both are above `1.0` (an exclusion, see
//!   [`Exclusion::PostReleasesOf`]); `<=1.0`, `==1.0` and `!=1.0` treat `1.0+local` as
//!   `1.0`; `<1.0` excludes `1.0`'s pre-releases. See [`parse_range`].
//! - **`===` compares strings, not versions**: `===1.0` contains `1.0` (any case) but not
//!   `1.0.0` or ` 1.0`, so [`Version`] keeps the string it was parsed from
//!   ([`Version::as_str`]); `Eq` ignores it.
//! - **Specifiers follow `packaging` 26, not older releases**: `<1.0.post1` contains `1.0a1`
//!   (its bound is `1.0.post1.dev0`), and `>1.0.dev1` starts at `1.0.dev2`. An operand that
//!   `packaging` accepts when building the set but fails on when using it (`~=1.0poſt1`, whose
//!   `ſ` matches `s` case-insensitively) is an error here, up front.
//! - **Legacy versions are never inside an ordered specifier**: `packaging` 26 cannot parse
//!   them, so for it `<1.0` never contains `0.9-doduo`; ranges therefore start at `0.dev0`,
//!   the lowest PEP 440 version, and only the empty specifier set (no constraint) and `===`
//!   contain legacy versions, as in `packaging`.

mod legacy;
mod parse;
mod specifier;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::VersionError;
use crate::number::Number;
use crate::set::RangeVersion;

pub use specifier::{Exclusion, parse_range};

const SYNTAX: &str = "PEP 440";

/// A PyPI version: a PEP 440 version or, for old releases, a legacy one.
///
/// `Eq`, `Ord` and `Hash` follow `packaging`'s comparison key (`1.0 == 1.0.0`, `1.0+A ==
/// 1.0+a`); `Display` is `packaging`'s normalized form.
#[derive(Clone)]
pub struct Version {
    kind: Kind,
    /// The string this version was parsed from, for `===`, which compares strings.
    original: Box<str>,
}

#[derive(Clone, Debug)]
enum Kind {
    Pep440(Parts),
    /// setuptools' old `parse_version` key of a string that is not PEP 440.
    Legacy(Vec<Box<str>>),
}

/// The parsed parts of a PEP 440 version.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Parts {
    epoch: Number,
    release: Vec<Number>,
    pre: Option<(PreKind, Number)>,
    post: Option<Number>,
    dev: Option<Number>,
    local: Option<Vec<LocalSegment>>,
}

/// The phase of a pre-release, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum PreKind {
    Alpha,
    Beta,
    Rc,
}

/// One segment of a local version: strings sort below numbers.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum LocalSegment {
    Text(Box<str>),
    Number(Number),
}

impl Version {
    /// Parses a PEP 440 version, rejecting legacy versions.
    pub fn parse_strict(input: &str) -> Result<Self, VersionError> {
        VersionError::check_len(SYNTAX, input)?;
        let parts = parse::parse(input)?;
        Ok(Self::pep440(parts, input))
    }

    fn pep440(parts: Parts, original: &str) -> Self {
        Self {
            kind: Kind::Pep440(parts),
            original: original.into(),
        }
    }

    fn from_parts(parts: Parts) -> Self {
        let original = Self::pep440(parts.clone(), "").to_string();
        Self::pep440(parts, &original)
    }

    /// Whether this is a legacy (pre-PEP 440) version such as `0.9-doduo`.
    pub fn is_legacy(&self) -> bool {
        matches!(self.kind, Kind::Legacy(_))
    }

    /// Whether this is a pre-release in `packaging`'s sense: it has a pre-release or a dev
    /// segment (`1.0a1`, `1.0.dev0`, `1.0.post1.dev0`). Legacy versions are not.
    pub fn is_prerelease(&self) -> bool {
        self.parts()
            .is_some_and(|p| p.pre.is_some() || p.dev.is_some())
    }

    /// Whether this is a post-release (`1.0.post1`, `1.0-1`).
    pub fn is_postrelease(&self) -> bool {
        self.parts().is_some_and(|p| p.post.is_some())
    }

    /// The epoch (0 when absent); `None` for a legacy version.
    pub fn epoch(&self) -> Option<&Number> {
        self.parts().map(|p| &p.epoch)
    }

    /// The release numbers as written (`1.0.0` has three); empty for a legacy version.
    pub fn release(&self) -> &[Number] {
        self.parts().map_or(&[], |p| &p.release)
    }

    /// Whether the version has a local segment (`+ubuntu.1`).
    pub fn has_local(&self) -> bool {
        self.parts().is_some_and(|p| p.local.is_some())
    }

    /// The string this version was parsed from, as given.
    pub fn as_str(&self) -> &str {
        &self.original
    }

    fn parts(&self) -> Option<&Parts> {
        match &self.kind {
            Kind::Pep440(p) => Some(p),
            Kind::Legacy(_) => None,
        }
    }
}

impl Parts {
    /// The release without trailing zeros: `1.0.0` and `1` compare equal.
    fn trimmed_release(&self) -> &[Number] {
        let end = self
            .release
            .iter()
            .rposition(|n| !n.is_zero())
            .map_or(0, |i| i + 1);
        self.release.get(..end).unwrap_or(&[])
    }

    /// `packaging`'s suffix key: (pre rank, pre number, has post, post number, has no dev,
    /// dev number). A dev release without pre or post ranks below every pre-release.
    fn suffix(
        &self,
    ) -> (
        i8,
        Option<&Number>,
        bool,
        Option<&Number>,
        bool,
        Option<&Number>,
    ) {
        let (rank, number) = match &self.pre {
            Some((kind, n)) => (*kind as i8, Some(n)),
            None if self.post.is_none() && self.dev.is_some() => (-1, None),
            None => (3, None),
        };
        (
            rank,
            number,
            self.post.is_some(),
            self.post.as_ref(),
            self.dev.is_none(),
            self.dev.as_ref(),
        )
    }

    fn cmp_key(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.trimmed_release().cmp(other.trimmed_release()))
            .then_with(|| self.suffix().cmp(&other.suffix()))
            .then_with(|| self.local.cmp(&other.local))
    }

    /// The same version without its local segment.
    fn public(&self) -> Parts {
        Parts {
            local: None,
            ..self.clone()
        }
    }
}

impl FromStr for Version {
    type Err = VersionError;

    /// Parses a PEP 440 version, or failing that a legacy version (see the module's traps).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, s)?;
        match parse::parse(s) {
            Ok(parts) => Ok(Self::pep440(parts, s)),
            Err(err) => match legacy::key(s) {
                Some(key) => Ok(Self {
                    kind: Kind::Legacy(key),
                    original: s.into(),
                }),
                None => Err(err),
            },
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = match &self.kind {
            Kind::Pep440(p) => p,
            Kind::Legacy(_) => return f.write_str(parse::trim(&self.original)),
        };
        if !p.epoch.is_zero() {
            write!(f, "{}!", p.epoch)?;
        }
        for (i, n) in p.release.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{n}")?;
        }
        if let Some((kind, n)) = &p.pre {
            let letter = match kind {
                PreKind::Alpha => "a",
                PreKind::Beta => "b",
                PreKind::Rc => "rc",
            };
            write!(f, "{letter}{n}")?;
        }
        if let Some(n) = &p.post {
            write!(f, ".post{n}")?;
        }
        if let Some(n) = &p.dev {
            write!(f, ".dev{n}")?;
        }
        if let Some(local) = &p.local {
            for (i, segment) in local.iter().enumerate() {
                f.write_str(if i == 0 { "+" } else { "." })?;
                match segment {
                    LocalSegment::Text(s) => f.write_str(s)?,
                    LocalSegment::Number(n) => write!(f, "{n}")?,
                }
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Version({:?})", self.to_string())
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.kind, &other.kind) {
            (Kind::Pep440(a), Kind::Pep440(b)) => a.cmp_key(b),
            // Old `packaging` gave legacy versions the epoch -1: below every PEP 440 version.
            (Kind::Legacy(_), Kind::Pep440(_)) => Ordering::Less,
            (Kind::Pep440(_), Kind::Legacy(_)) => Ordering::Greater,
            (Kind::Legacy(a), Kind::Legacy(b)) => a.cmp(b),
        }
    }
}

crate::eq_from_ord!(Version);

impl Hash for Version {
    /// Hashes what `Ord` compares, so that `1.0` and `1.0.0` hash alike.
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.kind {
            Kind::Legacy(key) => key.hash(state),
            Kind::Pep440(p) => {
                p.epoch.hash(state);
                p.trimmed_release().hash(state);
                p.suffix().hash(state);
                p.local.hash(state);
            }
        }
    }
}

impl RangeVersion for Version {
    type Exclusion = Exclusion;

    fn is_excluded_by(&self, exclusion: &Exclusion) -> bool {
        exclusion.excludes(self)
    }
}
