//! Which packages the project depends on itself, and which only for development.
//!
//! Traps:
//! - the project's dependencies are under `importers` (workspaces; every v9 file) or at the
//!   top level (single-project v5 and v6 files); `link:` values are other workspaces;
//! - v5 and v6 mark each package `dev: true` (development only), `dev: false` (production
//!   only) or leave it out (both); v9 dropped the flag, so "dev only" is computed: reachable
//!   through `snapshots` from some importer's `devDependencies` and from no
//!   `dependencies`/`optionalDependencies`;
//! - a root that cannot be resolved (a v5 `file:` specifier normalised differently in the
//!   key) is matched by name when one package has that name; otherwise packages of that name
//!   are `Unknown`, and in v9 no transitive package is called dev-only, since the missing
//!   root might need it in production.

use std::collections::{HashMap, HashSet, VecDeque};

use super::document::{DependencyRef, Document, Entries, Snapshot};
use super::key::{Format, dependency_keys, strip_peers};

/// Per package entry of the file: directly depended on, development only, unknown.
#[derive(Debug)]
pub(super) struct Flags {
    /// False when the file lists no project dependencies at all.
    pub(super) known: bool,
    pub(super) direct: Vec<bool>,
    pub(super) dev: Vec<bool>,
    pub(super) ambiguous: Vec<bool>,
}

/// Computes [`Flags`] for the `packages` entries, whose identified names are `names` (`None`
/// for entries not reported).
pub(super) fn flags(format: Format, document: &Document, names: &[Option<&str>]) -> Flags {
    let keys: Vec<&str> = Entries::of(document.packages.as_ref())
        .iter()
        .map(|(key, _)| key.value.as_str())
        .collect();
    let count = keys.len();
    let by_key: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let mut flags = Flags {
        known: false,
        direct: vec![false; count],
        dev: vec![false; count],
        ambiguous: vec![false; count],
    };
    let graph = (format == Format::V9)
        .then_some(document.snapshots.as_ref())
        .flatten()
        .map(|snapshots| Graph::new(snapshots, &by_key));

    // (package or snapshot roots, is dev)
    let mut roots: Vec<(usize, bool)> = Vec::new();
    let mut unresolved: Vec<(&str, bool)> = Vec::new();
    for (dev, group) in groups(document) {
        flags.known = true;
        for (name, value) in group {
            let Some(candidates) = dependency_keys(format, name, &value.0) else {
                continue;
            };
            let found = match &graph {
                Some(graph) => candidates.iter().find_map(|c| graph.by_key.get(c.as_str())),
                // v5 and v6 package keys keep the peer suffix; v9's do not.
                None if format == Format::V9 => candidates
                    .iter()
                    .find_map(|c| by_key.get(strip_peers(format, c))),
                None => candidates.iter().find_map(|c| by_key.get(c.as_str())),
            };
            match found {
                Some(&node) => roots.push((node, dev)),
                None => unresolved.push((name.as_str(), dev)),
            }
        }
    }
    let unresolved_names: HashSet<&str> = unresolved.iter().map(|(n, _)| *n).collect();
    let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if let Some(name) = name.filter(|n| unresolved_names.contains(n)) {
            holders.entry(name).or_default().push(i);
        }
    }
    // Whether every production root was found, so that "dev only" can be trusted.
    let mut reliable = true;
    for &(name, dev) in &unresolved {
        match holders.get(name).map(Vec::as_slice) {
            Some(&[only]) => {
                flags.direct[only] = true;
                match &graph {
                    Some(graph) => roots.extend(graph.nodes_of(only).map(|node| (node, dev))),
                    None => roots.push((only, dev)),
                }
            }
            Some(many) => {
                many.iter().for_each(|&i| flags.ambiguous[i] = true);
                reliable &= dev;
            }
            None => reliable &= dev,
        }
    }
    if format != Format::V9 {
        for &(package, _) in &roots {
            flags.direct[package] = true;
        }
        let bodies = Entries::of(document.packages.as_ref());
        for (i, (_, body)) in bodies.iter().enumerate() {
            flags.dev[i] = body.as_ref().and_then(|b| b.dev) == Some(true);
        }
        return flags;
    }
    let mut in_production = vec![false; count];
    let mut in_development = vec![false; count];
    match &graph {
        Some(graph) => {
            let production = graph.reach(roots.iter().filter(|r| !r.1).map(|r| r.0));
            let development = graph.reach(roots.iter().filter(|r| r.1).map(|r| r.0));
            for (node, package) in graph.package.iter().enumerate() {
                if let Some(package) = *package {
                    in_production[package] |= production[node];
                    in_development[package] |= development[node];
                }
            }
            for &(node, _) in &roots {
                if let Some(package) = graph.package[node] {
                    flags.direct[package] = true;
                }
            }
        }
        None => {
            for &(package, dev) in &roots {
                flags.direct[package] = true;
                in_production[package] |= !dev;
                in_development[package] |= dev;
            }
        }
    }
    for package in 0..count {
        flags.dev[package] = reliable && in_development[package] && !in_production[package];
    }
    flags
}

/// A dependency group (`dependencies`, ...) with whether it is `devDependencies`.
type Group<'a> = (bool, &'a [(String, DependencyRef)]);

/// The dependency groups of every importer and of the top level.
fn groups(document: &Document) -> Vec<Group<'_>> {
    let importers = Entries::of(document.importers.as_ref()).iter();
    let sections = importers
        .filter_map(|(_, importer)| importer.as_ref())
        .flat_map(|i| {
            [
                (false, &i.dependencies),
                (true, &i.dev_dependencies),
                (false, &i.optional_dependencies),
            ]
        });
    let top = [
        (false, &document.dependencies),
        (true, &document.dev_dependencies),
        (false, &document.optional_dependencies),
    ];
    let mut groups: Vec<Group<'_>> = top
        .into_iter()
        .chain(sections)
        .filter_map(|(dev, group)| Some((dev, group.as_ref()?.0.as_slice())))
        .collect();
    if document.importers.is_some() && groups.is_empty() {
        // Importers without dependencies still say what the project depends on: nothing.
        groups.push((false, &[]));
    }
    groups
}

/// v9 snapshots as a graph: one node per snapshot key, edges to its dependencies.
struct Graph<'a> {
    by_key: HashMap<&'a str, usize>,
    /// The `packages` entry of each node, when there is one.
    package: Vec<Option<usize>>,
    edges: Vec<Vec<usize>>,
}

impl<'a> Graph<'a> {
    fn new(
        snapshots: &'a Entries<String, Option<Snapshot>>,
        packages: &HashMap<&str, usize>,
    ) -> Self {
        let by_key: HashMap<&str, usize> = snapshots
            .0
            .iter()
            .enumerate()
            .map(|(i, (key, _))| (key.as_str(), i))
            .collect();
        let package = snapshots
            .0
            .iter()
            .map(|(key, _)| packages.get(strip_peers(Format::V9, key)).copied())
            .collect();
        let edges = snapshots
            .0
            .iter()
            .map(|(_, snapshot)| {
                let Some(snapshot) = snapshot else {
                    return Vec::new();
                };
                let groups = [&snapshot.dependencies, &snapshot.optional_dependencies];
                groups
                    .into_iter()
                    .flat_map(|group| Entries::of(group.as_ref()))
                    .filter_map(|(name, value)| {
                        let candidates = dependency_keys(Format::V9, name, value)?;
                        candidates
                            .iter()
                            .find_map(|c| by_key.get(c.as_str()).copied())
                    })
                    .collect()
            })
            .collect();
        Graph {
            by_key,
            package,
            edges,
        }
    }

    /// The snapshots of the `packages` entry `package`.
    fn nodes_of(&self, package: usize) -> impl Iterator<Item = usize> + '_ {
        let nodes = self.package.iter().enumerate();
        nodes
            .filter(move |(_, p)| **p == Some(package))
            .map(|(node, _)| node)
    }

    /// The nodes reachable from `roots` (breadth first, each node once).
    fn reach(&self, roots: impl Iterator<Item = usize>) -> Vec<bool> {
        let mut seen = vec![false; self.edges.len()];
        let mut queue: VecDeque<usize> = roots.collect();
        while let Some(node) = queue.pop_front() {
            if std::mem::replace(&mut seen[node], true) {
                continue;
            }
            queue.extend(self.edges[node].iter().copied().filter(|&n| !seen[n]));
        }
        seen
    }
}
