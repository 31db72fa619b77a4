//! The pipeline in one call: page -> identity -> annotations -> quads.
//!
//! Built once (lexicons and mappings are loaded here) and shared by the workers; `process` is pure, so pages can
//! be processed in parallel.

use crate::mappings::{MappingError, Mappings};
use crate::model::vocab::Namespace;
use crate::model::{Context, PageGraph, build};
use crate::ontology::terms::Terms;
use crate::page::{GardId, IdOrigin, Page, Warning, WarningCode};
use crate::recognize::{Annotations, RecognizeError, Recognizer};

/// Why the pipeline could not start.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The HPO lexicon could not be loaded.
    #[error(transparent)]
    Recognize(#[from] RecognizeError),
    /// The Mondo mappings could not be loaded.
    #[error("{0}")]
    Mappings(String),
    /// The bundled ontologies' terms could not be read.
    #[error("{0}")]
    Terms(String),
}

impl From<&MappingError> for PipelineError {
    fn from(e: &MappingError) -> Self {
        Self::Mappings(e.to_string())
    }
}

/// A processed page: the record, what was recognized in it, and its quads.
#[derive(Debug, Clone)]
pub struct Processed {
    /// The page (with its identity resolved).
    pub page: Page,
    /// What recognition found.
    pub annotations: Annotations,
    /// The page's named graph.
    pub graph: PageGraph,
}

/// The loaded lexicons and mappings, ready to process pages.
pub struct Pipeline {
    recognizer: Recognizer,
    mappings: &'static Mappings,
    terms: &'static Terms,
    namespace: Namespace,
}

impl Pipeline {
    /// Loads the bundled HPO and Mondo mappings.
    pub fn new(namespace: Namespace) -> Result<Self, PipelineError> {
        // The Mondo mappings are read (or parsed) while the recognizer's parts are.
        let (recognizer, mappings) = rayon::join(Recognizer::bundled, Mappings::bundled);
        Ok(Self {
            recognizer: recognizer?,
            mappings: mappings?,
            terms: Terms::bundled().map_err(PipelineError::Terms)?,
            namespace,
        })
    }

    /// The recognizer.
    pub fn recognizer(&self) -> &Recognizer {
        &self.recognizer
    }

    /// The Mondo mappings.
    pub fn mappings(&self) -> &Mappings {
        self.mappings
    }

    /// The namespace.
    pub fn namespace(&self) -> &Namespace {
        &self.namespace
    }

    /// Resolves a page's identity (GARD id from the Mondo mapping of its title when the source gave none).
    pub fn identify(&self, page: &mut Page) {
        if page.gard_id.is_some() {
            return;
        }
        if let Some(number) = self.mappings.gard_for_title(&page.title) {
            page.gard_id = Some(GardId { number, origin: IdOrigin::MondoTitle });
        } else {
            page.warnings.push(Warning {
                code: WarningCode::NoIdentifier,
                message: format!(
                    "no GARD id in the source, the file name or the Mondo mappings for the title {:?}; the disease is minted from the title",
                    page.title
                ),
                section: None,
                line: None,
            });
        }
    }

    /// Runs identity, recognition and modeling on one page.
    pub fn process(&self, mut page: Page) -> Processed {
        self.identify(&mut page);
        let annotations = self.recognizer.recognize(&page);
        let context = Context { namespace: self.namespace.clone(), mappings: self.mappings, terms: self.terms };
        let graph = build(&page, &annotations, &context);
        Processed { page, annotations, graph }
    }

    /// The pinned releases, for the metadata graph.
    pub fn releases(&self) -> Vec<(&'static str, String)> {
        vec![
            ("hp", self.recognizer.hpo().release().to_owned()),
            ("maxo", crate::ontology::Bundled::Maxo.release()),
            ("eco", crate::ontology::Bundled::Eco.release()),
            ("mondo-mappings", self.mappings.release().to_owned()),
        ]
    }
}
