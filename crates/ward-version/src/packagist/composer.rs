//! Composer's `VersionParser` grammar, reimplemented without regular expressions: the
//! version pattern its constraint forms share, and `normalize` (`1.2-b1` -> `1.2.0.0-beta1`).

/// Composer's stability words in its regex's alternation order (longest match first where
/// one is a prefix of another: `beta` before `b`, `patch` and `pl` before `p`).
const STABILITIES: [&str; 9] = [
    "stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p",
];

/// What Composer's version pattern captured.
#[derive(Debug, Default, Clone)]
pub(super) struct Captures<'a> {
    /// One to four runs of digits.
    pub numbers: Vec<&'a str>,
    /// The stability word as written (`b`, `RC`, `patch`, ...).
    pub stability: Option<&'a str>,
    /// The digits after the stability word, with their separators (`.1`, `-2.3`).
    pub stability_number: &'a str,
    /// Whether a `dev` suffix followed.
    pub dev: bool,
    /// A `.x-dev` / `.*` branch suffix (only in the constraint pattern).
    pub x_dev: bool,
}

fn digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// `[._-]?(?:(STABILITY)((?:[.-]?\d+)*+)?)?([.-]?dev)?` followed by `tail`, which must
/// accept what is left. Tries the alternatives in the regex's order.
fn modifier<'a>(
    s: &'a str,
    case_insensitive: bool,
    tail: &dyn Fn(&'a str) -> bool,
) -> Option<(Option<&'a str>, &'a str, bool)> {
    let separators: &[usize] = if s.starts_with(['.', '_', '-']) {
        &[1, 0]
    } else {
        &[0]
    };
    for &sep in separators {
        let rest = s.get(sep..)?;
        // With a stability word, in alternation order; then without one.
        for word in STABILITIES.iter().map(Some).chain([None]) {
            let (stability, after_word) = match word {
                Some(w) => {
                    let matches = if case_insensitive {
                        starts_with_ignore_case(rest, w)
                    } else {
                        rest.starts_with(w)
                    };
                    if !matches {
                        continue;
                    }
                    (rest.get(..w.len()), rest.get(w.len()..)?)
                }
                None => (None, rest),
            };
            // `((?:[.-]?\d+)*+)`, possessive: take every number greedily, never give back.
            let mut number_end = 0;
            if stability.is_some() {
                loop {
                    let at = after_word.get(number_end..)?;
                    let skip = usize::from(at.starts_with(['.', '-']));
                    let n = digits(at.get(skip..)?);
                    if n == 0 {
                        break;
                    }
                    number_end += skip + n;
                }
            }
            let number = after_word.get(..number_end)?;
            let after_number = after_word.get(number_end..)?;
            // `([.-]?dev)?`, greedy: try with it first.
            let skip = usize::from(after_number.starts_with(['.', '-']));
            for dev_skip in [skip, 0] {
                let at = after_number.get(dev_skip..)?;
                let has_dev = if case_insensitive {
                    starts_with_ignore_case(at, "dev")
                } else {
                    at.starts_with("dev")
                };
                if has_dev && tail(at.get(3..)?) {
                    return Some((stability, number, true));
                }
            }
            if tail(after_number) {
                return Some((stability, number, false));
            }
        }
    }
    None
}

/// Matches Composer's constraint version pattern, anchored at both ends:
/// `v?(\d++)(?:\.(\d++))?{0,3}(?:MODIFIER|\.([xX*][.-]?dev))(?:\+[^\s]+)?`, case-insensitive.
/// With `constraint` false it is `normalize`'s pattern instead: no `+build`, no `.x-dev`, and
/// the first number is limited to five digits.
pub(super) fn version_pattern(input: &str, constraint: bool) -> Option<Captures<'_>> {
    let build = constraint;
    let body = input.strip_prefix(['v', 'V']).unwrap_or(input);
    let mut captures = Captures::default();
    let mut pos = 0;
    for i in 0..4 {
        let at = body.get(pos..)?;
        let skip = usize::from(i > 0);
        if i > 0 && !at.starts_with('.') {
            break;
        }
        let n = digits(at.get(skip..)?);
        if n == 0 {
            if i == 0 {
                return None;
            }
            break;
        }
        captures.numbers.push(at.get(skip..skip + n)?);
        pos += skip + n;
    }
    if !build && captures.numbers.first().is_some_and(|n| n.len() > 5) {
        return None;
    }
    let rest = body.get(pos..)?;
    let tail_ok = |t: &str| t.is_empty() || (build && is_build(t));
    // `\.([xX*][.-]?dev)` is the other alternative.
    if constraint
        && let Some(x) = rest.strip_prefix('.')
        && x.starts_with(['x', 'X', '*'])
    {
        let after = x.get(1..)?;
        let after = after.strip_prefix(['.', '-']).unwrap_or(after);
        if starts_with_ignore_case(after, "dev") && tail_ok(after.get(3..)?) {
            captures.x_dev = true;
            return Some(captures);
        }
    }
    let (stability, number, dev) = modifier(rest, true, &tail_ok)?;
    captures.stability = stability;
    captures.stability_number = number;
    captures.dev = dev;
    Some(captures)
}

/// Whether the whole of `s` is a (case-sensitive) modifier.
pub(super) fn modifier_matches_whole(s: &str) -> bool {
    modifier(s, false, &|t: &str| t.is_empty()).is_some()
}

/// `\+[^\s]+` to the end.
fn is_build(s: &str) -> bool {
    s.strip_prefix('+')
        .is_some_and(|b| !b.is_empty() && !b.contains(char::is_whitespace))
}

/// PHP's `trim` characters.
pub(super) fn is_php_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\0' | '\x0B')
}

/// `\s` of PCRE.
pub(super) fn is_pcre_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0B' | '\x0C')
}

/// Composer's `VersionParser::expandStability`.
fn expand_stability(word: &str) -> String {
    match word.to_ascii_lowercase().as_str() {
        "a" => "alpha".to_owned(),
        "b" => "beta".to_owned(),
        "p" | "pl" => "patch".to_owned(),
        "rc" => "RC".to_owned(),
        other => other.to_owned(),
    }
}

/// The date-like pattern `\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?` followed by `tail`;
/// returns the length of the date part.
fn date_pattern(s: &str, tail: &dyn Fn(&str) -> bool) -> Option<usize> {
    if s.len() < 4 || digits(s) < 4 {
        return None;
    }
    // Backtracking over the repetitions, greedy first, as PCRE does.
    fn pairs(s: &str, pos: usize, count: usize, tail: &dyn Fn(&str) -> bool) -> Option<usize> {
        if count < 6 {
            let at = s.get(pos..)?;
            let seps: &[usize] = if at.starts_with(['.', ':', '-']) {
                &[1, 0]
            } else {
                &[0]
            };
            for &sep in seps {
                let d = at.get(sep..).map_or(0, digits);
                if d >= 2
                    && let Some(end) = pairs(s, pos + sep + 2, count + 1, tail)
                {
                    return Some(end);
                }
            }
        }
        if count == 0 {
            return None;
        }
        // `(?:[.:-]?\d{1,3})?`, greedy.
        let at = s.get(pos..)?;
        let seps: &[usize] = if at.starts_with(['.', ':', '-']) {
            &[1, 0]
        } else {
            &[0]
        };
        for &sep in seps {
            let d = at.get(sep..).map_or(0, digits).min(3);
            for take in (1..=d).rev() {
                let end = pos + sep + take;
                if tail(s.get(end..)?) {
                    return Some(end);
                }
            }
        }
        tail(at).then_some(pos)
    }
    pairs(s, 4, 0, tail)
}

/// Composer's `VersionParser::normalize`: the canonical form Composer compares
/// (`1.2` -> `1.2.0.0`, `v1.0-b2` -> `1.0.0.0-beta2`, `dev-main` -> `dev-main`,
/// `1.x-dev` -> `1.9999999.9999999.9999999-dev`). The error says why it is not a version.
pub(super) fn normalize(input: &str) -> Result<String, String> {
    let mut version = input.trim_matches(is_php_space);
    // `^([^,\s]++) ++as ++([^,\s]++)$`: an alias; the first version counts.
    if let Some((left, right)) = split_alias(version) {
        let _ = right;
        version = left;
    }
    // `@stability` flags do not take part in the version.
    if let Some(at) = version.rfind('@') {
        let flag = version.get(at + 1..).unwrap_or_default();
        if ["stable", "RC", "beta", "alpha", "dev"]
            .iter()
            .any(|s| s.eq_ignore_ascii_case(flag))
        {
            version = version.get(..at).unwrap_or_default();
        }
    }
    let owned;
    if matches!(version, "master" | "trunk" | "default") {
        owned = format!("dev-{version}");
        version = &owned;
    }
    if starts_with_ignore_case(version, "dev-") {
        return Ok(format!("dev-{}", version.get(4..).unwrap_or_default()));
    }
    // `^([^,\s+]++)\+[^\s]++$`: build metadata is dropped.
    if let Some((head, build)) = version.split_once('+')
        && !head.is_empty()
        && !head.contains(|c: char| c == ',' || is_pcre_space(c))
        && !build.is_empty()
        && !build.contains(is_pcre_space)
    {
        version = head;
    }
    let body = version.strip_prefix(['v', 'V']).unwrap_or(version);
    let mut result = None;
    if let Some(c) = version_pattern(version, false) {
        let mut numbers: Vec<String> = c.numbers.iter().map(|n| (*n).to_owned()).collect();
        numbers.resize(4, "0".to_owned());
        result = Some((numbers.join("."), c.stability, c.stability_number, c.dev));
    } else if let Some(end) = date_pattern(body, &|t| {
        modifier(t, true, &|rest: &str| rest.is_empty()).is_some()
    }) {
        let date = body.get(..end).unwrap_or_default();
        let rest = body.get(end..).unwrap_or_default();
        if let Some((stability, number, dev)) = modifier(rest, true, &|r: &str| r.is_empty()) {
            let date: String = date
                .chars()
                .map(|c| if c.is_ascii_digit() { c } else { '.' })
                .collect();
            result = Some((date, stability, number, dev));
        }
    }
    if let Some((mut normalized, stability, number, dev)) = result {
        if let Some(word) = stability {
            if word == "stable" {
                return Ok(normalized);
            }
            normalized.push('-');
            normalized.push_str(&expand_stability(word));
            normalized.push_str(number.trim_start_matches(['.', '-']));
        }
        if dev {
            normalized.push_str("-dev");
        }
        return Ok(normalized);
    }
    // `(.*?)[.-]?dev$`: a branch such as `1.x-dev`.
    if version.len() >= 3
        && version
            .get(version.len() - 3..)
            .is_some_and(|d| d.eq_ignore_ascii_case("dev"))
    {
        let mut name = version.get(..version.len() - 3).unwrap_or_default();
        if let Some(stripped) = name.strip_suffix(['.', '-']) {
            name = stripped;
        }
        if let Some(branch) = normalize_branch(name) {
            return Ok(branch);
        }
    }
    Err(format!(
        "{input:?} is not a version Composer accepts; expected something like `1.2.3`, `v1.2`, `1.0-beta2`, `1.0.x-dev` or `dev-main`"
    ))
}

/// `^([^,\s]++) ++as ++([^,\s]++)$`.
pub(super) fn split_alias(s: &str) -> Option<(&str, &str)> {
    let (left, rest) = s.split_once(' ')?;
    let rest = rest.trim_start_matches(' ');
    let (word, right) = rest.split_once(' ')?;
    let right = right.trim_start_matches(' ');
    let plain = |t: &str| !t.is_empty() && !t.contains(|c: char| c == ',' || is_pcre_space(c));
    (word == "as" && plain(left) && plain(right)).then_some((left, right))
}

/// Composer's `normalizeBranch` for numeric branches: `1.x` -> `1.9999999.9999999.9999999-dev`.
fn normalize_branch(name: &str) -> Option<String> {
    let name = name.trim_matches(is_php_space);
    let body = name.strip_prefix(['v', 'V']).unwrap_or(name);
    let mut parts = body.split('.');
    let first = parts.next()?;
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = vec![first.to_owned()];
    for part in parts {
        let ok = part == "x"
            || part == "X"
            || part == "*"
            || (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
        if !ok || out.len() == 4 {
            return None;
        }
        out.push(if part.bytes().all(|b| b.is_ascii_digit()) {
            part.to_owned()
        } else {
            "9999999".to_owned()
        });
    }
    out.resize(4, "9999999".to_owned());
    Some(format!("{}-dev", out.join(".")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_composer() {
        for (input, expected) in [
            ("1.2", "1.2.0.0"),
            ("v1.2.3", "1.2.3.0"),
            ("1.0-patch1", "1.0.0.0-patch1"),
            ("1.0-p1", "1.0.0.0-patch1"),
            ("1.0-b2", "1.0.0.0-beta2"),
            ("1.0.0-RC.2", "1.0.0.0-RC2"),
            ("1.0-beta1-dev", "1.0.0.0-beta1-dev"),
            ("1.0-dev", "1.0.0.0-dev"),
            ("1.0-stable", "1.0.0.0"),
            ("1.0+foo", "1.0.0.0"),
            ("dev-master", "dev-master"),
            ("master", "dev-master"),
            ("1.x-dev", "1.9999999.9999999.9999999-dev"),
            ("2.1.x-dev", "2.1.9999999.9999999-dev"),
            ("20230101", "20230101"),
            ("2023.01.01.12.30", "2023.01.01.12.30"),
            ("1.0adev", "1.0.0.0-alpha-dev"),
            ("1.0@dev", "1.0.0.0"),
            ("1.0 as 2.0", "1.0.0.0"),
            ("1.0-", "1.0.0.0"),
            ("123456.0", "123456.0"),
            ("1.0-beta-2", "1.0.0.0-beta2"),
            ("1.0-stable1", "1.0.0.0"),
        ] {
            assert_eq!(normalize(input).as_deref(), Ok(expected), "{input}");
        }
        for bad in ["", "1.0-foo", "a", "1.2.3.4.5", "1..0", "1.0#abc"] {
            assert!(normalize(bad).is_err(), "{bad:?}");
        }
    }
}
