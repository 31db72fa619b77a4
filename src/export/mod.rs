//! Front ends that write the store out: every RDF syntax ([`rdf`]) and canonical N-Quads ([`canonical`]).

pub mod canonical;
pub mod rdf;
