//! Durability, as a campaign: `kill -9` at random moments of each write path, and after every kill the store opens,
//! `stats` answers, every page is whole or absent, the search index agrees with the store or says it is stale, and
//! re-running the same command completes the work with a result identical to a run that was never interrupted.
//!
//! Paths: a corpus ingest into an empty store (Oxigraph's bulk loader), an ingest into a store that has pages (one
//! transaction per page), an export to a file (`-o`: the target is whole or untouched), and a push to a writable
//! server (each remote graph whole or absent).
//!
//! `GARDKG_CRASH_TRIALS` kills per path (default 2, for `cargo test`; the campaign the README reports ran 20);
//! `GARDKG_CRASH_SEED` replays a campaign (the seed is printed); `GARDKG_CRASH_BIN` runs another build of gardkg
//! (a release build, for the long campaign) as the process that is killed.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PAGES: u32 = 400;

/// The kill moments: xorshift64*, seeded from `GARDKG_CRASH_SEED` or the clock.
struct Campaign {
    state: u64,
    trials: usize,
}

impl Campaign {
    fn new(path: &str) -> Self {
        let seed: u64 = std::env::var("GARDKG_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            u64::from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos())
                ^ (u64::from(std::process::id()) << 32)
        });
        let trials = std::env::var("GARDKG_CRASH_TRIALS").ok().and_then(|s| s.parse().ok()).unwrap_or(2);
        eprintln!("crash campaign on {path}: {trials} kills, GARDKG_CRASH_SEED={seed}");
        Self { state: seed | 1, trials }
    }

    /// A moment in `[0, within)`.
    fn moment(&mut self, within: Duration) -> Duration {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        let high = u32::try_from(self.state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32).unwrap();
        let unit = f64::from(high) / (f64::from(u32::MAX) + 1.0);
        within.mul_f64(unit)
    }
}

/// The gardkg that is killed: `GARDKG_CRASH_BIN`, else this build's.
fn gardkg(args: &[&str]) -> Command {
    let binary = std::env::var_os("GARDKG_CRASH_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_gardkg").into());
    let mut command = Command::new(binary);
    command.args(args).env("GARDKG_CONFIG", "/nonexistent/gardkg-test-config.toml");
    command.stdout(Stdio::null()).stderr(Stdio::null());
    command
}

/// Runs `command` to the end and returns how long it took.
fn timed(mut command: Command) -> Duration {
    let started = Instant::now();
    assert!(command.status().unwrap().success(), "{command:?} failed");
    started.elapsed()
}

/// Starts `command` and kills it with SIGKILL after `delay`, unless it finished first. Returns whether it was
/// killed.
fn kill_after(command: Command, delay: Duration) -> bool {
    kill_or_finish(command, delay).is_none()
}

/// Starts `command` and kills it with SIGKILL after `delay`: `None` when it was killed, or how long it took
/// when it finished first.
fn kill_or_finish(mut command: Command, delay: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut child = command.spawn().unwrap();
    let deadline = started + delay;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let finished = child.try_wait().unwrap().is_some();
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    finished.then(|| started.elapsed())
}

/// After a kill: `stats` answers, and the search index either answers or says it is stale (never a wrong answer
/// silently: a stale index is refused). Returns whether the index was refused.
fn check_commands(store: &Path) -> bool {
    let (ok, out, err) = common::run(store, &["stats"]);
    assert!(ok && out.contains("pages"), "stats after kill -9: {out}{err}");
    let (ok, out, err) = common::run(store, &["find", "--store", store.to_str().unwrap(), "kettle fever"]);
    if ok {
        assert!(out.contains("Kettle fever") || out.contains("kettle fever") || out.is_empty(), "{out}");
        false
    } else {
        assert!(err.contains("stale") || err.contains("no search index") || err.contains("--rebuild"), "{err}");
        true
    }
}

fn ingest_campaign(prefill: bool) {
    let mut campaign = Campaign::new(if prefill { "the transaction path" } else { "the bulk path" });
    let dir = tempfile::tempdir().unwrap();
    let pages = common::kettle_pages(dir.path(), PAGES);
    let ingest = |store: &Path| gardkg(&["ingest", "-q", "--store", store.to_str().unwrap(), pages.to_str().unwrap()]);
    let fresh = |name: &str| {
        let store = common::new_store(&dir.path().join(name));
        if prefill {
            // A store that already holds a page takes the per-page transaction path.
            let (ok, _, err) = common::run(&store, &["ingest", "-q", common::example().to_str().unwrap()]);
            assert!(ok, "{err}");
        }
        store
    };
    let clean = fresh("clean");
    let mut duration = timed(ingest(&clean));
    let expected = common::written(&clean);
    let (mut runs, mut killed, mut partial, mut refused) = (0, 0, 0, 0);
    // Runs until `trials` kills landed: a run that finishes before its moment (the clean run, first, may have been
    // slower) does not count, and the moments shrink to the fastest run seen; at most three runs per kill asked.
    while killed < campaign.trials && runs < 3 * campaign.trials {
        let trial = runs;
        runs += 1;
        let store = fresh(&format!("trial-{trial}"));
        let moment = campaign.moment(duration);
        match kill_or_finish(ingest(&store), moment) {
            None => killed += 1,
            Some(took) => duration = duration.min(took),
        }
        let present = common::check_whole_pages(&pages, &store);
        if present > usize::from(prefill) && present < PAGES as usize + usize::from(prefill) {
            partial += 1;
        }
        refused += usize::from(check_commands(&store));
        // Re-running the same ingest completes the batch, exactly as an uninterrupted one.
        timed(ingest(&store));
        assert_eq!(common::check_whole_pages(&pages, &store), PAGES as usize + usize::from(prefill));
        assert!(
            common::written(&store) == expected,
            "trial {trial} (killed at {moment:?}): the re-run differs from a clean ingest"
        );
        assert!(!check_commands(&store), "the re-run left the search index stale");
        std::fs::remove_dir_all(store.parent().unwrap()).unwrap();
    }
    eprintln!(
        "{killed} kills in {runs} runs ({partial} with some pages stored); `find` refused the search index \
         {refused} times (missing or stale, never wrong); every re-run equal to a clean ingest (fastest run \
         {duration:?})"
    );
    assert_eq!(killed, campaign.trials, "too few runs were killed before they finished: the moments are wrong");
}

#[test]
fn kill_during_bulk_load_leaves_whole_pages() {
    ingest_campaign(false);
}

#[test]
fn kill_during_transactional_ingest_leaves_whole_pages() {
    ingest_campaign(true);
}

/// `export -o FILE` killed at any moment: FILE holds its old content or the whole export, never part of it.
#[test]
fn kill_during_export_leaves_the_target_whole_or_untouched() {
    let mut campaign = Campaign::new("export -o");
    let dir = tempfile::tempdir().unwrap();
    let pages = common::kettle_pages(dir.path(), PAGES);
    let store = common::new_store(dir.path());
    timed(gardkg(&["ingest", "-q", "--store", store.to_str().unwrap(), pages.to_str().unwrap()]));
    let target = dir.path().join("out").join("dump.nq");
    std::fs::create_dir(target.parent().unwrap()).unwrap();
    let export =
        || gardkg(&["export", "--store", store.to_str().unwrap(), "--format", "nq", "-o", target.to_str().unwrap()]);
    let duration = timed(export());
    let whole = std::fs::read(&target).unwrap();
    let old = b"an older export\n".to_vec();
    let (mut killed, mut untouched) = (0, 0);
    for trial in 0..campaign.trials {
        std::fs::write(&target, &old).unwrap();
        let moment = campaign.moment(duration);
        killed += usize::from(kill_after(export(), moment));
        let now = std::fs::read(&target).unwrap();
        assert!(
            now == old || now == whole,
            "trial {trial} (killed at {moment:?}): the target is neither old nor whole"
        );
        untouched += usize::from(now == old);
        // The next run is not blocked by what a killed one left.
        timed(export());
        assert!(std::fs::read(&target).unwrap() == whole);
    }
    let leftovers = std::fs::read_dir(target.parent().unwrap()).unwrap().count() - 1;
    eprintln!(
        "{killed} exports killed, {untouched} left the target untouched; {leftovers} temporary files left beside it"
    );
}

/// A writable server on loopback, for the push path.
/// A writable server: the push target.
struct Remote {
    /// Stops the server when the remote is dropped.
    _server: common::Server,
    url: String,
}

impl Remote {
    fn start(store: &Path) -> Self {
        let server = common::Server::start(store, &["--writable"]);
        let url = server.url("");
        Self { _server: server, url }
    }

    /// Triples per graph, as the remote's SPARQL endpoint counts them.
    fn graphs(&self) -> BTreeMap<String, u64> {
        let query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g";
        let body = reqwest::blocking::Client::new()
            .post(format!("{}/sparql", self.url))
            .form(&[("query", query)])
            .header("Accept", "application/sparql-results+json")
            .send()
            .unwrap()
            .text()
            .unwrap();
        let results: serde_json::Value = serde_json::from_str(&body).unwrap();
        results["results"]["bindings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b["g"]["value"].as_str().unwrap().to_owned(), b["n"]["value"].as_str().unwrap().parse().unwrap()))
            .collect()
    }

    fn clear(&self) {
        let status = reqwest::blocking::Client::new()
            .post(format!("{}/sparql", self.url))
            .form(&[("update", "CLEAR ALL")])
            .send()
            .unwrap()
            .status();
        assert!(status.is_success(), "CLEAR ALL: {status}");
        assert!(self.graphs().is_empty());
    }
}

/// `push` killed at any moment: every graph on the remote is whole or absent, and pushing again completes it.
#[test]
fn kill_during_push_leaves_remote_graphs_whole() {
    let mut campaign = Campaign::new("push");
    let dir = tempfile::tempdir().unwrap();
    let pages = common::kettle_pages(dir.path(), PAGES);
    let local = common::new_store(&dir.path().join("local"));
    timed(gardkg(&["ingest", "-q", "--store", local.to_str().unwrap(), pages.to_str().unwrap()]));
    let remote_store = common::new_store(&dir.path().join("remote"));
    let remote = Remote::start(&remote_store);
    remote.clear();
    let target = format!("{}/store", remote.url);
    let push = || gardkg(&["push", "--store", local.to_str().unwrap(), "--to", &target, "--retries", "0"]);
    let duration = timed(push());
    let whole = remote.graphs();
    assert!(whole.len() >= PAGES as usize, "every page graph (and the terms graph when there are terms)");
    let (mut killed, mut partial) = (0, 0);
    for trial in 0..campaign.trials {
        remote.clear();
        let moment = campaign.moment(duration);
        killed += usize::from(kill_after(push(), moment));
        let now = remote.graphs();
        for (graph, n) in &now {
            assert_eq!(Some(n), whole.get(graph), "trial {trial} (killed at {moment:?}): {graph} is not whole");
        }
        partial += usize::from(!now.is_empty() && now.len() < whole.len());
        timed(push());
        assert_eq!(remote.graphs(), whole, "pushing again after a kill completes the remote");
    }
    eprintln!("{killed} pushes killed, {partial} with some graphs sent; every remote graph whole ({duration:?})");
}
