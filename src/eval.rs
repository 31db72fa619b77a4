//! Scoring recognition against gold files (`gardkg eval`).
//!
//! Gold and prediction files share one TSV format (`file section start end text kind id negated frequency`, see
//! [`HEADER`]): one row per phenotype, condition or treatment mention (a `char` span of a section's text) or per
//! page-level reference or identifier. [`read_tsv`] parses a file, [`Corpus::load`] reads the pages the rows name
//! and [`Corpus::check`] verifies every span row against its page (the `text` column must be the section text at
//! `[start, end)`). [`predict`] runs the recognizer on each page and turns its [`Annotations`] into rows
//! ([`rows_from_annotations`]); [`score`] compares two row sets.
//!
//! Matching: a predicted row matches a gold row when file, kind, id and negation are equal and, for span rows, the
//! section is the same and the spans overlap; each gold row matches at most one predicted row and each predicted
//! row at most one gold row (a maximum matching, preferring equal frequencies and larger overlaps). Page-level
//! kinds compare the sets of ids of each file.
//!
//! Scope: only what the gold covers is scored. A kind is scored for a file only when the gold has rows of that
//! kind for it (so a phenotype-only gold does not punish reference predictions), and a predicted span row counts
//! only inside a sentence of the sections the kind is read from (summary and symptoms for phenotypes and
//! conditions, treatment for treatments): table rows and other sections are out of scope. What was left out is
//! counted in [`Report::not_scored`].
//!
//! Frequency is scored over phenotype rows with a frequency: a predicted row is right when it matches a gold row
//! whose frequency is the same. A predicted number of patients (a percentage, a ratio) is compared through the HPO
//! frequency term whose definition's range holds it ([`Frequency::hpo_term`]), as curators bin numbers.
//!
//! Phenotypes per page (`phenotype-page`) is what a curator of a disease's annotations counts: each page's set of
//! (HPO id, negated) pairs, gold against predicted, wherever and however often the page mentions them. It uses the
//! same scope as the mention-level phenotype measure.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::mappings::Mappings;
use crate::model::{build, vocab};
use crate::page::{Page, SectionKind};
use crate::pipeline::Pipeline;
use crate::recognize::phenotypes::Rule;
use crate::recognize::{Annotations, Evidence, Ontology};
use crate::source::{self, ReadOptions};

pub mod errors;

/// The header line of gold and prediction files.
pub const HEADER: &str = "file\tsection\tstart\tend\ttext\tkind\tid\tnegated\tfrequency";

/// The HPO frequency terms a row's `frequency` column may hold (`HP:0040280` always ... `HP:0040285` excluded).
pub const FREQUENCY_TERMS: [&str; 6] =
    ["HP:0040280", "HP:0040281", "HP:0040282", "HP:0040283", "HP:0040284", "HP:0040285"];

/// Identifier prefixes of [`Kind::Identifier`] rows.
const IDENTIFIER_PREFIXES: [&str; 5] = ["GARD:", "Orphanet:", "MONDO:", "OMIM:", "UMLS:"];

/// Why gold or predictions could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read or written.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error (in the message, not as a source, so that error chains do not repeat it).
        error: std::io::Error,
    },
    /// A row of a TSV file is malformed or does not agree with its page.
    #[error("{path}: line {line}: {reason}")]
    Tsv {
        /// The TSV file.
        path: String,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A page named by the rows could not be read.
    #[error("{path}: line {line}: page {file}: {reason}")]
    Page {
        /// The TSV file that first names the page.
        path: String,
        /// The 1-based line that first names it.
        line: usize,
        /// The page, relative to the corpus root.
        file: String,
        /// What went wrong.
        reason: String,
    },
    /// A row cannot be written in the TSV format.
    #[error("cannot write the row of {file} ({kind} {id}): {reason}")]
    Unwritable {
        /// The page.
        file: String,
        /// The row's kind.
        kind: Kind,
        /// The row's id.
        id: String,
        /// What is wrong.
        reason: String,
    },
}

/// What a row states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A phenotype mention (`HP:` id).
    Phenotype,
    /// A condition the disease occurs with (`Orphanet:`, `OMIM:`, `MONDO:` id, or none).
    Condition,
    /// A treatment mention (`MAXO:` id).
    Treatment,
    /// A reference of the page (`PMID:`, `PMCID:`, `doi:` or URL).
    Reference,
    /// An identifier of the page's disease (`GARD:`, `Orphanet:`, `MONDO:`, `OMIM:`, `UMLS:`).
    Identifier,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 5] = [Kind::Phenotype, Kind::Condition, Kind::Treatment, Kind::Reference, Kind::Identifier];

    /// The name in the `kind` column.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Phenotype => "phenotype",
            Kind::Condition => "condition",
            Kind::Treatment => "treatment",
            Kind::Reference => "reference",
            Kind::Identifier => "identifier",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether rows of this kind are about the whole page (no section or span).
    pub fn is_page_level(self) -> bool {
        matches!(self, Kind::Reference | Kind::Identifier)
    }

    /// The sections whose sentences rows of this kind are read from (empty for page-level kinds).
    pub fn sections(self) -> &'static [SectionKind] {
        match self {
            Kind::Phenotype | Kind::Condition => &[SectionKind::Summary, SectionKind::Symptoms],
            Kind::Treatment => &[SectionKind::Treatment],
            Kind::Reference | Kind::Identifier => &[],
        }
    }

    /// Whether `id` has the form the gold format gives this kind.
    pub fn accepts_id(self, id: &str) -> bool {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let seven = |s: &str| s.len() == 7 && digits(s);
        let prefixed = |prefix: &str, check: &dyn Fn(&str) -> bool| id.strip_prefix(prefix).is_some_and(check);
        match self {
            Kind::Phenotype => prefixed("HP:", &seven),
            Kind::Treatment => prefixed("MAXO:", &seven),
            Kind::Condition => {
                id.is_empty()
                    || prefixed("Orphanet:", &digits)
                    || prefixed("OMIM:", &digits)
                    || prefixed("MONDO:", &seven)
            }
            Kind::Reference => {
                prefixed("PMID:", &digits)
                    || prefixed("PMCID:PMC", &digits)
                    || prefixed("doi:10.", &|s: &str| s.contains('/'))
                    || prefixed("http://", &|s: &str| !s.is_empty())
                    || prefixed("https://", &|s: &str| !s.is_empty())
            }
            Kind::Identifier => {
                prefixed("GARD:", &seven)
                    || prefixed("Orphanet:", &digits)
                    || prefixed("MONDO:", &seven)
                    || prefixed("OMIM:", &digits)
                    || prefixed("UMLS:C", &digits)
            }
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a line of the report measures: a kind of row, or the frequencies of the phenotype rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// Phenotype rows.
    Phenotype,
    /// Phenotypes per page: the set of (id, negated) of each page, wherever mentioned.
    PhenotypePage,
    /// Frequencies of phenotype rows.
    Frequency,
    /// Condition rows.
    Condition,
    /// Treatment rows.
    Treatment,
    /// Reference rows.
    Reference,
    /// Identifier rows.
    Identifier,
}

impl Measure {
    /// Every measure, in report order.
    pub const ALL: [Measure; 7] = [
        Measure::Phenotype,
        Measure::PhenotypePage,
        Measure::Frequency,
        Measure::Condition,
        Measure::Treatment,
        Measure::Reference,
        Measure::Identifier,
    ];

    /// The name in reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Frequency => "frequency",
            Measure::PhenotypePage => "phenotype-page",
            other => other.kind().name(),
        }
    }

    /// The kind of row measured (phenotype rows for frequency).
    pub fn kind(self) -> Kind {
        match self {
            Measure::Phenotype | Measure::PhenotypePage | Measure::Frequency => Kind::Phenotype,
            Measure::Condition => Kind::Condition,
            Measure::Treatment => Kind::Treatment,
            Measure::Reference => Kind::Reference,
            Measure::Identifier => Kind::Identifier,
        }
    }
}

/// Where a span row sits: a section of the page and a `char` span of its text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// Index into `page.sections`.
    pub section: usize,
    /// Offset of the first `char` in the section text.
    pub start: usize,
    /// Offset one past the last `char`.
    pub end: usize,
}

impl Span {
    /// Whether the two spans share a `char` of the same section.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.section == other.section && self.start < other.end && other.start < self.end
    }

    /// How many `char`s the two spans share.
    fn overlap(&self, other: &Span) -> usize {
        if self.section == other.section {
            self.end.min(other.end).saturating_sub(self.start.max(other.start))
        } else {
            0
        }
    }
}

/// Where a row was read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Origin {
    /// The TSV file, as given.
    pub path: String,
    /// The 1-based line.
    pub line: usize,
}

/// One gold or predicted row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Row {
    /// The page, relative to the corpus root (`medquad-gard/0000100.xml`).
    pub file: String,
    /// The section and span (span kinds), or `None` (page-level kinds).
    pub span: Option<Span>,
    /// The words at the span, or a short label for page-level rows.
    pub text: String,
    /// What the row states.
    pub kind: Kind,
    /// The CURIE (or URL for a reference); empty for a condition no pinned lexicon names.
    pub id: String,
    /// Whether the page states the phenotype is absent.
    pub negated: bool,
    /// The HPO frequency term of the mention, when the sentence states one.
    pub frequency: Option<String>,
    /// Where the row was read (`None` for rows made by [`predict`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// The rule family that found a predicted phenotype (`None` for gold rows and other kinds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
}

impl Row {
    /// Whether the row only declares that the gold covers its kind on its page (a `# scope:` line).
    pub fn is_scope(&self) -> bool {
        self.span.is_none() && !self.kind.is_page_level()
    }

    /// The row as a TSV line (without the newline).
    pub fn to_tsv(&self) -> String {
        let (section, start, end) = match self.span {
            Some(s) => (s.section.to_string(), s.start.to_string(), s.end.to_string()),
            None => ("-".to_owned(), "-".to_owned(), "-".to_owned()),
        };
        format!(
            "{}\t{section}\t{start}\t{end}\t{}\t{}\t{}\t{}\t{}",
            self.file,
            self.text,
            self.kind,
            self.id,
            self.negated,
            self.frequency.as_deref().unwrap_or("")
        )
    }

    /// The sort key of reports: page, span rows in text order, then page-level rows; kind, id.
    fn sort_key(&self) -> (&str, bool, Option<Span>, Kind, &str, bool) {
        (&self.file, self.span.is_none(), self.span, self.kind, &self.id, self.negated)
    }

    /// What must be equal for two rows to match (besides overlapping spans).
    fn match_key(&self) -> (&str, Kind, &str, bool, Option<usize>) {
        (&self.file, self.kind, &self.id, self.negated, self.span.map(|s| s.section))
    }

    fn origin_text(&self) -> String {
        self.origin.as_ref().map_or_else(|| "gardkg".to_owned(), |o| format!("{}:{}", o.path, o.line))
    }
}

/// Parses the text of a gold or prediction file; `path` names it in errors. Rows are checked for form only:
/// [`Corpus::check`] checks them against their pages.
pub fn parse_tsv(text: &str, path: &str) -> Result<Vec<Row>, EvalError> {
    let error = |line: usize, reason: String| EvalError::Tsv { path: path.to_owned(), line, reason };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut header_seen = false;
    for (n, line) in text.split('\n').enumerate() {
        let line_no = n + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(scope) = line.strip_prefix("# scope:") {
            rows.extend(parse_scope(scope).map_err(|reason| error(line_no, reason))?.into_iter().map(|mut row| {
                row.origin = Some(Origin { path: path.to_owned(), line: line_no });
                row
            }));
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            if line != HEADER {
                return Err(error(line_no, format!("expected the header line {HEADER:?}, found {line:?}")));
            }
            header_seen = true;
            continue;
        }
        rows.push(parse_row(line).map_err(|reason| error(line_no, reason)).map(|mut row| {
            row.origin = Some(Origin { path: path.to_owned(), line: line_no });
            row
        })?);
    }
    if !header_seen {
        return Err(error(1, format!("no header line (expected {HEADER:?})")));
    }
    Ok(rows)
}

/// Parses a scope line, `# scope: FILE KIND [KIND ...]`: the gold covers these kinds of that page even where it
/// has no row of them (a page the curator found no phenotype in), so predictions there are scored as false
/// positives. Each kind becomes a scope marker: a row of a span kind without a span ([`Row::is_scope`]).
fn parse_scope(scope: &str) -> Result<Vec<Row>, String> {
    let mut words = scope.split_whitespace();
    let file = words.next().ok_or("a scope line names a file and kinds")?;
    if file.starts_with('/') || file.split('/').any(|part| part == "..") {
        return Err(format!("file {file:?} is not a path relative to the corpus root"));
    }
    let rows: Vec<Row> = words
        .map(|name| {
            let kind = Kind::from_name(name).ok_or_else(|| format!("unknown kind {name:?} in a scope line"))?;
            if kind.is_page_level() {
                return Err(format!("a scope line covers span kinds only, not {name:?}"));
            }
            Ok(Row {
                file: file.to_owned(),
                span: None,
                text: String::new(),
                kind,
                id: String::new(),
                negated: false,
                frequency: None,
                origin: None,
                rule: None,
            })
        })
        .collect::<Result<_, String>>()?;
    if rows.is_empty() {
        return Err("a scope line names a file and at least one kind".to_owned());
    }
    Ok(rows)
}

/// Parses one data line.
fn parse_row(line: &str) -> Result<Row, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [file, section, start, end, text, kind, id, negated, frequency] = fields.as_slice() else {
        return Err(format!("expected 9 tab-separated columns, found {}", fields.len()));
    };
    if file.is_empty() || file.starts_with('/') || file.split('/').any(|part| part == "..") {
        return Err(format!("file {file:?} is not a path relative to the corpus root"));
    }
    let kind = Kind::from_name(kind).ok_or_else(|| {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        format!("unknown kind {kind:?} (expected one of {})", names.join(", "))
    })?;
    let number = |name: &str, value: &str| {
        value.parse::<usize>().map_err(|_| format!("{name} {value:?} is not a number (or `-` for a page-level row)"))
    };
    let span = if kind.is_page_level() {
        if [section, start, end].iter().any(|v| **v != "-") {
            return Err(format!("a {kind} row is page-level: section, start and end must be `-`"));
        }
        None
    } else {
        let span =
            Span { section: number("section", section)?, start: number("start", start)?, end: number("end", end)? };
        if span.start >= span.end {
            return Err(format!("start {} is not before end {}", span.start, span.end));
        }
        Some(span)
    };
    if text.is_empty() {
        return Err("the text column is empty".to_owned());
    }
    if !kind.accepts_id(id) {
        return Err(format!("id {id:?} is not a {kind} id"));
    }
    let negated = match *negated {
        "true" => true,
        "false" => false,
        other => return Err(format!("negated must be `true` or `false`, found {other:?}")),
    };
    let frequency = match *frequency {
        "" => None,
        f if kind == Kind::Phenotype && FREQUENCY_TERMS.contains(&f) => Some(f.to_owned()),
        f if kind == Kind::Phenotype => {
            return Err(format!("frequency {f:?} is not an HPO frequency term ({})", FREQUENCY_TERMS.join(", ")));
        }
        f => return Err(format!("frequency {f:?} given to a {kind} row (phenotype rows only)")),
    };
    Ok(Row {
        file: (*file).to_owned(),
        span,
        text: (*text).to_owned(),
        kind,
        id: (*id).to_owned(),
        negated,
        frequency,
        origin: None,
        rule: None,
    })
}

/// Reads and parses a gold or prediction file.
pub fn read_tsv(path: &Path) -> Result<Vec<Row>, EvalError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| EvalError::Io { path: shown.clone(), error })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset].split(|&b| b == b'\n').count();
        EvalError::Tsv { path: shown.clone(), line, reason: format!("not valid UTF-8 (byte {offset})") }
    })?;
    parse_tsv(&text, &shown)
}

/// The `.tsv` files among `inputs`: files as given, directories searched recursively (sorted). A folder whose name
/// starts with [`HELD_OUT_PREFIX`] inside a searched directory is skipped: held-out gold is scored only when named
/// itself (`gardkg eval --held-out DIR`), never mixed into the dev gold by a search of its parent.
pub fn tsv_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, EvalError> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), EvalError> {
        let io = |error| EvalError::Io { path: dir.display().to_string(), error };
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(dir).map_err(io)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>().map_err(io)?;
        entries.sort();
        for path in entries {
            if path.is_dir() {
                let held_out = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with(HELD_OUT_PREFIX));
                if !held_out {
                    walk(&path, out)?;
                }
            } else if path.extension().is_some_and(|e| e == "tsv") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut out)?;
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}

/// The start of the name of a held-out gold folder (`tests/gold/heldout`, `tests/gold/heldout-agreement`).
pub const HELD_OUT_PREFIX: &str = "heldout";

/// A set of gold files read and checked against the pages they name.
#[derive(Debug, Clone)]
pub struct GoldSet {
    /// The gold files, in the order read.
    pub files: Vec<PathBuf>,
    /// Their rows.
    pub rows: Vec<Row>,
    /// The pages the rows name.
    pub corpus: Corpus,
}

impl GoldSet {
    /// Reads the gold files among `inputs` ([`tsv_files`]), the pages they name under `root`, and checks every row
    /// against its page. An input without any `.tsv` file is an error.
    pub fn load(inputs: &[PathBuf], root: &Path) -> Result<GoldSet, EvalError> {
        let files = tsv_files(inputs)?;
        if files.is_empty() {
            let shown: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
            return Err(EvalError::Io {
                path: shown.join(" "),
                error: std::io::Error::new(std::io::ErrorKind::NotFound, "no .tsv gold files"),
            });
        }
        let mut rows = Vec::new();
        for file in &files {
            rows.extend(read_tsv(file)?);
        }
        let corpus = Corpus::load(root, &rows)?;
        corpus.check(&rows)?;
        Ok(GoldSet { files, rows, corpus })
    }
}

/// Writes rows as a TSV file named `name` (in errors): `comment` lines (each prefixed with `# `), the header, then
/// the rows in page order.
pub fn write_tsv(rows: &[Row], comment: &str, out: &mut impl Write, name: &str) -> Result<(), EvalError> {
    let io = |error| EvalError::Io { path: name.to_owned(), error };
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut text = String::new();
    for line in comment.lines() {
        let _ = writeln!(text, "# {line}");
    }
    text.push_str(HEADER);
    text.push('\n');
    for row in sorted {
        // A mention's words may span a tab or a line break of the page: the text column holds them as spaces (the
        // span is what counts; reading back compares the text with tabs and line breaks as spaces).
        if let Some(bad) = [&row.file, &row.id].into_iter().find(|v| v.contains(['\t', '\n', '\r'])) {
            return Err(EvalError::Unwritable {
                file: row.file.clone(),
                kind: row.kind,
                id: row.id.clone(),
                reason: format!("{bad:?} holds a tab or line break"),
            });
        }
        let row = Row { text: flat(&row.text), ..(*row).clone() };
        text.push_str(&row.to_tsv());
        text.push('\n');
    }
    out.write_all(text.as_bytes()).map_err(io)
}

/// Text with its tabs and line breaks as spaces, as the TSV text column holds it.
fn flat(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

/// The `char`s `start..end` of `text`, or `None` when the span runs past its end.
fn char_slice(text: &str, start: usize, end: usize) -> Option<&str> {
    let mut indices = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len()));
    let from = indices.nth(start)?;
    let to = if end == start { from } else { indices.nth(end - start - 1)? };
    Some(&text[from..to])
}

/// The pages named by a set of rows, read from a corpus root.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    root: PathBuf,
    pages: BTreeMap<String, Page>,
}

impl Corpus {
    /// The corpus root from `$GARDKG_SHARED/corpus`, when the variable is set.
    pub fn default_root() -> Option<PathBuf> {
        std::env::var_os("GARDKG_SHARED").map(|shared| PathBuf::from(shared).join("corpus"))
    }

    /// Reads every page the rows name from `root` (in parallel).
    pub fn load(root: &Path, rows: &[Row]) -> Result<Corpus, EvalError> {
        use rayon::prelude::*;
        let mut first: BTreeMap<&str, &Row> = BTreeMap::new();
        for row in rows {
            first.entry(&row.file).or_insert(row);
        }
        let pages = first
            .into_par_iter()
            .map(|(file, row)| {
                let path = root.join(file);
                let page = source::read(&path.to_string_lossy(), &ReadOptions::default()).map_err(|e| {
                    let origin = row.origin.clone().unwrap_or(Origin { path: "predictions".to_owned(), line: 0 });
                    EvalError::Page {
                        path: origin.path,
                        line: origin.line,
                        file: file.to_owned(),
                        reason: e.to_string(),
                    }
                })?;
                Ok((file.to_owned(), page))
            })
            .collect::<Result<BTreeMap<_, _>, EvalError>>()?;
        Ok(Corpus { root: root.to_owned(), pages })
    }

    /// A corpus of pages already read (`file` names relative to `root`).
    pub fn from_pages(root: &Path, pages: impl IntoIterator<Item = (String, Page)>) -> Corpus {
        Corpus { root: root.to_owned(), pages: pages.into_iter().collect() }
    }

    /// The corpus root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The page read for `file`.
    pub fn page(&self, file: &str) -> Option<&Page> {
        self.pages.get(file)
    }

    /// The pages, by file name.
    pub fn pages(&self) -> impl Iterator<Item = (&str, &Page)> {
        self.pages.iter().map(|(f, p)| (f.as_str(), p))
    }

    /// Checks span rows against their pages: the section exists, the span lies in its text, and the `text`
    /// column is exactly the section text at the span. Fails on the first row that does not agree.
    pub fn check(&self, rows: &[Row]) -> Result<(), EvalError> {
        for row in rows {
            let Some(span) = row.span else { continue };
            let origin = row.origin.clone().unwrap_or(Origin { path: "predictions".to_owned(), line: 0 });
            let error = |reason: String| EvalError::Tsv { path: origin.path.clone(), line: origin.line, reason };
            let page = self.page(&row.file).ok_or_else(|| error(format!("page {} was not read", row.file)))?;
            let section = page.sections.get(span.section).ok_or_else(|| {
                error(format!("section {} but {} has {} sections", span.section, row.file, page.sections.len()))
            })?;
            let found = char_slice(&section.text, span.start, span.end).ok_or_else(|| {
                error(format!(
                    "span {}..{} runs past the end of section {} ({} chars)",
                    span.start,
                    span.end,
                    span.section,
                    section.text.chars().count()
                ))
            })?;
            if flat(found) != flat(&row.text) {
                return Err(error(format!(
                    "text {:?} is not the section text at {}..{}, which is {found:?}",
                    row.text, span.start, span.end
                )));
            }
        }
        Ok(())
    }
}

/// Whether a row lies in the part of its page the gold covers: page-level rows always; span rows when their
/// section is one their kind is read from and the span overlaps one of its sentences (not a table row).
pub fn in_scope(row: &Row, page: &Page) -> bool {
    let Some(span) = row.span else { return true };
    let Some(section) = page.sections.get(span.section) else { return false };
    row.kind.sections().contains(&section.kind)
        && section.paragraphs.iter().flat_map(|p| &p.sentences).any(|s| span.start < s.end && s.start < span.end)
}

/// How fast recognition ran.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Timing {
    /// Pages recognized.
    pub pages: usize,
    /// Sentences of the summary and symptoms sections (what phenotype recognition reads).
    pub sentences: usize,
    /// `char`s of those sentences.
    pub chars: usize,
    /// Seconds spent loading the pipeline (lexicons and mappings), when measured.
    pub load_seconds: Option<f64>,
    /// Seconds spent recognizing (identity and recognition of every page, one thread).
    pub recognize_seconds: f64,
}

impl Timing {
    /// Sentences per second of recognition.
    pub fn sentences_per_second(&self) -> Option<f64> {
        rate(self.sentences, self.recognize_seconds)
    }

    /// `char`s per second of recognition.
    pub fn chars_per_second(&self) -> Option<f64> {
        rate(self.chars, self.recognize_seconds)
    }
}

#[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
fn rate(count: usize, seconds: f64) -> Option<f64> {
    (seconds > 0.0).then(|| count as f64 / seconds)
}

/// Runs identity and recognition on every page of the corpus (one thread, so that the time is comparable to
/// other tools') and returns the rows of what was found, with the time it took.
pub fn predict(pipeline: &Pipeline, corpus: &Corpus) -> (Vec<Row>, Timing) {
    let mut rows = Vec::new();
    let mut timing = Timing::default();
    let mut elapsed = std::time::Duration::ZERO;
    for (file, page) in corpus.pages() {
        let mut page = page.clone();
        let started = Instant::now();
        pipeline.identify(&mut page);
        let annotations = pipeline.recognizer().recognize(&page);
        elapsed += started.elapsed();
        timing.pages += 1;
        timing.sentences += annotations.sentences;
        timing.chars += page
            .sections
            .iter()
            .filter(|s| Kind::Phenotype.sections().contains(&s.kind))
            .flat_map(|s| s.paragraphs.iter().flat_map(|p| &p.sentences))
            .map(|s| s.text.chars().count())
            .sum::<usize>();
        rows.extend(rows_from_annotations(file, &page, &annotations, pipeline.mappings()));
    }
    timing.recognize_seconds = elapsed.as_secs_f64();
    (rows, timing)
}

/// The rows of what recognition found in one page (`file` as the rows name it):
/// - phenotype: each prose mention (table rows are not prose), with its negation and its frequency when it is an
///   HPO frequency term;
/// - condition: each associated condition, with the id a pinned lexicon gives its name (empty when none does);
/// - treatment: each treatment named in a treatment section, with its MAxO id;
/// - reference: each reference with an identifier, named as the model names reference nodes (PMID, else PMCID,
///   else DOI, else the URL);
/// - identifier: the page's GARD id, the identifiers the source states, and the Mondo terms mapped to the GARD id
///   with their exact matches.
pub fn rows_from_annotations(file: &str, page: &Page, annotations: &Annotations, mappings: &Mappings) -> Vec<Row> {
    let mut rows = Vec::new();
    let span_row = |kind: Kind, section: usize, start: usize, end: usize, text: &str, id: &str| Row {
        file: file.to_owned(),
        span: Some(Span { section, start, end }),
        text: text.to_owned(),
        kind,
        id: id.to_owned(),
        negated: false,
        frequency: None,
        origin: None,
        rule: None,
    };
    for p in annotations.phenotypes.iter().filter(|p| p.evidence == Evidence::TextMined) {
        let mut row = span_row(Kind::Phenotype, p.section, p.start, p.end, &p.text, &p.hpo_id);
        row.negated = p.negated;
        row.rule = p.rule;
        // A number of patients is compared with a curator's category through HPO's bins.
        row.frequency = p.frequency.as_ref().map(|f| f.hpo_term().to_owned());
        rows.push(row);
    }
    for c in &annotations.conditions {
        // A name no pinned lexicon resolves (or a category of disease) is a condition row without an id.
        rows.push(span_row(
            Kind::Condition,
            c.at.section,
            c.at.start,
            c.at.end,
            &c.at.text,
            c.id.as_deref().unwrap_or_default(),
        ));
    }
    for t in &annotations.treatments {
        rows.push(span_row(Kind::Treatment, t.at.section, t.at.start, t.at.end, &t.at.text, &t.maxo_id));
    }
    let page_row = |kind: Kind, id: String| Row {
        file: file.to_owned(),
        span: None,
        text: id.clone(),
        kind,
        id,
        negated: false,
        frequency: None,
        origin: None,
        rule: None,
    };
    let references: BTreeSet<String> =
        page.references.iter().filter_map(|r| build::reference_id(r).map(|(id, _)| id)).collect();
    rows.extend(references.into_iter().map(|id| page_row(Kind::Reference, id)));
    // The disease's identifiers as the model states them, and its GARD id.
    let mut identifiers = build::DiseaseIdentifiers::of(page, mappings, annotations.title_match.as_ref()).xrefs;
    identifiers.extend(page.gard_id.map(|gard| vocab::gard_curie(gard.number)));
    rows.extend(
        identifiers
            .into_iter()
            .filter(|id| IDENTIFIER_PREFIXES.iter().any(|p| id.starts_with(p)) && Kind::Identifier.accepts_id(id))
            .map(|id| page_row(Kind::Identifier, id)),
    );
    rows
}

/// Precision, recall and F1 of one measure, from counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    /// What is measured.
    pub measure: Measure,
    /// Pages with gold rows of the measure's kind.
    pub files: usize,
    /// Gold rows scored.
    pub gold: usize,
    /// Predicted rows scored.
    pub predicted: usize,
    /// Matched pairs.
    pub true_positives: usize,
    /// Predicted rows without a gold row.
    pub false_positives: usize,
    /// Gold rows without a predicted row.
    pub false_negatives: usize,
    /// `tp / (tp + fp)`; `None` without predictions.
    pub precision: Option<f64>,
    /// `tp / (tp + fn)`; `None` without gold rows.
    pub recall: Option<f64>,
    /// The harmonic mean of precision and recall; `None` when either is.
    pub f1: Option<f64>,
}

impl Score {
    /// The score of `true_positives` matches between `gold` and `predicted` rows.
    #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    pub fn new(measure: Measure, files: usize, gold: usize, predicted: usize, true_positives: usize) -> Score {
        let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
        let precision = ratio(true_positives, predicted);
        let recall = ratio(true_positives, gold);
        let f1 = match (precision, recall) {
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        };
        Score {
            measure,
            files,
            gold,
            predicted,
            true_positives,
            false_positives: predicted - true_positives,
            false_negatives: gold - true_positives,
            precision,
            recall,
            f1,
        }
    }
}

/// Predicted rows of one kind that were not scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NotScored {
    /// The kind.
    pub kind: Kind,
    /// Rows in pages whose gold has no row of this kind.
    pub no_gold_rows: usize,
    /// Rows outside the gold's scope: pages the gold does not name, other sections, table rows.
    pub out_of_scope: usize,
}

/// A matched pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// The gold row.
    pub gold: Row,
    /// The predicted row that matched it.
    pub predicted: Row,
}

/// The result of [`score`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// One score per measure asked for, in [`Measure::ALL`] order.
    pub scores: Vec<Score>,
    /// Predicted rows left out, per kind (kinds with none left out are omitted).
    pub not_scored: Vec<NotScored>,
    /// Matched pairs (true positives), in page order.
    pub matches: Vec<Pair>,
    /// Gold rows no predicted row matched, in page order.
    pub false_negatives: Vec<Row>,
    /// Scored predicted rows that matched no gold row, in page order.
    pub false_positives: Vec<Row>,
    /// Doubts about the gold that did not stop scoring (duplicate rows, rows outside the scope of their kind).
    pub warnings: Vec<String>,
}

impl Report {
    /// The score of a measure, when it was asked for.
    pub fn score(&self, measure: Measure) -> Option<&Score> {
        self.scores.iter().find(|s| s.measure == measure)
    }

    /// Predicted phenotype mentions per rule family that found them: (rule, right, wrong), the rules that found
    /// any in [`Rule::ALL`] order. A mention is right when it matched a gold row (id, negation, overlapping span).
    pub fn by_rule(&self) -> Vec<(Rule, usize, usize)> {
        let count = |rows: &mut dyn Iterator<Item = &Row>, rule: Rule| {
            rows.filter(|r| r.kind == Kind::Phenotype && r.rule == Some(rule)).count()
        };
        Rule::ALL
            .iter()
            .map(|&rule| {
                let right = count(&mut self.matches.iter().map(|p| &p.predicted), rule);
                (rule, right, count(&mut self.false_positives.iter(), rule))
            })
            .filter(|&(_, right, wrong)| right + wrong > 0)
            .collect()
    }
}

/// Scores `predicted` rows against `gold` rows for the `measures` asked for. Both must have passed
/// [`Corpus::check`] on `corpus`, which must hold every page the gold names.
pub fn score(gold: &[Row], predicted: &[Row], corpus: &Corpus, measures: &[Measure]) -> Report {
    let kinds: BTreeSet<Kind> = measures.iter().map(|m| m.kind()).collect();
    let mut report = Report::default();
    // Gold rows, without exact duplicates (page-level rows compare as sets of ids).
    let mut seen = HashMap::new();
    let mut gold_rows: Vec<&Row> = Vec::new();
    let mut scored: BTreeSet<(&str, Kind)> =
        gold.iter().filter(|r| r.is_scope() && kinds.contains(&r.kind)).map(|r| (r.file.as_str(), r.kind)).collect();
    for row in gold.iter().filter(|r| kinds.contains(&r.kind) && !r.is_scope()) {
        let key = (&row.file, row.span, row.kind, &row.id, row.negated);
        if let Some(first) = seen.insert(key, row) {
            if !row.kind.is_page_level() {
                report.warnings.push(format!(
                    "{}: duplicate of the gold row at {}; counted once",
                    row.origin_text(),
                    first.origin_text()
                ));
            }
            continue;
        }
        if let Some(page) = corpus.page(&row.file).filter(|page| !in_scope(row, page)) {
            let section = row.span.and_then(|s| page.sections.get(s.section)).map_or("?", |s| s.kind.name());
            report.warnings.push(format!(
                "{}: a {} gold row in a {section} section outside any sentence or section it is read from; \
                 no prediction can match it",
                row.origin_text(),
                row.kind
            ));
        }
        gold_rows.push(row);
    }
    scored.extend(gold_rows.iter().map(|r| (r.file.as_str(), r.kind)));
    // Predicted rows in scope.
    let mut not_scored: BTreeMap<Kind, NotScored> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut predicted_rows: Vec<&Row> = Vec::new();
    for row in predicted.iter().filter(|r| kinds.contains(&r.kind)) {
        let entry =
            not_scored.entry(row.kind).or_insert(NotScored { kind: row.kind, no_gold_rows: 0, out_of_scope: 0 });
        match corpus.page(&row.file) {
            Some(page) if in_scope(row, page) => {
                if !scored.contains(&(row.file.as_str(), row.kind)) {
                    entry.no_gold_rows += 1;
                } else if !row.kind.is_page_level() || seen.insert((&row.file, row.kind, &row.id, row.negated)) {
                    predicted_rows.push(row);
                }
            }
            _ => entry.out_of_scope += 1,
        }
    }
    report.not_scored = not_scored.into_values().filter(|n| n.no_gold_rows + n.out_of_scope > 0).collect();
    // One matching over all kinds: rows only ever match rows with the same key.
    let pairs = match_rows(&gold_rows, &predicted_rows);
    let mut gold_matched = vec![None; gold_rows.len()];
    let mut predicted_matched = vec![false; predicted_rows.len()];
    for &(g, p) in &pairs {
        gold_matched[g] = Some(p);
        predicted_matched[p] = true;
    }
    for &measure in Measure::ALL.iter().filter(|m| measures.contains(m)) {
        let kind = measure.kind();
        let files = scored.iter().filter(|(_, k)| *k == kind).count();
        let of_kind = |r: &&&Row| r.kind == kind;
        let score = if measure == Measure::Frequency {
            let gold = gold_rows.iter().filter(of_kind).filter(|r| r.frequency.is_some()).count();
            let predicted = predicted_rows.iter().filter(of_kind).filter(|r| r.frequency.is_some()).count();
            let right = pairs
                .iter()
                .filter(|&&(g, p)| {
                    gold_rows[g].kind == kind
                        && gold_rows[g].frequency.is_some()
                        && gold_rows[g].frequency == predicted_rows[p].frequency
                })
                .count();
            Score::new(measure, files, gold, predicted, right)
        } else if measure == Measure::PhenotypePage {
            let gold: BTreeSet<_> =
                gold_rows.iter().filter(of_kind).map(|r| (r.file.as_str(), r.id.as_str(), r.negated)).collect();
            let predicted: BTreeSet<_> =
                predicted_rows.iter().filter(of_kind).map(|r| (r.file.as_str(), r.id.as_str(), r.negated)).collect();
            Score::new(measure, files, gold.len(), predicted.len(), gold.intersection(&predicted).count())
        } else {
            let gold = gold_rows.iter().filter(of_kind).count();
            let predicted = predicted_rows.iter().filter(of_kind).count();
            let tp = pairs.iter().filter(|&&(g, _)| gold_rows[g].kind == kind).count();
            Score::new(measure, files, gold, predicted, tp)
        };
        report.scores.push(score);
    }
    for (g, matched) in gold_matched.iter().enumerate() {
        match matched {
            Some(p) => report.matches.push(Pair { gold: gold_rows[g].clone(), predicted: predicted_rows[*p].clone() }),
            None => report.false_negatives.push(gold_rows[g].clone()),
        }
    }
    report.false_positives =
        predicted_rows.iter().zip(&predicted_matched).filter(|(_, m)| !**m).map(|(r, _)| (*r).clone()).collect();
    report.matches.sort_by(|a, b| a.gold.sort_key().cmp(&b.gold.sort_key()));
    report.false_negatives.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report.false_positives.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
}

/// A maximum one-to-one matching between gold and predicted rows (pairs of indices): rows with the same
/// [`Row::match_key`] whose spans overlap (page-level rows: equal keys). Each gold row tries its candidates best
/// first (equal frequency, then larger overlap, then nearer start), then augmenting paths make the matching
/// maximum.
fn match_rows(gold: &[&Row], predicted: &[&Row]) -> Vec<(usize, usize)> {
    let mut by_key: HashMap<_, Vec<usize>> = HashMap::new();
    for (i, row) in predicted.iter().enumerate() {
        by_key.entry(row.match_key()).or_default().push(i);
    }
    let candidates: Vec<Vec<usize>> = gold
        .iter()
        .map(|g| {
            let mut list: Vec<usize> = by_key
                .get(&g.match_key())
                .into_iter()
                .flatten()
                .copied()
                .filter(|&p| match (g.span, predicted[p].span) {
                    (Some(a), Some(b)) => a.overlaps(&b),
                    (None, None) => true,
                    _ => false,
                })
                .collect();
            list.sort_by_key(|&p| {
                let (a, b) = (g.span.unwrap_or(Span { section: 0, start: 0, end: 0 }), predicted[p].span);
                let b = b.unwrap_or(a);
                (g.frequency != predicted[p].frequency, std::cmp::Reverse(a.overlap(&b)), a.start.abs_diff(b.start), p)
            });
            list
        })
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; predicted.len()];
    for g in 0..gold.len() {
        let mut visited = vec![false; predicted.len()];
        augment(g, &candidates, &mut owner, &mut visited);
    }
    let mut pairs: Vec<(usize, usize)> = owner.iter().enumerate().filter_map(|(p, g)| g.map(|g| (g, p))).collect();
    pairs.sort_unstable();
    pairs
}

/// Kuhn's augmenting path from gold row `g`: true when `g` got a predicted row.
fn augment(g: usize, candidates: &[Vec<usize>], owner: &mut [Option<usize>], visited: &mut [bool]) -> bool {
    for &p in &candidates[g] {
        if std::mem::replace(&mut visited[p], true) {
            continue;
        }
        if owner[p].is_none_or(|other| augment(other, candidates, owner, visited)) {
            owner[p] = Some(g);
            return true;
        }
    }
    false
}

/// Doubts about phenotype ids of gold rows: ids that are not a current term of `hpo` (unknown, an `alt_id`, or
/// obsolete). Such a row can still be scored, but the gold format asks for current terms.
pub fn check_hpo_ids(rows: &[Row], hpo: &Ontology) -> Vec<String> {
    rows.iter()
        .filter(|r| r.kind == Kind::Phenotype && !r.is_scope())
        .filter_map(|r| {
            let problem = match hpo.term(&r.id) {
                None => "is not in the pinned HPO".to_owned(),
                Some(t) if t.id != r.id => format!("is an alt_id of {}", t.id),
                Some(t) if t.obsolete => "is obsolete".to_owned(),
                Some(_) => return None,
            };
            Some(format!("{}: {} {problem}", r.origin_text(), r.id))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{Reference, Section, Source, SourceFormat, TableRow};
    use crate::source::sentences;

    /// An invented page: a summary, a symptoms section with one table line, a treatment section.
    fn page() -> Page {
        page_with("Kettle fever brings loud hissing. No rust is seen.")
    }

    /// The invented page with another summary.
    fn page_with(summary: &str) -> Page {
        fn section(kind: SectionKind, text: &str, prose_lines: usize) -> Section {
            let mut paragraphs = sentences::line_paragraphs(text);
            paragraphs.truncate(prose_lines);
            Section { kind, heading: None, text: text.to_owned(), paragraphs, table: Vec::new(), last_updated: None }
        }
        let mut symptoms = section(SectionKind::Symptoms, "Most kettles whistle and some steam.\nWhistle  90%", 1);
        symptoms.table.push(TableRow { label: "Whistle".into(), frequency: Some("90%".into()), start: 37, end: 44 });
        Page {
            source: Source {
                format: SourceFormat::GardText,
                location: "fixture".into(),
                url: None,
                content_sha256: String::new(),
            },
            gard_id: None,
            title: "Kettle fever".into(),
            synonyms: Vec::new(),
            identifiers: Vec::new(),
            sections: vec![
                section(SectionKind::Summary, summary, 1),
                symptoms,
                section(SectionKind::Treatment, "Descaling helps.", 1),
            ],
            references: Vec::new(),
            resources: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn corpus() -> Corpus {
        Corpus::from_pages(Path::new("/corpus"), [("k/1.txt".to_owned(), page())])
    }

    fn tsv(rows: &[&str]) -> String {
        format!("# invented\n{HEADER}\n{}\n", rows.join("\n"))
    }

    fn rows(lines: &[&str]) -> Vec<Row> {
        parse_tsv(&tsv(lines), "t.tsv").unwrap()
    }

    fn error(text: &str) -> String {
        parse_tsv(text, "t.tsv").unwrap_err().to_string()
    }

    #[test]
    fn a_tab_or_line_break_inside_a_mention_is_written_as_a_space() {
        let mut r = rows(&["k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000001\tfalse\t"]);
        r[0].text = "loud\thiss\ning".to_owned();
        let mut out = Vec::new();
        write_tsv(&r, "predictions", &mut out, "p.tsv").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("k/1.txt\t0\t20\t32\tloud hiss ing\tphenotype\tHP:0000001\tfalse\t\n"), "{text}");
        assert_eq!(parse_tsv(&text, "p.tsv").unwrap()[0].text, "loud hiss ing");
        assert_eq!(flat("a\tb\r\nc"), "a b  c");
        // A tab in a file name still cannot be written.
        r[0].file = "k/a\tb.txt".to_owned();
        assert!(write_tsv(&r, "", &mut Vec::new(), "p.tsv").unwrap_err().to_string().contains("tab or line break"));
    }

    #[test]
    fn parses_rows_of_every_kind() {
        let r = rows(&[
            "k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000001\tfalse\tHP:0040283",
            "k/1.txt\t2\t0\t9\tDescaling\ttreatment\tMAXO:0000001\tfalse\t",
            "k/1.txt\t0\t0\t6\tKettle\tcondition\t\tfalse\t",
            "k/1.txt\t-\t-\t-\tPMID:1\treference\tPMID:1\tfalse\t",
            "k/1.txt\t-\t-\t-\tGARD:0000001\tidentifier\tGARD:0000001\tfalse\t",
        ]);
        assert_eq!(r.len(), 5);
        assert_eq!(r[0].span, Some(Span { section: 0, start: 20, end: 32 }));
        assert_eq!(r[0].frequency.as_deref(), Some("HP:0040283"));
        assert_eq!(r[0].origin, Some(Origin { path: "t.tsv".into(), line: 3 }));
        assert_eq!(r[3].span, None);
        assert_eq!(r[2].id, "");
        assert_eq!(r[0].to_tsv(), "k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000001\tfalse\tHP:0040283");
        assert_eq!(r[3].to_tsv(), "k/1.txt\t-\t-\t-\tPMID:1\treference\tPMID:1\tfalse\t");
        // CRLF line ends and a byte-order mark are tolerated.
        let crlf = format!("\u{feff}{HEADER}\r\nk/1.txt\t-\t-\t-\tx\treference\tPMID:2\tfalse\t\r\n");
        assert_eq!(parse_tsv(&crlf, "t.tsv").unwrap()[0].id, "PMID:2");
    }

    #[test]
    fn parse_errors_name_the_file_the_line_and_the_reason() {
        assert_eq!(error(""), format!("t.tsv: line 1: no header line (expected {HEADER:?})"));
        assert!(error("file\tsection\n").starts_with("t.tsv: line 1: expected the header line"));
        let e = error(&tsv(&["k/1.txt\t0\t1\t2\tx\tphenotype\tHP:0000001\tfalse"]));
        assert_eq!(e, "t.tsv: line 3: expected 9 tab-separated columns, found 8");
        let e = error(&tsv(&["k/1.txt\t0\t1\t2\tx\tsymptom\tHP:0000001\tfalse\t"]));
        assert!(e.starts_with("t.tsv: line 3: unknown kind \"symptom\""), "{e}");
        let e = error(&tsv(&["k/1.txt\tone\t1\t2\tx\tphenotype\tHP:0000001\tfalse\t"]));
        assert!(e.contains("section \"one\" is not a number"), "{e}");
        let e = error(&tsv(&["k/1.txt\t0\t5\t5\tx\tphenotype\tHP:0000001\tfalse\t"]));
        assert_eq!(e, "t.tsv: line 3: start 5 is not before end 5");
        let e = error(&tsv(&["k/1.txt\t0\t1\t2\tx\tphenotype\tHP:1\tfalse\t"]));
        assert_eq!(e, "t.tsv: line 3: id \"HP:1\" is not a phenotype id");
        let e = error(&tsv(&["k/1.txt\t0\t1\t2\tx\tphenotype\tHP:0000001\tno\t"]));
        assert!(e.contains("negated must be `true` or `false`"), "{e}");
        let e = error(&tsv(&["k/1.txt\t0\t1\t2\tx\tphenotype\tHP:0000001\tfalse\tHP:0000001"]));
        assert!(e.contains("is not an HPO frequency term"), "{e}");
        let e = error(&tsv(&["k/1.txt\t2\t0\t9\tDescaling\ttreatment\tMAXO:0000001\tfalse\tHP:0040280"]));
        assert!(e.contains("phenotype rows only"), "{e}");
        let e = error(&tsv(&["k/1.txt\t0\t1\t2\tx\treference\tPMID:1\tfalse\t"]));
        assert!(e.contains("page-level"), "{e}");
        let e = error(&tsv(&["../x.txt\t-\t-\t-\tx\treference\tPMID:1\tfalse\t"]));
        assert!(e.contains("not a path relative to the corpus root"), "{e}");
        let e = error(&tsv(&["k/1.txt\t0\t1\t2\t\tphenotype\tHP:0000001\tfalse\t"]));
        assert!(e.contains("text column is empty"), "{e}");
    }

    #[test]
    fn scope_lines_make_false_positives_count_on_pages_without_rows() {
        let gold = parse_tsv(&format!("# scope: k/1.txt phenotype treatment\n{HEADER}\n"), "t.tsv").unwrap();
        assert_eq!(gold.len(), 2);
        assert!(gold.iter().all(Row::is_scope));
        let predicted = rows(&["k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000001\tfalse\t"]);
        let report = score(&gold, &predicted, &corpus(), &[Measure::Phenotype]);
        let s = report.score(Measure::Phenotype).unwrap();
        assert_eq!((s.gold, s.predicted, s.false_positives), (0, 1, 1));
        // Without the scope line the page is not scored for phenotypes.
        let report = score(&[], &predicted, &corpus(), &[Measure::Phenotype]);
        assert_eq!(report.score(Measure::Phenotype).unwrap().predicted, 0);
        let e = error(&format!("# scope: k/1.txt reference\n{HEADER}\n"));
        assert!(e.contains("span kinds only"), "{e}");
        let e = error(&format!("# scope: k/1.txt\n{HEADER}\n"));
        assert!(e.contains("at least one kind"), "{e}");
    }

    #[test]
    fn rows_are_checked_against_their_pages() {
        let corpus = corpus();
        let good = rows(&["k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000001\tfalse\t"]);
        corpus.check(&good).unwrap();
        let bad = rows(&["k/1.txt\t0\t20\t32\tloud kissing\tphenotype\tHP:0000001\tfalse\t"]);
        let e = corpus.check(&bad).unwrap_err().to_string();
        assert_eq!(
            e,
            "t.tsv: line 3: text \"loud kissing\" is not the section text at 20..32, which is \"loud hissing\""
        );
        let e = corpus.check(&rows(&["k/1.txt\t9\t0\t1\tK\tphenotype\tHP:0000001\tfalse\t"])).unwrap_err();
        assert_eq!(e.to_string(), "t.tsv: line 3: section 9 but k/1.txt has 3 sections");
        let e = corpus.check(&rows(&["k/1.txt\t2\t10\t99\tx\ttreatment\tMAXO:0000001\tfalse\t"])).unwrap_err();
        assert!(e.to_string().contains("runs past the end of section 2 (16 chars)"), "{e}");
        assert_eq!(char_slice("añb", 1, 3), Some("ñb"));
        assert_eq!(char_slice("añb", 3, 4), None);
    }

    #[test]
    fn overlapping_spans_match_and_disjoint_or_different_ones_do_not() {
        let corpus = corpus();
        let gold = rows(&[
            "k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000001\tfalse\t",
            "k/1.txt\t0\t37\t41\trust\tphenotype\tHP:0000002\ttrue\t",
        ]);
        let predicted = rows(&[
            // Overlaps the first gold row: a match.
            "k/1.txt\t0\t25\t32\thissing\tphenotype\tHP:0000001\tfalse\t",
            // Same span as the second, but not negated: no match.
            "k/1.txt\t0\t37\t41\trust\tphenotype\tHP:0000002\tfalse\t",
            // Right id elsewhere in the section, no overlap: no match.
            "k/1.txt\t0\t0\t6\tKettle\tphenotype\tHP:0000001\tfalse\t",
        ]);
        let report = score(&gold, &predicted, &corpus, &[Measure::Phenotype]);
        let s = report.score(Measure::Phenotype).unwrap();
        assert_eq!((s.gold, s.predicted, s.true_positives, s.false_positives, s.false_negatives), (2, 3, 1, 2, 1));
        assert_eq!(s.precision, Some(1.0 / 3.0));
        assert_eq!(s.recall, Some(0.5));
        assert!((s.f1.unwrap() - 0.4).abs() < 1e-12);
        assert_eq!(report.matches[0].predicted.text, "hissing");
        assert_eq!(report.false_negatives[0].text, "rust");
        assert_eq!(report.false_positives.len(), 2);
    }

    #[test]
    fn matching_is_one_to_one_and_maximum() {
        let corpus = corpus();
        // Two gold rows of one id; one long prediction overlaps both, one short one only the first.
        let gold = rows(&[
            "k/1.txt\t0\t20\t24\tloud\tphenotype\tHP:0000001\tfalse\t",
            "k/1.txt\t0\t25\t32\thissing\tphenotype\tHP:0000001\tfalse\t",
        ]);
        let predicted = rows(&[
            "k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000001\tfalse\t",
            "k/1.txt\t0\t20\t24\tloud\tphenotype\tHP:0000001\tfalse\t",
        ]);
        let s = *score(&gold, &predicted, &corpus, &[Measure::Phenotype]).score(Measure::Phenotype).unwrap();
        assert_eq!((s.true_positives, s.false_positives, s.false_negatives), (2, 0, 0));
        // One gold row, two overlapping predictions: one matches, the other is a false positive.
        let gold = rows(&["k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000001\tfalse\t"]);
        let s = *score(&gold, &predicted, &corpus, &[Measure::Phenotype]).score(Measure::Phenotype).unwrap();
        assert_eq!((s.true_positives, s.false_positives, s.false_negatives), (1, 1, 0));
        // Exact duplicates in the gold are counted once, with a warning.
        let gold = rows(&[
            "k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000001\tfalse\t",
            "k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000001\tfalse\t",
        ]);
        let report = score(&gold, &predicted[..1], &corpus, &[Measure::Phenotype]);
        assert_eq!(report.score(Measure::Phenotype).unwrap().gold, 1);
        assert_eq!(report.warnings, ["t.tsv:4: duplicate of the gold row at t.tsv:3; counted once"]);
    }

    #[test]
    fn precision_is_counted_per_rule_family() {
        let corpus = corpus();
        let gold = rows(&["k/1.txt\t0\t20\t24\tloud\tphenotype\tHP:0000001\tfalse\t"]);
        let mut predicted = rows(&[
            "k/1.txt\t0\t20\t24\tloud\tphenotype\tHP:0000001\tfalse\t",
            "k/1.txt\t0\t25\t32\thissing\tphenotype\tHP:0000002\tfalse\t",
            "k/1.txt\t0\t0\t6\tKettle\tphenotype\tHP:0000003\tfalse\t",
        ]);
        predicted[0].rule = Some(Rule::Anatomy);
        predicted[1].rule = Some(Rule::Anatomy);
        predicted[2].rule = Some(Rule::Name);
        let report = score(&gold, &predicted, &corpus, &[Measure::Phenotype]);
        assert_eq!(report.by_rule(), [(Rule::Name, 0, 1), (Rule::Anatomy, 1, 1)]);
    }

    #[test]
    fn frequencies_are_right_when_the_matched_gold_row_has_the_same() {
        let corpus = corpus();
        let gold = rows(&[
            "k/1.txt\t1\t5\t12\tkettles\tphenotype\tHP:0000001\tfalse\tHP:0040281",
            "k/1.txt\t1\t13\t20\twhistle\tphenotype\tHP:0000002\tfalse\tHP:0040281",
            "k/1.txt\t1\t30\t35\tsteam\tphenotype\tHP:0000003\tfalse\tHP:0040283",
            "k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000004\tfalse\t",
        ]);
        let predicted = rows(&[
            "k/1.txt\t1\t5\t12\tkettles\tphenotype\tHP:0000001\tfalse\tHP:0040281",
            "k/1.txt\t1\t13\t20\twhistle\tphenotype\tHP:0000002\tfalse\tHP:0040282",
            "k/1.txt\t1\t30\t35\tsteam\tphenotype\tHP:0000003\tfalse\t",
            "k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000004\tfalse\tHP:0040280",
        ]);
        let report = score(&gold, &predicted, &corpus, &[Measure::Phenotype, Measure::Frequency]);
        assert_eq!(report.score(Measure::Phenotype).unwrap().true_positives, 4);
        let f = report.score(Measure::Frequency).unwrap();
        // Gold with a frequency: 3; predicted with one: 3; right: only the first.
        assert_eq!((f.gold, f.predicted, f.true_positives), (3, 3, 1));
        assert_eq!(f.precision, Some(1.0 / 3.0));
        assert_eq!(f.recall, Some(1.0 / 3.0));
        // A frequency never helps or hurts the phenotype match itself, but is preferred when choosing pairs.
        let predicted = rows(&[
            "k/1.txt\t1\t5\t20\tkettles whistle\tphenotype\tHP:0000001\tfalse\t",
            "k/1.txt\t1\t5\t12\tkettles\tphenotype\tHP:0000001\tfalse\tHP:0040281",
        ]);
        let report = score(&gold[..1], &predicted, &corpus, &[Measure::Frequency]);
        assert_eq!(report.score(Measure::Frequency).unwrap().true_positives, 1);
        assert_eq!(report.scores.len(), 1);
    }

    #[test]
    fn phenotypes_per_page_compare_sets_of_ids_and_negation() {
        let corpus = corpus();
        let gold = rows(&[
            "k/1.txt\t1\t5\t12\tkettles\tphenotype\tHP:0000001\tfalse\t",
            "k/1.txt\t1\t30\t35\tkettles\tphenotype\tHP:0000001\tfalse\t",
            "k/1.txt\t1\t13\t20\twhistle\tphenotype\tHP:0000002\ttrue\t",
            "k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000004\tfalse\t",
        ]);
        // HP:0000001 found once, elsewhere on the page; HP:0000002 found but not as negated; HP:0000003 extra.
        let predicted = rows(&[
            "k/1.txt\t0\t0\t4\tkettle\tphenotype\tHP:0000001\tfalse\t",
            "k/1.txt\t1\t13\t20\twhistle\tphenotype\tHP:0000002\tfalse\t",
            "k/1.txt\t1\t30\t35\tsteam\tphenotype\tHP:0000003\tfalse\t",
        ]);
        let report = score(&gold, &predicted, &corpus, &[Measure::Phenotype, Measure::PhenotypePage]);
        let page = report.score(Measure::PhenotypePage).unwrap();
        assert_eq!((page.gold, page.predicted, page.true_positives), (3, 3, 1));
        // Mention level: four gold mentions; the one HP:0000001 prediction overlaps no gold span.
        let mention = report.score(Measure::Phenotype).unwrap();
        assert_eq!((mention.gold, mention.predicted, mention.true_positives), (4, 3, 0));
        assert_eq!(Measure::PhenotypePage.kind(), Kind::Phenotype);
        assert_eq!(Measure::PhenotypePage.name(), "phenotype-page");
    }

    #[test]
    fn only_the_gold_scope_is_scored() {
        let corpus = corpus();
        let gold = rows(&["k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000001\tfalse\t"]);
        let predicted = rows(&[
            // A table row of the symptoms section: out of scope.
            "k/1.txt\t1\t37\t44\tWhistle\tphenotype\tHP:0000002\tfalse\t",
            // A phenotype in the treatment section: out of scope.
            "k/1.txt\t2\t0\t9\tDescaling\tphenotype\tHP:0000003\tfalse\t",
            // A page the gold does not name: out of scope.
            "k/2.txt\t0\t0\t3\tone\tphenotype\tHP:0000001\tfalse\t",
            // Kinds without gold rows for this page: not scored.
            "k/1.txt\t2\t0\t9\tDescaling\ttreatment\tMAXO:0000001\tfalse\t",
            "k/1.txt\t-\t-\t-\tPMID:1\treference\tPMID:1\tfalse\t",
            // In scope, wrong: a false positive.
            "k/1.txt\t1\t13\t20\twhistle\tphenotype\tHP:0000004\tfalse\t",
        ]);
        let report = score(&gold, &predicted, &corpus, &Measure::ALL);
        let s = report.score(Measure::Phenotype).unwrap();
        assert_eq!((s.predicted, s.false_positives, s.false_negatives), (1, 1, 1));
        assert_eq!(s.files, 1);
        let treatment = report.score(Measure::Treatment).unwrap();
        assert_eq!((treatment.gold, treatment.predicted, treatment.f1), (0, 0, None));
        assert_eq!(
            report.not_scored,
            [
                NotScored { kind: Kind::Phenotype, no_gold_rows: 0, out_of_scope: 3 },
                NotScored { kind: Kind::Treatment, no_gold_rows: 1, out_of_scope: 0 },
                NotScored { kind: Kind::Reference, no_gold_rows: 1, out_of_scope: 0 },
            ]
        );
        // A gold row outside its kind's scope is kept, with a warning.
        let gold = rows(&["k/1.txt\t2\t0\t9\tDescaling\tphenotype\tHP:0000003\tfalse\t"]);
        let report = score(&gold, &[], &corpus, &[Measure::Phenotype]);
        assert_eq!(report.score(Measure::Phenotype).unwrap().gold, 1);
        assert!(
            report.warnings[0].starts_with("t.tsv:3: a phenotype gold row in a treatment section"),
            "{:?}",
            report.warnings
        );
    }

    #[test]
    fn page_level_kinds_compare_sets_of_ids() {
        let corpus = corpus();
        let gold = rows(&[
            "k/1.txt\t-\t-\t-\tPMID:1\treference\tPMID:1\tfalse\t",
            "k/1.txt\t-\t-\t-\tPMID:2\treference\tPMID:2\tfalse\t",
            "k/1.txt\t-\t-\t-\tGARD:0000001\tidentifier\tGARD:0000001\tfalse\t",
        ]);
        let predicted = rows(&[
            "k/1.txt\t-\t-\t-\tPMID:1\treference\tPMID:1\tfalse\t",
            "k/1.txt\t-\t-\t-\tfirst\treference\tPMID:1\tfalse\t",
            "k/1.txt\t-\t-\t-\tdoi\treference\tdoi:10.1/x\tfalse\t",
            "k/1.txt\t-\t-\t-\tx\tidentifier\tGARD:0000001\tfalse\t",
            "k/1.txt\t-\t-\t-\tx\tidentifier\tUMLS:C0000001\tfalse\t",
        ]);
        let report = score(&gold, &predicted, &corpus, &[Measure::Reference, Measure::Identifier]);
        let r = report.score(Measure::Reference).unwrap();
        assert_eq!((r.gold, r.predicted, r.true_positives), (2, 2, 1));
        let i = report.score(Measure::Identifier).unwrap();
        assert_eq!((i.gold, i.predicted, i.true_positives), (1, 2, 1));
    }

    #[test]
    fn written_rows_read_back() {
        let original = rows(&[
            "k/1.txt\t0\t20\t32\tloud hissing\tphenotype\tHP:0000001\ttrue\tHP:0040283",
            "k/1.txt\t-\t-\t-\tPMID:1\treference\tPMID:1\tfalse\t",
        ]);
        let mut out = Vec::new();
        write_tsv(&original, "made by a test\nsecond line", &mut out, "w.tsv").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("# made by a test\n# second line\nfile\t"));
        let back = parse_tsv(&text, "w.tsv").unwrap();
        let strip = |rows: &[Row]| rows.iter().map(|r| Row { origin: None, ..r.clone() }).collect::<Vec<_>>();
        assert_eq!(strip(&back), strip(&original));
        let mut bad = original[0].clone();
        bad.id = "a\tb".into();
        assert!(write_tsv(&[bad], "", &mut Vec::new(), "w.tsv").unwrap_err().to_string().contains("tab or line break"));
    }

    #[test]
    fn annotations_become_rows() {
        use crate::recognize::PhenotypeAnnotation;
        let mut page = page();
        page.identifiers = vec!["UMLS:C0000001".into(), "MESH:D000001".into()];
        page.references = vec![
            Reference { number: 1, pmid: Some("11".into()), doi: Some("10.1/a".into()), ..Reference::default() },
            Reference { number: 2, doi: Some("10.1/b".into()), ..Reference::default() },
            Reference { number: 3, url: Some("https://example.org/x".into()), ..Reference::default() },
            Reference { number: 4, citation: "no id".into(), ..Reference::default() },
        ];
        // Built from JSON so that fields added to the annotation later (with serde defaults) do not break the test.
        let mention = |evidence: &str, frequency: serde_json::Value| -> PhenotypeAnnotation {
            serde_json::from_value(serde_json::json!({
                "section": 0, "paragraph": 0, "sentence": 0, "table_row": null, "start": 20, "end": 32,
                "text": "loud hissing", "hpo_id": "HP:0000001", "label": "Label", "negated": false,
                "frequency": frequency, "evidence": evidence,
            }))
            .unwrap()
        };
        let annotations = Annotations {
            phenotypes: vec![
                mention("text-mined", serde_json::json!({ "term": "HP:0040281" })),
                mention("text-mined", serde_json::json!({ "percentage": 5.0 })),
                mention("table", serde_json::Value::Null),
            ],
            conditions: serde_json::from_value(serde_json::json!([
                { "section": 0, "paragraph": 0, "sentence": 0, "start": 0, "end": 6, "text": "Kettle",
                  "id": "Orphanet:1" },
                { "section": 0, "paragraph": 0, "sentence": 0, "start": 20, "end": 32, "text": "loud hissing" },
            ]))
            .unwrap(),
            treatments: serde_json::from_value(serde_json::json!([
                { "section": 2, "paragraph": 0, "sentence": 0, "start": 0, "end": 9, "text": "Descaling",
                  "maxo_id": "MAXO:0000001", "label": "Label", "relation": "ameliorates" },
            ]))
            .unwrap(),
            ..Annotations::default()
        };
        let rows = rows_from_annotations("k/1.txt", &page, &annotations, &Mappings::default());
        let summary: Vec<(Kind, &str, Option<&str>)> =
            rows.iter().map(|r| (r.kind, r.id.as_str(), r.frequency.as_deref())).collect();
        assert_eq!(
            summary,
            [
                (Kind::Phenotype, "HP:0000001", Some("HP:0040281")),
                // 5% is in the range of Occasional (5-29%).
                (Kind::Phenotype, "HP:0000001", Some("HP:0040283")),
                (Kind::Condition, "Orphanet:1", None),
                (Kind::Condition, "", None),
                (Kind::Treatment, "MAXO:0000001", None),
                (Kind::Reference, "PMID:11", None),
                (Kind::Reference, "doi:10.1/b", None),
                (Kind::Reference, "https://example.org/x", None),
                (Kind::Identifier, "UMLS:C0000001", None),
            ]
        );
        corpus().check(&rows).unwrap();
    }

    #[test]
    fn kinds_and_measures_round_trip_their_names() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(Measure::Frequency.kind(), Kind::Phenotype);
        assert_eq!(
            Measure::ALL.map(Measure::name).join(" "),
            "phenotype phenotype-page frequency condition treatment reference identifier"
        );
        assert!(Kind::Identifier.accepts_id("MONDO:0018039"));
        assert!(Kind::Identifier.accepts_id("UMLS:C0154275"));
        assert!(!Kind::Identifier.accepts_id("MESH:D000001"));
        assert!(Kind::Reference.accepts_id("PMCID:PMC123"));
        assert!(!Kind::Reference.accepts_id("PMCID:123"));
        assert!(Kind::Condition.accepts_id(""));
    }

    #[test]
    fn files_are_found_in_folders_and_read_with_their_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.tsv"), tsv(&[])).unwrap();
        std::fs::write(dir.path().join("a.tsv"), tsv(&["k/1.txt\t-\t-\t-\tx\treference\tPMID:1\tfalse\t"])).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not gold").unwrap();
        let files = tsv_files(&[dir.path().to_owned()]).unwrap();
        let names: Vec<String> =
            files.iter().map(|f| f.strip_prefix(dir.path()).unwrap().display().to_string()).collect();
        assert_eq!(names, ["a.tsv", "sub/b.tsv"]);
        // A held-out folder is skipped by the search of its parent, and read when named itself.
        std::fs::create_dir(dir.path().join("heldout")).unwrap();
        std::fs::write(dir.path().join("heldout/c.tsv"), tsv(&[])).unwrap();
        assert_eq!(tsv_files(&[dir.path().to_owned()]).unwrap().len(), 2);
        assert_eq!(tsv_files(&[dir.path().join("heldout")]).unwrap(), [dir.path().join("heldout/c.tsv")]);
        assert_eq!(read_tsv(&files[0]).unwrap().len(), 1);
        assert!(read_tsv(&files[1]).unwrap().is_empty());
        let bad = dir.path().join("bad.tsv");
        std::fs::write(&bad, [HEADER.as_bytes(), b"\nk/1.txt\t\xff\n"].concat()).unwrap();
        let e = read_tsv(&bad).unwrap_err().to_string();
        assert!(e.ends_with("bad.tsv: line 2: not valid UTF-8 (byte 62)"), "{e}");
        let e = read_tsv(&dir.path().join("missing.tsv")).unwrap_err().to_string();
        assert!(e.contains("missing.tsv: "), "{e}");
    }

    #[test]
    fn the_pipeline_predicts_rows_that_agree_with_their_pages() {
        let pipeline = Pipeline::new(crate::model::vocab::Namespace::default()).unwrap();
        let page = page_with("Kettle fever brings seizures and short stature. It causes no hearing loss.");
        let corpus = Corpus::from_pages(Path::new("/corpus"), [("k/1.txt".to_owned(), page)]);
        let (rows, timing) = predict(&pipeline, &corpus);
        corpus.check(&rows).unwrap();
        let found: Vec<(&str, &str, bool)> = rows
            .iter()
            .filter(|r| r.kind == Kind::Phenotype)
            .map(|r| (r.text.as_str(), r.id.as_str(), r.negated))
            .collect();
        assert_eq!(
            found,
            [
                ("seizures", "HP:0001250", false),
                ("short stature", "HP:0004322", false),
                ("hearing loss", "HP:0000365", true)
            ]
        );
        // The table row of the symptoms section is not a prose prediction.
        assert!(rows.iter().all(|r| r.span.is_none_or(|s| s.section == 0)));
        assert_eq!((timing.pages, timing.sentences), (1, 3));
        assert_eq!(
            timing.chars,
            "Kettle fever brings seizures and short stature. It causes no hearing loss.".len() + 35
        );
        // Scored against itself, everything matches.
        let report = score(&rows, &rows, &corpus, &Measure::ALL);
        let s = report.score(Measure::Phenotype).unwrap();
        assert_eq!((s.true_positives, s.f1), (3, Some(1.0)));
    }
}
