//! Replays the fuzz targets' committed inputs on stable: every seed ([`seeds`]: `fuzz/corpus/<target>/`, the example
//! pages, and for `build_quads` every reader's seeds) and every input
//! a fuzzer once crashed on, kept under `fuzz/regressions/<target>/`, through the same `gardkg::fuzzing` function
//! the target calls. A crash fixed in the library stays fixed without a nightly toolchain.

mod common;

use std::path::{Path, PathBuf};

/// A target's body: `gardkg::fuzzing::<target>`.
type Body = fn(&[u8]);

/// Every fuzz target and the function it calls (`fuzz/fuzz_targets/<name>.rs`).
const TARGETS: &[(&str, Body)] = &[
    ("read_text", gardkg::fuzzing::read_text),
    ("read_medquad", gardkg::fuzzing::read_medquad),
    ("read_html", gardkg::fuzzing::read_html),
    ("build_quads", gardkg::fuzzing::build_quads),
    ("bind", gardkg::fuzzing::bind),
];

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

/// The seeds of a target: its own folder `fuzz/corpus/<target>/`, the example pages of the format it reads, and,
/// for `build_quads` (which reads every format), every reader's seeds. `fuzz/run.sh` gives libFuzzer the same.
fn seeds(target: &str) -> Vec<PathBuf> {
    let root = common::root();
    let examples = |extension: &str| -> Vec<PathBuf> {
        files(&root.join("examples")).into_iter().filter(|p| p.extension().is_some_and(|e| e == extension)).collect()
    };
    let mut all = files(&root.join("fuzz/corpus").join(target));
    match target {
        "read_text" => all.extend(examples("txt")),
        "read_html" => all.extend(examples("html")),
        "build_quads" => {
            for reader in ["read_text", "read_medquad", "read_html"] {
                all.extend(seeds(reader));
            }
        }
        _ => {}
    }
    all
}

/// Runs every input of each target through it (its [`seeds`], or its files under `fuzz/regressions/<target>/`);
/// returns how many ran and the failures.
fn replay(kind: &str) -> (usize, Vec<String>) {
    let mut ran = 0;
    let mut failures = Vec::new();
    for (target, run) in TARGETS {
        let inputs =
            if kind == "corpus" { seeds(target) } else { files(&common::root().join("fuzz").join(kind).join(target)) };
        for file in inputs {
            let bytes = std::fs::read(&file).unwrap();
            ran += 1;
            if let Err(panic) = std::panic::catch_unwind(|| run(&bytes)) {
                let message = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)");
                failures.push(format!("{target}: {}: {message}", file.display()));
            }
        }
    }
    (ran, failures)
}

#[test]
fn every_target_has_seeds_and_every_corpus_a_target() {
    for (target, _) in TARGETS {
        assert!(!seeds(target).is_empty(), "no seeds for {target}");
        let source = common::root().join(format!("fuzz/fuzz_targets/{target}.rs"));
        let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        assert!(
            text.contains(&format!("gardkg::fuzzing::{target}(data)")),
            "{} calls another function",
            source.display()
        );
    }
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(common::root().join("fuzz").join(kind)) else { continue };
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(TARGETS.iter().any(|(t, _)| *t == name), "fuzz/{kind}/{name} belongs to no target");
        }
    }
}

#[test]
fn seed_corpora_pass_every_check() {
    let (ran, failures) = replay("corpus");
    assert!(ran >= TARGETS.len(), "only {ran} seeds");
    assert!(failures.is_empty(), "{} seed(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn crashes_once_found_stay_fixed() {
    let (_, failures) = replay("regressions");
    assert!(failures.is_empty(), "{} regression(s) failed:\n{}", failures.len(), failures.join("\n"));
}
