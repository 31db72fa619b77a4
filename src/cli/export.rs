//! `gardkg export`: the store in an RDF syntax, as canonical N-Quads, or the mappings it used as SSSOM.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, NamedNodeRef};

use gardkg::export::{canonical, rdf, sssom};
use gardkg::model::vocab::{self, PageKey};
use gardkg::store::GraphStore;

use super::ExportArgs;

pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.open_read_only()?;
    let graph = args.graph.as_deref().map(|g| graph_iri(&store, g)).transpose()?;
    if let Some(g) = &graph {
        if !store.oxigraph().contains_named_graph(g.as_ref())? {
            anyhow::bail!("--graph: the store has no graph {g}");
        }
    }
    let mut writer: Box<dyn Write> = match &args.output {
        Some(path) => {
            Box::new(BufWriter::new(File::create(path).with_context(|| format!("cannot create {}", path.display()))?))
        }
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let sssom = args.format.as_deref() == Some("sssom")
        || (args.format.is_none()
            && args.output.as_ref().is_some_and(|p| p.to_string_lossy().to_lowercase().ends_with(".sssom.tsv")));
    if sssom {
        if graph.is_some() {
            anyhow::bail!("--graph: the SSSOM export covers the whole store");
        }
        let lay = gardkg::recognize::LaySynonyms::bundled()?;
        let rows = sssom::mappings(&store, &lay)?;
        sssom::write(&rows, &store, &mut writer)?;
        writer.flush()?;
        eprintln!("{} mappings", rows.len());
        return Ok(ExitCode::SUCCESS);
    }
    if args.canonical {
        let mut nquads = Vec::new();
        store.dump(
            rdf::serializer(RdfFormat::NQuads, store.namespace()),
            graph.as_ref().map(NamedNode::as_ref),
            &mut nquads,
        )?;
        let dataset = canonical::parse_nquads(std::str::from_utf8(&nquads)?)?;
        writer.write_all(canonical::canonical_nquads(&dataset)?.as_bytes())?;
    } else {
        let format = match (&args.format, &args.output) {
            (Some(name), _) => rdf::format_from_name(name).with_context(|| {
                format!("--format: unknown RDF format {name:?} (expected one of {})", rdf::FORMAT_NAMES.join(", "))
            })?,
            (None, Some(path)) => rdf::format_from_path(path).with_context(|| {
                format!(
                    "cannot tell the RDF format from {}; pass --format ({})",
                    path.display(),
                    rdf::FORMAT_NAMES.join(", ")
                )
            })?,
            // Standard output without a format: Turtle with the project's prefixes.
            (None, None) => RdfFormat::Turtle,
        };
        store.dump(rdf::serializer(format, store.namespace()), graph.as_ref().map(NamedNode::as_ref), &mut writer)?;
    }
    writer.flush()?;
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

/// Writes the given graphs (as a dataset or their union, by the file's format) to `path`.
pub fn write_graphs<'a>(
    store: &GraphStore,
    graphs: impl Iterator<Item = NamedNodeRef<'a>>,
    path: &Path,
) -> anyhow::Result<()> {
    let format = rdf::format_from_path(path).with_context(|| {
        format!("cannot tell the RDF format from {} (use .ttl, .nt, .nq, .trig, .rdf, .jsonld)", path.display())
    })?;
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut serializer = rdf::serializer(format, store.namespace()).for_writer(BufWriter::new(file));
    for graph in graphs {
        for quad in store.oxigraph().quads_for_pattern(None, None, None, Some(graph.into())) {
            let quad = quad?;
            if format.supports_datasets() {
                serializer.serialize_quad(&quad)?;
            } else {
                serializer.serialize_triple(quad.as_ref())?;
            }
        }
    }
    serializer.finish()?.flush()?;
    Ok(())
}
