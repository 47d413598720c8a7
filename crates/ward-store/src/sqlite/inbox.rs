//! The inbox query in SQLite: a page of the cases a principal sees, nearest deadline first,
//! and how many there are in all, from one snapshot.
//!
//! The order `next_due_at ASC NULLS LAST, id` is read off an index through the generated
//! column `due_sort` (an index keeps NULLs first); `done` marks disclosed and closed cases.
//! A maintainer's, party's or reporter's cases are found from their side (scope rows,
//! assignments, invitations, the reporter column, each indexed by user), so a narrow inbox
//! costs what it holds, not what the instance holds.

use rusqlite::Connection;
use rusqlite::types::Value;

use super::reports::{REPORT_COLUMNS, report_from_row};
use crate::inbox_filter::{self, Arg, Dialect};
use crate::{InboxPage, InboxQuery, Result};

pub(super) fn inbox(conn: &Connection, q: &InboxQuery) -> Result<InboxPage> {
    let Some((filter, mut args)) = filter(q) else {
        return Ok(InboxPage {
            reports: Vec::new(),
            total: 0,
        });
    };
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM reports r WHERE {filter}"))?
        .query_row(rusqlite::params_from_iter(&args), |row| row.get(0))?;
    args.push(Value::Integer(q.limit.into()));
    args.push(Value::Integer(q.offset.into()));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {REPORT_COLUMNS} FROM reports r WHERE {filter}
         ORDER BY r.due_sort, r.id LIMIT ?{} OFFSET ?{}",
        args.len() - 1,
        args.len(),
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(&args))?;
    let mut reports = Vec::new();
    while let Some(row) = rows.next()? {
        reports.push(report_from_row(row)?);
    }
    Ok(InboxPage {
        reports,
        total: total.unsigned_abs(),
    })
}

/// The WHERE clause of `q` and its arguments (`?1`, `?2`, ...); `None` when the principal
/// sees nothing.
pub(super) fn filter(q: &InboxQuery) -> Option<(String, Vec<Value>)> {
    let dialect = Dialect {
        placeholder: '?',
        not_done: "r.done = 0",
        always: "1",
    };
    let (clause, args) = inbox_filter::filter(q, dialect)?;
    let args = args
        .into_iter()
        .map(|arg| match arg {
            Arg::Int(n) => Value::Integer(n),
            Arg::Text(t) => Value::Text(t.to_owned()),
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

    /// An in-memory database with the schema, 10,000 reports (a few in a maintainer's
    /// scope, assigned, invited, or by a reporter) and fresh statistics.
    fn populated() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::sqlite::migrate(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, email, email_key, name, role, password_hash, created_at)
             VALUES (1, 'm', 'm', 'm', 'maintainer', 'x', 0),
                    (2, 'r', 'r', 'r', 'reporter', 'x', 0);
             INSERT INTO scope (id, ecosystem, package, maintainer) VALUES (1, 'npm', 'a', 1);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
             INSERT INTO reports (id, state, reporter, followup_hash, received_at, next_due_at,
                 kek_id, wrapped_key, content)
             SELECT i, CASE WHEN i % 10 = 0 THEN 'closed' ELSE 'received' END,
                 CASE WHEN i % 1000 = 1 THEN 2 END, randomblob(32), 0,
                 CASE WHEN i % 7 <> 0 THEN (i * 7919) % 31536000 END, 'k', x'00', x'00'
             FROM n;
             INSERT INTO report_scope SELECT id, 1 FROM reports WHERE id % 500 = 0;
             INSERT INTO report_maintainers SELECT id, 1 FROM reports WHERE id % 900 = 0;
             INSERT INTO report_parties SELECT id, 1 FROM reports WHERE id % 800 = 0;
             ANALYZE;",
        )
        .unwrap();
        conn
    }

    fn plan(conn: &Connection, q: &InboxQuery) -> String {
        let (filter, mut args) = filter(q).unwrap();
        args.push(Value::Integer(50));
        args.push(Value::Integer(0));
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT {REPORT_COLUMNS} FROM reports r WHERE {filter}
             ORDER BY r.due_sort, r.id LIMIT ?{} OFFSET ?{}",
            args.len() - 1,
            args.len()
        );
        let mut stmt = conn.prepare(&sql).unwrap();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(&args), |r| r.get::<_, String>(3))
            .unwrap();
        rows.collect::<Result<Vec<_>, _>>().unwrap().join("\n")
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
        let conn = populated();
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
            let plan = plan(&conn, &q);
            assert!(
                plan.contains(&format!("USING INDEX {index}")),
                "{q:?}:\n{plan}"
            );
            assert!(!plan.contains("TEMP B-TREE"), "{q:?} sorts:\n{plan}");
        }
    }

    /// A narrow inbox starts from the user's rows and sorts only those, never scanning
    /// every report.
    #[test]
    fn a_narrow_inbox_starts_from_the_user() {
        let conn = populated();
        for (q, index) in [
            (
                query(Visibility::Maintainer(UserId(1)), None, false),
                "scope_maintainer",
            ),
            (
                query(Visibility::Maintainer(UserId(1)), None, true),
                "report_maintainers_user",
            ),
            (
                query(Visibility::Party(UserId(1)), None, true),
                "report_parties_user",
            ),
            (
                query(Visibility::Reporter(UserId(2)), None, false),
                "reports_reporter",
            ),
        ] {
            let plan = plan(&conn, &q);
            assert!(plan.contains(index), "{q:?}:\n{plan}");
            assert!(
                !plan.contains("SCAN r"),
                "{q:?} scans every report:\n{plan}"
            );
        }
    }

    #[test]
    fn nothing_is_no_query() {
        assert!(filter(&query(Visibility::Nothing, None, true)).is_none());
    }
}
