//! The RDF model: the only place that knows vocabulary IRIs ([`vocab`]) and how a page becomes quads ([`build`]).

pub mod build;
pub mod vocab;

pub use build::{Context, Counts, PageGraph, build, page_key};
