//! Grouping the ids one vulnerability is known by (CVE, GHSA, RUSTSEC, NSWG, PYSEC...), so a
//! scan reports it once.
//!
//! Two ids are the same vulnerability when one record lists the other in `aliases`; the
//! relation is symmetric and transitive (OSV schema, "aliases field": "if A aliases B and B
//! aliases C, then A aliases C"), so groups are the connected components, found with a
//! union-find.
//!
//! Traps:
//! - **`related` is not `aliases`**: related records are distinct vulnerabilities and are never
//!   merged.
//! - **Aliases need not be records**: a CVE named only in aliases still joins its group.
//! - **Order**: each group is sorted, and groups are sorted by their first id, so the output
//!   does not depend on the order records were read in.

use std::collections::HashMap;

/// Groups the ids of `records` (each a record's id and its `aliases`) into the sets that name
/// one vulnerability. Every id and alias appears in exactly one group.
///
/// ```
/// let ghsa = ["CVE-2021-1".to_owned()];
/// let rustsec = ["CVE-2021-1".to_owned(), "GHSA-x".to_owned()];
/// let groups = ward_advisory::group_aliases([
///     ("GHSA-x", &ghsa[..]),
///     ("RUSTSEC-2021-1", &rustsec[..]),
///     ("PYSEC-2020-9", &[][..]),
/// ]);
/// assert_eq!(groups, [vec!["CVE-2021-1", "GHSA-x", "RUSTSEC-2021-1"], vec!["PYSEC-2020-9"]]);
/// ```
pub fn group_aliases<'a>(
    records: impl IntoIterator<Item = (&'a str, &'a [String])>,
) -> Vec<Vec<String>> {
    let mut sets = UnionFind::default();
    for (id, aliases) in records {
        let a = sets.index(id);
        for alias in aliases {
            let b = sets.index(alias);
            sets.union(a, b);
        }
    }
    let mut groups: HashMap<usize, Vec<String>> = HashMap::new();
    for i in 0..sets.ids.len() {
        let root = sets.find(i);
        if let Some(id) = sets.ids.get(i) {
            groups.entry(root).or_default().push(id.clone());
        }
    }
    let mut groups: Vec<Vec<String>> = groups.into_values().collect();
    for group in &mut groups {
        group.sort();
    }
    groups.sort();
    groups
}

/// A union-find over ids, with path halving and union by size.
#[derive(Default)]
struct UnionFind {
    ids: Vec<String>,
    index: HashMap<String, usize>,
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn index(&mut self, id: &str) -> usize {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        let i = self.ids.len();
        self.ids.push(id.to_owned());
        self.index.insert(id.to_owned(), i);
        self.parent.push(i);
        self.size.push(1);
        i
    }

    fn find(&mut self, mut i: usize) -> usize {
        while let Some(&p) = self.parent.get(i) {
            if p == i {
                break;
            }
            let grandparent = self.parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(i) {
                *slot = grandparent;
            }
            i = grandparent;
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        let size = |i: usize| self.size.get(i).copied().unwrap_or(1);
        let (big, small) = if size(a) >= size(b) { (a, b) } else { (b, a) };
        let total = size(a) + size(b);
        if let Some(slot) = self.parent.get_mut(small) {
            *slot = big;
        }
        if let Some(slot) = self.size.get_mut(big) {
            *slot = total;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::group_aliases;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn transitive_chains_join_and_order_does_not_matter() {
        let a = ids(&["CVE-1"]);
        let b = ids(&["CVE-2", "CVE-1"]);
        let c = ids(&["CVE-2"]);
        let d = ids(&["CVE-9"]);
        let forward = group_aliases([
            ("GHSA-a", &a[..]),
            ("RUSTSEC-b", &b[..]),
            ("NSWG-ECO-c", &c[..]),
            ("PYSEC-d", &d[..]),
        ]);
        let backward = group_aliases([
            ("PYSEC-d", &d[..]),
            ("NSWG-ECO-c", &c[..]),
            ("RUSTSEC-b", &b[..]),
            ("GHSA-a", &a[..]),
        ]);
        assert_eq!(forward, backward);
        assert_eq!(
            forward,
            [
                ids(&["CVE-1", "CVE-2", "GHSA-a", "NSWG-ECO-c", "RUSTSEC-b"]),
                ids(&["CVE-9", "PYSEC-d"])
            ]
        );
    }

    #[test]
    fn duplicates_and_self_aliases_are_harmless() {
        let own = ids(&["GHSA-a", "GHSA-a"]);
        let groups = group_aliases([("GHSA-a", &own[..]), ("GHSA-a", &own[..])]);
        assert_eq!(groups, [ids(&["GHSA-a"])]);
        assert!(group_aliases(std::iter::empty()).is_empty());
    }
}
