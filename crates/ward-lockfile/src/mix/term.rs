//! The subset of Elixir terms `mix.lock` is written in: maps (`%{k => v}` and keyword keys
//! `"k": v` / `k: v`), tuples, lists (with keyword items), atoms (`:a`, `:"a-b"`, `true`,
//! `false`, `nil`), strings with escapes, and numbers; `#` comments. Every term knows its
//! line. Nesting is limited to [`MAX_DEPTH`], so no input can exhaust the stack.

/// How deeply terms may nest (real lockfiles use 4).
const MAX_DEPTH: usize = 64;

/// A term and the line it starts on.
#[derive(Debug, PartialEq)]
pub(super) struct Node {
    pub(super) line: u32,
    pub(super) term: Term,
}

#[derive(Debug, PartialEq)]
pub(super) enum Term {
    Map(Vec<(Node, Node)>),
    Tuple(Vec<Node>),
    /// Keyword items are two-element tuples, as in Elixir.
    List(Vec<Node>),
    Atom(String),
    Str(String),
    Number(String),
}

/// A syntax error: what was expected, and the line.
#[derive(Debug, PartialEq)]
pub(super) struct SyntaxError {
    pub(super) line: u32,
    pub(super) message: String,
}

/// Parses one term filling the whole text (whitespace and comments aside).
pub(super) fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut parser = Parser {
        text,
        pos: 0,
        line: 1,
    };
    let node = parser.term(0)?;
    parser.skip_blank();
    match parser.peek() {
        None => Ok(node),
        Some(_) => Err(parser.error("the end of the file after the term")),
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    line: u32,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line = self.line.saturating_add(1);
        }
        Some(b)
    }

    fn skip_blank(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => {
                    self.bump();
                }
                b'#' => {
                    while self.peek().is_some_and(|b| b != b'\n') {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
    }

    fn error(&self, expected: &str) -> SyntaxError {
        let found = match self.rest().chars().next() {
            None => "the end of the file".to_owned(),
            Some(c) => format!("`{c}`"),
        };
        SyntaxError {
            line: self.line,
            message: format!("expected {expected}, found {found}"),
        }
    }

    fn expect(&mut self, token: &str, what: &str) -> Result<(), SyntaxError> {
        self.skip_blank();
        if self.rest().starts_with(token) {
            for _ in 0..token.len() {
                self.bump();
            }
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn term(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error(&format!("terms nested at most {MAX_DEPTH} deep")));
        }
        self.skip_blank();
        let line = self.line;
        let term = match self.peek() {
            Some(b'%') => {
                self.expect("%{", "`%{`")?;
                let mut pairs = Vec::new();
                self.sequence(b'}', "`,` or `}` in the map", |p| {
                    pairs.push(p.pair(depth + 1)?);
                    Ok(())
                })?;
                Term::Map(pairs)
            }
            Some(b'{') => {
                self.bump();
                let mut items = Vec::new();
                self.sequence(b'}', "`,` or `}` in the tuple", |p| {
                    items.push(p.term(depth + 1)?);
                    Ok(())
                })?;
                Term::Tuple(items)
            }
            Some(b'[') => {
                self.bump();
                let mut items = Vec::new();
                self.sequence(b']', "`,` or `]` in the list", |p| {
                    items.push(p.list_item(depth + 1)?);
                    Ok(())
                })?;
                Term::List(items)
            }
            Some(b'"') => Term::Str(self.string()?),
            Some(b':') => {
                self.bump();
                match self.peek() {
                    Some(b'"') => Term::Atom(self.string()?),
                    _ => Term::Atom(
                        self.identifier()
                            .ok_or_else(|| self.error("an atom name"))?,
                    ),
                }
            }
            Some(b) if b.is_ascii_digit() || b == b'-' => Term::Number(self.number()),
            Some(b) if b.is_ascii_lowercase() => {
                let word = self.identifier().unwrap_or_default();
                match word.as_str() {
                    "true" | "false" | "nil" => Term::Atom(word),
                    _ => {
                        return Err(SyntaxError {
                            line,
                            message: format!("expected a term, found the name `{word}`"),
                        });
                    }
                }
            }
            _ => return Err(self.error("a term (map, tuple, list, atom, string or number)")),
        };
        Ok(Node { line, term })
    }

    /// Items separated by commas (a trailing one allowed) up to `close`.
    fn sequence(
        &mut self,
        close: u8,
        what: &str,
        mut item: impl FnMut(&mut Self) -> Result<(), SyntaxError>,
    ) -> Result<(), SyntaxError> {
        loop {
            self.skip_blank();
            if self.peek() == Some(close) {
                self.bump();
                return Ok(());
            }
            item(self)?;
            self.skip_blank();
            match self.peek() {
                Some(b',') => {
                    self.bump();
                }
                Some(b) if b == close => {}
                _ => return Err(self.error(what)),
            }
        }
    }

    /// A keyword key (`"a": `, `a: `) as an atom node, if one is next.
    fn keyword_key(&mut self) -> Result<Option<Node>, SyntaxError> {
        self.skip_blank();
        let (start, line) = (self.pos, self.line);
        let key = match self.peek() {
            Some(b'"') => self.string()?,
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                self.identifier().unwrap_or_default()
            }
            _ => return Ok(None),
        };
        let after = self.rest().as_bytes();
        if after.first() == Some(&b':') && after.get(1).is_none_or(u8::is_ascii_whitespace) {
            self.bump();
            return Ok(Some(Node {
                line,
                term: Term::Atom(key),
            }));
        }
        // Not a keyword key: read it again as a term.
        self.pos = start;
        self.line = line;
        Ok(None)
    }

    fn pair(&mut self, depth: usize) -> Result<(Node, Node), SyntaxError> {
        if let Some(key) = self.keyword_key()? {
            return Ok((key, self.term(depth)?));
        }
        let key = self.term(depth)?;
        self.expect("=>", "`=>` or a keyword key (`\"name\": `)")?;
        Ok((key, self.term(depth)?))
    }

    fn list_item(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        match self.keyword_key()? {
            Some(key) => {
                let line = key.line;
                let value = self.term(depth)?;
                Ok(Node {
                    line,
                    term: Term::Tuple(vec![key, value]),
                })
            }
            None => self.term(depth),
        }
    }

    fn identifier(&mut self) -> Option<String> {
        let start = self.pos;
        if !self
            .peek()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        {
            return None;
        }
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'@')
        {
            self.bump();
        }
        if matches!(self.peek(), Some(b'?' | b'!')) {
            self.bump();
        }
        self.text.get(start..self.pos).map(str::to_owned)
    }

    fn number(&mut self) -> String {
        let start = self.pos;
        self.bump();
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            self.bump();
        }
        self.text
            .get(start..self.pos)
            .unwrap_or_default()
            .to_owned()
    }

    /// A double-quoted string, unescaped (`\"`, `\\`, `\n`, `\t`, `\r`; others as written).
    fn string(&mut self) -> Result<String, SyntaxError> {
        let line = self.line;
        self.bump();
        let mut out = String::new();
        loop {
            let Some(c) = self.rest().chars().next() else {
                return Err(SyntaxError {
                    line,
                    message: "expected the `\"` closing this string".into(),
                });
            };
            for _ in 0..c.len_utf8() {
                self.bump();
            }
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let Some(escaped) = self.rest().chars().next() else {
                        continue;
                    };
                    for _ in 0..escaped.len_utf8() {
                        self.bump();
                    }
                    out.push(match escaped {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        other => other,
                    });
                }
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_lists_quoted_atoms_and_lines() {
        let node =
            parse("%{\n  \"a-b\": {:hex, :\"a-b\", [x: 1, \"y z\": nil]},\n  1 => -2.5 # c\n}")
                .expect("parses");
        let Term::Map(pairs) = node.term else {
            panic!("{node:?}")
        };
        assert_eq!(pairs[0].0.line, 2);
        assert_eq!(pairs[0].0.term, Term::Atom("a-b".into()));
        let Term::Tuple(items) = &pairs[0].1.term else {
            panic!()
        };
        assert_eq!(items[1].term, Term::Atom("a-b".into()));
        assert_eq!(pairs[1].0.line, 3);
        assert_eq!(pairs[1].1.term, Term::Number("-2.5".into()));
    }

    #[test]
    fn errors_say_what_was_expected() {
        let error = |text: &str| parse(text).expect_err(text).message;
        assert_eq!(
            error("%{\"a\": {:hex"),
            "expected `,` or `}` in the tuple, found the end of the file"
        );
        assert_eq!(error("%{:a => b}"), "expected a term, found the name `b`");
        assert_eq!(error("\"abc"), "expected the `\"` closing this string");
        assert_eq!(
            error("%{} x"),
            "expected the end of the file after the term, found `x`"
        );
        let deep = "[".repeat(100);
        assert!(error(&deep).contains("nested at most 64 deep"));
    }
}
