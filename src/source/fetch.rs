//! Fetching pages over `http(s)`, with explicit limits.
//!
//! Every fetch has a total timeout, a body size cap (checked against `Content-Length` and again while reading),
//! a bounded number of redirects (each to `http` or `https` only), and must answer 2xx with a content type
//! gardkg reads. Errors are [`SourceError::Fetch`] naming the URL and the reason.

use std::io::Read;
use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::header::CONTENT_TYPE;
use reqwest::redirect::Policy;

use crate::page::SourceFormat;
use crate::source::SourceError;

/// Limits for fetching one URL.
#[derive(Debug, Clone)]
pub struct FetchLimits {
    /// Total time for connecting, sending and reading the whole body.
    pub timeout: Duration,
    /// The largest body accepted, in bytes.
    pub max_body: u64,
    /// The number of redirects followed before giving up.
    pub max_redirects: usize,
    /// The `User-Agent` header sent.
    pub user_agent: String,
}

impl Default for FetchLimits {
    /// 30 s, 10 MiB, 5 redirects, `gardkg/<version>`.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            max_body: 10 * 1024 * 1024,
            max_redirects: 5,
            user_agent: format!("gardkg/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// A fetched body and what the server said about it.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The body, at most [`FetchLimits::max_body`] bytes.
    pub body: Vec<u8>,
    /// The URL after redirects.
    pub final_url: String,
    /// The format the content type suggests; `None` for `text/plain` or no content type (detect by content).
    pub format_hint: Option<SourceFormat>,
}

/// Fetches an `http(s)` URL within `limits`.
pub fn fetch(url: &str, limits: &FetchLimits) -> Result<Fetched, SourceError> {
    let error = |reason: String| SourceError::Fetch { location: url.to_owned(), reason };
    let parsed = reqwest::Url::parse(url).map_err(|e| error(format!("not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(error(format!("unsupported URL scheme {:?}: only http and https are fetched", parsed.scheme())));
    }
    let client = client(limits).map_err(error)?;

    let response = client.get(parsed).send().map_err(|e| error(describe(&e)))?;
    let final_url = response.url().to_string();
    let status = response.status();
    if !status.is_success() {
        return Err(error(format!("the server answered HTTP {status} (from {final_url})")));
    }
    let content_type = response.headers().get(CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let format_hint = match &content_type {
        None => None,
        Some(value) => format_for(value).map_err(|reason| error(format!("{reason} (from {final_url})")))?,
    };
    let cap = limits.max_body;
    if let Some(length) = response.content_length().filter(|&l| l > cap) {
        return Err(error(format!("the body is {length} bytes, more than the {cap}-byte limit (Content-Length)")));
    }
    let mut body = Vec::new();
    response
        .take(cap.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(|e| error(format!("reading the body failed: {}", chain(&e))))?;
    if body.len() as u64 > cap {
        return Err(error(format!("the body is larger than the {cap}-byte limit")));
    }
    Ok(Fetched { body, final_url, format_hint })
}

/// A blocking HTTP client with the limits' timeout, user agent and redirect policy (at most
/// [`FetchLimits::max_redirects`], each to `http` or `https` only).
pub fn client(limits: &FetchLimits) -> Result<Client, String> {
    let max_redirects = limits.max_redirects;
    let policy = Policy::custom(move |attempt| {
        if attempt.previous().len() > max_redirects {
            let message = format!("too many redirects (more than {max_redirects}), last to {}", attempt.url());
            attempt.error(message)
        } else if !matches!(attempt.url().scheme(), "http" | "https") {
            let message = format!("redirect to a non-http(s) URL: {}", attempt.url());
            attempt.error(message)
        } else {
            attempt.follow()
        }
    });
    Client::builder()
        .timeout(limits.timeout)
        .connect_timeout(limits.timeout)
        .redirect(policy)
        .user_agent(limits.user_agent.clone())
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {}", chain(&e)))
}

/// The format a `Content-Type` value suggests, or an error naming a type gardkg does not read.
pub fn format_for(content_type: &str) -> Result<Option<SourceFormat>, String> {
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "text/html" | "application/xhtml+xml" => Ok(Some(SourceFormat::Html)),
        "application/xml" | "text/xml" => Ok(Some(SourceFormat::Medquad)),
        "text/plain" | "" => Ok(None),
        other => Err(format!(
            "unsupported content type {other:?}: expected text/html, application/xml, text/xml or text/plain"
        )),
    }
}

/// A reqwest error with its causes ("connection refused"), and what kind of failure it was.
pub fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_redirect() {
        "redirect failed"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    format!("{what}: {}", chain(e))
}

/// An error and its sources, joined by `: `, without repeating a message its source already says.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;
    use tiny_http::{Header, Response, Server};

    /// Serves canned answers on 127.0.0.1 for at most `requests` requests (each waits at most 10 s).
    fn serve(requests: usize) -> String {
        let server = Server::http("127.0.0.1:0").unwrap();
        let base = format!("http://{}", server.server_addr().to_ip().unwrap());
        let own = base.clone();
        thread::spawn(move || {
            for _ in 0..requests {
                let Ok(Some(request)) = server.recv_timeout(Duration::from_secs(10)) else { break };
                let url = request.url().to_owned();
                let header = |k: &str, v: &str| Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap();
                let response = if url == "/page" {
                    Response::from_string("<!DOCTYPE html><html><body><h1>Kettle fever</h1></body></html>")
                        .with_header(header("Content-Type", "text/html; charset=utf-8"))
                } else if let Some(n) = url.strip_prefix("/hop/") {
                    let n: u32 = n.parse().unwrap();
                    let next = if n == 0 { format!("{own}/page") } else { format!("{own}/hop/{}", n - 1) };
                    Response::from_string("").with_status_code(302).with_header(header("Location", &next))
                } else if url == "/big" {
                    Response::from_string("x".repeat(4096)).with_header(header("Content-Type", "text/plain"))
                } else if url == "/chunked" {
                    // No Content-Length: the cap must be enforced while reading.
                    let data = std::io::Cursor::new(vec![b'y'; 4096]);
                    Response::new(
                        tiny_http::StatusCode(200),
                        vec![header("Content-Type", "text/plain")],
                        data,
                        None,
                        None,
                    )
                } else if url == "/xml" {
                    Response::from_string("<Document/>").with_header(header("Content-Type", "application/xml"))
                } else if url == "/png" {
                    Response::from_data(vec![0x89, b'P', b'N', b'G']).with_header(header("Content-Type", "image/png"))
                } else if url == "/ua" {
                    let ua =
                        request.headers().iter().find(|h| h.field.equiv("User-Agent")).map(|h| h.value.to_string());
                    Response::from_string(ua.unwrap_or_default()).with_header(header("Content-Type", "text/plain"))
                } else {
                    Response::from_string("missing").with_status_code(404)
                };
                let _ = request.respond(response);
            }
        });
        base
    }

    fn limits() -> FetchLimits {
        FetchLimits { timeout: Duration::from_secs(10), ..FetchLimits::default() }
    }

    #[test]
    fn defaults() {
        let l = FetchLimits::default();
        assert_eq!(l.timeout, Duration::from_secs(30));
        assert_eq!(l.max_body, 10 * 1024 * 1024);
        assert_eq!(l.max_redirects, 5);
        assert_eq!(l.user_agent, format!("gardkg/{}", env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn fetches_a_page_with_its_format_and_user_agent() {
        let base = serve(4);
        let fetched = fetch(&format!("{base}/page"), &limits()).unwrap();
        assert_eq!(fetched.format_hint, Some(SourceFormat::Html));
        assert_eq!(fetched.final_url, format!("{base}/page"));
        assert!(String::from_utf8(fetched.body).unwrap().contains("<h1>Kettle fever</h1>"));
        let xml = fetch(&format!("{base}/xml"), &limits()).unwrap();
        assert_eq!(xml.format_hint, Some(SourceFormat::Medquad));
        let ua = fetch(&format!("{base}/ua"), &limits()).unwrap();
        assert_eq!(ua.format_hint, None);
        assert_eq!(String::from_utf8(ua.body).unwrap(), format!("gardkg/{}", env!("CARGO_PKG_VERSION")));
        // The whole path: fetch, detect by content type, read; the page keeps its final URL.
        let options = crate::source::ReadOptions { fetch: limits(), ..Default::default() };
        let page = crate::source::read(&format!("{base}/page"), &options).unwrap();
        assert_eq!(page.title, "Kettle fever");
        assert_eq!(page.source.format, SourceFormat::Html);
        assert_eq!(page.source.url, Some(format!("{base}/page")));
    }

    #[test]
    fn redirects_are_followed_up_to_the_cap() {
        let base = serve(12);
        let fetched = fetch(&format!("{base}/hop/2"), &limits()).unwrap();
        assert_eq!(fetched.final_url, format!("{base}/page"));
        let url = format!("{base}/hop/7");
        let err = fetch(&url, &limits()).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with(&url) && text.contains("too many redirects (more than 5)"), "{text}");
    }

    #[test]
    fn body_cap_is_enforced() {
        let base = serve(3);
        let small = FetchLimits { max_body: 1000, ..limits() };
        for path in ["big", "chunked"] {
            let url = format!("{base}/{path}");
            let text = fetch(&url, &small).unwrap_err().to_string();
            assert!(text.starts_with(&url) && text.contains("1000-byte limit"), "{text}");
        }
        let exact = FetchLimits { max_body: 4096, ..limits() };
        assert_eq!(fetch(&format!("{base}/chunked"), &exact).unwrap().body.len(), 4096);
    }

    #[test]
    fn status_and_content_type_are_checked() {
        let base = serve(2);
        let url = format!("{base}/nothing");
        let text = fetch(&url, &limits()).unwrap_err().to_string();
        assert!(text.starts_with(&url) && text.contains("HTTP 404"), "{text}");
        let text = fetch(&format!("{base}/png"), &limits()).unwrap_err().to_string();
        assert!(text.contains("unsupported content type \"image/png\""), "{text}");
    }

    #[test]
    fn unreachable_and_unsupported_urls() {
        // A port that was just free: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}/page");
        let err = fetch(&url, &limits()).unwrap_err();
        assert!(matches!(err, SourceError::Fetch { .. }));
        let text = err.to_string();
        assert!(text.starts_with(&url) && text.contains("cannot connect"), "{text}");
        assert!(text.to_lowercase().contains("refused"), "{text}");
        let text = fetch("ftp://example.org/x", &limits()).unwrap_err().to_string();
        assert!(text.contains("only http and https"), "{text}");
        assert!(fetch("not a url", &limits()).unwrap_err().to_string().contains("not a valid URL"));
    }

    #[test]
    fn content_types() {
        assert_eq!(format_for("text/html; charset=UTF-8"), Ok(Some(SourceFormat::Html)));
        assert_eq!(format_for("Text/XML"), Ok(Some(SourceFormat::Medquad)));
        assert_eq!(format_for("text/plain"), Ok(None));
        assert!(format_for("application/octet-stream").unwrap_err().contains("application/octet-stream"));
    }
}
