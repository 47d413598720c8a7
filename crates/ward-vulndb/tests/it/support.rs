//! Fresh databases, and archive helpers that do not go through ward (so the counts they give
//! are independent of it). Where the shared data is, and reading its archives, come from
//! ward-testkit.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::TempDir;
use ward_vulndb::Database;

pub(crate) use ward_testkit::{archive_files, shared_data};

/// A new, empty database in a temporary directory (kept alive by the returned guard).
pub(crate) fn fresh_db() -> (TempDir, Database) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = Database::open(&dir.path().join("db")).expect("a new database opens");
    (dir, db)
}

/// Writes `members` into `dir`, creating directories: a tree to import or to sync as a
/// checkout.
pub(crate) fn write_tree(dir: &Path, members: &[(String, Vec<u8>)]) {
    for (path, bytes) in members {
        let target = dir.join(path);
        fs::create_dir_all(target.parent().expect("a parent")).expect("directories are created");
        fs::write(&target, bytes).expect("the file is written");
    }
}

/// A zip archive at `path` holding `members`, deflated.
pub(crate) fn write_zip(path: &Path, members: &[(String, Vec<u8>)]) {
    let file = File::create(path).expect("the zip is created");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        zip.start_file(name.as_str(), options)
            .expect("a member starts");
        zip.write_all(bytes).expect("the member is written");
    }
    zip.finish().expect("the zip is finished");
}

/// The Go vulnerability database's OSV records (`data/osv/GO-*.json`), by path.
pub(crate) fn go_records(data: &Path) -> Vec<(String, Vec<u8>)> {
    archive_files(&data.join("golang-vulndb/golang-vulndb-osv-and-reports.tar.zst"))
        .into_iter()
        .filter(|(path, _)| path.contains("/data/osv/GO-") && path.ends_with(".json"))
        .collect()
}

/// The `id` of an OSV JSON record, read with serde_json alone.
pub(crate) fn json_id(bytes: &[u8]) -> String {
    let value: serde_json::Value = serde_json::from_slice(bytes).expect("JSON");
    value["id"].as_str().expect("an id").to_owned()
}

/// A minimal OSV record about one package: `introduced` and `fixed` as given (`fixed` may be
/// empty for an open range), with `aliases`.
pub(crate) fn record(
    id: &str,
    modified: &str,
    package: (&str, &str),
    range: (&str, &str),
    aliases: &[&str],
) -> serde_json::Value {
    let mut events = vec![serde_json::json!({ "introduced": range.0 })];
    if !range.1.is_empty() {
        events.push(serde_json::json!({ "fixed": range.1 }));
    }
    serde_json::json!({
        "schema_version": "1.7.0",
        "id": id,
        "modified": modified,
        "aliases": aliases,
        "summary": format!("{id} in {}", package.1),
        "affected": [{
            "package": { "ecosystem": package.0, "name": package.1 },
            "ranges": [{ "type": "ECOSYSTEM", "events": events }],
        }],
    })
}

/// Writes each record as `<dir>/<id>.json` and returns `dir`.
pub(crate) fn write_records(dir: &Path, records: &[serde_json::Value]) -> PathBuf {
    fs::create_dir_all(dir).expect("the directory is created");
    for r in records {
        let id = r["id"].as_str().expect("an id");
        fs::write(
            dir.join(format!("{id}.json")),
            serde_json::to_vec_pretty(r).expect("JSON"),
        )
        .expect("the record is written");
    }
    dir.to_owned()
}
