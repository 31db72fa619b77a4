//! The graph beside the world it points into, through the binary: ontologies in the store with their closure,
//! `SERVICE` to endpoints on an allow-list (a SPARQL endpoint on loopback), `FROM` honoured, updates refused,
//! ontology files refused as pages, and `push` to a Graph Store Protocol endpoint on loopback (with failures,
//! retries and credentials).

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use common::{example, new_store, run};
use tiny_http::{Header, Method, Response, Server};

fn header(k: &str, v: &str) -> Header {
    Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap()
}

/// A SPARQL endpoint on loopback that answers every query with one row binding `?remote` to a label of
/// GARD:0099999, and records the queries it was sent.
fn sparql_endpoint() -> (String, Arc<Mutex<Vec<String>>>) {
    let server = Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}/sparql", server.server_addr().to_ip().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    thread::spawn(move || {
        while let Ok(Some(mut request)) = server.recv_timeout(Duration::from_secs(60)) {
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            record.lock().unwrap().push(body);
            let results = r#"{"head":{"vars":["disease","remote"]},"results":{"bindings":[
                {"disease":{"type":"uri","value":"https://rarediseases.info.nih.gov/diseases/0099999"},
                 "remote":{"type":"literal","value":"Kettle fever (remote label)"}}]}}"#;
            let _ = request.respond(
                Response::from_string(results).with_header(header("Content-Type", "application/sparql-results+json")),
            );
        }
    });
    (url, seen)
}

fn store_with_example() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path());
    let (ok, _, err) = run(&store, &["ingest", "-q", example().to_str().unwrap()]);
    assert!(ok, "{err}");
    (dir, store)
}

#[test]
fn service_joins_a_remote_endpoint_on_the_allow_list_and_refuses_others() {
    let (_dir, store) = store_with_example();
    let (endpoint, seen) = sparql_endpoint();
    let query = format!(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
         SELECT ?disease ?label ?remote WHERE {{
           ?disease a <https://w3id.org/biolink/vocab/Disease> ; rdfs:label ?label .
           SERVICE <{endpoint}> {{ ?disease rdfs:label ?remote }} }}"
    );
    // Allowed: local diseases joined with the remote labels.
    let (ok, out, err) = run(&store, &["query", "--service-allow", &endpoint, &query, "--results", "tsv"]);
    assert!(ok, "{err}");
    assert!(out.contains("\"Kettle fever\"") && out.contains("Kettle fever (remote label)"), "{out}");
    assert_eq!(seen.lock().unwrap().len(), 1, "one call to the endpoint");
    assert!(seen.lock().unwrap()[0].starts_with("query="), "SPARQL 1.1 Protocol POST form");

    // Not on the list (the default): refused with a clear message, and nothing was sent.
    let (ok, _, err) = run(&store, &["query", &query]);
    assert!(!ok);
    assert!(err.contains("refused") && err.contains(&endpoint) && err.contains("--service-allow"), "{err}");
    assert_eq!(seen.lock().unwrap().len(), 1);

    // Through a variable (bound when the query runs): the endpoint is checked against the same list.
    let through_variable = "SELECT ?endpoint ?remote WHERE { SERVICE ?endpoint { ?d <http://www.w3.org/2000/01/rdf-schema#label> ?remote } }";
    let bind = format!("endpoint=<{endpoint}>");
    let (ok, _, err) = run(&store, &["query", through_variable, "--bind", &bind]);
    assert!(!ok && err.contains("refused") && err.contains(&endpoint), "{err}");
    let (ok, out, err) =
        run(&store, &["query", "--service-allow", &endpoint, through_variable, "--bind", &bind, "--results", "tsv"]);
    assert!(ok && out.contains("remote label"), "{out}{err}");
    let other = "endpoint=<http://169.254.169.254/latest/meta-data>";
    let (ok, _, err) = run(&store, &["query", "--service-allow", &endpoint, through_variable, "--bind", other]);
    assert!(!ok && err.contains("169.254.169.254") && err.contains("refused"), "{err}");

    // SILENT: the query goes on without the rows, and says so on standard error.
    let silent = query.replace("SERVICE <", "SERVICE SILENT <");
    let (ok, out, err) = run(&store, &["query", &silent, "--results", "tsv"]);
    assert!(ok, "{err}");
    assert!(!out.contains("remote label"), "{out}");
    assert!(err.contains("warning") && err.contains("SERVICE SILENT"), "{err}");

    // The configuration file allows it too.
    let config = store.parent().unwrap().join("config.toml");
    std::fs::write(&config, format!("[service]\nallow = [\"{endpoint}\"]\nmax_rows = 5\n")).unwrap();
    let (ok, out, err) = run(&store, &["query", "--config", config.to_str().unwrap(), &query, "--results", "tsv"]);
    assert!(ok && out.contains("remote label"), "{out}{err}");
    // A per-call row cap below the answer is an error.
    let (ok, _, err) = run(&store, &["query", "--service-allow", &endpoint, "--service-max-rows", "0", &query]);
    assert!(!ok && err.contains("more than 0 rows"), "{err}");
}

#[test]
fn from_names_the_dataset_and_updates_are_refused() {
    let (_dir, store) = store_with_example();
    let page = "https://w3id.org/gardkg/graph/gard/0099999";
    let count = |q: &str| -> u64 {
        let (ok, out, err) = run(&store, &["query", q, "--results", "tsv"]);
        assert!(ok, "{err}");
        out.lines().nth(1).unwrap().split('^').next().unwrap().trim_matches('"').parse().unwrap()
    };
    let all = count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
    let page_only = count(&format!("SELECT (COUNT(*) AS ?n) FROM <{page}> WHERE {{ ?s ?p ?o }}"));
    let hp_only = count("SELECT (COUNT(*) AS ?n) FROM <http://purl.obolibrary.org/obo/hp.owl> WHERE { ?s ?p ?o }");
    assert!(page_only > 100 && page_only < all, "FROM restricts the default graph: {page_only} of {all}");
    assert!(hp_only > 100_000, "{hp_only}");
    let named = count(&format!("SELECT (COUNT(*) AS ?n) FROM NAMED <{page}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"));
    assert_eq!(named, page_only);
    let (ok, _, err) = run(&store, &["query", "DELETE WHERE { ?s ?p ?o }"]);
    assert!(!ok && err.contains("SPARQL Update") && err.contains("serve --writable"), "{err}");
}

#[test]
fn ontologies_are_in_the_store_with_their_closure() {
    let (_dir, store) = store_with_example();
    let (ok, out, err) = run(&store, &["ontology", "list"]);
    assert!(ok, "{err}");
    for expected in ["hp/releases/2025-01-16", "maxo/releases/2024-07-29", "releases/2024-07-19"] {
        assert!(out.contains(expected), "{out}");
    }
    // The closure reaches Abnormality of the immune system from Recurrent infections, and the branch query groups.
    let (ok, out, err) = run(&store, &["query", "diseases-under", "--bind", "term=HP:0002715", "--results", "tsv"]);
    assert!(ok, "{err}");
    assert!(out.contains("0099999"), "the example's recurrent infections are immune-system phenotypes: {out}");
    let (ok, out, err) =
        run(&store, &["query", "phenotypes-by-branch", "--bind", "disease=GARD:0099999", "--results", "tsv"]);
    assert!(ok, "{err}");
    assert!(out.contains("Abnormality of the immune system"), "{out}");
    // An ontology file given as a page is refused, and load puts it beside the pages instead.
    let dir = tempfile::tempdir().unwrap();
    let obo = dir.path().join("tiny.obo");
    std::fs::write(
        &obo,
        "format-version: 1.2\ndata-version: tiny/2026-01-01\nontology: tiny\n\n[Term]\nid: TINY:1\nname: root\n\n\
         [Term]\nid: TINY:2\nname: child\nis_a: TINY:1\n\n[Term]\nid: TINY:3\nname: grandchild\nis_a: TINY:2\n",
    )
    .unwrap();
    let (ok, _, err) = run(&store, &["ingest", obo.to_str().unwrap()]);
    assert!(!ok && err.contains("gardkg ontology load"), "{err}");
    let (ok, out, err) = run(&store, &["ontology", "load", obo.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("3 added"), "{out}");
    let (ok, out, _) = run(
        &store,
        &[
            "query",
            "SELECT ?a WHERE { GRAPH <https://w3id.org/gardkg/graph/closure/tiny> { <http://purl.obolibrary.org/obo/TINY_3> <https://w3id.org/gardkg/ancestor_or_self> ?a } } ORDER BY ?a",
            "--results",
            "tsv",
        ],
    );
    assert!(ok);
    assert_eq!(out.lines().count(), 4, "grandchild, child and root: {out}");
    // Loading it again with a change says what changed.
    std::fs::write(
        &obo,
        std::fs::read_to_string(&obo)
            .unwrap()
            .replace("tiny/2026-01-01", "tiny/2026-02-01")
            .replace("name: grandchild", "name: grandchild renamed\nis_obsolete: true"),
    )
    .unwrap();
    let (ok, out, err) = run(&store, &["ontology", "load", obo.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        out.contains("tiny/2026-01-01 -> tiny/2026-02-01")
            && out.contains("1 newly obsolete")
            && out.contains("1 relabelled"),
        "{out}"
    );
}

/// A Graph Store Protocol endpoint on loopback: stores PUT bodies by graph, answers 503 to the first `fail_first`
/// requests, and 401 without the expected bearer token (when one is set).
struct GraphStoreEndpoint {
    url: String,
    graphs: Arc<Mutex<HashMap<String, String>>>,
    requests: Arc<Mutex<usize>>,
}

fn graph_store(fail_first: usize, token: Option<&'static str>) -> GraphStoreEndpoint {
    let server = Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}/store", server.server_addr().to_ip().unwrap());
    let graphs = Arc::new(Mutex::new(HashMap::new()));
    let requests = Arc::new(Mutex::new(0));
    let (g, r) = (Arc::clone(&graphs), Arc::clone(&requests));
    thread::spawn(move || {
        while let Ok(Some(mut request)) = server.recv_timeout(Duration::from_secs(60)) {
            let n = {
                let mut r = r.lock().unwrap();
                *r += 1;
                *r
            };
            let authorized = token.is_none_or(|t| {
                request
                    .headers()
                    .iter()
                    .any(|h| h.field.equiv("Authorization") && h.value.as_str() == format!("Bearer {t}"))
            });
            let status = if n <= fail_first {
                503
            } else if !authorized {
                401
            } else if *request.method() != Method::Put {
                405
            } else {
                let graph = request
                    .url()
                    .split("graph=")
                    .nth(1)
                    .map(|g| g.replace("%3A", ":").replace("%2F", "/"))
                    .unwrap_or_default();
                let mut body = String::new();
                request.as_reader().read_to_string(&mut body).unwrap();
                g.lock().unwrap().insert(graph, body);
                204
            };
            let _ = request.respond(Response::empty(status));
        }
    });
    GraphStoreEndpoint { url, graphs, requests }
}

#[test]
fn push_sends_each_graph_once_retries_and_reports_failures() {
    let (_dir, store) = store_with_example();
    // Two transient failures, then success: every graph arrives, retried.
    let remote = graph_store(2, None);
    let (ok, out, err) = run(&store, &["push", "--to", &remote.url, "--json"]);
    assert!(ok, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["failures"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(report["retries"], 2, "{report}");
    let graphs = remote.graphs.lock().unwrap().clone();
    assert_eq!(report["sent"].as_u64().unwrap(), u64::try_from(graphs.len()).unwrap());
    let page = graphs.get("https://w3id.org/gardkg/graph/gard/0099999").expect("the page graph was PUT");
    assert!(page.lines().count() > 100 && page.lines().all(|l| l.ends_with(" .")), "N-Triples");
    assert!(graphs.contains_key("https://w3id.org/gardkg/graph/terms") || graphs.len() == 1, "{:?}", graphs.keys());
    // Pushing again replaces (PUT), and the ontologies go on request.
    let (ok, out, _) = run(&store, &["push", "--to", &remote.url, "--graphs", "ontologies", "--json"]);
    assert!(ok);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(report["triples"].as_u64().unwrap() > 100_000, "{report}");
    assert!(remote.graphs.lock().unwrap().contains_key("http://purl.obolibrary.org/obo/hp.owl"));

    // A store that wants a token: refused without, accepted with, from the environment.
    let guarded = graph_store(0, Some("s3cret"));
    let (ok, _, err) = run(&store, &["push", "--to", &guarded.url, "--retries", "0"]);
    assert!(!ok, "401 is a failure");
    assert!(err.contains("401") && err.contains("GARDKG_PUSH_TOKEN"), "{err}");
    let out = common::gardkg(&store)
        .env("GARDKG_PUSH_TOKEN", "s3cret")
        .args(["push", "--to", &guarded.url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!guarded.graphs.lock().unwrap().is_empty());

    // Nothing listening: every graph fails after its retries, exit 1, each failure named.
    let (ok, out, err) = run(&store, &["push", "--to", "http://127.0.0.1:9/store", "--retries", "1"]);
    assert!(!ok);
    assert!(out.contains("failed") && err.contains("graph/gard/0099999"), "{out}{err}");
    assert!(*remote.requests.lock().unwrap() >= 4);
}

/// `ontology load URL` then `ontology refresh NAME`: the newer release served at the same URL replaces the graph,
/// and the command says what changed; the same release again changes nothing.
#[test]
fn refresh_fetches_a_newer_release_from_where_it_was_loaded() {
    let (_dir, store) = store_with_example();
    let release = Arc::new(Mutex::new(1_u32));
    let server = Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}/tiny.obo", server.server_addr().to_ip().unwrap());
    let current = Arc::clone(&release);
    thread::spawn(move || {
        while let Ok(Some(request)) = server.recv_timeout(Duration::from_secs(60)) {
            let n = *current.lock().unwrap();
            let extra = if n > 1 { "\n[Term]\nid: TINY:9\nname: newcomer\nis_a: TINY:1\n" } else { "" };
            let body = format!(
                "format-version: 1.2\ndata-version: tiny/release-{n}\nontology: tiny\n\n[Term]\nid: TINY:1\nname: root\n{extra}"
            );
            let _ = request.respond(Response::from_string(body).with_header(header("Content-Type", "text/plain")));
        }
    });
    let (ok, out, err) = run(&store, &["ontology", "load", &url]);
    assert!(ok, "{err}");
    assert!(out.contains("loaded tiny/release-1"), "{out}");
    let (ok, out, err) = run(&store, &["ontology", "refresh", "tiny"]);
    assert!(ok, "{err}");
    assert!(out.contains("newest release; nothing changed"), "{out}");
    *release.lock().unwrap() = 2;
    let (ok, out, err) = run(&store, &["ontology", "refresh", "tiny"]);
    assert!(ok, "{err}");
    assert!(out.contains("tiny/release-1 -> tiny/release-2") && out.contains("1 added"), "{out}");
    let (ok, out, _) = run(&store, &["ontology", "list"]);
    assert!(ok && out.contains("tiny/release-2") && out.contains(&url), "{out}");
}
