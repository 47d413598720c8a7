//! `requirements.txt`: every fixture, includes through `read`, and the malformed cases.

use std::fs;

use ward_lockfile::{ErrorKind, Kind, parse};

use crate::support::{
    Expect, check_fixture_dir, is_unexpected, parse_error, shared_data, snapshot,
};

#[test]
fn every_fixture() {
    let p = Expect::Packages;
    check_fixture_dir(
        "python/requirements",
        Kind::Requirements,
        &[
            ("comments.txt", p),
            ("env_var.txt", p),
            ("example.txt", p),
            ("multiline_and_comments.txt", p),
            ("no_version.txt", p),
            // `foo7==1.0 unexpected_text_before_options_stays_around`: pip refuses the file.
            ("per_req_options.txt", Expect::Error(is_unexpected)),
            ("with_versions.txt", p),
        ],
    );
}

/// The lines of `per_req_options.txt` that pip accepts (the others become comments, so that
/// line numbers stay those of the file).
#[test]
fn per_requirement_options() {
    let Some(data) = shared_data() else { return };
    let path = data.join("lockfile-fixtures/osv-scalibr/python/requirements/per_req_options.txt");
    let text = fs::read_to_string(path).expect("readable");
    let valid: String = text
        .lines()
        .map(|l| {
            let refused = ["foo7", "foo10", "foo15"]
                .iter()
                .any(|bad| l.starts_with(bad));
            if refused {
                format!("# {l}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let lockfile = parse(Kind::Requirements, "per_req_options.txt", &valid).expect("parses");
    insta::assert_snapshot!(snapshot(&lockfile), @r"
    PyPI foo1 1.0 line=1 unknown prod registry
    PyPI foo2 1.0 line=3 unknown prod registry
    PyPI foo3 1.0 line=5 unknown prod registry
    PyPI foo4 1.0 line=7 unknown prod registry
    PyPI foo5 1.0 line=9 unknown prod registry
    PyPI foo6 1.0 line=11 unknown prod registry
    PyPI foo8 1.0 line=15 unknown prod registry
    PyPI foo9 1.0 line=17 unknown prod registry
    PyPI foo11 1.0 line=22 unknown prod registry
    PyPI foo12 1.0 line=24 unknown prod registry
    PyPI foo13 1.0 line=26 unknown prod registry
    PyPI foo14 1.0 line=28 unknown prod registry
    PyPI foo16-Client 1.0 line=32 unknown prod registry
    PyPI foo17--hash 1.0 line=34 unknown prod registry
    PyPI foo18-Client 1.0 line=36 unknown prod registry
    ");
}

#[test]
fn read_follows_includes_once_relative_to_the_including_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).expect("mkdir");
    fs::write(
        dir.path().join("requirements.txt"),
        "a==1.0\n-r sub/base.txt\n-c sub/constraints.txt\n-r https://example.com/r.txt\n",
    )
    .expect("write");
    // Relative to sub/, and back to the first file: a cycle, read once.
    fs::write(
        sub.join("base.txt"),
        "b==2.0\nc>=1\n-r ../requirements.txt\n",
    )
    .expect("write");
    fs::write(sub.join("constraints.txt"), "c==1.5\n").expect("write");
    let lockfile = ward_lockfile::read(Kind::Requirements, &dir.path().join("requirements.txt"))
        .expect("reads");
    let text = snapshot(&lockfile);
    insta::assert_snapshot!(text, @r#"
    PyPI a 1.0 line=1 unknown prod registry
    include requirements sub/base.txt line=2
      PyPI b 2.0 line=1 unknown prod registry
      unpinned c line=2 "c>=1"
      include requirements ../requirements.txt line=3
    include constraints sub/constraints.txt line=3
      PyPI c 1.5 line=1 unknown prod registry
    include requirements https://example.com/r.txt line=4
    "#);
    let included = lockfile.includes[0].lockfile.as_ref().expect("read");
    assert_eq!(included.path, dir.path().join("sub/base.txt"));
}

#[test]
fn a_missing_include_is_an_error_naming_both_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("requirements.txt");
    fs::write(&path, "a==1.0\n\n-r missing.txt\n").expect("write");
    let error = ward_lockfile::read(Kind::Requirements, &path).expect_err("missing include");
    assert_eq!(error.line, Some(3));
    let ErrorKind::Include {
        path: included,
        source,
    } = &error.kind
    else {
        panic!("{error:?}");
    };
    assert_eq!(
        included,
        &dir.path().join("missing.txt").display().to_string()
    );
    assert!(matches!(source.kind, ErrorKind::Io(_)), "{source:?}");
}

#[test]
fn an_empty_file_is_valid() {
    let lockfile = parse(Kind::Requirements, "r.txt", "# nothing\n\n").expect("parses");
    assert!(lockfile.packages.is_empty() && lockfile.unpinned.is_empty());
}

#[test]
fn editables_urls_and_paths_are_unpinned() {
    let text = "-e git+https://github.com/o/p.git@v1#egg=p\n--editable=.\nq @ https://x/q-1.0.zip\nhttps://x/r-2.0-py3-none-any.whl\n./s\n";
    let lockfile = parse(Kind::Requirements, "r.txt", text).expect("parses");
    insta::assert_snapshot!(snapshot(&lockfile), @r#"
    unpinned p line=1 "-e git+https://github.com/o/p.git@v1#egg=p"
    unpinned . line=2 "--editable=."
    unpinned q line=3 "q @ https://x/q-1.0.zip"
    unpinned r line=4 "https://x/r-2.0-py3-none-any.whl"
    unpinned ./s line=5 "./s"
    "#);
}

fn error(text: &str) -> String {
    parse_error(Kind::Requirements, "requirements.txt", text)
}

#[test]
fn malformed() {
    assert_eq!(
        error("a==1.0\nb== --hash=sha256:1\n"),
        "requirements.txt:2: expected a version after `b==`"
    );
    assert_eq!(
        error("a==1.0 junk\n"),
        "requirements.txt:1: expected `,`, `;` or the end of the requirement after `a==1.0`, not `junk`"
    );
    assert_eq!(
        error("\n\n-r\n"),
        "requirements.txt:3: expected a requirements file or location after -r"
    );
    assert_eq!(
        error("a=1.0\n"),
        "requirements.txt:1: expected a version specifier (`==1.0`, `>=1.0`...) for `a`, not `=1.0`"
    );
    assert_eq!(
        error("a[x==1.0\n"),
        "requirements.txt:1: expected `]` closing the extras of `a`"
    );
    assert_eq!(
        error("é==1\n"),
        "requirements.txt:1: expected a requirement: a package name, a path or a URL"
    );
}
