//! Maven version ranges, as `VersionRange.createFromVersionSpec` (Maven 3.8.7) reads them.
//!
//! A range is one or more restrictions, `[1.0]`, `[1.0,2.0)`, `(,1.0]`, `[1.5,)`, separated
//! by optional commas: `(,1.0],[1.2,)`. A version is in the range when it is in any
//! restriction.
//!
//! Traps:
//! - **A bare version is not a range.** Maven reads `1.0` as a *soft requirement*: "1.0 if
//!   nothing else asks for another version", which every version satisfies. Reading it as
//!   "affected: 1.0" would be a false negative for every other version, and as "everything"
//!   a false alarm; ward rejects it and says to write `[1.0]` or `[1.0,)`.
//! - **Maven checks restrictions against the previous one only**: a restriction that starts
//!   below the previous one's upper bound is an error (`[1.0,2.0],[1.5,3.0]`), but after a
//!   restriction unbounded above the check is skipped (`[1.5,),[1.0,2.0]` is accepted). ward
//!   accepts and rejects exactly what Maven does, and answers membership as Maven's
//!   `containsVersion` does: the union.
//! - **Equal bounds**: `[1.0,1.0.0]` is the single version 1.0; `(1.0,1.0)` and
//!   `[1.0,1.0)`, which no version satisfies, are errors (Maven: "Range defies version
//!   ordering").
//! - **No bound at all**: Maven 3.8.7 accepts `(,)` and `[,]` as "every version". In an
//!   advisory that is a mistake far more often than a statement, so ward rejects a
//!   restriction with neither bound (the one place it is stricter than Maven; the
//!   differential test leaves that class out).
//! - **The first closing bracket of either kind ends a restriction**: `[1.0,2.0)` is
//!   half-open, and `[1.0,2.0` is an error (Maven: "Unbounded range").
//! - **Maven's ordering is not transitive everywhere** (`1-alpha < 1 < 1.foo < 1-alpha`).
//!   One restriction is evaluated exactly as Maven does. Several restrictions are merged into
//!   intervals, which needs their bounds ordered consistently: bounds that form a cycle are
//!   an error that says so (at most 32 restrictions, for the cubic check); and a version
//!   that forms a cycle with the bounds of a merged range can get a different answer than
//!   Maven's restriction-by-restriction check.
//! - **Whitespace**: Maven trims around bounds and between restrictions; ward also trims the
//!   whole input, where Maven would read ` [1.0]` as a soft requirement on the version
//!   ` [1.0]`.

use std::cmp::Ordering;

use version_ranges::Ranges;

use super::{SYNTAX as VERSION_SYNTAX, Version};
use crate::error::RangeError;
use crate::set::VersionSet;

const SYNTAX: &str = "Maven range";

/// Parses a Maven version range (`[1.0,2.0)`, `(,1.0],[1.2,)`, `[1.0]`) into intervals.
///
/// A bare version (`1.0`), which Maven reads as a soft requirement that every version
/// satisfies, is an error: write `[1.0]` for exactly 1.0 or `[1.0,)` for 1.0 and above.
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    RangeError::check_len(SYNTAX, input)?;
    let lead = input.len() - input.trim_start().len();
    let spec = input.trim();
    if spec.is_empty() {
        return Err(RangeError::new(
            SYNTAX,
            input,
            "empty; expected a range such as [1.0,2.0) or [1.0]",
        ));
    }
    if !spec.starts_with(['[', '(']) {
        return Err(RangeError::new(
            SYNTAX,
            input,
            format!(
                "{spec:?} is a bare version, which Maven reads as a soft requirement that every \
                 version satisfies; write [{spec}] for exactly {spec}, or [{spec},) for {spec} \
                 and above"
            ),
        )
        .at(lead));
    }
    let mut restrictions: Vec<Restriction> = Vec::new();
    // The upper bound of the previous restriction: `Some(None)` when it was unbounded above.
    let mut previous_upper: Option<Option<Version>> = None;
    let mut rest = spec;
    let mut count = 0;
    while rest.starts_with(['[', '(']) {
        count += 1;
        let offset = lead + (spec.len() - rest.len());
        let Some(close) = rest.find([']', ')']) else {
            return Err(RangeError::new(
                SYNTAX,
                input,
                format!(
                    "restriction {count} is not closed; expected \"]\" or \")\" after {rest:?}"
                ),
            )
            .at(offset));
        };
        let text = rest.get(..=close).unwrap_or(rest);
        let restriction = Restriction::parse(input, text, offset)?;
        if let Some(Some(upper)) = &previous_upper {
            let overlaps = restriction.lower.as_ref().is_none_or(|lower| lower < upper);
            if overlaps {
                return Err(RangeError::new(
                    SYNTAX,
                    input,
                    format!(
                        "restriction {count}, {text}, overlaps the one before it, which ends at \
                         {upper}; expected restrictions in ascending order, each starting at or \
                         above the previous one's upper bound"
                    ),
                )
                .at(offset));
            }
        }
        previous_upper = Some(restriction.upper.clone());
        restrictions.push(restriction);
        rest = rest.get(close + 1..).unwrap_or_default().trim_start();
        if let Some(after) = rest.strip_prefix(',') {
            rest = after.trim_start();
        }
    }
    if !rest.is_empty() {
        let offset = lead + (spec.len() - rest.len());
        return Err(RangeError::new(
            SYNTAX,
            input,
            format!(
                "found {rest:?} after restriction {count}; expected another restriction in \
                 [ ] or ( ), or the end (Maven allows only fully bracketed sets here)"
            ),
        )
        .at(offset));
    }
    if restrictions.len() > 1 {
        check_consistent(input, &restrictions)?;
    }
    let set = restrictions
        .iter()
        .fold(Ranges::empty(), |set, r| set.union(&r.ranges()));
    Ok(VersionSet::new(set))
}

/// The most restrictions one range may have: merging them needs a check that is cubic in
/// the number of bounds.
const MAX_RESTRICTIONS: usize = 32;

/// Checks that the bounds of several restrictions are ordered consistently (transitively)
/// by Maven's comparison, which intervals need in order to be merged. Maven's ordering is
/// not transitive everywhere (`1.0.0.alpha.X-123 < 1 < 1.0-00-sp-2 < 1.0.0.alpha.X-123`);
/// such a range is rejected rather than merged into intervals that would answer differently
/// depending on the order of the merge.
fn check_consistent(input: &str, restrictions: &[Restriction]) -> Result<(), RangeError> {
    if restrictions.len() > MAX_RESTRICTIONS {
        return Err(RangeError::new(
            SYNTAX,
            input,
            format!(
                "{} restrictions; expected at most {MAX_RESTRICTIONS}",
                restrictions.len()
            ),
        ));
    }
    let bounds: Vec<&Version> = restrictions
        .iter()
        .flat_map(|r| [r.lower.as_ref(), r.upper.as_ref()])
        .flatten()
        .collect();
    for a in &bounds {
        for b in &bounds {
            if a > b {
                continue;
            }
            for c in &bounds {
                if b <= c && a > c {
                    return Err(RangeError::new(
                        SYNTAX,
                        input,
                        format!(
                            "Maven's ordering is not transitive on its bounds ({a} <= {b} <= \
                             {c}, yet {a} > {c}), so its restrictions cannot be merged; expected \
                             bounds that Maven orders consistently"
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// One bracketed restriction.
struct Restriction {
    lower: Option<Version>,
    lower_inclusive: bool,
    upper: Option<Version>,
    upper_inclusive: bool,
}

impl Restriction {
    /// Parses `text`, which starts with `[` or `(` and ends with `]` or `)`, found at byte
    /// `offset` of `input`.
    fn parse(input: &str, text: &str, offset: usize) -> Result<Self, RangeError> {
        let lower_inclusive = text.starts_with('[');
        let upper_inclusive = text.ends_with(']');
        let inner = text
            .get(1..text.len().saturating_sub(1))
            .unwrap_or_default();
        let version = |s: &str| {
            s.parse::<Version>()
                .map_err(|e| RangeError::version(SYNTAX, input, e).at(offset))
        };
        let Some((low, high)) = inner.split_once(',') else {
            if !lower_inclusive || !upper_inclusive {
                return Err(RangeError::new(
                    SYNTAX,
                    input,
                    format!(
                        "{text} has a single version, which must be written in square \
                         brackets; expected [{}]",
                        inner.trim()
                    ),
                )
                .at(offset));
            }
            let v = version(inner.trim())?;
            return Ok(Self {
                lower: Some(v.clone()),
                lower_inclusive,
                upper: Some(v),
                upper_inclusive,
            });
        };
        let (low, high) = (low.trim(), high.trim());
        if low.is_empty() && high.is_empty() {
            return Err(RangeError::new(
                SYNTAX,
                input,
                format!(
                    "{text} has no bound on either side, which would match every version; \
                     expected at least one version"
                ),
            )
            .at(offset));
        }
        let lower = if low.is_empty() {
            None
        } else {
            Some(version(low)?)
        };
        let upper = if high.is_empty() {
            None
        } else {
            Some(version(high)?)
        };
        if let (Some(l), Some(u)) = (&lower, &upper) {
            let reason = match u.cmp(l) {
                Ordering::Less => format!(
                    "{text} has its lower bound {l} above its upper bound {u}; expected \
                     [lower,upper] with lower <= upper in {VERSION_SYNTAX} order"
                ),
                Ordering::Equal if !(lower_inclusive && upper_inclusive) => format!(
                    "{text} has equal bounds and an exclusive side, which no version \
                     satisfies; expected [{l}] for exactly {l}"
                ),
                _ => String::new(),
            };
            if !reason.is_empty() {
                return Err(RangeError::new(SYNTAX, input, reason).at(offset));
            }
        }
        Ok(Self {
            lower,
            lower_inclusive,
            upper,
            upper_inclusive,
        })
    }

    fn ranges(&self) -> Ranges<Version> {
        let lower = match (&self.lower, self.lower_inclusive) {
            (None, _) => Ranges::full(),
            (Some(v), true) => Ranges::higher_than(v.clone()),
            (Some(v), false) => Ranges::strictly_higher_than(v.clone()),
        };
        let upper = match (&self.upper, self.upper_inclusive) {
            (None, _) => Ranges::full(),
            (Some(v), true) => Ranges::lower_than(v.clone()),
            (Some(v), false) => Ranges::strictly_lower_than(v.clone()),
        };
        lower.intersection(&upper)
    }
}
