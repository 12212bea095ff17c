//! Fetching pages from a server on the loopback address: the page and its
//! article, redirects followed and recorded, and every way a server can
//! cost too much (a stall, an endless body, a declared huge length, a
//! redirect loop) ending with a clear error within its bound; a cancel
//! stops a fetch mid-body.

#[path = "common/http.rs"]
mod http;

use factmark::model::Detail;
use factmark::web::{self, fetch};
use http::{Answer, serve};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn quick() -> fetch::FetchLimits {
    fetch::FetchLimits {
        max_bytes: 4 * 1024 * 1024,
        io_timeout: Duration::from_millis(700),
        total_timeout: Duration::from_secs(5),
        max_redirects: 10,
    }
}

fn get(url: &str) -> Result<fetch::Fetched, fetch::FetchError> {
    fetch::fetch(url, &quick(), &|| false, &|_| {})
}

#[test]
fn a_page_comes_with_its_article_details_and_the_fetch_recorded() {
    let base = serve(vec![(
        "/world/talks",
        Answer::Page("text/html; charset=utf-8", http::news_page()),
    )]);
    let fetched = get(&format!("{base}/world/talks?ref=home")).unwrap_or_else(|e| panic!("{e}"));
    assert!(fetched.hops.is_empty());
    let web = web::article_from_fetched(&fetched).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(web.article.title(), "Envoy calls talks satisfactory");
    assert!(
        web.article
            .text()
            .starts_with("Russia's envoy called the peace talks")
    );
    assert!(!web.article.text().contains("Sport"), "navigation dropped");
    let d = &web.details;
    assert_eq!(d.get(Detail::Url), format!("{base}/world/talks"));
    assert_eq!(d.get(Detail::Byline), "Erin Cunningham");
    assert_eq!(d.get(Detail::Published), "2026-11-30T09:15:00+01:00");
    let page = d.page.as_ref().unwrap_or_else(|| panic!("page recorded"));
    assert_eq!(page.fetched_from.as_deref(), Some(fetched.url.as_str()));
    assert!(page.fetched_at.is_some());
    assert_eq!(
        page.sha256,
        factmark::model::fingerprint_bytes(&http::news_page())
    );
}

#[test]
fn redirects_are_followed_one_by_one_and_recorded() {
    let base = serve(vec![
        ("/old", Answer::Redirect(301, "/newer?x=1".into())),
        ("/newer", Answer::Redirect(302, "page".into())),
        ("/page", Answer::Page("text/html", http::news_page())),
    ]);
    let fetched = get(&format!("{base}/old")).unwrap_or_else(|e| panic!("{e}"));
    let hops: Vec<(u16, &str)> = fetched
        .hops
        .iter()
        .map(|h| (h.status, h.to.as_str()))
        .collect();
    assert_eq!(
        hops,
        [
            (301, format!("{base}/newer?x=1").as_str()),
            (302, format!("{base}/page").as_str())
        ]
    );
    assert_eq!(fetched.url, format!("{base}/page"));
}

#[test]
fn bad_redirects_end_with_why() {
    let base = serve(vec![
        ("/loop-a", Answer::Redirect(302, "/loop-b".into())),
        ("/loop-b", Answer::Redirect(302, "/loop-a".into())),
        (
            "/to-file",
            Answer::Redirect(302, "file:///etc/passwd".into()),
        ),
        ("/gone", Answer::Status(404)),
        (
            "/pdf",
            Answer::Page("application/pdf", b"%PDF-1.4".to_vec()),
        ),
    ]);
    let message = |path: &str| {
        get(&format!("{base}{path}"))
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    assert!(message("/loop-a").is_err_and(|m| m.contains("loop")));
    assert_eq!(
        message("/to-file"),
        Err("only http and https addresses are fetched, not file:".into())
    );
    assert!(message("/gone").is_err_and(|m| m.contains("404")));
    assert_eq!(
        message("/pdf"),
        Err("the address serves application/pdf, not a web page".into())
    );
    let many: Vec<(&'static str, Answer)> = (0..12)
        .map(|i| {
            let path: &'static str = Box::leak(format!("/r{i}").into_boxed_str());
            (path, Answer::Redirect(307, format!("/r{}", i + 1)))
        })
        .collect();
    let base = serve(many);
    assert!(
        get(&format!("{base}/r0"))
            .is_err_and(|e| matches!(e, fetch::FetchError::TooManyRedirects(10)))
    );
}

#[test]
fn a_stalled_server_times_out_within_its_bound() {
    let base = serve(vec![("/stall", Answer::Stall)]);
    let started = Instant::now();
    let got = get(&format!("{base}/stall"));
    assert!(
        matches!(got, Err(fetch::FetchError::Timeout(_))),
        "{:?}",
        got.map(|f| f.url)
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn an_endless_body_stops_at_the_cap_and_a_huge_declared_one_is_not_read() {
    let base = serve(vec![
        ("/endless", Answer::Endless),
        ("/declared", Answer::Declared(100 * 1024 * 1024 * 1024)),
    ]);
    let started = Instant::now();
    let got = get(&format!("{base}/endless"));
    assert!(matches!(got, Err(fetch::FetchError::TooLarge(_))));
    assert!(started.elapsed() < Duration::from_secs(4));
    let got = get(&format!("{base}/declared"));
    assert!(
        got.is_err_and(
            |e| e.to_string() == "the page is larger than 4 MB, the most factmark fetches"
        )
    );
}

#[test]
fn a_cancel_stops_a_fetch_mid_body() {
    let base = serve(vec![("/endless", Answer::Endless)]);
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let limits = fetch::FetchLimits {
        max_bytes: u64::MAX / 2,
        total_timeout: Duration::from_secs(30),
        ..quick()
    };
    let cancelled_at = Arc::new(std::sync::Mutex::new(None::<Instant>));
    let seen = Arc::clone(&cancelled_at);
    let progress = move |p: fetch::Progress| {
        // Cancel once a megabyte has arrived.
        if let fetch::Progress::Received { bytes, .. } = p
            && bytes > 1024 * 1024
            && !flag.swap(true, Ordering::Relaxed)
            && let Ok(mut at) = seen.lock()
        {
            *at = Some(Instant::now());
        }
    };
    let got = fetch::fetch(
        &format!("{base}/endless"),
        &limits,
        &|| cancel.load(Ordering::Relaxed),
        &progress,
    );
    assert!(matches!(got, Err(fetch::FetchError::Cancelled)));
    let at = cancelled_at.lock().ok().and_then(|at| *at);
    assert!(at.is_some_and(|at| at.elapsed() < Duration::from_secs(2)));
}

#[test]
fn nothing_listening_is_a_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()
        .and_then(|l| l.local_addr().ok())
        .map_or(9, |a| a.port());
    let got = get(&format!("http://127.0.0.1:{port}/"));
    assert!(
        got.is_err_and(|e| e.to_string() == "could not connect to 127.0.0.1"),
        "refused"
    );
}
