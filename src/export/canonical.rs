//! Canonical N-Quads (W3C RDFC-1.0, by sophia) and dataset isomorphism: for golden files and independent checks.
//!
//! sophia is a second RDF implementation: re-reading gardkg's output with its parsers and comparing with
//! [`isomorphic`] checks Oxigraph's serializers and our model at once.

use std::collections::HashSet;

use sophia::api::prelude::*;
use sophia::api::term::SimpleTerm;
use sophia::inmem::dataset::LightDataset;

/// Why canonicalization or a comparison failed.
#[derive(Debug, thiserror::Error)]
pub enum CanonicalError {
    /// The input could not be parsed.
    #[error("cannot parse {syntax}: {message}")]
    Parse {
        /// The syntax being read.
        syntax: &'static str,
        /// The parser's message.
        message: String,
    },
    /// RDFC-1.0 gave up (too many blank-node permutations) or could not write.
    #[error("canonicalization failed: {0}")]
    C14n(String),
}

/// A dataset as sophia holds it.
pub type Dataset = LightDataset;

/// Parses N-Quads with sophia.
pub fn parse_nquads(text: &str) -> Result<Dataset, CanonicalError> {
    sophia::turtle::parser::nq::parse_str(text)
        .collect_quads()
        .map_err(|e| CanonicalError::Parse { syntax: "N-Quads", message: e.to_string() })
}

/// Parses Turtle with sophia (triples land in the default graph).
pub fn parse_turtle(text: &str) -> Result<Dataset, CanonicalError> {
    let graph: Vec<[SimpleTerm<'static>; 3]> = sophia::turtle::parser::turtle::parse_str(text)
        .collect_triples()
        .map_err(|e| CanonicalError::Parse { syntax: "Turtle", message: e.to_string() })?;
    let mut dataset = Dataset::new();
    for [s, p, o] in graph {
        dataset
            .insert(s, p, o, None as Option<SimpleTerm<'static>>)
            .map_err(|e| CanonicalError::Parse { syntax: "Turtle", message: e.to_string() })?;
    }
    Ok(dataset)
}

/// Canonical N-Quads (RDFC-1.0, SHA-256) of a dataset: one sorted line per quad, blank nodes relabeled.
pub fn canonical_nquads(dataset: &Dataset) -> Result<String, CanonicalError> {
    let mut out = Vec::new();
    sophia::c14n::rdfc10::normalize(dataset, &mut out).map_err(|e| CanonicalError::C14n(e.to_string()))?;
    String::from_utf8(out).map_err(|e| CanonicalError::C14n(e.to_string()))
}

/// Whether two datasets are isomorphic (equal up to blank-node renaming).
pub fn isomorphic(a: &Dataset, b: &Dataset) -> Result<bool, CanonicalError> {
    sophia::isomorphism::isomorphic_datasets(a, b).map_err(|e| CanonicalError::C14n(e.to_string()))
}

/// The quads of `a` missing from `b` (as canonical N-Quads lines), to explain a failed comparison.
pub fn difference(a: &Dataset, b: &Dataset) -> Result<Vec<String>, CanonicalError> {
    let a = canonical_nquads(a)?;
    let b: HashSet<String> = canonical_nquads(b)?.lines().map(str::to_owned).collect();
    Ok(a.lines().filter(|l| !b.contains(*l)).map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_is_sorted_and_isomorphism_ignores_blank_labels() {
        let a =
            parse_nquads("<http://e/b> <http://e/p> _:x <http://e/g> .\n<http://e/a> <http://e/p> \"1\" .\n").unwrap();
        let b =
            parse_nquads("<http://e/a> <http://e/p> \"1\" .\n<http://e/b> <http://e/p> _:y <http://e/g> .\n").unwrap();
        assert!(isomorphic(&a, &b).unwrap());
        let text = canonical_nquads(&a).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.lines().next().unwrap().starts_with("<http://e/a>"));
        let c = parse_nquads("<http://e/a> <http://e/p> \"2\" .\n").unwrap();
        assert!(!isomorphic(&a, &c).unwrap());
        assert_eq!(difference(&c, &a).unwrap(), ["<http://e/a> <http://e/p> \"2\" ."]);
    }

    #[test]
    fn turtle_lands_in_the_default_graph() {
        let t = parse_turtle("@prefix e: <http://e/> . e:a e:p 1 .").unwrap();
        let n =
            parse_nquads("<http://e/a> <http://e/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n").unwrap();
        assert!(isomorphic(&t, &n).unwrap());
        assert!(parse_turtle("e:a e:p").is_err());
    }
}
