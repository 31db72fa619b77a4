//! `gardkg find` end to end: the index `gardkg ingest` writes beside the store, every spelling of a name or an
//! identifier, the refusal of a missing or stale index and `--rebuild`; on the example page, and with
//! `GARDKG_SHARED` set on the reference page and a slice of the MedQuAD corpus.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_dir, example, run};
use gardkg::model::vocab::Namespace;
use gardkg::search::{MatchKind, SearchIndex, index_path};
use gardkg::store::GraphStore;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;

/// The hits of `gardkg find --json TEXT` as JSON objects (asserting that it succeeded).
fn find(store: &Path, text: &str) -> Vec<serde_json::Value> {
    let (ok, out, err) = run(store, &["find", "--json", text]);
    assert!(ok, "find {text:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("find --json {text:?} printed no JSON ({e}): {out}"))
}

fn first_id(store: &Path, text: &str) -> String {
    let hits = find(store, text);
    hits.first().and_then(|h| h["id"].as_str()).unwrap_or_else(|| panic!("nothing found for {text:?}")).to_owned()
}

/// The example page under another name and GARD id: a second imaginary disease.
fn teapot_page(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(example()).unwrap().replace("Kettle", "Teapot").replace("kettle", "teapot");
    let path = dir.join("99998-teapot-fever.txt");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn ingest_writes_the_index_and_find_forgives_typos_order_and_case() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::new_store(dir.path());
    assert!(!index_path(&store).exists());
    let (ok, _, err) = run(&store, &["ingest", example().to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(index_path(&store).join("meta.json").exists(), "ingest writes the index beside the store");

    for text in ["Kettle fever", "kettle fever", "KETTLE FEVER", "fever kettle", "ketle fevr", "boiling water", "KTF"] {
        assert_eq!(first_id(&store, text), "GARD:0099999", "{text}");
    }
    for text in ["GARD:0099999", "GARD:99999", "gard:99999", "99999", "0099999"] {
        let hits = find(&store, text);
        assert_eq!(hits.len(), 1, "{text}: {hits:?}");
        assert_eq!(hits[0]["match_kind"], "identifier", "{text}");
        assert_eq!(hits[0]["label"], "Kettle fever");
        assert_eq!(hits[0]["kind"], "page");
        assert_eq!(hits[0]["iri"], "https://rarediseases.info.nih.gov/diseases/0099999");
    }
    let hits = find(&store, "kettle fever");
    assert_eq!((&hits[0]["match_kind"], &hits[0]["matched"]), (&"exact-name".into(), &"Kettle fever".into()));
    let hits = find(&store, "syndrome fever kettle");
    assert_eq!((&hits[0]["match_kind"], &hits[0]["matched"]), (&"same-words".into(), &"Kettle fever syndrome".into()));

    // Several words need no quotes; the plain output is one tab-separated line per hit.
    let (ok, out, err) = run(&store, &["find", "boiling", "watr", "fever"]);
    assert!(ok, "{err}");
    let line = out.lines().next().unwrap();
    let cells: Vec<&str> = line.split('\t').collect();
    assert_eq!(&cells[..4], ["GARD:0099999", "Kettle fever", "Boiling water fever", "words"], "{line}");

    // Nothing found: a message and a non-zero exit, no output.
    let (ok, out, err) = run(&store, &["find", "zzqxv"]);
    assert!(!ok && out.is_empty(), "{out}");
    assert!(err.contains("no disease matches \"zzqxv\""), "{err}");
}

#[test]
fn a_missing_or_stale_index_is_refused_until_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::new_store(dir.path());

    // A store without an index (made before search existed, or by another tool).
    let (ok, _, err) = run(&store, &["find", "kettle"]);
    assert!(!ok);
    assert!(err.contains("no search index") && err.contains("gardkg find --rebuild"), "{err}");

    assert!(run(&store, &["ingest", example().to_str().unwrap()]).0);
    let old = dir.path().join("old-index");
    copy_dir(&index_path(&store), &old);
    let (ok, _, err) = run(&store, &["ingest", teapot_page(dir.path()).to_str().unwrap(), "--gard-id", "99998"]);
    assert!(ok, "{err}");
    assert_eq!(first_id(&store, "teapot fever"), "GARD:0099998", "ingest brought the index up to date");

    // The index of before that ingest, put back: refused, never answered from.
    std::fs::remove_dir_all(index_path(&store)).unwrap();
    copy_dir(&old, &index_path(&store));
    let (ok, out, err) = run(&store, &["find", "kettle fever"]);
    assert!(!ok && out.is_empty(), "{out}");
    assert!(err.contains("is stale: 1 page added since it was built"), "{err}");
    assert!(err.contains("gardkg find --rebuild"), "{err}");

    // --rebuild alone rebuilds and says what it indexed; then both diseases are found.
    let (ok, out, err) = run(&store, &["find", "--rebuild"]);
    assert!(ok, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("of 2 pages"), "{err}");
    assert_eq!(first_id(&store, "teapot fevr"), "GARD:0099998");
    assert_eq!(first_id(&store, "kettle fevr"), "GARD:0099999");
    // --rebuild with a text rebuilds, then searches.
    let (ok, out, err) = run(&store, &["find", "--rebuild", "--json", "99998"]);
    assert!(ok, "{err}");
    assert!(out.contains("\"GARD:0099998\""), "{out}");

    // --limit caps the hits (both diseases have "fever" in their names).
    assert_eq!(find(&store, "fever").len(), 2);
    let (ok, out, err) = run(&store, &["find", "--limit", "1", "fever"]);
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn gardkg_query_reaches_the_search_service_and_joins_its_hits_with_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::new_store(dir.path());
    assert!(run(&store, &["ingest", example().to_str().unwrap()]).0);
    // The phenotypes of the disease found by a misspelt name, with no allow-list given.
    let query = "PREFIX search: <https://w3id.org/gardkg/search/>
        PREFIX biolink: <https://w3id.org/biolink/vocab/>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?disease ?matched ?label WHERE {
          SERVICE <https://w3id.org/gardkg/search> { ?disease search:query \"boilng watter\" ; search:matched ?matched }
          ?association a biolink:DiseaseToPhenotypicFeatureAssociation ; rdf:subject ?disease ; rdf:object ?hp .
          ?hp rdfs:label ?label .
        } ORDER BY ?label";
    let (ok, out, err) = run(&store, &["query", query, "--results", "tsv"]);
    assert!(ok, "{err}");
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert!(rows.len() > 3, "the example names several phenotypes: {out}");
    for row in &rows {
        assert!(
            row.starts_with("<https://rarediseases.info.nih.gov/diseases/0099999>\t\"Boiling water fever\"\t"),
            "{row}"
        );
    }
    assert!(rows.iter().any(|r| r.ends_with("\"Fever\"")), "{out}");

    // The canned find-disease query takes its text as a bound parameter.
    let (ok, out, err) = run(&store, &["query", "find-disease", "--bind", "q=kettel fever", "--results", "csv"]);
    assert!(ok, "{err}");
    let first = out.lines().nth(1).unwrap_or_default();
    assert!(
        first.starts_with("https://rarediseases.info.nih.gov/diseases/0099999,Kettle fever,Kettle fever,words,"),
        "{out}"
    );
    let (ok, _, err) = run(&store, &["query", "find-disease"]);
    assert!(!ok && err.contains("search:query ?q: the text must be a literal"), "{err}");

    // A stale index fails the query with the same advice as gardkg find.
    let old = dir.path().join("old-index");
    copy_dir(&index_path(&store), &old);
    assert!(run(&store, &["ingest", teapot_page(dir.path()).to_str().unwrap(), "--gard-id", "99998"]).0);
    std::fs::remove_dir_all(index_path(&store)).unwrap();
    copy_dir(&old, &index_path(&store));
    let (ok, _, err) = run(&store, &["query", "find-disease", "--bind", "q=teapot"]);
    assert!(!ok, "a stale index must not answer");
    assert!(err.contains("is stale") && err.contains("gardkg find --rebuild"), "{err}");
    // A query without the SERVICE does not need the index.
    let (ok, _, err) = run(&store, &["query", "ASK { ?s ?p ?o }"]);
    assert!(ok, "{err}");
}

#[test]
fn the_reference_page_is_found_by_every_name_and_identifier() {
    let Some(page) = common::shared("corpus/gard-pages/12547-selective-igm-deficiency.txt") else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = common::new_store(dir.path());
    let (ok, _, err) = run(&store, &["ingest", page.to_str().unwrap()]);
    assert!(ok, "{err}");
    for text in [
        "Selective IgM deficiency",
        "selectve igm deficency",
        "deficiency selective IgM",
        "selective immunoglobulin m deficiency",
        "SIgMD",
        "GARD:12547",
        "GARD:0012547",
        "12547",
        "ORPHA:331235",
        "Orphanet_331235",
        "331235",
        "C0154275",
        "UMLS:C0154275",
    ] {
        assert_eq!(first_id(&store, text), "GARD:0012547", "{text}");
    }
    let hits = find(&store, "selectve igm deficency");
    assert_eq!(hits[0]["words_matched"], 3);
    assert_eq!(find(&store, "ORPHA:331235")[0]["matched"], "Orphanet:331235");
}

/// Every 40th page of the MedQuAD folder (60 pages): each is found first by its exact label and by its GARD number,
/// and by its label with one letter dropped from its longest word among the first three hits.
#[test]
fn a_slice_of_the_corpus_is_found_by_label_number_and_misspelt_label() {
    let Some(corpus) = common::shared("corpus/medquad-gard") else { return };
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().path()).collect();
    pages.retain(|p| p.extension().is_some_and(|e| e == "xml"));
    pages.sort();
    let slice: Vec<String> = pages.iter().step_by(40).map(|p| p.to_string_lossy().into_owned()).collect();
    assert_eq!(slice.len(), 60);
    let dir = tempfile::tempdir().unwrap();
    let store_path = common::new_store(dir.path());
    let mut args = vec!["ingest", "-q"];
    args.extend(slice.iter().map(String::as_str));
    let (ok, _, err) = run(&store_path, &args);
    assert!(ok, "{err}");

    let labels: Vec<(String, String)> = {
        let store = GraphStore::open_read_only(&store_path, Namespace::default()).unwrap();
        let query = "SELECT ?d ?label WHERE { GRAPH ?g { ?d a <https://w3id.org/biolink/vocab/Disease> ; \
                     <http://www.w3.org/2000/01/rdf-schema#label> ?label } \
                     FILTER(STRSTARTS(STR(?g), \"https://w3id.org/gardkg/graph/gard/\")) }";
        let QueryResults::Solutions(rows) = store.query(query).unwrap() else { panic!("not a SELECT") };
        rows.map(|row| {
            let row = row.unwrap();
            let (Some(Term::NamedNode(d)), Some(Term::Literal(l))) = (row.get("d"), row.get("label")) else {
                panic!("unexpected row {row:?}")
            };
            (d.as_str().to_owned(), l.value().to_owned())
        })
        .collect()
    };
    assert_eq!(labels.len(), 60, "one disease with a label per page");
    let index = SearchIndex::open_for(&store_path).expect("ingest wrote a current index");
    let (mut misspelt, mut misspelt_first) = (0, 0);
    for (iri, label) in &labels {
        let hits = index.search(label, 10).unwrap();
        let top = &hits[0];
        assert_eq!(top.match_kind, MatchKind::ExactName, "{label}: {hits:?}");
        // Two pages may share a label only if they are the same disease; in this slice none do.
        assert_eq!(&top.iri, iri, "{label}: {hits:?}");

        // A bare number may also be another disease's Orphanet or OMIM code: the disease's own GARD id comes first.
        let number = iri.rsplit('/').next().unwrap().trim_start_matches('0');
        let hits = index.search(number, 10).unwrap();
        assert_eq!((&hits[0].iri, hits[0].match_kind), (iri, MatchKind::Identifier), "{number}: {hits:?}");
        assert_eq!(hits[0].matched, hits[0].id, "{number}: {hits:?}");
        let curie = format!("GARD:{number}");
        assert_eq!(index.search(&curie, 10).unwrap().iter().map(|h| &h.iri).collect::<Vec<_>>(), [iri], "{curie}");

        let longest = label.split_whitespace().max_by_key(|w| w.chars().count()).unwrap();
        if longest.chars().count() < 5 {
            continue;
        }
        let cut: String = longest.chars().enumerate().filter(|(i, _)| *i != 2).map(|(_, c)| c).collect();
        let typo = label.replacen(longest, &cut, 1);
        misspelt += 1;
        let hits = index.search(&typo, 3).unwrap();
        assert!(hits.iter().any(|h| &h.iri == iri), "{typo:?} (for {label:?}): {hits:?}");
        misspelt_first += usize::from(&hits[0].iri == iri);
    }
    println!("misspelt labels found first: {misspelt_first} of {misspelt}");
}
