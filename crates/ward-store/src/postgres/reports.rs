//! Reports, their members, thread and attachments, in PostgreSQL. Each function runs on the
//! caller's connection or transaction.

use jiff::{SignedDuration, Timestamp};
use postgres::{GenericClient, Row};
use ward_desk::seal::WrappedKey;
use ward_desk::sla::Clock;
use ward_desk::state::{Resolution, State};
use ward_desk::{ReportId, UserId};

use super::{constraint, from_ts, from_ts_opt, ts};
use crate::codec::{
    DONE_STATES, duration_micros, milestones_json, parse_milestones, parse_resolution, parse_state,
    resolution_str, state_str,
};
use crate::{AttachmentMeta, Error, Message, NewAttachment, NewMessage, NewReport, Report, Result};

/// The columns [`report_from_row`] reads, in its order.
pub(super) const REPORT_COLUMNS: &str = "r.id, r.version, r.state, r.resolution, \
    r.duplicate_of, r.reporter, r.coordinator, r.received_at, r.acknowledged_at, \
    r.triaged_at, r.fix_ready_at, r.disclosed_at, r.held_since, r.held_for_us, r.closed_at, \
    r.next_due_at, r.escalated, r.cvss3, r.cvss4, r.score, r.kek_id, r.wrapped_key, \
    r.content, r.purged_at";

pub(super) fn create_report(
    c: &mut impl GenericClient,
    r: &NewReport,
    attachments: &[NewAttachment],
) -> Result<ReportId> {
    let row = c
        .query_one(
            "INSERT INTO reports (state, reporter, followup_hash, received_at, next_due_at,
                kek_id, wrapped_key, content)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[
                &state_str(State::Received),
                &r.reporter.map(|u| u.0),
                &&r.followup_hash[..],
                &ts(r.received_at),
                &r.next_due_at.map(ts),
                &r.wrapped_key.kek_id,
                &r.wrapped_key.bytes,
                &r.content,
            ],
        )
        .map_err(constraint(
            "a report with this follow-up token",
            "the reporter's account",
        ))?;
    let id = ReportId(row.try_get(0)?);
    for s in &r.scope {
        c.execute(
            "INSERT INTO report_scope (report_id, scope_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
            &[&id.0, s],
        )
        .map_err(constraint("", "the packages in scope"))?;
    }
    insert_attachments(c, id, None, r.received_at, attachments)?;
    Ok(id)
}

pub(super) fn report(c: &mut impl GenericClient, id: ReportId) -> Result<Option<Report>> {
    c.query_opt(
        &format!("SELECT {REPORT_COLUMNS} FROM reports r WHERE r.id = $1"),
        &[&id.0],
    )?
    .as_ref()
    .map(report_from_row)
    .transpose()
}

pub(super) fn report_by_followup(
    c: &mut impl GenericClient,
    hash: &[u8; 32],
) -> Result<Option<Report>> {
    c.query_opt(
        &format!("SELECT {REPORT_COLUMNS} FROM reports r WHERE r.followup_hash = $1"),
        &[&&hash[..]],
    )?
    .as_ref()
    .map(report_from_row)
    .transpose()
}

/// Saves the mutable fields if `version` is still the stored one, and bumps it. Of two
/// concurrent updates from the same version, the second waits for the first's row lock,
/// then sees the new version and matches nothing.
pub(super) fn update_report(c: &mut impl GenericClient, r: &Report) -> Result<()> {
    let changed = c
        .execute(
            "UPDATE reports SET version = version + 1, state = $3, resolution = $4,
                duplicate_of = $5, coordinator = $6, acknowledged_at = $7, triaged_at = $8,
                fix_ready_at = $9, disclosed_at = $10, held_since = $11, held_for_us = $12,
                closed_at = $13, next_due_at = $14, escalated = $15, cvss3 = $16,
                cvss4 = $17, score = $18
             WHERE id = $1 AND version = $2",
            &[
                &r.id.0,
                &r.version,
                &state_str(r.state),
                &r.resolution.map(resolution_str),
                &r.duplicate_of.map(|d| d.0),
                &r.coordinator.map(|u| u.0),
                &r.clock.acknowledged_at.map(ts),
                &r.clock.triaged_at.map(ts),
                &r.clock.fix_ready_at.map(ts),
                &r.clock.disclosed_at.map(ts),
                &r.clock.held_since.map(ts),
                &duration_micros(r.clock.held_for),
                &r.closed_at.map(ts),
                &r.next_due_at.map(ts),
                &milestones_json(&r.escalated),
                &r.cvss3,
                &r.cvss4,
                &r.score,
            ],
        )
        .map_err(constraint("", &format!("case {}", r.id)))?;
    if changed == 0 {
        return Err(Error::Conflict {
            what: format!("case {}", r.id),
        });
    }
    Ok(())
}

pub(super) fn case_members(
    c: &mut impl GenericClient,
    id: ReportId,
) -> Result<(Vec<UserId>, Vec<UserId>)> {
    let maintainers = ids(
        c,
        "SELECT s.maintainer FROM report_scope rs JOIN scope s ON s.id = rs.scope_id
         WHERE rs.report_id = $1
         UNION SELECT user_id FROM report_maintainers WHERE report_id = $1
         ORDER BY 1",
        id.0,
    )?;
    let parties = ids(
        c,
        "SELECT user_id FROM report_parties WHERE report_id = $1 ORDER BY user_id",
        id.0,
    )?;
    Ok((
        maintainers.into_iter().map(UserId).collect(),
        parties.into_iter().map(UserId).collect(),
    ))
}

/// Which membership table.
#[derive(Debug, Clone, Copy)]
pub(super) enum Member {
    Maintainer,
    Party,
}

/// Adds `user` to the case's maintainers or parties; already there is fine.
pub(super) fn add_member(
    c: &mut impl GenericClient,
    table: Member,
    id: ReportId,
    user: UserId,
) -> Result<()> {
    let sql = match table {
        Member::Maintainer => {
            "INSERT INTO report_maintainers (report_id, user_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING"
        }
        Member::Party => {
            "INSERT INTO report_parties (report_id, user_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING"
        }
    };
    c.execute(sql, &[&id.0, &user.0])
        .map_err(constraint("", &format!("case {id} or account {user}")))?;
    Ok(())
}

pub(super) fn reports_of(c: &mut impl GenericClient, reporter: UserId) -> Result<Vec<ReportId>> {
    let v = ids(
        c,
        "SELECT id FROM reports WHERE reporter = $1 ORDER BY id",
        reporter.0,
    )?;
    Ok(v.into_iter().map(ReportId).collect())
}

pub(super) fn purgeable(c: &mut impl GenericClient, before: Timestamp) -> Result<Vec<ReportId>> {
    let rows = c.query(
        "SELECT id FROM reports WHERE state IN ($2, $3) AND purged_at IS NULL
         AND coalesce(disclosed_at, closed_at) < $1 ORDER BY id",
        &[
            &ts(before),
            &state_str(DONE_STATES[0]),
            &state_str(DONE_STATES[1]),
        ],
    )?;
    rows.iter()
        .map(|row| Ok(ReportId(row.try_get(0)?)))
        .collect()
}

pub(super) fn add_message(
    c: &mut impl GenericClient,
    m: &NewMessage,
    attachments: &[NewAttachment],
) -> Result<i64> {
    let row = c
        .query_one(
            "INSERT INTO messages (report_id, author, team_only, body, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[
                &m.report.0,
                &m.author.map(|a| a.0),
                &m.team_only,
                &m.body,
                &ts(m.created_at),
            ],
        )
        .map_err(constraint("", &format!("case {}", m.report)))?;
    let id: i64 = row.try_get(0)?;
    insert_attachments(c, m.report, Some(id), m.created_at, attachments)?;
    Ok(id)
}

pub(super) fn messages(c: &mut impl GenericClient, id: ReportId) -> Result<Vec<Message>> {
    c.query(
        "SELECT id, author, team_only, body, created_at FROM messages
         WHERE report_id = $1 ORDER BY id",
        &[&id.0],
    )?
    .iter()
    .map(|row| {
        Ok(Message {
            id: row.try_get(0)?,
            message: NewMessage {
                report: id,
                author: row.try_get::<_, Option<i64>>(1)?.map(UserId),
                team_only: row.try_get(2)?,
                body: row.try_get(3)?,
                created_at: from_ts(row.try_get(4)?)?,
            },
        })
    })
    .collect()
}

pub(super) fn attachments(c: &mut impl GenericClient, id: ReportId) -> Result<Vec<AttachmentMeta>> {
    c.query(
        "SELECT id, report_id, sealed_meta, size, created_at FROM attachments
         WHERE report_id = $1 ORDER BY id",
        &[&id.0],
    )?
    .iter()
    .map(attachment_from_row)
    .collect()
}

pub(super) fn attachment(
    c: &mut impl GenericClient,
    id: ReportId,
    attachment: i64,
) -> Result<Option<(AttachmentMeta, Vec<u8>)>> {
    let Some(row) = c.query_opt(
        "SELECT id, report_id, sealed_meta, size, created_at, sealed_body FROM attachments
         WHERE id = $1 AND report_id = $2",
        &[&attachment, &id.0],
    )?
    else {
        return Ok(None);
    };
    Ok(Some((attachment_from_row(&row)?, row.try_get(5)?)))
}

pub(super) fn purge(
    c: &mut impl GenericClient,
    id: ReportId,
    content: &[u8],
    at: Timestamp,
) -> Result<u64> {
    let gone = c.execute("DELETE FROM attachments WHERE report_id = $1", &[&id.0])?;
    let changed = c.execute(
        "UPDATE reports SET content = $2, purged_at = $3 WHERE id = $1",
        &[&id.0, &content, &ts(at)],
    )?;
    if changed == 0 {
        return Err(Error::Conflict {
            what: format!("case {id}"),
        });
    }
    Ok(gone)
}

pub(super) fn clocks(
    c: &mut impl GenericClient,
) -> Result<Vec<(State, Option<Resolution>, Clock)>> {
    c.query(
        "SELECT state, resolution, received_at, acknowledged_at, triaged_at, fix_ready_at,
            disclosed_at, held_since, held_for_us FROM reports ORDER BY id",
        &[],
    )?
    .iter()
    .map(|row| {
        Ok((
            parse_state(row.try_get(0)?)?,
            row.try_get::<_, Option<&str>>(1)?
                .map(parse_resolution)
                .transpose()?,
            clock_from_row(row, 2)?,
        ))
    })
    .collect()
}

/// A report from a row of [`REPORT_COLUMNS`].
pub(super) fn report_from_row(row: &Row) -> Result<Report> {
    Ok(Report {
        id: ReportId(row.try_get(0)?),
        version: row.try_get(1)?,
        state: parse_state(row.try_get(2)?)?,
        resolution: row
            .try_get::<_, Option<&str>>(3)?
            .map(parse_resolution)
            .transpose()?,
        duplicate_of: row.try_get::<_, Option<i64>>(4)?.map(ReportId),
        reporter: row.try_get::<_, Option<i64>>(5)?.map(UserId),
        coordinator: row.try_get::<_, Option<i64>>(6)?.map(UserId),
        clock: clock_from_row(row, 7)?,
        closed_at: from_ts_opt(row.try_get(14)?)?,
        next_due_at: from_ts_opt(row.try_get(15)?)?,
        escalated: parse_milestones(row.try_get(16)?)?,
        cvss3: row.try_get(17)?,
        cvss4: row.try_get(18)?,
        score: row.try_get(19)?,
        wrapped_key: WrappedKey {
            kek_id: row.try_get(20)?,
            bytes: row.try_get(21)?,
        },
        content: row.try_get(22)?,
        purged_at: from_ts_opt(row.try_get(23)?)?,
    })
}

/// The seven clock columns from `received_at` at `at`.
fn clock_from_row(row: &Row, at: usize) -> Result<Clock> {
    Ok(Clock {
        received_at: from_ts(row.try_get(at)?)?,
        acknowledged_at: from_ts_opt(row.try_get(at + 1)?)?,
        triaged_at: from_ts_opt(row.try_get(at + 2)?)?,
        fix_ready_at: from_ts_opt(row.try_get(at + 3)?)?,
        disclosed_at: from_ts_opt(row.try_get(at + 4)?)?,
        held_since: from_ts_opt(row.try_get(at + 5)?)?,
        held_for: SignedDuration::from_micros(row.try_get(at + 6)?),
    })
}

fn attachment_from_row(row: &Row) -> Result<AttachmentMeta> {
    Ok(AttachmentMeta {
        id: row.try_get(0)?,
        report: ReportId(row.try_get(1)?),
        sealed_meta: row.try_get(2)?,
        size: row.try_get(3)?,
        created_at: from_ts(row.try_get(4)?)?,
    })
}

fn insert_attachments(
    c: &mut impl GenericClient,
    report: ReportId,
    message: Option<i64>,
    at: Timestamp,
    attachments: &[NewAttachment],
) -> Result<()> {
    for a in attachments {
        c.execute(
            "INSERT INTO attachments (report_id, message_id, sealed_meta, sealed_body, size,
                created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &report.0,
                &message,
                &a.sealed_meta,
                &a.sealed_body,
                &a.size,
                &ts(at),
            ],
        )?;
    }
    Ok(())
}

fn ids(c: &mut impl GenericClient, sql: &str, arg: i64) -> Result<Vec<i64>> {
    c.query(sql, &[&arg])?
        .iter()
        .map(|row| Ok(row.try_get(0)?))
        .collect()
}
