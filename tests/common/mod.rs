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

/// The exact content of a store, for "unchanged" checks: its N-Quads, sorted. gardkg writes no blank node, so this
/// is its canonical form (RDFC-1.0 on the whole store, ontologies included, would take far longer).
pub fn canonical(store: &Path) -> String {
    let (ok, out, err) = run(store, &["export", "--format", "nq"]);
    assert!(ok, "export --format nq failed: {err}");
    assert!(!out.contains("_:"), "a blank node makes sorted N-Quads non-canonical");
    let mut lines: Vec<&str> = out.lines().collect();
    lines.sort_unstable();
    lines.join("\n")
}

/// A new store in `dir`, as `gardkg init` makes it (the pinned ontologies and their closures, no page): a copy of a
/// template made once per build of the binary, since loading the ontologies takes seconds in a debug build.
pub fn new_store(dir: &Path) -> PathBuf {
    let store = dir.join("store");
    copy_dir(&template(), &store);
    store
}

fn template() -> PathBuf {
    use std::sync::OnceLock;
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            // Keyed by the binary, so a rebuilt gardkg makes a new template.
            let binary = Path::new(env!("CARGO_BIN_EXE_gardkg"));
            let meta = std::fs::metadata(binary).expect("the gardkg binary is built");
            let modified = meta.modified().ok().and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok());
            let key = format!("{}-{}", meta.len(), modified.map_or(0, |d| d.as_nanos()));
            let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("store-template-{key}"));
            if !path.join("CURRENT").exists() {
                let building = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                    .join(format!("store-template-{key}.{}", std::process::id()));
                let (ok, _, err) = run(&building, &["init", "-q", "--store", building.to_str().unwrap()]);
                assert!(ok, "gardkg init failed: {err}");
                // Another test process may have made it meanwhile: either copy is the same.
                if std::fs::rename(&building, &path).is_err() {
                    let _ = std::fs::remove_dir_all(&building);
                }
            }
            path
        })
        .clone()
}

/// Copies a store directory (without its lock file).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.file_name() != "LOCK" {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
