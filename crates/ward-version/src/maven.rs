//! Maven versions, ordered as Maven's `ComparableVersion` orders them (3.8.7, without its
//! MNG-7644 change, which OSV's ordering does not have: see the traps), and Maven version
//! ranges as `VersionRange.createFromVersionSpec` reads them ([`parse_range`], in
//! `maven/range.rs`).
//!
//! A version is split into items: numbers and qualifiers, separated by `.`, by `-`, and by
//! every transition between digits and letters. A `-`, and each digit/letter transition,
//! opens a sub-list, so `1-1` is `[1, [1]]`, which sorts *below* `1.1` = `[1, 1]`. Each list
//! then drops its trailing "null" items (`0`, the release qualifier, empty lists), which is
//! why `1.0.0 == 1 == 1-0 == 1.ga`.
//!
//! Traps:
//! - **`1-1 < 1.1`, and `1.0.0.RELEASE == 1`**: a hyphen opens a sub-list that sorts below a
//!   number at the same position, and `ga`, `final` and `release` are the release itself. The
//!   item tree is built exactly as Maven builds it, then compared item by item.
//! - **Qualifier order is not alphabetical**: `alpha < beta < milestone < rc = cr <
//!   snapshot < "" = ga = final = release < sp`, then every unknown qualifier, in
//!   case-insensitive lexical order (`1-sp < 1-abc < 1-xyz`), and every qualifier below a
//!   number (`1-xyz < 1.1`).
//! - **`a`, `b`, `m` are shorthands only when a digit follows**: `1a1 == 1-alpha-1`, but
//!   `1-a` is the unknown qualifier `a`, which sorts *above* the release (`1-a > 1`).
//! - **Maven 3.8.7 and OSV disagree on a qualifier after a dot** (MNG-7644): the 3.8.7 jar
//!   opens a sub-list for a qualifier that follows a `.` and runs into digits or to the end
//!   (`1.sp == 1-sp`, `1.0.0.X1 < 1.0.0-X2`); OSV's ordering does not, and real Maven
//!   Central histories in OSV's test data need the older rule (`6.1.12.rc5 < 6.1.12rc1`,
//!   `2.9.0-1 < 2.9.0.RC1`, `1.0.0rc0 < 1.0.beta8`). OSV wins: ward builds the tree as
//!   Maven did before MNG-7644 (everything else, including MNG-6964, as in 3.8.7), and the
//!   differential test against the 3.8.7 jar leaves out exactly that class of versions.
//! - **Trailing nulls are trimmed per list, skipping over sub-lists**: `1.0-1` is `[1, [1]]`
//!   (the `0` before the sub-list goes too) and `1-0-1` is `[1, [[1]]]`; both come from
//!   Maven's own `normalize`, replicated item for item.
//! - **Numbers have no size limit and leading zeros do not count**: `001 == 1`, and
//!   `12345678901234567890.1 > 1234567890.12345`; items are [`Number`]s.
//! - **Maven's order is not a total order**: a qualifier in a dotted position sorts below
//!   any sub-list but above "nothing" when it is not a pre-release, and a kept zero equals
//!   "nothing" but beats a sub-list, so `1-alpha < 1 < 1.foo < 1-alpha` and
//!   `1.0.alpha < 1 < 1-sp < 1.0.alpha` (the 3.8.7 jar agrees; MNG-7644 removed only part
//!   of this). ward answers every pair exactly as Maven does, so `Ord` is not transitive on
//!   such inputs; [`parse_range`] refuses to merge restrictions whose bounds form a cycle.
//! - **Maven accepts any string as a version**, including spaces, brackets and non-ASCII
//!   letters (which Java lowercases and orders by UTF-16 units). ward accepts printable ASCII
//!   except whitespace and the range metacharacters `[ ] ( ) ,` (which cannot appear inside a
//!   Maven range unambiguously), and rejects the rest with an error instead of guessing; no
//!   version on Maven Central needs them.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::VersionError;
use crate::number::Number;

mod range;

pub use range::parse_range;

const SYNTAX: &str = "Maven";

/// A Maven version: the string as written, and the item tree Maven compares.
///
/// `Eq`, `Ord` and `Hash` follow `ComparableVersion`: `1.0 == 1 == 1.0.0.GA`.
#[derive(Debug, Clone)]
pub struct Version {
    original: Box<str>,
    items: Vec<Item>,
}

/// One item of a Maven version's tree, after normalization.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Item {
    /// A run of digits.
    Int(Number),
    /// A lowercased qualifier, aliases resolved (`ga`, `final`, `release` → ``, `cr` → `rc`).
    Str(Box<str>),
    /// A sub-list, opened by `-` or by a transition to digits after a qualifier.
    List(Vec<Item>),
}

/// Where a qualifier sorts: the known ones by rank, then unknown ones lexically.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Qualifier<'a> {
    Known(u8),
    Unknown(&'a str),
}

/// The rank of the empty qualifier, the release: qualifiers below it are pre-releases.
const RELEASE: Qualifier<'static> = Qualifier::Known(5);

fn qualifier(value: &str) -> Qualifier<'_> {
    match value {
        "alpha" => Qualifier::Known(0),
        "beta" => Qualifier::Known(1),
        "milestone" => Qualifier::Known(2),
        "rc" => Qualifier::Known(3),
        "snapshot" => Qualifier::Known(4),
        "" => RELEASE,
        "sp" => Qualifier::Known(6),
        other => Qualifier::Unknown(other),
    }
}

/// A qualifier item: shorthands (only when a digit follows) and aliases resolved.
fn qualifier_item(text: &str, followed_by_digit: bool) -> Item {
    let text = match (followed_by_digit, text) {
        (true, "a") => "alpha",
        (true, "b") => "beta",
        (true, "m") => "milestone",
        (_, "ga" | "final" | "release") => "",
        (_, "cr") => "rc",
        (_, other) => other,
    };
    Item::Str(text.into())
}

impl Item {
    /// Whether normalization drops this item from the end of a list.
    fn is_null(&self) -> bool {
        match self {
            Item::Int(n) => n.is_zero(),
            Item::Str(s) => qualifier(s) == RELEASE,
            Item::List(items) => items.is_empty(),
        }
    }

    /// Compares with the item at the same position of the other version, `None` when the
    /// other version has no item there (it is then padded with "nothing").
    fn compare(&self, other: Option<&Item>) -> Ordering {
        match (self, other) {
            (Item::Int(n), None) => {
                if n.is_zero() {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            (Item::Int(a), Some(Item::Int(b))) => a.cmp(b),
            (Item::Int(_), Some(_)) => Ordering::Greater,
            (Item::Str(s), None) => qualifier(s).cmp(&RELEASE),
            (Item::Str(a), Some(Item::Str(b))) => qualifier(a).cmp(&qualifier(b)),
            (Item::Str(_), Some(_)) => Ordering::Less,
            // MNG-6964: every item of the list counts against "nothing", not only the first.
            (Item::List(items), None) => items
                .iter()
                .map(|i| i.compare(None))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal),
            (Item::List(_), Some(Item::Int(_))) => Ordering::Less,
            (Item::List(_), Some(Item::Str(_))) => Ordering::Greater,
            (Item::List(a), Some(Item::List(b))) => compare_lists(a, b),
        }
    }
}

fn compare_lists(a: &[Item], b: &[Item]) -> Ordering {
    let len = a.len().max(b.len());
    for i in 0..len {
        let order = match (a.get(i), b.get(i)) {
            (Some(l), r) => l.compare(r),
            (None, Some(r)) => r.compare(None).reverse(),
            (None, None) => Ordering::Equal,
        };
        if order.is_ne() {
            return order;
        }
    }
    Ordering::Equal
}

/// A list under construction: leaf items and references to child lists by index.
enum Node {
    Leaf(Item),
    Child(usize),
}

/// Builds the item tree the way `ComparableVersion.parseVersion` does, for a lowercased
/// ASCII string.
fn parse_items(lower: &str) -> Vec<Item> {
    // Lists live in an arena while parsing: Maven keeps appending to the innermost open list.
    let mut lists: Vec<Vec<Node>> = vec![Vec::new()];
    let mut current = 0;
    let open = |lists: &mut Vec<Vec<Node>>, parent: usize| -> usize {
        let id = lists.len();
        lists.push(Vec::new());
        if let Some(list) = lists.get_mut(parent) {
            list.push(Node::Child(id));
        }
        id
    };
    let push = |lists: &mut Vec<Vec<Node>>, at: usize, item: Item| {
        if let Some(list) = lists.get_mut(at) {
            list.push(Node::Leaf(item));
        }
    };
    let token = |is_digit: bool, text: &str| -> Item {
        if is_digit {
            Item::Int(Number::parse(text).unwrap_or(Number::ZERO))
        } else {
            qualifier_item(text, false)
        }
    };
    let mut is_digit = false;
    let mut start = 0;
    for (i, c) in lower.bytes().enumerate() {
        match c {
            b'.' | b'-' => {
                let item = match lower.get(start..i) {
                    Some(text) if !text.is_empty() => token(is_digit, text),
                    _ => Item::Int(Number::ZERO),
                };
                push(&mut lists, current, item);
                start = i + 1;
                if c == b'-' {
                    current = open(&mut lists, current);
                }
            }
            b'0'..=b'9' => {
                if !is_digit && i > start {
                    // No sub-list before the qualifier (MNG-7644 would open one): OSV's order.
                    let text = lower.get(start..i).unwrap_or_default();
                    push(&mut lists, current, qualifier_item(text, true));
                    start = i;
                    current = open(&mut lists, current);
                }
                is_digit = true;
            }
            _ => {
                if is_digit && i > start {
                    let text = lower.get(start..i).unwrap_or_default();
                    push(&mut lists, current, token(true, text));
                    start = i;
                    current = open(&mut lists, current);
                }
                is_digit = false;
            }
        }
    }
    if lower.len() > start {
        let text = lower.get(start..).unwrap_or_default();
        push(&mut lists, current, token(is_digit, text));
    }
    let mut arena: Vec<Option<Vec<Node>>> = lists.into_iter().map(Some).collect();
    build(&mut arena, 0)
}

/// Turns list `id` of the arena into items, children first, then drops its trailing nulls
/// as `ListItem.normalize` does: walking back from the end, null items go, non-null
/// sub-lists are stepped over, and the first non-null number or qualifier stops the walk.
fn build(arena: &mut [Option<Vec<Node>>], id: usize) -> Vec<Item> {
    let nodes = arena.get_mut(id).and_then(Option::take).unwrap_or_default();
    let mut items: Vec<Item> = nodes
        .into_iter()
        .map(|node| match node {
            Node::Leaf(item) => item,
            Node::Child(child) => Item::List(build(arena, child)),
        })
        .collect();
    let mut i = items.len();
    while i > 0 {
        i -= 1;
        let (null, list) = match items.get(i) {
            Some(item) => (item.is_null(), matches!(item, Item::List(_))),
            None => break,
        };
        if null {
            items.remove(i);
        } else if !list {
            break;
        }
    }
    items
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, s)?;
        if s.is_empty() {
            return Err(VersionError::new(
                SYNTAX,
                s,
                "empty; expected a version such as 1.0 or 2.3.1-SNAPSHOT",
            ));
        }
        if let Some((at, c)) = s
            .char_indices()
            .find(|&(_, c)| !c.is_ascii_graphic() || matches!(c, '[' | ']' | '(' | ')' | ','))
        {
            return Err(VersionError::new(
                SYNTAX,
                s,
                format!(
                    "character {c:?} at byte {at}; expected ASCII letters, digits, '.', '-' \
                     or other printable ASCII other than brackets, parentheses and commas"
                ),
            ));
        }
        Ok(Version {
            original: s.into(),
            items: parse_items(&s.to_ascii_lowercase()),
        })
    }
}

impl Version {
    /// Maven's canonical form (`ComparableVersion.getCanonical`): `1.0.0.GA` → `1`,
    /// `1a1` → `1-alpha-1`. Equal versions have equal canonical forms; as in Maven, the
    /// converse fails where the form hides a nesting (`0-B` and `B` both print `b`).
    pub fn canonical(&self) -> String {
        let mut out = String::new();
        write_canonical(&self.items, &mut out);
        out
    }
}

fn write_canonical(items: &[Item], out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(if matches!(item, Item::List(_)) {
                '-'
            } else {
                '.'
            });
        }
        match item {
            Item::Int(n) => out.push_str(&n.to_string()),
            Item::Str(s) => out.push_str(s),
            Item::List(sub) => write_canonical(sub, out),
        }
    }
}

impl Version {
    /// Whether Maven's ordering is known to be transitive around this version: it has no
    /// item of the kinds behind Maven's ordering cycles (see the traps): a qualifier outside
    /// the first position of a sub-list (`b`, `1.foo`), a null item kept by normalization
    /// (`1.0.alpha`), or a sub-list opening another (`1-0-1`). Ranges answer exactly as Maven
    /// for such versions; for the others, a range of several restrictions can differ.
    pub fn orders_transitively(&self) -> bool {
        !cyclic(&self.items, true)
    }
}

fn cyclic(items: &[Item], top: bool) -> bool {
    items.iter().enumerate().any(|(i, item)| match item {
        Item::List(sub) => i == 0 || cyclic(sub, false),
        Item::Str(_) => top || i > 0,
        Item::Int(n) => n.is_zero(),
    })
}

impl fmt::Display for Version {
    /// The version exactly as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_lists(&self.items, &other.items)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Version {}

impl Hash for Version {
    /// Normalized trees are equal exactly when the versions compare equal (normalization
    /// leaves no item that compares equal to "nothing"), so hashing the tree is consistent.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.items.hash(state);
    }
}

crate::set::intervals_only!(Version);

#[cfg(test)]
mod tests;
