//! The whole MedQuAD GARD folder: every page reads, models and loads, and every ontology IRI gardkg emits (HP,
//! MAXO, ECO, MONDO, Orphanet, OMIM; subjects and objects) exists in the pinned ontology files of `../shared`.
//! Runs when `GARDKG_SHARED` is set.

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

    // No invented identifiers: every HP, MAXO and ECO IRI is a current term of the pinned ontology file, every
    // MONDO/Orphanet/OMIM IRI is named in the pinned disease files (phenotype.hpoa, the Mondo SSSOM mappings).
    let hp = obo_terms(&common::shared("ontologies/hp.obo").unwrap());
    let maxo = obo_terms(&common::shared("ontologies/maxo-base.obo").unwrap());
    let eco = obo_terms(&common::shared("ontologies/eco.obo").unwrap());
    let diseases = disease_ids();
    let mut by_prefix: BTreeMap<String, usize> = BTreeMap::new();
    for p in &processed {
        for q in p.graph.quads.iter().chain(&p.graph.descriptions) {
            for term in [q.subject.to_string(), q.object.to_string()] {
                let Some(iri) = term.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else { continue };
                let Some(curie) = gardkg::model::vocab::compact_iri(iri) else { continue };
                let prefix = curie.split(':').next().unwrap().to_owned();
                let known = match prefix.as_str() {
                    "HP" => hp.contains(&curie),
                    "MAXO" => maxo.contains(&curie),
                    "ECO" => eco.contains(&curie),
                    "MONDO" | "Orphanet" | "OMIM" => diseases.contains(&curie),
                    _ => true,
                };
                assert!(known, "{curie} is not a current id of the pinned files ({})", p.page.source.location);
                *by_prefix.entry(prefix).or_default() += 1;
            }
        }
    }
    println!("ontology IRIs by prefix: {by_prefix:?}");
    assert!(by_prefix.get("HP").copied().unwrap_or(0) > 10_000, "{by_prefix:?}");
    assert!(by_prefix.get("MAXO").copied().unwrap_or(0) > 100, "{by_prefix:?}");

    // The bulk loader, fed 256 pages at a time as `gardkg ingest` feeds it, stores exactly the quads the model built,
    // all at its commit and none before.
    let store = GraphStore::memory(Namespace::default()).unwrap();
    let mut loader = store.page_loader();
    for chunk in processed.chunks(256) {
        assert_eq!(loader.load(chunk.iter().map(|p| &p.graph)).unwrap(), chunk.len());
    }
    assert!(store.page_graphs().unwrap().is_empty(), "pages visible before the loader's commit");
    let again = loader.load([&processed[7].graph]).unwrap_err();
    assert!(again.to_string().contains("given twice"), "{again}");
    assert_eq!(loader.commit().unwrap(), 2385);
    let built: HashSet<_> = processed.iter().flat_map(|p| p.graph.quads.iter()).collect();
    let graphs = store.page_graphs().unwrap();
    assert_eq!(graphs.len(), 2385);
    let stored: usize = graphs.iter().map(|g| store.graph_len(g.as_ref()).unwrap()).sum();
    assert_eq!(stored, built.len());
    // Besides the pages, only the descriptions of the terms they use (once each, outside the page graphs) and their
    // metadata lines (subset, type, triple count) were loaded.
    let descriptions: HashSet<_> = processed.iter().flat_map(|p| p.graph.descriptions.iter()).collect();
    assert!(descriptions.iter().all(|q| !built.contains(q)), "a term's own triple is also in a page graph");
    assert_eq!(store.oxigraph().len().unwrap(), built.len() + descriptions.len() + 3 * 2385);
}

/// The current (non-obsolete) term ids of an OBO file, read line by line (independently of the library's parser).
fn obo_terms(path: &std::path::Path) -> HashSet<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut ids = HashSet::new();
    for stanza in text.split("\n\n") {
        if !stanza.trim_start().starts_with("[Term]") || stanza.contains("\nis_obsolete: true") {
            continue;
        }
        if let Some(id) = stanza.lines().find_map(|l| l.strip_prefix("id: ")) {
            ids.insert(id.trim().to_owned());
        }
    }
    ids
}

/// Every disease id the pinned files name: `phenotype.hpoa` (ORPHA: as Orphanet:) and the Mondo SSSOM files.
fn disease_ids() -> HashSet<String> {
    let mut ids = HashSet::new();
    let hpoa = std::fs::read_to_string(common::shared("ontologies/phenotype.hpoa").unwrap()).unwrap();
    for line in hpoa.lines().filter(|l| !l.starts_with('#')) {
        if let Some(id) = line.split('\t').next() {
            ids.insert(id.replace("ORPHA:", "Orphanet:"));
        }
    }
    let dir = common::shared("ontologies/mondo-mappings").unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() > 3 {
                ids.insert(f[0].to_owned());
                ids.insert(f[3].replace("ORPHA:", "Orphanet:"));
            }
        }
    }
    ids
}
