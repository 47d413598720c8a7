//! Packagist versions in OSV's ordering, and Composer constraints.
//!
//! OSV defines the Packagist order as osv.dev's implementation of PHP's `version_compare`:
//! the version is canonicalized (`-`, `_`, `+` become `.`; a `.` is inserted wherever a digit
//! meets a non-digit: `4.3.2RC1` is `4.3.2.RC.1`), split at dots, and compared part by part:
//! numbers as numbers, words by their rank `dev < alpha = a < beta = b < RC = rc < # < pl = p`
//! (any other word ranks below `dev`), and a number against a word as if the number were `#`.
//! When one version runs out, a next part that is a number makes the longer one greater
//! (`1.0.0 > 1.0`); a next word is compared with `#` (`1.0 > 1.0-beta`, `1.0 < 1.0-p1`).
//! Composer's constraint syntax is parsed by [`parse_range`] (in `packagist/range.rs`).
//!
//! Traps:
//! - **Trailing zeros count**: `1.0.0 > 1.0` (OSV's vectors and PHP agree). Composer pads
//!   versions to four numbers before comparing, so constraint bounds are built to match the
//!   way each form is written: see [`parse_range`].
//! - **Special words match by prefix, and case matters**, as in PHP and OSV's tools: `patch`,
//!   `post` and even `preview` rank as `p` (above the release: `1.0 < 1.0-patch1`), `betax`
//!   as `b`; `Beta` and `foo` are unknown words ranking below `dev`.
//! - **`#` is equal to every number** (osv.dev's rule, kept because OSV's vectors require
//!   `1.2.3.# = 1.2.3` *and* `1.2.3.# = 1.2.3.1`): the order is therefore **not transitive**
//!   for versions containing `#` (`1.2.3 = 1.2.3.# = 1.2.3.1` but `1.2.3 < 1.2.3.1`), and
//!   `Eq`/`Ord` only form a total order on versions without `#`. Property tests exclude `#`;
//!   [`Version`] implements no `Hash`, since none can agree with such an equality.
//! - **A leading `v` or `V` is dropped** (`v1.0 == V1.0 == 1.0`), which PHP does not do.
//! - **Separators are not collapsed**: `1..2` has an empty part, an unknown word (PHP's C
//!   code would skip it). Versions are taken as written, printable ASCII without whitespace.
//! - **Numbers have no upper bound** (PHP saturates at `i64::MAX`): parts are [`Number`]s.
//! - **Branch names are versions too**: `dev-master` is `dev.master`, ranking below `0`.

mod composer;
mod range;

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::error::VersionError;
use crate::number::Number;

pub use range::parse_range;

const SYNTAX: &str = "Packagist";

/// A Packagist version, ordered as osv.dev orders them (PHP `version_compare` on
/// canonicalized strings).
///
/// `Eq` is "compares equal": `1.0-RC1 == 1.0rc1`, `v1 == 1`. It is not transitive when `#`
/// is involved (see the module's traps), which is why there is no `Hash`.
#[derive(Debug, Clone)]
pub struct Version {
    /// The version as written.
    text: Box<str>,
    /// The canonicalized parts.
    parts: Vec<Part>,
}

/// One part of a canonicalized version.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Number(Number),
    /// Anything else, kept with its rank.
    Word(i8),
}

/// The rank of `#`, which a number takes when compared with a word.
const NUMBER_RANK: i8 = 4;

/// The rank of a word: PHP's special forms, matched by prefix and case-sensitively as PHP
/// and OSV's tools match them (`patch` and `post` are `p`, `alpha` is `a`).
fn rank(word: &str) -> i8 {
    const FORMS: &[(&str, i8)] = &[
        ("dev", 0),
        ("a", 1),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("#", NUMBER_RANK),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(form, _)| word.starts_with(form))
        .map_or(-1, |(_, rank)| *rank)
}

impl Part {
    fn rank(&self) -> i8 {
        match self {
            Part::Number(_) => NUMBER_RANK,
            Part::Word(rank) => *rank,
        }
    }
}

/// Splits the version the way osv.dev canonicalizes it: `-_+` are dots, and a dot goes
/// between a digit and a non-digit that is not a dot.
fn canonical_parts(body: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut push = |current: &mut String| {
        parts.push(match Number::parse(current) {
            Some(n) => Part::Number(n),
            None => Part::Word(rank(current)),
        });
        current.clear();
    };
    let mut previous: Option<char> = None;
    for c in body.chars() {
        let c = if matches!(c, '-' | '_' | '+') { '.' } else { c };
        if c == '.' {
            push(&mut current);
        } else {
            if let Some(p) = previous
                && p != '.'
                && p.is_ascii_digit() != c.is_ascii_digit()
            {
                push(&mut current);
            }
            current.push(c);
        }
        previous = Some(c);
    }
    push(&mut current);
    parts
}

/// osv.dev's `php_slices_compare`.
fn compare_parts(a: &[Part], b: &[Part]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = match (x, y) {
            (Part::Number(x), Part::Number(y)) => x.cmp(y),
            _ => x.rank().cmp(&y.rank()),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    match a.len().cmp(&b.len()) {
        Ordering::Greater => rest_against_end(a.get(b.len()..).unwrap_or_default()),
        Ordering::Less => rest_against_end(b.get(a.len()..).unwrap_or_default()).reverse(),
        Ordering::Equal => Ordering::Equal,
    }
}

/// How the parts left over in the longer version compare with the end of the shorter one:
/// a number is greater; a word compares with `#` (and a `#` is skipped).
fn rest_against_end(rest: &[Part]) -> Ordering {
    for part in rest {
        match part {
            Part::Number(_) => return Ordering::Greater,
            Part::Word(rank) => match rank.cmp(&NUMBER_RANK) {
                Ordering::Equal => {}
                order => return order,
            },
        }
    }
    Ordering::Equal
}

impl FromStr for Version {
    type Err = VersionError;

    /// Accepts any non-empty printable ASCII string without whitespace (Packagist versions
    /// include branch names such as `dev-feature/x`), with an optional leading `v` or `V`.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, input)?;
        if let Some(c) = input.chars().find(|c| !c.is_ascii_graphic()) {
            return Err(VersionError::new(
                SYNTAX,
                input,
                format!("contains {c:?}; expected printable ASCII without whitespace"),
            ));
        }
        let body = input.strip_prefix(['v', 'V']).unwrap_or(input);
        if body.is_empty() {
            return Err(VersionError::new(
                SYNTAX,
                input,
                "it is empty; expected a version such as `1.2.3` or `v1.0-beta1`",
            ));
        }
        Ok(Version {
            text: input.into(),
            parts: canonical_parts(body),
        })
    }
}

impl fmt::Display for Version {
    /// The version as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_parts(&self.parts, &other.parts)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

crate::set::intervals_only!(Version);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn php_order() {
        assert!(v("1.0-dev") < v("1.0a1"));
        assert!(v("1.0a1") < v("1.0b1"));
        assert!(v("1.0b1") < v("1.0RC1"));
        assert!(v("1.0RC1") < v("1.0"));
        assert!(v("1.0") < v("1.0pl1"));
        assert_eq!(v("1.0rc1"), v("1.0-RC.1"));
        assert!(v("1.0.0") > v("1.0"));
        assert!(v("4.3-2RC1") < v("4.3-2RC2"));
        assert_eq!(v("1.25.0beta2.1"), v("1.25.0-b2.1"));
        assert!(v("dev-foo") < v("0"));
    }

    #[test]
    fn osv_departures_from_php() {
        // Special words match by prefix, as in PHP: `patch` is `p`, `betax` is `b`.
        assert!(v("1.0-patch1") > v("1.0"));
        assert!(v("3.1.0.post1") > v("3.1.0"));
        assert_eq!(v("1.0-betax"), v("1.0-beta"));
        assert!(
            v("1.0-Beta") < v("1.0-dev"),
            "case matters: `Beta` is an unknown word"
        );
        assert_eq!(v("v1.0"), v("V1.0"));
        assert_eq!(v("v1.0"), v("1.0"));
        assert!(v("1..0") < v("1.0"));
        // `#` equals numbers: not transitive.
        assert_eq!(v("1.2.3.#"), v("1.2.3"));
        assert_eq!(v("1.2.3.#"), v("1.2.3.1"));
        assert!(v("1.2.3") < v("1.2.3.1"));
        assert!(v("1.2.3.#.beta") < v("1.2.3"));
    }

    #[test]
    fn big_numbers_and_invalid() {
        assert!(v("999999999999999999999999999991") < v("999999999999999999999999999999"));
        for bad in ["", "v", "V", "1 0", "1.0\n", "1.\u{e9}", "\u{0}"] {
            assert!(bad.parse::<Version>().is_err(), "{bad:?}");
        }
    }

    /// Versions without `#`, on which the order is total.
    fn version() -> impl Strategy<Value = String> {
        let part = prop_oneof![
            4 => (0u32..4).prop_map(|n| n.to_string()),
            1 => Just("00".to_owned()),
            1 => Just("99999999999999999999999".to_owned()),
            3 => prop::sample::select(vec!["dev", "alpha", "a", "beta", "b", "RC", "rc", "pl", "p", "patch", "foo", "Beta", ""]).prop_map(str::to_owned),
        ];
        (
            prop::option::of(prop::sample::select(vec!["v", "V"])),
            prop::collection::vec(
                (part, prop::sample::select(vec![".", "-", "_", "+", ""])),
                1..6,
            ),
        )
            .prop_map(|(prefix, parts)| {
                let mut s = prefix.unwrap_or_default().to_owned();
                for (i, (p, sep)) in parts.into_iter().enumerate() {
                    if i > 0 {
                        s.push_str(sep);
                    }
                    s.push_str(&p);
                }
                if s.is_empty() || s == "v" || s == "V" {
                    "0".to_owned()
                } else {
                    s
                }
            })
    }

    proptest! {
        #[test]
        fn total_order_without_hash(a in version(), b in version(), c in version()) {
            let (a, b, c) = (v(&a), v(&b), v(&c));
            crate::laws::total_order(&a, &b, &c)?;
        }

        #[test]
        fn display_round_trips(s in version()) {
            let parsed = v(&s);
            prop_assert_eq!(v(&parsed.to_string()), parsed);
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = s.parse::<Version>();
        }
    }
}
