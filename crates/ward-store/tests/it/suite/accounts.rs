//! Accounts, sessions, API tokens, the setup link, the packages in scope.

use super::*;

pub(crate) fn users_round_trip(db: &Db) {
    let s = db.store();
    assert_eq!(s.count_users().unwrap(), 0);
    let alice = s
        .create_user(
            &new_user("Alice@Example.org", Role::Admin),
            &ev("user.create"),
        )
        .unwrap();
    let bob = user(s, "bob@example.org", Role::Maintainer);
    assert_eq!(s.count_users().unwrap(), 2);

    let got = s.user(alice).unwrap().unwrap();
    assert_eq!(got.id, alice);
    assert_eq!(got.email, "Alice@Example.org", "stored as given");
    assert_eq!(got.name, "Name of Alice@Example.org");
    assert_eq!(got.role, Role::Admin);
    assert_eq!(
        got.password_hash,
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"
    );
    assert_eq!(
        (got.totp_secret.clone(), got.totp_key.clone()),
        (None, None)
    );
    assert_eq!(got.totp_last_step, None);
    assert!(!got.disabled);
    assert!(
        Timestamp::now()
            .duration_since(got.created_at)
            .as_secs()
            .abs()
            < 300
    );

    for spelling in [
        "alice@example.org",
        "ALICE@EXAMPLE.ORG",
        "Alice@Example.org",
    ] {
        assert_eq!(
            s.user_by_email(spelling).unwrap().map(|u| u.id),
            Some(alice)
        );
    }
    assert!(s.user_by_email("carol@example.org").unwrap().is_none());
    assert!(s.user(UserId(9999)).unwrap().is_none());
    let all: Vec<_> = s.users().unwrap().into_iter().map(|u| u.id).collect();
    assert_eq!(all, [alice, bob]);

    let mut changed = got.clone();
    changed.name = "Alice B.".into();
    changed.role = Role::Coordinator;
    changed.password_hash = "$argon2id$new".into();
    changed.totp_secret = Some(b"sealed totp secret".to_vec());
    changed.totp_key = Some(key("kek-1", 7));
    changed.disabled = true;
    changed.email = "ignored@example.org".into();
    s.update_user(&changed, &ev("user.update")).unwrap();
    let again = s.user(alice).unwrap().unwrap();
    assert_eq!(again.name, "Alice B.");
    assert_eq!(again.role, Role::Coordinator);
    assert_eq!(again.password_hash, "$argon2id$new");
    assert_eq!(
        again.totp_secret.as_deref(),
        Some(&b"sealed totp secret"[..])
    );
    assert_eq!(again.totp_key, Some(key("kek-1", 7)));
    assert!(again.disabled);
    assert_eq!(
        again.email, "Alice@Example.org",
        "the email is not a mutable field"
    );
    assert_eq!(again.created_at, got.created_at);

    let mut ghost = again.clone();
    ghost.id = UserId(9999);
    assert!(matches!(
        s.update_user(&ghost, &ev("user.update")),
        Err(Error::Conflict { .. })
    ));
    assert_eq!(actions(s), ["user.create", "user.create", "user.update"]);
}

pub(crate) fn emails_are_unique_case_insensitively_and_a_refused_change_appends_nothing(db: &Db) {
    let s = db.store();
    user(s, "dana@example.org", Role::Reporter);
    let before = s.events(0, 1000).unwrap();
    for spelling in ["dana@example.org", "DANA@example.ORG"] {
        let err = s
            .create_user(&new_user(spelling, Role::Admin), &ev("user.create"))
            .unwrap_err();
        assert!(matches!(err, Error::Duplicate { .. }), "{err:?}");
    }
    assert_eq!(
        s.events(0, 1000).unwrap(),
        before,
        "no event for a refused change"
    );
    assert_eq!(s.count_users().unwrap(), 1);
    verify_chain(db, 1);
}

pub(crate) fn a_totp_step_is_accepted_once(db: &Db) {
    let s = db.store();
    let u = user(s, "tom@example.org", Role::Coordinator);
    let mut enrolled = s.user(u).unwrap().unwrap();
    enrolled.totp_secret = Some(b"secret one".to_vec());
    enrolled.totp_key = Some(key("kek-1", 1));
    s.update_user(&enrolled, &ev("user.totp")).unwrap();

    assert!(s.advance_totp_step(u, 100).unwrap());
    assert!(
        !s.advance_totp_step(u, 100).unwrap(),
        "the same code again is a replay"
    );
    assert!(
        !s.advance_totp_step(u, 99).unwrap(),
        "an older code is refused"
    );
    assert!(s.advance_totp_step(u, 101).unwrap());
    assert_eq!(s.user(u).unwrap().unwrap().totp_last_step, Some(101));
    assert!(!s.advance_totp_step(UserId(9999), 1).unwrap());

    // A copy of the account read before the codes were used does not move the step back.
    let mut stale = enrolled.clone();
    stale.name = "Tom".into();
    s.update_user(&stale, &ev("user.update")).unwrap();
    assert_eq!(s.user(u).unwrap().unwrap().totp_last_step, Some(101));
    assert!(!s.advance_totp_step(u, 101).unwrap());

    // A new secret starts over.
    let mut reenrolled = s.user(u).unwrap().unwrap();
    reenrolled.totp_secret = Some(b"secret two".to_vec());
    reenrolled.totp_last_step = None;
    s.update_user(&reenrolled, &ev("user.totp")).unwrap();
    assert_eq!(s.user(u).unwrap().unwrap().totp_last_step, None);
    assert!(s.advance_totp_step(u, 50).unwrap());
}

pub(crate) fn sessions_live_until_they_expire(db: &Db) {
    let s = db.store();
    let u = user(s, "sam@example.org", Role::Coordinator);
    let other = user(s, "sue@example.org", Role::Coordinator);
    let session = |h: u64, who: UserId| Session {
        token_hash: hash(h),
        user: who,
        second_factor: false,
        created_at: t(0),
        expires_at: t(3600),
    };
    for (h, who) in [(1, u), (2, u), (3, other)] {
        s.create_session(&session(h, who)).unwrap();
    }
    assert_eq!(s.session(&hash(1), t(10)).unwrap(), Some(session(1, u)));
    assert_eq!(
        s.session(&hash(1), t(3599)).unwrap().map(|x| x.user),
        Some(u)
    );
    assert_eq!(
        s.session(&hash(1), t(3600)).unwrap(),
        None,
        "expired at its expiry"
    );
    assert_eq!(s.session(&hash(9), t(10)).unwrap(), None);
    assert!(matches!(
        s.create_session(&session(1, u)),
        Err(Error::Duplicate { .. })
    ));

    s.set_second_factor(&hash(1)).unwrap();
    assert!(s.session(&hash(1), t(10)).unwrap().unwrap().second_factor);
    assert!(!s.session(&hash(2), t(10)).unwrap().unwrap().second_factor);

    s.delete_session(&hash(1)).unwrap();
    assert_eq!(s.session(&hash(1), t(10)).unwrap(), None);
    s.delete_sessions_of(u).unwrap();
    assert_eq!(s.session(&hash(2), t(10)).unwrap(), None);
    assert!(
        s.session(&hash(3), t(10)).unwrap().is_some(),
        "another's stays"
    );

    // A new session after the others expired: they are swept, it lives.
    let later = Session {
        created_at: t(7200),
        expires_at: t(9000),
        ..session(4, u)
    };
    s.create_session(&later).unwrap();
    assert!(s.session(&hash(4), t(7300)).unwrap().is_some());
    assert_eq!(
        s.events(0, 100).unwrap().len(),
        2,
        "sessions are not audited here"
    );
}

pub(crate) fn tokens_are_found_by_hash_and_revoked_only_by_their_owner(db: &Db) {
    let s = db.store();
    let owner = user(s, "olga@example.org", Role::Coordinator);
    let thief = user(s, "tim@example.org", Role::Maintainer);
    let token = |h: u64, expires: Option<Timestamp>| NewApiToken {
        user: owner,
        name: format!("token {h}"),
        token_hash: hash(h),
        scopes: vec![TokenScope::Read, TokenScope::Write],
        expires_at: expires,
    };
    let forever = s
        .create_token(&token(1, None), &ev("token.create"))
        .unwrap();
    let brief = s
        .create_token(&token(2, Some(t(100))), &ev("token.create"))
        .unwrap();
    assert_ne!(forever, brief);
    assert!(matches!(
        s.create_token(&token(1, None), &ev("token.create")),
        Err(Error::Duplicate { .. })
    ));

    let got = s.token(&hash(1), t(50)).unwrap().unwrap();
    assert_eq!(
        (got.id, got.user, got.name.as_str()),
        (forever, owner, "token 1")
    );
    assert_eq!(got.scopes, [TokenScope::Read, TokenScope::Write]);
    assert_eq!(got.expires_at, None);
    assert!(
        Timestamp::now()
            .duration_since(got.created_at)
            .as_secs()
            .abs()
            < 300
    );
    assert_eq!(s.token(&hash(2), t(99)).unwrap().map(|x| x.id), Some(brief));
    assert_eq!(s.token(&hash(2), t(100)).unwrap(), None, "expired");
    assert_eq!(s.token(&hash(3), t(0)).unwrap(), None);

    let listed: Vec<_> = s.tokens_of(owner).unwrap().iter().map(|x| x.id).collect();
    assert_eq!(
        listed,
        [forever, brief],
        "expired ones are listed, to be deleted"
    );
    assert!(s.tokens_of(thief).unwrap().is_empty());

    let before = s.events(0, 100).unwrap().len();
    assert!(!s.delete_token(thief, forever, &ev("token.delete")).unwrap());
    assert!(!s.delete_token(owner, 9999, &ev("token.delete")).unwrap());
    assert_eq!(
        s.events(0, 100).unwrap().len(),
        before,
        "nothing deleted, no event"
    );
    assert!(s.token(&hash(1), t(50)).unwrap().is_some());

    assert!(s.delete_token(owner, forever, &ev("token.delete")).unwrap());
    assert_eq!(s.token(&hash(1), t(50)).unwrap(), None);
    assert_eq!(s.events(0, 100).unwrap().len(), before + 1);
}

pub(crate) fn the_setup_link_is_consumed_exactly_once(db: &Db) {
    let s = db.store();
    s.create_setup_link(&hash(1), t(100)).unwrap();
    assert!(matches!(
        s.create_setup_link(&hash(1), t(100)),
        Err(Error::Duplicate { .. })
    ));
    assert!(
        !s.consume_setup_link(&hash(2), t(0)).unwrap(),
        "unknown link"
    );
    assert!(!s.setup_link_live(&hash(2), t(0)).unwrap(), "unknown link");
    assert!(
        s.setup_link_live(&hash(1), t(0)).unwrap(),
        "looking does not use it up"
    );
    assert!(s.setup_link_live(&hash(1), t(0)).unwrap());
    assert!(s.consume_setup_link(&hash(1), t(0)).unwrap());
    assert!(!s.consume_setup_link(&hash(1), t(0)).unwrap(), "used");
    assert!(!s.setup_link_live(&hash(1), t(0)).unwrap(), "used");

    s.create_setup_link(&hash(3), t(100)).unwrap();
    assert!(!s.setup_link_live(&hash(3), t(100)).unwrap(), "expired");
    assert!(!s.consume_setup_link(&hash(3), t(100)).unwrap(), "expired");

    // Racing: one winner.
    s.create_setup_link(&hash(4), t(100)).unwrap();
    let wins: usize = std::thread::scope(|scope| {
        let racers: Vec<_> = (0..6)
            .map(|_| scope.spawn(|| s.consume_setup_link(&hash(4), t(0)).unwrap()))
            .collect();
        racers
            .into_iter()
            .map(|r| usize::from(r.join().unwrap()))
            .sum()
    });
    assert_eq!(wins, 1);
}

pub(crate) fn packages_in_scope(db: &Db) {
    let s = db.store();
    let m = user(s, "max@example.org", Role::Maintainer);
    let express = s.add_scope("npm", "express", m, &ev("scope.add")).unwrap();
    let body = s
        .add_scope("npm", "body-parser", m, &ev("scope.add"))
        .unwrap();
    let before = s.events(0, 100).unwrap().len();
    assert!(matches!(
        s.add_scope("npm", "express", m, &ev("scope.add")),
        Err(Error::Duplicate { .. })
    ));
    assert!(matches!(
        s.add_scope("npm", "koa", UserId(9999), &ev("scope.add")),
        Err(Error::Conflict { .. })
    ));
    assert_eq!(s.events(0, 100).unwrap().len(), before);

    let rows = s.scope().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[0].id,
            rows[0].ecosystem.as_str(),
            rows[0].package.as_str(),
            rows[0].maintainer
        ),
        (express, "npm", "express", m)
    );
    assert_eq!(rows[1].id, body);

    assert!(s.remove_scope(express, &ev("scope.remove")).unwrap());
    assert!(!s.remove_scope(express, &ev("scope.remove")).unwrap());
    assert_eq!(s.scope().unwrap().len(), 1);
    assert_eq!(s.events(0, 100).unwrap().len(), before + 1);
}
