//! Front ends that write the store out: every RDF syntax ([`rdf`]), canonical N-Quads ([`canonical`]) and the
//! mappings used, as SSSOM ([`sssom`]).

pub mod canonical;
pub mod rdf;
pub mod sssom;
