//! Pinned disease mappings: the Mondo SSSOM rows vendored in `ontology/mondo-gard.sssom.tsv.gz`.
//!
//! They link a GARD id to its Mondo term, and through Mondo's curated `exactMatch` rows to Orphanet, OMIM and
//! UMLS. Nothing here guesses: a mapping is emitted only when a pinned row states it.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::OnceLock;

use flate2::read::GzDecoder;

use crate::recognize::packed::{Keys, Lists, Strings, index};

static BUNDLED: &[u8] = include_bytes!("../ontology/mondo-gard.sssom.tsv.gz");

/// Why the mapping file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    /// The file could not be read or decompressed.
    #[error("mapping file: {0}")]
    Io(#[from] std::io::Error),
    /// A row is malformed.
    #[error("mapping file: line {line}: {reason}")]
    Malformed {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The label index could not be built.
    #[error("mapping file: cannot index the labels: {0}")]
    Index(String),
}

/// One Mondo term with its pinned mappings.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MondoTerm {
    /// `MONDO:0018039`.
    pub id: String,
    /// The Mondo label.
    pub label: String,
    /// `GARD:0012547` cross-references (`oboInOwl:hasDbXref`).
    pub gard: Vec<String>,
    /// `skos:exactMatch` CURIEs to Orphanet, OMIM and UMLS, as Mondo writes them.
    pub exact_matches: Vec<String>,
}

/// The pinned Mondo mappings, indexed by GARD id and by label. The tables are packed
/// ([`crate::recognize::packed`]): the start-up cache decodes them in a few allocations, and a [`MondoTerm`] is
/// put together when it is asked for.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Mappings {
    /// Term `i`'s MONDO id.
    ids: Strings,
    /// Term `i`'s label.
    labels: Strings,
    /// The CURIEs the terms point to (GARD cross-references and exact matches).
    refs: Strings,
    /// Term `i`'s GARD cross-references (numbers in `refs`).
    gard: Lists,
    /// Term `i`'s exact matches (numbers in `refs`).
    exact: Lists,
    /// (GARD number, term), sorted.
    by_gard: Vec<(u32, u32)>,
    /// Normalized label -> its list in `label_terms`.
    by_label: Keys,
    /// The terms bearing each label.
    label_terms: Lists,
    release: String,
}

impl Mappings {
    /// The mappings bundled with gardkg (parsed once, or read from the start-up cache, [`crate::cache`]).
    pub fn bundled() -> Result<&'static Mappings, &'static MappingError> {
        static CELL: OnceLock<Result<Mappings, MappingError>> = OnceLock::new();
        CELL.get_or_init(|| {
            crate::cache::Cache::global()
                .get_or_build("mondo-mappings", || Self::from_sssom(std::io::BufReader::new(GzDecoder::new(BUNDLED))))
        })
        .as_ref()
    }

    /// Reads SSSOM TSV rows (`subject_id subject_label predicate_id object_id ...`), header comments included.
    pub fn from_sssom(reader: impl BufRead) -> Result<Self, MappingError> {
        let mut release_text = String::new();
        let mut terms: Vec<MondoTerm> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut columns: Option<HashMap<String, usize>> = None;
        for (n, line) in reader.lines().enumerate() {
            let line = line?;
            if let Some(comment) = line.strip_prefix('#') {
                if let Some(version) = comment.trim().strip_prefix("mapping_set_version:") {
                    let release = version.trim().rsplit("releases/").next().unwrap_or("").trim_end_matches('/');
                    release.clone_into(&mut release_text);
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let Some(cols) = &columns else {
                columns = Some(fields.iter().enumerate().map(|(i, f)| ((*f).to_owned(), i)).collect());
                continue;
            };
            let get = |name: &str| cols.get(name).and_then(|&i| fields.get(i)).copied().unwrap_or("");
            let (subject, predicate, object) = (get("subject_id"), get("predicate_id"), get("object_id"));
            if !subject.starts_with("MONDO:") || object.is_empty() {
                return Err(MappingError::Malformed {
                    line: n + 1,
                    reason: format!("expected a MONDO subject and an object, found {subject:?} {object:?}"),
                });
            }
            let i = *index.entry(subject.to_owned()).or_insert_with(|| {
                terms.push(MondoTerm {
                    id: subject.to_owned(),
                    label: get("subject_label").to_owned(),
                    ..MondoTerm::default()
                });
                terms.len() - 1
            });
            let term = &mut terms[i];
            match predicate {
                "oboInOwl:hasDbXref" if object.starts_with("GARD:") => term.gard.push(object.to_owned()),
                "skos:exactMatch" => term.exact_matches.push(object.to_owned()),
                _ => {}
            }
        }
        Self::pack(&terms, release_text)
    }

    /// The packed tables of `terms`.
    fn pack(terms: &[MondoTerm], release: String) -> Result<Self, MappingError> {
        let mut mappings = Mappings { release, ..Mappings::default() };
        let mut refs: HashMap<String, u32> = HashMap::new();
        let mut by_label: HashMap<String, Vec<u32>> = HashMap::new();
        let (mut gard, mut exact) = (Vec::new(), Vec::new());
        for (i, term) in (0u32..).zip(terms) {
            mappings.ids.push(&term.id);
            mappings.labels.push(&term.label);
            let mut number = |curie: &String| *refs.entry(curie.clone()).or_insert_with(|| mappings.refs.push(curie));
            gard.push(term.gard.iter().map(&mut number).collect::<Vec<u32>>());
            exact.push(term.exact_matches.iter().map(&mut number).collect::<Vec<u32>>());
            for g in &term.gard {
                if let Some(n) = g.strip_prefix("GARD:").and_then(|n| n.parse::<u32>().ok()) {
                    mappings.by_gard.push((n, i));
                }
            }
            by_label.entry(normalize_label(&term.label)).or_default().push(i);
        }
        mappings.by_gard.sort_unstable();
        mappings.gard = Lists::new(gard.iter().map(Vec::as_slice));
        mappings.exact = Lists::new(exact.iter().map(Vec::as_slice));
        (mappings.by_label, mappings.label_terms) = index(by_label).map_err(|e| MappingError::Index(e.to_string()))?;
        Ok(mappings)
    }

    /// The Mondo release the rows come from (`2026-08-04`).
    pub fn release(&self) -> &str {
        &self.release
    }

    /// The Mondo terms cross-referenced to a GARD id.
    pub fn for_gard(&self, number: u32) -> impl Iterator<Item = MondoTerm> + '_ {
        let from = self.by_gard.partition_point(|&(n, _)| n < number);
        self.by_gard[from..].iter().take_while(move |&&(n, _)| n == number).map(|&(_, i)| self.term(i))
    }

    /// The GARD id of the one Mondo term whose label is `title` (case and spacing aside), if exactly one has one.
    pub fn gard_for_title(&self, title: &str) -> Option<u32> {
        let hits = self.label_terms.get(self.by_label.get(&normalize_label(title))?);
        let mut ids = hits
            .iter()
            .flat_map(|&i| self.gard.get(i))
            .filter_map(|&g| self.refs.get(g).strip_prefix("GARD:")?.parse::<u32>().ok());
        let first = ids.next()?;
        ids.all(|n| n == first).then_some(first)
    }

    /// Term `i`, put together.
    fn term(&self, i: u32) -> MondoTerm {
        let curies = |list: &[u32]| list.iter().map(|&r| self.refs.get(r).to_owned()).collect();
        MondoTerm {
            id: self.ids.get(i).to_owned(),
            label: self.labels.get(i).to_owned(),
            gard: curies(self.gard.get(i)),
            exact_matches: curies(self.exact.get(i)),
        }
    }

    /// Number of Mondo terms.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no rows were read.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

fn normalize_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_mappings_link_gard_to_mondo_orphanet_and_umls() {
        let m = Mappings::bundled().unwrap();
        assert_eq!(m.release(), "2026-08-04");
        let terms: Vec<_> = m.for_gard(12547).collect();
        assert_eq!(terms.len(), 1);
        assert_eq!(terms[0].id, "MONDO:0018039");
        assert!(terms[0].exact_matches.contains(&"Orphanet:331235".to_owned()));
        assert!(terms[0].exact_matches.contains(&"UMLS:C0154275".to_owned()));
        assert_eq!(m.gard_for_title("Selective  IgM deficiency"), Some(12547));
        assert_eq!(m.gard_for_title("no such disease at all"), None);
    }

    #[test]
    fn malformed_rows_name_the_line() {
        let tsv = "subject_id\tsubject_label\tpredicate_id\tobject_id\nX:1\tx\tskos:exactMatch\tY:2\n";
        let err = Mappings::from_sssom(tsv.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
