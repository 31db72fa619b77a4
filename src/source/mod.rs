//! Readers: every input kind becomes the same [`Page`].
//!
//! - [`text`]: a GARD page as a browser copies it to text.
//! - [`medquad`]: a MedQuAD GARD question/answer XML document.
//! - [`html`]: a GARD page as HTML.
//! - [`fetch`]: an `http(s)` URL, fetched with limits, then read by content.
//!
//! The format is detected from the content ([`detect`]) unless the caller forces one.

pub mod fetch;
pub mod html;
pub mod medquad;
pub mod sentences;
pub mod text;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::page::{GardId, IdOrigin, Page, Source, SourceFormat};

/// Why a page could not be read. Every variant names the input.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The input has no content.
    #[error("{location}: the input is empty")]
    Empty {
        /// The file or URL.
        location: String,
    },
    /// The input is not text.
    #[error("{location}: the input is binary, not a page (NUL byte at byte {offset})")]
    Binary {
        /// The file or URL.
        location: String,
        /// The byte offset of the first NUL byte.
        offset: usize,
    },
    /// The input is not valid UTF-8.
    #[error("{location}: line {line}: the input is not valid UTF-8 (byte {offset})")]
    Encoding {
        /// The file or URL.
        location: String,
        /// 1-based line of the invalid byte.
        line: usize,
        /// Byte offset of the invalid byte.
        offset: usize,
    },
    /// The content is not in any format gardkg reads.
    #[error("{location}: not a GARD page, MedQuAD XML or HTML document (starts with {start:?})")]
    UnknownFormat {
        /// The file or URL.
        location: String,
        /// The first characters of the input, sanitized.
        start: String,
    },
    /// The input is an ontology or RDF file, not a page.
    #[error(
        "{location}: this is an ontology or RDF file ({kind}), not a disease page: load it beside the pages with \
         `gardkg ontology load {location}`"
    )]
    Ontology {
        /// The file or URL.
        location: String,
        /// The syntax it looks like.
        kind: &'static str,
    },
    /// The content is malformed for its format.
    #[error("{location}: line {line}: {reason}")]
    Malformed {
        /// The file or URL.
        location: String,
        /// 1-based line where the problem was found.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The page has no title.
    #[error("{location}: the page has no title ({reason})")]
    NoTitle {
        /// The file or URL.
        location: String,
        /// What was looked for.
        reason: String,
    },
    /// The input could not be read from disk.
    #[error("{location}: {source}")]
    Io {
        /// The file.
        location: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The URL could not be fetched.
    #[error("{location}: {reason}")]
    Fetch {
        /// The URL.
        location: String,
        /// What went wrong.
        reason: String,
    },
}

/// What a reader may be told besides the bytes.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Force a format instead of detecting it.
    pub format: Option<SourceFormat>,
    /// Force the GARD identifier (`--gard-id`).
    pub gard_id: Option<u32>,
    /// Limits for `http(s)` inputs.
    pub fetch: fetch::FetchLimits,
}

/// Reads one input: a file path or an `http(s)` URL.
pub fn read(input: &str, options: &ReadOptions) -> Result<Page, SourceError> {
    if input.starts_with("http://") || input.starts_with("https://") {
        let fetched = fetch::fetch(input, &options.fetch)?;
        let mut options = options.clone();
        if options.format.is_none() {
            options.format = fetched.format_hint;
        }
        let mut page = read_bytes(&fetched.body, input, &options)?;
        if page.source.url.is_none() {
            page.source.url = Some(fetched.final_url);
        }
        Ok(page)
    } else {
        let bytes = std::fs::read(input).map_err(|source| SourceError::Io { location: input.to_owned(), source })?;
        read_bytes(&bytes, input, options)
    }
}

/// Reads a page from bytes; `location` names the input in errors and in [`Source::location`].
pub fn read_bytes(bytes: &[u8], location: &str, options: &ReadOptions) -> Result<Page, SourceError> {
    let text = check_text(bytes, location)?;
    if let Some(kind) = crate::ontology::looks_like_ontology(text) {
        return Err(SourceError::Ontology { location: location.to_owned(), kind });
    }
    let format = match options.format {
        Some(format) => format,
        None => detect(text).ok_or_else(|| SourceError::UnknownFormat {
            location: location.to_owned(),
            start: sanitize(&text.chars().take(40).collect::<String>()),
        })?,
    };
    let source = Source { format, location: location.to_owned(), url: None, content_sha256: sha256_hex(bytes) };
    let mut page = match format {
        SourceFormat::GardText => text::read(text, source)?,
        SourceFormat::Medquad => medquad::read(text, source)?,
        SourceFormat::Html => html::read(text, source)?,
    };
    if let Some(number) = options.gard_id {
        page.gard_id = Some(GardId { number, origin: IdOrigin::Flag });
    } else if page.gard_id.is_none() {
        page.gard_id = gard_id_from_file_name(location).map(|number| GardId { number, origin: IdOrigin::FileName });
    }
    Ok(page)
}

/// Checks that bytes are non-empty UTF-8 text without NUL bytes; strips a byte-order mark.
pub fn check_text<'a>(bytes: &'a [u8], location: &str) -> Result<&'a str, SourceError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SourceError::Empty { location: location.to_owned() });
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(SourceError::Binary { location: location.to_owned(), offset });
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes[..offset].split(|&b| b == b'\n').count();
        SourceError::Encoding { location: location.to_owned(), line, offset }
    })
}

/// Detects the format of a page from its content.
pub fn detect(text: &str) -> Option<SourceFormat> {
    let head: String = text.trim_start().chars().take(2048).collect::<String>().to_ascii_lowercase();
    if head.starts_with("<?xml") || head.starts_with("<document") {
        if head.contains("<document") && (head.contains("<focus") || head.contains("<qapairs")) {
            return Some(SourceFormat::Medquad);
        }
        if head.contains("<html") {
            return Some(SourceFormat::Html);
        }
        return Some(SourceFormat::Medquad);
    }
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<html") {
        return Some(SourceFormat::Html);
    }
    if head.starts_with('<') {
        return None;
    }
    // Text: a page copied from a browser has at least a title line and some prose; anything printable qualifies,
    // and the text reader itself rejects a page without a title.
    Some(SourceFormat::GardText)
}

/// The GARD id from a file name that starts with digits (`12547-selective-igm-deficiency.txt`).
pub fn gard_id_from_file_name(location: &str) -> Option<u32> {
    let name = Path::new(location).file_name()?.to_str()?;
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    let rest = &name[digits.len()..];
    // MedQuAD names files by document number, not GARD id: only a `NNNN-name` pattern counts.
    if digits.is_empty() || !rest.starts_with(['-', '_']) {
        return None;
    }
    digits.parse().ok().filter(|&n| n > 0)
}

/// The GARD id in a GARD URL: `.../gard/2347/flynn-aird-syndrome` or `.../diseases/12547/...`.
pub fn gard_id_from_url(url: &str) -> Option<u32> {
    let mut parts = url.split('/');
    while let Some(part) = parts.next() {
        if part == "gard" || part == "diseases" {
            if let Some(n) = parts.clone().next().and_then(|p| p.parse().ok()) {
                return Some(n);
            }
        }
    }
    None
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes).iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Removes control, bidi and zero-width characters from text bound for a terminal or an error message.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            !(c.is_control() && c != '\n' && c != '\t'
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}'))
        })
        .collect()
}

/// Expands inputs: files as given, directories to their page files (sorted), URLs as given.
pub fn expand_inputs(inputs: &[String]) -> Result<Vec<String>, SourceError> {
    let mut out = Vec::new();
    for input in inputs {
        let path = PathBuf::from(input);
        if input.starts_with("http://") || input.starts_with("https://") || !path.is_dir() {
            out.push(input.clone());
            continue;
        }
        let entries = std::fs::read_dir(&path).map_err(|source| SourceError::Io { location: input.clone(), source })?;
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| SourceError::Io { location: input.clone(), source })?;
            let file = entry.path();
            let is_page = file.is_file()
                && file
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "txt" | "xml" | "html" | "htm"));
            // Folder READMEs describe the data; they are not pages.
            let is_readme = file.file_stem().and_then(|s| s.to_str()).is_some_and(|s| s.eq_ignore_ascii_case("readme"));
            if is_page && !is_readme {
                files.push(file.to_string_lossy().into_owned());
            }
        }
        files.sort();
        out.extend(files);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_names_and_urls() {
        assert_eq!(gard_id_from_file_name("x/12547-selective-igm-deficiency.txt"), Some(12547));
        assert_eq!(gard_id_from_file_name("0002396.xml"), None);
        assert_eq!(gard_id_from_url("https://rarediseases.info.nih.gov/gard/2347/flynn-aird-syndrome"), Some(2347));
        assert_eq!(gard_id_from_url("https://rarediseases.info.nih.gov/diseases/12547/x"), Some(12547));
        assert_eq!(gard_id_from_url("https://example.org/"), None);
    }

    #[test]
    fn bad_bytes_are_named() {
        assert!(matches!(check_text(b"  \n", "a"), Err(SourceError::Empty { .. })));
        assert!(matches!(check_text(b"ab\0c", "a"), Err(SourceError::Binary { offset: 2, .. })));
        let err = check_text(b"line\nbad \xff", "p.txt").unwrap_err();
        assert_eq!(err.to_string(), "p.txt: line 2: the input is not valid UTF-8 (byte 9)");
    }

    #[test]
    fn detection() {
        assert_eq!(detect("<?xml version=\"1.0\"?>\n<Document id=\"1\"><Focus>x</Focus>"), Some(SourceFormat::Medquad));
        assert_eq!(detect("<!DOCTYPE html><html><body>x</body></html>"), Some(SourceFormat::Html));
        assert_eq!(detect("Some disease\n\nOther Names:\n"), Some(SourceFormat::GardText));
        assert_eq!(detect("<svg></svg>"), None);
    }

    #[test]
    fn sanitize_strips_bidi_and_controls() {
        assert_eq!(sanitize("a\u{202e}b\u{7}c\u{200b}d"), "abcd");
    }
}
