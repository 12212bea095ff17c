//! A web server on this machine's loopback address, started by a test: each
//! path answers the way one kind of server does (a page, a redirect, a stall,
//! an endless body), so fetching is tested without any network. Each test
//! binary uses the answers it needs.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

/// What a path answers.
#[derive(Clone)]
pub enum Answer {
    /// 200 with this content type and body.
    Page(&'static str, Vec<u8>),
    /// A redirect with this status to this (possibly relative) location.
    Redirect(u16, String),
    /// This status, with a short body.
    Status(u16),
    /// Headers, then nothing, ever.
    Stall,
    /// A body that never ends (chunked), a 64 KB chunk at a time.
    Endless,
    /// A declared length far over any cap, then some of it.
    Declared(u64),
}

/// A server answering `routes` (path without query → answer) until the
/// test ends. Returns its base address, `http://127.0.0.1:PORT`.
pub fn serve(routes: Vec<(&'static str, Answer)>) -> String {
    let listener =
        TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("could not listen: {e}"));
    let port = listener.local_addr().map_or(0, |a| a.port());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let routes = routes.clone();
            std::thread::spawn(move || answer(stream, &routes));
        }
    });
    format!("http://127.0.0.1:{port}")
}

fn answer(mut stream: TcpStream, routes: &[(&'static str, Answer)]) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(path) = request_path(&stream) else {
        return;
    };
    let path = path.split('?').next().unwrap_or_default().to_owned();
    let found = routes.iter().find(|(p, _)| *p == path).map(|(_, a)| a);
    let head = |status: &str, extra: &str| {
        format!("HTTP/1.1 {status}\r\nConnection: close\r\n{extra}\r\n").into_bytes()
    };
    match found {
        None => {
            let _ = stream.write_all(&head("404 Not Found", "Content-Length: 0\r\n"));
        }
        Some(Answer::Page(kind, body)) => {
            let extra = format!("Content-Type: {kind}\r\nContent-Length: {}\r\n", body.len());
            let _ = stream.write_all(&head("200 OK", &extra));
            let _ = stream.write_all(body);
        }
        Some(Answer::Redirect(status, location)) => {
            let extra = format!("Location: {location}\r\nContent-Length: 0\r\n");
            let _ = stream.write_all(&head(&format!("{status} Moved"), &extra));
        }
        Some(Answer::Status(status)) => {
            let _ = stream.write_all(&head(&format!("{status} Nope"), "Content-Length: 4\r\n"));
            let _ = stream.write_all(b"nope");
        }
        Some(Answer::Stall) => {
            let _ = stream.write_all(&head(
                "200 OK",
                "Content-Type: text/html\r\nContent-Length: 1000\r\n",
            ));
            let _ = stream.flush();
            std::thread::sleep(Duration::from_secs(30));
        }
        Some(Answer::Endless) => {
            let _ = stream.write_all(&head(
                "200 OK",
                "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
            ));
            let chunk = vec![b'x'; 64 * 1024];
            let size = format!("{:x}\r\n", chunk.len());
            loop {
                let sent = stream
                    .write_all(size.as_bytes())
                    .and_then(|()| stream.write_all(&chunk))
                    .and_then(|()| stream.write_all(b"\r\n"));
                if sent.is_err() {
                    break;
                }
            }
        }
        Some(Answer::Declared(length)) => {
            let extra = format!("Content-Type: text/html\r\nContent-Length: {length}\r\n");
            let _ = stream.write_all(&head("200 OK", &extra));
            let _ = stream.write_all(&vec![b'x'; 1024 * 1024]);
        }
    }
}

/// The path of the request line; the headers are read and dropped.
fn request_path(stream: &TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_owned();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header == "\r\n" {
            break;
        }
    }
    Some(path)
}

/// A small news page with an article, a byline, a date and a canonical address.
pub fn news_page() -> Vec<u8> {
    let paragraph = "Russia's envoy called the peace talks satisfactory on Friday, a word \
                     Ukraine's delegation rejected within the hour, saying that nothing of \
                     substance had been agreed and that the claim of progress was premature.";
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Envoy calls talks satisfactory</title>
<link rel="canonical" href="/world/talks">
<meta name="author" content="Erin Cunningham">
<meta property="og:site_name" content="Loopback News">
<meta property="article:published_time" content="2026-11-30T09:15:00+01:00">
</head><body><nav>Home · World · Sport</nav><article>
<h1>Envoy calls talks satisfactory</h1><p>{paragraph}</p><p>{paragraph}</p>
<p>Both sides are expected to meet again, officials said, though no date has been set.</p>
</article></body></html>"#
    )
    .into_bytes()
}
