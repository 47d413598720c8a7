//! Reports, their members, thread and attachments, in SQLite. Each function runs inside
//! the caller's transaction.

use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, Row, params};
use ward_desk::seal::WrappedKey;
use ward_desk::sla::Clock;
use ward_desk::state::{Resolution, State};
use ward_desk::{ReportId, UserId};

use super::constraint;
use crate::codec::{
    DONE_STATES, duration_micros, from_micros, from_micros_opt, micros, milestones_json,
    parse_milestones, parse_resolution, parse_state, resolution_str, state_str,
};
use crate::{AttachmentMeta, Error, Message, NewAttachment, NewMessage, NewReport, Report, Result};

/// The columns [`report_from_row`] reads, in its order.
pub(super) const REPORT_COLUMNS: &str = "r.id, r.version, r.state, r.resolution, \
    r.duplicate_of, r.reporter, r.coordinator, r.received_at, r.acknowledged_at, \
    r.triaged_at, r.fix_ready_at, r.disclosed_at, r.held_since, r.held_for_us, r.closed_at, \
    r.next_due_at, r.escalated, r.cvss3, r.cvss4, r.score, r.kek_id, r.wrapped_key, \
    r.content, r.purged_at";

pub(super) fn create_report(
    conn: &Connection,
    r: &NewReport,
    attachments: &[NewAttachment],
) -> Result<ReportId> {
    conn.prepare_cached(
        "INSERT INTO reports (state, reporter, followup_hash, received_at, next_due_at,
            kek_id, wrapped_key, content)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        state_str(State::Received),
        r.reporter.map(|u| u.0),
        &r.followup_hash[..],
        micros(r.received_at),
        r.next_due_at.map(micros),
        r.wrapped_key.kek_id,
        r.wrapped_key.bytes,
        r.content,
    ])
    .map_err(constraint(
        "a report with this follow-up token",
        "the reporter's account",
    ))?;
    let id = ReportId(conn.last_insert_rowid());
    let mut scope = conn.prepare_cached(
        "INSERT INTO report_scope (report_id, scope_id) VALUES (?1, ?2)
                             ON CONFLICT DO NOTHING",
    )?;
    for s in &r.scope {
        scope
            .execute((id.0, s))
            .map_err(constraint("", "the packages in scope"))?;
    }
    insert_attachments(conn, id, None, r.received_at, attachments)?;
    Ok(id)
}

pub(super) fn report(conn: &Connection, id: ReportId) -> Result<Option<Report>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {REPORT_COLUMNS} FROM reports r WHERE r.id = ?1"
    ))?;
    let mut rows = stmt.query([id.0])?;
    rows.next()?.map(report_from_row).transpose()
}

pub(super) fn report_by_followup(conn: &Connection, hash: &[u8; 32]) -> Result<Option<Report>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {REPORT_COLUMNS} FROM reports r WHERE r.followup_hash = ?1"
    ))?;
    let mut rows = stmt.query([&hash[..]])?;
    rows.next()?.map(report_from_row).transpose()
}

/// Saves the mutable fields if `version` is still the stored one, and bumps it.
pub(super) fn update_report(conn: &Connection, r: &Report) -> Result<()> {
    let changed = conn
        .prepare_cached(
            "UPDATE reports SET version = version + 1, state = ?3, resolution = ?4,
                duplicate_of = ?5, coordinator = ?6, acknowledged_at = ?7, triaged_at = ?8,
                fix_ready_at = ?9, disclosed_at = ?10, held_since = ?11, held_for_us = ?12,
                closed_at = ?13, next_due_at = ?14, escalated = ?15, cvss3 = ?16,
                cvss4 = ?17, score = ?18
             WHERE id = ?1 AND version = ?2",
        )?
        .execute(params![
            r.id.0,
            r.version,
            state_str(r.state),
            r.resolution.map(resolution_str),
            r.duplicate_of.map(|d| d.0),
            r.coordinator.map(|c| c.0),
            r.clock.acknowledged_at.map(micros),
            r.clock.triaged_at.map(micros),
            r.clock.fix_ready_at.map(micros),
            r.clock.disclosed_at.map(micros),
            r.clock.held_since.map(micros),
            duration_micros(r.clock.held_for),
            r.closed_at.map(micros),
            r.next_due_at.map(micros),
            milestones_json(&r.escalated),
            r.cvss3,
            r.cvss4,
            r.score,
        ])
        .map_err(constraint("", &format!("case {}", r.id)))?;
    if changed == 0 {
        return Err(Error::Conflict {
            what: format!("case {}", r.id),
        });
    }
    Ok(())
}

pub(super) fn case_members(conn: &Connection, id: ReportId) -> Result<(Vec<UserId>, Vec<UserId>)> {
    let maintainers = ids(
        conn,
        "SELECT s.maintainer FROM report_scope rs JOIN scope s ON s.id = rs.scope_id
         WHERE rs.report_id = ?1
         UNION SELECT user_id FROM report_maintainers WHERE report_id = ?1
         ORDER BY 1",
        id.0,
    )?;
    let parties = ids(
        conn,
        "SELECT user_id FROM report_parties WHERE report_id = ?1 ORDER BY user_id",
        id.0,
    )?;
    Ok((
        maintainers.into_iter().map(UserId).collect(),
        parties.into_iter().map(UserId).collect(),
    ))
}

/// Adds `user` to `table` (`report_maintainers` or `report_parties`); already there is fine.
pub(super) fn add_member(
    conn: &Connection,
    table: Member,
    id: ReportId,
    user: UserId,
) -> Result<()> {
    let sql = match table {
        Member::Maintainer => {
            "INSERT INTO report_maintainers (report_id, user_id) VALUES (?1, ?2)
             ON CONFLICT DO NOTHING"
        }
        Member::Party => {
            "INSERT INTO report_parties (report_id, user_id) VALUES (?1, ?2)
             ON CONFLICT DO NOTHING"
        }
    };
    conn.prepare_cached(sql)?
        .execute((id.0, user.0))
        .map_err(constraint("", &format!("case {id} or account {user}")))?;
    Ok(())
}

/// Which membership table.
#[derive(Debug, Clone, Copy)]
pub(super) enum Member {
    Maintainer,
    Party,
}

pub(super) fn reports_of(conn: &Connection, reporter: UserId) -> Result<Vec<ReportId>> {
    let v = ids(
        conn,
        "SELECT id FROM reports WHERE reporter = ?1 ORDER BY id",
        reporter.0,
    )?;
    Ok(v.into_iter().map(ReportId).collect())
}

pub(super) fn purgeable(conn: &Connection, before: Timestamp) -> Result<Vec<ReportId>> {
    let sql = format!(
        "SELECT id FROM reports WHERE state IN ('{}', '{}') AND purged_at IS NULL
         AND coalesce(disclosed_at, closed_at) < ?1 ORDER BY id",
        state_str(DONE_STATES[0]),
        state_str(DONE_STATES[1]),
    );
    let v = ids(conn, &sql, micros(before))?;
    Ok(v.into_iter().map(ReportId).collect())
}

pub(super) fn add_message(
    conn: &Connection,
    m: &NewMessage,
    attachments: &[NewAttachment],
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO messages (report_id, author, team_only, body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        m.report.0,
        m.author.map(|a| a.0),
        m.team_only,
        m.body,
        micros(m.created_at),
    ])
    .map_err(constraint("", &format!("case {}", m.report)))?;
    let id = conn.last_insert_rowid();
    insert_attachments(conn, m.report, Some(id), m.created_at, attachments)?;
    Ok(id)
}

pub(super) fn messages(conn: &Connection, id: ReportId) -> Result<Vec<Message>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, author, team_only, body, created_at FROM messages
         WHERE report_id = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([id.0])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(Message {
            id: row.get(0)?,
            message: NewMessage {
                report: id,
                author: row.get::<_, Option<i64>>(1)?.map(UserId),
                team_only: row.get(2)?,
                body: row.get(3)?,
                created_at: from_micros(row.get(4)?)?,
            },
        });
    }
    Ok(out)
}

pub(super) fn attachments(conn: &Connection, id: ReportId) -> Result<Vec<AttachmentMeta>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, report_id, sealed_meta, size, created_at FROM attachments
         WHERE report_id = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([id.0])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(attachment_from_row(row)?);
    }
    Ok(out)
}

pub(super) fn attachment(
    conn: &Connection,
    id: ReportId,
    attachment: i64,
) -> Result<Option<(AttachmentMeta, Vec<u8>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, report_id, sealed_meta, size, created_at, sealed_body FROM attachments
         WHERE id = ?1 AND report_id = ?2",
    )?;
    let mut rows = stmt.query((attachment, id.0))?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    Ok(Some((attachment_from_row(row)?, row.get(5)?)))
}

pub(super) fn purge(conn: &Connection, id: ReportId, content: &[u8], at: Timestamp) -> Result<u64> {
    let gone = conn
        .prepare_cached("DELETE FROM attachments WHERE report_id = ?1")?
        .execute([id.0])?;
    let changed = conn
        .prepare_cached("UPDATE reports SET content = ?2, purged_at = ?3 WHERE id = ?1")?
        .execute(params![id.0, content, micros(at)])?;
    if changed == 0 {
        return Err(Error::Conflict {
            what: format!("case {id}"),
        });
    }
    Ok(gone as u64)
}

pub(super) fn clocks(conn: &Connection) -> Result<Vec<(State, Option<Resolution>, Clock)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT state, resolution, received_at, acknowledged_at, triaged_at, fix_ready_at,
            disclosed_at, held_since, held_for_us FROM reports ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push((
            parse_state(&row.get::<_, String>(0)?)?,
            row.get::<_, Option<String>>(1)?
                .as_deref()
                .map(parse_resolution)
                .transpose()?,
            clock_from_row(row, 2)?,
        ));
    }
    Ok(out)
}

/// A report from a row of [`REPORT_COLUMNS`].
pub(super) fn report_from_row(row: &Row<'_>) -> Result<Report> {
    Ok(Report {
        id: ReportId(row.get(0)?),
        version: row.get(1)?,
        state: parse_state(&row.get::<_, String>(2)?)?,
        resolution: row
            .get::<_, Option<String>>(3)?
            .as_deref()
            .map(parse_resolution)
            .transpose()?,
        duplicate_of: row.get::<_, Option<i64>>(4)?.map(ReportId),
        reporter: row.get::<_, Option<i64>>(5)?.map(UserId),
        coordinator: row.get::<_, Option<i64>>(6)?.map(UserId),
        clock: clock_from_row(row, 7)?,
        closed_at: from_micros_opt(row.get(14)?)?,
        next_due_at: from_micros_opt(row.get(15)?)?,
        escalated: parse_milestones(&row.get::<_, String>(16)?)?,
        cvss3: row.get(17)?,
        cvss4: row.get(18)?,
        score: row.get(19)?,
        wrapped_key: WrappedKey {
            kek_id: row.get(20)?,
            bytes: row.get(21)?,
        },
        content: row.get(22)?,
        purged_at: from_micros_opt(row.get(23)?)?,
    })
}

/// The seven clock columns from `received_at` at `at`.
fn clock_from_row(row: &Row<'_>, at: usize) -> Result<Clock> {
    Ok(Clock {
        received_at: from_micros(row.get(at)?)?,
        acknowledged_at: from_micros_opt(row.get(at + 1)?)?,
        triaged_at: from_micros_opt(row.get(at + 2)?)?,
        fix_ready_at: from_micros_opt(row.get(at + 3)?)?,
        disclosed_at: from_micros_opt(row.get(at + 4)?)?,
        held_since: from_micros_opt(row.get(at + 5)?)?,
        held_for: SignedDuration::from_micros(row.get(at + 6)?),
    })
}

fn attachment_from_row(row: &Row<'_>) -> Result<AttachmentMeta> {
    Ok(AttachmentMeta {
        id: row.get(0)?,
        report: ReportId(row.get(1)?),
        sealed_meta: row.get(2)?,
        size: row.get(3)?,
        created_at: from_micros(row.get(4)?)?,
    })
}

fn insert_attachments(
    conn: &Connection,
    report: ReportId,
    message: Option<i64>,
    at: Timestamp,
    attachments: &[NewAttachment],
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO attachments (report_id, message_id, sealed_meta, sealed_body, size,
            created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for a in attachments {
        stmt.execute(params![
            report.0,
            message,
            a.sealed_meta,
            a.sealed_body,
            a.size,
            micros(at)
        ])?;
    }
    Ok(())
}

fn ids(conn: &Connection, sql: &str, arg: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([arg], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
