//! A small real HTTP/1.1 server on 127.0.0.1 for the provider tests, written on `std::net`.
//!
//! Each connection carries one request and is answered by a handler `Fn(&Recorded, n) -> Reply`, where
//! `n` counts requests from 0. Every request is recorded (method, target, headers, body) for assertions.
//! Replies can be delayed (timeouts), truncated (a Content-Length larger than the body sent), of any
//! status, content type and body.
#![allow(dead_code)]

use saring::providers::http::HttpConfig;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query string.
    pub target: String,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// What to answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
    /// Announce this Content-Length but send only `body` and close.
    pub declared_len: Option<usize>,
    /// Send the body one byte at a time with this pause between bytes.
    pub drip: Duration,
}

impl Reply {
    pub fn json(status: u16, body: impl AsRef<str>) -> Reply {
        Reply::with_type(status, "application/json", body)
    }

    pub fn with_type(status: u16, content_type: &str, body: impl AsRef<str>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_ref().as_bytes().to_vec(),
            delay: Duration::ZERO,
            declared_len: None,
            drip: Duration::ZERO,
        }
    }

    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }

    pub fn delayed(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }

    pub fn dripped(mut self, pause: Duration) -> Reply {
        self.drip = pause;
        self
    }

    pub fn truncated(mut self, declared: usize) -> Reply {
        self.declared_len = Some(declared);
        self
    }
}

pub struct Server {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    pub fn start<F>(handler: F) -> Server
    where
        F: Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler = Arc::new(handler);
        let counter = Arc::new(AtomicUsize::new(0));
        let (reqs, stop2) = (requests.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = conn else { continue };
                let (handler, reqs, counter) = (handler.clone(), reqs.clone(), counter.clone());
                std::thread::spawn(move || serve(stream, &*handler, &reqs, &counter));
            }
        });
        Server { addr, requests, stop }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(
    mut stream: TcpStream,
    handler: &(dyn Fn(&Recorded, usize) -> Reply + Send + Sync),
    reqs: &Mutex<Vec<Recorded>>,
    counter: &AtomicUsize,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Some(req) = read_request(&mut stream) else { return };
    let n = counter.fetch_add(1, Ordering::SeqCst);
    reqs.lock().unwrap().push(req.clone());
    let reply = handler(&req, n);
    if !reply.delay.is_zero() {
        std::thread::sleep(reply.delay);
    }
    let reason = match reply.status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason);
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.declared_len.unwrap_or(reply.body.len())
    ));
    let _ = stream.write_all(head.as_bytes());
    if reply.drip.is_zero() {
        let _ = stream.write_all(&reply.body);
    } else {
        for b in &reply.body {
            let _ = stream.flush();
            std::thread::sleep(reply.drip);
            if stream.write_all(&[*b]).is_err() {
                return;
            }
        }
    }
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(len);
    Some(Recorded { method, target, headers, body })
}

/// Test HTTP settings: short timeouts, no waiting between retries (sleeps are recorded instead).
pub fn fast_http(sleeps: &Arc<Mutex<Vec<Duration>>>) -> HttpConfig {
    let s = sleeps.clone();
    HttpConfig {
        connect_timeout: Duration::from_millis(300),
        read_timeout: Duration::from_millis(300),
        total_timeout: Duration::from_millis(2000),
        max_retries: 3,
        backoff_base: Duration::from_millis(100),
        backoff_max: Duration::from_millis(2000),
        max_response_bytes: 64 * 1024,
        sleep: Arc::new(move |d| s.lock().unwrap().push(d)),
    }
}

pub fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/providers").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
