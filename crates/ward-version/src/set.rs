//! The interval model every range syntax is parsed into.
//!
//! A [`VersionSet`] is a union of disjoint intervals over one scheme's version order (the
//! [`version_ranges::Ranges`] type that pubgrub and uv use), so "is this version in that
//! range?" has one meaning everywhere: npm's `^1.2.3`, Maven's `[1.0,2.0)` and OSV's
//! `introduced`/`fixed` events all become intervals, and a version is in the range when it lies
//! inside one of them. A pre-release inside an interval is in the range: that is the question
//! a vulnerability matcher asks (node-semver's `includePrerelease`, `packaging`'s
//! `prereleases=True`).
//!
//! One syntax needs more than intervals: PEP 440 specifiers exclude, for instance, the
//! post-releases and local versions of `V` from `>V`, and those exclusions interleave with the
//! versions they leave in. A set therefore carries a list of scheme-specific exclusions
//! ([`RangeVersion::Exclusion`]); every other scheme's exclusion type is [`NoExclusion`], which
//! has no values, so for them a set is exactly its intervals.

use std::fmt;

pub use version_ranges::Ranges;

/// A version type that ranges can be built over.
pub trait RangeVersion: Ord + Clone + fmt::Debug + fmt::Display {
    /// A rule that removes versions from a set beyond what intervals can express.
    type Exclusion: Clone + fmt::Debug + fmt::Display + PartialEq + Eq;

    /// Whether `exclusion` removes this version.
    fn is_excluded_by(&self, exclusion: &Self::Exclusion) -> bool;
}

/// The exclusion type of schemes whose ranges are intervals and nothing more. It has no values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoExclusion {}

impl fmt::Display for NoExclusion {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

/// Implements [`RangeVersion`] with [`NoExclusion`] for a scheme whose ranges are intervals
/// and nothing more (every scheme but PEP 440).
macro_rules! intervals_only {
    ($version:ty) => {
        impl $crate::set::RangeVersion for $version {
            type Exclusion = $crate::set::NoExclusion;

            fn is_excluded_by(&self, exclusion: &Self::Exclusion) -> bool {
                match *exclusion {}
            }
        }
    };
}
pub(crate) use intervals_only;

/// A set of versions: a union of intervals, minus the versions its exclusions remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSet<V: RangeVersion> {
    intervals: Ranges<V>,
    exclusions: Vec<V::Exclusion>,
}

impl<V: RangeVersion> VersionSet<V> {
    /// The set of exactly these intervals.
    pub fn new(intervals: Ranges<V>) -> Self {
        Self {
            intervals,
            exclusions: Vec::new(),
        }
    }

    /// The set of these intervals, minus what `exclusions` remove.
    pub fn with_exclusions(intervals: Ranges<V>, exclusions: Vec<V::Exclusion>) -> Self {
        Self {
            intervals,
            exclusions,
        }
    }

    /// Every version.
    pub fn full() -> Self {
        Self::new(Ranges::full())
    }

    /// No version.
    pub fn empty() -> Self {
        Self::new(Ranges::empty())
    }

    /// Whether `version` is in the set.
    pub fn contains(&self, version: &V) -> bool {
        self.intervals.contains(version)
            && !self.exclusions.iter().any(|e| version.is_excluded_by(e))
    }

    /// The intervals of the set, before exclusions.
    pub fn intervals(&self) -> &Ranges<V> {
        &self.intervals
    }

    /// The exclusions; empty when the set is exactly its intervals.
    pub fn exclusions(&self) -> &[V::Exclusion] {
        &self.exclusions
    }

    /// Whether the set is exactly a union of intervals, as OSV events can express it.
    pub fn is_intervals(&self) -> bool {
        self.exclusions.is_empty()
    }

    /// The versions in both sets.
    #[must_use]
    pub fn intersection(&self, other: &Self) -> Self {
        let mut exclusions = self.exclusions.clone();
        for e in &other.exclusions {
            if !exclusions.contains(e) {
                exclusions.push(e.clone());
            }
        }
        Self {
            intervals: self.intervals.intersection(&other.intervals),
            exclusions,
        }
    }

    /// The versions in either set, when that is expressible: `None` when the sets carry
    /// different exclusions, which no syntax that has a union operator produces.
    pub fn union(&self, other: &Self) -> Option<Self> {
        if self.exclusions != other.exclusions {
            return None;
        }
        Some(Self {
            intervals: self.intervals.union(&other.intervals),
            exclusions: self.exclusions.clone(),
        })
    }
}

impl<V: RangeVersion> fmt::Display for VersionSet<V> {
    /// Intervals as comparators, `>=1.2.3, <2.0.0 | >=3.0.0`, then any exclusions.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.intervals)?;
        for e in &self.exclusions {
            write!(f, ", except {e}")?;
        }
        Ok(())
    }
}
