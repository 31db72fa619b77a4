//! The Human Phenotype Ontology as a lexicon: terms, names, synonyms and the `is_a` hierarchy.
//!
//! The pinned release (`ontology/hp.obo.gz`, see `ontology/hp.LICENSE.md`) is compiled into the library and read
//! once, on first use, by [`Ontology::bundled`]. Any other release can be read with [`Ontology::from_obo`].
//!
//! Parsing uses `fastobo` (a complete OBO 1.4 parser). Measured on hp.obo 2025-01-16 (10 MB, 19,484 terms) in a
//! dev build with dependencies at opt-level 2 on a loaded 2-core machine: about 1.2-1.3 s with its threaded
//! parser (1.3-1.7 s sequential), under the 1.5 s budget that would have justified a hand-written stanza reader.

use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::sync::OnceLock;

use fastobo::ast::{Frame, HeaderClause, SynonymScope, TermClause};
use fastobo::parser::{Parser, ThreadedParser};
use serde::{Deserialize, Serialize};

use crate::recognize::RecognizeError;

/// The compressed pinned HPO release.
static BUNDLED_OBO_GZ: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/hp.obo.gz"));

/// How far [`Ontology::resolve`] follows `replaced_by` links before giving up on a cycle.
const MAX_REPLACEMENTS: usize = 16;

/// The scope of a synonym, as OBO states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Means exactly the same as the term name.
    Exact,
    /// Broader than the term.
    Broad,
    /// Narrower than the term.
    Narrow,
    /// Related in some other way.
    Related,
}

/// A synonym of a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Synonym {
    /// The synonym as written.
    pub text: String,
    /// How close its meaning is to the term's.
    pub scope: Scope,
    /// Whether HPO types it `layperson`: words a patient would use.
    #[serde(default)]
    pub layperson: bool,
}

/// One HPO term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// The identifier, e.g. `HP:0002719`.
    pub id: String,
    /// The term's `name`, e.g. `Recurrent infections`.
    pub label: String,
    /// Synonyms, in file order.
    pub synonyms: Vec<Synonym>,
    /// The direct `is_a` parents.
    pub parents: Vec<String>,
    /// Former identifiers merged into this term (`alt_id`).
    pub alt_ids: Vec<String>,
    /// Whether the term is obsolete.
    pub obsolete: bool,
    /// The term that replaces an obsolete one.
    pub replaced_by: Option<String>,
    /// Terms an obsolete one suggests considering instead (`consider`), in file order.
    #[serde(default)]
    pub consider: Vec<String>,
}

/// The Human Phenotype Ontology, indexed for lookups.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ontology {
    release: Option<String>,
    terms: Vec<Term>,
    /// Identifier -> index in `terms`.
    by_id: HashMap<String, usize>,
    /// Alternative identifier -> index of the term that lists it.
    by_alt_id: HashMap<String, usize>,
    /// Identifier of an obsolete stanza -> index of a live term that lists it as an `alt_id` (merged into it).
    merged_into: HashMap<String, usize>,
    /// Index -> indexes of the direct `is_a` children.
    children: Vec<Vec<usize>>,
}

impl Ontology {
    /// The pinned release compiled into the library, read on first use and shared afterwards: from the start-up
    /// cache ([`crate::cache`]), or parsed (about a second) and cached.
    pub fn bundled() -> Result<&'static Ontology, RecognizeError> {
        static BUNDLED: OnceLock<Result<Ontology, String>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| crate::cache::Cache::global().get_or_build("hp", Self::parse_bundled))
            .as_ref()
            .map_err(|reason| RecognizeError::Bundled { reason: reason.clone() })
    }

    /// Parses the pinned release compiled into the library (what [`Ontology::bundled`] caches).
    pub fn parse_bundled() -> Result<Ontology, String> {
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(BUNDLED_OBO_GZ)
            .read_to_end(&mut text)
            .map_err(|e| format!("cannot decompress ontology/hp.obo.gz: {e}"))?;
        Ontology::from_obo(text.as_slice()).map_err(|e| format!("ontology/hp.obo.gz: {e}"))
    }

    /// Reads an ontology in OBO format. Errors name the line and the reason.
    pub fn from_obo(reader: impl BufRead) -> Result<Ontology, RecognizeError> {
        let mut parser = ThreadedParser::new(reader);
        parser.ordered(true);
        let mut release = None;
        let mut terms = Vec::new();
        for frame in parser {
            match frame.map_err(obo_error)? {
                Frame::Header(header) => {
                    for clause in header.iter() {
                        if let HeaderClause::DataVersion(version) = clause {
                            release = Some(version.as_str().to_owned());
                        }
                    }
                }
                Frame::Term(frame) => terms.push(term_from_frame(&frame)),
                Frame::Typedef(_) | Frame::Instance(_) => {}
            }
        }
        Ontology::from_terms(release, terms)
    }

    /// Builds the indexes over a list of terms (the first of duplicate identifiers wins).
    fn from_terms(release: Option<String>, terms: Vec<Term>) -> Result<Ontology, RecognizeError> {
        let mut by_id = HashMap::with_capacity(terms.len());
        for (i, term) in terms.iter().enumerate() {
            if by_id.insert(term.id.clone(), i).is_some() {
                return Err(RecognizeError::Obo { line: None, reason: format!("duplicate term {}", term.id) });
            }
        }
        let mut by_alt_id = HashMap::new();
        let mut merged_into = HashMap::new();
        let mut children = vec![Vec::new(); terms.len()];
        for (i, term) in terms.iter().enumerate() {
            for alt in &term.alt_ids {
                if !by_id.contains_key(alt) {
                    by_alt_id.entry(alt.clone()).or_insert(i);
                } else if !term.obsolete {
                    merged_into.entry(alt.clone()).or_insert(i);
                }
            }
            for parent in &term.parents {
                if let Some(&p) = by_id.get(parent) {
                    children[p].push(i);
                }
            }
        }
        Ok(Ontology { release, terms, by_id, by_alt_id, merged_into, children })
    }

    /// The release, from the `data-version` header (`hp/releases/2025-01-16`); empty when the file has none.
    pub fn release(&self) -> &str {
        self.release.as_deref().unwrap_or_default()
    }

    /// Every term, obsolete ones included, in file order.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The number of terms, obsolete ones included.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the ontology has no term.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The term with this identifier, or the term that lists it as an `alt_id`.
    pub fn term(&self, id: &str) -> Option<&Term> {
        self.index(id).map(|i| &self.terms[i])
    }

    /// Whether the identifier names a term, directly or as an `alt_id`.
    pub fn contains(&self, id: &str) -> bool {
        self.index(id).is_some()
    }

    /// The current identifier for `id`: itself for a live term, the merged term for an `alt_id`, the replacement
    /// for an obsolete term (followed transitively). `None` when the identifier is unknown, or obsolete without
    /// a replacement.
    pub fn resolve(&self, id: &str) -> Option<&str> {
        let mut term = self.term(id)?;
        for _ in 0..MAX_REPLACEMENTS {
            if !term.obsolete {
                return Some(&term.id);
            }
            term = self.term(term.replaced_by.as_deref()?)?;
        }
        None
    }

    /// The current term an obsolete term's names stand for: its `replaced_by`, or else the live term that lists
    /// it as an `alt_id` (HPO keeps some merged terms as obsolete stanzas too), or else its only `consider` (none
    /// when it suggests several), resolved with [`Ontology::resolve`]. `None` for a live or unknown term, or an
    /// obsolete term without a single successor.
    pub fn successor(&self, id: &str) -> Option<&str> {
        let term = self.term(id).filter(|t| t.obsolete)?;
        if term.replaced_by.is_none()
            && let Some(&merged) = self.merged_into.get(&term.id)
        {
            return self.resolve(&self.terms[merged].id);
        }
        let next = match (&term.replaced_by, term.consider.as_slice()) {
            (Some(by), _) => by,
            (None, [only]) => only,
            (None, _) => return None,
        };
        self.resolve(next)
    }

    /// Whether `id` is `ancestor` or one of its descendants over `is_a` (both resolved first). Reflexive: a term
    /// is a subclass of itself.
    pub fn is_a(&self, id: &str, ancestor: &str) -> bool {
        let (Some(id), Some(ancestor)) = (self.resolve(id), self.resolve(ancestor)) else {
            return false;
        };
        let (Some(start), Some(goal)) = (self.by_id.get(id), self.by_id.get(ancestor)) else {
            return false;
        };
        let mut seen = vec![false; self.terms.len()];
        let mut stack = vec![*start];
        while let Some(i) = stack.pop() {
            if i == *goal {
                return true;
            }
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            stack.extend(self.terms[i].parents.iter().filter_map(|p| self.by_id.get(p).copied()));
        }
        false
    }

    /// The term `id` and all its descendants over `is_a`, each once (empty when `id` is unknown).
    pub fn descendants(&self, id: &str) -> impl Iterator<Item = &Term> {
        let mut seen = vec![false; self.terms.len()];
        let mut stack: Vec<usize> = self.index(id).into_iter().collect();
        let mut found = Vec::new();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            found.push(i);
            stack.extend(&self.children[i]);
        }
        found.sort_unstable();
        found.into_iter().map(|i| &self.terms[i])
    }

    fn index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).or_else(|| self.by_alt_id.get(id)).copied()
    }
}

fn term_from_frame(frame: &fastobo::ast::TermFrame) -> Term {
    let mut term = Term {
        id: frame.id().as_inner().to_string(),
        label: String::new(),
        synonyms: Vec::new(),
        parents: Vec::new(),
        alt_ids: Vec::new(),
        obsolete: false,
        replaced_by: None,
        consider: Vec::new(),
    };
    for clause in frame.clauses() {
        match clause.as_inner() {
            TermClause::Name(name) => name.as_str().clone_into(&mut term.label),
            TermClause::Synonym(synonym) => term.synonyms.push(Synonym {
                text: synonym.description().as_str().to_owned(),
                scope: match synonym.scope() {
                    SynonymScope::Exact => Scope::Exact,
                    SynonymScope::Broad => Scope::Broad,
                    SynonymScope::Narrow => Scope::Narrow,
                    SynonymScope::Related => Scope::Related,
                },
                layperson: synonym.ty().is_some_and(|ty| ty.to_string() == "layperson"),
            }),
            TermClause::IsA(parent) => term.parents.push(parent.to_string()),
            TermClause::AltId(alt) => term.alt_ids.push(alt.to_string()),
            TermClause::IsObsolete(obsolete) => term.obsolete = *obsolete,
            TermClause::ReplacedBy(by) => term.replaced_by = Some(by.to_string()),
            TermClause::Consider(other) => term.consider.push(other.to_string()),
            _ => {}
        }
    }
    term
}

/// Turns a `fastobo` error into ours, keeping the line number of syntax errors.
fn obo_error(error: fastobo::error::Error) -> RecognizeError {
    use fastobo::error::{Error, SyntaxError};
    use fastobo::syntax::pest::error::{ErrorVariant, LineColLocation};
    match error {
        Error::SyntaxError { error: SyntaxError::ParserError { error } } => {
            let line = match error.line_col {
                LineColLocation::Pos((line, _)) | LineColLocation::Span((line, _), _) => line,
            };
            let reason = match &error.variant {
                ErrorVariant::ParsingError { positives, .. } if !positives.is_empty() => {
                    let expected: Vec<String> = positives.iter().take(4).map(|r| format!("{r:?}")).collect();
                    format!("syntax error: expected {} in {:?}", expected.join(" or "), error.line())
                }
                _ => format!("syntax error: {} in {:?}", error.variant.message(), error.line()),
            };
            RecognizeError::Obo { line: Some(line), reason }
        }
        other => RecognizeError::Obo { line: None, reason: other.to_string() },
    }
}

/// An ontology a recognizer reads from: one bundled with the library (lives for the program), or one the caller
/// loaded and shares.
#[derive(Debug, Clone)]
pub(crate) enum OntologyRef {
    /// A bundled ontology.
    Static(&'static Ontology),
    /// An ontology the caller loaded.
    Shared(std::sync::Arc<Ontology>),
}

impl std::ops::Deref for OntologyRef {
    type Target = Ontology;

    fn deref(&self) -> &Ontology {
        match self {
            OntologyRef::Static(o) => o,
            OntologyRef::Shared(o) => o,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI_OBO: &str = "format-version: 1.2\ndata-version: test/2020-01-01\n\n\
        [Term]\nid: HP:0000001\nname: All\n\n\
        [Term]\nid: HP:0000118\nname: Phenotypic abnormality\nis_a: HP:0000001 ! All\n\n\
        [Term]\nid: HP:0001250\nname: Seizure\nalt_id: HP:0002279\n\
        synonym: \"Epileptic seizure\" EXACT []\nsynonym: \"Fits\" BROAD layperson []\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0009999\nname: obsolete Fit\nis_obsolete: true\nreplaced_by: HP:0001250\n\n\
        [Term]\nid: HP:0009998\nname: obsolete Convulsion\nis_obsolete: true\nconsider: HP:0009999\n\n\
        [Term]\nid: HP:0009997\nname: obsolete Spell\nis_obsolete: true\nconsider: HP:0001250\nconsider: HP:0000118\n\n\
        [Term]\nid: HP:0009996\nname: obsolete Ictus\nis_obsolete: true\n\n\
        [Term]\nid: HP:0009995\nname: Attack\nalt_id: HP:0009996\n";

    #[test]
    fn reads_terms_synonyms_and_release() {
        let hpo = Ontology::from_obo(MINI_OBO.as_bytes()).unwrap();
        assert_eq!(hpo.release(), "test/2020-01-01");
        assert_eq!(hpo.len(), 8);
        let seizure = hpo.term("HP:0001250").unwrap();
        assert_eq!(seizure.label, "Seizure");
        assert_eq!(
            seizure.synonyms,
            vec![
                Synonym { text: "Epileptic seizure".into(), scope: Scope::Exact, layperson: false },
                Synonym { text: "Fits".into(), scope: Scope::Broad, layperson: true }
            ]
        );
        assert_eq!(seizure.parents, vec!["HP:0000118".to_owned()]);
    }

    #[test]
    fn resolves_alt_ids_and_replacements() {
        let hpo = Ontology::from_obo(MINI_OBO.as_bytes()).unwrap();
        assert_eq!(hpo.term("HP:0002279").map(|t| t.id.as_str()), Some("HP:0001250"));
        assert_eq!(hpo.resolve("HP:0002279"), Some("HP:0001250"));
        assert_eq!(hpo.resolve("HP:0009999"), Some("HP:0001250"));
        assert!(hpo.term("HP:0009999").unwrap().obsolete);
        assert_eq!(hpo.resolve("HP:1234567"), None);
        assert!(hpo.contains("HP:0002279"));
        assert!(!hpo.contains("HP:1234567"));
    }

    #[test]
    fn successors_follow_replaced_by_or_a_single_consider() {
        let hpo = Ontology::from_obo(MINI_OBO.as_bytes()).unwrap();
        assert_eq!(hpo.successor("HP:0009999"), Some("HP:0001250"));
        // The only `consider` is itself obsolete: followed to the current term.
        assert_eq!(hpo.successor("HP:0009998"), Some("HP:0001250"));
        assert_eq!(hpo.term("HP:0009998").unwrap().consider, ["HP:0009999"]);
        // Two suggestions: no successor; `resolve` never follows `consider`.
        assert_eq!(hpo.successor("HP:0009997"), None);
        assert_eq!(hpo.resolve("HP:0009998"), None);
        // An obsolete stanza whose id a live term lists as an `alt_id` was merged into that term.
        assert_eq!(hpo.successor("HP:0009996"), Some("HP:0009995"));
        // Live terms have no successor.
        assert_eq!(hpo.successor("HP:0001250"), None);
    }

    #[test]
    fn is_a_is_transitive_and_reflexive() {
        let hpo = Ontology::from_obo(MINI_OBO.as_bytes()).unwrap();
        assert!(hpo.is_a("HP:0001250", "HP:0000001"));
        assert!(hpo.is_a("HP:0002279", "HP:0000118"));
        assert!(hpo.is_a("HP:0000118", "HP:0000118"));
        assert!(!hpo.is_a("HP:0000118", "HP:0001250"));
        let under: Vec<&str> = hpo.descendants("HP:0000118").map(|t| t.id.as_str()).collect();
        assert_eq!(under, ["HP:0000118", "HP:0001250"]);
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let bad = "format-version: 1.2\n\n[Term]\nid: HP:0000001\nname: All\nsynonym: \"unterminated EXACT []\n";
        let err = Ontology::from_obo(bad.as_bytes()).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("line 6"), "{message}");
    }

    #[test]
    fn garbage_and_truncated_input_give_errors_not_panics() {
        for input in [
            &b"\xff\xfe\x00garbage\n[Term\n"[..],
            b"[Term]\nid: HP:0000001\nname",
            b"[Term]\n",
            b"",
            &MINI_OBO.as_bytes()[..MINI_OBO.len() / 2],
        ] {
            // Either an error or a (possibly empty) ontology: never a panic.
            let _ = Ontology::from_obo(input);
        }
        assert!(Ontology::from_obo(&b"\xff\xfe\x00garbage\n[Term\n"[..]).is_err());
    }

    #[test]
    fn bundled_release_is_the_pinned_one() {
        let hpo = Ontology::bundled().unwrap();
        assert_eq!(hpo.release(), "hp/releases/2025-01-16");
        assert_eq!(hpo.len(), 19_484);
        assert_eq!(hpo.term("HP:0002719").unwrap().label, "Recurrent infections");
        assert!(hpo.is_a("HP:0002719", "HP:0000118"));
    }
}
