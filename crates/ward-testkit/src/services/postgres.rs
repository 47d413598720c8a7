//! The PostgreSQL the suites use, when it answers.

use std::net::TcpStream;
use std::time::Duration;

use super::require_or_skip;

/// The PostgreSQL the suites use: `$WARD_TEST_POSTGRES_URL`, by default
/// `postgres://postgres@127.0.0.1:5432/test`, when something answers at its host and port.
/// `None` with the reason printed (or a failure under `WARD_REQUIRE_POSTGRES=1`) otherwise.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("WARD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let answers = postgres_host_port(&url).is_some_and(|(host, port)| {
        use std::net::ToSocketAddrs;
        (host.as_str(), port)
            .to_socket_addrs()
            .is_ok_and(|mut addrs| {
                addrs.any(|a| TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok())
            })
    });
    require_or_skip(
        "WARD_REQUIRE_POSTGRES",
        answers,
        &format!(
            "no PostgreSQL answers at {} (set WARD_TEST_POSTGRES_URL)",
            redact_password(&url)
        ),
    )
    .then_some(url)
}

/// `host` and `port` of a `postgres://[user[:password]@]host[:port][/db][?...]` URL.
fn postgres_host_port(url: &str) -> Option<(String, u16)> {
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))?;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host_port.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => {
            Some((host.trim_matches(['[', ']']).to_owned(), port.parse().ok()?))
        }
        _ => Some((host_port.trim_matches(['[', ']']).to_owned(), 5432)),
    }
}

fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if url[scheme + 3..at].contains(':') => {
            let user_end = scheme + 3 + url[scheme + 3..at].find(':').unwrap_or(0);
            format!("{}:***{}", &url[..user_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_name_host_and_port() {
        let hp = |u: &str| postgres_host_port(u);
        assert_eq!(
            hp("postgres://postgres@127.0.0.1:5432/test"),
            Some(("127.0.0.1".into(), 5432))
        );
        assert_eq!(
            hp("postgresql://u:p@db.example:6543"),
            Some(("db.example".into(), 6543))
        );
        assert_eq!(
            hp("postgres://localhost/x"),
            Some(("localhost".into(), 5432))
        );
        assert_eq!(hp("mysql://localhost/x"), None);
        assert_eq!(
            redact_password("postgres://u:secret@h:1/d"),
            "postgres://u:***@h:1/d"
        );
    }
}
