//! Fetching pages over `http(s)`, with explicit limits.
//!
//! Every fetch has a total deadline (connecting, redirects and the whole body: a server trickling a byte a second
//! is cut at the deadline), a body size cap (checked against `Content-Length` and again while reading), a bounded
//! number of redirects (each to `http` or `https` only; a loop is named), refuses loopback, private and link-local
//! addresses unless allowed (directly, by redirect, or through a name resolving to one), and must answer 2xx with
//! a content type gardkg reads. Errors are [`SourceError::Fetch`] naming the URL and the reason.

use std::io::Read;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs as _};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

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
    /// Whether loopback, private, link-local and other non-public addresses may be reached (directly, by a
    /// redirect or through a host name that resolves to one). Off by default: a page URL must not reach into the
    /// local network.
    pub allow_private: bool,
}

impl Default for FetchLimits {
    /// 30 s, 10 MiB, 5 redirects, `gardkg/<version>`, public addresses only.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            max_body: 10 * 1024 * 1024,
            max_redirects: 5,
            user_agent: format!("gardkg/{}", env!("CARGO_PKG_VERSION")),
            allow_private: false,
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

/// Fetches an `http(s)` URL within `limits`: the whole fetch, body included, ends by [`FetchLimits::timeout`].
pub fn fetch(url: &str, limits: &FetchLimits) -> Result<Fetched, SourceError> {
    let error = |reason: String| SourceError::Fetch { location: url.to_owned(), reason };
    let parsed = reqwest::Url::parse(url).map_err(|e| error(format!("not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(error(format!("unsupported URL scheme {:?}: only http and https are fetched", parsed.scheme())));
    }
    if !limits.allow_private {
        check_host(&parsed).map_err(error)?;
    }
    // The download runs on its own thread so that the deadline holds whatever the server does (reqwest's blocking
    // timeout applies to each read, not to the whole body); a thread still blocked after the deadline ends at its
    // next read timeout and its result is dropped.
    let deadline = Instant::now() + limits.timeout;
    let (sender, receiver) = mpsc::channel();
    let limits_owned = limits.clone();
    std::thread::Builder::new()
        .name("gardkg-fetch".to_owned())
        .spawn(move || {
            let _ = sender.send(download(parsed, &limits_owned, deadline));
        })
        .map_err(|e| error(format!("cannot start the download: {e}")))?;
    let timed_out =
        || format!("timed out: the download took longer than the {} s limit (--timeout)", limits.timeout.as_secs_f64());
    match receiver.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(result) => result.map_err(error),
        Err(_) => Err(error(timed_out())),
    }
}

/// The download itself: request, status, content type, and the body read in pieces until the cap or the deadline.
fn download(url: reqwest::Url, limits: &FetchLimits, deadline: Instant) -> Result<Fetched, String> {
    let client = client(limits)?;
    let mut response = client.get(url).send().map_err(|e| describe(&e))?;
    let final_url = response.url().to_string();
    let status = response.status();
    if !status.is_success() {
        return Err(format!("the server answered HTTP {status} (from {final_url})"));
    }
    let content_type = response.headers().get(CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let format_hint = match &content_type {
        None => None,
        Some(value) => format_for(value).map_err(|reason| format!("{reason} (from {final_url})"))?,
    };
    let cap = limits.max_body;
    if let Some(length) = response.content_length().filter(|&l| l > cap) {
        return Err(format!("the body is {length} bytes, more than the {cap}-byte limit (Content-Length)"));
    }
    let mut body = Vec::new();
    let mut piece = vec![0u8; 64 * 1024];
    loop {
        if Instant::now() >= deadline {
            return Err(format!(
                "timed out: the download took longer than the {} s limit (--timeout), {} bytes read",
                limits.timeout.as_secs_f64(),
                body.len()
            ));
        }
        let n = response.read(&mut piece).map_err(|e| format!("reading the body failed: {}", chain(&e)))?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&piece[..n]);
        if body.len() as u64 > cap {
            return Err(format!("the body is larger than the {cap}-byte limit"));
        }
    }
    Ok(Fetched { body, final_url, format_hint })
}

/// A blocking HTTP client with the limits' timeout, user agent and redirect policy (at most
/// [`FetchLimits::max_redirects`], each to `http` or `https` only, no loop, and no private address unless
/// [`FetchLimits::allow_private`]); without `allow_private`, host names resolving to a private address are refused.
pub fn client(limits: &FetchLimits) -> Result<Client, String> {
    let max_redirects = limits.max_redirects;
    let allow_private = limits.allow_private;
    let policy = Policy::custom(move |attempt| {
        if attempt.previous().iter().any(|u| u == attempt.url()) {
            let message = format!(
                "redirect loop: {} redirects back to {}",
                attempt.previous().last().map_or("", |u| u.as_str()),
                attempt.url()
            );
            return attempt.error(message);
        }
        if attempt.previous().len() > max_redirects {
            let message = format!("too many redirects (more than {max_redirects}), last to {}", attempt.url());
            attempt.error(message)
        } else if !matches!(attempt.url().scheme(), "http" | "https") {
            let message = format!("redirect to a non-http(s) URL: {}", attempt.url());
            attempt.error(message)
        } else if let Some(reason) = (!allow_private).then(|| check_host(attempt.url()).err()).flatten() {
            let message = format!("redirect to {}: {reason}", attempt.url());
            attempt.error(message)
        } else {
            attempt.follow()
        }
    });
    let mut builder = Client::builder()
        .timeout(limits.timeout)
        .connect_timeout(limits.timeout)
        .redirect(policy)
        .user_agent(limits.user_agent.clone());
    if !allow_private {
        builder = builder.dns_resolver(Arc::new(PublicOnly));
    }
    builder.build().map_err(|e| format!("cannot build the HTTP client: {}", chain(&e)))
}

/// The advice every refusal of a private address ends with.
const ALLOW_HINT: &str = "refused by default; allow it with --allow-private-addresses";

/// Refuses a URL whose host is an IP address that is not public (names are checked when they resolve).
fn check_host(url: &reqwest::Url) -> Result<(), String> {
    let host = url.host_str().unwrap_or_default();
    let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() else { return Ok(()) };
    match non_public(ip) {
        Some(kind) => Err(format!("{ip} is a {kind} address, {ALLOW_HINT}")),
        None => Ok(()),
    }
}

/// What kind of non-public address `ip` is, or `None` for a public one. (Hand-written: `IpAddr::is_global` is not
/// stable yet, and the list is short.)
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            if v4.is_loopback() {
                Some("loopback")
            } else if v4.is_private() || (a == 100 && (64..128).contains(&b)) {
                Some("private")
            } else if v4.is_link_local() {
                Some("link-local")
            } else if v4.is_unspecified() || v4.is_broadcast() || a == 0 || a >= 240 || v4.is_multicast() {
                Some("reserved")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return non_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            if v6.is_loopback() {
                Some("loopback")
            } else if first & 0xfe00 == 0xfc00 {
                Some("private")
            } else if first & 0xffc0 == 0xfe80 {
                Some("link-local")
            } else if v6.is_unspecified() || v6.is_multicast() {
                Some("reserved")
            } else {
                None
            }
        }
    }
}

/// A resolver that refuses host names resolving to a non-public address (so neither a name nor a redirect to one
/// reaches the local network).
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = (host.as_str(), 0).to_socket_addrs()?.collect();
            if let Some((addr, kind)) = addrs.iter().find_map(|a| non_public(a.ip()).map(|k| (a, k))) {
                let message = format!("{host} resolves to {}, a {kind} address, {ALLOW_HINT}", addr.ip());
                return Err(message.into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
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
        // The test servers listen on loopback, which only an explicit allowance reaches.
        FetchLimits { timeout: Duration::from_secs(10), allow_private: true, ..FetchLimits::default() }
    }

    /// A raw HTTP server on loopback: each connection's request is read, then `answer` writes whatever it likes
    /// (lies, trickles, floods); at most `connections` connections are served, each on its own thread.
    fn raw(connections: usize, answer: fn(&mut std::net::TcpStream, &str)) -> String {
        use std::io::{BufRead, BufReader};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        thread::spawn(move || {
            for stream in listener.incoming().take(connections) {
                let Ok(mut stream) = stream else { break };
                thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut first = String::new();
                    let _ = reader.read_line(&mut first);
                    let mut line = String::new();
                    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                        line.clear();
                    }
                    let path = first.split(' ').nth(1).unwrap_or("/").to_owned();
                    answer(&mut stream, &path);
                });
            }
        });
        base
    }

    #[test]
    fn the_deadline_bounds_the_whole_download() {
        use std::io::Write;
        // Headers at once, then one byte a second for a minute: every read succeeds, only a total deadline ends it.
        let base = raw(1, |stream, _| {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nKettle fever\n");
            for _ in 0..60 {
                if stream.write_all(b"x").is_err() {
                    return;
                }
                thread::sleep(Duration::from_secs(1));
            }
        });
        let limits = FetchLimits { timeout: Duration::from_secs(2), ..limits() };
        let started = Instant::now();
        let text = fetch(&format!("{base}/trickle"), &limits).unwrap_err().to_string();
        assert!(text.contains("timed out: the download took longer than the 2 s limit (--timeout)"), "{text}");
        // Not a timing assertion: without a total deadline the fetch would succeed after a minute.
        assert!(started.elapsed() < Duration::from_secs(30));

        // A server that accepts and never answers.
        let base = raw(1, |_, _| thread::sleep(Duration::from_secs(60)));
        let text = fetch(&format!("{base}/silent"), &limits).unwrap_err().to_string();
        assert!(text.contains("timed out"), "{text}");
    }

    #[test]
    fn lying_and_huge_bodies_are_bounded() {
        use std::io::Write;
        let base = raw(3, |stream, path| {
            if path == "/short" {
                // Says 1000 bytes, sends 12 and closes.
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nKettle fever",
                );
            } else {
                // 50 MB without a length (or, for /liar, under a small one the body does not keep to).
                let head: &[u8] = if path == "/liar" {
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\n"
                } else {
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                };
                let _ = stream.write_all(head);
                let block = vec![b'k'; 1024 * 1024];
                for _ in 0..50 {
                    if stream.write_all(&block).is_err() {
                        return;
                    }
                }
            }
        });
        let text = fetch(&format!("{base}/short"), &limits()).unwrap_err().to_string();
        assert!(text.contains("reading the body failed"), "{text}");
        let text = fetch(&format!("{base}/flood"), &limits()).unwrap_err().to_string();
        assert!(text.contains("larger than the 10485760-byte limit"), "{text}");
        // A Content-Length smaller than what follows: only the announced bytes are taken.
        assert_eq!(fetch(&format!("{base}/liar"), &limits()).unwrap().body.len(), 20);
    }

    #[test]
    fn redirect_loops_are_named() {
        let base = raw(8, |stream, path| {
            use std::io::Write;
            let next = if path == "/a" { "/b" } else { "/a" };
            // `Connection: close`: each connection answers one request and is then dropped; without it the client
            // may send the next hop on the pooled connection as it closes ("connection closed before message
            // completed", seen once in CI).
            let _ = write!(
                stream,
                "HTTP/1.1 302 Found\r\nLocation: {next}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        });
        let text = fetch(&format!("{base}/a"), &limits()).unwrap_err().to_string();
        assert!(text.contains(&format!("redirect loop: {base}/b redirects back to {base}/a")), "{text}");
    }

    #[test]
    fn private_addresses_are_refused_unless_allowed() {
        let base = serve(1);
        let strict = FetchLimits { allow_private: false, ..limits() };
        let url = format!("{base}/page");
        let text = fetch(&url, &strict).unwrap_err().to_string();
        assert!(text.starts_with(&url), "{text}");
        assert!(
            text.contains(
                "127.0.0.1 is a loopback address, refused by default; allow it with --allow-private-addresses"
            ),
            "{text}"
        );
        // A name that resolves to loopback is refused when it resolves.
        let port = base.rsplit(':').next().unwrap();
        let text = fetch(&format!("http://localhost:{port}/page"), &strict).unwrap_err().to_string();
        assert!(text.contains("localhost resolves to") && text.contains("--allow-private-addresses"), "{text}");
        for (url, kind) in [
            ("http://10.1.2.3/", "private"),
            ("http://192.168.0.1/", "private"),
            ("http://172.16.5.4/", "private"),
            ("http://169.254.169.254/latest/meta-data/", "link-local"),
            ("http://[::1]/", "loopback"),
            ("http://[fe80::1]/", "link-local"),
            ("http://[fd00::1]/", "private"),
            ("http://[::ffff:10.0.0.1]/", "private"),
            ("http://0.0.0.0/", "reserved"),
        ] {
            let text = fetch(url, &strict).unwrap_err().to_string();
            assert!(text.contains(&format!("a {kind} address, refused by default")), "{url}: {text}");
        }
        assert_eq!(non_public("93.184.216.34".parse().unwrap()), None);
        assert_eq!(non_public("2606:2800:220:1::1".parse().unwrap()), None);
        // Allowed: the page is fetched.
        assert!(fetch(&url, &limits()).is_ok());
    }

    #[test]
    fn defaults() {
        let l = FetchLimits::default();
        assert_eq!(l.timeout, Duration::from_secs(30));
        assert_eq!(l.max_body, 10 * 1024 * 1024);
        assert_eq!(l.max_redirects, 5);
        assert_eq!(l.user_agent, format!("gardkg/{}", env!("CARGO_PKG_VERSION")));
        assert!(!l.allow_private);
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
