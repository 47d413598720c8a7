//! Headless Chromium through `chromedriver` and fantoccini: one driver per test, a session
//! per user (each with its own new profile directory), JavaScript on or off, and the browser
//! console log.

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tempfile::TempDir;
use ward_testkit::Chromedriver;

use super::http;

/// A running chromedriver and the Chromium it drives.
pub(crate) struct Chrome {
    driver: Chromedriver,
    chromium: PathBuf,
    dir: TempDir,
}

/// One browser session (a window with its own profile).
pub(crate) struct Session {
    pub(crate) client: Client,
    driver_url: String,
    _profile: TempDir,
}

impl Chrome {
    /// Starts chromedriver, or `None` (skipped, with the reason printed) when Chromium or the
    /// driver is missing and `WARD_REQUIRE_BROWSER` is not `1`.
    pub(crate) fn start() -> Option<Chrome> {
        let (chromium, driver) = Chromedriver::programs()?;
        let dir = tempfile::tempdir().unwrap();
        let driver = Chromedriver::start(&driver, Some(&dir.path().join("chromedriver.log")))
            .unwrap_or_else(|e| panic!("starting chromedriver: {e}"));
        Some(Chrome {
            driver,
            chromium,
            dir,
        })
    }

    /// A new session. With `javascript: false`, Blink runs no script at all.
    pub(crate) async fn session(&self, javascript: bool) -> Session {
        let profile = tempfile::tempdir_in(self.dir.path()).unwrap();
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            // Without these, Chromium floods a closed network with connections of its own.
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--window-size=1280,1024".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if !javascript {
            args.push("--blink-settings=scriptEnabled=false".to_owned());
        }
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": self.chromium.to_string_lossy(),
                "args": args,
                "prefs": if javascript { json!({}) } else {
                    json!({"profile.managed_default_content_settings.javascript": 2})
                },
            },
            // So that the console (CSP violations among it) can be read back.
            "goog:loggingPrefs": {"browser": "ALL"},
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("an object literal")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.driver.url())
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "a Chromium session: {e}\nchromedriver log:\n{}",
                    self.driver_log()
                )
            });
        client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(30)),
                Some(Duration::from_secs(30)),
                Some(Duration::ZERO),
            ))
            .await
            .unwrap();
        Session {
            client,
            driver_url: self.driver.url(),
            _profile: profile,
        }
    }

    /// The end of chromedriver's log, for failure messages.
    pub(crate) fn driver_log(&self) -> String {
        let log =
            std::fs::read_to_string(self.dir.path().join("chromedriver.log")).unwrap_or_default();
        let start = log.len().saturating_sub(4000);
        log[log.ceil_char_boundary(start)..].to_owned()
    }
}

/// An entry of the browser console.
#[derive(Debug, Clone)]
pub(crate) struct ConsoleEntry {
    pub(crate) level: String,
    pub(crate) message: String,
}

impl Session {
    /// Opens `url` and returns the page's HTML once loaded.
    pub(crate) async fn open(&self, url: &str) -> String {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("opening {url}: {e}"));
        self.client.source().await.unwrap()
    }

    /// The current URL's path (and query).
    pub(crate) async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits (up to 30 s) until the current path is `path`.
    pub(crate) async fn wait_for_path(&self, path: &str) {
        for _ in 0..300 {
            if self.path().await == path {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the browser did not reach {path}; it is at {}",
            self.path().await
        );
    }

    /// Types `text` into the field named `name` inside `form`.
    pub(crate) async fn fill(&self, form: &str, name: &str, text: &str) {
        let field = self
            .client
            .find(Locator::Css(&format!("{form} [name=\"{name}\"]")))
            .await
            .unwrap_or_else(|e| panic!("{form} has no field {name}: {e}"));
        field.clear().await.ok();
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing into {name}: {e}"));
    }

    /// Chooses `value` in the `<select name=name>` inside `form`.
    pub(crate) async fn select(&self, form: &str, name: &str, value: &str) {
        let select = self
            .client
            .find(Locator::Css(&format!("{form} select[name=\"{name}\"]")))
            .await
            .unwrap_or_else(|e| panic!("{form} has no select {name}: {e}"));
        select
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("choosing {value} in {name}: {e}"));
    }

    /// Clicks the submit button of `form` (a real click, so it works without JavaScript) and
    /// waits for the next page.
    pub(crate) async fn submit(&self, form: &str) -> String {
        let before = self.client.current_url().await.unwrap();
        let button = self
            .client
            .find(Locator::Css(&format!(
                "{form} button[type=\"submit\"], {form} input[type=\"submit\"], {form} button:not([type])"
            )))
            .await
            .unwrap_or_else(|e| panic!("{form} has no submit button: {e}"));
        button.click().await.unwrap();
        // The click starts a navigation; with the page-load strategy "normal", the next
        // command waits for the document. Poll briefly in case the URL did not change.
        for _ in 0..50 {
            let ready = self
                .client
                .execute("return document.readyState", vec![])
                .await
                .map(|v| v == "complete")
                .unwrap_or(true);
            let now = self.client.current_url().await.unwrap();
            if ready && now != before {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.client.source().await.unwrap()
    }

    /// The browser console since the last call (chromedriver's `se/log`, `browser` type).
    pub(crate) async fn console(&self) -> Vec<ConsoleEntry> {
        let session = self
            .client
            .session_id()
            .await
            .unwrap()
            .expect("a live session");
        let addr = self
            .driver_url
            .trim_start_matches("http://")
            .parse()
            .expect("the driver listens on an address");
        let mut driver = http::Client::socket(addr);
        let response = driver
            .post_json(
                &format!("/session/{session}/se/log"),
                &json!({"type": "browser"}),
            )
            .await;
        response.expect(200, "reading the browser console");
        response.json()["value"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|entry| ConsoleEntry {
                level: entry["level"].as_str().unwrap_or("").to_owned(),
                message: entry["message"].as_str().unwrap_or("").to_owned(),
            })
            .collect()
    }

    /// Ends the session (and its browser).
    pub(crate) async fn close(self) {
        self.client.close().await.ok();
    }
}
