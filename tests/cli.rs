//! The binary end to end: ingest, query, export and every kind of bad input, on the project's example page.

mod common;

use std::fs;

use common::{canonical, example, run};
use gardkg::export::canonical as c14n;

fn store_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn ingest_prints_a_summary_and_writes_turtle() {
    let dir = store_dir();
    let store = common::new_store(dir.path());
    let ttl = dir.path().join("out.ttl");
    let (ok, out, err) = run(&store, &["ingest", example().to_str().unwrap(), "-o", ttl.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("1 added"), "{out}");
    assert!(out.contains("GARD:0099999"), "{out}");
    assert!(out.contains("phenotype associations"), "{out}");
    let turtle = fs::read_to_string(&ttl).unwrap();
    assert!(turtle.contains("@prefix biolink:"), "Turtle uses the project's prefixes");
    let dataset = c14n::parse_turtle(&turtle).expect("sophia reads gardkg's Turtle");
    assert!(c14n::canonical_nquads(&dataset).unwrap().contains("<https://rarediseases.info.nih.gov/diseases/0099999>"));
}

#[test]
fn ingesting_the_same_page_twice_changes_nothing() {
    let dir = store_dir();
    let store = common::new_store(dir.path());
    let page = example();
    assert!(run(&store, &["ingest", page.to_str().unwrap()]).0);
    let before = canonical(&store);
    let (ok, out, err) = run(&store, &["ingest", page.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("1 unchanged"), "{out}");
    assert_eq!(before, canonical(&store));
}

#[test]
fn bad_inputs_are_named_and_leave_the_store_as_it_was() {
    let dir = store_dir();
    let store = common::new_store(dir.path());
    assert!(run(&store, &["ingest", example().to_str().unwrap()]).0);
    let before = canonical(&store);
    let bad = dir.path().join("bad");
    fs::create_dir(&bad).unwrap();
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "binary"),
        ("latin1.txt", b"Caf\xe9 syndrome\n", "UTF-8"),
        ("truncated.xml", b"<?xml version=\"1.0\"?>\n<Document id=\"1\" url=\"https://rarediseases.info.nih.gov/gard/5/x\">\n<Focus>Kettle fever</Focus>\n<QAPairs><QAPair pid=\"1\"><Question qid=\"1-1\" qtype=\"symptoms\">Q?</Question><Answer>Some", "line"),
        ("untitled.xml", b"<?xml version=\"1.0\"?>\n<Document id=\"1\" url=\"https://rarediseases.info.nih.gov/gard/5/x\"><QAPairs/></Document>\n", "title"),
    ];
    for (name, bytes, reason) in cases {
        let path = bad.join(name);
        fs::write(&path, bytes).unwrap();
        // A good new page in the same batch must not be written either.
        let other = dir.path().join("12345-other.txt");
        fs::write(&other, fs::read_to_string(example()).unwrap()).unwrap();
        let (ok, _, err) = run(&store, &["ingest", other.to_str().unwrap(), path.to_str().unwrap()]);
        assert!(!ok, "{name} must fail");
        assert!(err.contains(name), "the error names the input: {err}");
        assert!(err.to_lowercase().contains(&reason.to_lowercase()), "{name}: the error says why ({reason}): {err}");
        assert_eq!(before, canonical(&store), "{name} changed the store");
    }
}

#[test]
fn keep_going_stores_the_good_pages_and_still_fails() {
    let dir = store_dir();
    let store = common::new_store(dir.path());
    let empty = dir.path().join("empty.txt");
    fs::write(&empty, "").unwrap();
    let (ok, out, err) = run(&store, &["ingest", "--keep-going", empty.to_str().unwrap(), example().to_str().unwrap()]);
    assert!(!ok);
    assert!(out.contains("1 added") && out.contains("1 failed"), "{out}");
    assert!(err.contains("empty.txt"), "{err}");
    let (ok, stats, _) = run(&store, &["stats", "--json"]);
    assert!(ok);
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(stats["pages"], 1);
}

#[test]
fn an_unreachable_url_is_an_error_naming_it() {
    let dir = store_dir();
    let store = common::new_store(dir.path());
    // Port 9 (discard) on loopback: nothing listens there in a test sandbox.
    let url = "http://127.0.0.1:9/gard/1/x";
    let (ok, _, err) = run(&store, &["ingest", "--timeout", "5", url]);
    assert!(!ok);
    assert!(err.contains(url), "{err}");
}

#[test]
fn queries_answer_and_malformed_queries_fail() {
    let dir = store_dir();
    let store = common::new_store(dir.path());
    assert!(run(&store, &["ingest", example().to_str().unwrap()]).0);
    let (ok, out, err) = run(&store, &["query", "--list"]);
    assert!(ok, "{err}");
    for name in [
        "phenotypes",
        "phenotypes-by-branch",
        "diseases-under",
        "similar-diseases",
        "references",
        "find-disease",
        "warnings",
        "prevalence",
    ] {
        assert!(out.contains(name), "{out}");
    }
    let (ok, out, err) = run(&store, &["query", "phenotypes", "--bind", "disease=GARD:99999", "--results", "csv"]);
    assert!(ok, "{err}");
    assert!(out.lines().count() > 2, "the example names several phenotypes: {out}");
    assert!(out.contains("http://purl.obolibrary.org/obo/HP_"), "{out}");
    let (ok, out, _) = run(&store, &["query", "find-disease", "--bind", "q=kettle", "--results", "tsv"]);
    assert!(ok && out.contains("0099999"), "{out}");
    let (ok, out, _) =
        run(&store, &["query", "ASK { ?d a <https://w3id.org/biolink/vocab/Disease> }", "--results", "json"]);
    assert!(ok && out.contains("true"), "{out}");
    let (ok, _, err) = run(&store, &["query", "SELECT ?x WHERE { ?x"]);
    assert!(!ok);
    assert!(err.to_lowercase().contains("sparql"), "{err}");
    let (ok, _, err) = run(&store, &["query", "no-such-query"]);
    assert!(!ok && err.contains("--list"), "{err}");
    let (ok, out, _) = run(
        &store,
        &[
            "query",
            "CONSTRUCT { ?d ?p ?o } WHERE { ?d a <https://w3id.org/biolink/vocab/Disease> ; ?p ?o }",
            "--format",
            "nt",
        ],
    );
    assert!(ok && out.contains("<https://w3id.org/biolink/vocab/Disease>"), "{out}");
}

#[test]
fn every_export_format_reads_back() {
    let dir = store_dir();
    let store = common::new_store(dir.path());
    assert!(run(&store, &["ingest", example().to_str().unwrap()]).0);
    let (ok, nq, _) = run(&store, &["export", "--format", "nq"]);
    assert!(ok);
    let quads = nq.lines().count();
    for (ext, format) in [
        ("ttl", oxigraph::io::RdfFormat::Turtle),
        ("nt", oxigraph::io::RdfFormat::NTriples),
        ("trig", oxigraph::io::RdfFormat::TriG),
        ("rdf", oxigraph::io::RdfFormat::RdfXml),
        ("jsonld", oxigraph::io::RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() }),
    ] {
        let file = dir.path().join(format!("out.{ext}"));
        let (ok, _, err) = run(&store, &["export", "-o", file.to_str().unwrap()]);
        assert!(ok, "{ext}: {err}");
        let parsed = oxigraph::io::RdfParser::from_format(format)
            .for_reader(fs::File::open(&file).unwrap())
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| panic!("{ext}: {e}"));
        let distinct: std::collections::HashSet<_> = parsed
            .iter()
            .map(|q| {
                (
                    q.subject.clone(),
                    q.predicate.clone(),
                    q.object.clone(),
                    if format.supports_datasets() && ext != "jsonld" { Some(q.graph_name.clone()) } else { None },
                )
            })
            .collect();
        // N-Quads and TriG keep the graphs; triple syntaxes and JSON-LD write the union, each triple once.
        if format.supports_datasets() && ext != "jsonld" {
            assert_eq!(distinct.len(), quads, "{ext}");
        } else {
            assert!(!distinct.is_empty() && distinct.len() <= quads, "{ext}");
        }
    }
    let (ok, _, err) = run(&store, &["export", "-o", dir.path().join("out.docx").to_str().unwrap()]);
    assert!(!ok && err.contains("--format"), "{err}");
    let (ok, _, err) = run(&store, &["export", "--graph", "GARD:1"]);
    assert!(!ok && err.contains("no graph"), "{err}");
}

#[test]
fn a_missing_store_is_a_clear_error() {
    let dir = store_dir();
    let (ok, _, err) = run(&dir.path().join("nowhere"), &["stats"]);
    assert!(!ok);
    assert!(err.contains("nowhere") && err.contains("gardkg ingest"), "{err}");
}

/// `export --format sssom` (or a `.sssom.tsv` output): the SSSOM header and, for the reference page, the Mondo
/// mappings of its disease and the lay words its mentions were found through.
#[test]
fn export_writes_the_mappings_used_as_sssom() {
    let dir = store_dir();
    let store = common::new_store(dir.path());
    let (ok, _, err) = common::run(&store, &["ingest", "-q", common::example().to_str().unwrap()]);
    assert!(ok, "{err}");
    let (ok, out, err) = common::run(&store, &["export", "--format", "sssom"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("# curie_map:\n"), "{out}");
    assert!(out.contains("\n# mapping_set_id: https://w3id.org/gardkg/mappings/gardkg.sssom.tsv\n"), "{out}");
    assert!(out.contains("\nsubject_id\tsubject_label\tsubject_type\tpredicate_id\tobject_id\t"), "{out}");
    let (ok, _, err) = common::run(&store, &["export", "--format", "sssom", "--graph", "GARD:0099999"]);
    assert!(!ok && err.contains("whole store"), "{err}");
    let Some(page) = common::shared("corpus/gard-pages/12547-selective-igm-deficiency.txt") else { return };
    let (ok, _, err) = common::run(&store, &["ingest", "-q", page.to_str().unwrap()]);
    assert!(ok, "{err}");
    let file = dir.path().join("m.sssom.tsv");
    let (ok, _, err) = common::run(&store, &["export", "-o", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    let rows: Vec<Vec<&str>> =
        text.lines().filter(|l| !l.starts_with('#')).skip(1).map(|l| l.split('\t').collect()).collect();
    let has = |subject: &str, predicate: &str, object: &str| {
        rows.iter().any(|r| (r[0] == subject || r[1] == subject) && r[3] == predicate && r[4] == object)
    };
    assert!(has("GARD:0012547", "skos:exactMatch", "MONDO:0018039"), "{text}");
    assert!(has("GARD:0012547", "oboInOwl:hasDbXref", "UMLS:C0154275"), "{text}");
    // An EXACT synonym is an exact match; a BROAD one (sinus infection for Sinusitis) is not.
    assert!(has("ear infection", "skos:exactMatch", "HP:0000388"), "{text}");
    assert!(!rows.iter().any(|r| r[1] == "sinus infection" && r[3] == "skos:exactMatch"), "{text}");
    assert!(has("22q11.2 deletion syndrome", "skos:exactMatch", "Orphanet:567"), "{text}");
}
