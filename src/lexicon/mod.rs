//! Names as the reviewed tables and the pinned ontologies write them, the layer below both recognition
//! ([`crate::recognize`]) and export ([`crate::export`]), so that neither reaches into the other:
//!
//! - [`fold`]: the folded key two spellings of a name share (case, spaces, dashes, quotes, "the"), and plurals;
//! - [`tables`]: the one reader of the tab-separated tables under `ontology/`, with its one error type;
//! - [`lay`]: the reviewed lay-synonym and normal-finding tables (`ontology/lay-synonyms.tsv`,
//!   `ontology/normal-findings.tsv`); recognition checks them against its HPO release
//!   ([`crate::recognize::phenotypes::lay`]), the SSSOM export states the lay rows a mention was found through.

pub mod fold;
pub mod lay;
pub mod tables;
