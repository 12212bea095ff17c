//! Fetching one web page from an address the user typed, with `ureq`
//! (rustls, no system TLS library). Every way a fetch can cost too much is
//! bounded: connecting and each read time out, the whole fetch has a
//! deadline, the body is capped while it streams (a declared length over the
//! cap is refused before reading), and the user can cancel between reads.
//! Redirects are followed here, not by the client, so each hop is checked
//! (only `http` and `https`, no loops, at most [`FetchLimits::max_redirects`])
//! and recorded for the user to see.
//!
//! Only the user starts a fetch: no address in a file is ever fetched.

use jiff::Timestamp;
use std::io::Read;
use std::time::{Duration, Instant};
use url::Url;

/// The longest address fetched: the file records it (see
/// `format::limits::MAX_URL_BYTES`).
const MAX_ADDRESS_BYTES: usize = crate::format::limits::MAX_URL_BYTES;

/// Sent with every request, so servers know what asks.
const USER_AGENT: &str = concat!("factmark/", env!("CARGO_PKG_VERSION"));

/// How much one fetch may cost.
#[derive(Clone, Copy, Debug)]
pub struct FetchLimits {
    /// The largest body kept, counted after decompression (so a small
    /// compressed bomb is capped too).
    pub max_bytes: u64,
    /// Connecting (with the TLS handshake) and each single read.
    pub io_timeout: Duration,
    /// The whole fetch, every redirect and the body included.
    pub total_timeout: Duration,
    pub max_redirects: usize,
}

impl Default for FetchLimits {
    fn default() -> Self {
        Self {
            max_bytes: super::page::MAX_PAGE_BYTES,
            io_timeout: Duration::from_secs(15),
            total_timeout: Duration::from_secs(90),
            max_redirects: 10,
        }
    }
}

/// A redirect followed: from where, with which status, to where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    pub from: String,
    pub status: u16,
    pub to: String,
}

/// A page fetched.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// The address that served the page, after redirects.
    pub url: String,
    pub hops: Vec<Hop>,
    /// The `Content-Type` header as sent.
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub fetched_at: Timestamp,
}

/// How far a fetch has got, for the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    Connecting(String),
    Redirected(Hop),
    Received { bytes: u64, total: Option<u64> },
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = |n: u64| n as f64 / (1024.0 * 1024.0);
        match self {
            Progress::Connecting(url) => write!(f, "connecting to {url}"),
            Progress::Redirected(hop) => write!(f, "redirected ({}) to {}", hop.status, hop.to),
            Progress::Received {
                bytes,
                total: Some(total),
            } => write!(f, "{:.1} of {:.1} MB", mb(*bytes), mb(*total)),
            Progress::Received { bytes, total: None } => write!(f, "{:.1} MB", mb(*bytes)),
        }
    }
}

/// Why a fetch failed, in words for the person who asked for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("“{0}” is not a web address ({1})")]
    InvalidUrl(String, String),
    #[error("only http and https addresses are fetched, not {0}:")]
    UnsupportedScheme(String),
    #[error("{from} redirected ({status}) without saying where to")]
    BadRedirect { from: String, status: u16 },
    #[error("the address is {0} bytes long, longer than any page's ({MAX_ADDRESS_BYTES} at most)")]
    TooLongAddress(usize),
    #[error("more than {0} redirects: the address never settles on a page")]
    TooManyRedirects(usize),
    #[error("the page redirects to {0}, on this computer or its local network: not followed")]
    RedirectInward(String),
    #[error("the redirects go round in a loop back to {0}")]
    RedirectLoop(String),
    #[error("the server answered {status} {reason} for {url}")]
    Status {
        url: String,
        status: u16,
        reason: String,
    },
    #[error("the address serves {0}, not a web page")]
    NotAPage(String),
    #[error("the page is larger than {} MB, the most factmark fetches", .0 / (1024 * 1024))]
    TooLarge(u64),
    #[error("the server took too long ({0})")]
    Timeout(&'static str),
    #[error("cancelled")]
    Cancelled,
    #[error("the host {0} was not found (check the address, or the network connection)")]
    HostNotFound(String),
    #[error("could not connect to {0}")]
    ConnectionFailed(String),
    #[error("the secure connection failed: {0}")]
    Tls(String),
    #[error("the connection failed: {0}")]
    Network(String),
}

/// Whether `text` starts like an address of any kind (`ftp://…`,
/// `file://…`), which is refused by name rather than looked for as a file.
pub fn names_a_scheme(text: &str) -> bool {
    text.trim().split_once("://").is_some_and(|(scheme, _)| {
        scheme.len() >= 2
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
    })
}

/// Parses an address the user gave; only `http` and `https` with a host.
pub fn parse_address(text: &str) -> Result<Url, FetchError> {
    let text = text.trim();
    let url =
        Url::parse(text).map_err(|e| FetchError::InvalidUrl(text.to_owned(), e.to_string()))?;
    check_scheme(&url)?;
    Ok(url)
}

fn check_scheme(url: &Url) -> Result<(), FetchError> {
    // A longer address could not be recorded in the file.
    if url.as_str().len() > MAX_ADDRESS_BYTES {
        return Err(FetchError::TooLongAddress(url.as_str().len()));
    }
    match url.scheme() {
        "http" | "https" if url.host().is_some() => Ok(()),
        "http" | "https" => Err(FetchError::InvalidUrl(
            url.to_string(),
            "it names no host".into(),
        )),
        other => Err(FetchError::UnsupportedScheme(other.to_owned())),
    }
}

/// Fetches the page at `address`. Blocking: run it off the UI thread.
/// `cancelled` is asked before each request and between reads (a read that
/// hangs is ended by the read timeout); `progress` hears how far it got.
pub fn fetch(
    address: &str,
    limits: &FetchLimits,
    cancelled: &dyn Fn() -> bool,
    progress: &dyn Fn(Progress),
) -> Result<Fetched, FetchError> {
    let deadline = Instant::now() + limits.total_timeout;
    let mut current = parse_address(address)?;
    let mut hops: Vec<Hop> = Vec::new();
    loop {
        if cancelled() {
            return Err(FetchError::Cancelled);
        }
        let remaining = deadline
            .checked_duration_since(Instant::now())
            .ok_or(FetchError::Timeout("the whole fetch"))?;
        progress(Progress::Connecting(current.to_string()));
        let response = agent(&current, limits)
            .get(current.as_str())
            .config()
            .timeout_global(Some(remaining))
            .build()
            .call()
            .map_err(|e| network_error(e, &current))?;
        let status = response.status();
        if status.is_redirection() && status.as_u16() != 304 {
            let bad = || FetchError::BadRedirect {
                from: current.to_string(),
                status: status.as_u16(),
            };
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .ok_or_else(bad)?;
            // A relative Location is resolved against the address that answered.
            let next = current.join(location).map_err(|_| bad())?;
            check_scheme(&next)?;
            // A page out there must not lead into this machine or its network.
            if !is_local(&current) && is_local(&next) {
                return Err(FetchError::RedirectInward(next.to_string()));
            }
            let hop = Hop {
                from: current.to_string(),
                status: status.as_u16(),
                to: next.to_string(),
            };
            if next == current || hops.iter().any(|h| h.from == hop.to) {
                return Err(FetchError::RedirectLoop(hop.to));
            }
            hops.push(hop.clone());
            if hops.len() > limits.max_redirects {
                return Err(FetchError::TooManyRedirects(limits.max_redirects));
            }
            progress(Progress::Redirected(hop));
            current = next;
            continue;
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: current.to_string(),
                status: status.as_u16(),
                reason: status.canonical_reason().unwrap_or_default().to_owned(),
            });
        }
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        if let Some(kind) = content_type.as_deref().and_then(not_a_page) {
            return Err(FetchError::NotAPage(kind));
        }
        let total = response.body().content_length();
        if total.is_some_and(|n| n > limits.max_bytes) {
            return Err(FetchError::TooLarge(limits.max_bytes));
        }
        let body = read_capped(
            response.into_body(),
            total,
            limits,
            deadline,
            cancelled,
            progress,
        )
        .map_err(|e| match e {
            Failure::Fetch(e) => e,
            Failure::Client(e) => network_error(e, &current),
        })?;
        return Ok(Fetched {
            url: current.to_string(),
            hops,
            content_type,
            body,
            // To the second: finer would only be noise in the file.
            fetched_at: Timestamp::now()
                .round(jiff::Unit::Second)
                .unwrap_or_else(|_| Timestamp::now()),
        });
    }
}

/// A client for one request: redirects and status codes are ours to handle.
fn agent(url: &Url, limits: &FetchLimits) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_connect(Some(limits.io_timeout))
        .timeout_per_read(Some(limits.io_timeout))
        .timeout_per_write(Some(limits.io_timeout))
        .user_agent(USER_AGENT);
    // A proxy from the environment cannot reach this machine's own servers.
    let config = if is_loopback(url) {
        config.proxy(None)
    } else {
        config
    };
    config.build().into()
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// This machine or its local network, by the address's own words (names
/// are not looked up): loopback, private, link-local and unspecified.
fn is_local(url: &Url) -> bool {
    is_loopback(url)
        || match url.host() {
            Some(url::Host::Domain(name)) => {
                let name = name.to_ascii_lowercase();
                name.ends_with(".localhost") || name.ends_with(".local")
            }
            Some(url::Host::Ipv4(ip)) => {
                ip.is_private() || ip.is_link_local() || ip.is_unspecified()
            }
            Some(url::Host::Ipv6(ip)) => {
                let first = ip.segments()[0];
                ip.is_unspecified() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
            }
            None => false,
        }
}

/// The media type, when it is plainly not a web page (a PDF, an image).
fn not_a_page(content_type: &str) -> Option<String> {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let page = media.is_empty()
        || media == "text/html"
        || media == "application/xhtml+xml"
        || media == "application/xml"
        || media == "text/xml";
    (!page).then_some(media)
}

enum Failure {
    Fetch(FetchError),
    Client(ureq::Error),
}

fn read_capped(
    body: ureq::Body,
    total: Option<u64>,
    limits: &FetchLimits,
    deadline: Instant,
    cancelled: &dyn Fn() -> bool,
    progress: &dyn Fn(Progress),
) -> Result<Vec<u8>, Failure> {
    let max = limits.max_bytes;
    let initial = total.unwrap_or(256 * 1024).min(max);
    let mut out = Vec::with_capacity(usize::try_from(initial).unwrap_or(0));
    // ureq's own limit is a second fence; the count below stops first.
    let mut reader = body
        .into_with_config()
        .limit(max.saturating_add(1))
        .reader();
    let mut buf = vec![0u8; 64 * 1024];
    let mut reported = Instant::now();
    loop {
        if cancelled() {
            return Err(Failure::Fetch(FetchError::Cancelled));
        }
        if Instant::now() >= deadline {
            return Err(Failure::Fetch(FetchError::Timeout("the whole fetch")));
        }
        let n = match reader.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // A read that timed out while the user cancelled was a cancel.
            Err(_) if cancelled() => return Err(Failure::Fetch(FetchError::Cancelled)),
            Err(e) => return Err(Failure::Client(ureq::Error::from(e))),
        };
        if n == 0 {
            return Ok(out);
        }
        if out.len() as u64 + n as u64 > max {
            return Err(Failure::Fetch(FetchError::TooLarge(max)));
        }
        out.extend_from_slice(&buf[..n]);
        if reported.elapsed() >= Duration::from_millis(100) {
            reported = Instant::now();
            progress(Progress::Received {
                bytes: out.len() as u64,
                total,
            });
        }
    }
}

fn network_error(error: ureq::Error, url: &Url) -> FetchError {
    let host = url.host_str().unwrap_or_default().to_owned();
    match error {
        ureq::Error::Timeout(what) => FetchError::Timeout(match what {
            ureq::Timeout::Resolve => "finding the host",
            ureq::Timeout::Connect => "connecting",
            ureq::Timeout::PerRead | ureq::Timeout::RecvResponse | ureq::Timeout::RecvBody => {
                "waiting for data"
            }
            ureq::Timeout::Global => "the whole fetch",
            _ => "sending the request",
        }),
        ureq::Error::HostNotFound => FetchError::HostNotFound(host),
        ureq::Error::ConnectionFailed => FetchError::ConnectionFailed(host),
        ureq::Error::BodyExceedsLimit(n) => FetchError::TooLarge(n.saturating_sub(1)),
        ureq::Error::Tls(why) => FetchError::Tls(why.to_owned()),
        ureq::Error::Rustls(why) => FetchError::Tls(why.to_string()),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            FetchError::Timeout("waiting for data")
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            FetchError::ConnectionFailed(host)
        }
        other => FetchError::Network(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_told_from_paths_and_only_http_is_fetched() {
        assert!(names_a_scheme("ftp://example.org/a") && names_a_scheme("https://a"));
        assert!(!names_a_scheme("C:\\notes.html") && !names_a_scheme("notes/a.html"));
        assert!(parse_address("https://example.org/a?b#c").is_ok());
        assert_eq!(
            parse_address("file:///etc/passwd").map_err(|e| e.to_string()),
            Err("only http and https addresses are fetched, not file:".into())
        );
        assert!(matches!(
            parse_address("https://"),
            Err(FetchError::InvalidUrl(..))
        ));
        assert!(matches!(
            parse_address("ftp://example.org/"),
            Err(FetchError::UnsupportedScheme(_))
        ));
    }

    #[test]
    fn local_addresses_are_told_by_their_words() {
        let local = |a: &str| parse_address(a).map(|u| is_local(&u)).unwrap_or(false);
        for inward in [
            "http://localhost:8080/",
            "http://127.0.0.1/",
            "http://10.0.0.7/",
            "http://192.168.1.1/admin",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://printer.local/",
        ] {
            assert!(local(inward), "{inward}");
        }
        assert!(!local("https://example.org/") && !local("http://8.8.8.8/"));
        let long = format!("https://example.org/{}", "a".repeat(MAX_ADDRESS_BYTES));
        assert!(matches!(
            parse_address(&long),
            Err(FetchError::TooLongAddress(_))
        ));
    }

    #[test]
    fn only_pages_are_taken() {
        assert_eq!(not_a_page("text/html; charset=utf-8"), None);
        assert_eq!(not_a_page("Application/XHTML+XML"), None);
        assert_eq!(not_a_page(""), None);
        assert_eq!(
            not_a_page("application/pdf"),
            Some("application/pdf".into())
        );
        assert_eq!(not_a_page("image/png"), Some("image/png".into()));
    }

    #[test]
    fn progress_reads_as_words() {
        let got = Progress::Received {
            bytes: 3 * 1024 * 1024 / 2,
            total: Some(3 * 1024 * 1024),
        };
        assert_eq!(got.to_string(), "1.5 of 3.0 MB");
    }
}
