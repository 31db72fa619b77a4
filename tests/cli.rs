//! The binary end to end: ingest, query, export and every kind of bad input, on the project's example page.

mod common;

use std::fs;
use std::path::PathBuf;

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
    // A table: every row's name stands apart from its value, all values in one column.
    let rows: Vec<&str> =
        out.lines().filter(|l| l.starts_with("  ") && !l.starts_with("   ") && !l.starts_with("  GARD:")).collect();
    assert!(rows.len() >= 10, "{out}");
    let column = |row: &str| row.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
    for row in &rows {
        assert!(row[..column(row)].ends_with("  "), "a name runs into its value: {row:?}");
        assert_eq!(column(row), column(rows[0]), "values out of column: {row:?}");
    }
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
    let (ok, _, err) = run(&store, &["ingest", "--timeout", "5", "--allow-private-addresses", url]);
    assert!(!ok);
    assert!(err.contains(url) && err.contains("cannot connect"), "{err}");
    // Without the allowance, a loopback URL is refused before any connection.
    let (ok, _, err) = run(&store, &["ingest", "--timeout", "5", url]);
    assert!(!ok);
    assert!(err.contains(&format!("{url}: 127.0.0.1 is a loopback address")), "{err}");
    assert!(err.contains("--allow-private-addresses"), "{err}");
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

    // A file written with -o gets the mode of any new file (0666 less the umask, as `sh` reports it), not the
    // private mode of the temporary file it was written to; a file written over keeps its own mode.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &std::path::Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let umask = std::process::Command::new("sh").args(["-c", "umask"]).output().unwrap();
        let umask = u32::from_str_radix(String::from_utf8_lossy(&umask.stdout).trim(), 8).unwrap();
        let fresh = dir.path().join("fresh.nt");
        assert!(run(&store, &["export", "-o", fresh.to_str().unwrap()]).0);
        assert_eq!(mode(&fresh), 0o666 & !umask);
        let existing = dir.path().join("out.ttl");
        fs::set_permissions(&existing, fs::Permissions::from_mode(0o640)).unwrap();
        assert!(run(&store, &["export", "-o", existing.to_str().unwrap()]).0);
        assert_eq!(mode(&existing), 0o640);
    }
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

#[test]
fn deep_runaway_and_huge_queries_fail_with_a_clear_error() {
    let dir = store_dir();
    let store = common::new_store(dir.path());
    let union: Vec<String> = (0..5_000).map(|i| format!("{{ ?s <http://example.org/p{i}> ?o }}")).collect();
    let deep = [
        format!("SELECT * WHERE {}?s ?p ?o{}", "{".repeat(5_000), "}".repeat(5_000)),
        format!("SELECT * WHERE {{ {} }}", union.join(" UNION ")),
        format!("SELECT * WHERE {{ FILTER({}1{}) }}", "(".repeat(5_000), ")".repeat(5_000)),
    ];
    // From files: the longest is more than a command-line argument may hold.
    let file = dir.path().join("q.rq");
    for query in &deep {
        std::fs::write(&file, query).unwrap();
        let out = common::gardkg(&store).args(["query", "--results", "tsv", "-f"]).arg(&file).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        // Exit 1 with a message, never an abort (134) from a stack overflow.
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("the query nests more than 1000 levels deep"), "{err}");
    }
    // A 10,000-step path is not deep once parsed, but planning it takes minutes: the timeout ends it.
    let path = vec!["<http://example.org/p>"; 10_000].join("/");
    let query = format!("SELECT * WHERE {{ ?s {path} ?o }}");
    std::fs::write(&file, query).unwrap();
    let out =
        common::gardkg(&store).args(["query", "--timeout", "2", "--results", "tsv", "-f"]).arg(&file).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("the query ran longer than 2 s (--timeout) and was stopped"), "{err}");
    // A cross join of the ontologies runs for ever: the timeout stops the evaluation.
    let cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let (ok, _, err) = run(&store, &["query", "--timeout", "2", "--max-rows", "0", "--results", "tsv", cross]);
    assert!(!ok && err.contains("(--timeout) and was stopped"), "{err}");
    // The row cap.
    let (ok, out, err) = run(&store, &["query", "--max-rows", "10", "--results", "tsv", "SELECT * { ?s ?p ?o }"]);
    assert!(!ok && err.contains("the query gives more than 10 rows (--max-rows)"), "{err}");
    assert_eq!(out.lines().count(), 11, "the header and ten rows, then the error: {out}");
    let (ok, out, err) = run(&store, &["query", "--max-rows", "10", "SELECT * { ?s ?p ?o } LIMIT 10"]);
    assert!(ok && out.lines().count() == 11, "{err}");
    // Just under the depth limit still answers.
    let nested = format!("ASK {}?s ?p ?o{}", "{".repeat(900), "}".repeat(900));
    let (ok, out, err) = run(&store, &["query", "--results", "tsv", &nested]);
    assert!(ok && out.contains("true"), "{err}");
}

#[test]
fn annotate_reads_a_file_or_standard_input_and_prints_tsv_or_json() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = store_dir();
    let text = dir.path().join("note.txt");
    fs::write(&text, "Most kettles whistle.\nThe patient has seizures but no hearing loss.\n").unwrap();
    let (ok, out, err) = run(&dir.path().join("unused"), &["annotate", text.to_str().unwrap()]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "start\tend\ttext\tid\tlabel\tnegated\tfrequency\tonset\trule");
    assert!(lines.contains(&"38\t46\tseizures\tHP:0001250\tSeizure\tfalse\t\t\tname"), "{out}");
    assert!(
        lines.iter().any(|l| l.starts_with("54\t66\thearing loss\tHP:0000365\t") && l.contains("\ttrue\t")),
        "{out}"
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_gardkg"))
        .args(["annotate", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gardkg runs");
    child.stdin.take().unwrap().write_all(b"Seizures begin in infancy.").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json[0]["id"], "HP:0001250", "{json}");
    assert_eq!(json[0]["onset"], "HP:0003593", "{json}");
    assert_eq!(json[0]["rule"], "name", "{json}");
    assert_eq!((json[0]["start"].as_u64(), json[0]["end"].as_u64()), (Some(0), Some(8)));

    let (ok, _, err) = run(&dir.path().join("unused"), &["annotate", "/nonexistent/note.txt"]);
    assert!(!ok && err.contains("/nonexistent/note.txt"), "{err}");
}

/// The start-up cache changes nothing but the time: `annotate` on a page's text and `ingest --memory -o` print the
/// same with the cache off (`--no-cache`, `GARDKG_NO_CACHE=1`), while it is written, and when it is read; the
/// files are written by the first run and only read by the next.
#[test]
fn the_start_up_cache_changes_no_output() {
    let dir = store_dir();
    let cache = dir.path().join("cache");
    let store = dir.path().join("unused");
    let page = example();
    let page = page.to_str().unwrap();
    let annotate = |extra: &[&str], env: Option<(&str, &str)>| {
        let mut cmd = common::gardkg(&store);
        cmd.env("GARDKG_CACHE_DIR", &cache).env_remove("GARDKG_NO_CACHE").args(extra).args(["annotate", page]);
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let uncached = annotate(&["--no-cache"], None);
    assert!(!cache.exists(), "--no-cache writes no cache");
    assert!(uncached.lines().count() > 5, "{uncached}");
    assert_eq!(annotate(&[], None), uncached, "while writing the cache");
    let files: Vec<(PathBuf, std::time::SystemTime)> = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.clone(), fs::metadata(&p).unwrap().modified().unwrap()))
        .collect();
    let names: Vec<String> = files.iter().map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for part in ["hp-", "maxo-", "phenotype-matcher-", "treatments-", "conditions-"] {
        assert!(
            names.iter().any(|n| n.starts_with(part) && n.rsplit('.').next() == Some("bin")),
            "{part} in {names:?}"
        );
    }
    assert_eq!(annotate(&[], None), uncached, "read from the cache");
    assert_eq!(annotate(&[], Some(("GARDKG_NO_CACHE", "1"))), uncached, "GARDKG_NO_CACHE=1");
    for (path, modified) in &files {
        assert_eq!(fs::metadata(path).unwrap().modified().unwrap(), *modified, "{} was rewritten", path.display());
    }

    // The whole pipeline (conditions, Mondo mappings, treatments, the model) with and without the cache.
    let ingest = |no_cache: bool, out: &str| {
        let out = dir.path().join(out);
        let mut cmd = common::gardkg(&store);
        cmd.env("GARDKG_CACHE_DIR", &cache).env_remove("GARDKG_NO_CACHE");
        if no_cache {
            cmd.arg("--no-cache");
        }
        let result = cmd.args(["ingest", "--memory", "-q", "-o", out.to_str().unwrap(), page]).output().unwrap();
        assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
        fs::read_to_string(out).unwrap()
    };
    let uncached = ingest(true, "uncached.nq");
    assert!(uncached.contains("HP_"), "{uncached}");
    assert_eq!(ingest(false, "writing.nq"), uncached);
    assert!(fs::read_dir(&cache).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().starts_with("mondo-")));
    assert_eq!(ingest(false, "cached.nq"), uncached);
}

#[test]
fn eval_counts_every_phenotype_miss_and_wrong_mention_by_kind() {
    let Some(corpus) = common::shared("corpus") else { return };
    let dir = store_dir();
    let gold = common::root().join("tests/gold/medquad");
    let (ok, out, err) =
        run(dir.path(), &["eval", gold.to_str().unwrap(), "--corpus", corpus.to_str().unwrap(), "--kind", "phenotype"]);
    assert!(ok, "{err}");
    // "phenotype  103  576  417  327  90  249 ...": pages, gold, pred, TP, FP, FN.
    let totals: Vec<usize> = out
        .lines()
        .find(|l| l.starts_with("phenotype "))
        .expect("a phenotype score line")
        .split_whitespace()
        .skip(2)
        .take(5)
        .map(|n| n.parse().expect("a count"))
        .collect();
    let (false_positives, false_negatives) = (totals[3], totals[4]);
    // The rows under each heading: "  kind | count (share)".
    let counts = |heading: &str| -> usize {
        let lines = out.lines().skip_while(|l| !l.starts_with(heading)).skip(1);
        lines
            .take_while(|l| l.starts_with("  "))
            .map(|l| l.rsplit('|').next().unwrap().split_whitespace().next().unwrap().parse::<usize>().unwrap())
            .sum()
    };
    assert_eq!(counts("phenotype mentions missed, by what gardkg found there"), false_negatives, "{out}");
    assert_eq!(counts("phenotype mentions wrong, by what the gold has there"), false_positives, "{out}");
    assert!(out.contains("wrong mentions by rule: name:"), "{out}");
}
