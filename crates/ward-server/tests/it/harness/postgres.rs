//! A scratch PostgreSQL database per test, made and dumped with the PostgreSQL client tools.

use std::process::Command;

/// A database of its own on the test PostgreSQL, dropped afterwards.
pub(crate) struct ScratchDatabase {
    admin_url: String,
    name: String,
    /// Its URL.
    pub(crate) url: String,
}

impl ScratchDatabase {
    /// Creates it on the PostgreSQL at `base` (the suites' URL); `None` (skipped, with the
    /// reason printed) without psql and pg_dump, unless `WARD_REQUIRE_POSTGRES=1`.
    pub(crate) fn create(base: &str) -> Option<ScratchDatabase> {
        let psql = ward_testkit::find_program(&["psql"]);
        let dump = ward_testkit::find_program(&["pg_dump"]);
        if !ward_testkit::require_or_skip(
            "WARD_REQUIRE_POSTGRES",
            psql.is_some() && dump.is_some(),
            "psql and pg_dump are needed to scan PostgreSQL (Debian: postgresql-client)",
        ) {
            return None;
        }
        let name = format!("ward_marker_{:016x}", rand::random::<u64>());
        let url = with_database(base, &name);
        let database = ScratchDatabase {
            admin_url: base.to_owned(),
            name,
            url,
        };
        psql_run(
            &database.admin_url,
            &format!("CREATE DATABASE {}", database.name),
        );
        Some(database)
    }

    /// Every row of every table, as `pg_dump --data-only` writes it (bytea as hex).
    pub(crate) fn dump(&self) -> Vec<u8> {
        let output = Command::new("pg_dump")
            .args(["--data-only", "--no-owner", "--dbname"])
            .arg(&self.url)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "pg_dump: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("COPY "),
            "the dump has tables"
        );
        output.stdout
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .arg(&self.admin_url)
            .args(["-q", "-c"])
            .arg(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .output();
    }
}

fn psql_run(url: &str, sql: &str) {
    let output = Command::new("psql")
        .arg(url)
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `base` with its database name replaced by `name`.
fn with_database(base: &str, name: &str) -> String {
    let (without_query, query) = match base.split_once('?') {
        Some((url, query)) => (url, Some(query)),
        None => (base, None),
    };
    let scheme_end = without_query.find("://").map_or(0, |i| i + 3);
    let path_start = without_query[scheme_end..]
        .find('/')
        .map_or(without_query.len(), |i| scheme_end + i);
    let mut url = format!("{}/{name}", &without_query[..path_start]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

#[test]
fn database_names_are_replaced() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/test?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h:1", "x"), "postgres://h:1/x");
}
