//! `gardkg export`: the store in an RDF syntax, as canonical N-Quads, or the mappings it used as SSSOM.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, NamedNodeRef};

use gardkg::export::{canonical, hpoa, jsonld, kgx, rdf, readable, sssom};
use gardkg::model::vocab::{self, PageKey};
use gardkg::ontology::Bundled;
use gardkg::store::GraphStore;

use super::{AtomicFile, ExportArgs, Output};

pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.open_read_only()?;
    let graph = args.graph.as_deref().map(|g| graph_iri(&store, g)).transpose()?;
    if let Some(g) = &graph {
        if !store.oxigraph().contains_named_graph(g.as_ref())? {
            anyhow::bail!("--graph: the store has no graph {g}");
        }
    }
    let output_name = args.output.as_ref().map(|p| p.to_string_lossy().to_lowercase());
    let name = args.format.as_deref().map(str::to_ascii_lowercase);
    let table_format = match name.as_deref() {
        Some("kgx") => Some(kgx::KgxFormat::Tsv),
        Some("kgx-jsonl") => Some(kgx::KgxFormat::JsonLines),
        _ => None,
    };
    if let Some(format) = table_format {
        if graph.is_some() {
            anyhow::bail!("--graph: the KGX export covers the whole store");
        }
        let dir =
            args.output.as_ref().context("--format kgx writes nodes and edges files: give the folder with -o DIR")?;
        let counts =
            kgx::write(&store, dir, format).with_context(|| format!("cannot write KGX into {}", dir.display()))?;
        eprintln!("{} nodes and {} edges written to {}", counts.nodes, counts.edges, dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    // A file is written beside the target and renamed over it at the end: an error or Ctrl-C leaves it untouched.
    let mut writer = Output::new(args.output.as_deref())?;
    let sssom = name.as_deref() == Some("sssom")
        || (name.is_none() && output_name.as_deref().is_some_and(|p| p.ends_with(".sssom.tsv")));
    let hpoa = name.as_deref() == Some("hpoa")
        || (name.is_none()
            && args.output.as_ref().and_then(|p| p.extension()).is_some_and(|e| e.eq_ignore_ascii_case("hpoa")));
    if sssom || hpoa {
        if graph.is_some() {
            anyhow::bail!("--graph: the {} export covers the whole store", if sssom { "SSSOM" } else { "HPOA" });
        }
        if sssom {
            let lay = gardkg::lexicon::lay::LaySynonyms::bundled()?;
            let rows = sssom::mappings(&store, &lay)?;
            sssom::write(&rows, &store, &mut writer)?;
            eprintln!("{} mappings", rows.len());
        } else {
            let (_, rows) = hpoa::write(&store, &Bundled::Hp.release(), &gardkg::export::today(), &mut writer)?;
            eprintln!("{rows} annotation rows");
        }
        writer.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    let graphs: Vec<NamedNodeRef<'_>> = graph.iter().map(NamedNode::as_ref).collect();
    if args.canonical {
        let mut nquads = Vec::new();
        store.dump(rdf::serializer(RdfFormat::NQuads, store.namespace()), graphs.first().copied(), &mut nquads)?;
        let dataset = canonical::parse_nquads(std::str::from_utf8(&nquads)?)?;
        writer.write_all(canonical::canonical_nquads(&dataset)?.as_bytes())?;
        writer.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    let format = match (&name, &args.output) {
        (Some(name), _) => rdf::format_from_name(name).with_context(|| {
            format!(
                "--format: unknown format {name:?} (expected one of {}, kgx, kgx-jsonl, hpoa, sssom)",
                rdf::FORMAT_NAMES.join(", ")
            )
        })?,
        (None, Some(path)) => rdf::format_from_path(path).with_context(|| {
            format!(
                "cannot tell the format from {}; pass --format ({}, kgx, kgx-jsonl, hpoa, sssom)",
                path.display(),
                rdf::FORMAT_NAMES.join(", ")
            )
        })?,
        // Standard output without a format: Turtle with the project's prefixes.
        (None, None) => RdfFormat::Turtle,
    };
    let triples_only = !format.supports_datasets() || graph.is_some();
    let jsonld = matches!(format, RdfFormat::JsonLd { .. });
    if args.streaming || !(triples_only || jsonld) {
        store.dump(rdf::serializer(format, store.namespace()), graphs.first().copied(), &mut writer)?;
    } else {
        // Readable: each triple once, sorted, grouped by subject; JSON-LD as one object per subject with a context.
        let triples = readable::sorted_triples(&store, &graphs)?;
        if jsonld {
            jsonld::write(store.namespace(), &triples, &mut writer)?;
        } else {
            readable::write_triples(format, store.namespace(), &triples, &mut writer)?;
        }
    }
    writer.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// `--graph`: a full IRI, `<IRI>`, or a disease CURIE (`GARD:0012547`) naming its page graph.
fn graph_iri(store: &GraphStore, text: &str) -> anyhow::Result<NamedNode> {
    let text = text.trim().trim_start_matches('<').trim_end_matches('>');
    if let Some(number) = text.strip_prefix("GARD:").and_then(|n| n.parse::<u32>().ok()) {
        return Ok(store.namespace().page_graph(&PageKey::Gard(number)));
    }
    if let Some(iri) = vocab::expand_curie(text) {
        return Ok(iri);
    }
    NamedNode::new(text).with_context(|| format!("--graph: {text:?} is neither an IRI nor a GARD CURIE"))
}

/// Writes the given page graphs and the descriptions of the terms they use (as a dataset, or their union as readable
/// triples, by the file's format) to `path`.
pub fn write_graphs(
    store: &GraphStore,
    graphs: &[NamedNode],
    descriptions: &[oxigraph::model::Quad],
    format: RdfFormat,
    mut out: AtomicFile,
) -> anyhow::Result<()> {
    if format.supports_datasets() && !matches!(format, RdfFormat::JsonLd { .. }) {
        let mut serializer = rdf::serializer(format, store.namespace()).for_writer(&mut out);
        for graph in graphs {
            for quad in store.oxigraph().quads_for_pattern(None, None, None, Some(graph.as_ref().into())) {
                serializer.serialize_quad(&quad?)?;
            }
        }
        for quad in descriptions {
            serializer.serialize_quad(quad)?;
        }
        serializer.finish()?;
    } else {
        let refs: Vec<NamedNodeRef<'_>> = graphs.iter().map(NamedNode::as_ref).collect();
        let mut triples = readable::sorted_triples(store, &refs)?;
        triples.extend(
            descriptions
                .iter()
                .map(|q| oxigraph::model::Triple::new(q.subject.clone(), q.predicate.clone(), q.object.clone())),
        );
        triples.sort_by_cached_key(ToString::to_string);
        triples.dedup();
        if matches!(format, RdfFormat::JsonLd { .. }) {
            jsonld::write(store.namespace(), &triples, &mut out)?;
        } else {
            readable::write_triples(format, store.namespace(), &triples, &mut out)?;
        }
    }
    out.commit()
}

/// The RDF format `ingest -o` writes, from the file's extension.
pub fn graphs_format(path: &Path) -> anyhow::Result<RdfFormat> {
    rdf::format_from_path(path).with_context(|| {
        format!("cannot tell the RDF format from {} (use .ttl, .nt, .nq, .trig, .rdf, .jsonld)", path.display())
    })
}
