//! The one reader of the project's tab-separated tables: the reviewed tables of `ontology/` (lay synonyms, normal
//! findings, frequency words, treatment synonyms, cues and exclusions) and the derived disease-name lexicon.
//!
//! Every table has the same shape: `#` comment lines anywhere, a header line naming the columns, then one row per
//! line with exactly that many tab-separated, non-empty columns (spaces around a value are trimmed; quotes are
//! ordinary characters). Rows are read with the `csv` crate and deserialized with serde into the table's row
//! type; every error is a [`TableError`] naming the table, the 1-based line and the reason.

use serde::de::DeserializeOwned;

/// Why a table could not be read, or a row of it does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}: line {line}: {reason}")]
pub struct TableError {
    /// The table's name (its file in the repository, for bundled tables).
    pub name: String,
    /// The 1-based line (0 when the table has no line to blame, e.g. no header at all).
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

impl TableError {
    /// An error of line `line` of table `name`.
    pub fn new(name: &str, line: usize, reason: impl Into<String>) -> TableError {
        TableError { name: name.to_owned(), line, reason: reason.into() }
    }
}

/// One row of a table, with the line it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<T> {
    /// The 1-based line.
    pub line: usize,
    /// The row.
    pub row: T,
}

/// Reads the table `name` from `text`: the header must be exactly `columns`, and each row deserializes into `T`
/// (a struct whose fields are named like the columns). A text without a header line is an error.
pub fn read<T: DeserializeOwned>(text: &[u8], name: &str, columns: &[&str]) -> Result<Vec<Line<T>>, TableError> {
    // Comment and blank lines are dropped here, and each kept line remembers its number: without quoting a line is
    // one record, and the reader's own positions miscount lines after blank ones.
    let mut kept: Vec<u8> = Vec::with_capacity(text.len());
    let mut lines: Vec<usize> = Vec::new();
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if line.first() == Some(&b'#') || line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        kept.extend_from_slice(line);
        kept.push(b'\n');
        lines.push(i + 1);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(kept.as_slice());
    let line_of = |position: Option<&csv::Position>| {
        position.and_then(|p| usize::try_from(p.record()).ok()).and_then(|r| lines.get(r).copied()).unwrap_or(0)
    };
    let mut header: Option<csv::StringRecord> = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            let line = line_of(e.position());
            let reason = match e.kind() {
                csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_owned(),
                _ => e.to_string(),
            };
            TableError::new(name, line, reason)
        })?;
        if !more {
            break;
        }
        let line = line_of(record.position());
        let error = |reason: String| TableError::new(name, line, reason);
        let Some(names) = &header else {
            if record.iter().ne(columns.iter().copied()) {
                let found: Vec<&str> = record.iter().collect();
                return Err(error(format!(
                    "expected the header {:?}, found {:?}",
                    columns.join("\t"),
                    found.join("\t")
                )));
            }
            header = Some(record.clone());
            continue;
        };
        if record.len() != columns.len() {
            return Err(error(format!("expected {} tab-separated columns, found {}", columns.len(), record.len())));
        }
        if let Some((column, _)) = columns.iter().zip(record.iter()).find(|(_, value)| value.is_empty()) {
            return Err(error(format!("empty {column} column")));
        }
        let row = record.deserialize(Some(names)).map_err(|e| error(deserialize_reason(&e)))?;
        rows.push(Line { line, row });
    }
    if header.is_none() {
        return Err(TableError::new(name, 0, format!("no header line {:?}", columns.join("\t"))));
    }
    Ok(rows)
}

/// The first comment line of a table (without its `#`), which derived tables use to name their sources.
pub fn first_comment(text: &str) -> Option<&str> {
    text.lines().find_map(|line| line.strip_prefix('#')).map(str::trim)
}

/// A deserialization error in words, without the csv crate's position (the line is in the [`TableError`]).
fn deserialize_reason(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Deserialize { err, .. } => {
            let field = err.field().map(|f| format!("column {}: ", f + 1)).unwrap_or_default();
            format!("{field}{}", err.kind())
        }
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        text: String,
        count: u32,
    }

    fn rows(text: &str) -> Result<Vec<(usize, String, u32)>, String> {
        read::<Row>(text.as_bytes(), "t.tsv", &["text", "count"])
            .map(|rows| rows.into_iter().map(|l| (l.line, l.row.text, l.row.count)).collect())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn rows_keep_their_lines_after_comments_and_blank_lines() {
        let text = "# a table\n\ntext\tcount\n# a note\nkettle \"fever\"\t 2 \n\nteapot\t3\n";
        assert_eq!(rows(text).unwrap(), [(5, "kettle \"fever\"".to_owned(), 2), (7, "teapot".to_owned(), 3)]);
        assert_eq!(first_comment(text), Some("a table"));
        assert_eq!(first_comment("text\tcount\n"), None);
    }

    #[test]
    fn errors_name_the_table_the_line_and_the_reason() {
        for (text, message) in [
            ("", "t.tsv: line 0: no header line \"text\\tcount\""),
            ("# only a comment\n", "t.tsv: line 0: no header line"),
            ("text\n", "t.tsv: line 1: expected the header \"text\\tcount\", found \"text\""),
            ("text\tcount\nkettle\n", "t.tsv: line 2: expected 2 tab-separated columns, found 1"),
            ("text\tcount\nkettle\t1\t2\n", "t.tsv: line 2: expected 2 tab-separated columns, found 3"),
            ("text\tcount\n\t1\n", "t.tsv: line 2: empty text column"),
            ("text\tcount\nkettle\tmany\n", "t.tsv: line 2: column 2: "),
        ] {
            let error = rows(text).unwrap_err();
            assert!(error.starts_with(message), "{text:?}: {error}");
        }
        let error = read::<Row>(b"text\tcount\nk\xffttle\t1\n", "t.tsv", &["text", "count"]).unwrap_err();
        assert_eq!((error.line, error.reason.as_str()), (2, "not valid UTF-8"));
    }
}
