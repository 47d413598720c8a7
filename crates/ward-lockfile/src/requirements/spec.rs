//! One requirement (PEP 508 as pip reads it, without the per-requirement options): pinned to
//! one version, or not.

/// What a requirement says about the version.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Requirement<'a> {
    /// Exactly one version: `==1.0` (no wildcard) or `===1.0`.
    Pinned { name: &'a str, version: &'a str },
    /// Anything else; the name as written, or derived from the location.
    Unpinned { name: String },
}

const OPERATORS: [&str; 8] = ["===", "==", "!=", "~=", "<=", ">=", "<", ">"];
const ARCHIVES: [&str; 7] = [
    ".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar",
];

/// Reads a requirement; `Err` says what was expected.
pub(super) fn parse(text: &str) -> Result<Requirement<'_>, String> {
    let name_len = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        .count();
    let (name, rest) = text.split_at_checked(name_len).unwrap_or((text, ""));
    let name_ok = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric());
    let follows_ok = rest.is_empty() || rest.starts_with(|c: char| " \t[(<>=!~;@".contains(c));
    if text.contains("${") {
        // pip expands environment variables at install time; the file alone does not say.
        let name = if name_ok { name } else { location_name(text) };
        return Ok(Requirement::Unpinned { name: name.into() });
    }
    if !name_ok || !follows_ok {
        return if looks_like_location(text) {
            Ok(Requirement::Unpinned {
                name: location_name(text).into(),
            })
        } else {
            Err("a requirement: a package name, a path or a URL".into())
        };
    }
    if !name
        .bytes()
        .last()
        .is_some_and(|b| b.is_ascii_alphanumeric())
    {
        return Err(format!(
            "a package name ending in a letter or digit, not `{name}`"
        ));
    }
    let mut rest = rest.trim_start();
    if let Some(extras) = rest.strip_prefix('[') {
        let Some((_, after)) = extras.split_once(']') else {
            return Err(format!("`]` closing the extras of `{name}`"));
        };
        rest = after.trim_start();
    }
    if let Some(url) = rest.strip_prefix('@') {
        let url = url.trim();
        return if url.is_empty() {
            Err(format!("a URL after `{name} @`"))
        } else {
            Ok(Requirement::Unpinned { name: name.into() })
        };
    }
    let (specifiers, marker) = match rest.split_once(';') {
        Some((specifiers, marker)) => (specifiers.trim(), Some(marker.trim())),
        None => (rest.trim(), None),
    };
    if marker.is_some_and(str::is_empty) {
        return Err(format!("environment markers after `;` in `{text}`"));
    }
    let specifiers = match specifiers.strip_prefix('(') {
        Some(inner) => inner
            .strip_suffix(')')
            .ok_or_else(|| format!("`)` closing the versions of `{name}`"))?
            .trim(),
        None => specifiers,
    };
    if specifiers.is_empty() {
        return Ok(Requirement::Unpinned { name: name.into() });
    }
    let mut exact = Vec::new();
    for clause in specifiers.split(',') {
        let clause = clause.trim();
        let Some(op) = OPERATORS.iter().find(|op| clause.starts_with(**op)) else {
            return Err(format!(
                "a version specifier (`==1.0`, `>=1.0`...) for `{name}`, not `{clause}`"
            ));
        };
        let after = clause.get(op.len()..).unwrap_or_default().trim_start();
        let (version, junk) = after
            .split_once(char::is_whitespace)
            .map_or((after, ""), |(v, j)| (v, j.trim()));
        if version.is_empty() {
            return Err(format!("a version after `{name}{op}`"));
        }
        if !junk.is_empty() {
            return Err(format!(
                "`,`, `;` or the end of the requirement after `{name}{op}{version}`, not `{junk}`"
            ));
        }
        let valid = *op == "==="
            || version
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".*+!_-".contains(&b));
        if !valid {
            return Err(format!("a version after `{name}{op}`, not `{version}`"));
        }
        if *op == "===" || (*op == "==" && !version.contains('*')) {
            exact.push(version);
        }
    }
    Ok(match exact.as_slice() {
        [version] => Requirement::Pinned { name, version },
        _ => Requirement::Unpinned { name: name.into() },
    })
}

fn looks_like_location(text: &str) -> bool {
    text.contains(['/', '\\', ':']) || ARCHIVES.iter().any(|ext| text.ends_with(ext))
}

/// A name for a path or URL requirement: its `#egg=` fragment, a wheel's distribution name,
/// or the location itself.
pub(super) fn location_name(location: &str) -> &str {
    if let Some((_, egg)) = location.split_once("#egg=") {
        let egg = egg.split(['&', ' ']).next().unwrap_or(egg);
        if !egg.is_empty() {
            return egg;
        }
    }
    let file = location.rsplit(['/', '\\']).next().unwrap_or(location);
    match file.strip_suffix(".whl").and_then(|w| w.split_once('-')) {
        Some((name, _)) if !name.is_empty() => name,
        _ => location,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pinned(text: &str) -> Option<(&str, &str)> {
        match parse(text) {
            Ok(Requirement::Pinned { name, version }) => Some((name, version)),
            _ => None,
        }
    }

    #[test]
    fn pins() {
        assert_eq!(pinned("a==1.0"), Some(("a", "1.0")));
        assert_eq!(pinned("a === 1.0"), Some(("a", "1.0")));
        assert_eq!(
            pinned("a[x, y] == 1.0 ; python_version < \"3\""),
            Some(("a", "1.0"))
        );
        assert_eq!(pinned("a (==1.0)"), Some(("a", "1.0")));
        assert_eq!(pinned("a==1.0,!=1.1"), Some(("a", "1.0")));
        assert_eq!(pinned("a==1.0+local"), Some(("a", "1.0+local")));
    }

    #[test]
    fn not_pins() {
        for text in [
            "a",
            "a>=1",
            "a==1.*",
            "a~=1.0",
            "a==1,==2",
            "a @ https://x/a.zip",
        ] {
            assert!(
                matches!(parse(text), Ok(Requirement::Unpinned { .. })),
                "{text}"
            );
        }
    }

    #[test]
    fn locations() {
        assert_eq!(
            location_name("./d/numpy-1.9.2-cp34-none-win32.whl"),
            "numpy"
        );
        assert_eq!(location_name("git+https://x/y.git#egg=foo&sub=z"), "foo");
        assert_eq!(location_name("."), ".");
    }

    #[test]
    fn errors() {
        assert!(parse("a==").is_err());
        assert!(parse("a== 1 b").is_err());
        assert!(parse("a-==1").is_err());
        assert!(parse("a==1;").is_err());
        assert!(parse("a[x==1").is_err());
        assert!(parse("a (==1").is_err());
        assert!(parse("a=1").is_err());
        assert!(parse("é").is_err());
    }
}
