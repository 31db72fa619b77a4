//! Hierarchy queries on the whole corpus store: each canned query that walks HPO's hierarchy, once through the
//! precomputed closure (`gardkg:ancestor_or_self`, as shipped) and once through the property path `rdfs:subClassOf*`
//! (the same text with the closure replaced by the path), on the same store, in one run. Target: each ≤ 50 ms.
//!
//! ```sh
//! GARDKG_SHARED=../shared cargo bench --bench hierarchy                      # builds a corpus store first
//! cargo bench --bench hierarchy -- --store DIR [--runs N] [--timeout-s S]    # an existing store (gardkg ingest)
//! ```
//!
//! Writes `benches/results/hierarchy-<date>.md` and `benches/results/hierarchy-latest.md` (`--no-save`: print only).
//! A query that does not finish within the timeout is stopped (Oxigraph's cancellation token) and reported as such.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use gardkg::model::vocab::{self, Namespace};
use gardkg::queries;
use gardkg::store::{GraphStore, QueryOptions};
use oxigraph::model::Term;
use oxigraph::sparql::{CancellationToken, QueryResults, Variable};

struct Args {
    store: Option<PathBuf>,
    runs: usize,
    timeout: Duration,
    save: bool,
}

fn args() -> Option<Args> {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --benches` runs the binary without `--bench`: measure nothing.
    if !raw.iter().any(|a| a == "--bench") {
        return None;
    }
    let value = |name: &str| raw.iter().position(|a| a == name).and_then(|i| raw.get(i + 1)).cloned();
    Some(Args {
        store: value("--store").map(PathBuf::from),
        runs: value("--runs").and_then(|v| v.parse().ok()).unwrap_or(15),
        timeout: Duration::from_secs(value("--timeout-s").and_then(|v| v.parse().ok()).unwrap_or(60)),
        save: !raw.iter().any(|a| a == "--no-save"),
    })
}

/// One timed evaluation: rows and elapsed time, or `None` when stopped by the timeout.
fn run(store: &GraphStore, text: &str, bindings: &[(Variable, Term)], timeout: Duration) -> Option<(usize, Duration)> {
    let token = CancellationToken::new();
    let watchdog = {
        let token = token.clone();
        std::thread::spawn(move || {
            std::thread::sleep(timeout);
            token.cancel();
        })
    };
    let options = QueryOptions { cancellation: Some(token.clone()), ..QueryOptions::default() };
    let started = Instant::now();
    let rows = match store.query_with_options(text, bindings.to_vec(), &options) {
        Ok(QueryResults::Solutions(solutions)) => solutions.collect::<Result<Vec<_>, _>>().ok().map(|r| r.len()),
        Ok(_) => Some(1),
        Err(_) => None,
    };
    let elapsed = started.elapsed();
    drop(watchdog);
    rows.map(|r| (r, elapsed))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let Some(args) = args() else { return };
    let namespace = Namespace::default();
    let path = match args.store.clone() {
        Some(p) => p,
        None => build_store(),
    };
    let store = GraphStore::open_read_only(&path, namespace).expect("the corpus store opens");
    let diseases = store.page_graphs().expect("page graphs");
    assert!(!diseases.is_empty(), "{}: no page graph", path.display());
    // A spread of bound values: every 120th disease (about 20 on the corpus), and three HPO branches.
    let disease_values: Vec<Term> = diseases
        .iter()
        .step_by((diseases.len() / 20).max(1))
        .filter_map(|g| g.as_str().rsplit('/').next()?.parse::<u32>().ok())
        .filter_map(|n| vocab::expand_curie(&vocab::gard_curie(n)).map(Term::from))
        .collect();
    let term_values: Vec<Term> = ["HP:0002715", "HP:0000707", "HP:0001507"]
        .iter()
        .filter_map(|c| vocab::expand_curie(c).map(Term::from))
        .collect();

    let mut report = String::new();
    let _ = writeln!(
        report,
        "# Hierarchy queries: closure vs property path\n\nStore: {} ({} pages). {} runs per query and bound value, \
         timeout {} s. Build: {}.\n",
        path.display(),
        diseases.len(),
        args.runs,
        args.timeout.as_secs(),
        if cfg!(debug_assertions) { "dev profile (debug assertions on; not representative)" } else { "optimized" }
    );
    let _ = writeln!(report, "| query | bound | variant | rows (median) | p50 | p95 | max | target ≤ 50 ms |");
    let _ = writeln!(report, "|---|---|---|---:|---:|---:|---:|---|");
    for (name, variable, values) in [
        ("phenotypes-by-branch", "disease", &disease_values),
        ("diseases-under", "term", &term_values),
        ("similar-diseases", "disease", &disease_values),
    ] {
        let canned = queries::get(name).expect("canned query");
        let closure = canned.text.to_owned();
        let path_text = closure.replace("gardkg:ancestor_or_self", "rdfs:subClassOf*");
        let variable = Variable::new(variable).expect("variable");
        for (variant, text) in [("closure", &closure), ("rdfs:subClassOf*", &path_text)] {
            let mut times = Vec::new();
            let mut rows = Vec::new();
            let mut stopped = 0;
            for _ in 0..args.runs {
                for value in values {
                    match run(&store, text, &[(variable.clone(), value.clone())], args.timeout) {
                        Some((r, t)) => {
                            rows.push(r);
                            times.push(t);
                        }
                        None => stopped += 1,
                    }
                }
                if stopped > 0 {
                    break;
                }
            }
            times.sort();
            rows.sort_unstable();
            let bound = format!("{} values of ?{}", values.len(), variable.as_str());
            if times.is_empty() || stopped > 0 {
                let _ = writeln!(
                    report,
                    "| {name} | {bound} | {variant} | | > {} s (stopped) | | | **missed** |",
                    args.timeout.as_secs()
                );
                continue;
            }
            let p50 = percentile(&times, 0.5);
            let _ = writeln!(
                report,
                "| {name} | {bound} | {variant} | {} | {} | {} | {} | {} |",
                rows[rows.len() / 2],
                ms(p50),
                ms(percentile(&times, 0.95)),
                ms(*times.last().expect("times")),
                if p50 <= Duration::from_millis(50) { "met" } else { "**missed**" }
            );
        }
    }
    println!("{report}");
    if args.save {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/results");
        let date = std::process::Command::new("date")
            .arg("+%Y-%m-%d")
            .output()
            .ok()
            .map_or_else(|| "local".to_owned(), |o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
        std::fs::write(dir.join(format!("hierarchy-{date}.md")), &report).expect("write the report");
        std::fs::write(dir.join("hierarchy-latest.md"), &report).expect("write the report");
    }
}

/// A corpus store in a temporary folder, made with the `gardkg` binary's own ingest.
fn build_store() -> PathBuf {
    let shared = std::env::var_os("GARDKG_SHARED").expect("set GARDKG_SHARED or pass --store DIR");
    let dir = std::env::temp_dir().join(format!("gardkg-hierarchy-{}", std::process::id()));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gardkg"))
        .args(["ingest", "-q", "--store"])
        .arg(&dir)
        .arg(PathBuf::from(shared).join("corpus/medquad-gard"))
        .status()
        .expect("gardkg runs");
    assert!(status.success(), "gardkg ingest failed");
    dir
}
