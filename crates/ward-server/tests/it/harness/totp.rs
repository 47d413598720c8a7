//! TOTP codes for the accounts the suites log in with (RFC 6238: SHA-1, 6 digits, 30 s),
//! computed with totp-rs and, where Debian's `oathtool` is installed, checked against it.

use std::time::{SystemTime, UNIX_EPOCH};

use totp_rs::{Algorithm, Secret, Totp};

/// The authenticator of an enrolled account.
#[derive(Debug, Clone)]
pub(crate) struct Authenticator {
    base32: String,
    totp: Totp,
}

impl Authenticator {
    /// From the base32 secret `enroll_totp` returned.
    pub(crate) fn new(base32: &str) -> Authenticator {
        let secret = Secret::try_from_base32(base32.trim())
            .unwrap_or_else(|e| panic!("the TOTP secret is not base32: {e:?}"));
        let totp = totp_rs::Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_step_duration(30)
            .with_secret(secret)
            .build()
            .unwrap_or_else(|e| panic!("a TOTP from the enrolled secret: {e:?}"));
        Authenticator {
            base32: base32.trim().to_owned(),
            totp,
        }
    }

    /// The secret, base32, as enrolled.
    pub(crate) fn base32(&self) -> &str {
        &self.base32
    }

    /// The code at `unix` seconds.
    pub(crate) fn code_at(&self, unix: u64) -> String {
        self.totp.generate(unix).to_string()
    }

    /// A code of a step later than `after` (the step of a code already used), waiting for the
    /// next step when needed: a code is accepted once per 30-second step (replay protection).
    /// Returns the code and its step.
    pub(crate) async fn fresh_code(&self, after: Option<u64>) -> (String, u64) {
        loop {
            let t = now();
            let step = t / 30;
            if after.is_none_or(|used| step > used) {
                return (self.code_at(t), step);
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
    }

    /// Compares totp-rs with `oathtool --totp -b` at a fixed time, when oathtool is
    /// installed. Returns whether the comparison ran.
    pub(crate) fn cross_check_with_oathtool(&self) -> bool {
        let Some(oathtool) = ward_testkit::find_program(&["oathtool"]) else {
            eprintln!("NOTE: oathtool is not installed; TOTP codes not cross-checked");
            return false;
        };
        for unix in [1_700_000_000u64, now()] {
            let theirs = ward_testkit::output_of(
                &oathtool,
                &["--totp", "-b", "--now", &format!("@{unix}"), &self.base32],
            )
            .expect("oathtool computes a code");
            assert_eq!(
                theirs.trim(),
                self.code_at(unix),
                "totp-rs and oathtool disagree at {unix}"
            );
        }
        true
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

#[test]
fn rfc_6238_vector() {
    // RFC 6238 appendix B: SHA-1, secret "12345678901234567890", T = 59 → 94287082 (8 digits);
    // the 6-digit code is its last six digits.
    let base32 = Secret::from(b"12345678901234567890".to_vec()).to_base32();
    let authenticator = Authenticator::new(&base32);
    assert_eq!(authenticator.code_at(59), "287082");
    authenticator.cross_check_with_oathtool();
}
