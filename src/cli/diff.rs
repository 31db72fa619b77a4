//! `gardkg diff OLD NEW` (stores, exports or page files) and `gardkg diff GARD:…` (what the last ingest changed).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, Quad};

use gardkg::diff::{self, Side, Triples};
use gardkg::model::vocab::PageKey;
use gardkg::ontology::terms::Terms;
use gardkg::pipeline::Pipeline;
use gardkg::source::{self, ReadOptions};
use gardkg::store::GraphStore;

use super::{DiffArgs, DiffFormat};

pub fn run(args: &DiffArgs) -> anyhow::Result<ExitCode> {
    let namespace = args.store.namespace()?;
    let (old, new, old_name, new_name) = match args.sides.as_slice() {
        [id] if is_disease_id(id) => {
            let (old, new) = recorded(args, id)?;
            (old, new, format!("{id} before the last ingest"), format!("{id} now"))
        }
        [] => {
            // Every page with a recorded previous version.
            let store = args.store.open_read_only()?;
            let (mut old, mut new) = (Side::new(), Side::new());
            for graph in store.recorded_pages()? {
                let (o, n) = versions(&store, &graph)?;
                old.extend(o);
                new.extend(n);
            }
            (old, new, "the recorded previous versions".to_owned(), "the store".to_owned())
        }
        [a, b] => (side(args, a)?, side(args, b)?, a.clone(), b.clone()),
        _ => anyhow::bail!("give two sides (stores, exports or page files), or one GARD id with --store"),
    };
    let report = diff::compare(&old, &new);
    let mut out = super::Output::new(args.output.as_deref())?;
    match args.format {
        DiffFormat::Markdown => {
            // Each side's terms by that side's own ontologies when it is a store (it may hold another release
            // than the one built in); else by the bundled ones.
            let terms = Terms::bundled().map_err(|e| anyhow::anyhow!(e))?;
            let stores: Vec<Option<GraphStore>> = match args.sides.as_slice() {
                [a, b] => vec![store_side(args, a)?, store_side(args, b)?],
                _ => vec![None, None],
            };
            let label = |store: Option<&GraphStore>, id: &str| {
                store.and_then(|s| stored_label(s, id)).or_else(|| terms.label(id).map(str::to_owned))
            };
            let text = report.markdown(&old_name, &new_name, &|id| label(stores[0].as_ref(), id), &|id| {
                label(stores[1].as_ref(), id)
            });
            out.write_all(gardkg::source::sanitize(&text).as_bytes())?;
        }
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        DiffFormat::Turtle | DiffFormat::NTriples => {
            let format = if args.format == DiffFormat::Turtle { RdfFormat::Turtle } else { RdfFormat::NTriples };
            let reason = format!("gardkg diff: from {old_name} to {new_name}");
            let mut triples: Vec<oxigraph::model::Triple> =
                report.changeset(&namespace, &reason).into_iter().map(oxigraph::model::Triple::from).collect();
            triples.sort_by_cached_key(ToString::to_string);
            triples.dedup();
            gardkg::export::readable::write_triples(format, &namespace, &triples, &mut out)?;
        }
    }
    out.finish()?;
    Ok(if args.exit_code && !report.changes.is_empty() { ExitCode::from(3) } else { ExitCode::SUCCESS })
}

fn is_disease_id(text: &str) -> bool {
    text.strip_prefix("GARD:").is_some_and(|n| n.parse::<u32>().is_ok())
}

/// The recorded previous version and the current version of one disease's page in the store.
fn recorded(args: &DiffArgs, id: &str) -> anyhow::Result<(Side, Side)> {
    let store = args.store.open_read_only()?;
    let number: u32 = id["GARD:".len()..].parse()?;
    let graph = store.namespace().page_graph(&PageKey::Gard(number));
    if !store.oxigraph().contains_named_graph(graph.as_ref())? {
        anyhow::bail!("{id}: the store has no page for this disease");
    }
    versions(&store, &graph)
}

fn versions(store: &GraphStore, graph: &NamedNode) -> anyhow::Result<(Side, Side)> {
    let previous = store.previous_version(graph.as_ref())?.with_context(|| {
        format!(
            "{graph}: no previous version recorded (ingest with --record-changes keeps the version each ingest replaces)"
        )
    })?;
    let mut current = Vec::new();
    for quad in store.oxigraph().quads_for_pattern(None, None, None, Some(graph.as_ref().into())) {
        current.push(quad?);
    }
    Ok((facts(previous), facts(current)))
}

fn facts(quads: impl IntoIterator<Item = Quad>) -> Side {
    let mut triples = Triples::default();
    for q in quads {
        triples.add(q.subject, q.predicate, q.object);
    }
    triples.facts()
}

/// The store at `location`, when that side is one.
fn store_side(args: &DiffArgs, location: &str) -> anyhow::Result<Option<GraphStore>> {
    let path = Path::new(location);
    if !path.join("CURRENT").is_file() {
        return Ok(None);
    }
    let store = GraphStore::open_read_only(path, args.store.namespace()?)
        .with_context(|| format!("store {}", path.display()))?;
    Ok(Some(store))
}

/// A term's label as the store holds it (from the ontology release loaded there).
fn stored_label(store: &GraphStore, id: &str) -> Option<String> {
    let term = gardkg::model::vocab::expand_curie(id)?;
    store
        .oxigraph()
        .quads_for_pattern(Some(term.as_ref().into()), Some(gardkg::model::vocab::rdfs::LABEL), None, None)
        .filter_map(Result::ok)
        .find_map(|q| match q.object {
            oxigraph::model::Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
}

/// One side: a store folder, an RDF file (an export), or a page file run through the pipeline.
fn side(args: &DiffArgs, location: &str) -> anyhow::Result<Side> {
    let path = Path::new(location);
    if path.join("CURRENT").is_file() {
        let store = GraphStore::open_read_only(path, args.store.namespace()?)
            .with_context(|| format!("store {}", path.display()))?;
        let mut triples = Triples::default();
        for graph in store.page_graphs()? {
            for quad in store.oxigraph().quads_for_pattern(None, None, None, Some(graph.as_ref().into())) {
                let q = quad?;
                triples.add(q.subject, q.predicate, q.object);
            }
        }
        return Ok(triples.facts());
    }
    // Page files (.txt, .xml, .html) go through the pipeline; Oxigraph would take `.txt` for N-Triples.
    let is_page = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["txt", "xml", "html", "htm"].contains(&e.to_ascii_lowercase().as_str()));
    if let Some(format) = gardkg::export::rdf::format_from_path(path).filter(|_| !is_page) {
        let file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut triples = Triples::default();
        for quad in RdfParser::from_format(format).for_reader(std::io::BufReader::new(file)) {
            let q = quad.with_context(|| format!("{}: not valid {format}", path.display()))?;
            triples.add(q.subject, q.predicate, q.object);
        }
        return Ok(triples.facts());
    }
    let page = source::read(location, &ReadOptions::default())?;
    let pipeline = Pipeline::new(args.store.namespace()?)?;
    Ok(facts(pipeline.process(page).graph.quads))
}
