//! `gardkg stats`: what the store holds, counted with SPARQL.

use std::io::Write as _;
use std::process::ExitCode;

use oxigraph::sparql::QueryResults;

use gardkg::model::vocab::{biolink, dcterms};
use gardkg::store::GraphStore;

use super::StatsArgs;

/// Each figure and the query that counts it (over the union of all graphs), with IRIs from the vocabulary.
fn counts(store: &GraphStore) -> Vec<(&'static str, String)> {
    let ns = store.namespace();
    vec![
        ("quads", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }".to_owned()),
        ("diseases", format!("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a {} }}", biolink::DISEASE)),
        (
            "phenotype_associations",
            format!(
                "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a {} }}",
                biolink::DISEASE_TO_PHENOTYPIC_FEATURE_ASSOCIATION
            ),
        ),
        ("negated_phenotypes", format!("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a {} true }}", biolink::NEGATED)),
        (
            "distinct_phenotypes",
            format!("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?d {} ?p }}", biolink::HAS_PHENOTYPE),
        ),
        (
            "inheritance_associations",
            format!(
                "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a {} }}",
                biolink::DISEASE_OR_PHENOTYPIC_FEATURE_TO_GENETIC_INHERITANCE_ASSOCIATION
            ),
        ),
        (
            "onset_associations",
            format!("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a {} \"C\" }}", ns.iri("hpo_aspect")),
        ),
        (
            "other_aspect_associations",
            format!(
                "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ VALUES ?x {{ \"M\" \"H\" }} ?a {} ?x }}",
                ns.iri("hpo_aspect")
            ),
        ),
        (
            "condition_associations",
            format!("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a {} }}", biolink::DISEASE_TO_DISEASE_ASSOCIATION),
        ),
        (
            "unresolved_conditions",
            format!("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c {} true }}", ns.iri("unresolved")),
        ),
        (
            "treatment_associations",
            format!("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a {} }}", biolink::TREATMENT_TO_DISEASE_ASSOCIATION),
        ),
        ("references", format!("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?page {} ?r }}", dcterms::REFERENCES)),
        ("prevalence_figures", format!("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?d {} ?x }}", ns.iri("prevalence"))),
        ("warnings", format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?page {} ?w }}", ns.iri("warning"))),
    ]
}

pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.open_read_only()?;
    let mut figures = vec![
        ("pages".to_owned(), store.page_graphs()?.len() as u64),
        ("ontologies".to_owned(), gardkg::ontology::list(&store)?.len() as u64),
    ];
    for (name, query) in counts(&store) {
        figures.push((name.to_owned(), count(&store, &query)?));
    }
    if args.json {
        let map: serde_json::Map<String, serde_json::Value> = figures.into_iter().map(|(k, v)| (k, v.into())).collect();
        writeln!(std::io::stdout(), "{}", serde_json::to_string_pretty(&map)?)?;
    } else {
        let width = figures.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (name, value) in figures {
            writeln!(std::io::stdout(), "{name:<width$}  {value}")?;
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
