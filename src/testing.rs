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
