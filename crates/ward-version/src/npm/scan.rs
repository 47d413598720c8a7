//! The text layer of the npm range pipeline: a byte string that remembers where each byte came
//! from in the user's input (so errors can name a column after rewriting), and the matchers
//! that stand in for node-semver's regular expressions.
//!
//! node-semver matches with JavaScript regexes whose quantifiers are capped (`safeRe`: a digit
//! run at most 256 long, an identifier tail at most 250). Every matcher here states which regex
//! it replaces and keeps those caps, because they decide validity at the edges.

use super::is_js_space;

/// `MAX_LENGTH`: the cap on digit runs in node-semver's safe regexes.
const MAX_DIGITS: usize = 256;
/// `MAX_SAFE_BUILD_LENGTH`: the cap on identifier tails in node-semver's safe regexes.
const MAX_TAIL: usize = 250;

/// Bytes of (rewritten) range text, each with the byte offset in the original input that it
/// came from. Bytes created by desugaring carry the offset of what they replaced.
#[derive(Debug, Clone, Default)]
pub(super) struct Text {
    pub(super) bytes: Vec<u8>,
    pub(super) origin: Vec<usize>,
}

impl Text {
    /// `range.trim().replace(/\s+/g, ' ')`, with ECMAScript's notion of whitespace.
    pub(super) fn normalized(input: &str) -> Text {
        let mut text = Text::default();
        let trimmed_start = input.len() - input.trim_start_matches(is_js_space).len();
        let body = input.trim_matches(is_js_space);
        let mut in_space = false;
        for (i, c) in body.char_indices() {
            let at = trimmed_start + i;
            if is_js_space(c) {
                if !in_space {
                    text.push(b' ', at);
                }
                in_space = true;
                continue;
            }
            in_space = false;
            let mut buf = [0u8; 4];
            for (k, b) in c.encode_utf8(&mut buf).bytes().enumerate() {
                text.push(b, at + k);
            }
        }
        text
    }

    /// A text of new bytes that all stand for the input at `origin`.
    pub(super) fn synthetic(s: &str, origin: usize) -> Text {
        Text {
            bytes: s.as_bytes().to_vec(),
            origin: vec![origin; s.len()],
        }
    }

    fn push(&mut self, byte: u8, origin: usize) {
        self.bytes.push(byte);
        self.origin.push(origin);
    }

    /// Appends `other`.
    pub(super) fn extend(&mut self, other: &Text) {
        self.bytes.extend_from_slice(&other.bytes);
        self.origin.extend_from_slice(&other.origin);
    }

    pub(super) fn slice(&self, start: usize, end: usize) -> Text {
        Text {
            bytes: self.bytes.get(start..end).unwrap_or_default().to_vec(),
            origin: self.origin.get(start..end).unwrap_or_default().to_vec(),
        }
    }

    /// The input offset of byte `i`, or of the end of this text when `i` is past it.
    pub(super) fn offset(&self, i: usize, fallback: usize) -> usize {
        match self.origin.get(i) {
            Some(&o) => o,
            None => self.origin.last().map_or(fallback, |&o| o + 1),
        }
    }

    /// The text without the bytes whose `drop` flag is set.
    pub(super) fn without(&self, drop: &[bool]) -> Text {
        let mut out = Text::default();
        for (i, (&b, &o)) in self.bytes.iter().zip(&self.origin).enumerate() {
            if !drop.get(i).copied().unwrap_or(false) {
                out.push(b, o);
            }
        }
        out
    }

    /// The text with the spaces at both ends removed (`String.prototype.trim` after
    /// normalization, where the only whitespace left is `' '`).
    pub(super) fn trimmed(&self) -> Text {
        let start = self.bytes.iter().position(|&b| b != b' ');
        let Some(start) = start else {
            return Text::default();
        };
        let end = self
            .bytes
            .iter()
            .rposition(|&b| b != b' ')
            .map_or(start, |e| e + 1);
        self.slice(start, end)
    }

    /// `split(sep)`, as JavaScript splits: empty pieces included.
    pub(super) fn split(&self, sep: &[u8]) -> Vec<Text> {
        let mut pieces = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i + sep.len() <= self.bytes.len() {
            if self.bytes.get(i..i + sep.len()) == Some(sep) {
                pieces.push(self.slice(start, i));
                i += sep.len();
                start = i;
            } else {
                i += 1;
            }
        }
        pieces.push(self.slice(start, self.bytes.len()));
        pieces
    }

    pub(super) fn as_string(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// Removes every build metadata suffix: `range.replace(/\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)/g,
/// '')`, before anything else, so `1.2.3+build` means `1.2.3` anywhere in a range.
pub(super) fn strip_builds(text: &Text) -> Text {
    let s = &text.bytes;
    let mut drop = vec![false; s.len()];
    let mut i = 0;
    while i < s.len() {
        if at(s, i) == b'+' && is_ident(at(s, i + 1)) {
            let mut end = i + 1;
            loop {
                while is_ident(at(s, end)) {
                    end += 1;
                }
                if at(s, end) == b'.' && is_ident(at(s, end + 1)) {
                    end += 1;
                } else {
                    break;
                }
            }
            for d in drop.iter_mut().take(end).skip(i) {
                *d = true;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    text.without(&drop)
}

/// A partial version as node-semver's `XRANGEPLAIN` captures it: `M[.m[.p[-pre]]]`, where each
/// number may be `x`, `X` or `*` and missing parts are "undefined" (both count as X).
#[derive(Debug, Clone, Copy)]
pub(super) struct Partial<'a> {
    pub(super) major: &'a str,
    pub(super) minor: Option<&'a str>,
    pub(super) patch: Option<&'a str>,
    pub(super) pre: Option<&'a str>,
}

/// node-semver's `isX`: missing, `x`, `X` or `*`.
pub(super) fn is_x(part: Option<&str>) -> bool {
    matches!(part, None | Some("" | "x" | "X" | "*"))
}

/// Matches all of `s` against `XRANGEPLAIN` without its `[v=\s]*` prefix (callers strip it).
/// Build metadata never reaches here: [`strip_builds`] removed it.
pub(super) fn partial(s: &str) -> Option<Partial<'_>> {
    let (core, pre) = match s.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (s, None),
    };
    let mut parts = core.split('.');
    let major = parts.next().filter(|p| is_xid(p))?;
    let minor = parts.next();
    let patch = parts.next();
    if parts.next().is_some() || !minor.is_none_or(is_xid) || !patch.is_none_or(is_xid) {
        return None;
    }
    if let Some(pre) = pre {
        // A pre-release only follows a third component.
        if patch.is_none() || !pre.split('.').all(is_pre_identifier) {
            return None;
        }
    }
    Some(Partial {
        major,
        minor,
        patch,
        pre,
    })
}

/// `XRANGEIDENTIFIER`: `0|[1-9]\d{0,256}|x|X|\*`.
fn is_xid(s: &str) -> bool {
    matches!(s, "x" | "X" | "*") || is_numeric_identifier(s)
}

/// `NUMERICIDENTIFIER`: `0|[1-9]\d{0,256}`.
fn is_numeric_identifier(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        Some(b'0') => b.len() == 1,
        Some(b'1'..=b'9') => b.len() <= MAX_DIGITS + 1 && b.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// `PRERELEASEIDENTIFIER`: `\d{0,256}[a-zA-Z-][a-zA-Z0-9-]{0,250}` or a numeric identifier.
fn is_pre_identifier(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.iter().copied().all(is_ident) {
        return false;
    }
    match b.iter().position(|c| !c.is_ascii_digit()) {
        Some(first) => first <= MAX_DIGITS && b.len() - first - 1 <= MAX_TAIL,
        None => is_numeric_identifier(s),
    }
}

/// The length of the `[v=\s]*` prefix node-semver allows before a version in ranges.
pub(super) fn prefix_len(s: &[u8]) -> usize {
    s.iter()
        .take_while(|&&c| matches!(c, b'v' | b'=' | b' '))
        .count()
}

/// The bytes node-semver's comparator-whitespace trim removes (`> 1.2.3` → `>1.2.3`): the one
/// space right after an operator, where a version follows. node-semver 7.8 does this with a
/// scanner that reproduces its former `COMPARATORTRIM` regex's match boundaries; so does this,
/// since the boundaries decide which later spaces count as "after an operator".
pub(super) fn comparator_trim(text: &Text) -> Text {
    let s = &text.bytes;
    let mut drop = vec![false; s.len()];
    let is_prefix = |c: u8| matches!(c, b'v' | b'=' | b' ');
    let mut cursor = 0;
    while cursor < s.len() {
        let start = cursor;
        let c = at(s, cursor);
        if c == b'<' || c == b'>' {
            cursor += 1;
        } else if !is_prefix(c) && !is_version_start(c) {
            cursor += 1;
            continue;
        }
        while cursor < s.len() && is_prefix(at(s, cursor)) {
            cursor += 1;
        }
        if !is_version_start(at(s, cursor)) {
            continue;
        }
        if let Some(space) = removable_space(s, start)
            && let Some(d) = drop.get_mut(space)
        {
            *d = true;
        }
        cursor = version_end(s, cursor);
    }
    text.without(&drop)
}

fn is_version_start(c: u8) -> bool {
    c.is_ascii_digit() || matches!(c, b'x' | b'X' | b'*')
}

/// After optional leading space, `<`/`>` and `=`: the space the trim removes, if any.
fn removable_space(s: &[u8], start: usize) -> Option<usize> {
    let mut p = start;
    if at(s, p) == b' ' {
        p += 1;
    }
    if matches!(at(s, p), b'<' | b'>') {
        p += 1;
    }
    if at(s, p) == b'=' {
        p += 1;
    }
    (at(s, p) == b' ').then_some(p)
}

/// End of a digit run starting at `i`, at most `limit` digits long.
fn digits_end(s: &[u8], i: usize, limit: usize) -> usize {
    let run = s
        .iter()
        .skip(i)
        .take(limit)
        .take_while(|c| c.is_ascii_digit())
        .count();
    i + run
}

fn number_end(s: &[u8], i: usize, loose: bool) -> usize {
    if !loose && at(s, i) == b'0' {
        return i + 1;
    }
    digits_end(s, i, if loose { MAX_DIGITS } else { MAX_DIGITS + 1 })
}

fn pre_identifier_end(s: &[u8], i: usize, loose: bool) -> usize {
    let digits = digits_end(s, i, MAX_DIGITS);
    let c = at(s, digits);
    if c.is_ascii_alphabetic() || c == b'-' {
        let mut end = digits + 1;
        let limit = end + MAX_TAIL;
        while end < limit && is_ident(at(s, end)) {
            end += 1;
        }
        return end;
    }
    number_end(s, i, loose)
}

fn prerelease_end(s: &[u8], i: usize, loose: bool) -> usize {
    let hyphen = at(s, i) == b'-';
    if !loose && !hyphen {
        return i;
    }
    let id_start = i + usize::from(hyphen);
    let mut end = pre_identifier_end(s, id_start, loose);
    if end == id_start {
        if !loose || !hyphen {
            return i;
        }
        end = pre_identifier_end(s, i, loose);
    }
    while at(s, end) == b'.' {
        let next = pre_identifier_end(s, end + 1, loose);
        if next == end + 1 {
            break;
        }
        end = next;
    }
    end
}

fn build_identifier_end(s: &[u8], i: usize) -> usize {
    i + s
        .iter()
        .skip(i)
        .take(MAX_TAIL)
        .take_while(|&&c| is_ident(c))
        .count()
}

fn build_end(s: &[u8], i: usize) -> usize {
    if at(s, i) != b'+' {
        return i;
    }
    let mut end = build_identifier_end(s, i + 1);
    if end == i + 1 {
        return i;
    }
    while at(s, end) == b'.' {
        let next = build_identifier_end(s, end + 1);
        if next == end + 1 {
            break;
        }
        end = next;
    }
    end
}

/// `LOOSEPLAIN` without prefix: three numbers (leading zeros allowed), loose pre, build.
fn loose_full_end(s: &[u8], start: usize) -> usize {
    let mut end = start;
    for component in 0..3 {
        let next = number_end(s, end, true);
        if next == end {
            return start;
        }
        end = next;
        if component < 2 {
            if at(s, end) != b'.' {
                return start;
            }
            end += 1;
        }
    }
    build_end(s, prerelease_end(s, end, true))
}

fn partial_component_end(s: &[u8], i: usize) -> usize {
    let c = at(s, i);
    if c.is_ascii_digit() {
        number_end(s, i, false)
    } else if is_version_start(c) {
        i + 1
    } else {
        i
    }
}

/// `XRANGEPLAIN` without prefix, unanchored.
fn partial_end(s: &[u8], start: usize) -> usize {
    let mut end = partial_component_end(s, start);
    for _ in 0..2 {
        if at(s, end) != b'.' {
            return end;
        }
        let next = partial_component_end(s, end + 1);
        if next == end + 1 {
            return end;
        }
        end = next;
    }
    build_end(s, prerelease_end(s, end, false))
}

fn version_end(s: &[u8], start: usize) -> usize {
    let full = loose_full_end(s, start);
    if full == start {
        partial_end(s, start)
    } else {
        full
    }
}

/// `range.replace(/(\s*)~>?\s+/g, '$1~')` then `range.replace(/(\s*)\^\s+/g, '$1^')`:
/// `~ 1.2`, `~> 1.2` → `~1.2` (dropping the `>`), `^ 1.2` → `^1.2`.
pub(super) fn tilde_caret_trim(text: &Text) -> Text {
    let s = &text.bytes;
    let mut drop = vec![false; s.len()];
    let mut i = 0;
    while i < s.len() {
        if at(s, i) == b'~' {
            if at(s, i + 1) == b'>' && at(s, i + 2) == b' ' {
                drop[i + 1] = true;
                drop[i + 2] = true;
                i += 3;
                continue;
            }
            if at(s, i + 1) == b' ' {
                drop[i + 1] = true;
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    let text = text.without(&drop);
    let s = &text.bytes;
    let mut drop = vec![false; s.len()];
    for i in 0..s.len() {
        if at(s, i) == b'^' && at(s, i + 1) == b' ' {
            drop[i + 1] = true;
        }
    }
    text.without(&drop)
}
