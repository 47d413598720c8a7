//! A real HTTP server on 127.0.0.1 serving fixture files, with `ETag` / `If-None-Match`
//! support and a log of every request, for the sync tests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tiny_http::{Header, Response, Server};

/// One request as the server saw it, and what it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Logged {
    pub(crate) path: String,
    pub(crate) if_none_match: Option<String>,
    pub(crate) status: u16,
}

#[derive(Default)]
struct State {
    files: HashMap<String, Vec<u8>>,
    statuses: HashMap<String, u16>,
    log: Vec<Logged>,
}

/// The server; stops when dropped.
pub(crate) struct FixtureServer {
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
    state: Arc<Mutex<State>>,
    /// `http://127.0.0.1:<port>`.
    pub(crate) base: String,
}

/// The entity tag the server gives `bytes`: FNV-1a, quoted.
pub(crate) fn etag(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("\"{hash:016x}\"")
}

impl FixtureServer {
    pub(crate) fn start() -> FixtureServer {
        let server = Arc::new(Server::http("127.0.0.1:0").expect("the server binds"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let state = Arc::new(Mutex::new(State::default()));
        let thread = {
            let (server, state) = (Arc::clone(&server), Arc::clone(&state));
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let path = request.url().to_owned();
                    let if_none_match = request
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("If-None-Match"))
                        .map(|h| h.value.as_str().to_owned());
                    let mut state = state.lock().expect("the state lock");
                    let forced = state.statuses.get(&path).copied();
                    let file = state.files.get(&path).cloned();
                    let (status, response) = match (forced, file) {
                        (Some(status), _) => (status, Response::from_data(Vec::new())),
                        (None, None) => (404, Response::from_data(b"not found".to_vec())),
                        (None, Some(bytes)) => {
                            let tag = etag(&bytes);
                            let header = |name: &str, value: &str| {
                                Header::from_bytes(name, value).expect("a header")
                            };
                            let status = if if_none_match.as_deref() == Some(tag.as_str()) {
                                304
                            } else {
                                200
                            };
                            let body = if status == 304 { Vec::new() } else { bytes };
                            let response = Response::from_data(body)
                                .with_header(header("ETag", &tag))
                                .with_header(header(
                                    "Last-Modified",
                                    "Mon, 01 Jan 2024 00:00:00 GMT",
                                ));
                            (status, response)
                        }
                    };
                    state.log.push(Logged {
                        path,
                        if_none_match,
                        status,
                    });
                    drop(state);
                    let _ = request.respond(response.with_status_code(status));
                }
            })
        };
        FixtureServer {
            server,
            thread: Some(thread),
            state,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Serves `bytes` at `path`.
    pub(crate) fn put(&self, path: &str, bytes: Vec<u8>) {
        self.state
            .lock()
            .expect("the state lock")
            .files
            .insert(path.to_owned(), bytes);
    }

    /// Answers `status` (with an empty body) at `path`.
    pub(crate) fn fail(&self, path: &str, status: u16) {
        self.state
            .lock()
            .expect("the state lock")
            .statuses
            .insert(path.to_owned(), status);
    }

    /// The requests since the last call.
    pub(crate) fn take_log(&self) -> Vec<Logged> {
        std::mem::take(&mut self.state.lock().expect("the state lock").log)
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
