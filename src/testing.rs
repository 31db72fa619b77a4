//! Helpers for the unit tests that read the shared data folder.

use std::path::{Path, PathBuf};

/// `path` inside the shared data folder when `GARDKG_SHARED` is set (the test is skipped otherwise); a missing
/// `path` inside a set folder is a failure, never a skip.
pub(crate) fn shared(path: &str) -> Option<PathBuf> {
    let Some(root) = std::env::var_os("GARDKG_SHARED") else {
        eprintln!("GARDKG_SHARED not set: skipping");
        return None;
    };
    let full = Path::new(&root).join(path);
    assert!(full.exists(), "GARDKG_SHARED is set but {} is missing", full.display());
    Some(full)
}

/// Every page of the shared MedQuAD folder, sorted, when `GARDKG_SHARED` is set.
pub(crate) fn medquad_files() -> Option<Vec<PathBuf>> {
    let dir = shared("corpus/medquad-gard")?;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    paths.sort();
    Some(paths)
}
