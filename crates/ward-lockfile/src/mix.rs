//! `mix.lock` (Elixir and Erlang projects built with mix; Hex packages).
//!
//! Traps:
//! - **It is code**: an Elixir map literal, not JSON or TOML. `term` parses the subset mix
//!   writes (maps with `"name": ` keyword keys, tuples, lists, atoms, strings), never with
//!   regular expressions, and with a nesting limit.
//! - **Two names.** The map key is the application name in `mix.exs`; for Hex entries the
//!   package's Hex name is the tuple's second element (`"my_json": {:hex, :jason, ...}` when
//!   the dependency says `hex: :jason`). Advisories name Hex packages: the Hex name is used.
//! - **Entry shapes.** `{:hex, :name, "version", checksum, managers, deps, "repo", checksum}`
//!   (older mix wrote fewer elements; only the first three are needed) and
//!   `{:git, "url", "commit", opts}`. A git entry has no version: the commit stands for it.
//!   Another SCM is an error rather than a package without a version.
//! - **Repositories.** `"hexpm"` (or none, in old files) is [`Source::Registry`]; another
//!   repository (`"hexpm:org"`, a self-hosted one) is a different namespace:
//!   [`Source::Other`] with its name.
//! - **Relations.** `mix.lock` does not say which dependencies `mix.exs` lists:
//!   [`Relation::Unknown`]; nor which are `only: :dev`: not dev.
//! - **Empty.** `%{}` is [`ErrorKind::Empty`].
//! - **Lines** are those of the map keys.

mod term;

use crate::lines::unexpected;
use crate::{Error, ErrorKind, Kind, Lockfile, Package, Relation, Source};
use term::{Node, Term};

pub(crate) fn parse(origin: &str, content: &str) -> Result<Lockfile, Error> {
    let root = term::parse(content)
        .map_err(|e| Error::new(origin, Some(e.line), ErrorKind::Syntax(e.message)))?;
    let Term::Map(entries) = root.term else {
        return Err(unexpected(origin, Some(root.line), "a map `%{...}`"));
    };
    if entries.is_empty() {
        return Err(Error::new(
            origin,
            None,
            ErrorKind::Empty { format: "mix.lock" },
        ));
    }
    let mut packages = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let line = key.line;
        let (Term::Atom(app) | Term::Str(app)) = key.term else {
            return Err(unexpected(
                origin,
                Some(line),
                "a dependency name as the key",
            ));
        };
        let package = entry(&app, value).map_err(|expected| {
            unexpected(origin, Some(line), format!("{expected} for \"{app}\""))
        })?;
        let (name, version, source) = package;
        packages.push(Package {
            ecosystem: Kind::MixLock.ecosystem(),
            name,
            version,
            line,
            relation: Relation::Unknown,
            dev: false,
            source,
        });
    }
    Ok(Lockfile::new(Kind::MixLock, packages))
}

/// Name, version and source of one entry; `Err` says what was expected.
fn entry(app: &str, value: Node) -> Result<(String, String, Source), &'static str> {
    let Term::Tuple(items) = value.term else {
        return Err("a tuple `{:hex, ...}` or `{:git, ...}`");
    };
    let mut items = items.into_iter().map(|n| n.term);
    match items.next() {
        Some(Term::Atom(scm)) if scm == "hex" => {
            let name = match items.next() {
                Some(Term::Atom(name)) if !name.is_empty() => name,
                _ => return Err("the package name as the second element (`:name`)"),
            };
            let version = match items.next() {
                Some(Term::Str(version)) if !version.is_empty() => version,
                _ => return Err("the version as the third element (`\"1.0.0\"`)"),
            };
            let source = match items.nth(3) {
                None => Source::Registry,
                Some(Term::Str(repo)) if repo == "hexpm" => Source::Registry,
                Some(Term::Str(repo)) => Source::Other(repo),
                Some(_) => return Err("the repository as the seventh element (`\"hexpm\"`)"),
            };
            Ok((name, version, source))
        }
        Some(Term::Atom(scm)) if scm == "git" => {
            let url = match items.next() {
                Some(Term::Str(url)) if !url.is_empty() => url,
                _ => return Err("the repository URL as the second element"),
            };
            let commit = match items.next() {
                Some(Term::Str(commit)) if !commit.is_empty() => commit,
                _ => return Err("the commit as the third element"),
            };
            let source = Source::Git {
                url,
                rev: Some(commit.clone()),
            };
            Ok((app.to_owned(), commit, source))
        }
        _ => Err("`:hex` or `:git` as the first element"),
    }
}
