//! The end-to-end test, in real headless Chromium against a real server on loopback
//! with a real SMTP server: a reporter submits through the form; a coordinator logs in with
//! password and TOTP, finds the report in the inbox, acknowledges it and scores it with the
//! CVSS editor; the reporter's follow-up page shows the new state, and the acknowledgment
//! email reaches the SMTP server addressed to the reporter's contact address. The report form
//! also works with JavaScript disabled, and no page trips the Content-Security-Policy.
//!
//! Skipped (with the reason printed) without Chromium, chromedriver or aiosmtpd, unless
//! `WARD_REQUIRE_BROWSER=1`.

use std::time::Duration;

use fantoccini::Locator;
use ward_desk::ReportId;
use ward_desk::access::Role;
use ward_desk::notice::Notice;
use ward_desk::state::State;

use crate::harness::chrome::{Chrome, ConsoleEntry, Session};
use crate::harness::mail::subject;
use crate::harness::{Mail, Options, TestServer, html};

const TITLE: &str = "Path traversal in the static file handler";
const CONTACT: &str = "reporter@example.net";
const VECTOR: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_goes_from_the_form_to_an_acknowledgment_by_email() {
    let Some(chrome) = Chrome::start() else {
        return;
    };
    let Some(server) = TestServer::start(Options {
        smtp: Mail::Required,
        ..Options::default()
    })
    .await
    else {
        return;
    };
    let mut coordinator = server.user(Role::Coordinator, "coordinator", true).await;
    let authenticator = coordinator.authenticator.clone().expect("enrolled");
    authenticator.cross_check_with_oathtool();
    let mut console = Vec::new();

    // The reporter: the policy page and its form, with JavaScript on.
    let reporter = chrome.session(true).await;
    let page = reporter.open(&server.url("/")).await;
    assert!(
        page.contains("id=\"report\""),
        "the policy page has the report form"
    );
    fill_report(&reporter, TITLE, CONTACT).await;
    let page = reporter.submit("form#report").await;
    let follow_up = reporter.path().await;
    assert!(
        follow_up.starts_with("/r/"),
        "submitting lands on the follow-up page, not {follow_up}: {}",
        excerpt(&page)
    );
    assert_eq!(state_on(&page).as_deref(), Some("received"), "{follow_up}");
    console.extend(reporter.console().await);

    // The coordinator: password, then TOTP.
    let desk = chrome.session(true).await;
    desk.open(&server.url("/login")).await;
    let login = "form[action=\"/login\"]";
    desk.fill(login, "email", &coordinator.email).await;
    desk.fill(login, "password", &coordinator.password).await;
    desk.submit(login).await;
    assert!(
        desk.path().await.starts_with("/login/totp"),
        "a coordinator is asked for a TOTP code after the password, not sent to {}",
        desk.path().await
    );
    let (code, step) = authenticator.fresh_code(coordinator.used_step).await;
    coordinator.used_step = Some(step);
    let second = "form[action=\"/login/totp\"]";
    desk.fill(second, "code", &code).await;
    let page = desk.submit(second).await;
    assert_eq!(
        desk.path().await,
        "/inbox",
        "the TOTP code logs the coordinator in: {}",
        excerpt(&page)
    );
    let inbox = desk.open(&server.url("/inbox")).await;
    let rows = html::inbox_cases(&inbox);
    assert_eq!(rows.len(), 1, "the inbox lists the one report: {rows:?}");
    let case: i64 = rows[0].parse().expect("a case id");
    console.extend(desk.console().await);

    // Open it from the inbox (a click, as a person would).
    desk.client
        .find(Locator::Css(&format!("tr[data-case=\"{case}\"] a")))
        .await
        .expect("the inbox row links to the case")
        .click()
        .await
        .unwrap();
    desk.wait_for_path(&format!("/cases/{case}")).await;
    let page = desk.client.source().await.unwrap();
    assert!(
        html::text(&page).contains(TITLE),
        "the case page shows the report"
    );
    assert_eq!(state_on(&page).as_deref(), Some("received"));

    // Acknowledge.
    let page = transition(&desk, "acknowledged").await;
    assert_eq!(
        state_on(&page).as_deref(),
        Some("acknowledged"),
        "after acknowledging: {}",
        excerpt(&page)
    );

    // Score with the CVSS 3.1 editor: one select per metric.
    let metrics = VECTOR.trim_start_matches("CVSS:3.1/");
    for metric in metrics.split('/') {
        let (name, value) = metric.split_once(':').expect("METRIC:VALUE");
        desk.select("form[action$=\"/score\"]", &format!("v3_{name}"), value)
            .await;
    }
    let page = desk.submit("form[action$=\"/score\"]").await;
    let score = html::text_of_id(&page, "score").unwrap_or_default();
    assert!(
        score.contains("9.8") && score.contains("Critical"),
        "{VECTOR} scores 9.8 Critical, the page shows {score:?}"
    );
    console.extend(desk.console().await);

    // The reporter's page now says acknowledged.
    let page = reporter.open(&server.url(&follow_up)).await;
    assert_eq!(state_on(&page).as_deref(), Some("acknowledged"));
    console.extend(reporter.console().await);

    // And the acknowledgment reached the SMTP server, to the contact address.
    let expected = Notice::StateChanged {
        report: ReportId(case),
        to: State::Acknowledged,
    }
    .email(
        &server.config.instance_name,
        CONTACT,
        &server.url(&follow_up),
    );
    let mail = server
        .wait_for_mail(Duration::from_secs(60), |m| {
            m.rcpt_to.iter().any(|r| r == CONTACT) && subject(&m.raw) == expected.subject
        })
        .await;
    let all = server.smtp.as_ref().unwrap().messages().unwrap();
    let mail = mail.unwrap_or_else(|| {
        panic!(
            "no acknowledgment ({:?}) to {CONTACT} within 60 s; received: {:#?}",
            expected.subject,
            all.iter()
                .map(|m| (&m.rcpt_to, subject(&m.raw)))
                .collect::<Vec<_>>()
        )
    });
    assert_eq!(mail.mail_from, "ward@ward.test");
    for message in &all {
        assert!(
            !message.raw.contains(TITLE),
            "an email carries report content: {}",
            message.raw
        );
    }

    // No page tripped the Content-Security-Policy.
    assert_no_csp_violation(&console);
    reporter.close().await;
    desk.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_form_works_without_javascript() {
    let Some(chrome) = Chrome::start() else {
        return;
    };
    let browser = chrome.session(false).await;

    // The browser really runs no script.
    browser
        .client
        .goto("data:text/html,<title>static</title><script>document.title='scripted'</script>")
        .await
        .unwrap();
    assert_eq!(
        browser.client.title().await.unwrap(),
        "static",
        "JavaScript is off"
    );
    let Some(server) = TestServer::start(Options::default()).await else {
        return;
    };

    let page = browser.open(&server.url("/")).await;
    assert!(page.contains("id=\"report\""));
    fill_report(&browser, "Without JavaScript", "nojs@example.net").await;
    let page = browser.submit("form#report").await;
    let path = browser.path().await;
    assert!(
        path.starts_with("/r/"),
        "landed on {path}: {}",
        excerpt(&page)
    );
    assert_eq!(state_on(&page).as_deref(), Some("received"));
    browser.close().await;
}

/// Fills the report form the way a person would.
async fn fill_report(session: &Session, title: &str, contact: &str) {
    let form = "form#report";
    session.fill(form, "title", title).await;
    session
        .fill(
            form,
            "description",
            "The static handler joins the request path to the root without normalising it.",
        )
        .await;
    session
        .fill(form, "impact", "Any file the server can read.")
        .await;
    session
        .fill(
            form,
            "reproduction",
            "curl --path-as-is http://host/../../etc/passwd",
        )
        .await;
    session.fill(form, "packages", "npm express <4.19.2").await;
    choose(session, form, "credit_type", "handle").await;
    session.fill(form, "credit_value", "@finder").await;
    session.fill(form, "contact", contact).await;
}

/// Chooses `value` for `name`, whether the form offers a select or radio buttons.
async fn choose(session: &Session, form: &str, name: &str, value: &str) {
    let field = session
        .client
        .find(Locator::Css(&format!("{form} [name=\"{name}\"]")))
        .await
        .unwrap_or_else(|e| panic!("{form} has no {name}: {e}"));
    if field
        .tag_name()
        .await
        .unwrap()
        .eq_ignore_ascii_case("select")
    {
        session.select(form, name, value).await;
    } else {
        session
            .client
            .find(Locator::Css(&format!(
                "{form} [name=\"{name}\"][value=\"{value}\"]"
            )))
            .await
            .unwrap_or_else(|e| panic!("{form} offers no {name}={value}: {e}"))
            .click()
            .await
            .unwrap();
    }
}

/// Moves the open case to `to` with the case page's transition form: a button carrying the
/// state, a form with a hidden `to`, or a select.
async fn transition(session: &Session, to: &str) -> String {
    let forms = "form[action$=\"/transition\"]";
    let by_button = format!("{forms} button[name=\"to\"][value=\"{to}\"]");
    if let Ok(button) = session.client.find(Locator::Css(&by_button)).await {
        button.click().await.unwrap();
        wait_for_load(session).await;
        return session.client.source().await.unwrap();
    }
    let by_hidden =
        format!("//form[contains(@action,'/transition')][.//input[@name='to' and @value='{to}']]");
    if let Ok(form) = session.client.find(Locator::XPath(&by_hidden)).await {
        form.find(Locator::Css("button, input[type=\"submit\"]"))
            .await
            .expect("the transition form has a button")
            .click()
            .await
            .unwrap();
        wait_for_load(session).await;
        return session.client.source().await.unwrap();
    }
    session.select(forms, "to", to).await;
    session.submit(forms).await
}

async fn wait_for_load(session: &Session) {
    session
        .client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("#state"))
        .await
        .expect("the case page comes back");
}

fn state_on(page: &str) -> Option<String> {
    html::attr_of_id(page, "state", "data-state")
}

fn excerpt(page: &str) -> String {
    html::text(page).chars().take(600).collect()
}

fn assert_no_csp_violation(console: &[ConsoleEntry]) {
    let violations: Vec<String> = console
        .iter()
        .filter(|e| {
            e.message.contains("Content Security Policy") || e.message.contains("Refused to")
        })
        .map(|e| format!("{}: {}", e.level, e.message))
        .collect();
    assert!(
        violations.is_empty(),
        "the browser reported CSP violations:\n{}",
        violations.join("\n")
    );
}

/// The console check above can fail: a page whose policy forbids its inline script shows the
/// violation in the console as read back here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_shows_csp_violations() {
    use axum::http::header;
    let Some(chrome) = Chrome::start() else {
        return;
    };
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(|| async {
            (
                [
                    (header::CONTENT_SECURITY_POLICY, "script-src 'self'"),
                    (header::CONTENT_TYPE, "text/html"),
                ],
                "<!doctype html><title>csp</title><script>document.title='ran'</script>",
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let served = tokio::spawn(async move { axum::serve(listener, app).await });
    let session = chrome.session(true).await;
    session.open(&format!("http://{addr}/")).await;
    assert_eq!(
        session.client.title().await.unwrap(),
        "csp",
        "the script was blocked"
    );
    let console = session.console().await;
    assert!(
        console
            .iter()
            .any(|e| e.message.contains("Content Security Policy")),
        "the violation is in the console: {console:#?}"
    );
    session.close().await;
    served.abort();
}
