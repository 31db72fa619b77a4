//! Measures the search index on a store: the time of a full rebuild, and the latency of searches by exact label,
//! misspelt label, reordered words, an unfinished last word, and identifiers, for every disease with a page.
//!
//! ```text
//! cp -r STORE /tmp/store-copy        # the index is written beside the store: DIR.search
//! cargo run --example search_latency -- /tmp/store-copy
//! ```
//!
//! The searches run in one process on an opened index (what the server and the SPARQL `SERVICE` pay); a whole
//! `gardkg find` command adds the process start and the freshness check. Prints one line per kind of search: count,
//! mean, p50, p99, max, and how often the searched disease came first.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use gardkg::model::vocab::Namespace;
use gardkg::search::SearchIndex;
use gardkg::store::GraphStore;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;

/// Makes the text searched for a disease from its IRI and label (`None`: this kind does not apply to it).
type Make = fn(&str, &str) -> Option<String>;

fn main() -> ExitCode {
    let Some(store_path) = std::env::args().nth(1) else {
        eprintln!("usage: search_latency STORE_DIR (the index is (re)built at STORE_DIR.search)");
        return ExitCode::FAILURE;
    };
    let store_path = Path::new(&store_path);
    let store = GraphStore::open_read_only(store_path, Namespace::default()).expect("the store opens");
    let report = SearchIndex::rebuild(&store, store_path).expect("the index builds");
    println!(
        "rebuild: {:.2} s for {} pages, {} documents ({})",
        report.seconds,
        report.pages,
        report.documents,
        report.index.display()
    );
    let started = Instant::now();
    let index = SearchIndex::open(&store, store_path).expect("the index opens");
    println!("open with the full freshness check: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);

    let query = "SELECT ?d ?label WHERE { GRAPH ?g { ?d a <https://w3id.org/biolink/vocab/Disease> ; \
                 <http://www.w3.org/2000/01/rdf-schema#label> ?label } \
                 FILTER(STRSTARTS(STR(?g), \"https://w3id.org/gardkg/graph/gard/\")) }";
    let QueryResults::Solutions(rows) = store.query(query).expect("labels") else { unreachable!() };
    let mut diseases: Vec<(String, String)> = rows
        .filter_map(|r| {
            let r = r.ok()?;
            match (r.get("d"), r.get("label")) {
                (Some(Term::NamedNode(d)), Some(Term::Literal(l))) => {
                    Some((d.as_str().to_owned(), l.value().to_owned()))
                }
                _ => None,
            }
        })
        .collect();
    diseases.sort();

    let kinds: [(&str, Make); 6] = [
        ("exact label", |_, label| Some(label.to_owned())),
        ("misspelt label (3rd letter of the longest word dropped)", |_, label| {
            let longest = label.split_whitespace().max_by_key(|w| w.chars().count())?;
            (longest.chars().count() >= 5).then(|| {
                let cut: String = longest.chars().enumerate().filter(|(i, _)| *i != 2).map(|(_, c)| c).collect();
                label.replacen(longest, &cut, 1)
            })
        }),
        ("label words reversed", |_, label| {
            let words: Vec<&str> = label.split_whitespace().rev().collect();
            (words.len() > 1).then(|| words.join(" "))
        }),
        ("label with the last word cut to 3 letters", |_, label| {
            let (head, last) = label.rsplit_once(' ')?;
            (last.chars().count() > 4).then(|| format!("{head} {}", last.chars().take(3).collect::<String>()))
        }),
        ("GARD:N", |iri, _| Some(format!("GARD:{}", iri.rsplit('/').next()?.trim_start_matches('0')))),
        ("bare number", |iri, _| Some(iri.rsplit('/').next()?.trim_start_matches('0').to_owned())),
    ];
    for (name, make) in kinds {
        let mut times: Vec<Duration> = Vec::new();
        let mut first = 0;
        for (iri, label) in &diseases {
            let Some(text) = make(iri, label) else { continue };
            let started = Instant::now();
            let hits = index.search(&text, 10).expect("search");
            times.push(started.elapsed());
            first += usize::from(hits.first().is_some_and(|h| &h.iri == iri));
        }
        times.sort();
        let n = times.len();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let mean = times.iter().sum::<Duration>() / u32::try_from(n.max(1)).unwrap_or(u32::MAX);
        println!(
            "{name}: {n} searches, mean {:.2} ms, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; the disease first in {first} \
             ({:.1}%)",
            ms(mean),
            ms(times[n / 2]),
            ms(times[(n * 99 / 100).min(n - 1)]),
            ms(times[n - 1]),
            100.0 * f64::from(u32::try_from(first).unwrap_or(u32::MAX))
                / f64::from(u32::try_from(n).unwrap_or(u32::MAX))
        );
    }
    ExitCode::SUCCESS
}
