//! Content negotiation: the `Accept` header (RFC 9110 §12.5.1, q-values and wildcards) or a `format=` parameter
//! chooses one of the representations a route offers.
//!
//! Written here, as Oxigraph's server does, rather than with a crate: it is forty lines, and the crates that parse
//! `Accept` either stop at parsing or pull in a framework of their own.

/// One representation a route can give.
#[derive(Debug, Clone, Copy)]
pub struct Offer<T> {
    /// The media type it is sent as (also what `Accept` is matched against).
    pub media_type: &'static str,
    /// Short names a `format=` parameter may use (`json`, `ttl`...), besides the media type itself.
    pub names: &'static [&'static str],
    /// What the route produces for it.
    pub value: T,
}

/// Why no offer was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoMatch {
    /// The `Accept` header rules out every offer (HTTP 406).
    NotAcceptable(String),
    /// The `format=` parameter names no offer (HTTP 400).
    UnknownFormat(String),
}

/// Chooses an offer: `format` (a short name or a media type) when given, else the best by `Accept`; an absent or
/// empty `Accept` gives the first offer. Ties go to the earlier offer, so offers are listed by preference.
pub fn choose<T: Copy>(accept: Option<&str>, format: Option<&str>, offers: &[Offer<T>]) -> Result<T, NoMatch> {
    if let Some(format) = format.map(str::trim).filter(|f| !f.is_empty()) {
        let wanted = format.to_ascii_lowercase();
        return offers
            .iter()
            .find(|o| o.media_type == wanted || o.names.contains(&wanted.as_str()))
            .map(|o| o.value)
            .ok_or_else(|| {
                NoMatch::UnknownFormat(format!(
                    "unknown format {format:?}; this request can give {}",
                    offers.iter().filter_map(|o| o.names.first()).copied().collect::<Vec<_>>().join(", ")
                ))
            });
    }
    let Some(accept) = accept.map(str::trim).filter(|a| !a.is_empty()) else {
        return Ok(offers[0].value);
    };
    let ranges = parse_accept(accept);
    let mut best: Option<(f32, usize)> = None;
    for (index, offer) in offers.iter().enumerate() {
        let q = quality(&ranges, offer.media_type);
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, index));
        }
    }
    best.map(|(_, i)| offers[i].value).ok_or_else(|| {
        NoMatch::NotAcceptable(format!(
            "none of the accepted types ({accept}) can be given; this request can give {}",
            offers.iter().map(|o| o.media_type).collect::<Vec<_>>().join(", ")
        ))
    })
}

/// A media range of an `Accept` header.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    subtype: String,
    q: f32,
}

/// The ranges of an `Accept` header; malformed ones are skipped.
fn parse_accept(header: &str) -> Vec<Range> {
    header
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let (kind, subtype) = parts.next()?.trim().split_once('/')?;
            let (kind, subtype) = (kind.trim().to_ascii_lowercase(), subtype.trim().to_ascii_lowercase());
            if kind.is_empty() || subtype.is_empty() || (kind == "*" && subtype != "*") {
                return None;
            }
            let mut q = 1.0;
            for parameter in parts {
                if let Some((name, value)) = parameter.split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        q = value.trim().parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q))?;
                    }
                }
            }
            Some(Range { kind, subtype, q })
        })
        .collect()
}

/// The q-value the most specific matching range gives a media type (0 when none matches).
fn quality(ranges: &[Range], media_type: &str) -> f32 {
    let (kind, subtype) = media_type.split_once('/').unwrap_or((media_type, ""));
    let mut best: Option<(u8, f32)> = None;
    for range in ranges {
        let specificity = match (range.kind.as_str(), range.subtype.as_str()) {
            (k, s) if k == kind && s == subtype => 2,
            (k, "*") if k == kind => 1,
            ("*", "*") => 0,
            _ => continue,
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, range.q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: &[Offer<u8>] = &[
        Offer { media_type: "text/turtle", names: &["ttl", "turtle"], value: 1 },
        Offer { media_type: "text/html", names: &["html"], value: 2 },
        Offer { media_type: "application/ld+json", names: &["jsonld"], value: 3 },
    ];

    #[test]
    fn q_values_wildcards_and_preference() {
        assert_eq!(choose(None, None, OFFERS), Ok(1));
        assert_eq!(choose(Some(""), None, OFFERS), Ok(1));
        assert_eq!(choose(Some("*/*"), None, OFFERS), Ok(1));
        // A browser: HTML named, the rest through */* at a lower q.
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8";
        assert_eq!(choose(Some(browser), None, OFFERS), Ok(2));
        assert_eq!(choose(Some("application/ld+json, text/turtle;q=0.5"), None, OFFERS), Ok(3));
        assert_eq!(choose(Some("text/*;q=0.3, application/ld+json;q=0.2"), None, OFFERS), Ok(1));
        // The most specific range wins: text/html;q=0 rules HTML out even though text/* accepts it.
        assert_eq!(choose(Some("text/html;q=0, text/*"), None, OFFERS), Ok(1));
        assert_eq!(choose(Some("TEXT/HTML; charset=utf-8"), None, OFFERS), Ok(2));
        assert!(matches!(choose(Some("image/png"), None, OFFERS), Err(NoMatch::NotAcceptable(_))));
        // Malformed ranges are skipped, not fatal.
        assert_eq!(choose(Some("garbage, text/html;q=2, application/ld+json"), None, OFFERS), Ok(3));
    }

    #[test]
    fn format_parameter_overrides_accept() {
        assert_eq!(choose(Some("text/html"), Some("jsonld"), OFFERS), Ok(3));
        assert_eq!(choose(None, Some("text/turtle"), OFFERS), Ok(1));
        assert_eq!(choose(None, Some("TTL"), OFFERS), Ok(1));
        let Err(NoMatch::UnknownFormat(message)) = choose(None, Some("docx"), OFFERS) else { panic!() };
        assert!(message.contains("ttl, html, jsonld"), "{message}");
    }
}
