//! `sync` against a real HTTP server on 127.0.0.1 serving zips built from the Go database's
//! records, and against a local checkout with a hand-made `.git`.

use std::fs;
use std::path::Path;

use ward_vulndb::{Database, Error, Limits, Location, NoProgress, Source, SyncAction, SyncOutcome};

use crate::server::{FixtureServer, Logged, etag};
use crate::support::{archive_files, fresh_db, go_records, shared_data, write_tree, write_zip};

/// A zip of `records` (path, bytes), as OSV.dev lays out `all.zip`: `<ID>.json` members.
fn zip_of(dir: &Path, records: &[(String, Vec<u8>)]) -> Vec<u8> {
    let members: Vec<(String, Vec<u8>)> = records
        .iter()
        .map(|(path, bytes)| {
            let name = path.rsplit('/').next().expect("a file name").to_owned();
            (name, bytes.clone())
        })
        .collect();
    let path = dir.join("fixture.zip");
    write_zip(&path, &members);
    fs::read(&path).expect("the zip reads")
}

fn url_source(name: &str, url: String) -> Source {
    Source {
        name: name.to_owned(),
        location: Location::Url(url),
        ecosystems: Vec::new(),
        allow_http: false,
    }
}

fn sync_one(db: &mut Database, source: &Source) -> SyncOutcome {
    let mut report = db
        .sync(std::slice::from_ref(source), &mut NoProgress)
        .expect("sync runs");
    assert_eq!(report.sources.len(), 1);
    report.sources.remove(0)
}

fn get(path: &str, if_none_match: Option<&str>, status: u16) -> Logged {
    Logged {
        path: path.to_owned(),
        if_none_match: if_none_match.map(str::to_owned),
        status,
    }
}

/// Syncs `source` once; fails unless the answer is "not modified" and the server saw exactly
/// `requests`.
fn assert_not_modified(
    db: &mut Database,
    source: &Source,
    server: &FixtureServer,
    requests: &[Logged],
) {
    let outcome = sync_one(db, source);
    assert!(
        matches!(outcome.result, Ok(SyncAction::NotModified)),
        "{outcome:?}"
    );
    assert_eq!(server.take_log(), requests);
}

/// A record's `modified`, id, and (path, bytes).
type Timed = (String, String, (String, Vec<u8>));

/// RustSec's OSV records sorted by `modified`, oldest first, with their ids and times. (The
/// Go database's own files all say `modified: 0001-01-01T00:00:00Z`: OSV.dev sets the time
/// when it publishes them.)
fn rustsec_by_modified(data: &Path) -> Vec<Timed> {
    let mut records: Vec<_> =
        archive_files(&data.join("rustsec-advisory-db/rustsec-osv-export.tar.zst"))
            .into_iter()
            .filter(|(path, _)| path.ends_with(".json") && path.contains("/RUSTSEC-"))
            .map(|(path, bytes)| {
                let v: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
                let id = v["id"].as_str().expect("id").to_owned();
                let modified = v["modified"].as_str().expect("modified").to_owned();
                (modified, id, (path, bytes))
            })
            .collect();
    records.sort_by(|a, b| {
        let t = |s: &str| s.parse::<jiff::Timestamp>().expect("RFC 3339");
        (t(&a.0), &a.1).cmp(&(t(&b.0), &b.1))
    });
    records
}

#[test]
fn a_dump_is_downloaded_then_not_modified_then_downloaded_again_when_it_changes() {
    let Some(data) = shared_data() else { return };
    let (dir, mut db) = fresh_db();
    let records = go_records(&data);
    let server = FixtureServer::start();
    let first = zip_of(dir.path(), &records[..40]);
    server.put("/osv/Go/all.zip", first.clone());
    let source = url_source("go", format!("{}/osv/Go/all.zip", server.base));

    let outcome = sync_one(&mut db, &source);
    assert!(
        matches!(outcome.result, Ok(SyncAction::Downloaded { .. })),
        "{outcome:?}"
    );
    assert_eq!(outcome.report.added, 40);
    assert_eq!(server.take_log(), [get("/osv/Go/all.zip", None, 200)]);

    // Nothing changed: no modified_id.csv here, so a conditional GET answered 304.
    assert_not_modified(
        &mut db,
        &source,
        &server,
        &[
            get("/osv/Go/modified_id.csv", None, 404),
            get("/osv/Go/all.zip", Some(&etag(&first)), 304),
        ],
    );

    // The dump grows by five records.
    let second = zip_of(dir.path(), &records[..45]);
    server.put("/osv/Go/all.zip", second.clone());
    let outcome = sync_one(&mut db, &source);
    assert!(
        matches!(outcome.result, Ok(SyncAction::Downloaded { .. })),
        "{outcome:?}"
    );
    assert_eq!((outcome.report.added, outcome.report.unchanged), (5, 40));
    assert_eq!(
        server.take_log(),
        [
            get("/osv/Go/modified_id.csv", None, 404),
            get("/osv/Go/all.zip", Some(&etag(&first)), 200),
        ]
    );
    let stats = db.stats().expect("stats");
    assert_eq!(stats.records, 45);
    let go = stats
        .sources
        .iter()
        .find(|s| s.name == "go")
        .expect("the source");
    assert_eq!((go.records, go.etag.clone()), (45, Some(etag(&second))));
    assert_eq!(go.kind, "url");
}

#[test]
fn modified_id_csv_fetches_only_the_new_records() {
    let Some(data) = shared_data() else { return };
    let (dir, mut db) = fresh_db();
    let all = rustsec_by_modified(&data);
    // The newest few records, cut where `modified` changes so that they are strictly newer.
    let t = |s: &str| s.parse::<jiff::Timestamp>().expect("RFC 3339");
    let cut = (1..=all.len() - 3)
        .rev()
        .find(|&k| t(&all[k - 1].0) < t(&all[k].0))
        .expect("records modified at different times");
    let (old, new) = (&all[cut - 30..cut], &all[cut..]);
    assert!(new.len() < 20, "{}", new.len());
    let csv = |rows: &[&Timed]| {
        let mut rows = rows.to_vec();
        rows.reverse(); // newest first, as OSV.dev writes it
        rows.iter()
            .map(|(m, id, _)| format!("{m},{id}\n"))
            .collect::<String>()
            .into_bytes()
    };
    let server = FixtureServer::start();
    let zipped: Vec<(String, Vec<u8>)> = old.iter().map(|r| r.2.clone()).collect();
    server.put("/crates.io/all.zip", zip_of(dir.path(), &zipped));
    server.put(
        "/crates.io/modified_id.csv",
        csv(&old.iter().collect::<Vec<_>>()),
    );
    for (_, id, (_, bytes)) in all.iter().skip(cut - 30) {
        server.put(&format!("/crates.io/{id}.json"), bytes.clone());
    }
    let source = url_source("rustsec", format!("{}/crates.io/all.zip", server.base));

    // The first sync has no mark to compare with: the whole dump.
    let outcome = sync_one(&mut db, &source);
    assert_eq!(outcome.report.added, 30, "{outcome:?}");
    assert_eq!(server.take_log(), [get("/crates.io/all.zip", None, 200)]);

    // The CSV lists nothing newer.
    assert_not_modified(
        &mut db,
        &source,
        &server,
        &[get("/crates.io/modified_id.csv", None, 200)],
    );

    // New records appear: exactly those are fetched, and the zip is not.
    server.put(
        "/crates.io/modified_id.csv",
        csv(&all[cut - 30..].iter().collect::<Vec<_>>()),
    );
    let outcome = sync_one(&mut db, &source);
    let fetched = new.len();
    assert_eq!(
        outcome.result.as_ref().ok(),
        Some(&SyncAction::Incremental { fetched }),
        "{outcome:?}"
    );
    assert_eq!(outcome.report.added, fetched as u64);
    let mut expected = vec![get("/crates.io/modified_id.csv", None, 200)];
    expected.extend(
        new.iter()
            .rev()
            .map(|(_, id, _)| get(&format!("/crates.io/{id}.json"), None, 200)),
    );
    assert_eq!(server.take_log(), expected);
    assert_eq!(db.stats().expect("stats").records, 30 + fetched as u64);
    assert_eq!(db.show(&new[0].1).expect("show").len(), 1);

    assert_not_modified(
        &mut db,
        &source,
        &server,
        &[get("/crates.io/modified_id.csv", None, 200)],
    );
}

#[test]
fn failures_name_the_url_and_status_and_write_nothing() {
    let (_dir, mut db) = fresh_db();
    let server = FixtureServer::start();
    server.fail("/broken/all.zip", 500);
    let broken = url_source("broken", format!("{}/broken/all.zip", server.base));
    let missing = url_source("missing", format!("{}/missing/all.zip", server.base));
    let remote = url_source("remote", "http://advisories.example/all.zip".to_owned());
    let report = db
        .sync(&[broken, missing, remote], &mut NoProgress)
        .expect("sync runs");
    let messages: Vec<String> = report
        .sources
        .iter()
        .map(|o| match &o.result {
            Err(e) => e.to_string(),
            Ok(action) => panic!("{}: {action:?}", o.source),
        })
        .collect();
    assert_eq!(
        messages,
        [
            format!("GET {}/broken/all.zip: the server answered 500", server.base),
            format!("GET {}/missing/all.zip: the server answered 404", server.base),
            "http://advisories.example/all.zip: plain http is allowed only for 127.0.0.1 and localhost, or with `allow_http = true`".to_owned(),
        ]
    );
    assert_eq!(
        server.take_log().len(),
        2,
        "nothing is sent to a refused URL"
    );
    let stats = db.stats().expect("stats");
    assert_eq!((stats.records, stats.sources.len()), (0, 0));
}

#[test]
fn a_download_past_the_limit_is_refused() {
    let Some(data) = shared_data() else { return };
    let (dir, mut db) = fresh_db();
    let server = FixtureServer::start();
    server.put("/all.zip", zip_of(dir.path(), &go_records(&data)[..20]));
    db.set_limits(Limits {
        max_download_bytes: 1000,
        ..Limits::default()
    });
    let outcome = sync_one(
        &mut db,
        &url_source("go", format!("{}/all.zip", server.base)),
    );
    assert!(
        matches!(
            outcome.result,
            Err(Error::TooLarge {
                what: "the download",
                limit: 1000,
                ..
            })
        ),
        "{outcome:?}"
    );
    assert_eq!(db.stats().expect("stats").records, 0);
}

#[test]
fn an_ecosystem_filter_keeps_only_its_records() {
    let Some(data) = shared_data() else { return };
    let (dir, mut db) = fresh_db();
    let server = FixtureServer::start();
    server.put("/all.zip", zip_of(dir.path(), &go_records(&data)[..20]));
    let mut source = url_source("go", format!("{}/all.zip", server.base));
    source.ecosystems = vec!["pypi".into()];
    let outcome = sync_one(&mut db, &source);
    assert_eq!(
        (outcome.report.added, outcome.report.filtered),
        (0, 20),
        "{outcome:?}"
    );
    source.name = "go-only".into();
    source.ecosystems = vec!["Go".into()];
    let outcome = sync_one(&mut db, &source);
    assert_eq!(
        (outcome.report.added, outcome.report.filtered),
        (20, 0),
        "{outcome:?}"
    );
}

#[test]
fn a_git_checkout_is_read_again_only_when_its_commit_changes() {
    let Some(data) = shared_data() else { return };
    let (dir, mut db) = fresh_db();
    let checkout = dir.path().join("advisory-db");
    let members = archive_files(&data.join("rustsec-advisory-db/rustsec-osv-export.tar.zst"));
    write_tree(&checkout, &members);
    let git = checkout.join(".git");
    fs::create_dir_all(git.join("refs/heads")).expect("created");
    fs::write(git.join("HEAD"), "ref: refs/heads/main\n").expect("written");
    let (one, two, three) = ("1".repeat(40), "2".repeat(40), "3".repeat(40));
    fs::write(git.join("refs/heads/main"), format!("{one}\n")).expect("written");
    // A file in .git that detect() would take for a record, to show .git is not read.
    fs::write(git.join("RUSTSEC-0000-0000.json"), "{").expect("written");
    let source = Source {
        name: "rustsec".into(),
        location: Location::Path(checkout.clone()),
        ecosystems: Vec::new(),
        allow_http: false,
    };

    let outcome = sync_one(&mut db, &source);
    assert_eq!(
        outcome.result.as_ref().ok(),
        Some(&SyncAction::Read {
            revision: Some(one.clone())
        })
    );
    assert_eq!(outcome.report.added, 1206);
    assert!(
        outcome.report.rejected.is_empty(),
        "{:?}",
        outcome.report.rejected
    );

    let outcome = sync_one(&mut db, &source);
    assert_eq!(
        outcome.result.as_ref().ok(),
        Some(&SyncAction::UnchangedCommit(one))
    );

    // The branch moves, and is packed.
    fs::remove_file(git.join("refs/heads/main")).expect("removed");
    fs::write(
        git.join("packed-refs"),
        format!("# pack-refs with: peeled fully-peeled sorted\n{two} refs/heads/main\n"),
    )
    .expect("written");
    let outcome = sync_one(&mut db, &source);
    assert_eq!(
        outcome.result.as_ref().ok(),
        Some(&SyncAction::Read {
            revision: Some(two)
        })
    );
    assert_eq!(outcome.report.unchanged, 1206);

    // A detached HEAD.
    fs::write(git.join("HEAD"), format!("{three}\n")).expect("written");
    let outcome = sync_one(&mut db, &source);
    assert_eq!(
        outcome.result.as_ref().ok(),
        Some(&SyncAction::Read {
            revision: Some(three.clone())
        })
    );
    let stats = db.stats().expect("stats");
    let rustsec = stats
        .sources
        .iter()
        .find(|s| s.name == "rustsec")
        .expect("the source");
    assert_eq!(
        (
            rustsec.kind.as_str(),
            rustsec.revision.clone(),
            rustsec.records
        ),
        ("git", Some(three), 1206)
    );

    // A HEAD that points outside the repository is refused.
    fs::write(git.join("HEAD"), "ref: refs/../../../etc/passwd\n").expect("written");
    let outcome = sync_one(&mut db, &source);
    assert!(
        matches!(outcome.result, Err(Error::Malformed { .. })),
        "{outcome:?}"
    );
}

#[test]
fn an_unreadable_modified_id_csv_falls_back_to_the_dump() {
    let Some(data) = shared_data() else { return };
    let (dir, mut db) = fresh_db();
    let server = FixtureServer::start();
    let zip = zip_of(dir.path(), &go_records(&data)[..5]);
    server.put("/all.zip", zip.clone());
    server.put(
        "/modified_id.csv",
        b"2024-01-01T00:00:00Z,../../etc/passwd\n".to_vec(),
    );
    let source = url_source("go", format!("{}/all.zip", server.base));
    assert_eq!(sync_one(&mut db, &source).report.added, 5);
    server.take_log();
    assert_not_modified(
        &mut db,
        &source,
        &server,
        &[
            get("/modified_id.csv", None, 200),
            get("/all.zip", Some(&etag(&zip)), 304),
        ],
    );
}
