//! The inbox query in PostgreSQL: a page of the cases a principal sees, nearest deadline
//! first, and how many there are in all, from one snapshot (a read-only REPEATABLE READ
//! transaction).
//!
//! The order `next_due_at ASC NULLS LAST, id` is an index's order; the default inbox (open
//! cases) has a partial index whose predicate the query repeats word for word, so the
//! planner can use it. A maintainer's, party's or reporter's cases are found from their
//! side (scope rows, assignments, invitations, the reporter column, each indexed by user).

use postgres::types::ToSql;
use postgres::{Client, IsolationLevel};

use super::reports::{REPORT_COLUMNS, report_from_row};
use crate::inbox_filter::{self, Arg, Dialect};
use crate::{InboxPage, InboxQuery, Result};

pub(super) fn inbox(client: &mut Client, q: &InboxQuery) -> Result<InboxPage> {
    let Some((filter, mut args)) = filter(q) else {
        return Ok(InboxPage {
            reports: Vec::new(),
            total: 0,
        });
    };
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| &**a).collect();
    let total: i64 = tx
        .query_one(
            &format!("SELECT count(*) FROM reports r WHERE {filter}"),
            &refs,
        )?
        .try_get(0)?;
    args.push(Box::new(i64::from(q.limit)));
    args.push(Box::new(i64::from(q.offset)));
    let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| &**a).collect();
    let rows = tx.query(
        &format!(
            "SELECT {REPORT_COLUMNS} FROM reports r WHERE {filter}
             ORDER BY r.next_due_at ASC NULLS LAST, r.id LIMIT ${} OFFSET ${}",
            refs.len() - 1,
            refs.len(),
        ),
        &refs,
    )?;
    let reports = rows.iter().map(report_from_row).collect::<Result<_>>()?;
    tx.commit()?;
    Ok(InboxPage {
        reports,
        total: total.unsigned_abs(),
    })
}

type Args = Vec<Box<dyn ToSql + Sync>>;

/// The WHERE clause of `q` and its arguments (`$1`, `$2`, ...); `None` when the principal
/// sees nothing.
pub(super) fn filter(q: &InboxQuery) -> Option<(String, Args)> {
    let dialect = Dialect {
        placeholder: '$',
        // Word for word the predicate of the partial index `reports_inbox`.
        not_done: "r.state NOT IN ('disclosed', 'closed')",
        always: "true",
    };
    let (clause, args) = inbox_filter::filter(q, dialect)?;
    let args = args
        .into_iter()
        .map(|arg| -> Box<dyn ToSql + Sync> {
            match arg {
                Arg::Int(n) => Box::new(n),
                Arg::Text(t) => Box::new(t),
            }
        })
        .collect();
    Some((clause, args))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use ward_desk::UserId;
    use ward_desk::access::Visibility;
    use ward_desk::state::State;

    use super::*;

    /// A schema of its own on the test database, dropped afterwards.
    struct Scratch {
        client: Client,
        schema: String,
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = self
                .client
                .batch_execute(&format!("DROP SCHEMA {} CASCADE", self.schema));
        }
    }

    /// The test database (`$WARD_TEST_POSTGRES_URL`) with the schema, 10,000 reports (a few
    /// in a maintainer's scope, assigned, invited, or by a reporter) and fresh statistics;
    /// `None` when PostgreSQL is not reachable, unless `WARD_REQUIRE_POSTGRES=1`.
    #[allow(
        clippy::print_stderr,
        reason = "the skip reason belongs in the test output"
    )]
    fn populated() -> Option<Scratch> {
        let url = std::env::var("WARD_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        let mut config: postgres::Config = url.parse().unwrap();
        config.connect_timeout(std::time::Duration::from_secs(5));
        let mut client = match config.connect(postgres::NoTls) {
            Ok(client) => client,
            Err(e) if std::env::var("WARD_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") => {
                panic!("PostgreSQL is not reachable ({e}), and WARD_REQUIRE_POSTGRES=1")
            }
            Err(e) => {
                eprintln!("SKIPPED: PostgreSQL is not reachable ({e})");
                return None;
            }
        };
        let schema = format!(
            "ward_plan_{}_{:?}",
            std::process::id(),
            std::thread::current().id()
        )
        .replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {schema}; SET search_path = {schema}"
            ))
            .unwrap();
        let mut scratch = Scratch { client, schema };
        crate::postgres::migrate(&mut scratch.client).unwrap();
        scratch
            .client
            .batch_execute(
                "INSERT INTO users (email, email_key, name, role, password_hash, created_at)
                 VALUES ('m', 'm', 'm', 'maintainer', 'x', now()),
                        ('r', 'r', 'r', 'reporter', 'x', now());
                 INSERT INTO scope (ecosystem, package, maintainer) VALUES ('npm', 'a', 1);
                 INSERT INTO reports (state, reporter, followup_hash, received_at, next_due_at,
                     kek_id, wrapped_key, content)
                 SELECT CASE WHEN i % 10 = 0 THEN 'closed' ELSE 'received' END,
                     CASE WHEN i % 1000 = 1 THEN 2 END, sha256(i::text::bytea), now(),
                     CASE WHEN i % 7 <> 0
                         THEN now() + ((i * 7919) % 31536000) * interval '1 second' END,
                     'k', '\\x00', '\\x00'
                 FROM generate_series(1, 10000) AS i;
                 INSERT INTO report_scope SELECT id, 1 FROM reports WHERE id % 500 = 0;
                 INSERT INTO report_maintainers SELECT id, 1 FROM reports WHERE id % 900 = 0;
                 INSERT INTO report_parties SELECT id, 1 FROM reports WHERE id % 800 = 0;
                 ANALYZE;",
            )
            .unwrap();
        Some(scratch)
    }

    fn plan(client: &mut Client, q: &InboxQuery) -> String {
        let (filter, mut args) = filter(q).unwrap();
        args.push(Box::new(50_i64));
        args.push(Box::new(0_i64));
        let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| &**a).collect();
        let sql = format!(
            "EXPLAIN SELECT {REPORT_COLUMNS} FROM reports r WHERE {filter}
             ORDER BY r.next_due_at ASC NULLS LAST, r.id LIMIT ${} OFFSET ${}",
            refs.len() - 1,
            refs.len()
        );
        let rows = client.query(&sql, &refs).unwrap();
        rows.iter()
            .map(|r| r.get::<_, String>(0))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn query(visibility: Visibility, state: Option<State>, include_done: bool) -> InboxQuery {
        InboxQuery {
            visibility,
            state,
            include_done,
            limit: 50,
            offset: 0,
        }
    }

    /// The coordinator's inbox is read in index order, never sorted whole.
    #[test]
    fn every_case_inbox_reads_an_index_in_order() {
        let Some(mut db) = populated() else { return };
        for (q, index) in [
            (query(Visibility::All, None, false), "reports_inbox"),
            (query(Visibility::All, None, true), "reports_due"),
            (
                query(Visibility::All, Some(State::Received), false),
                "reports_state",
            ),
            (
                query(Visibility::All, Some(State::Closed), true),
                "reports_state",
            ),
        ] {
            let plan = plan(&mut db.client, &q);
            assert!(
                plan.contains(&format!("Index Scan using {index}")),
                "{q:?}:\n{plan}"
            );
            assert!(!plan.contains("Sort"), "{q:?} sorts:\n{plan}");
        }
    }

    /// A narrow inbox starts from the user's rows and fetches only those reports, never
    /// scanning every report.
    #[test]
    fn a_narrow_inbox_starts_from_the_user() {
        let Some(mut db) = populated() else { return };
        for q in [
            query(Visibility::Maintainer(UserId(1)), None, false),
            query(Visibility::Party(UserId(1)), None, true),
            query(Visibility::Reporter(UserId(2)), None, false),
        ] {
            let plan = plan(&mut db.client, &q);
            assert!(
                plan.contains("using reports_pkey") || plan.contains("using reports_reporter"),
                "{q:?}:\n{plan}"
            );
            assert!(!plan.contains("Seq Scan on reports"), "{q:?}:\n{plan}");
        }
    }
}
