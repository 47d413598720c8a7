//! Lines of JSON object keys, for the `package-lock.json` reader: `serde_json` keeps no
//! positions, so one pass over the text (already validated by `serde_json`) records where the
//! keys the caller wants start.
//!
//! The scan knows strings and their escapes (a `{`, `"` or newline inside a string is text),
//! keeps an explicit stack (no recursion, so no depth limit of its own), and borrows key text
//! unless it holds an escape. It never panics, on any input.

use std::borrow::Cow;

/// A key and the line its opening quote is on.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Located {
    /// The keys from the document's top object down to this one, unescaped.
    pub(super) path: Vec<String>,
    /// 1-based line.
    pub(super) line: u32,
}

struct Frame {
    object: bool,
    /// Whether this container pushed a component onto `path`.
    named: bool,
    /// In an object: the next string is a key.
    expect_key: bool,
}

/// Every key of an object whose own path (the keys leading to it) satisfies `want`, in
/// document order. Keys inside arrays are never recorded.
pub(super) fn locate(text: &str, want: impl Fn(&[Cow<'_, str>]) -> bool) -> Vec<Located> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<Cow<'_, str>> = Vec::new();
    let mut in_arrays = 0usize;
    let mut pending: Option<Cow<'_, str>> = None;
    let mut line = 1u32;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => line = line.saturating_add(1),
            b'{' | b'[' => {
                let object = b == b'{';
                let key = pending.take();
                let named = key.is_some() && in_arrays == 0;
                if let (true, Some(key)) = (named, key) {
                    path.push(key);
                }
                if !object {
                    in_arrays += 1;
                }
                stack.push(Frame {
                    object,
                    named,
                    expect_key: object,
                });
            }
            b'}' | b']' => {
                if let Some(frame) = stack.pop() {
                    if frame.named {
                        path.pop();
                    }
                    if !frame.object {
                        in_arrays = in_arrays.saturating_sub(1);
                    }
                }
            }
            b',' => {
                if let Some(frame) = stack.last_mut() {
                    frame.expect_key = frame.object;
                }
            }
            b'"' => {
                let start = i + 1;
                let (end, escaped) = string_end(bytes, start);
                let raw = text.get(start..end).unwrap_or_default();
                let is_key = stack.last().is_some_and(|f| f.object && f.expect_key);
                if is_key {
                    if let Some(frame) = stack.last_mut() {
                        frame.expect_key = false;
                    }
                    let key = if escaped {
                        Cow::Owned(unescape(text.get(i..=end).unwrap_or_default(), raw))
                    } else {
                        Cow::Borrowed(raw)
                    };
                    if in_arrays == 0 && want(&path) {
                        let mut full: Vec<String> = path.iter().map(|k| k.to_string()).collect();
                        full.push(key.to_string());
                        found.push(Located { path: full, line });
                    }
                    pending = Some(key);
                } else {
                    pending = None;
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The index of the closing quote of the string starting at `start` (or the end of the text),
/// and whether the string holds an escape.
fn string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut escaped = false;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => {
                escaped = true;
                i += 2;
                continue;
            }
            b'"' => return (i, escaped),
            _ => i += 1,
        }
    }
    (bytes.len(), escaped)
}

/// The value of a quoted JSON string with escapes (`quoted` includes the quotes); `raw` if it
/// is not valid JSON, which cannot happen after `serde_json` accepted the document.
fn unescape(quoted: &str, raw: &str) -> String {
    serde_json::from_str(quoted).unwrap_or_else(|_| raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, u32)> {
        locate(text, |_| true)
            .into_iter()
            .map(|l| (l.path.join("/"), l.line))
            .collect()
    }

    #[test]
    fn strings_escapes_and_arrays_do_not_confuse_it() {
        let text = "{\n \"a\": {\"b\\\"{\": \"x\\\\\",\n  \"c\": [{\"no\": 1}, \"}\"],\n  \"d\\u0065\": {\"e\": null}\n },\n \"f\": 1\n}";
        assert_eq!(
            keys(text),
            [
                ("a".into(), 2),
                ("a/b\"{".into(), 2),
                ("a/c".into(), 3),
                ("a/de".into(), 4),
                ("a/de/e".into(), 4),
                ("f".into(), 6)
            ]
        );
    }

    #[test]
    fn only_wanted_parents_are_recorded() {
        let text = "{\"packages\": {\"\": {}, \"node_modules/a\": {\"version\": \"1\"}}}";
        let found: Vec<_> = locate(text, |p| p.len() == 1 && p[0] == "packages")
            .into_iter()
            .map(|l| l.path)
            .collect();
        assert_eq!(
            found,
            [vec!["packages", ""], vec!["packages", "node_modules/a"]]
        );
    }

    #[test]
    fn truncated_input_does_not_panic() {
        for text in ["{\"a", "{\"a\\", "\"", "{\"a\":{\"b\":[", "}}]]"] {
            let _ = keys(text);
        }
    }
}
