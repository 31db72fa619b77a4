//! Durability: `kill -9` in the middle of an ingest leaves a store that opens, answers queries, and holds every
//! page either whole or not at all; re-running the same ingest completes it. Both write paths are covered: the
//! bulk loader (empty store, large batch) and per-page transactions (a store that already has pages).

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use gardkg::model::vocab::Namespace;
use gardkg::pipeline::Pipeline;
use gardkg::source::{self, ReadOptions};
use gardkg::store::GraphStore;
use oxigraph::model::{GraphNameRef, Quad};

const PAGES: u32 = 400;

/// A folder of distinct pages: the example page under many GARD ids (taken from the file names).
fn corpus(dir: &Path) {
    let text = std::fs::read_to_string(common::example()).unwrap();
    for i in 0..PAGES {
        std::fs::write(dir.join(format!("{}-kettle-fever.txt", 200_000 + i)), &text).unwrap();
    }
}

/// Starts an ingest, waits until it reports stored pages, and kills it with SIGKILL.
fn ingest_and_kill(pages: &Path, store: &Path) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gardkg"))
        .args(["ingest", "--store", store.to_str().unwrap(), pages.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    for line in stderr.lines() {
        if line.unwrap().contains("stored") {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
}

/// Every page graph in the store must equal what the model builds for that page.
fn check_whole_pages(pages: &Path, store_path: &Path) -> usize {
    let store = GraphStore::open(store_path, Namespace::default()).expect("the store opens after kill -9");
    let pipeline = Pipeline::new(Namespace::default()).unwrap();
    let graphs = store.page_graphs().unwrap();
    for graph in &graphs {
        let number = graph.as_str().rsplit('/').next().unwrap().parse::<u32>().unwrap();
        let file = if number == 99_999 { common::example() } else { pages.join(format!("{number}-kettle-fever.txt")) };
        let expected: HashSet<Quad> = pipeline
            .process(source::read(file.to_str().unwrap(), &ReadOptions::default()).unwrap())
            .graph
            .quads
            .into_iter()
            .collect();
        let stored: HashSet<Quad> = store
            .oxigraph()
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph.as_ref())))
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(stored, expected, "{graph} is neither absent nor whole");
    }
    // It answers queries.
    assert!(store.query("ASK { ?s ?p ?o }").is_ok());
    graphs.len()
}

fn kill_check_resume(prefill: bool) {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    corpus(&pages);
    let store = dir.path().join("store");
    if prefill {
        // A store that already holds a page takes the per-page transaction path.
        let (ok, _, err) =
            common::run(&store, &["ingest", "--store", store.to_str().unwrap(), common::example().to_str().unwrap()]);
        assert!(ok, "{err}");
    }
    ingest_and_kill(&pages, &store);
    let present = check_whole_pages(&pages, &store);
    assert!(present < PAGES as usize + usize::from(prefill), "the ingest was killed before it finished");
    // Re-running the same ingest completes the batch.
    let (ok, out, err) = common::run(&store, &["ingest", "--store", store.to_str().unwrap(), pages.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("0 failed"), "{out}");
    assert_eq!(check_whole_pages(&pages, &store), PAGES as usize + usize::from(prefill));
}

#[test]
fn kill_during_bulk_load_leaves_whole_pages() {
    kill_check_resume(false);
}

#[test]
fn kill_during_transactional_ingest_leaves_whole_pages() {
    kill_check_resume(true);
}
