//! Fetching advisory data over HTTP(S): conditional requests, size limits, timeouts.
//!
//! Traps:
//! - **Plain HTTP is refused** except for `127.0.0.1`, `[::1]` and `localhost` (test
//!   servers) or a source that says `allow_http`: advisory data decides what ward reports as
//!   safe, and a network attacker must not be able to rewrite it. An `https` URL is fetched
//!   with `https_only`, so a redirect cannot downgrade it.
//! - **Conditional requests**: the stored `ETag` goes out as `If-None-Match` and the stored
//!   `Last-Modified` as `If-Modified-Since`; `304 Not Modified` means there is nothing to do.
//! - **Bodies are capped** at [`crate::Limits::max_download_bytes`] after decompression
//!   (ureq undoes `gzip` transparently, so the cap also bounds a gzip bomb), and a
//!   `Content-Length` above the cap is refused before reading.
//! - **Timeouts**: 30 s to connect, 60 s for the response to start, 60 s per read; a large
//!   dump can take as long as it needs while bytes keep coming.

use std::io::{Read, Write};
use std::time::Duration;

use crate::import::Progress;
use crate::{Error, Limits};

/// An HTTP client for one source.
pub(crate) struct Client {
    agent: ureq::Agent,
    limits: Limits,
}

/// What a GET brought back.
pub(crate) enum Fetched {
    /// 200, with the validators to store.
    Body {
        response: ureq::http::Response<ureq::Body>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    /// 304: what we have is current.
    NotModified,
    /// 404 or 410.
    NotFound,
}

impl Client {
    /// A client for `url`, refusing plain HTTP unless `allow_http` or the host is loopback.
    pub(crate) fn new(url: &str, allow_http: bool, limits: Limits) -> Result<Client, Error> {
        let https = check_url(url, allow_http)?;
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .https_only(https)
            .max_redirects(5)
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_recv_response(Some(Duration::from_secs(60)))
            .timeout_per_read(Some(Duration::from_secs(60)))
            .user_agent(concat!("ward/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Client {
            agent: config.into(),
            limits,
        })
    }

    /// GETs `url`, conditionally when validators are given.
    pub(crate) fn get(
        &self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Fetched, Error> {
        let mut request = self.agent.get(url);
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = last_modified {
            request = request.header("If-Modified-Since", date);
        }
        let response = request.call().map_err(|source| Error::Http {
            url: url.to_owned(),
            source: Box::new(source),
        })?;
        let status = response.status().as_u16();
        match status {
            200 => {
                let header = |name: &str| {
                    response
                        .headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                };
                let (etag, last_modified) = (header("etag"), header("last-modified"));
                if let Some(length) = response.body().content_length()
                    && length > self.limits.max_download_bytes
                {
                    return Err(Error::TooLarge {
                        origin: url.to_owned(),
                        what: "the download",
                        size: length,
                        limit: self.limits.max_download_bytes,
                    });
                }
                Ok(Fetched::Body {
                    response,
                    etag,
                    last_modified,
                })
            }
            304 => Ok(Fetched::NotModified),
            404 | 410 => Ok(Fetched::NotFound),
            _ => Err(Error::HttpStatus {
                url: url.to_owned(),
                status,
            }),
        }
    }

    /// Reads a whole (small) body into memory, within the download limit.
    pub(crate) fn read(
        &self,
        url: &str,
        response: ureq::http::Response<ureq::Body>,
    ) -> Result<Vec<u8>, Error> {
        let mut bytes = Vec::new();
        self.copy(url, response, &mut bytes, &mut crate::NoProgress)?;
        Ok(bytes)
    }

    /// Copies a body into `out`, within the download limit, reporting progress in bytes.
    pub(crate) fn copy(
        &self,
        url: &str,
        response: ureq::http::Response<ureq::Body>,
        out: &mut dyn Write,
        progress: &mut dyn Progress,
    ) -> Result<u64, Error> {
        let transport = |e: std::io::Error| Error::Http {
            url: url.to_owned(),
            source: Box::new(ureq::Error::Io(e)),
        };
        let limit = self.limits.max_download_bytes;
        let mut reader = response
            .into_body()
            .into_with_config()
            .limit(u64::MAX)
            .reader()
            .take(limit.saturating_add(1));
        let mut buffer = vec![0u8; 64 * 1024];
        let mut total: u64 = 0;
        loop {
            let n = reader.read(&mut buffer).map_err(transport)?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > limit {
                return Err(Error::TooLarge {
                    origin: url.to_owned(),
                    what: "the download",
                    size: total,
                    limit,
                });
            }
            out.write_all(buffer.get(..n).unwrap_or_default())
                .map_err(|e| Error::Io {
                    path: "download".into(),
                    action: "writing",
                    source: e,
                })?;
            progress.advance(n as u64);
        }
        Ok(total)
    }
}

/// Whether `url` may be fetched; `Ok(true)` when it is HTTPS.
pub(crate) fn check_url(url: &str, allow_http: bool) -> Result<bool, Error> {
    let bad = |reason: &str| Error::BadUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("expected an http:// or https:// URL"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(bad("the URL has no host"));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(true),
        "http" if allow_http || matches!(host, "127.0.0.1" | "::1" | "localhost") => Ok(false),
        "http" => Err(bad(
            "plain http is allowed only for 127.0.0.1 and localhost, or with `allow_http = true`",
        )),
        _ => Err(bad("expected an http:// or https:// URL")),
    }
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn plain_http_only_for_loopback_or_when_allowed() {
        assert_eq!(
            check_url("https://osv.dev/PyPI/all.zip", false).ok(),
            Some(true)
        );
        assert_eq!(
            check_url("http://127.0.0.1:8080/all.zip", false).ok(),
            Some(false)
        );
        assert_eq!(
            check_url("http://localhost/all.zip", false).ok(),
            Some(false)
        );
        assert_eq!(
            check_url("http://[::1]:80/all.zip", false).ok(),
            Some(false)
        );
        assert_eq!(
            check_url("http://mirror.example/all.zip", true).ok(),
            Some(false)
        );
        assert!(check_url("http://mirror.example/all.zip", false).is_err());
        // A user-info part cannot pass for a loopback host.
        assert!(check_url("http://127.0.0.1@evil.example/all.zip", false).is_err());
        assert!(check_url("ftp://example.org/all.zip", true).is_err());
        assert!(check_url("https:///all.zip", false).is_err());
        assert!(check_url("all.zip", false).is_err());
    }
}
