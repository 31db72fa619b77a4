//! The reviewed table of lay synonyms (`ontology/lay-synonyms.tsv`): everyday words for a phenotype that HPO does
//! not list as a name or `EXACT` synonym ("ear infections" for *Otitis media*). Each row names its HPO term by
//! identifier and label and says why the mapping holds; the table is compiled into the library and checked against
//! the ontology whenever a matcher is built ([`crate::recognize::phenotypes::lay::check`]), so an unknown, merged or
//! obsolete identifier is an error, never a silent miss.

use crate::lexicon::tables::{self, TableError};

/// The columns of the table.
const COLUMNS: [&str; 4] = ["text", "hpo_id", "hpo_label", "source"];

/// The bundled table.
static BUNDLED_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/lay-synonyms.tsv"));

/// The reviewed words that deny a phenotype ("normal intelligence"), in the same format.
static BUNDLED_NORMAL_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/normal-findings.tsv"));

/// The file name of the bundled normal-finding table, for messages.
pub const BUNDLED_NORMAL_NAME: &str = "ontology/normal-findings.tsv";

/// The name errors in the bundled table carry.
pub const BUNDLED_NAME: &str = "ontology/lay-synonyms.tsv";

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaySynonym {
    /// The lay words, e.g. `ear infection` (matched like an HPO name: any case, singular or plural).
    pub text: String,
    /// The HPO term, e.g. `HP:0000388`.
    pub hpo_id: String,
    /// The term's HPO name, e.g. `Otitis media` (checked against the ontology).
    pub hpo_label: String,
    /// Why the mapping holds.
    pub source: String,
    /// The 1-based line of the row in its file.
    pub line: usize,
}

/// A table of lay synonyms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaySynonyms {
    name: String,
    rows: Vec<LaySynonym>,
}

impl LaySynonyms {
    /// The table compiled into the library.
    pub fn bundled() -> Result<LaySynonyms, TableError> {
        Self::parse(BUNDLED_TSV, BUNDLED_NAME)
    }

    /// The bundled table of words that state a phenotype is absent ("normal intelligence" denies *Intellectual
    /// disability*): same columns, each row a negated mention of its term.
    pub fn bundled_normal_findings() -> Result<LaySynonyms, TableError> {
        Self::parse(BUNDLED_NORMAL_TSV, BUNDLED_NORMAL_NAME)
    }

    /// An empty table (no lay words recognized).
    pub fn empty() -> LaySynonyms {
        LaySynonyms::default()
    }

    /// Reads a table ([`tables::read`]) of four columns: `text`, `hpo_id`, `hpo_label`, `source`. `name` names the
    /// input in errors.
    pub fn parse(text: &str, name: &str) -> Result<LaySynonyms, TableError> {
        #[derive(serde::Deserialize)]
        struct Row {
            text: String,
            hpo_id: String,
            hpo_label: String,
            source: String,
        }
        let mut rows: Vec<LaySynonym> = Vec::new();
        for tables::Line { line, row } in tables::read::<Row>(text.as_bytes(), name, &COLUMNS)? {
            let error = |reason: String| TableError::new(name, line, reason);
            if !is_hpo_id(&row.hpo_id) {
                return Err(error(format!("{:?} is not an HPO identifier (HP: and 7 digits)", row.hpo_id)));
            }
            if let Some(first) = rows.iter().find(|r| r.text.eq_ignore_ascii_case(&row.text)) {
                return Err(error(format!("{:?} is already listed on line {}", row.text, first.line)));
            }
            rows.push(LaySynonym {
                text: row.text,
                hpo_id: row.hpo_id,
                hpo_label: row.hpo_label,
                source: row.source,
                line,
            });
        }
        Ok(LaySynonyms { name: name.to_owned(), rows })
    }

    /// The rows, in file order.
    pub fn rows(&self) -> &[LaySynonym] {
        &self.rows
    }

    /// The name the table's errors carry (its file).
    pub fn name(&self) -> &str {
        &self.name
    }
}

fn is_hpo_id(id: &str) -> bool {
    id.strip_prefix("HP:").is_some_and(|digits| digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    /// The header line of the table.
    const HEADER: &str = "text\thpo_id\thpo_label\tsource";
    use super::*;

    #[test]
    fn malformed_tables_are_errors_not_panics() {
        for (text, reason) in [
            ("text\thpo_id\n", "header"),
            (&format!("{HEADER}\nonly two\tcolumns\n")[..], "4 tab-separated columns"),
            (&format!("{HEADER}\near\tHP:12\tX\ty\n")[..], "not an HPO identifier"),
            (&format!("{HEADER}\near\tHP:0000388\t\ty\n")[..], "empty hpo_label"),
            (&format!("{HEADER}\near\tHP:0000388\tX\ty\nEar\tHP:0000388\tX\ty\n")[..], "already listed on line 2"),
        ] {
            let message = LaySynonyms::parse(text, "t.tsv").unwrap_err().to_string();
            assert!(message.contains(reason), "{message}");
        }
        for garbage in ["", "\u{0}\t\t\t", "#only a comment\n", "\t\t\t\n\n"] {
            assert!(LaySynonyms::parse(garbage, "garbage").is_err(), "{garbage:?}");
        }
        assert!(LaySynonyms::parse(HEADER, "empty").unwrap().rows().is_empty());
    }
}
