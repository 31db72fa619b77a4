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

/// Runs `produce` on each chunk in a thread of its own and `consume` on each result in the calling thread, so that
/// the next chunk is built while the last one is written (ingest's recognition hidden behind the store's load).
///
/// Between the two is a rendezvous channel: a finished chunk waits for the consumer before the producer starts
/// another, so at most two chunks are alive at once (the one written and the one ready), whatever the number of
/// chunks. Chunks are consumed in order. At the first error of `consume` the producer stops after the chunk it is
/// building, and the error is returned; a panic in `produce` is resumed in the caller.
///
/// # Errors
///
/// The first error `consume` returned.
pub fn overlapped<C, T, E>(
    chunks: impl IntoIterator<Item = C, IntoIter: Send>,
    produce: impl Fn(C) -> T + Send,
    mut consume: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E>
where
    C: Send,
    T: Send,
{
    let chunks = chunks.into_iter();
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<T>(0);
        let producer = scope.spawn(move || {
            for chunk in chunks {
                // The consumer hung up (it failed): stop.
                if sender.send(produce(chunk)).is_err() {
                    break;
                }
            }
        });
        let mut result = Ok(());
        for built in &receiver {
            if let Err(e) = consume(built) {
                result = Err(e);
                break;
            }
        }
        drop(receiver);
        if let Err(panic) = producer.join() {
            std::panic::resume_unwind(panic);
        }
        result
    })
}

#[cfg(test)]
mod overlap_tests {
    use super::overlapped;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    #[test]
    fn every_chunk_is_consumed_once_in_order() {
        let mut seen = Vec::new();
        overlapped(
            0..100,
            |i| i * 2,
            |x| -> Result<(), ()> {
                seen.push(x);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..100).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn producing_and_consuming_overlap() {
        // Four chunks, each 50 ms to build and 50 ms to write: alternating takes 400 ms, overlapped about 250 ms.
        // Asserted loosely (well above 250 ms, well below 400 ms would be a timing test): only that the producer
        // built a chunk while the consumer was still writing the previous one.
        let building = AtomicUsize::new(0);
        let overlaps = AtomicUsize::new(0);
        let started = Instant::now();
        overlapped(
            0..4,
            |i| {
                building.store(i + 1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(50));
                i
            },
            |i| -> Result<(), ()> {
                std::thread::sleep(Duration::from_millis(50));
                if building.load(Ordering::SeqCst) > i + 1 {
                    overlaps.fetch_add(1, Ordering::SeqCst);
                }
                Ok(())
            },
        )
        .unwrap();
        assert!(overlaps.load(Ordering::SeqCst) >= 1, "the next chunk was never built during a write");
        assert!(started.elapsed() >= Duration::from_millis(250));
    }

    #[test]
    fn a_consumer_error_stops_the_producer_with_at_most_two_chunks_more() {
        let produced = AtomicUsize::new(0);
        let result = overlapped(
            0..1000,
            |i| {
                produced.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i| if i == 3 { Err(format!("chunk {i} failed")) } else { Ok(()) },
        );
        assert_eq!(result, Err("chunk 3 failed".to_owned()));
        // Chunks 0-3 consumed, at most one built and waiting, one being built when the receiver hung up.
        assert!(produced.load(Ordering::SeqCst) <= 6, "produced {}", produced.load(Ordering::SeqCst));
    }

    #[test]
    fn at_most_two_chunks_are_alive_at_once() {
        struct Chunk(std::sync::Arc<AtomicUsize>);
        impl Drop for Chunk {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let alive = std::sync::Arc::new(AtomicUsize::new(0));
        let most = AtomicUsize::new(0);
        overlapped(
            0..50,
            |_| {
                let now = alive.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                Chunk(alive.clone())
            },
            |chunk| -> Result<(), ()> {
                std::thread::sleep(Duration::from_millis(2));
                drop(chunk);
                Ok(())
            },
        )
        .unwrap();
        assert!(most.load(Ordering::SeqCst) <= 2, "{} chunks alive at once", most.load(Ordering::SeqCst));
    }

    #[test]
    #[should_panic(expected = "bad page")]
    fn a_producer_panic_reaches_the_caller() {
        let _ = overlapped(0..3, |i| if i == 1 { panic!("bad page") } else { i }, |_| -> Result<(), ()> { Ok(()) });
    }
}
