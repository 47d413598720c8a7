//! Package names as each ecosystem compares them: the key a package is looked up by, so that
//! `Jinja2` in an advisory finds `jinja2` in a lockfile.
//!
//! The rule is the registry's own: fold only where the registry itself treats two spellings as
//! the same package, never elsewhere (folding a case-sensitive ecosystem would match a package
//! against another package's advisories).
//!
//! | ecosystem | rule | source |
//! |---|---|---|
//! | PyPI | lower case; runs of `-`, `_`, `.` become one `-` | PEP 503, "Normalized Names" (<https://peps.python.org/pep-0503/#normalized-names>) |
//! | crates.io | lower case; `_` is `-` | crates.io refuses a name equal to an existing one ignoring case and `-`/`_` (<https://doc.rust-lang.org/cargo/reference/registries.html>, crates.io's publish rules); the index stores names lower-cased |
//! | NuGet | lower case | package IDs are case-insensitive (<https://learn.microsoft.com/en-us/nuget/reference/nuspec#id>); the V3 flat container lower-cases them |
//! | Packagist | lower case | Composer names are lower case and Packagist matches them ignoring case (<https://getcomposer.org/doc/04-schema.md#name>) |
//! | GitHub Actions | lower case | `owner/repo` on GitHub is case-insensitive |
//! | npm | as written | new names must be lower case, but legacy names with capitals exist (`JSONStream`) and are distinct packages (<https://docs.npmjs.com/cli/v10/configuring-npm/package-json#name>) |
//! | Go | as written | module paths are case-sensitive (the proxy escapes capitals as `!x`; <https://go.dev/ref/mod#goproxy-protocol>) |
//! | Maven | as written | `groupId:artifactId` is case-sensitive |
//! | RubyGems, Hex, Pub, Hackage, CRAN, distributions, others | as written | case-sensitive, or already restricted to one case |
//!
//! Traps:
//! - **The ecosystem may carry a suffix** (`Debian:12`) and any case (`pypi`); it is read with
//!   [`ward_version::Ecosystem`], so the rule follows the ecosystem's name.
//! - **PEP 503 lower-cases with Python's `str.lower`** (Unicode); valid names are ASCII, and
//!   Unicode lower-casing is what a lockfile written by Python tools would compare with.

use ward_version::Ecosystem;

/// The key a package is looked up by: `name` normalised the way `ecosystem` compares names
/// (see the module doc for each ecosystem's rule and its source).
pub fn normalize(ecosystem: &str, name: &str) -> String {
    let ecosystem = ecosystem
        .parse::<Ecosystem>()
        .map(|e| e.name().to_owned())
        .unwrap_or_default();
    match ecosystem.as_str() {
        "PyPI" => pep503(name),
        "crates.io" => name.to_lowercase().replace('_', "-"),
        "NuGet" | "Packagist" | "GitHub Actions" => name.to_lowercase(),
        _ => name.to_owned(),
    }
}

/// PEP 503: `re.sub(r"[-_.]+", "-", name).lower()`.
fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn pypi_follows_pep_503() {
        // The examples of PEP 503 and of the packaging guide's "Name normalization"
        // (https://packaging.python.org/en/latest/specifications/name-normalization/): all of
        // these are `friendly-bard`.
        for name in [
            "friendly-bard",
            "Friendly-Bard",
            "FRIENDLY-BARD",
            "friendly.bard",
            "friendly_bard",
            "friendly--bard",
            "FrIeNdLy-._.-bArD",
        ] {
            assert_eq!(normalize("PyPI", name), "friendly-bard", "{name}");
        }
        assert_eq!(
            normalize("pypi", "Jinja2"),
            "jinja2",
            "ecosystem case does not matter"
        );
        assert_eq!(normalize("PyPI", "zope.interface"), "zope-interface");
    }

    #[test]
    fn crates_io_folds_case_and_underscores() {
        assert_eq!(normalize("crates.io", "Serde_JSON"), "serde-json");
        assert_eq!(normalize("crates.io", "serde-json"), "serde-json");
    }

    #[test]
    fn case_insensitive_registries_fold_case() {
        assert_eq!(normalize("NuGet", "Newtonsoft.Json"), "newtonsoft.json");
        assert_eq!(
            normalize("Packagist", "Symfony/HTTP-Kernel"),
            "symfony/http-kernel"
        );
        assert_eq!(
            normalize("GitHub Actions", "Actions/Checkout"),
            "actions/checkout"
        );
    }

    #[test]
    fn case_sensitive_ecosystems_are_left_alone() {
        // npm: `JSONStream` is a real legacy package, distinct from any `jsonstream`.
        assert_eq!(normalize("npm", "JSONStream"), "JSONStream");
        // Go: module paths are case-sensitive (github.com/Sirupsen/logrus vs sirupsen/logrus
        // were two modules).
        assert_eq!(
            normalize("Go", "github.com/Sirupsen/logrus"),
            "github.com/Sirupsen/logrus"
        );
        assert_eq!(normalize("Maven", "org.Apache:Log4j"), "org.Apache:Log4j");
        assert_eq!(normalize("RubyGems", "RedCloth"), "RedCloth");
        assert_eq!(normalize("Hex", "plug_crypto"), "plug_crypto");
        assert_eq!(normalize("Debian:12", "Foo_Bar"), "Foo_Bar");
        assert_eq!(normalize("", "Name"), "Name", "no ecosystem, no folding");
    }
}
