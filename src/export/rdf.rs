//! RDF syntaxes through Oxigraph's serializers, with the project's prefixes.

use std::path::Path;

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};

use crate::model::vocab::Namespace;

/// The export formats, by the names the command line accepts.
pub const FORMAT_NAMES: &[&str] = &["ttl", "nt", "nq", "trig", "rdfxml", "jsonld"];

/// A format from a command-line name (`ttl`, `turtle`, `nq`, `rdfxml`, `jsonld`, a media type...).
pub fn format_from_name(name: &str) -> Option<RdfFormat> {
    match name.to_ascii_lowercase().as_str() {
        "ttl" | "turtle" => Some(RdfFormat::Turtle),
        "nt" | "ntriples" | "n-triples" => Some(RdfFormat::NTriples),
        "nq" | "nquads" | "n-quads" => Some(RdfFormat::NQuads),
        "trig" => Some(RdfFormat::TriG),
        "rdfxml" | "rdf" | "xml" | "owl" | "rdf/xml" => Some(RdfFormat::RdfXml),
        "jsonld" | "json-ld" | "json" => Some(RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() }),
        other => RdfFormat::from_media_type(other).or_else(|| RdfFormat::from_extension(other)),
    }
}

/// A format from a file's extension (`gard.ttl`, `gard.nq`, `gard.jsonld`).
pub fn format_from_path(path: &Path) -> Option<RdfFormat> {
    let extension = path.extension()?.to_str()?;
    format_from_name(extension)
}

/// A serializer for `format` that declares the project's prefixes where the syntax has prefixes.
pub fn serializer(format: RdfFormat, namespace: &Namespace) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format);
    if matches!(format, RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::RdfXml | RdfFormat::N3) {
        for (prefix, iri) in namespace.prefixes() {
            // RDF/XML needs namespaces that end in `/` or `#` to write element names.
            if format == RdfFormat::RdfXml && !(iri.ends_with('/') || iri.ends_with('#')) {
                continue;
            }
            serializer = serializer.with_prefix(prefix, iri).expect("prefix IRIs are valid");
        }
    }
    serializer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name_and_extension() {
        assert_eq!(format_from_name("ttl"), Some(RdfFormat::Turtle));
        assert_eq!(format_from_name("application/n-quads"), Some(RdfFormat::NQuads));
        assert_eq!(format_from_path(Path::new("out/gard.trig")), Some(RdfFormat::TriG));
        assert!(matches!(format_from_path(Path::new("gard.jsonld")), Some(RdfFormat::JsonLd { .. })));
        assert_eq!(format_from_name("docx"), None);
        for name in FORMAT_NAMES {
            assert!(format_from_name(name).is_some(), "{name}");
        }
    }
}
