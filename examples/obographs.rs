//! Converts an OBO file (optionally gzipped) to OBO Graphs JSON with the `fastobo-graphs` crate, for tools that
//! load ontologies as OBO Graphs (the fenominal comparison in `benches/fenominal/`).
//!
//! ```text
//! cargo run --example obographs -- ontology/hp.obo.gz /tmp/hp.json
//! ```
//!
//! `fastobo-graphs` 0.4 converts ids, labels, definitions, cross-references, alternative ids and `is_a` edges, but
//! leaves out two clauses a text miner needs: `synonym:` (its term conversion drops them) and `is_obsolete:` (every
//! node comes out `deprecated: false`). Both are copied here from the same parsed document onto the nodes it
//! produced, as the OBO Graphs reference implementation writes them (`meta.synonyms` with the bare predicate names
//! `hasExactSynonym`, `hasBroadSynonym`, `hasNarrowSynonym`, `hasRelatedSynonym`, which is what readers such as
//! ontolius look for; `meta.deprecated`); nothing else is touched.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use fastobo::ast::{EntityFrame, Ident, OboDoc, SynonymScope, TermClause};
use fastobo_graphs::IntoGraph as _;
use fastobo_graphs::constants::uri;
use fastobo_graphs::model::{GraphDocument, Meta, SynonymPropertyValue};
use flate2::read::GzDecoder;

/// What was converted.
#[derive(Debug, Default)]
struct Summary {
    nodes: usize,
    edges: usize,
    synonyms: usize,
    deprecated: usize,
    /// Term frames whose node the conversion did not produce (their synonyms could not be attached).
    unmatched: usize,
}

/// The node IRI `fastobo-graphs` gives a prefixed id without an `idspace` declaration.
fn node_iri(id: &Ident) -> String {
    match id {
        Ident::Prefixed(p) => format!("{}{}_{}", uri::OBO, p.prefix(), p.local()),
        other => other.to_string(),
    }
}

/// Copies the synonyms and obsolete flags of the document's terms onto the graph's nodes.
fn add_synonyms_and_obsolete(doc: &OboDoc, graphs: &mut GraphDocument, summary: &mut Summary) {
    let Some(graph) = graphs.graphs.first_mut() else { return };
    let index: HashMap<String, usize> = graph.nodes.iter().enumerate().map(|(i, n)| (n.id.clone(), i)).collect();
    for frame in doc.entities() {
        let EntityFrame::Term(term) = frame else { continue };
        let Some(&i) = index.get(&node_iri(term.id().as_inner().as_ref())) else {
            summary.unmatched += 1;
            continue;
        };
        let meta = graph.nodes[i].meta.get_or_insert_with(|| Box::new(Meta::default()));
        for clause in term.clauses() {
            match clause.as_inner() {
                TermClause::Synonym(synonym) => {
                    let pred = match synonym.scope() {
                        SynonymScope::Exact => "hasExactSynonym",
                        SynonymScope::Broad => "hasBroadSynonym",
                        SynonymScope::Narrow => "hasNarrowSynonym",
                        SynonymScope::Related => "hasRelatedSynonym",
                    };
                    meta.synonyms.push(SynonymPropertyValue {
                        pred: pred.to_owned(),
                        val: synonym.description().as_str().to_owned(),
                        xrefs: synonym.xrefs().iter().map(|x| x.id().to_string()).collect(),
                        meta: None,
                    });
                    summary.synonyms += 1;
                }
                TermClause::IsObsolete(true) => {
                    meta.deprecated = true;
                    summary.deprecated += 1;
                }
                _ => {}
            }
        }
    }
}

fn convert(input: &Path, output: &Path) -> Result<Summary, String> {
    let fail = |path: &Path, e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let file = File::open(input).map_err(|e| fail(input, &e))?;
    let gzipped = input.extension().is_some_and(|e| e == "gz");
    let reader: Box<dyn Read> = if gzipped { Box::new(GzDecoder::new(file)) } else { Box::new(file) };
    let doc = fastobo::from_reader(BufReader::new(reader)).map_err(|e| fail(input, &e))?;
    let mut graphs = doc.clone().into_graph().map_err(|e| fail(input, &e))?;
    let mut summary = Summary::default();
    add_synonyms_and_obsolete(&doc, &mut graphs, &mut summary);
    for g in &graphs.graphs {
        summary.nodes += g.nodes.len();
        summary.edges += g.edges.len();
    }
    // Write to a temporary name first so that an interrupted run never leaves a truncated JSON behind.
    let partial = output.with_extension("json.partial");
    let out = File::create(&partial).map_err(|e| fail(&partial, &e))?;
    let mut writer = BufWriter::new(out);
    fastobo_graphs::to_writer(&mut writer, &graphs).map_err(|e| fail(&partial, &e))?;
    writer.flush().map_err(|e| fail(&partial, &e))?;
    drop(writer);
    std::fs::rename(&partial, output).map_err(|e| fail(output, &e))?;
    Ok(summary)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: obographs IN.obo[.gz] OUT.json");
        return ExitCode::from(2);
    };
    match convert(Path::new(input), Path::new(output)) {
        Ok(s) => {
            eprintln!(
                "{output}: {} nodes, {} edges, {} synonyms, {} obsolete terms, {} terms without a node",
                s.nodes, s.edges, s.synonyms, s.deprecated, s.unmatched
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("obographs: {e}");
            ExitCode::FAILURE
        }
    }
}
