//! The transparency log over HTTP: checkpoint, key, tiles, proofs, and recording release
//! signatures; each answer checked with ward-log's verifiers, as a client would.

use axum::http::{Method, StatusCode};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use ward_desk::access::Role;
use ward_desk::ledger::Entry;
use ward_log::note::NoteVerifier;
use ward_log::tile::{TileId, TileSource};
use ward_log::{Checkpoint, Hash};

use super::support::Desk;

async fn checkpoint(desk: &Desk) -> Checkpoint {
    let key = desk.get_anonymous("/log/key").await;
    assert_eq!(key.status, StatusCode::OK);
    let verifier = NoteVerifier::parse(key.body.trim()).unwrap();
    assert_eq!(
        verifier.name(),
        "ward.test/log",
        "the origin comes from the public URL"
    );
    let note = desk.get_anonymous("/log/checkpoint").await;
    assert_eq!(note.status, StatusCode::OK);
    Checkpoint::open(&note.body, &verifier).unwrap()
}

fn hashes(json: &serde_json::Value) -> Vec<Hash> {
    json["hashes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| Hash::from_slice(&STANDARD.decode(h.as_str().unwrap()).unwrap()).unwrap())
        .collect()
}

/// Tiles fetched through the router, one request each.
struct Served<'a>(&'a Desk, tokio::runtime::Handle);

impl TileSource for Served<'_> {
    fn read_tile(&self, tile: TileId) -> Result<std::borrow::Cow<'_, [u8]>, ward_log::Error> {
        let path = format!("/log/{}", tile.path());
        let answer = tokio::task::block_in_place(|| self.1.block_on(self.0.get_anonymous(&path)));
        if answer.status != StatusCode::OK {
            return Err(ward_log::Error::TileMissing { path });
        }
        Ok(std::borrow::Cow::Owned(answer.bytes))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_log_holds_every_audit_event_and_proves_it() {
    let desk = Desk::new();
    let empty = checkpoint(&desk).await;
    assert_eq!(empty.size, 0, "a new instance signs an empty log");

    let coordinator = desk.user(Role::Coordinator, "cora").await;
    for i in 0..3 {
        desk.submit(json!({"title": format!("Report {i}"), "description": "Details."}))
            .await;
    }
    let logged = ward_server::log::sequence_once(&desk.state).await.unwrap();
    let events = desk.state.store().events(0, u32::MAX).unwrap();
    assert_eq!(logged, events.len() as u64, "every audit event is logged");
    assert_eq!(
        ward_server::log::sequence_once(&desk.state).await.unwrap(),
        0
    );

    let head = checkpoint(&desk).await;
    assert_eq!(head.size, events.len() as u64);

    // The tiles lead to the signed root, and the entries are the events' commitments.
    let served = Served(&desk, tokio::runtime::Handle::current());
    assert_eq!(
        ward_log::tile::tree_hash(head.size, &served).unwrap(),
        head.root
    );
    let width = u16::try_from(head.size).unwrap();
    let bundle = desk
        .get_anonymous(&format!("/log/tile/entries/000.p/{width}"))
        .await;
    assert_eq!(bundle.status, StatusCode::OK);
    let entries = ward_log::tile::parse_entry_bundle(&bundle.bytes).unwrap();
    for (entry, event) in entries.iter().zip(&events) {
        assert_eq!(
            Entry::parse(entry).unwrap(),
            Entry::Audit {
                seq: event.seq,
                hash: event.hash
            }
        );
    }
    let tile = desk
        .get_anonymous(&format!("/log/tile/0/000.p/{width}"))
        .await;
    assert_eq!(
        tile.headers["cache-control"], "public, max-age=31536000, immutable",
        "tiles never change"
    );
    assert_eq!(
        desk.get_anonymous("/log/checkpoint").await.headers["cache-control"],
        "no-store"
    );
    let beyond = desk
        .get_anonymous(&format!("/log/tile/0/000.p/{}", width + 1))
        .await;
    assert_eq!(beyond.status, StatusCode::NOT_FOUND, "not past the size");
    assert_eq!(beyond.headers["cache-control"], "no-store");
    for bad in [
        "/log/tile/0/0",
        "/log/tile/0/000.p/0",
        "/log/tile/x/000",
        "/log/tile/0/000.p/256",
    ] {
        assert_eq!(
            desk.get_anonymous(bad).await.status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }

    // An inclusion proof for an entry, at the signed size.
    let leaf = ward_log::leaf_hash(entries[2]);
    let proof = desk
        .get_anonymous(&format!("/log/proof/leaf/{leaf}?size={}", head.size))
        .await;
    assert_eq!(proof.status, StatusCode::OK, "{}", proof.body);
    let proof = proof.json();
    assert_eq!(proof["index"], 2);
    ward_log::verify_inclusion(2, head.size, &leaf, &hashes(&proof), &head.root).unwrap();
    let unknown = ward_log::leaf_hash(b"never logged");
    assert_eq!(
        desk.get_anonymous(&format!("/log/proof/leaf/{unknown}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        desk.get_anonymous("/log/proof/leaf/zz").await.status,
        StatusCode::BAD_REQUEST
    );

    // A release signature, recorded by a coordinator's token, then a consistency proof from
    // the old head to the new one.
    let signature = "untrusted comment: signature from ward secret key\nRWQ...fake\n";
    let answer = desk
        .api(
            &coordinator,
            Method::POST,
            "/api/v1/log/signatures",
            Some(json!({"sha256": "cd".repeat(32), "signature": signature})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let index = answer.json()["index"].as_u64().unwrap();
    assert_eq!(index, head.size, "appended at the end");
    let new = checkpoint(&desk).await;
    assert_eq!(new.size, head.size + 1);
    let consistency = desk
        .get_anonymous(&format!(
            "/log/proof/consistency/{}/{}",
            head.size, new.size
        ))
        .await
        .json();
    ward_log::verify_consistency(
        head.size,
        new.size,
        &head.root,
        &new.root,
        &hashes(&consistency),
    )
    .unwrap();
    assert_eq!(
        desk.get_anonymous(&format!(
            "/log/proof/consistency/{}/{}",
            new.size, head.size
        ))
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    assert!(
        !desk.events("log.signature").is_empty(),
        "the append is audited"
    );
}

#[tokio::test]
async fn only_staff_record_signatures_and_bad_bodies_are_refused() {
    let desk = Desk::new();
    let maintainer = desk.user(Role::Maintainer, "mo").await;
    let admin = desk.user(Role::Admin, "ada").await;
    let body = json!({"sha256": "ab".repeat(32), "signature": "sig"});
    let refused = desk
        .api(
            &maintainer,
            Method::POST,
            "/api/v1/log/signatures",
            Some(body.clone()),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    for (bad, why) in [
        (json!({"sha256": "ab", "signature": "sig"}), "short hash"),
        (
            json!({"sha256": "ab".repeat(32), "signature": "  "}),
            "empty signature",
        ),
        (
            json!({"sha256": "ab".repeat(32), "signature": "x".repeat(70_000)}),
            "too long",
        ),
        (json!({"signature": "sig"}), "no hash"),
    ] {
        let answer = desk
            .api(&admin, Method::POST, "/api/v1/log/signatures", Some(bad))
            .await;
        assert!(
            answer.status.is_client_error(),
            "{why}: {} {}",
            answer.status,
            answer.body
        );
    }
    let size = desk.state.store().log_head().unwrap().unwrap().size;
    assert_eq!(size, 0, "nothing refused was logged");
    let accepted = desk
        .api(&admin, Method::POST, "/api/v1/log/signatures", Some(body))
        .await;
    assert_eq!(accepted.status, StatusCode::CREATED);
}
