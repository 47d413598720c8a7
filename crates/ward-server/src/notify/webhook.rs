//! Signed chat webhooks: the body, its signature, and the POST.
//!
//! A delivery is a JSON object: the notice's fields (ids, states and a link, never report
//! content) plus `delivery` (stable across retries, so a receiver can drop repeats) and
//! `timestamp` (Unix seconds when this attempt was made). It is sent with
//!
//! - `X-Ward-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes under the secret>`,
//! - `X-Ward-Timestamp: <the same Unix seconds>`,
//! - `X-Ward-Delivery: <the same delivery id>`.
//!
//! The timestamp and delivery id are inside the signed body, so a receiver that checks the
//! signature, that the header timestamp equals the body's and is recent (say, within five
//! minutes), and that it has not seen the delivery id, refuses replays. [`verify`] does the
//! first two checks in constant time; receivers written in Rust can use it as is.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "X-Ward-Signature";
/// The timestamp header (Unix seconds).
pub const TIMESTAMP_HEADER: &str = "X-Ward-Timestamp";
/// The delivery id header.
pub const DELIVERY_HEADER: &str = "X-Ward-Delivery";

/// How long a webhook POST may take in all before it counts as failed.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The value of [`SIGNATURE_HEADER`] for `body`: `sha256=` and the lower-case hex HMAC.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    ward_desk::notice::webhook_signature(secret, body)
}

/// Why a delivery was refused by [`verify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The signature header is not `sha256=<64 hex digits>`.
    #[error("the signature header is not sha256=<hex>")]
    Malformed,
    /// The signature does not match the body.
    #[error("the signature does not match the body")]
    Mismatch,
    /// The timestamp is too far from now.
    #[error("the delivery is older (or newer) than the allowed window")]
    Stale,
}

/// Checks a delivery's signature (constant time) and that `timestamp` is within `window`
/// seconds of `now` (both Unix seconds).
pub fn verify(
    secret: &[u8],
    body: &[u8],
    signature: &str,
    timestamp: i64,
    now: i64,
    window: i64,
) -> Result<(), VerifyError> {
    let hex_sig = signature
        .strip_prefix("sha256=")
        .ok_or(VerifyError::Malformed)?;
    let expected = unhex(hex_sig).ok_or(VerifyError::Malformed)?;
    let mut mac = new_mac(secret);
    mac.update(body);
    // `verify_slice` compares in constant time.
    mac.verify_slice(&expected)
        .map_err(|_| VerifyError::Mismatch)?;
    if (now - timestamp).abs() > window {
        return Err(VerifyError::Stale);
    }
    Ok(())
}

/// The body of one delivery attempt: the notice's JSON object with `delivery` and
/// `timestamp` added.
pub(crate) fn body(notice: &serde_json::Value, delivery: &str, timestamp: i64) -> Vec<u8> {
    let mut object = match notice {
        serde_json::Value::Object(map) => map.clone(),
        other => {
            let mut map = serde_json::Map::new();
            map.insert("notice".to_owned(), other.clone());
            map
        }
    };
    object.insert("delivery".to_owned(), delivery.into());
    object.insert("timestamp".to_owned(), timestamp.into());
    serde_json::Value::Object(object).to_string().into_bytes()
}

/// POSTs one delivery; blocking (call it from `spawn_blocking`). Redirects are not followed:
/// a webhook that moved is a configuration to fix, not a reason to send a signed body
/// somewhere else. A non-2xx answer is an error.
pub(crate) fn post(
    url: &str,
    secret: &[u8],
    body: &[u8],
    delivery: &str,
    timestamp: i64,
) -> Result<(), String> {
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .max_redirects(0)
            .http_status_as_error(true)
            .build(),
    );
    agent
        .post(url)
        .header("Content-Type", "application/json")
        .header(SIGNATURE_HEADER, sign(secret, body))
        .header(TIMESTAMP_HEADER, timestamp.to_string())
        .header(DELIVERY_HEADER, delivery)
        .send(body)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn new_mac(secret: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length; `new_from_slice` fails only for fixed-size MACs.
    <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC accepts a key of any length")
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn signature_is_rfc4231_hmac_sha256() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn verify_accepts_own_signature_and_refuses_changes() {
        let body = body(&serde_json::json!({"kind": "new_report"}), "7", 1_000);
        let sig = sign(b"k", &body);
        assert_eq!(verify(b"k", &body, &sig, 1_000, 1_100, 300), Ok(()));
        assert_eq!(
            verify(b"other", &body, &sig, 1_000, 1_100, 300),
            Err(VerifyError::Mismatch)
        );
        let mut edited = body.clone();
        edited[2] ^= 1;
        assert_eq!(
            verify(b"k", &edited, &sig, 1_000, 1_100, 300),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            verify(b"k", &body, &sig, 1_000, 2_000, 300),
            Err(VerifyError::Stale)
        );
        assert_eq!(
            verify(b"k", &body, "sha1=00", 1_000, 1_000, 300),
            Err(VerifyError::Malformed)
        );
        assert_eq!(
            verify(b"k", &body, "sha256=zz", 1_000, 1_000, 300),
            Err(VerifyError::Malformed)
        );
    }

    #[test]
    fn body_carries_delivery_and_timestamp() {
        let body = body(
            &serde_json::json!({"kind": "escalation", "report": 3}),
            "9",
            42,
        );
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(value["delivery"], "9");
        assert_eq!(value["timestamp"], 42);
        assert_eq!(value["report"], 3);
    }
}
