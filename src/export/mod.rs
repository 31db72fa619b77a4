//! Front ends that write the store out: every RDF syntax ([`rdf`], sorted and readable by [`readable`], JSON-LD
//! compacted by [`jsonld`]), canonical N-Quads ([`canonical`]), KGX node and edge tables ([`kgx`]), HPO annotations
//! ([`hpoa`]) and the mappings used, as SSSOM ([`sssom`]).

pub mod canonical;
pub mod hpoa;
pub mod jsonld;
pub mod kgx;
pub mod rdf;
pub mod readable;
pub mod sssom;

use std::collections::HashMap;

use crate::model::vocab::{ASPECT_PREDICATES, Namespace};

/// The project's own predicates (full IRIs) with the Biolink predicate each is a sub-property of.
pub fn extension_predicates(namespace: &Namespace) -> HashMap<String, String> {
    ASPECT_PREDICATES
        .iter()
        .map(|(local, biolink)| (namespace.iri(local).as_str().to_owned(), biolink.as_str().to_owned()))
        .collect()
}
