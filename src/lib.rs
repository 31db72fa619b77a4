//! gardkg: rare-disease pages (GARD) as a Biolink/Orphanet-style RDF knowledge graph.
//!
//! The pipeline runs one way: [`source`] reads a page into a [`page::Page`], [`recognize`] finds concepts in its
//! sentences, [`model`] turns both into quads (one named graph per page), [`store`] keeps them in Oxigraph, and
//! [`export`] writes them out in every RDF syntax. [`pipeline::Pipeline`] runs the middle stages in one call.
//! [`search`] keeps a full-text index of disease names and identifiers beside the store. [`fuzzing`] holds the bodies
//! of the cargo-fuzz targets under `fuzz/`.
//!
//! Features: `rocksdb` (default) is the on-disk store; without it only in-memory stores exist (the fuzz build).
//!
//! ```no_run
//! use gardkg::{model::vocab::Namespace, pipeline::Pipeline, source, store::GraphStore};
//! let pipeline = Pipeline::new(Namespace::default())?;
//! let page = source::read("examples/99999-kettle-fever.txt", &source::ReadOptions::default())?;
//! let processed = pipeline.process(page);
//! let store = GraphStore::memory(Namespace::default())?;
//! store.replace_page(&processed.graph)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod annotate;
pub mod cache;
pub mod diff;
pub mod eval;
pub mod export;
pub mod federation;
pub mod fuzzing;
pub mod lexicon;
pub mod mappings;
pub mod model;
pub mod ontology;
pub mod page;
pub mod pipeline;
pub mod push;
pub mod queries;
pub mod recognize;
pub mod search;
pub mod serve;
pub mod source;
pub mod store;
#[cfg(test)]
mod testing;
