//! Golden files: the canonical N-Quads (RDFC-1.0) of what the example page gives (its graph and the descriptions of
//! the terms it uses) and its `Page` JSON. Any change in output
//! is a reviewed diff: regenerate with `GARDKG_UPDATE_GOLDEN=1 cargo test --test golden` and read the diff.

mod common;

use std::path::Path;

use gardkg::export::canonical;
use gardkg::model::vocab::Namespace;
use gardkg::pipeline::Pipeline;
use gardkg::source::{self, ReadOptions};

fn check(golden: &Path, actual: &str) {
    if std::env::var_os("GARDKG_UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(golden)
        .unwrap_or_else(|e| panic!("{}: {e} (create it with GARDKG_UPDATE_GOLDEN=1)", golden.display()));
    if expected != actual {
        let missing: Vec<&str> = expected.lines().filter(|l| !actual.contains(l)).take(10).collect();
        let extra: Vec<&str> = actual.lines().filter(|l| !expected.contains(l)).take(10).collect();
        panic!("{} differs.\nmissing:\n{}\nextra:\n{}", golden.display(), missing.join("\n"), extra.join("\n"));
    }
}

#[test]
fn example_page_graph_matches_its_golden_canonical_nquads() {
    let page = source::read(common::example().to_str().unwrap(), &ReadOptions::default()).unwrap();
    let processed = Pipeline::new(Namespace::default()).unwrap().process(page);
    // The page graph and the descriptions of the terms it uses (in their ontology graphs and the terms graph).
    let nquads = processed.graph.quads.iter().chain(&processed.graph.descriptions).fold(String::new(), |mut s, q| {
        use std::fmt::Write as _;
        let _ = writeln!(s, "{q} .");
        s
    });
    let dataset = canonical::parse_nquads(&nquads).expect("sophia reads oxigraph's N-Quads");
    check(&common::root().join("tests/golden/99999-kettle-fever.nq"), &canonical::canonical_nquads(&dataset).unwrap());
}

#[test]
fn example_page_record_matches_its_golden_json() {
    let mut page = source::read(common::example().to_str().unwrap(), &ReadOptions::default()).unwrap();
    // The location depends on where the checkout is; the golden file must not.
    page.source.location = "examples/99999-kettle-fever.txt".to_owned();
    check(
        &common::root().join("tests/golden/99999-kettle-fever.page.json"),
        &(serde_json::to_string_pretty(&page).unwrap() + "\n"),
    );
}
