//! Migrations, and several writers on one database.

use super::*;

pub(crate) fn opening_twice_migrates_once(db: &Db) {
    let u = user(db.store(), "una@example.org", Role::Admin);
    for _ in 0..2 {
        let again = db.reopen().unwrap();
        assert_eq!(again.backend(), db.store().backend());
        assert_eq!(again.user(u).unwrap().map(|x| x.id), Some(u));
        assert_eq!(again.count_users().unwrap(), 1);
        assert_eq!(again.events(0, 100).unwrap().len(), 1);
    }
    // Both see each other's writes.
    let again = db.reopen().unwrap();
    let v = user(&*again, "vic@example.org", Role::Reporter);
    assert!(db.store().user(v).unwrap().is_some());
    verify_chain(db, 2);
}

pub(crate) fn a_newer_schema_is_refused(db: &Db) {
    let supported = match db.store().backend() {
        Backend::Sqlite => ward_store::sqlite::SqliteStore::schema_version(),
        Backend::Postgres => ward_store::postgres::PgStore::schema_version(),
    };
    assert!(supported >= 1);
    db.pretend_migrated_to(supported + 1);
    match db.reopen() {
        Err(Error::TooNew {
            found,
            supported: s,
        }) => {
            assert_eq!((found, s), (supported + 1, supported));
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
}

pub(crate) fn concurrent_writers_keep_one_gapless_chain(db: &Db) {
    // Two handles on one database (two processes on one SQLite file, two replicas on one
    // PostgreSQL), four threads, events and reports interleaved.
    let second = db.reopen().unwrap();
    let stores: [&dyn Store; 2] = [db.store(), &*second];
    const THREADS: usize = 4;
    const EACH: usize = 20;
    std::thread::scope(|scope| {
        for w in 0..THREADS {
            let store = stores[w % 2];
            scope.spawn(move || {
                for i in 0..EACH {
                    if i % 2 == 0 {
                        store.append_event(&ev(&format!("w{w}.{i}"))).unwrap();
                    } else {
                        store
                            .create_report(&new_report(t(0), None), &[], &ev(&format!("w{w}.{i}")))
                            .unwrap();
                    }
                }
            });
        }
    });
    let events = db.store().events(0, 10_000).unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=(THREADS * EACH) as i64).collect::<Vec<_>>());
    let distinct: BTreeSet<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(distinct.len(), THREADS * EACH, "every event once");
    assert_eq!(db.store().clocks().unwrap().len(), THREADS * EACH / 2);
    verify_chain(db, THREADS * EACH);
}
