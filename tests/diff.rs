//! `gardkg diff`: what changed between two versions of a page, a store or an export, and what the last
//! `ingest --record-changes` changed; as Markdown, JSON and a changeset graph.

mod common;

use std::fs;
use std::path::Path;

use common::{example, new_store, run};

/// The example page with an edit a curator would make: a symptom dropped, a date moved, a reference added to a
/// sentence, and "Many" (frequent) made "Some" (occasional).
fn edited_example(dir: &Path) -> std::path::PathBuf {
    let text = fs::read_to_string(example()).unwrap();
    let edited = text
        .replace("  • Hearing impairment in older children[4]\n", "")
        .replace(
            "Last updated: 03/15/2021\n\nKettle fever is caused",
            "Last updated: 06/01/2022\n\nKettle fever is caused",
        )
        .replace(
            "Many affected children also get recurrent infections",
            "Some affected children also get recurrent infections",
        );
    assert_ne!(text, edited, "the edits apply to the example");
    let path = dir.join("99999-kettle-fever.txt");
    fs::write(&path, edited).unwrap();
    path
}

#[test]
fn two_page_files_compare_by_disease() {
    let dir = tempfile::tempdir().unwrap();
    let edited = edited_example(dir.path());
    let store = dir.path().join("unused-store");
    let (ok, out, err) = run(&store, &["diff", example().to_str().unwrap(), edited.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("1 of 1 diseases changed"), "{out}");
    assert!(out.contains("## GARD:0099999 Kettle fever"), "{out}");
    assert!(out.contains("removed: has_phenotype Hearing impairment (HP:0000365)"), "{out}");
    assert!(out.contains("section symptoms updated: 2021-03-15 -> 2022-06-01"), "{out}");
    assert!(
        out.contains("changed: has_phenotype Recurrent infections (HP:0002719): frequency -HP:0040282 +HP:0040283"),
        "{out}"
    );
    // JSON says the same, and a page compared with itself has no change (exit 0 even with --exit-code).
    let (ok, out, _) =
        run(&store, &["diff", "--format", "json", example().to_str().unwrap(), edited.to_str().unwrap()]);
    assert!(ok);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["changes"][0]["disease"], "GARD:0099999");
    assert_eq!(report["changes"][0]["annotations_removed"][0][1], "HP:0000365");
    let same = common::gardkg(&store)
        .args(["diff", "--exit-code", example().to_str().unwrap(), example().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));
    let changed = common::gardkg(&store)
        .args(["diff", "--exit-code", example().to_str().unwrap(), edited.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(changed.status.code(), Some(3));
}

#[test]
fn recorded_changes_show_what_the_last_ingest_changed() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path());
    assert!(run(&store, &["ingest", "-q", example().to_str().unwrap()]).0);
    let before = dir.path().join("before.nq");
    assert!(run(&store, &["export", "--format", "nq", "-o", before.to_str().unwrap()]).0);
    // Nothing recorded yet.
    let (ok, _, err) = run(&store, &["diff", "GARD:0099999"]);
    assert!(!ok && err.contains("--record-changes"), "{err}");
    let v2 = dir.path().join("v2");
    fs::create_dir_all(&v2).unwrap();
    let edited = edited_example(&v2);
    let (ok, out, err) = run(&store, &["ingest", "--record-changes", edited.to_str().unwrap()]);
    assert!(ok && out.contains("1 replaced"), "{out}{err}");
    let (ok, out, err) = run(&store, &["diff", "GARD:0099999"]);
    assert!(ok, "{err}");
    assert!(out.contains("removed: has_phenotype Hearing impairment (HP:0000365)"), "{out}");
    // The previous version is not in the union: queries see the current page only.
    let (ok, out, _) = run(
        &store,
        &[
            "query",
            "ASK { <https://rarediseases.info.nih.gov/diseases/0099999> <https://w3id.org/biolink/vocab/has_phenotype> <http://purl.obolibrary.org/obo/HP_0000365> }",
            "--results",
            "tsv",
        ],
    );
    assert!(ok && out.contains("false"), "{out}");
    // A store against an export of its earlier state, and the changeset graph.
    let (ok, out, err) =
        run(&store, &["diff", before.to_str().unwrap(), store.to_str().unwrap(), "--format", "turtle"]);
    assert!(ok, "{err}");
    let triples: Vec<_> = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(out.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert!(out.contains("<http://purl.org/vocab/changeset/schema#ChangeSet>") || out.contains("ChangeSet"), "{out}");
    assert!(out.contains("HP:0000365"), "{out}");
    assert!(triples.len() > 10, "{out}");
}

#[test]
fn the_reference_page_against_an_edited_copy() {
    let Some(pages) = common::shared("corpus/gard-pages") else { return };
    let page = fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "txt"))
        .unwrap();
    let text = fs::read_to_string(&page).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let edited = dir.path().join(page.file_name().unwrap());
    // A reference marker dropped from every sentence that cites reference 1, and the pneumonia mentions gone.
    let changed = text.replace("[1]", "").replace("pneumonia", "");
    assert_ne!(changed, text);
    fs::write(&edited, changed).unwrap();
    let (ok, out, err) =
        run(&dir.path().join("s"), &["diff", "--format", "json", page.to_str().unwrap(), edited.to_str().unwrap()]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let change = &report["changes"][0];
    assert_eq!(change["disease"], "GARD:0012547", "{report}");
    let removed: Vec<&str> =
        change["annotations_removed"].as_array().unwrap().iter().map(|k| k[1].as_str().unwrap()).collect();
    assert!(removed.contains(&"HP:0002090"), "pneumonia is gone: {report}");
    // Statements that cited reference 1 keep their term but lose that publication.
    let changed = change["annotations_changed"].as_array().unwrap();
    assert!(
        changed
            .iter()
            .any(|c| c[1]["publications"].as_array().unwrap().len() > c[2]["publications"].as_array().unwrap().len()),
        "{report}"
    );
}
