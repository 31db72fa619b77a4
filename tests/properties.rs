//! Properties of everything a page becomes, on pages proptest generates: the example pages in each format (GARD
//! text, MedQuAD XML, HTML) with arbitrary Unicode text written into their lines and answers.
//!
//! - every IRI emitted parses as an absolute IRI (RFC 3987, by oxiri);
//! - every typed literal is valid for its datatype (by oxsdatatypes, Oxigraph's own XSD types) and every language tag
//!   is well formed;
//! - the same page gives the same quads, in the same order;
//! - storing the page twice is a no-op the second time, and the store holds exactly its quads;
//! - the quads survive N-Quads serialization and parsing unchanged (escaping of any text);
//! - a value bound to a query variable is a value, never query text: binding any string finds exactly the labels
//!   equal to it.
//!
//! `PROPTEST_CASES` sets the number of pages (default 48 here, as a debug build models a page in ~50 ms).

mod common;

use std::fmt::Write as _;
use std::sync::OnceLock;

use gardkg::model::vocab::Namespace;
use gardkg::page::SourceFormat;
use gardkg::pipeline::Pipeline;
use gardkg::source::{self, ReadOptions};
use gardkg::store::{Change, GraphStore};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{Literal, Quad, Term, Variable};
use oxigraph::sparql::QueryResults;
use proptest::prelude::*;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::new(Namespace::default()).expect("the pinned ontologies load"))
}

fn example_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| std::fs::read_to_string(common::example()).unwrap())
}

fn example_html() -> &'static str {
    static HTML: OnceLock<String> = OnceLock::new();
    HTML.get_or_init(|| std::fs::read_to_string(common::root().join("examples/kettle-fever.html")).unwrap())
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Text written into pages: any Unicode (control and bidi characters included), and text shaped like what the
/// recognizer reads (percentages, counts, cue words, references, bullets).
fn words() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>().prop_map(|s| s.chars().take(120).collect()),
        proptest::string::string_regex(
            "([A-Za-z]{1,12}|[0-9]{1,4}%?|[0-9]{1,3}/[0-9]{1,3}|\\[[0-9]{1,2}\\]|[.,;:()\"'<>&\u{2022}\u{202e}\t-]| ){0,40}"
        )
        .unwrap(),
        prop::sample::select(vec![
            "Most people have seizures and hearing loss.".to_owned(),
            "About 40% of affected people do not have fever.".to_owned(),
            "Signs may begin in infancy; 7/19 had short stature [1].".to_owned(),
            "Treatment includes antibiotics and surgery.".to_owned(),
            "It affects about 1 in 50,000 people.".to_owned(),
        ]),
    ]
}

/// One generated page: (bytes, name).
fn page() -> impl Strategy<Value = (Vec<u8>, &'static str)> {
    let edits = prop::collection::vec((any::<prop::sample::Index>(), words(), 0..3u8), 1..6);
    (0..3u8, edits).prop_map(|(format, edits)| match format {
        0 => {
            let mut lines: Vec<String> = example_text().lines().map(str::to_owned).collect();
            apply(&mut lines, &edits);
            (lines.join("\n").into_bytes(), "99999-kettle-fever.txt")
        }
        1 => {
            let mut lines: Vec<String> = example_html().lines().map(str::to_owned).collect();
            // In HTML the text is markup-escaped, or not (a page may carry stray markup).
            let edits: Vec<_> =
                edits.into_iter().map(|(i, w, op)| (i, if op == 0 { w } else { xml_escape(&w) }, op)).collect();
            apply(&mut lines, &edits);
            (lines.join("\n").into_bytes(), "kettle-fever.html")
        }
        _ => {
            let mut answers = String::new();
            for (n, (_, w, _)) in edits.iter().enumerate() {
                let qtype = ["information", "symptoms", "causes", "treatment", "inheritance"][n % 5];
                let _ = writeln!(
                    answers,
                    "<QAPair pid=\"{n}\"><Question qid=\"1-{n}\" qtype=\"{qtype}\">What is it?</Question>\
                     <Answer>{}</Answer></QAPair>",
                    xml_escape(w)
                );
            }
            let xml = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document id=\"0099999\" source=\"GARD\" \
                 url=\"https://rarediseases.info.nih.gov/gard/99999/kettle-fever\">\n<Focus>Kettle fever</Focus>\n\
                 <QAPairs>\n{answers}</QAPairs>\n</Document>\n"
            );
            (xml.into_bytes(), "0099999.xml")
        }
    })
}

/// Inserts `words` as a new line (op 0), appends it to a line (op 1), or replaces a line (op 2).
fn apply(lines: &mut Vec<String>, edits: &[(prop::sample::Index, String, u8)]) {
    for (at, words, op) in edits {
        let i = at.index(lines.len().max(1)).min(lines.len().saturating_sub(1));
        match op {
            0 => lines.insert(i, words.clone()),
            1 => lines[i].push_str(words),
            _ => lines[i].clone_from(words),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(48),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_page_becomes_valid_stable_rdf((bytes, name) in page()) {
        let options = ReadOptions { format: None::<SourceFormat>, ..ReadOptions::default() };
        let Ok(first) = source::read_bytes(&bytes, name, &options) else { return Ok(()) };
        let second = source::read_bytes(&bytes, name, &options).expect("a page that reads once reads twice");
        let a = pipeline().process(first);
        let b = pipeline().process(second);
        prop_assert!(a.graph.quads == b.graph.quads, "the same page gave different quads");
        prop_assert!(a.graph.descriptions == b.graph.descriptions);
        for quad in a.graph.quads.iter().chain(&a.graph.descriptions) {
            // The same check as the fuzz target's (IRIs parse, typed literals valid for their datatype).
            gardkg::fuzzing::check_quad(quad).map_err(TestCaseError::fail)?;
        }

        // Storing it twice: the second time writes nothing, and the page graph holds exactly its quads.
        let store = GraphStore::memory(Namespace::default()).unwrap();
        prop_assert_eq!(store.replace_page(&a.graph).unwrap(), Change::Added);
        let stored = store.oxigraph().len().unwrap();
        prop_assert_eq!(store.replace_page(&b.graph).unwrap(), Change::Unchanged);
        prop_assert_eq!(store.oxigraph().len().unwrap(), stored);
        prop_assert_eq!(store.graph_len(a.graph.graph.as_ref()).unwrap(), a.graph.quads.len());

        // N-Quads out and back.
        let mut serializer = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(Vec::new());
        for quad in &a.graph.quads {
            serializer.serialize_quad(quad).unwrap();
        }
        let text = serializer.finish().unwrap();
        let parsed: Vec<Quad> =
            RdfParser::from_format(RdfFormat::NQuads).for_slice(&text).collect::<Result<_, _>>().unwrap();
        prop_assert!(parsed == a.graph.quads, "N-Quads changed the quads");
    }

    #[test]
    fn a_bound_value_is_never_query_text(value in words()) {
        static STORE: OnceLock<GraphStore> = OnceLock::new();
        let store = STORE.get_or_init(|| {
            let store = GraphStore::memory(Namespace::default()).unwrap();
            let page = source::read(common::example().to_str().unwrap(), &ReadOptions::default()).unwrap();
            store.replace_page(&pipeline().process(page).graph).unwrap();
            store
        });
        let query = "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?name }";
        let count = |bound: Term| {
            let results = store.query_with(query, vec![(Variable::new_unchecked("name"), bound)]).unwrap();
            let QueryResults::Solutions(rows) = results else { panic!("a SELECT gives solutions") };
            rows.map(Result::unwrap).count()
        };
        let expected = store
            .oxigraph()
            .quads_for_pattern(None, Some(oxigraph::model::vocab::rdfs::LABEL), Some(Literal::new_simple_literal(&value).as_ref().into()), None)
            .count();
        prop_assert_eq!(count(Literal::new_simple_literal(&value).into()), expected);
        // And the label that is there is found when bound.
        prop_assert!(count(Literal::new_simple_literal("Kettle fever").into()) >= 1);
    }
}
