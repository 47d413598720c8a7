//! The PEP 440 version parser: a hand-written transcription of `packaging`'s
//! `VERSION_PATTERN`, which reports where and why a string is not a version.
//!
//! The regular expression is greedy, and every choice it makes is final (`packaging` marks its
//! groups possessive): a separator after `a` is taken by the pre-release, `-1` right after the
//! release is an implicit post-release, and so on. Reading left to right with the same greedy
//! choices accepts the same strings, with the same groups.

use std::borrow::Cow;

use super::{LocalSegment, Parts, PreKind, SYNTAX};
use crate::error::VersionError;
use crate::number::Number;

/// Whether `c` is whitespace for Python's `str.strip()` and `\s`: Unicode White_Space plus the
/// information separators U+001C..U+001F, which Python counts and Rust does not.
pub(super) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `s` without surrounding Python whitespace.
pub(super) fn trim(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Parses a PEP 440 version with optional surrounding whitespace.
pub(super) fn parse(input: &str) -> Result<Parts, VersionError> {
    parse_exact(trim(input)).map_err(|(at, reason)| {
        VersionError::new(
            SYNTAX,
            input,
            format!("{reason} (at byte {at} of {input:?})"),
        )
    })
}

/// Parses exactly a PEP 440 version, no surrounding whitespace. Errors carry the byte offset
/// into `s` where parsing stopped.
pub(super) fn parse_exact(s: &str) -> Result<Parts, (usize, Cow<'static, str>)> {
    let mut c = Cursor {
        s: s.as_bytes(),
        at: 0,
    };
    if s.is_empty() {
        return Err((0, "empty; expected a version such as 1.0".into()));
    }
    c.eat_any(b"vV");
    let mut epoch = Number::ZERO;
    let save = c.at;
    if let Some(n) = c.number() {
        if c.eat(b'!') {
            epoch = n;
        } else {
            c.at = save;
        }
    }
    let mut release = Vec::new();
    match c.number() {
        Some(n) => release.push(n),
        None => return Err((c.at, c.expected("a release number"))),
    }
    while c.peek() == Some(b'.') && c.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
        c.at += 1;
        release.extend(c.number());
    }
    let pre = c.pre();
    let post = c.post();
    let dev = c.letter_number(&["dev"]).map(|(_, n)| n);
    let local = c.local()?;
    if c.at < c.s.len() {
        return Err((
            c.at,
            c.expected("a pre-release (a, b, rc), .postN, .devN, +local or the end"),
        ));
    }
    Ok(Parts {
        epoch,
        release,
        pre,
        post,
        dev,
        local,
    })
}

struct Cursor<'a> {
    s: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.s.get(self.at + ahead).map(u8::to_ascii_lowercase)
    }

    fn eat(&mut self, b: u8) -> bool {
        self.eat_any(&[b])
    }

    fn eat_any(&mut self, set: &[u8]) -> bool {
        match self.s.get(self.at) {
            Some(b) if set.contains(b) => {
                self.at += 1;
                true
            }
            _ => false,
        }
    }

    fn eat_separator(&mut self) -> bool {
        self.eat_any(b"._-")
    }

    fn number(&mut self) -> Option<Number> {
        let start = self.at;
        while self.s.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let digits = std::str::from_utf8(self.s.get(start..self.at)?).ok()?;
        Number::parse(digits)
    }

    /// Eats the first of `words` (case-insensitively) found here; alternatives are tried in
    /// order, as the regular expression's alternation does.
    fn word(&mut self, words: &[&'static str]) -> Option<&'static str> {
        for word in words {
            let end = self.at + word.len();
            if self
                .s
                .get(self.at..end)
                .is_some_and(|w| w.eq_ignore_ascii_case(word.as_bytes()))
            {
                self.at = end;
                return Some(word);
            }
        }
        None
    }

    /// `[._-]?(word)[._-]?(digits)?`, the shape of every suffix; a missing number is 0.
    fn letter_number(&mut self, words: &[&'static str]) -> Option<(&'static str, Number)> {
        let save = self.at;
        self.eat_separator();
        let Some(word) = self.word(words) else {
            self.at = save;
            return None;
        };
        self.eat_separator();
        Some((word, self.number().unwrap_or(Number::ZERO)))
    }

    fn pre(&mut self) -> Option<(PreKind, Number)> {
        let words = ["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"];
        let (word, n) = self.letter_number(&words)?;
        let kind = match word {
            "alpha" | "a" => PreKind::Alpha,
            "beta" | "b" => PreKind::Beta,
            _ => PreKind::Rc,
        };
        Some((kind, n))
    }

    fn post(&mut self) -> Option<Number> {
        // `1.0-1`: the implicit post-release, tried first as in the regular expression.
        if self.peek() == Some(b'-') && self.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
            return self.number();
        }
        self.letter_number(&["post", "rev", "r"]).map(|(_, n)| n)
    }

    fn local(&mut self) -> Result<Option<Vec<LocalSegment>>, (usize, Cow<'static, str>)> {
        if !self.eat(b'+') {
            return Ok(None);
        }
        let mut segments = Vec::new();
        loop {
            let start = self.at;
            while self.s.get(self.at).is_some_and(u8::is_ascii_alphanumeric) {
                self.at += 1;
            }
            let text = self.s.get(start..self.at).unwrap_or_default();
            if text.is_empty() {
                return Err((
                    self.at,
                    self.expected("a local version segment (letters, digits)"),
                ));
            }
            let text = String::from_utf8_lossy(text).to_ascii_lowercase();
            segments.push(match Number::parse(&text) {
                Some(n) => LocalSegment::Number(n),
                None => LocalSegment::Text(text.into()),
            });
            if !self.eat_separator() {
                return Ok(Some(segments));
            }
        }
    }

    /// "found X; expected `what`", naming what is at the cursor.
    fn expected(&self, what: &str) -> Cow<'static, str> {
        let rest = self.s.get(self.at..).unwrap_or_default();
        let found = match std::str::from_utf8(rest) {
            Ok("") => "the end".to_owned(),
            Ok(rest) => format!("{:?}", rest.chars().take(12).collect::<String>()),
            Err(_) => "a non-UTF-8 byte".to_owned(),
        };
        format!("found {found}; expected {what}").into()
    }
}
