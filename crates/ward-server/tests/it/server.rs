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
