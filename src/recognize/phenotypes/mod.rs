//! Phenotypes in prose and tables: the HPO dictionary ([`matcher`]), the reviewed lay words checked against it
//! ([`lay`]; the tables themselves are [`crate::lexicon::lay`]), modifiers,
//! coordination, predicative adjectives and organ involvement ([`compose`]), body parts written as nouns
//! ([`anatomy`]), names in another word order or form ([`reorder`]), and amounts of a substance ([`amounts`]).

pub mod amounts;
pub mod anatomy;
pub mod compose;
pub mod lay;
pub mod matcher;
pub mod reorder;

pub use matcher::{Match, MatcherStats, PHENOTYPIC_ABNORMALITY, PhenotypeMatcher, Rule};
