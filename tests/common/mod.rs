//! Shared helpers for the integration tests.
#![allow(dead_code)]

mod server;
#[allow(unused_imports)]
pub use server::Server;

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

/// A folder `pages` in `dir` of `count` distinct pages: the example page under GARD ids 200000 and up (taken from
/// the file names).
pub fn kettle_pages(dir: &Path, count: u32) -> PathBuf {
    let pages = dir.join("pages");
    std::fs::create_dir(&pages).unwrap();
    let text = std::fs::read_to_string(example()).unwrap();
    for i in 0..count {
        std::fs::write(pages.join(format!("{}-kettle-fever.txt", 200_000 + i)), &text).unwrap();
    }
    pages
}

/// The ontology graphs and their closures, which no page ingest writes.
fn is_ontology_graph(graph: &oxigraph::model::GraphName) -> bool {
    matches!(graph, oxigraph::model::GraphName::NamedNode(n)
        if n.as_str().starts_with("http://purl.obolibrary.org/") || n.as_str().contains("/graph/closure/"))
}

/// Everything an ingest writes (page graphs, terms, metadata), as sorted N-Quads.
pub fn written(store: &Path) -> Vec<String> {
    let store = gardkg::store::GraphStore::open_read_only(store, gardkg::model::vocab::Namespace::default()).unwrap();
    let mut lines: Vec<String> = store
        .oxigraph()
        .iter()
        .map(Result::unwrap)
        .filter(|q| !is_ontology_graph(&q.graph_name))
        .map(|q| q.to_string())
        .collect();
    lines.sort_unstable();
    lines
}

/// Every page graph in the store (opened read-only, as on a full or read-only disk) must equal what the model
/// builds for that page of `pages` ([`kettle_pages`], or the example page itself). Returns how many there are.
pub fn check_whole_pages(pages: &Path, store_path: &Path) -> usize {
    use gardkg::model::vocab::Namespace;
    use gardkg::source::{self, ReadOptions};
    use oxigraph::model::{GraphNameRef, Quad};
    use std::collections::HashSet;
    use std::sync::OnceLock;
    static PIPELINE: OnceLock<gardkg::pipeline::Pipeline> = OnceLock::new();
    let pipeline = PIPELINE.get_or_init(|| gardkg::pipeline::Pipeline::new(Namespace::default()).unwrap());
    let store = gardkg::store::GraphStore::open_read_only(store_path, Namespace::default()).expect("the store opens");
    let graphs = store.page_graphs().unwrap();
    for graph in &graphs {
        let number = graph.as_str().rsplit('/').next().unwrap().parse::<u32>().unwrap();
        let file = if number == 99_999 { example() } else { pages.join(format!("{number}-kettle-fever.txt")) };
        let expected: HashSet<Quad> = pipeline
            .process(source::read(file.to_str().unwrap(), &ReadOptions::default()).unwrap())
            .graph
            .quads
            .into_iter()
            .collect();
        let stored: HashSet<Quad> = store
            .oxigraph()
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph.as_ref())))
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(stored, expected, "{graph} is neither absent nor whole");
    }
    graphs.len()
}
