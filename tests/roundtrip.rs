//! Independent checks: what Oxigraph's serializers write, sophia's parsers must read back as the same dataset.

mod common;

use std::fmt::Write as _;

use gardkg::export::{canonical, rdf};
use gardkg::model::vocab::Namespace;
use gardkg::pipeline::Pipeline;
use gardkg::source::{self, ReadOptions};
use gardkg::store::GraphStore;
use oxigraph::io::RdfFormat;

fn pages() -> Vec<String> {
    let mut pages = vec![common::example().to_string_lossy().into_owned()];
    if let Some(p) = common::shared("corpus/gard-pages/12547-selective-igm-deficiency.txt") {
        pages.push(p.to_string_lossy().into_owned());
    }
    if let Some(p) = common::shared("corpus/medquad-gard/0002396.xml") {
        pages.push(p.to_string_lossy().into_owned());
    }
    pages
}

#[test]
fn turtle_and_nquads_exports_are_isomorphic_to_the_store() {
    let pipeline = Pipeline::new(Namespace::default()).unwrap();
    let store = GraphStore::memory(Namespace::default()).unwrap();
    let mut expected = String::new();
    let mut triples = String::new();
    for page in pages() {
        let processed = pipeline.process(source::read(&page, &ReadOptions::default()).unwrap());
        store.replace_page(&processed.graph).unwrap();
        // Every quad the model built is stored as it was built.
        for q in &processed.graph.quads {
            assert!(store.oxigraph().contains(q).unwrap(), "{q} was not stored");
        }
    }
    // The store's content (pages and the metadata lines written with them), written by oxrdf's Display, not by
    // a serializer.
    for q in store.oxigraph() {
        let q = q.unwrap();
        let _ = writeln!(expected, "{q} .");
        let _ = writeln!(triples, "{} .", oxigraph::model::Triple::from(q));
    }
    let expected = canonical::parse_nquads(&expected).unwrap();

    let nq = store.dump(rdf::serializer(RdfFormat::NQuads, store.namespace()), None, Vec::new()).unwrap();
    let from_nq = canonical::parse_nquads(std::str::from_utf8(&nq).unwrap()).unwrap();
    assert!(
        canonical::isomorphic(&expected, &from_nq).unwrap(),
        "N-Quads export differs: {:?}",
        canonical::difference(&expected, &from_nq).unwrap()
    );

    // Turtle has no graphs: compare with the union of the page graphs.
    let ttl = store.dump(rdf::serializer(RdfFormat::Turtle, store.namespace()), None, Vec::new()).unwrap();
    let from_ttl = canonical::parse_turtle(std::str::from_utf8(&ttl).unwrap()).unwrap();
    let union = canonical::parse_nquads(&triples).unwrap();
    assert!(
        canonical::isomorphic(&union, &from_ttl).unwrap(),
        "Turtle export differs: {:?}",
        canonical::difference(&union, &from_ttl).unwrap()
    );
}

/// The bulk loader, fed borrowed pages, owned pages, or one page at a time in transactions, stores the same
/// quads; a page given twice to one loader is refused and leaves the loader as it was; a streaming load refuses a
/// page the store holds, and `bulk_load` replaces it, on disk and in memory.
#[test]
fn bulk_loads_borrowed_owned_and_per_page_store_the_same() {
    let pipeline = Pipeline::new(Namespace::default()).unwrap();
    let graphs: Vec<_> =
        pages().iter().map(|p| pipeline.process(source::read(p, &ReadOptions::default()).unwrap()).graph).collect();
    let dir = tempfile::tempdir().unwrap();
    let mut stores: Vec<GraphStore> =
        (0..3).map(|i| GraphStore::open(&dir.path().join(format!("s{i}")), Namespace::default()).unwrap()).collect();
    stores.push(GraphStore::memory(Namespace::default()).unwrap());
    for graph in &graphs {
        stores[0].replace_page(graph).unwrap();
    }
    let mut borrowed = stores[1].page_loader();
    let last = graphs.last().unwrap();
    let twice = borrowed.load(graphs.iter().chain([last])).unwrap_err();
    assert!(twice.to_string().contains("given twice"), "{twice}");
    // The refused batch left nothing behind: the same pages load now.
    assert_eq!(borrowed.load(&graphs[..]).unwrap(), graphs.len());
    assert!(stores[1].page_graphs().unwrap().is_empty(), "pages visible before the commit");
    assert_eq!(borrowed.commit().unwrap(), graphs.len());
    let mut owned = stores[2].page_loader();
    assert_eq!(owned.load_owned(graphs.clone()).unwrap(), graphs.len());
    assert_eq!(owned.commit().unwrap(), graphs.len());
    // Over pages already stored: `bulk_load` replaces them (in memory too, where the loader holds the write lock),
    // a streaming load refuses them.
    stores[3].replace_page(&graphs[0]).unwrap();
    stores[3].bulk_load(&graphs).unwrap();
    stores[1].bulk_load(&graphs).unwrap();
    let refused = stores[2].page_loader().load(&graphs[..1]).unwrap_err();
    assert!(refused.to_string().contains("in the store already"), "{refused}");
    let quads = |store: &GraphStore| {
        let mut lines: Vec<String> = store.oxigraph().iter().map(|q| q.unwrap().to_string()).collect();
        lines.sort_unstable();
        lines
    };
    let expected = quads(&stores[0]);
    assert!(expected.len() > 400, "{} quads", expected.len());
    for (store, how) in stores[1..].iter().zip(["borrowed and reloaded", "owned", "in memory, replaced"]) {
        assert!(quads(store) == expected, "{how} pages differ from per-page transactions");
    }
}
