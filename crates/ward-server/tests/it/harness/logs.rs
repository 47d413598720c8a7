//! Every log line the process writes, at TRACE level, kept in memory so a suite can search
//! it. The subscriber is process-wide (the server logs from runtime workers and blocking
//! threads, where a thread-local subscriber would miss it), installed once by the first suite
//! that asks; `log` records (from dependencies that use `log`) are forwarded too.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt as _;

/// The captured log of the whole test process.
#[derive(Clone, Default)]
pub(crate) struct Captured(Arc<Mutex<Vec<u8>>>);

static CAPTURED: OnceLock<Option<Captured>> = OnceLock::new();

/// Installs the capture (once) and returns it; `None` when another subscriber was installed
/// first, which the caller must treat as a failure of the test set-up.
pub(crate) fn capture() -> Option<Captured> {
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let installed = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(captured.clone())
                .finish()
                .try_init()
                .is_ok();
            installed.then_some(captured)
        })
        .clone()
}

impl Captured {
    /// Everything logged so far.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// One write of a log line.
pub(crate) struct Line(Arc<Mutex<Vec<u8>>>);

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line(Arc::clone(&self.0))
    }
}
