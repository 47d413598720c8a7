//! NuGet version ranges, as `NuGet.Versioning`'s `VersionRange.TryParse` reads them.
//!
//! `1.0` means `>= 1.0`; `[1.0]` exactly 1.0; `(1.0,)` above 1.0; `(,1.0]` up to 1.0;
//! `[1.0,2.0)` and `(1.0,2.0)` intervals; and the floating forms `*`, `1.*`, `1.0.*`,
//! `1.0.0-beta*`, `1.*-*`, whose lower bound is the lowest version they float over and which
//! have no upper bound (that is how NuGet's `Satisfies` reads them).
//!
//! Traps:
//! - **A bare version is a lower bound, not an exact match** (unlike Maven, where it is a
//!   soft requirement): `1.0` contains `5.0`.
//! - **`(1.0)`, `[1.0)` and `(1.0]` are errors**; so are `[2.0,1.0]` and `(1.0,1.0]`, but
//!   `(1.0,1.0)` is valid and empty, as in NuGet.
//! - **Only the lower bound may float**: `[1.*,2.0)` is `>= 1.0.0, < 2.0.0`; `[1.0,2.*)` is
//!   an error.
//! - **Unbounded on both sides**: NuGet rejects `(,)` but, because it checks for empty text
//!   before trimming, accepts `( , )` as every version; ward rejects both.
//! - NuGet has no union syntax: a comma-separated list of intervals is an error.

use version_ranges::Ranges;

use super::Version;
use crate::error::RangeError;
use crate::set::VersionSet;

const SYNTAX: &str = "NuGet range";

/// Parses a NuGet version range (`1.0`, `[1.0]`, `[1.0,2.0)`, `(,1.0]`, `1.*`) into intervals.
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    RangeError::check_len(SYNTAX, input)?;
    let spec = input.trim();
    let err = |reason: String| RangeError::new(SYNTAX, input, reason);
    let version = |s: &str| {
        s.parse::<Version>()
            .map_err(|e| RangeError::version(SYNTAX, input, e))
    };
    if spec.is_empty() {
        return Err(err(
            "empty; expected a range such as 1.0, [1.0,2.0) or (,1.0]".into(),
        ));
    }
    let Some(inner) = spec.strip_prefix(['[', '(']) else {
        // A bare version (or float) is an inclusive lower bound.
        let lower = if spec.contains('*') {
            floating(input, spec)?
        } else {
            version(spec)?
        };
        return Ok(VersionSet::new(Ranges::higher_than(lower)));
    };
    let lower_inclusive = spec.starts_with('[');
    let Some(inner) = inner.strip_suffix([']', ')']) else {
        return Err(err(format!(
            "{spec:?} does not end with \"]\" or \")\"; expected [lower,upper] or (lower,upper)"
        )));
    };
    let upper_inclusive = spec.ends_with(']');
    let mut pieces = inner.split(',');
    let low = pieces.next().unwrap_or_default().trim();
    let high = pieces.next().map(str::trim);
    if pieces.next().is_some() {
        return Err(err(format!(
            "{spec:?} has more than one comma; expected one interval [lower,upper] \
             (NuGet ranges have no unions)"
        )));
    }
    let (lower, upper) = match high {
        None => {
            if !(lower_inclusive && upper_inclusive) {
                return Err(err(format!(
                    "{spec:?} has a single version, which must be written in square brackets; \
                     expected [{low}]"
                )));
            }
            let v = version(low)?;
            (Some(v.clone()), Some(v))
        }
        Some(high) => {
            if low.is_empty() && high.is_empty() {
                return Err(err(format!(
                    "{spec:?} has no bound on either side; expected at least one version"
                )));
            }
            let lower = match low {
                "" => None,
                l if l.contains('*') => Some(floating(input, l)?),
                l => Some(version(l)?),
            };
            let upper = match high {
                "" => None,
                h if h.contains('*') => {
                    return Err(err(format!(
                        "the upper bound {h:?} floats; only the lower bound may contain '*'"
                    )));
                }
                h => Some(version(h)?),
            };
            (lower, upper)
        }
    };
    if let (Some(l), Some(u)) = (&lower, &upper) {
        if l > u {
            return Err(err(format!(
                "lower bound {l} is above upper bound {u}; expected lower <= upper"
            )));
        }
        if l == u && lower_inclusive != upper_inclusive {
            return Err(err(format!(
                "{spec:?} has equal bounds with one side exclusive, which no version \
                 satisfies; expected [{l}] for exactly {l}"
            )));
        }
    }
    let low = match (lower, lower_inclusive) {
        (None, _) => Ranges::full(),
        (Some(v), true) => Ranges::higher_than(v),
        (Some(v), false) => Ranges::strictly_higher_than(v),
    };
    let high = match (upper, upper_inclusive) {
        (None, _) => Ranges::full(),
        (Some(v), true) => Ranges::lower_than(v),
        (Some(v), false) => Ranges::strictly_lower_than(v),
    };
    Ok(VersionSet::new(low.intersection(&high)))
}

/// The lowest version a floating version (`*`, `1.*`, `1.0.0-beta*`, `1.*-*`) floats over,
/// computed as `FloatRange` computes its minimum: a floating numeric part becomes `0`, an
/// empty floating label becomes `0` (the lowest label), and a floating label prefix is
/// itself the lowest label that starts with it.
fn floating(input: &str, text: &str) -> Result<Version, RangeError> {
    let err = |reason: String| RangeError::new(SYNTAX, input, reason);
    let expected = "expected *, 1.*, 1.2.*, 1.2.3-beta* or 1.*-*";
    if text.contains('+') {
        return Err(err(format!(
            "floating version {text:?} has build metadata; {expected}"
        )));
    }
    let (numbers, label) = match text.split_once('-') {
        Some((numbers, label)) => (numbers, Some(label)),
        None => (text, None),
    };
    let numbers = match numbers.strip_suffix('*') {
        Some(prefix) if prefix.is_empty() || prefix.ends_with('.') => {
            // `*` alone floats the major part; `1.*` the minor part, and so on.
            if prefix.matches('.').count() > 3 || prefix.contains('*') {
                return Err(err(format!("floating version {text:?}; {expected}")));
            }
            format!("{prefix}0")
        }
        Some(_) => return Err(err(format!("floating version {text:?}; {expected}"))),
        None if label.is_some() => numbers.to_owned(),
        None => return Err(err(format!("floating version {text:?}; {expected}"))),
    };
    let full = match label {
        None => numbers,
        Some(label) => {
            let Some(prefix) = label.strip_suffix('*') else {
                return Err(err(format!(
                    "floating version {text:?} has '*' before its label ends; {expected}"
                )));
            };
            if prefix.contains('*') {
                return Err(err(format!("floating version {text:?}; {expected}")));
            }
            if prefix.is_empty() || prefix.ends_with('.') {
                format!("{numbers}-{prefix}0")
            } else {
                format!("{numbers}-{prefix}")
            }
        }
    };
    full.parse::<Version>()
        .map_err(|e| RangeError::version(SYNTAX, input, e))
}
