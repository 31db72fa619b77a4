//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The shared data folder, when `GARDKG_SHARED` is set. Panics (fails the test) when it is set but `relative`
/// is missing: a CI run must never skip real-data checks silently.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let root = std::env::var_os("GARDKG_SHARED")?;
    let path = Path::new(&root).join(relative);
    assert!(path.exists(), "GARDKG_SHARED is set but {} is missing", path.display());
    Some(path)
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The project's example page.
pub fn example() -> PathBuf {
    root().join("examples/99999-kettle-fever.txt")
}

/// The gardkg binary with a private store and no inherited store location.
pub fn gardkg(store: &Path) -> Command {
    let mut cmd = Command::cargo_bin("gardkg").expect("the gardkg binary is built");
    cmd.env("GARDKG_STORE", store);
    cmd
}

/// Runs gardkg and returns (success, stdout, stderr).
pub fn run(store: &Path, args: &[&str]) -> (bool, String, String) {
    let out = gardkg(store).args(args).output().expect("gardkg runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The canonical N-Quads of a store (the exact content, for "unchanged" checks).
pub fn canonical(store: &Path) -> String {
    let (ok, out, err) = run(store, &["export", "--canonical"]);
    assert!(ok, "export --canonical failed: {err}");
    out
}
