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

use crate::page::{GardId, IdOrigin, Page, Sentence, Source, SourceFormat, Warning, WarningCode};

/// The largest input read, from a file or a URL, unless told otherwise (`--max-bytes`): 10 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;
/// The longest sentence given to recognition, in characters; a longer run of text without a sentence end is cut
/// at spaces into pieces this long. (Recognition time and the supporting text copied into every mention grow with
/// the length of a sentence: one 10 MB "sentence" took gigabytes.) GARD's longest real sentences are a few
/// hundred characters.
pub const MAX_SENTENCE_CHARS: usize = 1_000;
/// The most sentence text recognized in one page, in characters (about 17 times the largest page of the corpus);
/// the sentences after it are dropped with a warning, so memory stays bounded whatever the page size.
pub const MAX_PAGE_CHARS: usize = 256 * 1024;

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
    /// The input is UTF-16 (it starts with a UTF-16 byte-order mark).
    #[error("{location}: the input is UTF-16; gardkg reads UTF-8 (convert it, e.g. `iconv -f UTF-16 -t UTF-8`)")]
    Utf16 {
        /// The file or URL.
        location: String,
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
    /// The file is larger than the size limit.
    #[error("{location}: the file is {size} bytes, more than the {cap}-byte limit (raise it with --max-bytes)")]
    TooLarge {
        /// The file.
        location: String,
        /// Its size (or the bytes read before the limit was passed).
        size: u64,
        /// The limit.
        cap: u64,
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
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force a format instead of detecting it.
    pub format: Option<SourceFormat>,
    /// Force the GARD identifier (`--gard-id`).
    pub gard_id: Option<u32>,
    /// Limits for `http(s)` inputs.
    pub fetch: fetch::FetchLimits,
    /// The largest local file read, in bytes (a URL's body is capped by [`fetch::FetchLimits::max_body`]).
    pub max_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self { format: None, gard_id: None, fetch: fetch::FetchLimits::default(), max_bytes: DEFAULT_MAX_BYTES }
    }
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
        let bytes = read_file(input, options.max_bytes)?;
        read_bytes(&bytes, input, options)
    }
}

/// Reads a local file of at most `cap` bytes: a larger file is refused from its size, before it is read (and a
/// file that grows while read is cut at `cap + 1` bytes and refused too).
pub fn read_file(input: &str, cap: u64) -> Result<Vec<u8>, SourceError> {
    use std::io::Read as _;
    let io = |source| SourceError::Io { location: input.to_owned(), source };
    let file = std::fs::File::open(input).map_err(io)?;
    let too_large = |size: u64| SourceError::TooLarge { location: input.to_owned(), size, cap };
    let size = file.metadata().map_err(io)?.len();
    if size > cap {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
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
    bound(&mut page);
    if let Some(number) = options.gard_id {
        page.gard_id = Some(GardId { number, origin: IdOrigin::Flag });
    } else if page.gard_id.is_none() {
        page.gard_id = gard_id_from_file_name(location).map(|number| GardId { number, origin: IdOrigin::FileName });
    }
    Ok(page)
}

/// Keeps recognition bounded: sentences longer than [`MAX_SENTENCE_CHARS`] are cut at spaces, and sentences
/// beyond [`MAX_PAGE_CHARS`] of text are dropped; each with one warning naming what was done.
pub fn bound(page: &mut Page) {
    let mut cut = 0usize;
    let mut total = 0usize;
    let mut dropped = 0usize;
    for section in &mut page.sections {
        for paragraph in &mut section.paragraphs {
            let length: usize = paragraph.sentences.iter().map(|s| s.end - s.start).sum();
            let short = paragraph.sentences.iter().all(|s| s.end - s.start <= MAX_SENTENCE_CHARS);
            if short && total + length <= MAX_PAGE_CHARS {
                total += length;
                continue;
            }
            let sentences = std::mem::take(&mut paragraph.sentences);
            for sentence in sentences {
                let pieces = if sentence.end - sentence.start > MAX_SENTENCE_CHARS {
                    cut += 1;
                    cut_sentence(sentence)
                } else {
                    vec![sentence]
                };
                for piece in pieces {
                    let length = piece.end - piece.start;
                    if total + length > MAX_PAGE_CHARS {
                        dropped += 1;
                        continue;
                    }
                    total += length;
                    paragraph.sentences.push(piece);
                }
            }
        }
    }
    let mut warn = |message: String| {
        page.warnings.push(Warning { code: WarningCode::Skipped, message, section: None, line: None });
    };
    if cut > 0 {
        warn(format!(
            "{cut} sentence{} longer than {MAX_SENTENCE_CHARS} characters {} cut at spaces for recognition",
            if cut == 1 { "" } else { "s" },
            if cut == 1 { "was" } else { "were" }
        ));
    }
    if dropped > 0 {
        warn(format!(
            "the page has more than {MAX_PAGE_CHARS} characters of sentences: the last {dropped} sentence{} not \
             recognized",
            if dropped == 1 { " was" } else { "s were" }
        ));
    }
}

/// Cuts a sentence into pieces of at most [`MAX_SENTENCE_CHARS`] characters, at the last space of each piece
/// (anywhere when a piece has none); the citations stay with the last piece. Offsets stay exact.
fn cut_sentence(sentence: Sentence) -> Vec<Sentence> {
    let chars: Vec<char> = sentence.text.chars().collect();
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let limit = (i + MAX_SENTENCE_CHARS).min(chars.len());
        let mut end = limit;
        if limit < chars.len() {
            if let Some(space) = (i + 1..limit).rev().find(|&k| chars[k].is_whitespace()) {
                end = space;
            }
        }
        let mut piece_end = end;
        while piece_end > i && chars[piece_end - 1].is_whitespace() {
            piece_end -= 1;
        }
        if piece_end > i {
            pieces.push(Sentence {
                text: chars[i..piece_end].iter().collect(),
                start: sentence.start + i,
                end: sentence.start + piece_end,
                citations: Vec::new(),
            });
        }
        i = end;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
    }
    if let Some(last) = pieces.last_mut() {
        last.citations = sentence.citations;
    }
    pieces
}

/// Checks that bytes are non-empty UTF-8 text without NUL bytes; strips a byte-order mark.
pub fn check_text<'a>(bytes: &'a [u8], location: &str) -> Result<&'a str, SourceError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(SourceError::Utf16 { location: location.to_owned() });
    }
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

/// The symbolic links in the folders among `inputs` that cannot be followed (a loop, or a broken link), each with
/// the reason: [`expand_inputs`] skips them, and the caller says so.
pub fn unfollowable_links(inputs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for input in inputs {
        let Ok(entries) = std::fs::read_dir(input) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            if !is_link {
                continue;
            }
            if let Err(e) = std::fs::metadata(&path) {
                let reason = if e.raw_os_error() == Some(40)
                /* ELOOP */
                {
                    "a symbolic link loop".to_owned()
                } else {
                    format!("a broken symbolic link ({e})")
                };
                out.push(format!("{}: {reason}, skipped", path.display()));
            }
        }
    }
    out.sort();
    out
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
    fn local_files_over_the_cap_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("99999-kettle-fever.txt");
        std::fs::write(&path, "Kettle fever\n\nKettle fever is an imaginary disease.\n").unwrap();
        let location = path.to_str().unwrap();
        let err = read_file(location, 10).unwrap_err();
        assert!(matches!(err, SourceError::TooLarge { size: 52, cap: 10, .. }), "{err}");
        assert!(err.to_string().contains("more than the 10-byte limit (raise it with --max-bytes)"), "{err}");
        assert_eq!(read_file(location, 52).unwrap().len(), 52);
        let options = ReadOptions { max_bytes: 20, ..ReadOptions::default() };
        assert!(matches!(read(location, &options), Err(SourceError::TooLarge { .. })));
        assert_eq!(ReadOptions::default().max_bytes, 10 * 1024 * 1024);
    }

    #[test]
    fn long_sentences_are_cut_and_long_pages_bounded() {
        // One run of words without a sentence end, 30,000 characters long.
        let words = "fever and seizures ".repeat(1_600);
        let text = format!("Kettle fever\n\n{}\n", words.trim_end());
        let page = read_bytes(text.as_bytes(), "99999-kettle-fever.txt", &ReadOptions::default()).unwrap();
        let section = &page.sections[0];
        let chars: Vec<char> = section.text.chars().collect();
        let sentences: Vec<&Sentence> = section.paragraphs.iter().flat_map(|p| &p.sentences).collect();
        assert!(sentences.len() >= 30, "{}", sentences.len());
        for s in &sentences {
            assert!(s.end - s.start <= MAX_SENTENCE_CHARS);
            assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text);
            assert!(s.text.ends_with("fever") || s.text.ends_with("and") || s.text.ends_with("seizures"), "{}", s.text);
        }
        assert!(page.warnings.iter().any(|w| w.code == WarningCode::Skipped
            && w.message == "1 sentence longer than 1000 characters was cut at spaces for recognition"));

        // 400,000 characters of short sentences: recognition sees at most MAX_PAGE_CHARS of them.
        let text = format!("Kettle fever\n\n{}\n", "Children have fever. ".repeat(20_000));
        let page = read_bytes(text.as_bytes(), "99999-kettle-fever.txt", &ReadOptions::default()).unwrap();
        let total: usize = page.sentences().map(|(_, s)| s.end - s.start).sum();
        assert!(total <= MAX_PAGE_CHARS && total > MAX_PAGE_CHARS - 100, "{total}");
        let warning = page.warnings.iter().find(|w| w.message.starts_with("the page has more than")).unwrap();
        assert!(warning.message.ends_with("sentences were not recognized"), "{}", warning.message);
    }

    #[test]
    fn sanitize_strips_bidi_and_controls() {
        assert_eq!(sanitize("a\u{202e}b\u{7}c\u{200b}d"), "abcd");
    }
}
