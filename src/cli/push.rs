//! `gardkg push --to URL`: the store's graphs to a remote triple store (SPARQL 1.1 Graph Store Protocol).

use std::io::IsTerminal;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use oxigraph::model::NamedNode;

use gardkg::ontology;
use gardkg::push::{self, Auth, PushOptions};
use gardkg::source::sanitize;
use gardkg::store::GraphStore;

use super::{PushArgs, PushGraphs};

pub fn run(args: &PushArgs) -> anyhow::Result<ExitCode> {
    let endpoint = reqwest::Url::parse(&args.to).with_context(|| format!("--to {:?} is not a URL", args.to))?;
    if !matches!(endpoint.scheme(), "http" | "https") {
        anyhow::bail!("--to: only http(s) endpoints are supported, not {:?}", endpoint.scheme());
    }
    let store = args.store.open_read_only()?;
    let graphs = graphs(&store, &args.graphs)?;
    if graphs.is_empty() {
        anyhow::bail!("the store has no graph to push (run `gardkg ingest` first)");
    }
    let options = PushOptions {
        endpoint,
        auth: Auth::from_env(),
        retries: args.retries,
        backoff: Duration::from_millis(500),
        timeout: Duration::from_secs(args.timeout),
        jobs: args.jobs,
    };
    let total = graphs.len();
    let show = !args.quiet && !args.json && std::io::stderr().is_terminal();
    let progress = |done: usize| {
        if show && (done % 100 == 0 || done == total) {
            eprint!("\rgardkg: pushed {done}/{total} graphs");
        }
    };
    let report = push::push(&store, &graphs, &options, &progress).map_err(|e| anyhow::anyhow!(e))?;
    if show {
        eprintln!();
    }
    if args.json {
        writeln!(std::io::stdout(), "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        writeln!(
            std::io::stdout(),
            "pushed {} of {} graphs to {} in {:.2} s: {} triples, {} bytes, {} retries, {} failed",
            report.sent,
            report.graphs,
            sanitize(&args.to),
            report.seconds,
            report.triples,
            report.bytes,
            report.retries,
            report.failures.len()
        )?;
    }
    for f in &report.failures {
        eprintln!("error: {}: {}", f.graph, sanitize(&f.reason));
    }
    Ok(if report.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The graphs the flags name, each once, in a stable order.
fn graphs(store: &GraphStore, which: &[PushGraphs]) -> anyhow::Result<Vec<NamedNode>> {
    let which = if which.is_empty() { &[PushGraphs::Pages][..] } else { which };
    let has = |w: PushGraphs| which.contains(&w) || which.contains(&PushGraphs::All);
    let ns = store.namespace();
    let mut out = Vec::new();
    if has(PushGraphs::Pages) {
        out.extend(store.page_graphs()?);
    }
    if has(PushGraphs::Pages) || has(PushGraphs::Terms) {
        let terms = ns.terms_graph();
        if store.oxigraph().contains_named_graph(terms.as_ref())? {
            out.push(terms);
        }
    }
    if has(PushGraphs::Ontologies) {
        for o in ontology::list(store)? {
            out.push(NamedNode::new(o.iri)?);
            out.push(NamedNode::new(o.closure_graph)?);
        }
    }
    if has(PushGraphs::Meta) {
        out.push(ns.meta_graph());
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|g| seen.insert(g.clone()));
    Ok(out)
}
