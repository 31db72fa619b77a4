//! Two writers, readers beside a writer, and stores from another gardkg: a second writer is told who holds the
//! store (or waits with `ingest --wait`), a reader opened during an ingest sees every page whole, and a store whose
//! recorded format is not this gardkg's is refused with a message saying what to do.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gardkg::model::vocab::Namespace;
use gardkg::pipeline::Pipeline;
use gardkg::source::{self, ReadOptions};
use gardkg::store::{GraphStore, STORE_FORMAT, StoreError};
use oxigraph::model::{GraphNameRef, Literal, Quad, Term};

/// A server holding the store's write lock until it is dropped.
/// `gardkg ingest --store STORE EXTRA… example-page`.
fn ingest(store: &Path, extra: &[&str]) -> (bool, String, String) {
    let example = common::example();
    let mut args = vec!["ingest", "--store", store.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.push(example.to_str().unwrap());
    common::run(store, &args)
}

#[test]
fn a_second_writer_is_told_who_holds_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::new_store(dir.path());
    let before = common::canonical(&store);
    let holder = common::Server::start(&store, &[]);
    let (ok, _, err) = ingest(&store, &[]);
    assert!(!ok, "two writers opened one store");
    let named = format!("in use by process {} (", holder.child.id());
    assert!(err.contains(&named) && err.contains("gardkg serve"), "the message names the holder: {err}");
    assert!(err.contains("--wait"), "the message says how to wait: {err}");
    assert_eq!(err.matches("in use by").count(), 1, "printed once: {err}");

    // --wait=1 waits about a second, says once that it waits, then fails the same way.
    let started = Instant::now();
    let (ok, _, err) = ingest(&store, &["--wait=1"]);
    assert!(!ok);
    assert!(started.elapsed() >= Duration::from_secs(1), "it did not wait");
    assert_eq!(err.matches("waiting: the store is in use by process").count(), 1, "{err}");
    assert!(err.contains(&named), "{err}");
    drop(holder);
    assert_eq!(common::canonical(&store), before, "a refused writer changed the store");
}

#[test]
fn ingest_wait_proceeds_when_the_holder_stops() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::new_store(dir.path());
    let holder = common::Server::start(&store, &[]);
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        drop(holder);
    });
    let (ok, out, err) = ingest(&store, &["--wait"]);
    stopper.join().unwrap();
    assert!(ok, "{err}");
    assert!(err.contains("waiting: the store is in use by process"), "{err}");
    assert!(out.contains("1 added"), "{out}");
}

/// Rewrites the store format recorded in the metadata graph, as another gardkg would have written it.
fn record_format(store: &Path, format: &str) {
    let store = GraphStore::open(store, Namespace::default()).unwrap();
    let ns = store.namespace().clone();
    let property = ns.iri("store_format");
    let meta = ns.meta_graph();
    let old: Vec<Quad> = store
        .oxigraph()
        .quads_for_pattern(None, Some(property.as_ref()), None, Some(GraphNameRef::NamedNode(meta.as_ref())))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(old.len(), 1, "an ingest records the store format once");
    assert_eq!(old[0].object, Term::from(Literal::new_simple_literal(STORE_FORMAT.to_string())));
    for quad in &old {
        store.oxigraph().remove(quad).unwrap();
    }
    store.oxigraph().insert(&Quad::new(ns.dataset(), property, Literal::new_simple_literal(format), meta)).unwrap();
    store.flush().unwrap();
}

#[test]
fn a_store_of_another_format_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::new_store(dir.path());
    let (ok, _, err) = ingest(&store, &[]);
    assert!(ok, "{err}");
    let newer = STORE_FORMAT + 1;
    for (format, says) in [
        (newer.to_string(), format!("written by a newer gardkg (store format {newer}")),
        ("0".to_owned(), "written by an older gardkg (store format 0".to_owned()),
        ("seven".to_owned(), "unknown store format".to_owned()),
    ] {
        record_format(&store, &format);
        for args in [&["stats"][..], &["query", "ASK { ?s ?p ?o }"], &["export", "--format", "nq"]] {
            let (ok, _, err) = common::run(&store, args);
            assert!(!ok, "{args:?} read a store of format {format}");
            assert!(err.contains(&says) && err.contains("new store"), "{args:?}: {err}");
        }
        let (ok, _, err) = ingest(&store, &[]);
        assert!(!ok && err.contains(&says), "ingest wrote into a store of format {format}: {err}");
        match GraphStore::open(&store, Namespace::default()) {
            Err(StoreError::Format { found, expected, .. }) => assert_eq!((found, expected), (format, STORE_FORMAT)),
            other => panic!("opened a store of another format: {:?}", other.err()),
        }
        // Put this gardkg's format back for the next case (through Oxigraph, as the check refuses the store).
        let raw = oxigraph::store::Store::open(&store).unwrap();
        let ns = Namespace::default();
        let property = ns.iri("store_format");
        let quads: Vec<Quad> =
            raw.quads_for_pattern(None, Some(property.as_ref()), None, None).collect::<Result<_, _>>().unwrap();
        for quad in &quads {
            raw.remove(quad).unwrap();
        }
        raw.insert(&Quad::new(
            ns.dataset(),
            property,
            Literal::new_simple_literal(STORE_FORMAT.to_string()),
            ns.meta_graph(),
        ))
        .unwrap();
        raw.flush().unwrap();
        drop(raw);
        assert!(common::run(&store, &["stats"]).0, "the store reads again once its format is this gardkg's");
    }
}

#[test]
fn a_store_without_a_recorded_format_is_read() {
    // Stores written before the format was recorded (and stores holding only ontologies) have none.
    let dir = tempfile::tempdir().unwrap();
    let store = common::new_store(dir.path());
    assert_eq!(GraphStore::open_read_only(&store, Namespace::default()).unwrap().recorded_format().unwrap(), None);
    let (ok, _, err) = ingest(&store, &[]);
    assert!(ok, "{err}");
    let opened = GraphStore::open_read_only(&store, Namespace::default()).unwrap();
    assert_eq!(opened.recorded_format().unwrap(), Some(STORE_FORMAT.to_string()));
}

/// Readers opened while a transactional ingest runs: each sees every page graph whole (as the model builds it)
/// or absent, never half-written. (A reader sees the store as it was when it opened.)
#[test]
fn readers_during_an_ingest_see_whole_pages() {
    const PAGES: u32 = 120;
    let dir = tempfile::tempdir().unwrap();
    let store = common::new_store(dir.path());
    let (ok, _, err) = ingest(&store, &[]);
    assert!(ok, "{err}");
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    let text = std::fs::read_to_string(common::example()).unwrap();
    for i in 0..PAGES {
        std::fs::write(pages.join(format!("{}-kettle-fever.txt", 300_000 + i)), &text).unwrap();
    }
    let pipeline = Pipeline::new(Namespace::default()).unwrap();
    let mut expected: HashMap<u32, HashSet<Quad>> = HashMap::new();
    let mut writer = Command::new(env!("CARGO_BIN_EXE_gardkg"))
        .args(["ingest", "-q", "--store", store.to_str().unwrap(), pages.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (mut reads, mut vanished, mut seen_pages) = (0, 0, HashSet::new());
    // A read may fail on a file the writer compacted away after the reader opened (the documented risk; opening
    // retries it): counted, never a half page.
    let gone = |e: &dyn std::fmt::Display| {
        let message = e.to_string();
        assert!(message.contains("No such file or directory"), "a reader failed: {message}");
    };
    while writer.try_wait().unwrap().is_none() {
        let reader = GraphStore::open_read_only(&store, Namespace::default()).expect("a reader opens during an ingest");
        let graphs = match reader.page_graphs() {
            Ok(graphs) => graphs,
            Err(e) => {
                gone(&e);
                vanished += 1;
                continue;
            }
        };
        for graph in graphs {
            let Some(n) = graph.as_str().rsplit('/').next().and_then(|n| n.parse::<u32>().ok()) else { continue };
            if n == 99_999 {
                continue;
            }
            let want = expected.entry(n).or_insert_with(|| {
                let file = pages.join(format!("{n}-kettle-fever.txt"));
                let page = source::read(file.to_str().unwrap(), &ReadOptions::default()).unwrap();
                pipeline.process(page).graph.quads.into_iter().collect()
            });
            let stored: Result<HashSet<Quad>, _> = reader
                .oxigraph()
                .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph.as_ref())))
                .collect();
            match stored {
                Ok(stored) => assert_eq!(&stored, want, "a reader saw {graph} half-written"),
                Err(e) => {
                    gone(&e);
                    vanished += 1;
                    continue;
                }
            }
            seen_pages.insert(n);
        }
        reads += 1;
    }
    assert!(writer.wait().unwrap().success());
    assert!(reads > 0);
    eprintln!(
        "{reads} readers during the ingest; {} pages seen whole; {vanished} reads failed on a vanished file",
        seen_pages.len()
    );
}
