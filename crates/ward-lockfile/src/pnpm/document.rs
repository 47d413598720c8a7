//! The parts of a `pnpm-lock.yaml` ward reads, as serde types; everything else is skipped.
//!
//! Traps:
//! - `lockfileVersion` is a YAML number in v5 (`5.4`) and a string from v6 (`'6.0'`); a
//!   `String` field receives either as written;
//! - a dependency's value is a string in v5 (`1.2.3_peer@1.0.0`) and a map
//!   `{specifier, version}` in v6 and v9 importers;
//! - package bodies may be empty (`/foo/1.0.0:` with no value), which YAML reads as null;
//! - maps keep their file order, and package keys their line, through [`Entries`].

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde_saphyr::Spanned;

/// The document's top level.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Document {
    pub(super) lockfile_version: Option<String>,
    /// Workspaces (v5 to v9): path → its dependencies.
    pub(super) importers: Option<Entries<String, Option<Importer>>>,
    /// The project's own dependencies (single-project v5 and v6 files).
    pub(super) dependencies: Option<Entries<String, DependencyRef>>,
    pub(super) dev_dependencies: Option<Entries<String, DependencyRef>>,
    pub(super) optional_dependencies: Option<Entries<String, DependencyRef>>,
    pub(super) packages: Option<Entries<Spanned<String>, Option<PackageBody>>>,
    /// v9: one node per package and peer set, with its dependencies.
    pub(super) snapshots: Option<Entries<String, Option<Snapshot>>>,
}

/// One project's dependencies, by group.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Importer {
    pub(super) dependencies: Option<Entries<String, DependencyRef>>,
    pub(super) dev_dependencies: Option<Entries<String, DependencyRef>>,
    pub(super) optional_dependencies: Option<Entries<String, DependencyRef>>,
}

/// A package's body; every field is optional because keys usually say name and version.
#[derive(Debug, Deserialize)]
pub(super) struct PackageBody {
    pub(super) name: Option<String>,
    pub(super) version: Option<String>,
    pub(super) resolution: Option<Resolution>,
    pub(super) dev: Option<bool>,
}

/// Where pnpm fetched a package from.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Resolution {
    pub(super) tarball: Option<String>,
    pub(super) repo: Option<String>,
    pub(super) commit: Option<String>,
    pub(super) directory: Option<String>,
    #[serde(rename = "type")]
    pub(super) kind: Option<String>,
}

/// A v9 snapshot's dependencies (name → version with peers, or `alias@version`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Snapshot {
    pub(super) dependencies: Option<Entries<String, String>>,
    pub(super) optional_dependencies: Option<Entries<String, String>>,
}

/// What a dependency resolved to: the v5 string, or the `version` of a v6/v9 map.
#[derive(Debug, Default)]
pub(super) struct DependencyRef(pub(super) String);

/// A YAML map as its entries in file order.
#[derive(Debug)]
pub(super) struct Entries<K, V>(pub(super) Vec<(K, V)>);

impl<K, V> Entries<K, V> {
    /// The entries of an optional map.
    pub(super) fn of(map: Option<&Self>) -> &[(K, V)] {
        map.map_or(&[], |m| m.0.as_slice())
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Entries<K, V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<K, V> {
            type Value = Entries<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

impl<'de> Deserialize<'de> for DependencyRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RefVisitor;
        impl<'de> Visitor<'de> for RefVisitor {
            type Value = DependencyRef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a version string or a map with a \"version\"")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(DependencyRef(value.to_owned()))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
                Ok(DependencyRef(value.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
                Ok(DependencyRef(value.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Self::Value, E> {
                Ok(DependencyRef(value.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut version = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "version" {
                        version = Some(map.next_value::<String>()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                version
                    .map(DependencyRef)
                    .ok_or_else(|| serde::de::Error::missing_field("version"))
            }
        }
        deserializer.deserialize_any(RefVisitor)
    }
}
