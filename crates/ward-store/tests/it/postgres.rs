//! What only the PostgreSQL backend has: the append-only audit table, errors that keep the
//! failing row out of messages, and a clear error when the server is not there.

use ward_store::Error;

use crate::backends::Db;
use crate::suite::ev;

#[test]
fn audit_events_cannot_be_edited_or_deleted_through_sql() {
    let Some(db) = Db::postgres() else { return };
    db.store().append_event(&ev("user.login")).unwrap();
    let mut client =
        ::postgres::Client::connect(db.postgres_url().unwrap(), ::postgres::NoTls).unwrap();
    for sql in [
        "UPDATE audit_events SET detail = '{\"forged\":1}'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ] {
        let err = client.batch_execute(sql).unwrap_err();
        let err = Error::from(err);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(db.store().events(0, 10).unwrap().len(), 1);
}

/// PostgreSQL quotes the failing row in the DETAIL of a NOT NULL violation; ward's error
/// keeps the SQLSTATE and message only, so sealed bytes in a row never reach a log line.
#[test]
fn a_refused_statement_does_not_quote_the_row() {
    let Some(db) = Db::postgres() else { return };
    let mut client =
        ::postgres::Client::connect(db.postgres_url().unwrap(), ::postgres::NoTls).unwrap();
    let marker = "MARKER-5f1c2a";
    let err = client
        .execute(
            "INSERT INTO outbox (report_id, channel, payload, due_at)
             VALUES (NULL, $1, $2, now())",
            &[&marker, &marker.as_bytes()],
        )
        .unwrap_err();
    let raw = format!(
        "{:?} {}",
        err.as_db_error().unwrap().detail(),
        err.source_chain()
    );
    assert!(
        raw.contains("MARKER") || raw.contains("4d41524b4552"),
        "the premise: {raw}"
    );
    let err = Error::from(err);
    let shown = format!("{err} {err:?} {}", err.source_chain());
    assert!(
        matches!(err, Error::Refused { ref code, .. } if code == "23502"),
        "{shown}"
    );
    assert!(
        !shown.contains("MARKER") && !shown.contains("4d41524b4552"),
        "{shown}"
    );
}

#[test]
fn an_unreachable_server_is_an_error_not_a_hang() {
    let start = std::time::Instant::now();
    let key = ward_desk::seal::Secret::random();
    let url = "postgres://postgres@127.0.0.1:1/test?connect_timeout=2";
    let err = ward_store::open(&ward_store::Location::Postgres(url.into()), key).unwrap_err();
    assert!(matches!(err, Error::Postgres(_)), "{err:?}");
    assert!(
        err.source_chain().contains("refused"),
        "{}",
        err.source_chain()
    );
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
}

/// Every source of an error, joined, as a log line with `{:#}` would show them.
trait SourceChain {
    fn source_chain(&self) -> String;
}

impl<E: std::error::Error> SourceChain for E {
    fn source_chain(&self) -> String {
        let mut out = self.to_string();
        let mut next = self.source();
        while let Some(e) = next {
            out.push_str(": ");
            out.push_str(&e.to_string());
            next = e.source();
        }
        out
    }
}
