//! Faults from the file system under the store: a disk that fills up during an ingest, and a store directory on
//! read-only media. Both need a mount (a small tmpfs), which only root can make: as any other user the tests say
//! they were skipped; as root (CI) a mount that fails is a failure, never a skip.
//!
//! A full disk, on both write paths (Oxigraph's bulk loader into an empty store, one transaction per page into a
//! store that has pages): one clear error line, exit code 1, every page in the store whole or absent, and after
//! the disk grows the same command completes the work exactly as a run that never failed. A read-only store: every
//! read command answers, every write is refused with the file system's reason, and nothing changes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Pages in the ingest that fills the disk.
const PAGES: u32 = 150;
/// Room left on the tmpfs after the empty store is copied there: a few dozen pages' worth.
const FREE_MB: u64 = 6;

fn is_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    // "Uid:\treal\teffective\tsaved\tfs"
    status.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|l| l.split_whitespace().nth(1)) == Some("0")
}

/// A tmpfs mounted on a directory for the length of a test, unmounted when dropped.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size_mb` on `dir`; `None` (the test is skipped) when this user cannot mount.
    fn mount(dir: &Path, size_mb: u64) -> Option<Self> {
        if !is_root() {
            eprintln!("skipped: mounting a tmpfs needs root");
            return None;
        }
        std::fs::create_dir_all(dir).unwrap();
        mount(&["-t", "tmpfs", "-o", &format!("size={size_mb}m"), "tmpfs", dir.to_str().unwrap()]);
        Some(Self { dir: dir.to_owned() })
    }

    /// Remounts with new options (`size=…`, `ro`, `rw`).
    fn remount(&self, options: &str) {
        mount(&["-o", &format!("remount,{options}"), self.dir.to_str().unwrap()]);
    }

    fn used_mb(&self) -> u64 {
        let out = Command::new("df").args(["-m", "--output=used"]).arg(&self.dir).output().unwrap();
        String::from_utf8(out.stdout).unwrap().lines().nth(1).unwrap().trim().parse().unwrap()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

fn mount(args: &[&str]) {
    let out = Command::new("mount").args(args).output().expect("mount runs");
    assert!(out.status.success(), "mount {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Runs gardkg with `args` on `store`; returns the exit code and stderr.
fn gardkg(store: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = common::gardkg(store).args(args).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The error lines of a failed command: exactly one, saying why.
fn one_error(stderr: &str, reason: &str) {
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "one error line expected:\n{stderr}");
    assert!(errors[0].contains(reason), "the error does not say {reason:?}:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A store copied onto a fresh tmpfs that leaves [`FREE_MB`] free, with the example page in it when `prefill`
/// (so that the ingest takes the per-page transaction path).
fn store_on_small_disk(dir: &Path, prefill: bool) -> Option<(Tmpfs, PathBuf)> {
    let template = common::new_store(&dir.join("template"));
    if prefill {
        let (ok, _, err) = common::run(&template, &["ingest", "-q", common::example().to_str().unwrap()]);
        assert!(ok, "{err}");
    }
    let disk = Tmpfs::mount(&dir.join("disk"), 1024)?;
    let store = disk.dir.join("store");
    common::copy_dir(&template, &store);
    disk.remount(&format!("size={}m", disk.used_mb() + FREE_MB));
    Some((disk, store))
}

fn full_disk(prefill: bool) {
    let dir = tempfile::tempdir().unwrap();
    let pages = common::kettle_pages(dir.path(), PAGES);
    let Some((disk, store)) = store_on_small_disk(dir.path(), prefill) else { return };
    let ingest = ["ingest", "-q", "--store", store.to_str().unwrap(), pages.to_str().unwrap()];

    let (code, err) = gardkg(&store, &ingest);
    assert_eq!(code, Some(1), "an ingest onto a full disk: {err}");
    one_error(&err, "No space left on device");
    let present = common::check_whole_pages(&pages, &store);
    assert!(present < PAGES as usize + usize::from(prefill), "the disk never filled: {present} pages stored");
    let (code, out) = gardkg(&store, &["stats", "--store", store.to_str().unwrap()]);
    assert_eq!(code, Some(0), "stats on the full disk: {out}");

    // More room, the same command: the work completes, and equals an ingest that never failed.
    disk.remount("size=1024m");
    let (code, err) = gardkg(&store, &ingest);
    assert_eq!(code, Some(0), "the re-run after the disk grew: {err}");
    assert_eq!(common::check_whole_pages(&pages, &store), PAGES as usize + usize::from(prefill));
    let leftovers: Vec<_> = std::fs::read_dir(&store)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("bulk-") || n.starts_with(".gardkg-"))
        .collect();
    assert!(leftovers.is_empty(), "unfinished files left in the store: {leftovers:?}");
    let clean = common::new_store(&dir.path().join("clean"));
    if prefill {
        let (ok, _, err) = common::run(&clean, &["ingest", "-q", common::example().to_str().unwrap()]);
        assert!(ok, "{err}");
    }
    let (ok, _, err) = common::run(&clean, &["ingest", "-q", pages.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(common::written(&store) == common::written(&clean), "the re-run differs from a clean ingest");
    let (code, err) = gardkg(&store, &["find", "--store", store.to_str().unwrap(), "kettle fever"]);
    assert_eq!(code, Some(0), "the search index after the re-run: {err}");
}

#[test]
fn a_full_disk_stops_a_bulk_load_with_one_clear_error_and_whole_pages() {
    full_disk(false);
}

#[test]
fn a_full_disk_stops_per_page_transactions_with_one_clear_error_and_whole_pages() {
    full_disk(true);
}

#[test]
fn a_store_on_read_only_media_answers_reads_and_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = Tmpfs::mount(&dir.path().join("disk"), 1024) else { return };
    let store = common::new_store(&disk.dir);
    let s = store.to_str().unwrap();
    let example = common::example();
    let (ok, _, err) = common::run(&store, &["ingest", "-q", example.to_str().unwrap()]);
    assert!(ok, "{err}");
    let before = common::written(&store);
    disk.remount("ro");

    // Reads answer.
    let (ok, out, err) = common::run(&store, &["stats", "--store", s]);
    assert!(ok && out.contains("pages"), "stats: {err}");
    let (ok, out, err) = common::run(&store, &["query", "--store", s, "phenotypes", "-b", "disease=GARD:0099999"]);
    assert!(ok && out.contains("HP_"), "query: {err}");
    let (ok, out, err) = common::run(&store, &["find", "--store", s, "kettle fever"]);
    assert!(ok && out.contains("GARD:0099999"), "find: {err}");
    let (ok, out, err) = common::run(&store, &["export", "--store", s, "--format", "nt"]);
    assert!(ok && out.contains("rarediseases.info.nih.gov/diseases/0099999"), "export: {err}");
    let server = common::Server::start(&store, &[]);
    let answer = reqwest::blocking::Client::new()
        .post(server.url("/sparql"))
        .form(&[("query", "ASK { <https://rarediseases.info.nih.gov/diseases/0099999> ?p ?o }")])
        .header("Accept", "application/sparql-results+json")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(answer.contains("true"), "the server on read-only media: {answer}");
    drop(server);
    let writable = common::Server::try_start(&store, &["--writable"], &[]).err().unwrap_or_default();
    assert!(writable.contains("Read-only file system"), "a writable server on read-only media: {writable}");

    // Writes are refused with the file system's reason, and change nothing.
    for args in [
        vec!["ingest", "-q", "--store", s, example.to_str().unwrap()],
        vec!["ingest", "-q", "--store", s, "--record-changes", example.to_str().unwrap()],
        vec!["find", "--rebuild", "--store", s],
    ] {
        let (code, err) = gardkg(&store, &args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        one_error(&err, "Read-only file system");
    }
    let target = disk.dir.join("out.ttl");
    let (code, err) = gardkg(&store, &["export", "--store", s, "-o", target.to_str().unwrap()]);
    assert_eq!(code, Some(1), "export -o onto read-only media: {err}");
    one_error(&err, "Read-only file system");
    assert!(!target.exists());

    disk.remount("rw");
    assert!(common::written(&store) == before, "a refused write changed the store");
}
