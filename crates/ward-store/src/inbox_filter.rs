//! The WHERE clause of an inbox query, shared by both backends: who sees what
//! ([`Visibility`]), the state filter, and whether done cases are hidden. Only the placeholder
//! syntax (`?1` or `$1`) and the "not done" predicate (each backend's indexed form) differ.

use ward_desk::access::Visibility;

use crate::InboxQuery;
use crate::codec::state_str;

/// A value bound to a placeholder of the clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arg {
    /// A user id.
    Int(i64),
    /// A state's database name.
    Text(&'static str),
}

/// How a backend writes its SQL.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dialect {
    /// `'?'` for SQLite, `'$'` for PostgreSQL.
    pub(crate) placeholder: char,
    /// The predicate of an open case, word for word the one the backend's index uses.
    pub(crate) not_done: &'static str,
    /// Always true.
    pub(crate) always: &'static str,
}

/// The WHERE clause of `q` and its arguments (placeholder 1, 2, ...); `None` when the
/// principal sees nothing.
pub(crate) fn filter(q: &InboxQuery, dialect: Dialect) -> Option<(String, Vec<Arg>)> {
    let p = dialect.placeholder;
    let mut terms = Vec::new();
    let mut args = Vec::new();
    match &q.visibility {
        Visibility::All => {}
        Visibility::Nothing => return None,
        Visibility::Maintainer(user) => {
            args.push(Arg::Int(user.0));
            terms.push(format!(
                "r.id IN (SELECT rs.report_id FROM scope s
                    JOIN report_scope rs ON rs.scope_id = s.id WHERE s.maintainer = {p}1
                 UNION SELECT m.report_id FROM report_maintainers m WHERE m.user_id = {p}1)"
            ));
        }
        Visibility::Party(user) => {
            args.push(Arg::Int(user.0));
            terms.push(format!(
                "r.id IN (SELECT p.report_id FROM report_parties p WHERE p.user_id = {p}1)"
            ));
        }
        Visibility::Reporter(user) => {
            args.push(Arg::Int(user.0));
            terms.push(format!("r.reporter = {p}1"));
        }
    }
    if let Some(state) = q.state {
        args.push(Arg::Text(state_str(state)));
        terms.push(format!("r.state = {p}{}", args.len()));
    }
    if !q.include_done {
        terms.push(dialect.not_done.to_owned());
    }
    if terms.is_empty() {
        terms.push(dialect.always.to_owned());
    }
    Some((terms.join(" AND "), args))
}
