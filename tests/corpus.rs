//! The whole MedQuAD GARD folder: every page reads, models and loads, and every ontology IRI gardkg emits exists
//! in the pinned ontology files. Runs when `GARDKG_SHARED` is set.

mod common;

use std::collections::{BTreeMap, HashSet};

use gardkg::model::vocab::Namespace;
use gardkg::pipeline::Pipeline;
use gardkg::source::{self, ReadOptions};
use gardkg::store::GraphStore;
use rayon::prelude::*;

#[test]
fn every_medquad_page_ingests_and_emits_only_pinned_identifiers() {
    let Some(dir) = common::shared("corpus/medquad-gard") else { return };
    let inputs = source::expand_inputs(&[dir.to_string_lossy().into_owned()]).unwrap();
    assert_eq!(inputs.len(), 2385, "the MedQuAD GARD folder has 2,385 pages");
    let pipeline = Pipeline::new(Namespace::default()).unwrap();
    let results: Vec<_> =
        inputs.par_iter().map(|i| source::read(i, &ReadOptions::default()).map(|p| pipeline.process(p))).collect();
    let failures: Vec<String> = results.iter().filter_map(|r| r.as_ref().err().map(ToString::to_string)).collect();
    assert!(failures.is_empty(), "{} pages failed: {:?}", failures.len(), &failures[..failures.len().min(10)]);
    let processed: Vec<_> = results.into_iter().map(Result::unwrap).collect();

    // Every page has a GARD id from its URL, and no two pages share one.
    let mut keys = HashSet::new();
    for p in &processed {
        assert!(p.page.gard_id.is_some(), "{} has no GARD id", p.page.source.location);
        keys.insert(p.graph.key.clone());
    }
    assert_eq!(keys.len(), processed.len(), "duplicate GARD ids in the corpus");

    // No invented identifiers: every HPO IRI is a current term of the pinned HPO, every MONDO/Orphanet/OMIM IRI
    // comes from the pinned Mondo mappings.
    let hpo = pipeline.recognizer().hpo();
    let mut pinned: HashSet<String> = HashSet::new();
    let mappings = std::io::read_to_string(flate2::read::GzDecoder::new(
        &include_bytes!("../ontology/mondo-gard.sssom.tsv.gz")[..],
    ))
    .unwrap();
    for line in mappings.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        pinned.insert(f[0].to_owned());
        pinned.insert(f[3].replace("ORPHA:", "Orphanet:"));
    }
    let mut by_prefix: BTreeMap<String, usize> = BTreeMap::new();
    for p in &processed {
        for q in &p.graph.quads {
            let oxigraph::model::Term::NamedNode(o) = &q.object else { continue };
            let Some(curie) = gardkg::model::vocab::compact_iri(o.as_str()) else { continue };
            let prefix = curie.split(':').next().unwrap().to_owned();
            match prefix.as_str() {
                "HP" => assert!(
                    hpo.term(&curie).is_some_and(|t| t.id == curie && !t.obsolete),
                    "{curie} is not a current term of the pinned HPO ({})",
                    p.page.source.location
                ),
                "MONDO" | "Orphanet" | "OMIM" => assert!(
                    pinned.contains(&curie),
                    "{curie} is not in the pinned Mondo mappings ({})",
                    p.page.source.location
                ),
                _ => {}
            }
            *by_prefix.entry(prefix).or_default() += 1;
        }
    }
    assert!(by_prefix.get("HP").copied().unwrap_or(0) > 10_000, "{by_prefix:?}");

    // The bulk loader stores exactly the quads the model built.
    let store = GraphStore::memory(Namespace::default()).unwrap();
    store.bulk_load(processed.iter().map(|p| &p.graph)).unwrap();
    let built: HashSet<_> = processed.iter().flat_map(|p| p.graph.quads.iter()).collect();
    let graphs = store.page_graphs().unwrap();
    assert_eq!(graphs.len(), 2385);
    let stored: usize = graphs.iter().map(|g| store.graph_len(g.as_ref()).unwrap()).sum();
    assert_eq!(stored, built.len());
    // Besides the pages, only their metadata lines (subset, type, triple count) were loaded.
    assert_eq!(store.oxigraph().len().unwrap(), built.len() + 3 * 2385);
}
