//! Imports as a whole: atomicity, idempotence, which record wins, archive limits, progress.

use std::fs;

use ward_vulndb::{Error, Limits, NoProgress, Progress};

use crate::support::{fresh_db, go_records, record, shared_data, write_records, write_zip};

#[test]
fn a_corrupt_archive_rolls_back_the_whole_import() {
    let (dir, mut db) = fresh_db();
    let first = write_records(
        &dir.path().join("first"),
        &[record(
            "GHSA-aaaa-aaaa-aaaa",
            "2024-01-01T00:00:00Z",
            ("npm", "left-pad"),
            ("0", "1.0.1"),
            &[],
        )],
    );
    db.import(&[&first], &mut NoProgress)
        .expect("the first import succeeds");
    let before = db.stats().expect("stats");

    // A good directory, then a zip that is not one: the good records must not appear.
    let second = write_records(
        &dir.path().join("second"),
        &[record(
            "GHSA-bbbb-bbbb-bbbb",
            "2024-01-01T00:00:00Z",
            ("npm", "lodash"),
            ("0", "4.17.21"),
            &[],
        )],
    );
    let corrupt = dir.path().join("corrupt.zip");
    fs::write(&corrupt, b"PK\x03\x04 this is not a zip archive").expect("written");
    let err = db
        .import(&[&second, &corrupt], &mut NoProgress)
        .expect_err("a corrupt zip fails the import");
    assert!(
        matches!(err, Error::Archive { format: "zip", .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("corrupt.zip"), "{err}");

    let after = db.stats().expect("stats");
    assert_eq!(after.records, before.records);
    assert_eq!(after.sources, before.sources);
    assert!(db.show("GHSA-bbbb-bbbb-bbbb").expect("show").is_empty());
    assert_eq!(db.show("GHSA-aaaa-aaaa-aaaa").expect("show").len(), 1);
}

#[test]
fn a_truncated_tar_zst_rolls_back() {
    let Some(data) = shared_data() else { return };
    let (dir, mut db) = fresh_db();
    let archive = fs::read(data.join("golang-vulndb/golang-vulndb-osv-and-reports.tar.zst"))
        .expect("the archive reads");
    let truncated = dir.path().join("truncated.tar.zst");
    fs::write(&truncated, &archive[..archive.len() / 2]).expect("written");
    let err = db
        .import(&[&truncated], &mut NoProgress)
        .expect_err("a truncated archive fails");
    assert!(
        matches!(
            err,
            Error::Archive {
                format: "tar.zst",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        db.stats().expect("stats").records,
        0,
        "nothing of it is visible"
    );
}

#[test]
fn reimport_is_idempotent() {
    let Some(data) = shared_data() else { return };
    let archive = data.join("golang-vulndb/golang-vulndb-osv-and-reports.tar.zst");
    let (_dir, mut db) = fresh_db();
    let first = db.import(&[&archive], &mut NoProgress).expect("imports");
    let stats = db.stats().expect("stats");
    let second = db
        .import(&[&archive], &mut NoProgress)
        .expect("imports again");
    let n = go_records(&data).len() as u64;
    assert_eq!(first.sources[0].added, n);
    let again = &second.sources[0];
    assert_eq!((again.added, again.replaced, again.unchanged), (0, 0, n));
    let restats = db.stats().expect("stats");
    assert_eq!(restats.records, stats.records);
    assert_eq!(restats.ecosystems, stats.ecosystems);
}

#[test]
fn newer_or_equal_replaces_older_is_kept_out() {
    let (dir, mut db) = fresh_db();
    let id = "GHSA-cccc-cccc-cccc";
    let pkg = ("PyPI", "requests");
    let v2 = write_records(
        &dir.path().join("v2"),
        &[record(id, "2024-02-01T00:00:00Z", pkg, ("0", "2.0"), &[])],
    );
    let v1 = write_records(
        &dir.path().join("v1"),
        &[record(id, "2024-01-01T00:00:00Z", pkg, ("0", "1.0"), &[])],
    );
    let v3 = write_records(
        &dir.path().join("v3"),
        &[record(id, "2024-02-01T00:00:00.5Z", pkg, ("0", "3.0"), &[])],
    );

    let report = db.import(&[&v2, &v1], &mut NoProgress).expect("imports");
    assert_eq!(report.sources[0].added, 1);
    assert_eq!(
        report.sources[1].kept_newer, 1,
        "the older record does not replace"
    );
    let shown = db.show(id).expect("show");
    assert_eq!(shown[0].modified, "2024-02-01T00:00:00Z");

    // Half a second later: newer, although it sorts first as text.
    let report = db.import(&[&v3], &mut NoProgress).expect("imports");
    assert_eq!(report.sources[0].replaced, 1);
    let shown = db.show(id).expect("show");
    assert_eq!(shown[0].modified, "2024-02-01T00:00:00.5Z");
    assert_eq!(db.stats().expect("stats").records, 1);
}

#[test]
fn a_zip_member_past_the_limit_is_refused_and_the_rest_imported() {
    let (dir, mut db) = fresh_db();
    db.set_limits(Limits {
        max_member_bytes: 64 << 10,
        ..Limits::default()
    });
    let good = record(
        "GHSA-dddd-dddd-dddd",
        "2024-01-01T00:00:00Z",
        ("npm", "qs"),
        ("0", "6.0.4"),
        &[],
    );
    // One MiB of spaces deflates to about a kilobyte: a small zip bomb.
    let mut bomb = b"{\"id\": \"GHSA-eeee-eeee-eeee\",".to_vec();
    bomb.extend(std::iter::repeat_n(b' ', 1 << 20));
    bomb.extend(b"\"modified\": \"2024-01-01T00:00:00Z\"}");
    let zip = dir.path().join("all.zip");
    write_zip(
        &zip,
        &[
            (
                "GHSA-dddd-dddd-dddd.json".into(),
                serde_json::to_vec(&good).expect("JSON"),
            ),
            ("GHSA-eeee-eeee-eeee.json".into(), bomb),
        ],
    );
    assert!(fs::metadata(&zip).expect("metadata").len() < 64 << 10);
    let report = db
        .import(&[&zip], &mut NoProgress)
        .expect("the import succeeds");
    let source = &report.sources[0];
    assert_eq!(source.added, 1);
    assert_eq!(source.rejected.len(), 1);
    assert!(
        source.rejected[0]
            .origin
            .ends_with("all.zip!GHSA-eeee-eeee-eeee.json")
    );
    assert!(
        source.rejected[0].reason.contains("the limit is 65536"),
        "{:?}",
        source.rejected
    );
}

#[test]
fn archive_totals_past_the_limits_fail_before_reading() {
    let (dir, mut db) = fresh_db();
    let members: Vec<(String, Vec<u8>)> = (0..10)
        .map(|i| {
            let id = format!("GHSA-{i:04}-ffff-ffff");
            let r = record(
                &id,
                "2024-01-01T00:00:00Z",
                ("npm", "x"),
                ("0", "1.0.0"),
                &[],
            );
            (format!("{id}.json"), serde_json::to_vec(&r).expect("JSON"))
        })
        .collect();
    let zip = dir.path().join("all.zip");
    write_zip(&zip, &members);

    db.set_limits(Limits {
        max_members: 9,
        ..Limits::default()
    });
    let err = db
        .import(&[&zip], &mut NoProgress)
        .expect_err("too many members");
    assert!(
        matches!(
            err,
            Error::TooLarge {
                what: "the number of members",
                size: 10,
                limit: 9,
                ..
            }
        ),
        "{err:?}"
    );

    db.set_limits(Limits {
        max_archive_bytes: 1000,
        ..Limits::default()
    });
    let err = db
        .import(&[&zip], &mut NoProgress)
        .expect_err("too large in total");
    assert!(
        matches!(
            err,
            Error::TooLarge {
                what: "the declared uncompressed size",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(db.stats().expect("stats").records, 0);

    db.set_limits(Limits::default());
    let report = db
        .import(&[&zip], &mut NoProgress)
        .expect("within the limits");
    assert_eq!(report.sources[0].added, 10);
}

#[test]
fn a_tar_zst_past_the_total_limit_fails() {
    let Some(data) = shared_data() else { return };
    let (_dir, mut db) = fresh_db();
    db.set_limits(Limits {
        max_archive_bytes: 1 << 20,
        ..Limits::default()
    });
    let err = db
        .import(
            &[data.join("golang-vulndb/golang-vulndb-osv-and-reports.tar.zst")],
            &mut NoProgress,
        )
        .expect_err("35 MB unpacked is past 1 MiB");
    assert!(
        matches!(
            err,
            Error::TooLarge {
                what: "the uncompressed size",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(db.stats().expect("stats").records, 0);
}

#[test]
fn an_explicit_path_that_is_no_advisory_is_an_error() {
    let (dir, mut db) = fresh_db();
    let readme = dir.path().join("README.md");
    fs::write(&readme, "# hello").expect("written");
    let err = db
        .import(&[&readme], &mut NoProgress)
        .expect_err("not an advisory");
    assert!(matches!(err, Error::UnsupportedInput { .. }), "{err:?}");
    let err = db
        .import(&[dir.path().join("missing.json")], &mut NoProgress)
        .expect_err("missing");
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
}

#[derive(Default)]
struct Recorder {
    total: Option<u64>,
    done: u64,
    starts: usize,
    finishes: usize,
}

impl Progress for Recorder {
    fn start(&mut self, total: Option<u64>) {
        self.total = total;
        self.starts += 1;
    }
    fn advance(&mut self, n: u64) {
        self.done += n;
    }
    fn finish(&mut self) {
        self.finishes += 1;
    }
}

#[test]
fn progress_counts_every_input_byte_once() {
    let Some(data) = shared_data() else { return };
    let archive = data.join("golang-vulndb/golang-vulndb-osv-and-reports.tar.zst");
    let eef = data.join("eef-cna-advisories");
    let (_dir, mut db) = fresh_db();
    let mut progress = Recorder::default();
    db.import(&[&archive, &eef], &mut progress)
        .expect("imports");
    assert_eq!((progress.starts, progress.finishes), (1, 1));
    let total = progress.total.expect("a known total");
    assert!(total >= fs::metadata(&archive).expect("metadata").len());
    assert_eq!(progress.done, total);
}
