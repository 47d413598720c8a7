//! Composer constraints (`Composer\Semver\VersionParser::parseConstraints`), desugared as
//! Composer desugars them and turned into intervals of [`Version`].

use std::str::FromStr;

use crate::error::RangeError;
use crate::number::Number;
use crate::packagist::Version;
use crate::packagist::composer::{
    Captures, is_pcre_space, is_php_space, normalize, split_alias, version_pattern,
};
use crate::set::{Ranges, VersionSet};

const SYNTAX: &str = "Composer constraint";

/// One of Composer's primitive constraints, on a normalized version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// What one piece of a constraint desugars into.
enum Piece {
    All,
    And(Vec<(Op, String)>),
}

/// Parses a Composer constraint as `VersionParser::parseConstraints` does: `||` / `|`
/// alternatives of comma- or space-separated constraints, each one of `^1.2`, `~1.2`,
/// `~1.2.3`, `1.2.*`, `*`, `1.0 - 2.0` (an upper bound with fewer than three numbers is
/// partial: `< 2.1.0.0-dev`), `>=`, `>`, `<=`, `<`, `=`, `==`, `!=`, `<>` or a bare version,
/// with `@dev`/`@stable`-style flags, `v` prefixes, `#ref` and ` as ` aliases.
///
/// Every form is desugared exactly as Composer does (`^1.2` is `>=1.2.0.0-dev <2.0.0.0-dev`,
/// `>=1.0` is `>=1.0.0.0-dev`, `>1.0@beta` is `>1.0.0.0-beta`). Composer then compares
/// versions padded to four numbers, while OSV's order (this module's) counts trailing zeros
/// (`1.0 < 1.0.0`); each bound is therefore placed so that every way of writing the same
/// version lands on the side Composer puts it:
///
/// - a `-dev` bound of `>=`/`<` (what `^`, `~`, `*` and hyphen ranges produce) uses the
///   shortest form, `1.2-dev`, which lies below `1.2`, `1.2.0`, `1.2.0.0` and their
///   pre-releases;
/// - other bounds use Composer's four-number form, and the shorter spellings of a release
///   bound (`1.2`, `1.2.0` for `1.2.0.0`) are added to or removed from the set one by one;
/// - `=` is the set of every spelling (`1.2`, `1.2.0`, `1.2.0.0`), `!=` its complement.
///
/// This is exact for releases written with any number of parts and for pre-releases written
/// with four numbers (`1.2.0.0-beta1`). For a pre-release written shorter, OSV's order itself
/// disagrees with Composer (`1.0-beta2 < 1.0.0-beta1` in OSV, `>` in Composer) and so may
/// the answer. Branches (`dev-main`) only match `=`/`!=` themselves, as in Composer.
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    RangeError::check_len(SYNTAX, input)?;
    let mut set = Ranges::empty();
    for group in split_or(input.trim_matches(is_php_space)) {
        let pieces = split_and(group);
        let mut and = Ranges::full();
        for piece in pieces {
            let at = offset_of(input, piece);
            let desugared = parse_piece(piece)
                .map_err(|reason| RangeError::new(SYNTAX, input, reason).at(at))?;
            if let Piece::And(constraints) = desugared {
                for (op, version) in constraints {
                    let ranges = to_ranges(op, &version).map_err(|e| {
                        RangeError::version(crate::packagist::SYNTAX, input, e).at(at)
                    })?;
                    and = and.intersection(&ranges);
                }
            }
        }
        set = set.union(&and);
    }
    Ok(VersionSet::new(set))
}

/// Byte offset of `piece`, a slice of `input`.
fn offset_of(input: &str, piece: &str) -> usize {
    (piece.as_ptr() as usize)
        .saturating_sub(input.as_ptr() as usize)
        .min(input.len())
}

/// `preg_split('{\s*\|\|?\s*}', ...)`.
fn split_or(input: &str) -> Vec<&str> {
    let mut groups = Vec::new();
    let mut rest = input;
    while let Some(bar) = rest.find('|') {
        let before = rest.get(..bar).unwrap_or_default();
        groups.push(before.trim_end_matches(is_pcre_space));
        let mut after = rest.get(bar + 1..).unwrap_or_default();
        after = after.strip_prefix('|').unwrap_or(after);
        rest = after.trim_start_matches(is_pcre_space);
    }
    groups.push(rest);
    groups
}

/// `preg_split('{(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-) *(?!,|as|$)}', ...)`, simulated with the
/// regex's backtracking: separators are commas or spaces, but not after an operator, not
/// around the `-` of a hyphen range, and not before ` as `.
fn split_and(group: &str) -> Vec<&str> {
    let bytes = group.as_bytes();
    let at = |i: usize| bytes.get(i).copied();
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    let mut p = 1;
    while p < bytes.len() {
        let prev = at(p - 1);
        let after_as = p >= 2 && group.get(p - 2..p) == Some("as");
        let lookbehind_ok = !after_as && !matches!(prev, Some(b'=' | b'>' | b'<' | b' ' | b','));
        if !lookbehind_ok || !matches!(at(p), Some(b' ' | b',')) {
            p += 1;
            continue;
        }
        let spaces = bytes
            .get(p..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| b == b' ')
            .count();
        let mut found = None;
        'outer: for k in (0..=spaces).rev() {
            let sep = p + k;
            let before = if k == 0 { prev } else { Some(b' ') };
            if before == Some(b'-') || !matches!(at(sep), Some(b' ' | b',')) {
                continue;
            }
            if at(sep + 1) == Some(b'-') {
                continue;
            }
            let trailing = bytes
                .get(sep + 1..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&b| b == b' ')
                .count();
            for j in (0..=trailing).rev() {
                let end = sep + 1 + j;
                let ahead = group.get(end..).unwrap_or_default();
                if !(ahead.is_empty() || ahead.starts_with(',') || ahead.starts_with("as")) {
                    found = Some(end);
                    break 'outer;
                }
            }
        }
        match found {
            Some(end) => {
                pieces.push(group.get(piece_start..p).unwrap_or_default());
                piece_start = end;
                p = end.max(p + 1);
            }
            None => p += 1,
        }
    }
    pieces.push(group.get(piece_start..).unwrap_or_default());
    pieces
}

/// Composer's `parseConstraint` for one piece.
fn parse_piece(piece: &str) -> Result<Piece, String> {
    let mut constraint = piece;
    if let Some((left, _)) = split_alias(constraint) {
        constraint = left;
    }
    // `^([^,\s]*?)@(stable|RC|beta|alpha|dev)$`i: a stability flag.
    let mut modifier = None;
    if let Some(at) = constraint.rfind('@') {
        let (head, flag) = (
            constraint.get(..at).unwrap_or_default(),
            constraint.get(at + 1..).unwrap_or_default(),
        );
        if ["stable", "RC", "beta", "alpha", "dev"]
            .iter()
            .any(|s| s.eq_ignore_ascii_case(flag))
            && !head.contains(|c: char| c == ',' || is_pcre_space(c))
        {
            constraint = if head.is_empty() { "*" } else { head };
            if flag != "stable" {
                modifier = Some(flag);
            }
        }
    }
    // `^(dev-[^,\s@]+?|[^,\s@]+?\.x-dev)#.+$`i: a commit reference is ignored.
    for (i, _) in constraint.match_indices('#') {
        let head = constraint.get(..i).unwrap_or_default();
        let plain =
            !head.is_empty() && !head.contains(|c: char| c == ',' || c == '@' || is_pcre_space(c));
        let lower = head.to_ascii_lowercase();
        let branch = (lower.starts_with("dev-") && head.len() > 4)
            || (lower.ends_with(".x-dev") && head.len() > 6);
        if plain && branch && constraint.len() > i + 1 {
            constraint = head;
            break;
        }
    }
    // `^(v)?[xX*](\.[xX*])*$`i
    let body = constraint.strip_prefix(['v', 'V']);
    let stars = body.unwrap_or(constraint);
    if !stars.is_empty() && stars.split('.').all(|p| matches!(p, "x" | "X" | "*")) {
        if body.is_some() || stars.len() > 1 {
            return Ok(Piece::And(vec![(Op::Ge, "0.0.0.0-dev".to_owned())]));
        }
        return Ok(Piece::All);
    }
    if let Some(rest) = constraint.strip_prefix('~') {
        if let Some(after) = rest.strip_prefix('>')
            && version_pattern(after, true).is_some()
        {
            return Err(format!(
                "Invalid operator \"~>\" in {constraint:?}; Composer's tilde is `~` (`~1.2`)"
            ));
        }
        if let Some(m) = version_pattern(rest, true) {
            return tilde(rest, &m);
        }
    }
    if let Some(rest) = constraint.strip_prefix('^')
        && let Some(m) = version_pattern(rest, true)
    {
        return caret(rest, &m);
    }
    if let Some(pieces) = wildcard(constraint) {
        return Ok(Piece::And(pieces));
    }
    if let Some(pieces) = hyphen(constraint)? {
        return Ok(Piece::And(pieces));
    }
    comparison(constraint, modifier).map(|c| Piece::And(vec![c]))
}

/// `-dev` unless the version names a stability or is a dev version already.
fn stability_suffix(m: &Captures<'_>) -> &'static str {
    if m.stability.is_none() && !m.dev && !m.x_dev {
        "-dev"
    } else {
        ""
    }
}

/// Composer's `manipulateVersionString`: numbers after `position` become 0, the one at
/// `position` (1-based) is incremented when `increment`.
fn manipulate(numbers: &[&str], position: usize, increment: bool) -> String {
    (1..=4)
        .map(|i| {
            let n = numbers.get(i - 1).copied().unwrap_or("0");
            if i > position {
                "0".to_owned()
            } else if i == position && increment {
                Number::parse(n).map_or_else(|| "1".to_owned(), |n| n.increment().to_string())
            } else {
                n.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// `~1.2` is `>=1.2.0.0-dev <2.0.0.0-dev`; `~1.2.3` is `>=1.2.3.0-dev <1.3.0.0-dev`.
fn tilde(rest: &str, m: &Captures<'_>) -> Result<Piece, String> {
    let position = m.numbers.len() + usize::from(m.x_dev);
    let low = normalize(&format!("{rest}{}", stability_suffix(m)))?;
    let high = manipulate(&m.numbers, position.saturating_sub(1).max(1), true) + "-dev";
    Ok(Piece::And(vec![(Op::Ge, low), (Op::Lt, high)]))
}

/// `^1.2` is `>=1.2.0.0-dev <2.0.0.0-dev`; `^0.3` is `<0.4.0.0-dev`; `^0.0.3` `<0.0.4.0-dev`.
fn caret(rest: &str, m: &Captures<'_>) -> Result<Piece, String> {
    let n = |i: usize| m.numbers.get(i).copied();
    let position = if n(0) != Some("0") || n(1).is_none() {
        1
    } else if n(1) != Some("0") || n(2).is_none() {
        2
    } else {
        3
    };
    let low = normalize(&format!("{rest}{}", stability_suffix(m)))?;
    let high = manipulate(&m.numbers, position, true) + "-dev";
    Ok(Piece::And(vec![(Op::Ge, low), (Op::Lt, high)]))
}

/// `^v?(\d++)(?:\.(\d++))?(?:\.(\d++))?(?:\.[xX*])++$`: `1.2.*` is `>=1.2.0.0-dev <1.3.0.0-dev`.
fn wildcard(constraint: &str) -> Option<Vec<(Op, String)>> {
    let body = constraint.strip_prefix('v').unwrap_or(constraint);
    let parts: Vec<&str> = body.split('.').collect();
    let numbers: Vec<&str> = parts
        .iter()
        .copied()
        .take_while(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let stars = parts.get(numbers.len()..)?;
    if numbers.is_empty()
        || numbers.len() > 3
        || stars.is_empty()
        || !stars.iter().all(|p| matches!(*p, "x" | "X" | "*"))
    {
        return None;
    }
    let position = numbers.len();
    let low = manipulate(&numbers, position, false) + "-dev";
    let high = manipulate(&numbers, position, true) + "-dev";
    if low == "0.0.0.0-dev" {
        return Some(vec![(Op::Lt, high)]);
    }
    Some(vec![(Op::Ge, low), (Op::Lt, high)])
}

/// `1.0 - 2.0` is `>=1.0.0.0-dev <2.1.0.0-dev`; `1.0 - 2.0.1` is `>=1.0.0.0-dev <=2.0.1.0`.
fn hyphen(constraint: &str) -> Result<Option<Vec<(Op, String)>>, String> {
    let Some((from, rest)) = constraint.split_once(' ') else {
        return Ok(None);
    };
    let rest = rest.trim_start_matches(' ');
    let Some(rest) = rest.strip_prefix('-') else {
        return Ok(None);
    };
    if !rest.starts_with(' ') {
        return Ok(None);
    }
    let to = rest.trim_start_matches(' ');
    let (Some(f), Some(t)) = (version_pattern(from, true), version_pattern(to, true)) else {
        return Ok(None);
    };
    let low = normalize(from)? + stability_suffix(&f);
    let upper = if t.numbers.len() >= 3 || t.stability.is_some() || t.dev || t.x_dev {
        (Op::Le, normalize(to)?)
    } else {
        normalize(to)?;
        let position = if t.numbers.len() >= 2 { 2 } else { 1 };
        (Op::Lt, manipulate(&t.numbers, position, true) + "-dev")
    };
    Ok(Some(vec![(Op::Ge, low), upper]))
}

/// `^(<>|!=|>=?|<=?|==?)?\s*(.*)`: an operator and a version.
fn comparison(constraint: &str, modifier: Option<&str>) -> Result<(Op, String), String> {
    let operators = [
        ("<>", Op::Ne),
        ("!=", Op::Ne),
        (">=", Op::Ge),
        (">", Op::Gt),
        ("<=", Op::Le),
        ("<", Op::Lt),
        ("==", Op::Eq),
        ("=", Op::Eq),
    ];
    let (op, rest) = operators
        .iter()
        .find_map(|(s, op)| constraint.strip_prefix(s).map(|rest| (*op, rest)))
        .unwrap_or((Op::Eq, constraint));
    let text = rest.trim_start_matches(is_pcre_space);
    // `.` does not match a line feed: the version ends there.
    let text = text.split('\n').next().unwrap_or_default();
    let mut version = match normalize(text) {
        Ok(v) => v,
        Err(e) => {
            let stem = text.len().checked_sub(4).and_then(|n| text.get(..n));
            match stem {
                Some(stem)
                    if text.ends_with("-dev")
                        && text
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-./".contains(&b)) =>
                {
                    format!("dev-{stem}")
                }
                _ => {
                    return Err(format!(
                        "Could not parse version constraint {constraint:?}: {e}"
                    ));
                }
            }
        }
    };
    if let (false, Some(flag)) = (op == Op::Eq, modifier)
        && is_stable(&version)
    {
        version = format!("{version}-{flag}");
    } else if matches!(op, Op::Lt | Op::Ge)
        && !has_modifier_after_dash(&text.to_ascii_lowercase())
        && !text.starts_with("dev-")
    {
        version.push_str("-dev");
    }
    Ok((op, version))
}

/// Whether `/-MODIFIER$/` matches (case-sensitive, on the lower-cased version).
fn has_modifier_after_dash(lower: &str) -> bool {
    lower.match_indices('-').any(|(i, _)| {
        let after = lower.get(i + 1..).unwrap_or_default();
        crate::packagist::composer::modifier_matches_whole(after)
    })
}

/// Composer's `parseStability(...) === 'stable'` on a normalized version.
fn is_stable(normalized: &str) -> bool {
    if normalized.starts_with("dev-") || normalized.ends_with("-dev") {
        return false;
    }
    let suffix = normalized
        .split_once('-')
        .map_or("", |(_, s)| s)
        .to_ascii_lowercase();
    let word: String = suffix
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    !matches!(word.as_str(), "beta" | "b" | "alpha" | "a" | "rc")
}

/// The shape of a normalized bound, which decides where its OSV spellings go.
#[derive(PartialEq, Eq)]
enum Kind {
    Release,
    Dev,
    PreRelease,
    Patch,
}

/// One Composer primitive `op normalized` as intervals of OSV-ordered versions.
fn to_ranges(op: Op, normalized: &str) -> Result<Ranges<Version>, crate::VersionError> {
    if normalized.starts_with("dev-") {
        let branch = Version::from_str(normalized)?;
        return Ok(match op {
            Op::Eq => Ranges::singleton(branch),
            Op::Ne => Ranges::singleton(branch).complement(),
            // Composer never orders branches.
            _ => Ranges::empty(),
        });
    }
    let (numbers, suffix) = match normalized.find('-') {
        Some(i) => (
            normalized.get(..i).unwrap_or_default(),
            normalized.get(i..).unwrap_or_default(),
        ),
        None => (normalized, ""),
    };
    let kind = if suffix.is_empty() {
        Kind::Release
    } else if suffix == "-dev" {
        Kind::Dev
    } else if suffix.starts_with("-patch") {
        Kind::Patch
    } else {
        Kind::PreRelease
    };
    // OSV knows `p`, not Composer's `patch`.
    let suffix = match suffix.strip_prefix("-patch") {
        Some(rest) => format!("-p{rest}"),
        None => suffix.to_owned(),
    };
    let numbers: Vec<&str> = numbers.split('.').collect();
    let significant = numbers
        .iter()
        .rposition(|n| !Number::parse(n).is_some_and(|n| n.is_zero()))
        .map_or(1, |i| i + 1);
    let spelled = |len: usize, suffix: &str| {
        Version::from_str(&format!(
            "{}{suffix}",
            numbers.get(..len).unwrap_or_default().join(".")
        ))
    };
    let full = spelled(numbers.len(), &suffix)?;
    let mut short_releases = Ranges::empty();
    for len in significant..numbers.len() {
        short_releases = short_releases.union(&Ranges::singleton(spelled(len, "")?));
    }
    let at_least = || -> Result<Ranges<Version>, crate::VersionError> {
        Ok(match kind {
            Kind::Dev => Ranges::higher_than(spelled(significant, &suffix)?),
            Kind::Patch => Ranges::higher_than(full.clone()),
            Kind::Release | Kind::PreRelease => {
                Ranges::higher_than(full.clone()).union(&short_releases)
            }
        })
    };
    let at_most = || match kind {
        Kind::Release | Kind::Patch => Ranges::lower_than(full.clone()),
        Kind::Dev | Kind::PreRelease => {
            Ranges::lower_than(full.clone()).intersection(&short_releases.complement())
        }
    };
    let equal = || -> Result<Ranges<Version>, crate::VersionError> {
        let mut set = Ranges::empty();
        for len in significant..=numbers.len() {
            set = set.union(&Ranges::singleton(spelled(len, &suffix)?));
        }
        Ok(set)
    };
    Ok(match op {
        Op::Ge => at_least()?,
        Op::Lt => at_least()?.complement(),
        Op::Le => at_most(),
        Op::Gt => at_most().complement(),
        Op::Eq => equal()?,
        Op::Ne => equal()?.complement(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(range: &str, version: &str) -> bool {
        let v = Version::from_str(version).unwrap_or_else(|e| panic!("{version}: {e}"));
        parse_range(range)
            .unwrap_or_else(|e| panic!("{range}: {e}"))
            .contains(&v)
    }

    #[test]
    fn caret_tilde_wildcard() {
        assert!(contains("^1.2", "1.2"));
        assert!(contains("^1.2", "1.2.0"));
        assert!(contains("^1.2", "v1.9.9"));
        assert!(contains("^1.2", "1.2.0-beta1"));
        assert!(!contains("^1.2", "2.0"));
        assert!(!contains("^1.2", "2.0.0-RC1"));
        assert!(!contains("^1.2", "1.1.9"));
        assert!(contains("^0.3", "0.3.5"));
        assert!(!contains("^0.3", "0.4"));
        assert!(contains("~1.2", "1.9"));
        assert!(!contains("~1.2.3", "1.3"));
        assert!(contains("~1.2.3", "1.2.9"));
        assert!(contains("1.2.*", "1.2.7"));
        assert!(!contains("1.2.*", "1.3"));
        assert!(contains("*", "dev-master"));
    }

    #[test]
    fn comparisons_and_lists() {
        assert!(contains(">=1.0 <2.0", "1.5"));
        assert!(contains(">=1.0,<2.0", "1.0"));
        assert!(!contains(">=1.0, <2.0", "2.0"));
        assert!(contains("<1.0 || >=2.0", "2.0"));
        assert!(contains("<1.0 | >=2.0", "0.9"));
        assert!(contains("<=1.2", "1.2.0.0"));
        assert!(contains("<=1.2", "1.2"));
        assert!(!contains("<=1.2", "1.2.0.1"));
        assert!(!contains(">1.2", "1.2.0"));
        assert!(contains("!=1.5", "1.5.1"));
        assert!(!contains("!=1.5", "1.5.0"));
        assert!(contains("1.0", "1.0.0"));
        assert!(contains("==v1.0", "1"));
        assert!(contains("1.0-patch1", "1.0.0.0-p1"));
        assert!(contains(">=1.0-beta1", "1.0"));
        assert!(!contains("<=1.0-beta1", "1.0"));
        assert!(contains("dev-master", "dev-master"));
        assert!(!contains(">=1.0", "dev-master"));
    }

    #[test]
    fn hyphen_ranges_have_partial_upper_bounds() {
        assert!(contains("1.0 - 2.0", "2.0.5"));
        assert!(!contains("1.0 - 2.0", "2.1"));
        assert!(contains("1.0 - 2.0.1", "2.0.1"));
        assert!(!contains("1.0 - 2.0.1", "2.0.2"));
    }

    #[test]
    fn stability_flags() {
        assert!(contains(">=1.0@dev", "1.0"));
        assert!(contains("^1.0@stable", "1.0"));
        assert!(contains(">1.0@beta", "1.0.0.0-RC1"));
        assert!(!contains(">1.0", "1.0.0.0-RC1"));
    }

    #[test]
    fn errors_have_columns() {
        for (input, column) in [("", 0), (">=1.0 <foo", 6), ("~>1.2", 0), ("^1.2 || x.y", 8)] {
            let err = parse_range(input).expect_err(input);
            assert_eq!(err.offset, Some(column), "{input:?}: {err}");
        }
    }

    proptest::proptest! {
        #[test]
        fn bounds_are_inclusive_or_exclusive(
            op in proptest::sample::select(vec![">=", ">", "<=", "<", "==", "!=", "^", "~"]),
            numbers in proptest::collection::vec(0u32..3, 1..5),
            suffix in proptest::sample::select(vec!["", "-dev", "-beta1", "-RC2", "-p1", "-alpha"]),
        ) {
            let written = numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
            let bound = format!("{written}{suffix}");
            // The four-number spelling, and for releases the spelling as written: OSV's order
            // puts a shorter pre-release elsewhere than Composer (see `parse_range`).
            let mut four = numbers.iter().map(u32::to_string).collect::<Vec<_>>();
            four.resize(4, "0".to_owned());
            let padded = format!("{}{suffix}", four.join("."));
            let set = parse_range(&format!("{op}{bound}")).expect("generated constraint");
            let expected = matches!(op, ">=" | "<=" | "==" | "^" | "~");
            let spellings = if suffix.is_empty() { vec![&bound, &padded] } else { vec![&padded] };
            for spelling in spellings {
                let v = Version::from_str(spelling).expect("version");
                proptest::prop_assert_eq!(set.contains(&v), expected, "{} {}", op, spelling);
            }
        }

        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = parse_range(&s);
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "|", "||", ",", " , ", "@dev", "#", "~", "^", "-", " - ", "1 - ", "v", "1.0 as", "~>",
            "<>",
        ] {
            let _ = parse_range(s);
        }
    }
}
