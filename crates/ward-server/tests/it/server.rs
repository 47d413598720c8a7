//! `Server` over a real socket: start, setup link, serve, graceful shutdown.

use std::io::{Read as _, Write as _};

use ward_server::{Config, Server};

fn http_get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starts_prints_a_setup_link_serves_and_shuts_down() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().join("data"),
        ..Config::default()
    };
    let server = Server::start(config.clone()).await.unwrap();
    let addr = server.local_addr();
    assert_ne!(addr.port(), 0);
    let link = server.setup_link().unwrap();
    assert!(link.starts_with(&format!("http://{addr}/setup/")), "{link}");
    assert!(dir.path().join("data/keys").is_dir());

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async move {
        let _ = stopped.await;
    }));
    let page = tokio::task::spawn_blocking(move || http_get(addr, "/"))
        .await
        .unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("content-security-policy"));
    stop.send(()).unwrap();
    running.await.unwrap().unwrap();
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "no longer listening"
    );

    // A second start on the same data: the keys are reused, the link is still offered (no
    // account yet), and a new link replaces nothing.
    let again = Server::start(config).await.unwrap();
    assert!(again.setup_link().is_some());
}

/// Starts a server in a temp dir; returns it with its shutdown trigger and task.
async fn running(
    configure: impl FnOnce(&mut Config),
) -> (
    tempfile::TempDir,
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<anyhow::Result<()>>,
) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().join("data"),
        ..Config::default()
    };
    configure(&mut config);
    let server = Server::start(config).await.unwrap();
    let addr = server.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.run(async move {
        let _ = stopped.await;
    }));
    (dir, addr, stop, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_the_request_in_flight() {
    let (_dir, addr, stop, task) = running(|_| {}).await;
    let body = r#"{"title": "sent during shutdown", "description": "d"}"#;
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST /api/v1/reports HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .unwrap();
    stream.flush().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let answer = tokio::task::spawn_blocking(move || {
        stream.write_all(&body.as_bytes()[10..]).unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    task.await.unwrap().unwrap();
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "no new connections"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_https_with_hsts_and_secure_cookies() {
    let certs = tempfile::tempdir().unwrap();
    let (cert, key) = (certs.path().join("cert.pem"), certs.path().join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
        ])
        .args([
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "extendedKeyUsage=serverAuth",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output();
    if !made.as_ref().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: openssl could not make a test certificate ({made:?})");
        return;
    }
    let tls = ward_server::Tls {
        cert: cert.clone(),
        key,
    };
    let (_dir, addr, stop, task) = running(|config| config.tls = Some(tls)).await;
    let answer = tokio::task::spawn_blocking(move || {
        use rustls::pki_types::pem::PemObject as _;
        let mut roots = rustls::RootCertStore::empty();
        for der in rustls::pki_types::CertificateDer::pem_file_iter(&cert).unwrap() {
            roots.add(der.unwrap()).unwrap();
        }
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
        let mut conn = rustls::ClientConnection::new(std::sync::Arc::new(config), name).unwrap();
        let mut sock = std::net::TcpStream::connect(addr).unwrap();
        let mut tls = rustls::Stream::new(&mut conn, &mut sock);
        write!(
            tls,
            "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = Vec::new();
        let _ = tls.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let lower = answer.to_lowercase();
    assert!(
        lower.contains("strict-transport-security: max-age="),
        "{answer}"
    );
    assert!(
        lower.contains("set-cookie: ward_csrf=") && lower.contains("; secure"),
        "{answer}"
    );
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}
