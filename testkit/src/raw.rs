//! `RawUpstream`: a plain TCP server for the faults an HTTP mock cannot play, because they
//! happen below HTTP: a server that never answers, and one that sends its answer a byte at a
//! time. Plus [`closed_port_url`], an address where nothing listens.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the server does with each connection.
#[derive(Debug, Clone, Copy)]
enum Behaviour {
    /// Reads the request and never answers (the connection stays open).
    Hang,
    /// Answers 200 with a JSON content type and a large `Content-Length`, then sends the body
    /// one byte per `interval`.
    Drip(Duration),
}

/// A misbehaving upstream on `127.0.0.1`; stops when dropped.
pub struct RawUpstream {
    url: String,
    task: JoinHandle<()>,
}

impl RawUpstream {
    /// A server that accepts connections, reads each request and never answers.
    pub async fn hang() -> Self {
        Self::start(Behaviour::Hang).await
    }

    /// A server that answers promptly with headers, then drips the body one byte per
    /// `interval` (a "slow loris" upstream).
    pub async fn drip(interval: Duration) -> Self {
        Self::start(Behaviour::Drip(interval)).await
    }

    async fn start(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding a local port");
        let url = format!(
            "http://{}",
            listener.local_addr().expect("the bound address")
        );
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, behaviour));
            }
        });
        Self { url, task }
    }

    /// The base URL to point a client at.
    pub fn url(&self) -> String {
        self.url.clone()
    }
}

impl Drop for RawUpstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, behaviour: Behaviour) {
    // Read up to the end of the request head; the request itself does not matter.
    let mut head = Vec::new();
    let mut buf = [0_u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    match behaviour {
        Behaviour::Hang => {
            // Keep the connection open, answering nothing, until the client gives up.
            let _ = stream.read(&mut buf).await;
            std::future::pending::<()>().await;
        }
        Behaviour::Drip(interval) => {
            let body = br#"{"odata.metadata":"m","value":[]}"#.repeat(100);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=utf-8\r\n\
                 Content-Length: {}\r\n\r\n",
                body.len()
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for byte in body {
                tokio::time::sleep(interval).await;
                if stream.write_all(&[byte]).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// A base URL where nothing listens: a port that was just bound and released, so connecting
/// is refused at once.
pub async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binding a local port");
    let addr = listener.local_addr().expect("the bound address");
    drop(listener);
    format!("http://{addr}")
}
