//! Reports: round trips, optimistic concurrency, members, the thread, attachments, purge.

use super::*;

pub(crate) fn reports_round_trip(db: &Db) {
    let s = db.store();
    let reporter = user(s, "rita@example.org", Role::Reporter);
    let coordinator = user(s, "cora@example.org", Role::Coordinator);
    let mut new = new_report(t(0), Some(t(48 * 3600)));
    new.reporter = Some(reporter);
    new.content = b"\x00sealed submission\xff".to_vec();
    let attachments = [attachment(b"poc.py"), attachment(b"trace.txt")];
    let id = s
        .create_report(&new, &attachments, &ev("report.submit"))
        .unwrap();

    let event = s.events(0, 100).unwrap().pop().unwrap();
    assert_eq!(
        (event.action.as_str(), event.report),
        ("report.submit", Some(id)),
        "the event names the new report"
    );

    let r = s.report(id).unwrap().unwrap();
    assert_eq!(r.id, id);
    assert_eq!(r.version, 1);
    assert_eq!(r.state, State::Received);
    assert_eq!((r.resolution, r.duplicate_of), (None, None));
    assert_eq!((r.reporter, r.coordinator), (Some(reporter), None));
    assert_eq!(
        r.clock,
        Clock {
            received_at: t(0),
            ..Clock::default()
        }
    );
    assert_eq!((r.closed_at, r.purged_at), (None, None));
    assert_eq!(r.next_due_at, Some(t(48 * 3600)));
    assert!(r.escalated.is_empty());
    assert_eq!(
        (r.cvss3.clone(), r.cvss4.clone(), r.score),
        (None, None, None)
    );
    assert_eq!(r.wrapped_key, new.wrapped_key);
    assert_eq!(r.content, new.content);
    assert_eq!(
        s.report_by_followup(&new.followup_hash).unwrap(),
        Some(r.clone())
    );
    assert_eq!(s.report_by_followup(&hash(u64::MAX)).unwrap(), None);
    assert_eq!(s.report(ReportId(id.0 + 100)).unwrap(), None);
    assert_eq!(s.reports_of(reporter).unwrap(), [id]);
    assert!(s.reports_of(coordinator).unwrap().is_empty());

    let metas = s.attachments(id).unwrap();
    assert_eq!(metas.len(), 2);
    assert_eq!(metas[0].sealed_meta, b"meta of poc.py");
    assert_eq!(
        (metas[0].size, metas[0].report, metas[0].created_at),
        (6, id, t(0))
    );
    let (meta, body) = s.attachment(id, metas[1].id).unwrap().unwrap();
    assert_eq!(
        (meta, body),
        (metas[1].clone(), b"body of trace.txt".to_vec())
    );

    // Every mutable field, at microsecond precision.
    let original = s
        .create_report(&new_report(t(1), None), &[], &ev("report.submit"))
        .unwrap();
    let mut u = r.clone();
    u.state = State::FixReady;
    u.resolution = Some(Resolution::Accepted);
    u.duplicate_of = Some(original);
    u.coordinator = Some(coordinator);
    u.clock = Clock {
        received_at: t(0),
        acknowledged_at: Some(t(10) + SignedDuration::from_micros(1)),
        triaged_at: Some(t(20)),
        fix_ready_at: Some(t(30)),
        disclosed_at: Some(t(40)),
        held_since: Some(t(25)),
        held_for: SignedDuration::from_micros(3_600_000_001),
    };
    u.closed_at = Some(t(50));
    u.next_due_at = None;
    u.escalated = vec![Milestone::Acknowledge, Milestone::Triage];
    u.cvss3 = Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into());
    u.cvss4 = Some("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N".into());
    u.score = Some(9.3);
    s.update_report(&u, &ev("report.update")).unwrap();
    let got = s.report(id).unwrap().unwrap();
    assert_eq!(
        got,
        ward_store::Report {
            version: 2,
            ..u.clone()
        }
    );

    // What update_report does not own stays.
    let mut sneaky = got.clone();
    sneaky.content = b"other".to_vec();
    sneaky.wrapped_key = key("kek-x", 9);
    sneaky.reporter = None;
    sneaky.clock.received_at = t(5);
    s.update_report(&sneaky, &ev("report.update")).unwrap();
    let got = s.report(id).unwrap().unwrap();
    assert_eq!((got.version, got.reporter), (3, Some(reporter)));
    assert_eq!(
        (got.content, got.wrapped_key),
        (new.content.clone(), new.wrapped_key)
    );
    assert_eq!(got.clock.received_at, t(0));

    // A follow-up token is one report's.
    let mut twin = new_report(t(2), None);
    twin.followup_hash = new.followup_hash;
    assert!(matches!(
        s.create_report(&twin, &[], &ev("report.submit")),
        Err(Error::Duplicate { .. })
    ));
    verify_chain(db, 6);
}

pub(crate) fn a_stale_version_is_a_conflict_and_leaves_no_event(db: &Db) {
    let s = db.store();
    let id = s
        .create_report(&new_report(t(0), None), &[], &ev("report.submit"))
        .unwrap();
    let first = s.report(id).unwrap().unwrap();
    let mut ack = first.clone();
    ack.state = State::Acknowledged;
    s.update_report(&ack, &ev("report.transition")).unwrap();
    let events = s.events(0, 100).unwrap();

    let mut stale = first.clone();
    stale.state = State::Triaged;
    let err = s
        .update_report(&stale, &ev("report.transition"))
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    assert_eq!(s.report(id).unwrap().unwrap().state, State::Acknowledged);
    assert_eq!(
        s.events(0, 100).unwrap(),
        events,
        "no event for the refused change"
    );

    let mut ghost = first.clone();
    ghost.id = ReportId(id.0 + 1000);
    assert!(matches!(
        s.update_report(&ghost, &ev("report.transition")),
        Err(Error::Conflict { .. })
    ));

    // Racing updates from the same version: one wins.
    let current = s.report(id).unwrap().unwrap();
    let wins: usize = std::thread::scope(|scope| {
        let racers: Vec<_> = [State::Triaged, State::Closed, State::Fixing]
            .into_iter()
            .map(|to| {
                let mut r = current.clone();
                r.state = to;
                scope.spawn(
                    move || match s.update_report(&r, &ev("report.transition")) {
                        Ok(()) => 1,
                        Err(Error::Conflict { .. }) => 0,
                        Err(e) => panic!("{e}"),
                    },
                )
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).sum()
    });
    assert_eq!(wins, 1);
    assert_eq!(s.report(id).unwrap().unwrap().version, 3);

    // A report naming a scope row that is gone is not stored, nor is its event.
    let mut orphan = new_report(t(1), None);
    orphan.scope = vec![12345];
    let before = s.events(0, 100).unwrap();
    assert!(matches!(
        s.create_report(&orphan, &[attachment(b"x")], &ev("report.submit")),
        Err(Error::Conflict { .. })
    ));
    assert_eq!(s.events(0, 100).unwrap(), before);
    assert_eq!(s.clocks().unwrap().len(), 1, "no half-stored report");
    assert!(
        s.report_by_followup(&orphan.followup_hash)
            .unwrap()
            .is_none()
    );
    verify_chain(db, before.len());
}

pub(crate) fn case_members_come_from_scope_and_assignment(db: &Db) {
    let s = db.store();
    let m1 = user(s, "m1@example.org", Role::Maintainer);
    let m2 = user(s, "m2@example.org", Role::Maintainer);
    let m3 = user(s, "m3@example.org", Role::Maintainer);
    let p1 = user(s, "p1@example.org", Role::Party);
    let p2 = user(s, "p2@example.org", Role::Party);
    let a = s.add_scope("npm", "a", m1, &ev("scope.add")).unwrap();
    let b = s.add_scope("npm", "b", m2, &ev("scope.add")).unwrap();
    let mut r = new_report(t(0), None);
    r.scope = vec![a, b, a];
    let id = s.create_report(&r, &[], &ev("report.submit")).unwrap();
    let other = s
        .create_report(&new_report(t(0), None), &[], &ev("report.submit"))
        .unwrap();

    s.assign_maintainer(id, m1, &ev("report.assign")).unwrap();
    s.assign_maintainer(id, m3, &ev("report.assign")).unwrap();
    s.assign_maintainer(id, m3, &ev("report.assign")).unwrap();
    s.invite_party(id, p2, &ev("report.invite")).unwrap();
    s.invite_party(id, p1, &ev("report.invite")).unwrap();
    s.invite_party(id, p1, &ev("report.invite")).unwrap();
    assert_eq!(
        s.case_members(id).unwrap(),
        (vec![m1, m2, m3], vec![p1, p2])
    );
    assert_eq!(s.case_members(other).unwrap(), (vec![], vec![]));

    let before = s.events(0, 100).unwrap().len();
    for result in [
        s.assign_maintainer(ReportId(9999), m1, &ev("report.assign")),
        s.assign_maintainer(id, UserId(9999), &ev("report.assign")),
        s.invite_party(ReportId(9999), p1, &ev("report.invite")),
    ] {
        assert!(matches!(result, Err(Error::Conflict { .. })), "{result:?}");
    }
    assert_eq!(s.events(0, 100).unwrap().len(), before);
}

pub(crate) fn thread_and_attachments(db: &Db) {
    let s = db.store();
    let coordinator = user(s, "cora@example.org", Role::Coordinator);
    let id = s
        .create_report(
            &new_report(t(0), None),
            &[attachment(b"poc")],
            &ev("report.submit"),
        )
        .unwrap();
    let other = s
        .create_report(&new_report(t(0), None), &[], &ev("report.submit"))
        .unwrap();
    let reply = NewMessage {
        report: id,
        author: None,
        team_only: false,
        body: b"sealed reply".to_vec(),
        created_at: t(60),
    };
    let note = NewMessage {
        report: id,
        author: Some(coordinator),
        team_only: true,
        body: b"sealed note".to_vec(),
        created_at: t(120),
    };
    let m1 = s
        .add_message(&reply, &[attachment(b"log")], &ev("report.reply"))
        .unwrap();
    let m2 = s.add_message(&note, &[], &ev("report.note")).unwrap();
    let thread = s.messages(id).unwrap();
    assert_eq!(thread.iter().map(|m| m.id).collect::<Vec<_>>(), [m1, m2]);
    assert_eq!(
        (thread[0].message.clone(), thread[1].message.clone()),
        (reply, note)
    );
    assert!(s.messages(other).unwrap().is_empty());

    let metas = s.attachments(id).unwrap();
    assert_eq!(metas.len(), 2);
    assert_eq!(
        metas[1].created_at,
        t(60),
        "a message's attachment dates from it"
    );
    assert!(
        s.attachment(other, metas[0].id).unwrap().is_none(),
        "not that case's"
    );
    assert!(s.attachment(id, 9999).unwrap().is_none());

    let before = s.events(0, 100).unwrap().len();
    let lost = NewMessage {
        report: ReportId(9999),
        ..thread[0].message.clone()
    };
    assert!(matches!(
        s.add_message(&lost, &[attachment(b"x")], &ev("report.reply")),
        Err(Error::Conflict { .. })
    ));
    assert_eq!(s.events(0, 100).unwrap().len(), before);
}

pub(crate) fn purge_removes_attachments_and_replaces_content(db: &Db) {
    let s = db.store();
    let create = |state: State, disclosed: Option<i64>, closed: Option<i64>| {
        let atts = [attachment(b"one"), attachment(b"two")];
        let id = s
            .create_report(&new_report(t(0), None), &atts, &ev("report.submit"))
            .unwrap();
        let mut r = s.report(id).unwrap().unwrap();
        r.state = state;
        r.clock.disclosed_at = disclosed.map(t);
        r.closed_at = closed.map(t);
        s.update_report(&r, &ev("report.transition")).unwrap();
        id
    };
    let disclosed = create(State::Disclosed, Some(10), None);
    let closed = create(State::Closed, None, Some(20));
    create(State::Fixing, None, None);
    create(State::Disclosed, Some(100), None);
    let closed_after_disclosure = create(State::Closed, Some(30), Some(200));

    assert_eq!(
        s.purgeable(t(50)).unwrap(),
        [disclosed, closed, closed_after_disclosure]
    );
    assert_eq!(
        s.purge(
            disclosed,
            b"sealed purged submission",
            t(60),
            &ev("report.purge")
        )
        .unwrap(),
        2
    );
    assert!(s.attachments(disclosed).unwrap().is_empty());
    let r = s.report(disclosed).unwrap().unwrap();
    assert_eq!(r.content, b"sealed purged submission");
    assert_eq!(r.purged_at, Some(t(60)));
    assert_eq!(
        s.purgeable(t(50)).unwrap(),
        [closed, closed_after_disclosure]
    );
    assert_eq!(s.attachments(closed).unwrap().len(), 2, "others untouched");

    let before = s.events(0, 100).unwrap().len();
    assert!(matches!(
        s.purge(ReportId(9999), b"x", t(60), &ev("report.purge")),
        Err(Error::Conflict { .. })
    ));
    assert_eq!(s.events(0, 100).unwrap().len(), before);
}
