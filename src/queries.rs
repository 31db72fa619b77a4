//! The canned SPARQL queries of `queries/`, compiled into the binary so `gardkg query NAME` works anywhere.
//!
//! Each file starts with comment lines saying what it answers, and `# param: NAME iri|literal  description`
//! lines for the variables a caller may bind (`--bind disease=GARD:0012547`). Binding substitutes a value for
//! the variable: values never become query text, so names from users cannot inject SPARQL.

use oxigraph::model::{Literal, NamedNode, Term};

use crate::model::vocab::{self, DEFAULT_BASE};

/// A canned query.
#[derive(Debug, Clone, Copy)]
pub struct CannedQuery {
    /// The name, the file stem in `queries/`.
    pub name: &'static str,
    /// The query text.
    pub text: &'static str,
}

/// How a parameter's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// An IRI, written `<...>` or as a CURIE with a known prefix.
    Iri,
    /// A plain string.
    Literal,
}

/// A parameter a canned query declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The variable name, without `?`.
    pub name: String,
    /// How values are read.
    pub kind: ParamKind,
    /// What it is for.
    pub description: String,
}

macro_rules! canned {
    ($($name:literal),* $(,)?) => {
        /// Every canned query, by name.
        pub const ALL: &[CannedQuery] = &[
            $(CannedQuery { name: $name, text: include_str!(concat!("../queries/", $name, ".rq")) }),*
        ];
    };
}

canned!(
    "phenotypes",
    "phenotypes-by-branch",
    "diseases-under",
    "similar-diseases",
    "references",
    "find-disease",
    "warnings",
    "prevalence",
);

/// The canned query with this name.
pub fn get(name: &str) -> Option<&'static CannedQuery> {
    ALL.iter().find(|q| q.name == name)
}

impl CannedQuery {
    /// The header comment: what the query answers.
    pub fn summary(&self) -> String {
        self.text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .filter(|l| !l.starts_with("# param:"))
            .map(|l| l.trim_start_matches('#').trim())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The declared parameters.
    pub fn params(&self) -> Vec<Param> {
        params(self.text)
    }
}

/// The `# param:` declarations of a query text.
pub fn params(text: &str) -> Vec<Param> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("# param:"))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let name = words.next()?.to_owned();
            let kind = match words.next()? {
                "iri" => ParamKind::Iri,
                _ => ParamKind::Literal,
            };
            Some(Param { name, kind, description: words.collect::<Vec<_>>().join(" ") })
        })
        .collect()
}

/// A value bound to a variable: `<iri>`, a CURIE with a known prefix (for IRI parameters and undeclared ones;
/// `GARD:12547` is padded to `GARD:0012547`), or text (for text parameters, and undeclared values that are not
/// CURIEs). The value becomes an RDF term, never query text.
pub fn bind_value(value: &str, kind: Option<ParamKind>) -> Result<Term, String> {
    let value = value.trim();
    if let Some(iri) = value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        return NamedNode::new(iri).map(Term::from).map_err(|_| format!("{value} is not a valid IRI"));
    }
    match kind {
        Some(ParamKind::Literal) => Ok(Literal::new_simple_literal(value).into()),
        Some(ParamKind::Iri) | None => {
            // GARD ids are written unpadded too: GARD:12547 is GARD:0012547.
            let curie = match value.strip_prefix("GARD:").and_then(|n| n.parse::<u32>().ok()) {
                Some(n) => vocab::gard_curie(n),
                None => value.to_owned(),
            };
            match vocab::expand_curie(&curie) {
                Some(iri) => Ok(iri.into()),
                None if kind == Some(ParamKind::Iri) => match NamedNode::new(value) {
                    Ok(iri) if value.contains("://") => Ok(iri.into()),
                    _ => Err(format!("{value:?} is not an IRI or a CURIE with a known prefix")),
                },
                None => Ok(Literal::new_simple_literal(value).into()),
            }
        }
    }
}

/// Rewrites the project's default namespace in a canned query for a store minted with another base.
pub fn with_base(text: &str, base: &str) -> String {
    if base == DEFAULT_BASE {
        text.to_owned()
    } else {
        text.replace(&format!("<{DEFAULT_BASE}>"), &format!("<{base}>"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_canned_query_parses_and_says_what_it_answers() {
        for q in ALL {
            assert!(q.summary().len() > 40, "{} needs a header comment", q.name);
            let _ = oxigraph::sparql::SparqlEvaluator::new()
                .parse_query(q.text)
                .unwrap_or_else(|e| panic!("{}: {e}", q.name));
            for p in q.params() {
                assert!(q.text.contains(&format!("?{}", p.name)), "{} declares unused ?{}", q.name, p.name);
            }
        }
        assert_eq!(get("phenotypes").unwrap().params()[0].kind, ParamKind::Iri);
        assert_eq!(get("find-disease").unwrap().params()[0].kind, ParamKind::Literal);
    }

    #[test]
    fn bound_values_are_terms() {
        let gard = bind_value("GARD:12547", Some(ParamKind::Iri)).unwrap();
        assert_eq!(gard.to_string(), "<https://rarediseases.info.nih.gov/diseases/0012547>");
        assert_eq!(bind_value("<http://x.org/a>", None).unwrap().to_string(), "<http://x.org/a>");
        let text = bind_value("x\" } ; DROP ALL #", None).unwrap();
        assert!(matches!(text, Term::Literal(ref l) if l.value() == "x\" } ; DROP ALL #"));
        assert!(matches!(bind_value("ORPHA:331235", Some(ParamKind::Literal)).unwrap(), Term::Literal(_)));
        assert!(bind_value("no such thing", Some(ParamKind::Iri)).is_err());
        assert!(bind_value("<not an iri>", None).is_err());
    }

    #[test]
    fn the_queries_folder_and_the_binary_agree() {
        let mut on_disk: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/queries"))
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".rq").map(str::to_owned))
            .collect();
        on_disk.sort();
        let mut compiled: Vec<String> = ALL.iter().map(|q| q.name.to_owned()).collect();
        compiled.sort();
        assert_eq!(on_disk, compiled);
    }
}
