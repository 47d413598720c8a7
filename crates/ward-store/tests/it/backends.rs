//! A fresh, empty store per test: a SQLite file in a temporary directory, or a PostgreSQL
//! schema created for the test and dropped after it (so tests run in parallel on one
//! database). PostgreSQL is `$WARD_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); when it is not reachable its tests skip with
//! a printed reason, unless `WARD_REQUIRE_POSTGRES=1` makes them fail.

use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use ward_desk::seal::Secret;
use ward_store::{Location, Store};

/// A store under test, the audit key it chains with, and how to open it again.
pub(crate) struct Db {
    // Dropped first: the store's connections close before the schema or file goes.
    store: Box<dyn Store>,
    location: Location,
    keys: tempfile::TempDir,
    schema: Option<Schema>,
}

impl Db {
    /// A fresh SQLite file, in a directory that does not exist yet.
    pub(crate) fn sqlite() -> Db {
        let keys = tempfile::tempdir().unwrap();
        let location = Location::Sqlite(keys.path().join("data").join("ward.db"));
        Db::open(location, keys, None)
    }

    /// A fresh PostgreSQL schema, or `None` (with the reason printed) when PostgreSQL is
    /// not reachable and not required.
    pub(crate) fn postgres() -> Option<Db> {
        let base = postgres_url()?;
        let schema = Schema::create(base);
        let keys = tempfile::tempdir().unwrap();
        let location = Location::Postgres(schema.url.clone());
        Some(Db::open(location, keys, Some(schema)))
    }

    fn open(location: Location, keys: tempfile::TempDir, schema: Option<Schema>) -> Db {
        let store = ward_store::open(&location, key(keys.path())).unwrap();
        Db {
            store,
            location,
            keys,
            schema,
        }
    }

    /// The store.
    pub(crate) fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// The audit key the store chains with.
    pub(crate) fn key(&self) -> Secret {
        key(self.keys.path())
    }

    /// Opens the same database again, as a second process or replica would.
    pub(crate) fn reopen(&self) -> ward_store::Result<Box<dyn Store>> {
        ward_store::open(&self.location, self.key())
    }

    /// Records `version` as applied, as a newer ward would have.
    pub(crate) fn pretend_migrated_to(&self, version: i64) {
        match &self.location {
            Location::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, 'future', 0)",
                    [version],
                )
                .unwrap();
            }
            Location::Postgres(url) => {
                let mut client = ::postgres::Client::connect(url, ::postgres::NoTls).unwrap();
                client
                    .execute(
                        "INSERT INTO schema_migrations (version, name) VALUES ($1, 'future')",
                        &[&version],
                    )
                    .unwrap();
            }
        }
    }

    /// The SQLite file, when this is SQLite.
    pub(crate) fn sqlite_path(&self) -> Option<&Path> {
        match &self.location {
            Location::Sqlite(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }

    /// The connection URL of the test's schema, when this is PostgreSQL.
    pub(crate) fn postgres_url(&self) -> Option<&str> {
        self.schema.as_ref().map(|s| s.url.as_str())
    }
}

fn key(dir: &Path) -> Secret {
    Secret::load_or_create(dir, "audit").unwrap()
}

/// A schema of its own for one test, dropped with everything in it afterwards.
struct Schema {
    base: String,
    name: String,
    url: String,
}

impl Schema {
    fn create(base: &str) -> Schema {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "ward_test_{}_{}_{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        connect(base)
            .unwrap()
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .unwrap();
        Schema {
            base: base.to_owned(),
            url: with_search_path(base, &name),
            name,
        }
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut client) = connect(&self.base) {
            let _ = client.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}

/// `base` with the schema first on the search path of every connection. Commits do not
/// wait for the disk (`synchronous_commit=off`): durability is PostgreSQL's, not under test
/// here, and thousands of flushes would make the suite crawl.
fn with_search_path(base: &str, schema: &str) -> String {
    if base.starts_with("postgres://") || base.starts_with("postgresql://") {
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff")
    } else {
        format!("{base} options='-csearch_path={schema} -csynchronous_commit=off'")
    }
}

fn connect(url: &str) -> Result<::postgres::Client, ::postgres::Error> {
    let mut config: ::postgres::Config = url.parse()?;
    config.connect_timeout(Duration::from_secs(5));
    config.connect(::postgres::NoTls)
}

/// The PostgreSQL of the tests, probed once.
fn postgres_url() -> Option<&'static str> {
    static URL: OnceLock<(String, Result<(), String>)> = OnceLock::new();
    let (url, reachable) = URL.get_or_init(|| {
        let url = std::env::var("WARD_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        let reachable = connect(&url).map(drop).map_err(|e| {
            let mut why = e.to_string();
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                why = format!("{why}: {c}");
                cause = c.source();
            }
            why
        });
        (url, reachable)
    });
    match reachable {
        Ok(()) => Some(url),
        Err(e) => {
            skip_or_fail(&format!(
                "PostgreSQL is not reachable at {} ({e}; set WARD_TEST_POSTGRES_URL)",
                redact(url)
            ));
            None
        }
    }
}

/// The URL without its password.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if url[scheme + 3..at].contains(':') => {
            let user_end = scheme + 3 + url[scheme + 3..at].find(':').unwrap_or(0);
            format!("{}:***{}", &url[..user_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[allow(
    clippy::print_stderr,
    reason = "the skip reason belongs in the test output"
)]
fn skip_or_fail(reason: &str) {
    if std::env::var("WARD_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!("{reason}, and WARD_REQUIRE_POSTGRES=1 makes this suite required");
    }
    eprintln!("SKIPPED: {reason}");
}
