//! OBO -> RDF, as the OBO-to-OWL mapping (OBO 1.4 spec, section 5) writes the parts gardkg keeps.
//!
//! Written here rather than with `fastobo-owl`: that crate builds `horned-owl` axioms, which would then need
//! horned-owl's RDF writer and a re-parse into Oxigraph terms, two conversions and a second OWL model for the
//! dozen annotation properties below. What is kept: `owl:Class` declarations, `oboInOwl:id`, `rdfs:label`,
//! definitions (`IAO:0000115`), comments, synonyms with their scope (`oboInOwl:has{Exact,Broad,Narrow,Related}Synonym`),
//! cross-references (`oboInOwl:hasDbXref`), `is_a` as `rdfs:subClassOf`, alternative ids, OBO namespace, subsets,
//! obsolescence (`owl:deprecated`), `replaced_by` (`IAO:0100001`) and `consider`. Not kept (said in the README):
//! `relationship`, `intersection_of`, `union_of`, `disjoint_from` (OWL restrictions on blank nodes), typedefs and
//! property values; nothing gardkg queries uses them.

use std::collections::HashMap;
use std::io::BufRead;

use fastobo::ast::{Frame, HeaderClause, Ident, SynonymScope, TermClause, TermFrame};
use fastobo::parser::{Parser, ThreadedParser};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};

use super::{Header, OntologyError};
use crate::model::vocab::{obo, oboinowl, owl, rdf, rdfs};

/// The OBO PURL namespace: `HP:0000118` is `http://purl.obolibrary.org/obo/HP_0000118`.
pub(crate) const OBO_PURL: &str = obo::NS;

/// An OBO document as triples: its header and every triple of its terms.
pub struct OboTriples {
    /// The ontology IRI, short name and release.
    pub header: Header,
    /// The triples, in file order.
    pub triples: Vec<Triple>,
    /// What a lenient read had to repair or leave out (empty when the document parsed as it is).
    pub warnings: Vec<String>,
}

/// Parses an OBO document and maps it to RDF. Errors name the line and the reason.
///
/// Released OBO files are not always valid OBO 1.4: ECO 2024-07-19 has a definition whose cross-reference contains
/// a space (`[UniProt:Vishal Joshi, …]`), which fastobo rejects. When the whole document does not parse, it is read
/// again one stanza at a time: a stanza that fails is retried without the cross-reference lists of its `def:` and
/// `synonym:` lines, and each such repair is a warning; a stanza that still fails makes the document malformed (the
/// error names the first bad line). The file itself is never changed (vendored files stay unmodified copies).
pub fn read(mut reader: impl BufRead) -> Result<OboTriples, OntologyError> {
    let mut text = String::new();
    reader
        .read_to_string(&mut text)
        .map_err(|e| OntologyError::Obo { line: None, reason: format!("cannot read the document: {e}") })?;
    let mut parser = ThreadedParser::new(text.as_bytes());
    parser.ordered(true);
    match read_frames(parser.map(|frame| frame.map_err(obo_error)), Vec::new()) {
        Err(OntologyError::Obo { line: Some(line), reason }) => {
            read_leniently(&text).map_err(|_| OntologyError::Obo { line: Some(line), reason })
        }
        other => other,
    }
}

/// Reads stanza by stanza, repairing the cross-references fastobo rejects.
fn read_leniently(text: &str) -> Result<OboTriples, OntologyError> {
    use std::str::FromStr;
    let mut stanzas: Vec<(usize, String)> = vec![(1, String::new())];
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('[') {
            stanzas.push((n + 1, String::new()));
        }
        let current = &mut stanzas.last_mut().expect("one stanza at least").1;
        current.push_str(line);
        current.push('\n');
    }
    let mut warnings = Vec::new();
    let mut frames: Vec<Result<Frame, OntologyError>> = Vec::new();
    let header = fastobo::ast::HeaderFrame::from_str(&stanzas[0].1).map_err(|e| obo_error(e.into()))?;
    frames.push(Ok(Frame::Header(Box::new(header))));
    for (line, stanza) in &stanzas[1..] {
        if !stanza.starts_with("[Term]") {
            continue;
        }
        if let Ok(frame) = TermFrame::from_str(stanza) {
            frames.push(Ok(Frame::Term(Box::new(frame))));
            continue;
        }
        let repaired: String = stanza.lines().map(|l| without_xrefs(l) + "\n").collect();
        let id = stanza.lines().find_map(|l| l.strip_prefix("id: ")).unwrap_or("?").to_owned();
        match TermFrame::from_str(&repaired) {
            Ok(frame) => {
                warnings.push(format!(
                    "line {line}: {id}: cross-references of its definition or synonyms left out (not valid OBO)"
                ));
                frames.push(Ok(Frame::Term(Box::new(frame))));
            }
            // Not a cross-reference problem: the document is malformed (the caller reports the first error).
            Err(e) => return Err(obo_error(e.into())),
        }
    }
    read_frames(frames.into_iter(), warnings)
}

/// A `def:` or `synonym:` line with the cross-reference list after its quoted text emptied (`[...]` -> `[]`).
fn without_xrefs(line: &str) -> String {
    if !(line.starts_with("def:") || line.starts_with("synonym:")) {
        return line.to_owned();
    }
    let Some(quote) = line.rfind('"') else { return line.to_owned() };
    match (line[quote..].find('[').map(|i| quote + i), line.rfind(']')) {
        (Some(open), Some(close)) if open < close => format!("{}[]{}", &line[..open], &line[close + 1..]),
        _ => line.to_owned(),
    }
}

/// Maps parsed frames to RDF.
fn read_frames(
    mut frames: impl Iterator<Item = Result<Frame, OntologyError>>,
    warnings: Vec<String>,
) -> Result<OboTriples, OntologyError> {
    let Some(first) = frames.next().transpose()? else {
        return Err(OntologyError::Obo { line: None, reason: "empty document".into() });
    };
    let Frame::Header(header) = first else {
        return Err(OntologyError::Obo { line: Some(1), reason: "no OBO header".into() });
    };
    let mut name = None;
    let mut version = None;
    let mut idspaces = HashMap::new();
    for clause in header.iter() {
        match clause {
            HeaderClause::Ontology(o) => name = Some(o.as_str().to_owned()),
            HeaderClause::DataVersion(v) => version = Some(v.as_str().to_owned()),
            HeaderClause::Idspace(prefix, url, _) => {
                idspaces.insert(prefix.as_str().to_owned(), url.as_str().to_owned());
            }
            _ => {}
        }
    }
    let name = name.map(|n| n.trim_end_matches(".obo").to_owned()).ok_or_else(|| OntologyError::Obo {
        line: None,
        reason: "the header has no `ontology:` line, so the ontology has no IRI".into(),
    })?;
    let iri = ontology_iri(&name).map_err(|reason| OntologyError::Obo { line: None, reason })?;
    let mut out = Writer { idspaces, triples: Vec::new() };
    out.header(&iri, version.as_deref());
    for frame in frames {
        if let Frame::Term(term) = frame? {
            out.term(&term);
        }
    }
    let short = name.split('/').next().unwrap_or(&name).to_owned();
    Ok(OboTriples { header: Header { iri, name: short, version }, triples: out.triples, warnings })
}

/// The ontology IRI of an OBO `ontology:` id, as the OBO-to-OWL mapping makes it: `hp` (or `hp.obo`) is
/// `http://purl.obolibrary.org/obo/hp.owl`, `maxo/maxo-base` is `…/obo/maxo/maxo-base.owl`.
pub fn ontology_iri(id: &str) -> Result<NamedNode, String> {
    let id = id.trim().trim_end_matches(".obo");
    NamedNode::new(format!("{OBO_PURL}{id}.owl")).map_err(|e| format!("ontology id {id:?}: {e}"))
}

struct Writer {
    /// `idspace:` declarations: prefix -> URL prefix.
    idspaces: HashMap<String, String>,
    triples: Vec<Triple>,
}

impl Writer {
    fn add(&mut self, s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>, o: impl Into<Term>) {
        self.triples.push(Triple::new(NamedOrBlankNode::from(s.clone()), p, o.into()));
    }

    /// The ontology node with its release as `owl:versionInfo`. No `owl:versionIRI`: OBO files spell
    /// `data-version` in several ways (`hp/releases/2025-01-16`, `releases/2024-07-19`, a full path), and a guessed
    /// IRI would be an invented identifier.
    fn header(&mut self, iri: &NamedNode, version: Option<&str>) {
        self.add(iri, rdf::TYPE, owl::ONTOLOGY);
        if let Some(version) = version {
            self.add(iri, owl::VERSION_INFO, Literal::new_simple_literal(version));
        }
    }

    /// The IRI of an OBO identifier: `idspace:` URL, a full URL, or the OBO PURL (`HP:1` -> `…/obo/HP_1`).
    fn iri(&self, id: &Ident) -> Option<NamedNode> {
        let text = match id {
            Ident::Prefixed(p) => match self.idspaces.get(p.prefix()) {
                Some(url) => format!("{url}{}", p.local()),
                None => format!("{OBO_PURL}{}_{}", p.prefix(), p.local()),
            },
            Ident::Url(url) => url.as_str().to_owned(),
            // An unprefixed id (`part_of`) has no standard IRI in a term frame; such ids only name relations.
            Ident::Unprefixed(_) => return None,
        };
        NamedNode::new(text).ok()
    }

    fn term(&mut self, frame: &TermFrame) {
        let id = frame.id().as_inner().as_id();
        let Some(term) = self.iri(id) else { return };
        self.add(&term, rdf::TYPE, owl::CLASS);
        self.add(&term, oboinowl::ID, Literal::new_simple_literal(id.to_string()));
        for clause in frame.clauses() {
            let object: Term = match clause.as_inner() {
                TermClause::Name(name) => {
                    self.add(&term, rdfs::LABEL, Literal::new_simple_literal(name.as_str()));
                    continue;
                }
                TermClause::Def(def) => {
                    self.add(&term, obo::DEFINITION, Literal::new_simple_literal(def.text().as_str()));
                    continue;
                }
                TermClause::Comment(comment) => {
                    self.add(&term, rdfs::COMMENT, Literal::new_simple_literal(comment.as_str()));
                    continue;
                }
                TermClause::Synonym(synonym) => {
                    let property = match synonym.scope() {
                        SynonymScope::Exact => oboinowl::HAS_EXACT_SYNONYM,
                        SynonymScope::Broad => oboinowl::HAS_BROAD_SYNONYM,
                        SynonymScope::Narrow => oboinowl::HAS_NARROW_SYNONYM,
                        SynonymScope::Related => oboinowl::HAS_RELATED_SYNONYM,
                    };
                    self.add(&term, property, Literal::new_simple_literal(synonym.description().as_str()));
                    continue;
                }
                TermClause::Xref(xref) => {
                    self.add(&term, oboinowl::HAS_DB_XREF, Literal::new_simple_literal(xref.id().to_string()));
                    continue;
                }
                TermClause::AltId(alt) => {
                    self.add(&term, oboinowl::HAS_ALTERNATIVE_ID, Literal::new_simple_literal(alt.to_string()));
                    continue;
                }
                TermClause::Namespace(ns) => {
                    self.add(&term, oboinowl::HAS_OBO_NAMESPACE, Literal::new_simple_literal(ns.to_string()));
                    continue;
                }
                TermClause::Consider(other) => {
                    self.add(&term, oboinowl::CONSIDER, Literal::new_simple_literal(other.to_string()));
                    continue;
                }
                TermClause::IsObsolete(true) => {
                    self.add(&term, owl::DEPRECATED, Literal::from(true));
                    continue;
                }
                TermClause::IsA(parent) => match self.iri(parent.as_id()) {
                    Some(p) => {
                        self.add(&term, rdfs::SUB_CLASS_OF, p);
                        continue;
                    }
                    None => continue,
                },
                TermClause::ReplacedBy(by) => match self.iri(by.as_id()) {
                    Some(by) => by.into(),
                    None => continue,
                },
                TermClause::Subset(subset) => match self.iri(subset.as_id()) {
                    Some(s) => {
                        self.add(&term, oboinowl::IN_SUBSET, s);
                        continue;
                    }
                    None => continue,
                },
                _ => continue,
            };
            self.add(&term, obo::TERM_REPLACED_BY, object);
        }
    }
}

/// Turns a `fastobo` error into ours, keeping the line number of syntax errors.
fn obo_error(error: fastobo::error::Error) -> OntologyError {
    use fastobo::error::{Error, SyntaxError};
    use fastobo::syntax::pest::error::LineColLocation;
    match error {
        Error::SyntaxError { error: SyntaxError::ParserError { error } } => {
            let line = match error.line_col {
                LineColLocation::Pos((line, _)) | LineColLocation::Span((line, _), _) => line,
            };
            OntologyError::Obo { line: Some(line), reason: format!("syntax error: {}", error.variant.message()) }
        }
        other => OntologyError::Obo { line: None, reason: other.to_string() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = "format-version: 1.2\ndata-version: hp/releases/2020-01-01\nontology: hp\n\n\
        [Term]\nid: HP:0000001\nname: All\n\n\
        [Term]\nid: HP:0000118\nname: Phenotypic abnormality\ndef: \"A deviation.\" [HPO:probinson]\n\
        is_a: HP:0000001 ! All\n\n\
        [Term]\nid: HP:0001250\nname: Seizure\nalt_id: HP:0002279\nsynonym: \"Fits\" BROAD []\n\
        synonym: \"Epileptic seizure\" EXACT layperson []\nxref: UMLS:C0036572\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0009999\nname: obsolete Fit\nis_obsolete: true\nreplaced_by: HP:0001250\n";

    fn has(triples: &[Triple], s: &str, p: oxigraph::model::NamedNodeRef<'_>, o: &str) -> bool {
        triples.iter().any(|t| {
            t.subject.to_string() == format!("<{OBO_PURL}{s}>")
                && t.predicate == p
                && (t.object.to_string() == o || t.object.to_string() == format!("<{OBO_PURL}{o}>"))
        })
    }

    #[test]
    fn maps_terms_as_obo_to_owl_does() {
        let doc = read(MINI.as_bytes()).unwrap();
        assert_eq!(doc.header.iri.as_str(), "http://purl.obolibrary.org/obo/hp.owl");
        assert_eq!(doc.header.name, "hp");
        assert_eq!(doc.header.version.as_deref(), Some("hp/releases/2020-01-01"));
        let t = &doc.triples;
        assert!(has(t, "hp.owl", owl::VERSION_INFO, "\"hp/releases/2020-01-01\""));
        assert!(has(t, "HP_0001250", rdfs::LABEL, "\"Seizure\""));
        assert!(has(t, "HP_0001250", rdfs::SUB_CLASS_OF, "HP_0000118"));
        assert!(has(t, "HP_0001250", oboinowl::HAS_BROAD_SYNONYM, "\"Fits\""));
        assert!(has(t, "HP_0001250", oboinowl::HAS_EXACT_SYNONYM, "\"Epileptic seizure\""));
        assert!(has(t, "HP_0001250", oboinowl::HAS_DB_XREF, "\"UMLS:C0036572\""));
        assert!(has(t, "HP_0001250", oboinowl::HAS_ALTERNATIVE_ID, "\"HP:0002279\""));
        assert!(has(t, "HP_0001250", oboinowl::ID, "\"HP:0001250\""));
        assert!(has(t, "HP_0000118", obo::DEFINITION, "\"A deviation.\""));
        assert!(has(t, "HP_0009999", owl::DEPRECATED, &Literal::from(true).to_string()));
        assert!(has(t, "HP_0009999", obo::TERM_REPLACED_BY, "HP_0001250"));
        assert!(has(t, "HP_0000001", rdf::TYPE, &format!("<{}>", owl::CLASS.as_str())));
    }

    #[test]
    fn invalid_cross_references_are_left_out_with_a_warning() {
        let text = format!(
            "{MINI}\n[Term]\nid: HP:0000002\nname: Odd\ndef: \"A def.\" [UniProt:Some One, url:x]\nis_a: HP:0000118\n"
        );
        let doc = read(text.as_bytes()).unwrap();
        assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
        assert!(doc.warnings[0].contains("HP:0000002"), "{:?}", doc.warnings);
        assert!(has(&doc.triples, "HP_0000002", obo::DEFINITION, "\"A def.\""));
        assert!(has(&doc.triples, "HP_0001250", rdfs::LABEL, "\"Seizure\""));
    }

    #[test]
    fn errors_name_the_line() {
        let err = read("format-version: 1.2\nontology: x\n\n[Term]\nid: X:1\nsynonym: \"open EXACT []\n".as_bytes())
            .err()
            .unwrap();
        assert!(err.to_string().contains("line 6"), "{err}");
        let err = read("format-version: 1.2\n\n[Term]\nid: X:1\n".as_bytes()).err().unwrap();
        assert!(err.to_string().contains("ontology:"), "{err}");
    }
}
