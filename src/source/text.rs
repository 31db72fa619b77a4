//! Reader for GARD pages copied to text (`../shared/corpus/gard-pages`).
//!
//! A browser copy of a GARD page keeps no headings. What is left:
//!
//! ```text
//! <program header line>
//! <title>
//! Other Names:
//! <synonym>; <synonym>
//! Categories:
//! <summary paragraphs>            each content block ends with
//! Last updated: MM/DD/YYYY        a date line
//! <symptoms> / <cause> / <treatment> / <prevalence>, each closed by its date line
//! <research and registries> <organizations> <in-depth resources> <questions>   (no dates)
//!   1. <numbered references>
//! ```
//!
//! The reader cuts the body into blocks at date lines and at the cue sentences that open the trailing parts
//! ("Support and advocacy groups ...", "These resources provide ...", a first numbered reference...). A dated
//! block is classified by keyword cues on its first sentences ("symptom", "cause", "treat", ...); the first one
//! is the summary. Every input line ends up in a section or in a header field; what the reader cannot place or
//! finds missing (a list announced but empty, a citation with no reference) becomes a [`Warning`].
//!
//! Every non-empty line of a section is one [`Paragraph`]: a list item when it starts with a bullet (`•`, `-`,
//! `*`; the bullet and its spaces are outside the span) or, in the references, with its number; prose otherwise.
//! Paragraphs of the references section get no sentences: each citation is parsed into a [`Reference`] instead.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::page::{
    Page, Paragraph, ParagraphKind, Reference, Resource, ResourceKind, Section, SectionKind, Source, Warning,
    WarningCode,
};
use crate::source::{SourceError, sentences};

/// Reads a GARD text page.
///
/// `source` is stored as given; `gard_id` is left `None` (the caller knows the file name or the flag).
///
/// Errors: [`SourceError::NoTitle`] when no line can be the disease name (the first line that is not the program
/// header is missing, is a field such as `Other Names:`, or is running prose). A page with a title and nothing
/// else is read as a page without sections.
pub fn read(text: &str, source: Source) -> Result<Page, SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    let mut warnings = Vec::new();
    let header = match read_header(&lines, &mut warnings) {
        Ok(header) => header,
        Err(reason) => return Err(SourceError::NoTitle { location: source.location, reason }),
    };
    let blocks = split_body(&lines, header.body_start, &mut warnings);
    let blocks = classify(blocks, &lines, &header, &mut warnings);
    let sections: Vec<Built> = blocks.iter().map(|b| build_section(b, &lines)).collect();

    let mut references = Vec::new();
    for built in sections.iter().filter(|b| b.section.kind == SectionKind::References) {
        read_references(built, &mut references, &mut warnings);
    }
    let mut resources = Vec::new();
    for built in &sections {
        collect_resources(built, &mut resources);
    }
    for built in &sections {
        check_lists(built, &mut warnings);
    }
    check_citations(&sections, &references, &mut warnings);

    Ok(Page {
        source,
        gard_id: None,
        title: header.title,
        synonyms: header.synonyms,
        identifiers: Vec::new(),
        sections: sections.into_iter().map(|b| b.section).collect(),
        references,
        resources,
        warnings,
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Header: program line, title, other names, categories.

/// What the header lines give.
struct Header {
    title: String,
    synonyms: Vec<String>,
    /// Index (0-based) of the first body line.
    body_start: usize,
}

/// The program line GARD pages start with.
fn is_program_header(line: &str) -> bool {
    let lower = normalize_spaces(line).to_lowercase();
    lower.contains("rare diseases information center") || lower.starts_with("national center for advancing")
}

/// A `Name:` field line: returns the text after the colon.
fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let trimmed = line.trim_start();
    let head = trimmed.get(..name.len())?;
    head.eq_ignore_ascii_case(name).then(|| trimmed[name.len()..].trim())
}

/// Reads the header; `Err` holds the reason there is no title.
fn read_header(lines: &[&str], warnings: &mut Vec<Warning>) -> Result<Header, String> {
    let mut i = 0;
    while i < lines.len() && (lines[i].trim().is_empty() || is_program_header(lines[i])) {
        i += 1;
    }
    let Some(candidate) = lines.get(i) else {
        return Err("the input has no line besides the program header".to_owned());
    };
    let title = normalize_spaces(candidate);
    check_title(&title, i + 1)?;
    i += 1;

    let mut synonyms: Vec<String> = Vec::new();
    loop {
        let j = next_non_blank(lines, i);
        let Some(line) = lines.get(j) else {
            i = j;
            break;
        };
        if let Some(inline) = field(line, "Other Names:") {
            i = j + 1;
            add_synonyms(inline, &title, &mut synonyms);
            // The names follow on their own line(s), up to a blank line or the next field.
            while let Some(next) = lines.get(i) {
                if next.trim().is_empty() || field(next, "Categories:").is_some() || looks_like_prose(next) {
                    break;
                }
                add_synonyms(next, &title, &mut synonyms);
                i += 1;
            }
        } else if let Some(inline) = field(line, "Categories:") {
            i = j + 1;
            let mut categories: Vec<String> = Vec::new();
            if !inline.is_empty() {
                categories.push(normalize_spaces(inline));
            }
            while let Some(next) = lines.get(i) {
                if next.trim().is_empty() || field(next, "Other Names:").is_some() || looks_like_prose(next) {
                    break;
                }
                categories.push(normalize_spaces(next));
                i += 1;
            }
            if !categories.is_empty() {
                // The Page record has no place for categories: say so rather than drop them silently.
                warnings.push(Warning {
                    code: WarningCode::Skipped,
                    message: format!("categories are not kept: {}", categories.join("; ")),
                    section: None,
                    line: Some(j + 1),
                });
            }
        } else {
            i = j;
            break;
        }
    }
    Ok(Header { title, synonyms, body_start: i })
}

/// Rejects a first line that cannot be a disease name.
fn check_title(title: &str, line: usize) -> Result<(), String> {
    let lower = title.to_lowercase();
    if ["other names:", "categories:", "last updated"].iter().any(|f| lower.starts_with(f)) {
        return Err(format!("line {line} is the field {title:?}, not a disease name"));
    }
    if let Some(first) = title.chars().next().filter(|c| BULLETS.contains(c)) {
        return Err(format!("line {line} starts with the list bullet {first:?}, not a disease name"));
    }
    if looks_like_prose(title) {
        let start: String = title.chars().take(40).collect();
        return Err(format!("line {line} is running text ({start:?}...), not a disease name"));
    }
    Ok(())
}

/// A line of running text rather than a name: long, or a sentence with citation markers or a final period.
fn looks_like_prose(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    line.chars().count() > 200 || MARKER.is_match(line) || (words > 8 && line.ends_with(['.', '!', '?']))
}

fn add_synonyms(line: &str, title: &str, synonyms: &mut Vec<String>) {
    for name in line.split(';') {
        let name = normalize_spaces(name);
        let lower = name.to_lowercase();
        if name.is_empty() || lower == title.to_lowercase() || synonyms.iter().any(|s| s.to_lowercase() == lower) {
            continue;
        }
        synonyms.push(name);
    }
}

fn next_non_blank(lines: &[&str], mut i: usize) -> usize {
    while i < lines.len() && lines[i].trim().is_empty() {
        i += 1;
    }
    i
}

/// NBSP and runs of whitespace become one space; the ends are trimmed.
fn normalize_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------------------------
// Body: blocks cut at date lines and at the cues of the trailing parts.

/// A run of input lines that becomes one section.
struct Block {
    /// `None`: a content block, classified by [`classify`].
    kind: Option<SectionKind>,
    /// 0-based input line indexes, blank lines included.
    lines: Vec<usize>,
    last_updated: Option<String>,
}

impl Block {
    fn new(kind: Option<SectionKind>) -> Self {
        Self { kind, lines: Vec::new(), last_updated: None }
    }

    fn has_text(&self, lines: &[&str]) -> bool {
        self.lines.iter().any(|&i| !lines[i].trim().is_empty())
    }
}

static DATE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^last\s+updated\s*:?\s*(\d{1,2})/(\d{1,2})/(\d{4})$").unwrap());
static REFERENCE_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(\d{1,3})\.\s+(\S.*)$").unwrap());
static MARKER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[\d{1,3}(?:\s*[,\-\u2013]\s*\d{1,3})*\]").unwrap());
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(?:1[5-9]|20)\d{2}\b").unwrap());

/// A `Last updated` line.
struct DateLine {
    /// The date as `YYYY-MM-DD`, or `None` when it cannot be read.
    iso: Option<String>,
}

/// `Last updated: MM/DD/YYYY` gives the ISO date; any line that is not a `Last updated` line gives `None`.
fn date_line(line: &str) -> Option<DateLine> {
    let trimmed = normalize_spaces(line);
    if !trimmed.get(..12).is_some_and(|h| h.eq_ignore_ascii_case("last updated")) {
        return None;
    }
    let iso = DATE_LINE.captures(&trimmed).and_then(|caps| {
        let month: u32 = caps[1].parse().ok()?;
        let day: u32 = caps[2].parse().ok()?;
        let valid = (1..=12).contains(&month) && (1..=31).contains(&day);
        valid.then(|| format!("{}-{month:02}-{day:02}", &caps[3]))
    });
    Some(DateLine { iso })
}

/// Whether a line opens the numbered reference list: `  1. ...` with a year, a URL or an identifier in it.
fn opens_references(line: &str) -> bool {
    REFERENCE_LINE.captures(line).is_some_and(|c| {
        let rest = c[2].to_lowercase();
        &c[1] == "1" && (YEAR.is_match(&rest) || rest.contains("http") || rest.contains("doi") || rest.contains("pmid"))
    })
}

/// The trailing part a paragraph's first line opens, by the cues GARD pages use.
fn trailing_cue(line: &str) -> Option<SectionKind> {
    let lower = normalize_spaces(line).to_lowercase();
    let starts = |cues: &[&str]| cues.iter().any(|c| lower.starts_with(c));
    if starts(&["questions sent to gard", "gard answers"]) || lower == "questions" {
        Some(SectionKind::Questions)
    } else if starts(&["support and advocacy groups", "organizations supporting", "organizations that support"])
        || lower == "organizations"
    {
        Some(SectionKind::Organizations)
    } else if starts(&["these resources provide", "in-depth information", "in-depth resources"]) {
        Some(SectionKind::Resources)
    } else if starts(&[
        "research helps",
        "patient registry",
        "patient registries",
        "registries for",
        "clinical research resources",
    ]) || lower == "research"
    {
        Some(SectionKind::Research)
    } else if opens_references(line) || lower == "references" || lower == "sources" {
        Some(SectionKind::References)
    } else {
        None
    }
}

/// Weaker cues, only for a paragraph that starts a new block after a date line or at the top.
fn weak_trailing_cue(line: &str) -> Option<SectionKind> {
    let lower = line.to_lowercase();
    if lower.contains("registry") || lower.contains("registries") {
        Some(SectionKind::Research)
    } else if lower.contains("advocacy") {
        Some(SectionKind::Organizations)
    } else if lower.contains("in-depth") {
        Some(SectionKind::Resources)
    } else {
        None
    }
}

/// Cuts the body into blocks.
fn split_body(lines: &[&str], body_start: usize, warnings: &mut Vec<Warning>) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut current: Option<Block> = None;
    let mut group_start = true;
    let mut seen_questions = false;
    for (i, line) in lines.iter().enumerate().skip(body_start) {
        if line.trim().is_empty() {
            if let Some(block) = current.as_mut() {
                block.lines.push(i);
            }
            group_start = true;
            continue;
        }
        if let Some(date) = date_line(line) {
            match current.take().filter(|b| b.has_text(lines)) {
                Some(mut block) => {
                    if date.iso.is_none() {
                        warnings.push(skipped(format!("unreadable date {:?}", line.trim()), block.kind, i));
                    }
                    block.last_updated = date.iso;
                    blocks.push(block);
                }
                None => warnings.push(skipped("a date line with no text before it".to_owned(), None, i)),
            }
            group_start = true;
            continue;
        }
        let current_kind = current.as_ref().and_then(|b| b.kind);
        let cue = if group_start {
            trailing_cue(line)
        } else {
            // References may follow the questions paragraph without a blank line.
            opens_references(line).then_some(SectionKind::References)
        };
        if let Some(kind) = cue.filter(|&k| current_kind != Some(k)) {
            if let Some(block) = current.take().filter(|b| b.has_text(lines)) {
                blocks.push(block);
            }
            current = Some(Block::new(Some(kind)));
        } else if current.is_none() {
            let kind = if seen_questions && line.trim_end().ends_with('?') {
                Some(SectionKind::Questions)
            } else if !blocks.is_empty() && earliest_cue(&line.to_lowercase(), STRONG_CUES).is_none() {
                // Weak cues only after the dated content, and never over a content cue.
                weak_trailing_cue(line)
            } else {
                None
            };
            current = Some(Block::new(kind));
        }
        let block = current.get_or_insert_with(|| Block::new(None));
        seen_questions |= block.kind == Some(SectionKind::Questions);
        block.lines.push(i);
        group_start = false;
    }
    if let Some(block) = current.filter(|b| b.has_text(lines)) {
        blocks.push(block);
    }
    blocks
}

fn skipped(message: String, section: Option<SectionKind>, index: usize) -> Warning {
    Warning { code: WarningCode::Skipped, message, section, line: Some(index + 1) }
}

/// Content cues, matched at the start of a word of the lower-cased first sentences; the earliest cue wins.
const STRONG_CUES: &[(&str, SectionKind)] = &[
    ("symptom", SectionKind::Symptoms),
    ("signs", SectionKind::Symptoms),
    ("clinical features", SectionKind::Symptoms),
    ("cause", SectionKind::Cause),
    ("etiology", SectionKind::Cause),
    ("inherit", SectionKind::Inheritance),
    ("autosomal", SectionKind::Inheritance),
    ("x-linked", SectionKind::Inheritance),
    ("diagnos", SectionKind::Diagnosis),
    ("treat", SectionKind::Treatment),
    ("management", SectionKind::Treatment),
    ("prevalence", SectionKind::Prevalence),
    ("incidence", SectionKind::Prevalence),
    ("how common", SectionKind::Prevalence),
    ("estimated to affect", SectionKind::Prevalence),
];
/// Used only when no strong cue is found.
const WEAK_CUES: &[(&str, SectionKind)] = &[
    ("people have", SectionKind::Prevalence),
    ("affects", SectionKind::Prevalence),
    ("therap", SectionKind::Treatment),
    ("features", SectionKind::Symptoms),
    ("gene", SectionKind::Cause),
];

/// The earliest cue in `text` (lower-cased), with its position.
fn earliest_cue(text: &str, cues: &[(&str, SectionKind)]) -> Option<(usize, SectionKind)> {
    let mut best: Option<(usize, SectionKind)> = None;
    for &(cue, kind) in cues {
        let found = text.match_indices(cue).find(|&(at, _)| {
            // Word start only: "because" does not cite a cause.
            !text[..at].chars().next_back().is_some_and(char::is_alphanumeric)
        });
        if let Some((at, _)) = found
            && best.is_none_or(|(b, _)| at < b)
        {
            best = Some((at, kind));
        }
    }
    best
}

/// Assigns a kind to every content block; the first one is the summary unless it opens with a cue word.
fn classify(
    blocks: Vec<Block>,
    lines: &[&str],
    header: &Header,
    warnings: &mut Vec<Warning>,
) -> Vec<(SectionKind, Block)> {
    let names: Vec<String> = std::iter::once(&header.title).chain(&header.synonyms).map(|n| n.to_lowercase()).collect();
    let mut out = Vec::with_capacity(blocks.len());
    let mut seen_content = false;
    for block in blocks {
        if let Some(kind) = block.kind {
            out.push((kind, block));
            continue;
        }
        let lead = lead_sentences(&block, lines);
        let first_sentence = lead.first().map(String::as_str).unwrap_or_default();
        let kind = if seen_content || out.iter().any(|(k, _)| *k == SectionKind::Summary) {
            let cue = earliest_cue(first_sentence, STRONG_CUES)
                .or_else(|| earliest_cue(&lead.join(" "), STRONG_CUES))
                .or_else(|| earliest_cue(&lead.join(" "), WEAK_CUES));
            cue.map(|(_, kind)| kind)
        } else {
            // A summary opens with the disease name; a page without one opens with "Symptoms of ...". A name
            // that starts with a cue word ("Inherited ...") still opens a summary.
            let opens_with_name = names.iter().any(|n| normalize_spaces(first_sentence).starts_with(n.as_str()));
            Some(
                earliest_cue(first_sentence, STRONG_CUES)
                    .filter(|&(at, _)| at == 0 && !opens_with_name)
                    .map_or(SectionKind::Summary, |c| c.1),
            )
        };
        seen_content = true;
        let kind = kind.unwrap_or_else(|| {
            let first = block.lines.iter().copied().find(|&i| !lines[i].trim().is_empty()).unwrap_or(0);
            let start: String = lines[first].trim().chars().take(60).collect();
            warnings.push(Warning {
                code: WarningCode::UnknownSection,
                message: format!("a block starting {start:?} matches no known section; kept as 'other'"),
                section: Some(SectionKind::Other),
                line: Some(first + 1),
            });
            SectionKind::Other
        });
        out.push((kind, block));
    }
    out
}

/// The first three sentences of a block, lower-cased.
fn lead_sentences(block: &Block, lines: &[&str]) -> Vec<String> {
    let mut text = String::new();
    for &i in &block.lines {
        if text.chars().count() > 1500 {
            break;
        }
        let line = lines[i].trim();
        if !line.is_empty() {
            text.push_str(line);
            text.push(' ');
        }
    }
    // Split before lower-casing: the splitter needs the capital that starts a sentence.
    let chars: Vec<char> = text.chars().collect();
    sentences::split(&chars, 0, chars.len()).into_iter().take(3).map(|s| s.text.to_lowercase()).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Sections: text, paragraphs, sentences.

/// The characters that open a list item.
const BULLETS: &[char] = &['\u{2022}', '\u{25cf}', '\u{25aa}', '\u{00b7}', '-', '*', '\u{2013}'];

/// How a line of a section starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    None,
    Bullet,
    Number(u32),
}

/// One input line inside a built section.
struct BuiltLine {
    /// 1-based input line.
    number: usize,
    /// Offsets in the section text: the line, and its content after indentation and bullet.
    start: usize,
    content_start: usize,
    end: usize,
    marker: Marker,
    /// The content (after indentation and bullet) as a string.
    content: String,
}

/// A section with the input lines it came from.
struct Built {
    section: Section,
    lines: Vec<BuiltLine>,
}

/// Splits a line into its marker and the char offset (within the line) where its content starts.
fn line_marker(chars: &[char], kind: SectionKind) -> (Marker, usize) {
    let indent = chars.iter().take_while(|c| c.is_whitespace()).count();
    let rest = &chars[indent..];
    let skip_space = |from: usize| from + rest[from..].iter().take_while(|c| c.is_whitespace()).count();
    match rest.first() {
        Some('\u{2022}' | '\u{25cf}' | '\u{25aa}') => return (Marker::Bullet, indent + skip_space(1)),
        Some('-' | '*' | '\u{00b7}' | '\u{2013}') if rest.get(1).is_some_and(|c| c.is_whitespace()) => {
            return (Marker::Bullet, indent + skip_space(1));
        }
        _ => {}
    }
    if kind == SectionKind::References {
        let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=3).contains(&digits)
            && rest.get(digits) == Some(&'.')
            && rest.get(digits + 1).is_some_and(|c| c.is_whitespace())
        {
            let number: String = rest[..digits].iter().collect();
            if let Ok(number) = number.parse() {
                return (Marker::Number(number), indent + skip_space(digits + 1));
            }
        }
    }
    (Marker::None, indent)
}

fn build_section((kind, block): &(SectionKind, Block), lines: &[&str]) -> Built {
    let kind = *kind;
    let first = block.lines.iter().position(|&i| !lines[i].trim().is_empty());
    let last = block.lines.iter().rposition(|&i| !lines[i].trim().is_empty());
    let used = match (first, last) {
        (Some(a), Some(b)) => &block.lines[a..=b],
        _ => &[][..],
    };
    let mut text = String::new();
    let mut offset = 0;
    let mut built_lines = Vec::new();
    for (n, &i) in used.iter().enumerate() {
        if n > 0 {
            text.push('\n');
            offset += 1;
        }
        let line = lines[i];
        let chars: Vec<char> = line.chars().collect();
        text.push_str(line);
        if !line.trim().is_empty() {
            let (marker, content) = line_marker(&chars, kind);
            built_lines.push(BuiltLine {
                number: i + 1,
                start: offset,
                content_start: offset + content,
                end: offset + chars.len(),
                marker,
                content: chars[content..].iter().collect(),
            });
        }
        offset += chars.len();
    }
    let chars: Vec<char> = text.chars().collect();
    let paragraphs = built_lines
        .iter()
        .filter(|l| l.content_start < l.end)
        .map(|l| Paragraph {
            kind: if l.marker == Marker::None { ParagraphKind::Prose } else { ParagraphKind::ListItem },
            start: l.content_start,
            end: l.end,
            // A citation is not prose: its words stay out of sentence-level recognition.
            sentences: if kind == SectionKind::References {
                Vec::new()
            } else {
                sentences::split(&chars, l.content_start, l.end)
            },
        })
        .collect();
    let section =
        Section { kind, heading: None, text, paragraphs, table: Vec::new(), last_updated: block.last_updated.clone() };
    Built { section, lines: built_lines }
}

// ---------------------------------------------------------------------------------------------------------------
// Warnings about lists and citations.

/// Words that announce a list when they end a line (before any citation markers).
const ANNOUNCERS: &[&str] = &["include:", "includes:", "including:", "following:", "the following"];

/// Reports lists that are announced but have no item after them.
fn check_lists(built: &Built, warnings: &mut Vec<Warning>) {
    for (n, line) in built.lines.iter().enumerate() {
        if line.marker == Marker::Bullet {
            continue;
        }
        let bare = MARKER.replace_all(&line.content, "");
        let bare = bare.trim_end();
        let lower = bare.to_lowercase();
        if !ANNOUNCERS.iter().any(|a| lower.ends_with(a)) {
            continue;
        }
        if built.lines.get(n + 1).is_some_and(|next| next.marker == Marker::Bullet) {
            continue;
        }
        let words: Vec<&str> = bare.split_whitespace().collect();
        let quote =
            if words.len() > 8 { format!("...{}", words[words.len() - 8..].join(" ")) } else { words.join(" ") };
        warnings.push(Warning {
            code: WarningCode::EmptyList,
            message: format!("the list announced by {quote:?} has no items in the input"),
            section: Some(built.section.kind),
            line: Some(line.number),
        });
    }
}

/// Reports citation markers whose number has no reference (once per number).
fn check_citations(sections: &[Built], references: &[Reference], warnings: &mut Vec<Warning>) {
    let known: HashSet<u32> = references.iter().map(|r| r.number).collect();
    let mut reported: HashSet<u32> = HashSet::new();
    for built in sections.iter().filter(|b| b.section.kind != SectionKind::References) {
        for paragraph in &built.section.paragraphs {
            for sentence in &paragraph.sentences {
                for &number in &sentence.citations {
                    if known.contains(&number) || !reported.insert(number) {
                        continue;
                    }
                    let line = built.lines.iter().find(|l| l.start <= sentence.start && sentence.start <= l.end);
                    warnings.push(Warning {
                        code: WarningCode::DanglingCitation,
                        message: format!("citation [{number}] points to no reference in the page's list"),
                        section: Some(built.section.kind),
                        line: line.map(|l| l.number),
                    });
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// References.

/// Parses the numbered lines of a references section; a line without a number continues the reference above.
fn read_references(built: &Built, references: &mut Vec<Reference>, warnings: &mut Vec<Warning>) {
    let mut raw: Vec<(u32, String, usize)> = Vec::new();
    for line in &built.lines {
        if let Marker::Number(number) = line.marker {
            raw.push((number, line.content.trim().to_owned(), line.number));
            continue;
        }
        let lower = line.content.trim().to_lowercase();
        if let Some(last) = raw.last_mut()
            && lower != "references"
            && lower != "sources"
        {
            last.1.push(' ');
            last.1.push_str(line.content.trim());
        }
    }
    for (number, citation, line) in raw {
        if references.iter().any(|r: &Reference| r.number == number) {
            warnings.push(Warning {
                code: WarningCode::Duplicate,
                message: format!("reference {number} is listed twice; the first one is kept"),
                section: Some(SectionKind::References),
                line: Some(line),
            });
            continue;
        }
        let reference = parse_reference(number, &citation);
        if reference.title.is_none() {
            let start: String = citation.chars().take(60).collect();
            warnings.push(Warning {
                code: WarningCode::UnparsedReference,
                message: format!("reference {number} ({start:?}) has no recognizable title; only its text is kept"),
                section: Some(SectionKind::References),
                line: Some(line),
            });
        }
        references.push(reference);
    }
}

static URL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:https?://|www\.)\S+").unwrap());
static PUBMED_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:/pubmed/|pubmed\.ncbi\.nlm\.nih\.gov/)(\d{1,9})\b").unwrap());
static PMID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bpmid\s*[:=]?\s*(\d{1,9})\b").unwrap());
static PMCID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(PMC\d{1,9})\b").unwrap());
static DOI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:\bdoi\s*:\s*|doi\.org/)(10\.\d{4,9}/[^\s<>]+)").unwrap());
/// Identifier mentions removed before the citation is cut into parts.
static ID_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:doi|pmid|pmcid)\s*:?\s*\S+|\bPMC\d+\b").unwrap());
const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|fall|autumn|winter)\.?";
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:\d{{1,2}}\s+)?(?:{MONTH}(?:\s+\d{{1,2}})?,?\s+)?((?:1[5-9]|20)\d{{2}})(?:\s+{MONTH}(?:\s*-\s*{MONTH})?(?:\s+\d{{1,2}})?)?$"
    ))
    .unwrap()
});
static VOLUME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z]?\d+[A-Za-z]?)?\s*(?:\(([^()]{1,20})\))?\s*(?::\s*(\S.*?))?\s*\.?$").unwrap()
});

/// Strips punctuation that ends a sentence from a URL or identifier.
fn trim_url(url: &str) -> &str {
    url.trim_end_matches(['.', ',', ';', ')', ']', '>', '"', '\''])
}

/// Parses a citation in the GARD style `Authors. Title. Journal. Date; volume(issue):pages. URL.`; parts it
/// cannot find stay `None`.
fn parse_reference(number: u32, citation: &str) -> Reference {
    let mut reference = Reference { number, citation: citation.to_owned(), ..Reference::default() };
    reference.url = URL.find(citation).map(|m| trim_url(m.as_str()).to_owned());
    reference.pmid = PUBMED_PATH.captures(citation).or_else(|| PMID.captures(citation)).map(|c| c[1].to_owned());
    reference.pmcid = PMCID.captures(citation).map(|c| c[1].to_owned());
    reference.doi = DOI.captures(citation).map(|c| trim_url(&c[1]).to_owned());

    let bare = URL.replace_all(citation, "");
    let bare = ID_TEXT.replace_all(&bare, "");
    let mut parts: Vec<String> = cut_parts(&bare)
        .into_iter()
        .filter(|p| {
            let lower = p.to_lowercase();
            !["accessed", "available at", "available from", "epub", "cited", "retrieved"]
                .iter()
                .any(|w| lower.starts_with(w))
        })
        .collect();
    parts.retain(|p| !p.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation()).is_empty());

    let authors = parts.first().and_then(|p| author_list(p));
    let title_start = usize::from(authors.is_some());
    reference.authors = authors.unwrap_or_default();

    // The date part: the first part (after a title) holding a `;`-piece that is only a date.
    let dated = (title_start + 1..parts.len()).find_map(|d| {
        let pieces: Vec<&str> = parts[d].split(';').map(str::trim).collect();
        pieces.iter().position(|p| DATE.is_match(p)).map(|k| (d, pieces, k))
    });
    if let Some((d, pieces, k)) = dated {
        let date = pieces[k];
        reference.date = Some(date.to_owned());
        reference.year = YEAR.find(date).and_then(|y| y.as_str().parse().ok());
        for piece in &pieces[k + 1..] {
            if read_volume(piece, &mut reference) {
                break;
            }
        }
        let publisher = pieces[..k].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("; ");
        if d - title_start >= 2 {
            reference.title = Some(join_parts(&parts[title_start..d - 1]));
            reference.journal = Some(parts[d - 1].clone());
        } else {
            reference.title = Some(parts[title_start].clone());
            reference.journal = (!publisher.is_empty()).then_some(publisher);
        }
    } else if let Some(title) = parts.get(title_start) {
        reference.title = Some(title.clone());
        if parts.len() == title_start + 2 {
            reference.journal = Some(parts[title_start + 1].clone());
        }
    }
    reference
}

/// Joins parts cut by [`cut_parts`], giving back the period that the cut removed.
fn join_parts(parts: &[String]) -> String {
    let mut out = String::new();
    for part in parts {
        if !out.is_empty() {
            out.push_str(if out.ends_with(['?', '!']) { " " } else { ". " });
        }
        out.push_str(part);
    }
    out
}

/// `8:Article 1056`, `37(6):559-574`, `5(1):106-110`: sets volume, issue and pages; `false` if not such a piece.
fn read_volume(piece: &str, reference: &mut Reference) -> bool {
    let Some(caps) = VOLUME.captures(piece.trim()) else { return false };
    let (volume, issue, pages) = (caps.get(1), caps.get(2), caps.get(3));
    if volume.is_none() || (issue.is_none() && pages.is_none()) {
        return false;
    }
    reference.volume = volume.map(|m| m.as_str().to_owned());
    reference.issue = issue.map(|m| m.as_str().trim().to_owned());
    reference.pages = pages.map(|m| m.as_str().trim_end_matches('.').trim().to_owned()).filter(|p| !p.is_empty());
    true
}

/// Cuts a citation at `. ` (dropping the period) and after `? ` or `! ` (keeping the mark).
fn cut_parts(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        let ends = i + 1 == chars.len() || chars[i + 1].is_whitespace();
        if ends && matches!(chars[i], '.' | '?' | '!') {
            let stop = if chars[i] == '.' { i } else { i + 1 };
            push_part(&mut parts, &chars[start..stop]);
            start = i + 1;
        }
    }
    push_part(&mut parts, &chars[start.min(chars.len())..]);
    parts
}

fn push_part(parts: &mut Vec<String>, chars: &[char]) {
    let part = normalize_spaces(&chars.iter().collect::<String>());
    let part = part.trim_matches(|c: char| c == ';' || c == ',' || c.is_whitespace()).to_owned();
    if !part.is_empty() {
        parts.push(part);
    }
}

/// `Gupta S, Gupta A` gives the names; anything that is not a list of `Surname INITIALS` gives `None`.
fn author_list(part: &str) -> Option<Vec<String>> {
    let mut authors = Vec::new();
    for name in part.split(',').map(str::trim) {
        if name.eq_ignore_ascii_case("et al") {
            continue;
        }
        let words: Vec<&str> = name.split_whitespace().collect();
        let (initials, surname) = words.split_last()?;
        let initials_ok =
            (1..=4).contains(&initials.chars().count()) && initials.chars().all(|c| c.is_uppercase() || c == '-');
        let surname_ok = (1..=3).contains(&surname.len())
            && surname.iter().all(|w| {
                w.chars().all(|c| c.is_alphabetic() || matches!(c, '\'' | '\u{2019}' | '-'))
                    && (w.chars().next().is_some_and(char::is_uppercase)
                        || ["van", "von", "de", "der", "den", "da", "del", "di", "la", "le", "du"].contains(w))
            });
        if !initials_ok || !surname_ok {
            return None;
        }
        authors.push(name.to_owned());
    }
    (!authors.is_empty()).then_some(authors)
}

// ---------------------------------------------------------------------------------------------------------------
// Resources: registries, organizations, in-depth resources.

/// Verbs that end a resource's name in GARD's one-line descriptions ("Orphanet is a ...").
const NAME_ENDS: &[&str] = &[
    " provides ",
    " brings ",
    " is ",
    " are ",
    " offers ",
    " lists ",
    " has ",
    " contains ",
    " maintains ",
    " supports ",
    " collects ",
    " allows ",
    " helps ",
    " gives ",
    " includes ",
    " describes ",
    " answers ",
    " works ",
    " aims ",
    " funds ",
    " conducts ",
    " was ",
    " can ",
    " features ",
    " publishes ",
    " presents ",
];

/// The name at the start of a one-line description; the whole line when it is a short name with no verb.
fn resource_name(text: &str) -> Option<String> {
    let text = normalize_spaces(text);
    let padded = format!("{text} ");
    let cut = NAME_ENDS.iter().filter_map(|v| padded.find(v)).min();
    let name = match cut {
        Some(at) => padded[..at].trim().trim_end_matches(',').to_owned(),
        None if text.split_whitespace().count() <= 10 && !text.ends_with('.') => text.clone(),
        None => return None,
    };
    let words = name.split_whitespace().count();
    let starts_well = name.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    ((1..=10).contains(&words) && starts_well).then_some(name)
}

fn push_resource(resources: &mut Vec<Resource>, label: String, kind: ResourceKind, url: Option<String>) {
    if let Some(existing) = resources.iter_mut().find(|r| r.label == label && r.kind == kind) {
        if existing.url.is_none() {
            existing.url = url;
        }
        return;
    }
    resources.push(Resource { label, kind, url });
}

fn first_url(text: &str) -> Option<String> {
    URL.find(text).map(|m| trim_url(m.as_str()).to_owned())
}

fn collect_resources(built: &Built, resources: &mut Vec<Resource>) {
    match built.section.kind {
        SectionKind::Research => collect_research(built, resources),
        SectionKind::Organizations => collect_organizations(built, resources),
        SectionKind::Resources => {
            for line in built.lines.iter().filter(|l| l.marker == Marker::Bullet) {
                if let Some(name) = resource_name(&line.content) {
                    push_resource(resources, name, ResourceKind::InDepth, first_url(&line.content));
                }
            }
        }
        _ => {}
    }
}

/// Registries listed after `Registries for X:` (up to a blank line), and named clinical-research resources.
fn collect_research(built: &Built, resources: &mut Vec<Resource>) {
    let mut in_registries = false;
    let mut previous_line = 0;
    for line in &built.lines {
        let content = normalize_spaces(&line.content);
        let lower = content.to_lowercase();
        if in_registries && line.number != previous_line + 1 {
            in_registries = false;
        }
        previous_line = line.number;
        if (lower.starts_with("registries for") || lower.starts_with("registry for")) && content.contains(':') {
            in_registries = true;
            let inline = content.split_once(':').map_or("", |(_, rest)| rest.trim());
            if !inline.is_empty() {
                push_resource(resources, inline.to_owned(), ResourceKind::Registry, None);
            }
        } else if in_registries {
            let url = first_url(&content);
            let label = URL.replace_all(&content, "");
            let label = normalize_spaces(label.trim_end_matches(['.', ':']));
            if !label.is_empty() {
                push_resource(resources, label, ResourceKind::Registry, url);
            }
        } else if line.marker == Marker::Bullet {
            // "A registry supports research ..." explains registries; a named resource starts with its name.
            let first_word = content.split_whitespace().next().unwrap_or_default();
            if !["A", "An", "This", "These", "Learn", "Visit", "You"].contains(&first_word)
                && let Some(name) = resource_name(&content)
            {
                push_resource(resources, name, ResourceKind::Research, first_url(&content));
            }
        }
    }
}

/// Organizations: each bullet, or each paragraph after the `Organizations Supporting ...` line, opens with a
/// name; a URL in its lines is its website.
fn collect_organizations(built: &Built, resources: &mut Vec<Resource>) {
    let mut after_heading = false;
    let mut current: Option<(String, Option<String>)> = None;
    let mut previous_line = 0;
    let flush = |current: &mut Option<(String, Option<String>)>, resources: &mut Vec<Resource>| {
        if let Some((label, url)) = current.take() {
            push_resource(resources, label, ResourceKind::Organization, url);
        }
    };
    for line in &built.lines {
        let content = normalize_spaces(&line.content);
        let lower = content.to_lowercase();
        let paragraph_start = line.number != previous_line + 1;
        previous_line = line.number;
        if lower.starts_with("organizations supporting") || lower.starts_with("organizations that support") {
            flush(&mut current, resources);
            after_heading = true;
            continue;
        }
        let opens = line.marker == Marker::Bullet
            || (after_heading && paragraph_start && !is_contact_line(&lower) && !content.ends_with('.'));
        if opens {
            flush(&mut current, resources);
            let label = resource_name(&URL.replace_all(&content, ""));
            current = label.map(|l| (l, first_url(&content)));
        } else if let Some((_, url)) = current.as_mut()
            && url.is_none()
        {
            *url = first_url(&content);
        }
    }
    flush(&mut current, resources);
}

fn is_contact_line(lower: &str) -> bool {
    ["website", "web site", "e-mail", "email", "phone", "telephone", "toll-free", "fax", "tel:", "address"]
        .iter()
        .any(|w| lower.starts_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::SourceFormat;

    fn source(location: &str) -> Source {
        Source { format: SourceFormat::GardText, location: location.into(), url: None, content_sha256: String::new() }
    }

    const KETTLE: &str = include_str!("../../examples/99999-kettle-fever.txt");

    fn kettle() -> Page {
        read(KETTLE, source("examples/99999-kettle-fever.txt")).unwrap()
    }

    fn span(section: &Section, start: usize, end: usize) -> String {
        section.text.chars().skip(start).take(end - start).collect()
    }

    /// Offsets of every paragraph and sentence give back their text.
    fn assert_offsets(page: &Page) {
        for section in &page.sections {
            for paragraph in &section.paragraphs {
                assert!(paragraph.start < paragraph.end && paragraph.end <= section.text.chars().count());
                for sentence in &paragraph.sentences {
                    assert_eq!(span(section, sentence.start, sentence.end), sentence.text);
                    assert!(paragraph.start <= sentence.start && sentence.end <= paragraph.end);
                }
            }
        }
    }

    /// Every non-empty input line is in a section's text or is a header field.
    fn assert_nothing_dropped(text: &str, page: &Page) {
        for line in text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()) {
            let header = is_program_header(line)
                || normalize_spaces(line) == page.title
                || field(line, "Other Names:").is_some()
                || field(line, "Categories:").is_some()
                || date_line(line).is_some()
                || line.split(';').all(|s| {
                    let s = normalize_spaces(s).to_lowercase();
                    s == page.title.to_lowercase() || page.synonyms.iter().any(|n| n.to_lowercase() == s)
                });
            let kept = page.sections.iter().any(|s| s.text.contains(line));
            assert!(header || kept, "line dropped: {line:?}");
        }
    }

    #[test]
    fn header_fields() {
        let page = kettle();
        assert_eq!(page.title, "Kettle fever");
        assert_eq!(page.synonyms, ["Kettle fever syndrome", "KTF", "Boiling water fever"]);
        assert_eq!(page.gard_id, None);
        assert_eq!(page.source.location, "examples/99999-kettle-fever.txt");
        assert!(page.warnings.iter().all(|w| w.code != WarningCode::Skipped), "{:?}", page.warnings);
    }

    #[test]
    fn sections_are_classified_and_dated() {
        let page = kettle();
        let kinds: Vec<_> = page.sections.iter().map(|s| (s.kind, s.last_updated.as_deref())).collect();
        assert_eq!(
            kinds,
            [
                (SectionKind::Summary, Some("2021-03-14")),
                (SectionKind::Symptoms, Some("2021-03-15")),
                (SectionKind::Cause, Some("2021-03-15")),
                (SectionKind::Treatment, Some("2021-04-02")),
                (SectionKind::Prevalence, Some("2021-04-02")),
                (SectionKind::Research, None),
                (SectionKind::Organizations, None),
                (SectionKind::Resources, None),
                (SectionKind::Questions, None),
                (SectionKind::References, None),
            ]
        );
        assert_offsets(&page);
        assert_nothing_dropped(KETTLE, &page);
        // The date line is not part of the text; the blank line before it is trimmed away.
        let treatment = page.section(SectionKind::Treatment).unwrap();
        assert!(treatment.text.ends_with("A hearing test every year."), "{:?}", treatment.text);
    }

    #[test]
    fn sentences_carry_their_citations() {
        let page = kettle();
        let summary = page.section(SectionKind::Summary).unwrap();
        let first = &summary.paragraphs[0].sentences;
        assert_eq!(first.len(), 4);
        assert!(first[0].text.starts_with("Kettle fever is an imaginary inherited disorder"));
        assert!(first[0].text.ends_with("every few weeks."));
        assert_eq!(first[0].citations, [1, 2]);
        assert_eq!(first[1].text, "During a bout, children may have seizures, vomiting, and diarrhea.");
        assert_eq!(first[2].citations, [3]);
        assert!(first[3].citations.is_empty());
        assert_eq!(summary.paragraphs.len(), 2);
    }

    #[test]
    fn list_items_and_bullets() {
        let page = kettle();
        let symptoms = page.section(SectionKind::Symptoms).unwrap();
        let items: Vec<_> = symptoms
            .paragraphs
            .iter()
            .filter(|p| p.kind == ParagraphKind::ListItem)
            .map(|p| span(symptoms, p.start, p.end))
            .collect();
        assert_eq!(
            items,
            [
                "Fever that lasts three to five days",
                "Skin rash on the arms and legs",
                "Failure to thrive in infants",
                "Hearing impairment in older children[4]"
            ]
        );
        let last = symptoms.paragraphs.iter().rfind(|p| p.kind == ParagraphKind::ListItem).unwrap();
        assert_eq!(last.sentences[0].text, "Hearing impairment in older children");
        assert_eq!(last.sentences[0].citations, [4]);
        let treatment = page.section(SectionKind::Treatment).unwrap();
        assert_eq!(treatment.paragraphs.iter().filter(|p| p.kind == ParagraphKind::ListItem).count(), 3);
    }

    #[test]
    fn empty_announced_list_is_reported_once() {
        let page = kettle();
        let empty: Vec<_> = page.warnings.iter().filter(|w| w.code == WarningCode::EmptyList).collect();
        assert_eq!(empty.len(), 1, "{:?}", page.warnings);
        assert_eq!(empty[0].section, Some(SectionKind::Symptoms));
        assert_eq!(empty[0].line, Some(22));
        assert!(empty[0].message.contains("described include:"), "{}", empty[0].message);
        assert_eq!(page.warnings.len(), 1, "{:?}", page.warnings);
    }

    #[test]
    fn references_are_parsed() {
        let page = kettle();
        assert_eq!(page.references.len(), 4);
        let r1 = page.reference(1).unwrap();
        assert_eq!(r1.authors, ["Teapot A", "Spout B", "Handle C"]);
        assert_eq!(r1.title.as_deref(), Some("Recurrent fevers in children with KTL1 variants"));
        assert_eq!(r1.journal.as_deref(), Some("J Imag Pediatr"));
        assert_eq!(r1.date.as_deref(), Some("March, 2019"));
        assert_eq!(r1.year, Some(2019));
        assert_eq!(
            (r1.volume.as_deref(), r1.issue.as_deref(), r1.pages.as_deref()),
            (Some("12"), Some("3"), Some("201-209"))
        );
        assert_eq!(r1.pmid.as_deref(), Some("11111111"));
        assert_eq!(r1.url.as_deref(), Some("https://www.ncbi.nlm.nih.gov/pubmed/11111111"));
        let r2 = page.reference(2).unwrap();
        assert_eq!(r2.pmcid.as_deref(), Some("PMC2222222"));
        assert_eq!(r2.pmid, None);
        assert_eq!((r2.volume.as_deref(), r2.pages.as_deref()), (Some("5"), Some("Article 88")));
        let r3 = page.reference(3).unwrap();
        assert!(r3.authors.is_empty());
        assert_eq!(r3.title.as_deref(), Some("Infections in kettle fever"));
        assert_eq!(r3.journal.as_deref(), Some("Imaginary Health Library"));
        assert_eq!(r3.date.as_deref(), Some("May 3, 2018"));
        assert_eq!(r3.doi.as_deref(), Some("10.5555/ktf.2018.003"));
        assert_eq!(r3.url, None);
        let r4 = page.reference(4).unwrap();
        assert_eq!(r4.pmid.as_deref(), Some("33333333"));
        assert_eq!(r4.title.as_deref(), Some("Kettle fever in one town: a survey. A cohort study"));
        assert_eq!(r4.journal.as_deref(), Some("Journal of Invented Epidemiology"));
        assert_eq!(r4.year, Some(2017));
        assert!(r4.citation.starts_with("Steam L, Boil M."));
    }

    #[test]
    fn resources_are_named() {
        let page = kettle();
        let resources: Vec<_> = page.resources.iter().map(|r| (r.label.as_str(), r.kind, r.url.as_deref())).collect();
        assert_eq!(
            resources,
            [
                ("International Kettle Fever Registry", ResourceKind::Registry, None),
                ("Kettle Fever Family Network", ResourceKind::Organization, Some("https://kettle-fever.example.org/")),
                ("Orphanet", ResourceKind::InDepth, None),
                ("The Monarch Initiative", ResourceKind::InDepth, None),
                ("PubMed", ResourceKind::InDepth, None),
            ]
        );
    }

    #[test]
    fn reference_styles() {
        let r = parse_reference(
            1,
            "Smith J, Jones K, et al. Fevers? A study. Lancet. 2017 Aug;37(6):559-74. doi: 10.1000/xyz.1. PMID: 123456.",
        );
        assert_eq!(r.authors, ["Smith J", "Jones K"]);
        assert_eq!(r.title.as_deref(), Some("Fevers? A study"));
        assert_eq!(r.journal.as_deref(), Some("Lancet"));
        assert_eq!((r.date.as_deref(), r.year), (Some("2017 Aug"), Some(2017)));
        assert_eq!(
            (r.volume.as_deref(), r.issue.as_deref(), r.pages.as_deref()),
            (Some("37"), Some("6"), Some("559-74"))
        );
        assert_eq!((r.doi.as_deref(), r.pmid.as_deref()), (Some("10.1000/xyz.1"), Some("123456")));
        let r = parse_reference(2, "Kettle fever. Imaginary Encyclopedia. https://example.org/kettle.");
        assert_eq!(
            (r.title.as_deref(), r.journal.as_deref(), r.date.as_deref()),
            (Some("Kettle fever"), Some("Imaginary Encyclopedia"), None)
        );
        assert_eq!(r.url.as_deref(), Some("https://example.org/kettle"));
        let r = parse_reference(3, "https://doi.org/10.5555/abc");
        assert_eq!((r.title, r.doi.as_deref()), (None, Some("10.5555/abc")));
    }

    #[test]
    fn unparsed_and_dangling_are_reported() {
        let text =
            "Kettle fever\n\nKettle fever is made up.[7]\nLast updated: 1/2/2020\n\n  1. https://example.org/x\n";
        let page = read(text, source("t.txt")).unwrap();
        let codes: Vec<_> = page.warnings.iter().map(|w| (w.code, w.line)).collect();
        assert_eq!(codes, [(WarningCode::UnparsedReference, Some(6)), (WarningCode::DanglingCitation, Some(3))]);
        assert_eq!(page.section(SectionKind::Summary).unwrap().last_updated.as_deref(), Some("2020-01-02"));
        assert_eq!(page.references[0].url.as_deref(), Some("https://example.org/x"));
    }

    #[test]
    fn unknown_blocks_are_kept_as_other() {
        let text = "Kettle fever\n\nIt is made up.\nLast updated: 01/02/2020\n\nThe moon is bright tonight.\nLast updated: 01/03/2020\n";
        let page = read(text, source("t.txt")).unwrap();
        let other = page.section(SectionKind::Other).unwrap();
        assert_eq!(other.text, "The moon is bright tonight.");
        assert_eq!(page.warnings[0].code, WarningCode::UnknownSection);
        assert_eq!(page.warnings[0].line, Some(6));
    }

    #[test]
    fn order_does_not_decide_the_kind() {
        // Treatment before symptoms, no header, no Other Names; a summary-less page opening with symptoms.
        let text = "Kettle fever\nLast updated: 01/01/2020\nKettle fever is made up.\nLast updated: 01/02/2020\nTreatment is rest.\nLast updated: 01/03/2020\nMost symptoms are mild.\nLast updated: 01/04/2020\n";
        let page = read(text, source("t.txt")).unwrap();
        let kinds: Vec<_> = page.sections.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [SectionKind::Summary, SectionKind::Treatment, SectionKind::Symptoms]);
        // The date line right after the title has no text before it: reported, not dropped.
        assert_eq!(page.warnings[0].code, WarningCode::Skipped);
        let page = read("Kettle fever\n\nSymptoms of kettle fever are mild.\n", source("t.txt")).unwrap();
        assert_eq!(page.sections[0].kind, SectionKind::Symptoms);
        let page = read("Inherited kettle fever\n\nInherited kettle fever is made up.\n", source("t.txt")).unwrap();
        assert_eq!(page.sections[0].kind, SectionKind::Summary);
    }

    #[test]
    fn title_rules() {
        let page = read("Kettle fever", source("t.txt")).unwrap();
        assert_eq!(page.title, "Kettle fever");
        assert!(page.sections.is_empty());
        let err = read("Other Names:\nA; B\n", source("t.txt")).unwrap_err();
        assert!(err.to_string().starts_with("t.txt: the page has no title (line 1 is the field"), "{err}");
        let header_only = &KETTLE[..KETTLE.find('\n').unwrap()];
        assert!(matches!(read(header_only, source("t.txt")), Err(SourceError::NoTitle { .. })));
        let prose = "Kettle fever is a made-up disease of people who own far too many kettles.[1] It is rare.\n";
        assert!(matches!(read(prose, source("t.txt")), Err(SourceError::NoTitle { .. })));
        let page =
            read("\u{feff}Kettle\u{a0}fever\r\nOther Names: KTF; Kettle\u{a0}fever\r\n", source("t.txt")).unwrap();
        assert_eq!((page.title.as_str(), page.synonyms.as_slice()), ("Kettle fever", &["KTF".to_owned()][..]));
    }

    #[test]
    fn categories_are_reported_when_present() {
        let page =
            read("Kettle fever\nCategories: Fevers; Kitchen diseases\n\nKettle fever is made up.\n", source("t.txt"))
                .unwrap();
        assert_eq!(page.warnings[0].code, WarningCode::Skipped);
        assert!(page.warnings[0].message.contains("Kitchen diseases"));
        assert_eq!(page.sections[0].text, "Kettle fever is made up.");
    }

    #[test]
    fn garbage_and_cut_pages_never_panic() {
        let cut_points: Vec<usize> = (0..=KETTLE.len()).filter(|&i| KETTLE.is_char_boundary(i)).collect();
        for &end in cut_points.iter().step_by(97) {
            if let Ok(page) = read(&KETTLE[..end], source("cut.txt")) {
                assert_offsets(&page);
            }
            let _ = read(&KETTLE[end..], source("cut.txt"));
        }
        // Deterministic pseudo-random bytes made into text.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for round in 0..200 {
            let bytes: Vec<u8> = (0..(round * 13) % 900)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    // Bias toward the characters the reader reacts to.
                    let pick = b"\n .:;[]1-\xe2\x80\xa2\xc2\xa0Last updated: 01/02/2020 1. http://x/pubmed/1 include:";
                    let [_, random, _, _, _, _, _, _] = state.to_le_bytes();
                    if state.is_multiple_of(3) { random } else { pick[usize::from(random) % pick.len()] }
                })
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(page) = read(&text, source("garbage.txt")) {
                assert_offsets(&page);
            }
        }
        for text in [
            "",
            "\n\n\n",
            "\u{2022}",
            "  1. ",
            "Last updated: 99/99/9999",
            "A\n  1.\n  2. B. C. 2019;",
            "x\n[",
            "x\n.[1",
        ] {
            let _ = read(text, source("g.txt"));
        }
    }

    /// The reference page, checked fact by fact.
    #[test]
    fn shared_reference_page() {
        let Some(shared) = std::env::var_os("GARDKG_SHARED") else { return };
        let path = std::path::Path::new(&shared).join("corpus/gard-pages/12547-selective-igm-deficiency.txt");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let page = read(&text, source(&path.display().to_string())).unwrap();
        assert_eq!(page.title, "Selective IgM deficiency");
        assert_eq!(page.synonyms, ["Selective immunoglobulin M deficiency", "SIgMD"]);
        let kinds: Vec<_> = page.sections.iter().map(|s| (s.kind, s.last_updated.as_deref())).collect();
        assert_eq!(
            kinds,
            [
                (SectionKind::Summary, Some("2017-12-20")),
                (SectionKind::Symptoms, Some("2017-12-21")),
                (SectionKind::Cause, Some("2017-12-27")),
                (SectionKind::Treatment, Some("2017-12-27")),
                (SectionKind::Prevalence, Some("2017-12-27")),
                (SectionKind::Research, None),
                (SectionKind::Organizations, None),
                (SectionKind::Resources, None),
                (SectionKind::Questions, None),
                (SectionKind::References, None),
            ]
        );
        assert_offsets(&page);
        assert_nothing_dropped(&text, &page);
        let cuts: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).step_by(97).collect();
        for &cut in &cuts {
            if let Ok(cut_page) = read(&text[..cut], source("cut.txt")) {
                assert_offsets(&cut_page);
            }
        }

        let first = &page.sections[0].paragraphs[0].sentences[0];
        assert_eq!(first.citations, [1, 2]);
        assert!(first.text.starts_with("Selective IgM deficiency (SIgMD) is a rare immune disorder"));

        assert_eq!(page.references.len(), 6);
        assert_eq!(page.reference(2).unwrap().pmcid.as_deref(), Some("PMC5591887"));
        assert_eq!(page.reference(5).unwrap().pmid.as_deref(), Some("26928000"));
        let r6 = page.reference(6).unwrap();
        assert_eq!(r6.pmid.as_deref(), Some("28730517"));
        assert_eq!(r6.authors.len(), 7);
        assert_eq!(r6.authors[0], "Chovancova Z");
        assert_eq!(r6.journal.as_deref(), Some("J Clin Immunol"));
        assert_eq!(r6.year, Some(2017));
        assert_eq!(
            (r6.volume.as_deref(), r6.issue.as_deref(), r6.pages.as_deref()),
            (Some("37"), Some("6"), Some("559-574"))
        );
        let r1 = page.reference(1).unwrap();
        assert_eq!(
            (r1.authors.as_slice(), r1.title.as_deref()),
            (&["Krishnaswamy G".to_owned()][..], Some("Selective IgM deficiency"))
        );
        assert_eq!((r1.journal.as_deref(), r1.year), (Some("UpToDate"), Some(2017)));
        let r2 = page.reference(2).unwrap();
        assert_eq!(
            (r2.volume.as_deref(), r2.pages.as_deref(), r2.journal.as_deref()),
            (Some("8"), Some("Article 1056"), Some("Front Immunol"))
        );
        let r3 = page.reference(3).unwrap();
        assert!(r3.authors.is_empty());
        assert_eq!(
            (r3.journal.as_deref(), r3.date.as_deref()),
            (Some("KidsHealth from Nemours"), Some("August, 2014"))
        );
        let r5 = page.reference(5).unwrap();
        assert_eq!(r5.journal.as_deref(), Some("International Journal of Mycobacteriology"));
        assert_eq!(
            (r5.volume.as_deref(), r5.issue.as_deref(), r5.pages.as_deref()),
            (Some("5"), Some("1"), Some("106-110"))
        );

        let resources: Vec<_> = page.resources.iter().map(|r| (r.label.as_str(), r.kind)).collect();
        assert_eq!(
            resources,
            [
                ("European Society for Immunodeficiencies (ESID) Registry", ResourceKind::Registry),
                ("Medscape Reference", ResourceKind::InDepth),
                ("The Monarch Initiative", ResourceKind::InDepth),
                ("Orphanet", ResourceKind::InDepth),
                ("PubMed", ResourceKind::InDepth),
            ]
        );
        assert!(page.resources.iter().all(|r| r.url.is_none()));

        assert_eq!(page.warnings.len(), 1, "{:?}", page.warnings);
        let warning = &page.warnings[0];
        assert_eq!(
            (warning.code, warning.section, warning.line),
            (WarningCode::EmptyList, Some(SectionKind::Symptoms), Some(24))
        );
        assert!(warning.message.contains("include:"), "{}", warning.message);
    }
}
