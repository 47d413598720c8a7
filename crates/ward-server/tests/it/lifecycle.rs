//! The server's life with PostgreSQL: started, serving, and stopped gracefully, as `ward serve
//! --database-url` runs it.

use std::time::Duration;

use crate::harness::isolated::{inside, run_isolated};
use crate::harness::postgres::ScratchDatabase;

/// In a process of its own (an abort would take the whole test binary down):
/// `Server::run` with PostgreSQL ends without aborting when it drops the last handle on the
/// store, as `ward serve` does at a graceful shutdown.
#[test]
fn a_postgres_server_stops_gracefully() {
    run_isolated("lifecycle::isolated::postgres_shutdown");
}

/// The test itself; it does nothing unless started by [`run_isolated`].
mod isolated {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_shutdown() {
        if !inside() {
            return;
        }
        let Some(base) = ward_testkit::postgres_url() else {
            return;
        };
        let Some(database) = ScratchDatabase::create(&base) else {
            return;
        };
        let data = tempfile::tempdir().unwrap();
        let server = ward_server::Server::start(ward_server::Config {
            listen: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data.path().join("ward-data"),
            database_url: Some(database.url.clone()),
            ..ward_server::Config::default()
        })
        .await
        .unwrap();
        let addr = server.local_addr();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(server.run(async move {
            let _ = stopped.await;
        }));
        let page = crate::harness::http::Client::socket(addr).get("/").await;
        page.expect(200, "the policy page over PostgreSQL");
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(30), serving)
            .await
            .expect("it stops")
            .expect("the server task does not panic")
            .unwrap();
    }
}
