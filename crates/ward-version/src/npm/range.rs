//! npm ranges: node-semver's `new Range(range, { includePrerelease: true })`, replayed step
//! by step, then turned into intervals.
//!
//! node-semver does not parse ranges with a grammar; it rewrites the text with a series of
//! replacements and then reads what is left as comparators. Its quirks (see the Traps of
//! [`crate::npm`]) come from that order, so this module follows the same order:
//!
//! 1. trim, collapse whitespace runs to one space, split on `||` (each alternative trimmed);
//! 2. delete every build metadata suffix (`+build`);
//! 3. if the whole alternative is a hyphen range `A - B`, rewrite it to `>=A <B'`;
//! 4. join operators to their versions (`> 1.2` → `>1.2`, `~ 1.2` → `~1.2`, `^ 1` → `^1`);
//! 5. split on spaces; desugar each token: caret, else tilde, else x-range; then drop the
//!    first `*` (with its operator);
//! 6. `>=0.0.0-0` means any version; every other piece must be a comparator
//!    (`<`, `<=`, `>`, `>=`, `=` or nothing, then a full version) or the range is invalid.
//!
//! Within an alternative comparators intersect; alternatives unite.

use std::str::FromStr;

use super::Version;
use super::scan::{
    Partial, Text, comparator_trim, is_x, partial, prefix_len, strip_builds, tilde_caret_trim,
};
use crate::error::RangeError;
use crate::number::Number;
use crate::set::{Ranges, VersionSet};

const SYNTAX: &str = "npm range";

/// Parses `input`; see the module documentation.
pub(super) fn parse(input: &str) -> Result<VersionSet<Version>, RangeError> {
    RangeError::check_len(SYNTAX, input)?;
    let text = Text::normalized(input);
    let mut union = Ranges::empty();
    for alternative in text.split(b"||") {
        let set = parse_alternative(input, &alternative.trimmed())?;
        union = union.union(&set);
    }
    Ok(VersionSet::new(union))
}

fn parse_alternative(input: &str, text: &Text) -> Result<Ranges<Version>, RangeError> {
    let text = strip_builds(text);
    let text = hyphen(&text).unwrap_or(text);
    let text = tilde_caret_trim(&comparator_trim(&text));
    let mut set = Ranges::full();
    for token in text.split(b" ") {
        let written = token.as_string();
        let offset = token.offset(0, 0);
        let desugared = drop_star(&desugar(&written));
        for piece in desugared.split(' ').filter(|p| !p.is_empty()) {
            let ranges = comparator(piece).map_err(|reason| {
                let context = if piece == written {
                    format!("{written:?}")
                } else {
                    format!("{written:?} (read as {piece:?})")
                };
                RangeError::new(SYNTAX, input, format!("{context}: {reason}")).at(offset)
            })?;
            set = set.intersection(&ranges);
        }
    }
    Ok(set)
}

/// Reads one comparator piece (`COMPARATOR`): an operator, then a full version.
fn comparator(piece: &str) -> Result<Ranges<Version>, String> {
    // `>=0.0.0-0` is replaced by "any" (`replaceGTE0`): the same set, so nothing to do.
    // `GTLT`, `(<|>)?=?`: `=` alone is an operator, `==` and `=<` are not.
    let b = piece.as_bytes();
    let mut op_len = usize::from(matches!(b.first(), Some(b'<' | b'>')));
    op_len += usize::from(b.get(op_len) == Some(&b'='));
    let (op, text) = piece.split_at(op_len);
    if text.is_empty() {
        return Err(format!(
            "expected a version after {op:?}, as in \"{op}1.2.3\""
        ));
    }
    if text.starts_with(['<', '>', '=']) {
        return Err(format!(
            "{op:?} is followed by {text:?}; expected one operator (< <= > >= =), then a version"
        ));
    }
    let core = text.split(['-', '+']).next().unwrap_or(text);
    if core.split('.').any(|c| matches!(c, "x" | "X" | "*")) {
        return Err(format!(
            "{text:?} is not an x-range; X may only replace the components after the \
             ones kept, as in 1.x or 1.2.x"
        ));
    }
    let version = Version::from_str(text).map_err(|e| {
        format!(
            "expected a comparator, x-range (1.x), tilde (~1.2), caret (^1.2.3) or hyphen range; {}",
            e.reason
        )
    })?;
    Ok(match op {
        "<" => Ranges::strictly_lower_than(version),
        "<=" => Ranges::lower_than(version),
        ">" => Ranges::strictly_higher_than(version),
        ">=" => Ranges::higher_than(version),
        _ => Ranges::singleton(version),
    })
}

/// `+M + 1` in JavaScript, for the digits node-semver's regexes let through (values past
/// 2^53 come out too large, and the comparator that holds them is then rejected, as in
/// node-semver).
fn plus_one(digits: &str) -> String {
    Number::parse(digits).map_or_else(|| "NaN".to_owned(), |n| n.increment().to_string())
}

/// The hyphen range rewrite (`HYPHENRANGE`, `hyphenReplace`), when the whole alternative is
/// `A - B` (each side a partial version with its `[v=\s]*` prefix).
fn hyphen(text: &Text) -> Option<Text> {
    let s = &text.bytes;
    let from_start = usize::from(s.first() == Some(&b' '));
    let (from_version, from_end) = side(s, from_start)?;
    if s.get(from_end..from_end + 3) != Some(b" - ") {
        return None;
    }
    let to_start = from_end + 3;
    let (to_version, to_end) = side(s, to_start)?;
    if !(to_end == s.len() || (to_end + 1 == s.len() && s.get(to_end) == Some(&b' '))) {
        return None;
    }
    let from_raw = std::str::from_utf8(s.get(from_start..from_end)?).ok()?;
    let (from, to) = (partial(from_version)?, partial(to_version)?);

    let lower = if is_x(Some(from.major)) {
        String::new()
    } else if is_x(from.minor) {
        format!(">={}.0.0-0", from.major)
    } else if is_x(from.patch) {
        format!(">={}.{}.0-0", from.major, from.minor.unwrap_or_default())
    } else if from.pre.is_some() {
        format!(">={from_raw}")
    } else {
        format!(">={from_raw}-0")
    };
    let (tm, tp) = (to.minor.unwrap_or_default(), to.patch.unwrap_or_default());
    let upper = if is_x(Some(to.major)) {
        String::new()
    } else if is_x(to.minor) {
        format!("<{}.0.0-0", plus_one(to.major))
    } else if is_x(to.patch) {
        format!("<{}.{}.0-0", to.major, plus_one(tm))
    } else if let Some(pre) = to.pre {
        format!("<={}.{tm}.{tp}-{pre}", to.major)
    } else {
        format!("<{}.{tm}.{}-0", to.major, plus_one(tp))
    };

    let mut out = Text::synthetic(&lower, text.offset(from_start, 0));
    if !lower.is_empty() && !upper.is_empty() {
        out.extend(&Text::synthetic(" ", text.offset(to_start, 0)));
    }
    out.extend(&Text::synthetic(&upper, text.offset(to_start, 0)));
    Some(out)
}

/// One side of a hyphen range from `start`: its version text (after the prefix) and its end.
fn side(s: &[u8], start: usize) -> Option<(&str, usize)> {
    let version_start = start + prefix_len(s.get(start..)?);
    let rest = s.get(version_start..)?;
    let end = version_start + rest.iter().position(|&c| c == b' ').unwrap_or(rest.len());
    let version = std::str::from_utf8(s.get(version_start..end)?).ok()?;
    Some((version, end))
}

/// Desugars one token: caret, else tilde, else x-range, else the token unchanged.
fn desugar(token: &str) -> String {
    if let Some(rest) = token.strip_prefix('^') {
        if let Some(p) = partial(&rest[prefix_len(rest.as_bytes())..]) {
            return caret(p);
        }
    } else if let Some(rest) = token.strip_prefix('~') {
        let rest = rest.strip_prefix('>').unwrap_or(rest);
        if let Some(p) = partial(&rest[prefix_len(rest.as_bytes())..]) {
            return tilde(p);
        }
    } else if let Some(out) = x_range(token) {
        return out;
    }
    token.to_owned()
}

/// `^M.m.p`: changes to the left-most non-zero component are excluded.
fn caret(p: Partial<'_>) -> String {
    let (major, minor, patch) = (
        p.major,
        p.minor.unwrap_or_default(),
        p.patch.unwrap_or_default(),
    );
    if is_x(Some(major)) {
        return String::new();
    }
    if is_x(p.minor) {
        return format!(">={major}.0.0-0 <{}.0.0-0", plus_one(major));
    }
    if is_x(p.patch) {
        return if major == "0" {
            format!(">={major}.{minor}.0-0 <{major}.{}.0-0", plus_one(minor))
        } else {
            format!(">={major}.{minor}.0-0 <{}.0.0-0", plus_one(major))
        };
    }
    let lower = match p.pre {
        Some(pre) => format!(">={major}.{minor}.{patch}-{pre}"),
        None => format!(">={major}.{minor}.{patch}"),
    };
    let upper = if major != "0" {
        format!("<{}.0.0-0", plus_one(major))
    } else if minor != "0" {
        format!("<{major}.{}.0-0", plus_one(minor))
    } else {
        format!("<{major}.{minor}.{}-0", plus_one(patch))
    };
    format!("{lower} {upper}")
}

/// `~M.m.p`: patch-level changes when a minor is given, minor-level changes otherwise.
fn tilde(p: Partial<'_>) -> String {
    let (major, minor, patch) = (
        p.major,
        p.minor.unwrap_or_default(),
        p.patch.unwrap_or_default(),
    );
    if is_x(Some(major)) {
        String::new()
    } else if is_x(p.minor) {
        format!(">={major}.0.0-0 <{}.0.0-0", plus_one(major))
    } else if is_x(p.patch) {
        format!(">={major}.{minor}.0-0 <{major}.{}.0-0", plus_one(minor))
    } else {
        let pre = p.pre.map(|pre| format!("-{pre}")).unwrap_or_default();
        format!(
            ">={major}.{minor}.{patch}{pre} <{major}.{}.0-0",
            plus_one(minor)
        )
    }
}

/// `XRANGE`: an optional operator, then a partial version; `None` when the token is not one.
/// A token that is one but has no X (`>=1.2.3`) comes back unchanged.
fn x_range(token: &str) -> Option<String> {
    let b = token.as_bytes();
    let mut op_len = usize::from(matches!(b.first(), Some(b'<' | b'>')));
    if b.get(op_len) == Some(&b'=') {
        op_len += 1;
    }
    let (op, rest) = token.split_at(op_len);
    let p = partial(&rest[prefix_len(rest.as_bytes())..])?;
    // `1.x.3` and `x.1`: an X followed by a number is left as written (and then rejected).
    if (is_x(Some(p.major)) && !is_x(p.minor))
        || (is_x(p.minor) && p.patch.is_some_and(|v| !is_x(Some(v))))
    {
        return Some(token.to_owned());
    }
    let x_major = is_x(Some(p.major));
    let x_minor = x_major || is_x(p.minor);
    let x_patch = x_minor || is_x(p.patch);
    if !x_patch {
        return Some(token.to_owned());
    }
    let op = if op == "=" { "" } else { op };
    let (major, minor) = (p.major, p.minor.unwrap_or_default());
    if x_major {
        return Some(
            if matches!(op, "<" | ">") {
                "<0.0.0-0"
            } else {
                "*"
            }
            .to_owned(),
        );
    }
    Some(match op {
        "" if x_minor => format!(">={major}.0.0-0 <{}.0.0-0", plus_one(major)),
        "" => format!(">={major}.{minor}.0-0 <{major}.{}.0-0", plus_one(minor)),
        // `>1` is `>=2.0.0-0`, `>1.2` is `>=1.3.0-0`.
        ">" if x_minor => format!(">={}.0.0-0", plus_one(major)),
        ">" => format!(">={major}.{}.0-0", plus_one(minor)),
        // `<=1` is `<2.0.0-0`, `<=1.2` is `<1.3.0-0`: every 1.x is in.
        "<=" if x_minor => format!("<{}.0.0-0", plus_one(major)),
        "<=" => format!("<{major}.{}.0-0", plus_one(minor)),
        _ if x_minor => format!("{op}{major}.0.0-0"),
        _ => format!("{op}{major}.{minor}.0-0"),
    })
}

/// `replaceStars`: removes the first `*` together with an operator right before it
/// (`(<|>)?=?\s*\*`), so `*` and `>=*` are any version and `1.2.3-a*` is `1.2.3-a`.
fn drop_star(s: &str) -> String {
    let s = s.trim_matches(' ');
    let b = s.as_bytes();
    for i in 0..b.len() {
        // Each optional part is taken when present: leaving it out never lets `*` match.
        let mut j = i + usize::from(matches!(b.get(i), Some(b'<' | b'>')));
        j += usize::from(b.get(j) == Some(&b'='));
        j += usize::from(b.get(j) == Some(&b' '));
        if b.get(j) == Some(&b'*') {
            return format!("{}{}", &s[..i], &s[j + 1..]);
        }
    }
    s.to_owned()
}
