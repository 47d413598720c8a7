//! Names and sources of yarn descriptors (`name@range`) and berry resolutions
//! (`name@protocol:reference`); the traps are listed in the parent module.

use std::borrow::Cow;

use crate::Source;

/// A berry resolution: the package's name and source, or `None` for a workspace.
pub(super) type Resolved = Option<(String, Source)>;

/// How deep `patch:` may nest before the resolution is taken as opaque.
const MAX_PATCH_DEPTH: usize = 4;

pub(super) fn classify_berry(resolution: &str) -> Resolved {
    let mut locator = Cow::Borrowed(resolution);
    let mut patched_depth = 0;
    while patched_depth < MAX_PATCH_DEPTH {
        let (name, reference) = split_descriptor(&locator);
        let Some(patched) = reference.strip_prefix("patch:") else {
            break;
        };
        let inner = patched.split('#').next().unwrap_or_default();
        let inner = percent_decode(inner);
        if split_descriptor(&inner).1.is_empty() {
            return Some((name.to_owned(), Source::Other(reference.to_owned())));
        }
        locator = Cow::Owned(inner);
        patched_depth += 1;
    }
    let (name, reference) = split_descriptor(&locator);
    let source = if reference.starts_with("npm:") {
        Source::Registry
    } else if reference.starts_with("workspace:") {
        if patched_depth == 0 {
            return None;
        }
        Source::Local
    } else if is_local(reference) {
        Source::Local
    } else if reference.contains("#commit=") || is_git(reference) {
        git_source(reference, None)
    } else {
        Source::Other(reference.to_owned())
    };
    Some((name.to_owned(), source))
}

/// The source of a classic entry from its range and `resolved` URL.
pub(super) fn classic_source(range: &str, resolved: Option<&str>) -> Source {
    if is_local(range) {
        return Source::Local;
    }
    if is_git(range) || resolved.is_some_and(|r| is_git(r) || codeload_commit(r).is_some()) {
        return git_source(range, resolved);
    }
    if range.starts_with("http://") || range.starts_with("https://") {
        return Source::Other(range.to_owned());
    }
    if resolved.is_some_and(is_local) {
        return Source::Local;
    }
    Source::Registry
}

/// `name@range` split at the first `@` after the first character; `(spec, "")` without one.
pub(super) fn split_descriptor(spec: &str) -> (&str, &str) {
    match spec.char_indices().skip(1).find(|&(_, c)| c == '@') {
        Some((at, _)) => (&spec[..at], &spec[at + 1..]),
        None => (spec, ""),
    }
}

fn is_local(spec: &str) -> bool {
    ["file:", "link:", "portal:", "./", "../", "/", "~/"]
        .iter()
        .any(|p| spec.starts_with(p))
}

fn is_git(spec: &str) -> bool {
    const PREFIXES: [&str; 9] = [
        "git+",
        "git:",
        "git://",
        "ssh://",
        "git@",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
    ];
    if PREFIXES.iter().any(|p| spec.starts_with(p)) {
        return true;
    }
    let base = spec.split('#').next().unwrap_or_default();
    if spec.starts_with("http://") || spec.starts_with("https://") {
        return base.ends_with(".git");
    }
    // GitHub shorthand, `owner/repo#ref`: registry ranges never contain a slash.
    !spec.contains(':')
        && !spec.starts_with('@')
        && base.split('/').filter(|part| !part.is_empty()).count() == 2
        && base.matches('/').count() == 1
}

/// A git source: URL without fragment, commit from `resolved` or the spec.
fn git_source(spec: &str, resolved: Option<&str>) -> Source {
    if let Some((url, rev)) = resolved.and_then(codeload_commit) {
        return Source::Git {
            url,
            rev: Some(rev.to_owned()),
        };
    }
    let (url, resolved_fragment) = split_fragment(resolved.unwrap_or(spec));
    let rev = [resolved_fragment, split_fragment(spec).1]
        .into_iter()
        .flatten()
        .find_map(commit_of_fragment);
    Source::Git {
        url: url.to_owned(),
        rev: rev.map(str::to_owned),
    }
}

fn split_fragment(url: &str) -> (&str, Option<&str>) {
    match url.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (url, None),
    }
}

/// The commit a URL fragment pins: `commit=<sha>` among `&`-separated pairs, or a bare hex
/// hash of at least 7 digits (a branch or tag name is not a commit).
fn commit_of_fragment(fragment: &str) -> Option<&str> {
    let is_hex =
        |s: &str| s.len() >= 7 && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
    fragment
        .split('&')
        .find_map(|pair| {
            pair.strip_prefix("commit=")
                .or_else(|| pair.strip_prefix("commit:"))
        })
        .or(Some(fragment))
        .filter(|commit| is_hex(commit))
}

/// `https://codeload.github.com/<owner>/<repo>/tar.gz/<sha>` → (`https://github.com/<owner>/<repo>`, sha).
pub(crate) fn codeload_commit(url: &str) -> Option<(String, &str)> {
    let path = url.strip_prefix("https://codeload.github.com/")?;
    let mut parts = path.split('/');
    let (owner, repo, kind, sha) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let valid = kind == "tar.gz" && parts.next().is_none() && !owner.is_empty() && !repo.is_empty();
    let sha = commit_of_fragment(sha).filter(|_| valid)?;
    Some((format!("https://github.com/{owner}/{repo}"), sha))
}

/// Decodes `%XX` escapes; malformed escapes stay as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (byte, hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_split_at_the_first_at_after_the_scope() {
        assert_eq!(
            split_descriptor("@babel/core@^7.0.0"),
            ("@babel/core", "^7.0.0")
        );
        assert_eq!(split_descriptor("lodash@npm:^4"), ("lodash", "npm:^4"));
        assert_eq!(
            split_descriptor("pkg@git+ssh://git@github.com/o/r.git"),
            ("pkg", "git+ssh://git@github.com/o/r.git")
        );
        assert_eq!(split_descriptor("balanced-match"), ("balanced-match", ""));
        assert_eq!(split_descriptor("@scope"), ("@scope", ""));
        assert_eq!(split_descriptor(""), ("", ""));
        assert_eq!(split_descriptor("é@1"), ("é", "1"));
    }

    #[test]
    fn classic_sources() {
        assert_eq!(
            classic_source(
                "^1.0.0",
                Some("https://registry.yarnpkg.com/a/-/a-1.0.0.tgz#ab")
            ),
            Source::Registry
        );
        assert_eq!(classic_source("file:./deps/a", None), Source::Local);
        assert_eq!(classic_source("link:../a", None), Source::Local);
        assert_eq!(
            classic_source("https://example.com/a-1.0.0.tgz", None),
            Source::Other("https://example.com/a-1.0.0.tgz".into())
        );
        let sha = "f2435fe1f9f7c91ade0bd472c4723e5eacd7d19a";
        assert_eq!(
            classic_source(
                &format!("https://github.com/o/r.git#{sha}"),
                Some("git+ssh://git@github.com/o/r.git")
            ),
            Source::Git {
                url: "git+ssh://git@github.com/o/r.git".into(),
                rev: Some(sha.into())
            }
        );
        assert_eq!(
            classic_source(
                "o/r#main",
                Some(&format!("https://codeload.github.com/o/r/tar.gz/{sha}"))
            ),
            Source::Git {
                url: "https://github.com/o/r".into(),
                rev: Some(sha.into())
            }
        );
        assert_eq!(
            classic_source("github:o/r#main", None),
            Source::Git {
                url: "github:o/r".into(),
                rev: None
            }
        );
    }

    #[test]
    fn berry_resolutions() {
        assert_eq!(
            classify_berry("a@npm:1.0.0"),
            Some(("a".into(), Source::Registry))
        );
        assert_eq!(classify_berry("a@workspace:."), None);
        assert_eq!(
            classify_berry(
                "resolve@patch:resolve@npm%3A1.22.12#optional!builtin<compat/resolve>::version=1.22.12&hash=c3c19d"
            ),
            Some(("resolve".into(), Source::Registry))
        );
        assert_eq!(
            classify_berry("alias@patch:real@npm%3A2.0.0#./p.patch::locator=x%40workspace%3A."),
            Some(("real".into(), Source::Registry))
        );
        assert_eq!(
            classify_berry("$u@link:./u::locator=b%40workspace%3A."),
            Some(("$u".into(), Source::Local))
        );
        let sha = "f2435fe1f9f7c91ade0bd472c4723e5eacd7d19a";
        assert_eq!(
            classify_berry(&format!("d@https://github.com/a/d.git#commit={sha}")),
            Some((
                "d".into(),
                Source::Git {
                    url: "https://github.com/a/d.git".into(),
                    rev: Some(sha.into())
                }
            ))
        );
        assert_eq!(
            classify_berry("t@https://example.com/t.tgz"),
            Some((
                "t".into(),
                Source::Other("https://example.com/t.tgz".into())
            ))
        );
        // Nesting beyond the limit stays opaque rather than recursing.
        let deep = format!("a@{}npm:1.0.0", "patch:a@".repeat(10));
        assert!(classify_berry(&deep).is_some());
    }

    #[test]
    fn percent_decoding_keeps_malformed_escapes() {
        assert_eq!(percent_decode("a%40b%3Ac"), "a@b:c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
