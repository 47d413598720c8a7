//! Wrapped keys, the audit chain, the outbox, the clocks.

use super::*;

pub(crate) fn wrapped_keys_are_replaced_all_or_nothing(db: &Db) {
    let s = db.store();
    let u = user(s, "tina@example.org", Role::Admin);
    let plain = user(s, "pat@example.org", Role::Reporter);
    let mut account = s.user(u).unwrap().unwrap();
    account.totp_secret = Some(b"sealed".to_vec());
    account.totp_key = Some(key("kek-1", 3));
    s.update_user(&account, &ev("user.totp")).unwrap();
    let r1 = s
        .create_report(&new_report(t(0), None), &[], &ev("report.submit"))
        .unwrap();
    let r2 = s
        .create_report(&new_report(t(0), None), &[], &ev("report.submit"))
        .unwrap();

    let keys = s.wrapped_keys().unwrap();
    let kinds: BTreeSet<_> = keys.iter().map(|(k, id, _)| (k.as_str(), *id)).collect();
    let expected: BTreeSet<_> = [
        (ward_store::KEY_OF_REPORT, r1.0),
        (ward_store::KEY_OF_REPORT, r2.0),
        (ward_store::KEY_OF_TOTP, u.0),
    ]
    .into();
    assert_eq!(kinds, expected, "{plain:?} has no TOTP key");

    let rewrapped: Vec<_> = keys
        .iter()
        .map(|(kind, id, _)| (kind.clone(), *id, key("kek-2", *id as u8)))
        .collect();
    s.replace_wrapped_keys(&rewrapped, &ev("kek.rotate"))
        .unwrap();
    assert!(
        s.wrapped_keys()
            .unwrap()
            .iter()
            .all(|(_, _, k)| k.kek_id == "kek-2")
    );
    assert_eq!(
        s.report(r1).unwrap().unwrap().wrapped_key,
        key("kek-2", r1.0 as u8)
    );
    assert_eq!(
        s.user(u).unwrap().unwrap().totp_key,
        Some(key("kek-2", u.0 as u8))
    );

    let before = s.events(0, 100).unwrap().len();
    for bad in [
        (ward_store::KEY_OF_REPORT.to_owned(), 9999),
        (ward_store::KEY_OF_TOTP.to_owned(), plain.0),
        ("lunch".to_owned(), r2.0),
    ] {
        let batch = [
            (ward_store::KEY_OF_REPORT.to_owned(), r1.0, key("kek-3", 1)),
            (bad.0, bad.1, key("kek-3", 2)),
        ];
        let err = s
            .replace_wrapped_keys(&batch, &ev("kek.rotate"))
            .unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
        assert_eq!(
            s.report(r1).unwrap().unwrap().wrapped_key.kek_id,
            "kek-2",
            "the first key of the failed batch is not kept"
        );
    }
    assert_eq!(s.events(0, 100).unwrap().len(), before);
}

pub(crate) fn events_page_and_chain(db: &Db) {
    let s = db.store();
    let mut appended = Vec::new();
    for i in 0..5 {
        let e = NewEvent {
            actor: format!("user:{i}"),
            action: "report.read".into(),
            report: (i % 2 == 0).then_some(ReportId(i)),
            detail: format!("{{\"n\":{i}}}"),
        };
        let stored = s.append_event(&e).unwrap();
        assert_eq!(stored.seq, i + 1);
        assert_eq!(
            (
                stored.actor.as_str(),
                stored.action.as_str(),
                stored.report,
                stored.detail.as_str()
            ),
            (
                e.actor.as_str(),
                e.action.as_str(),
                e.report,
                e.detail.as_str()
            )
        );
        appended.push(stored);
    }
    assert_eq!(
        s.events(0, 100).unwrap(),
        appended,
        "read back exactly as appended"
    );
    assert_eq!(appended[0].prev_hash, ward_desk::audit::GENESIS);
    assert!(appended.windows(2).all(|w| w[1].prev_hash == w[0].hash));
    assert!(appended.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(s.events(2, 2).unwrap(), appended[2..4]);
    assert!(s.events(5, 10).unwrap().is_empty());
    assert!(s.events(0, 0).unwrap().is_empty());
    let verified = verify_chain(db, 5);
    assert_eq!(verified.head, appended[4].hash);
}

pub(crate) fn notifications_are_leased_once(db: &Db) {
    let s = db.store();
    let report = s
        .create_report(&new_report(t(0), None), &[], &ev("report.submit"))
        .unwrap();
    let note = |due: i64, payload: &[u8]| NewNotification {
        report,
        channel: "email".into(),
        payload: payload.to_vec(),
        due_at: t(due),
    };
    let n1 = s.enqueue(&note(0, b"sealed one")).unwrap();
    let n2 = s.enqueue(&note(10, b"sealed two")).unwrap();
    let n3 = s.enqueue(&note(1000, b"sealed three")).unwrap();
    assert!(matches!(
        s.enqueue(&NewNotification {
            report: ReportId(9999),
            ..note(0, b"x")
        }),
        Err(Error::Conflict { .. })
    ));
    let minute = SignedDuration::from_secs(60);

    let claimed = s.claim_notifications(t(100), minute, 10).unwrap();
    assert_eq!(claimed.iter().map(|n| n.id).collect::<Vec<_>>(), [n1, n2]);
    assert_eq!(claimed[0].notification, note(0, b"sealed one"));
    assert_eq!(claimed[0].attempts, 0);
    assert!(
        s.claim_notifications(t(100), minute, 10)
            .unwrap()
            .is_empty(),
        "leased"
    );
    assert!(
        s.claim_notifications(t(159), minute, 10)
            .unwrap()
            .is_empty(),
        "still leased"
    );

    // The lease ran out (the sender died): handed out again, one at a time if asked.
    let again = s.claim_notifications(t(160), minute, 1).unwrap();
    assert_eq!(again.iter().map(|n| n.id).collect::<Vec<_>>(), [n1]);

    s.notification_failed(n1, t(500)).unwrap();
    s.notification_sent(n2).unwrap();
    assert!(
        s.claim_notifications(t(499), minute, 10)
            .unwrap()
            .is_empty()
    );
    let retried = s.claim_notifications(t(500), minute, 10).unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!((retried[0].id, retried[0].attempts), (n1, 1));
    assert_eq!(retried[0].notification.due_at, t(500));
    s.notification_sent(n1).unwrap();
    let last = s.claim_notifications(t(5000), minute, 10).unwrap();
    assert_eq!(last.iter().map(|n| n.id).collect::<Vec<_>>(), [n3]);
}

pub(crate) fn claims_racing_hand_out_each_notification_once(db: &Db) {
    let s = db.store();
    let report = s
        .create_report(&new_report(t(0), None), &[], &ev("report.submit"))
        .unwrap();
    let mut all = BTreeSet::new();
    for i in 0..60 {
        let n = NewNotification {
            report,
            channel: "webhook".into(),
            payload: vec![i],
            due_at: t(i64::from(i)),
        };
        all.insert(s.enqueue(&n).unwrap());
    }
    let second = db.reopen().unwrap();
    let stores: [&dyn Store; 2] = [s, &*second];
    let handed: Vec<i64> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|w| {
                let store = stores[w % 2];
                scope.spawn(move || {
                    let mut got = Vec::new();
                    loop {
                        let batch = store
                            .claim_notifications(t(100), SignedDuration::from_secs(600), 7)
                            .unwrap();
                        if batch.is_empty() {
                            return got;
                        }
                        got.extend(batch.iter().map(|n| n.id));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let distinct: BTreeSet<i64> = handed.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        handed.len(),
        "a notification was handed out twice"
    );
    assert_eq!(distinct, all);
}

pub(crate) fn clocks_of_every_report(db: &Db) {
    let s = db.store();
    assert!(s.clocks().unwrap().is_empty());
    let a = s
        .create_report(&new_report(t(0), None), &[], &ev("report.submit"))
        .unwrap();
    s.create_report(&new_report(t(5), None), &[], &ev("report.submit"))
        .unwrap();
    let mut r = s.report(a).unwrap().unwrap();
    r.state = State::Triaged;
    r.resolution = Some(Resolution::Invalid);
    r.clock.acknowledged_at = Some(t(1));
    r.clock.triaged_at = Some(t(2));
    s.update_report(&r, &ev("report.transition")).unwrap();
    let clocks = s.clocks().unwrap();
    assert_eq!(clocks.len(), 2);
    assert_eq!(
        clocks[0],
        (State::Triaged, Some(Resolution::Invalid), r.clock)
    );
    assert_eq!(clocks[1].0, State::Received);
    assert_eq!(clocks[1].2.received_at, t(5));
}
