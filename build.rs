//! Hashes what the start-up cache's parts are built from (the sources under `src/`, the tables and ontologies under
//! `ontology/`, `Cargo.lock`) into `GARDKG_SOURCES_HASH`, part of the cache key (`src/cache.rs`): a build whose code
//! or data differ never reads a cache another build wrote. The hash only has to tell builds apart, so std's
//! `SipHash` (fixed keys) is enough.

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let mut paths = vec![PathBuf::from("Cargo.lock"), PathBuf::from("Cargo.toml")];
    for dir in ["src", "ontology"] {
        println!("cargo:rerun-if-changed={dir}");
        files(Path::new(dir), &mut paths);
    }
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=Cargo.toml");
    paths.sort();
    let mut hasher = DefaultHasher::new();
    for path in &paths {
        hasher.write(path.to_string_lossy().as_bytes());
        hasher.write_u8(0);
        match std::fs::read(path) {
            Ok(bytes) => {
                hasher.write_usize(bytes.len());
                hasher.write(&bytes);
            }
            Err(e) => panic!("build.rs: cannot read {}: {e}", path.display()),
        }
    }
    println!("cargo:rustc-env=GARDKG_SOURCES_HASH={:016x}", hasher.finish());
}
