//! `gardkg stats`: what the store holds, counted with SPARQL.

use std::process::ExitCode;

use oxigraph::sparql::QueryResults;

use gardkg::store::GraphStore;

use super::StatsArgs;

/// Each figure and the query that counts it (over the union of all graphs).
const COUNTS: &[(&str, &str)] = &[
    ("quads", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
    ("diseases", "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://w3id.org/biolink/vocab/Disease> }"),
    (
        "phenotype_associations",
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <https://w3id.org/biolink/vocab/DiseaseToPhenotypicFeatureAssociation> }",
    ),
    (
        "negated_phenotypes",
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a <https://w3id.org/biolink/vocab/negated> true }",
    ),
    (
        "distinct_phenotypes",
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?d <https://w3id.org/biolink/vocab/has_phenotype> ?p }",
    ),
    ("references", "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?page <http://purl.org/dc/terms/references> ?r }"),
    ("prevalence_figures", "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?d <GARDKG:prevalence> ?x }"),
    ("warnings", "SELECT (COUNT(*) AS ?n) WHERE { ?page <GARDKG:warning> ?w }"),
];

pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.open_read_only()?;
    let mut figures = vec![("pages".to_owned(), store.page_graphs()?.len() as u64)];
    for (name, query) in COUNTS {
        figures.push(((*name).to_owned(), count(&store, &query.replace("GARDKG:", store.namespace().base()))?));
    }
    if args.json {
        let map: serde_json::Map<String, serde_json::Value> = figures.into_iter().map(|(k, v)| (k, v.into())).collect();
        println!("{}", serde_json::to_string_pretty(&map)?);
    } else {
        let width = figures.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (name, value) in figures {
            println!("{name:<width$}  {value}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn count(store: &GraphStore, query: &str) -> anyhow::Result<u64> {
    if let QueryResults::Solutions(mut solutions) = store.query(query)? {
        if let Some(row) = solutions.next() {
            if let Some(oxigraph::model::Term::Literal(n)) = row?.get("n") {
                return Ok(n.value().parse()?);
            }
        }
    }
    Ok(0)
}
