//! The ingest benchmark of issue 5: gardkg's whole-corpus ingest against Oxigraph's own bulk loader, at 1x and
//! 10x the corpus, with peak memory, canned-query latency and export throughput, in one run on one machine.
//!
//! Run it with `GARDKG_SHARED=/path/to/shared cargo bench --bench ingest` (add `-- --quick` for a one-minute run
//! on the first 200 pages). See `benches/README.md` for what each row of the report means.
//!
//! Every measured phase runs in a child process (this binary re-executed with `--phase NAME`), so each phase's
//! peak RSS (`VmHWM`) is its own and no phase warms caches for the next one inside the process. The parent only
//! orchestrates, collects the children's JSON results and writes the Markdown report. No timing is asserted.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, anyhow, bail};
use oxigraph::io::RdfFormat;
use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::{QueryResults, Variable};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use gardkg::export::rdf;
use gardkg::model::vocab::{self, Namespace, PageKey};
use gardkg::page::{Page, WarningCode};
use gardkg::pipeline::{Pipeline, Processed};
use gardkg::queries::{self, ParamKind};
use gardkg::source::{self, ReadOptions};
use gardkg::store::GraphStore;

/// The line prefix under which a child phase prints its JSON result on standard output.
const RESULT_MARKER: &str = "GARDKG-BENCH-RESULT ";
/// The line prefix under which the query phase says which binding it starts.
const START_MARKER: &str = "GARDKG-BENCH-START ";
/// A query phase (one canned query, all its bindings) running longer than this is stopped.
const QUERY_TIMEOUT_S: u64 = 120;
/// Pages used by `--quick`.
const QUICK_PAGES: usize = 200;
/// Pages processed and bulk-loaded at a time.
const DEFAULT_CHUNK: usize = 500;
/// The scaled corpus: this many copies of every page.
const SCALE: u32 = 10;
/// Copy `k` of a page gets GARD id `number + k * ID_STRIDE`.
const ID_STRIDE: u32 = 1_000_000;
/// Timed runs per query (after the warm-up runs).
const QUERY_RUNS: usize = 20;
/// Untimed runs per query before timing.
const QUERY_WARMUP: usize = 2;
/// Timed runs stop after this many milliseconds per query (with at least `QUERY_MIN_RUNS`), so a query that
/// lists every pair of diseases cannot hold the benchmark for an hour.
const QUERY_BUDGET_MS: f64 = 10_000.0;
/// Timed runs per query even when the budget is spent.
const QUERY_MIN_RUNS: usize = 3;
/// The disease bound in the queries that take one, when the corpus holds it.
const REFERENCE_DISEASE: &str = "GARD:0012547";

/// Issue 5's targets.
const TARGET_FLOOR_RATIO: f64 = 1.3;
/// Issue 13's goal for the same ratio: recognition hidden behind loading.
const GOAL_FLOOR_RATIO: f64 = 1.0;
const TARGET_SCALING: f64 = 10.5;
const TARGET_RSS_MB: f64 = 500.0;
const TARGET_QUERY_P50_MS: f64 = 5.0;

const USAGE: &str = "\
usage: GARDKG_SHARED=DIR cargo bench --bench ingest [-- OPTIONS]

  --quick          first 200 pages, 1 run per measurement (also: GARDKG_BENCH_QUICK=1)
  --runs N         runs per ingest and Oxigraph-load measurement (default 3, quick 1)
  --runs-10x N     runs of the 10x ingest (default: --runs)
  --chunk N        pages processed and bulk-loaded at a time (default 500)
  --tmp DIR        where the temporary stores go (default: the system temp dir; also GARDKG_BENCH_TMP)
  --no-save        print the report without writing benches/results/

The corpus is read from $GARDKG_SHARED/corpus/medquad-gard.";

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("ingest bench: {e:#}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if options.help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let result = match options.phase.as_deref() {
        Some(phase) => run_phase(phase, &options),
        // `cargo test --benches` runs bench targets without `--bench`: nothing to measure then.
        None if !options.bench => {
            println!("ingest bench: not run (run it with `cargo bench --bench ingest`)");
            return ExitCode::SUCCESS;
        }
        None => run_all(&options),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ingest bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Command-line options, shared by the parent and the child phases.
#[allow(clippy::struct_excessive_bools)] // independent command-line flags
#[derive(Debug, Clone)]
struct Options {
    bench: bool,
    help: bool,
    quick: bool,
    runs: usize,
    runs_10x: Option<usize>,
    chunk: usize,
    tmp: Option<PathBuf>,
    save: bool,
    phase: Option<String>,
    scale: u32,
    store: Option<PathBuf>,
    file: Option<PathBuf>,
    out: Option<PathBuf>,
    query: Option<String>,
    /// Process and load a chunk in turn, as gardkg did before the overlap (for comparison).
    alternate: bool,
}

impl Options {
    fn parse(args: impl Iterator<Item = String>) -> anyhow::Result<Self> {
        let quick_env = std::env::var("GARDKG_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
        let mut o = Options {
            bench: false,
            help: false,
            quick: quick_env,
            runs: 0,
            runs_10x: None,
            chunk: DEFAULT_CHUNK,
            tmp: std::env::var_os("GARDKG_BENCH_TMP").filter(|v| !v.is_empty()).map(PathBuf::from),
            save: true,
            phase: None,
            scale: 1,
            store: None,
            file: None,
            out: None,
            query: None,
            alternate: false,
        };
        let mut args = args.peekable();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value"));
            match arg.as_str() {
                "--bench" => o.bench = true,
                "-h" | "--help" => o.help = true,
                "--quick" => o.quick = true,
                "--no-save" => o.save = false,
                "--runs" => o.runs = number(&value("--runs")?, "--runs")?,
                "--runs-10x" => o.runs_10x = Some(number(&value("--runs-10x")?, "--runs-10x")?),
                "--chunk" => o.chunk = number(&value("--chunk")?, "--chunk")?,
                "--tmp" => o.tmp = Some(PathBuf::from(value("--tmp")?)),
                "--phase" => o.phase = Some(value("--phase")?),
                "--scale" => {
                    o.scale = u32::try_from(number(&value("--scale")?, "--scale")?).context("--scale: too large")?;
                }
                "--store" => o.store = Some(PathBuf::from(value("--store")?)),
                "--file" => o.file = Some(PathBuf::from(value("--file")?)),
                "--out" => o.out = Some(PathBuf::from(value("--out")?)),
                "--query" => o.query = Some(value("--query")?),
                "--alternate" => o.alternate = true,
                other if other.starts_with('-') => bail!("unknown option {other:?}"),
                // A positional filter (as `cargo bench NAME` passes) selects nothing here: there is one benchmark.
                _ => {}
            }
        }
        if o.runs == 0 {
            o.runs = if o.quick { 1 } else { 3 };
        }
        Ok(o)
    }

    fn runs_10x(&self) -> usize {
        self.runs_10x.unwrap_or(self.runs)
    }

    /// The arguments every child gets.
    fn child_args(&self) -> Vec<String> {
        let mut args = vec!["--chunk".to_owned(), self.chunk.to_string()];
        if self.quick {
            args.push("--quick".to_owned());
        }
        args
    }
}

fn number(text: &str, name: &str) -> anyhow::Result<usize> {
    let n: usize = text.parse().with_context(|| format!("{name}: {text:?} is not a number"))?;
    if n == 0 {
        bail!("{name} must be at least 1");
    }
    Ok(n)
}

/// The corpus folder, from `GARDKG_SHARED`.
fn corpus_dir() -> anyhow::Result<PathBuf> {
    let Some(shared) = std::env::var_os("GARDKG_SHARED").filter(|v| !v.is_empty()) else {
        bail!(
            "GARDKG_SHARED is not set: point it at the shared data folder (the corpus is read from \
             $GARDKG_SHARED/corpus/medquad-gard), e.g. GARDKG_SHARED=/work/shared cargo bench --bench ingest"
        );
    };
    let dir = PathBuf::from(shared).join("corpus").join("medquad-gard");
    if !dir.is_dir() {
        bail!("the corpus folder {} does not exist (GARDKG_SHARED is set, but wrong?)", dir.display());
    }
    Ok(dir)
}

/// The corpus pages, sorted; the first 200 with `--quick`.
fn corpus_inputs(quick: bool) -> anyhow::Result<Vec<String>> {
    let dir = corpus_dir()?;
    let mut inputs = source::expand_inputs(&[dir.display().to_string()])?;
    inputs.sort();
    if inputs.is_empty() {
        bail!("no pages in {}", dir.display());
    }
    if quick {
        inputs.truncate(QUICK_PAGES);
    }
    Ok(inputs)
}

// ---------------------------------------------------------------------------------------------------------------
// Child phases
// ---------------------------------------------------------------------------------------------------------------

/// One gardkg ingest run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct IngestRun {
    scale: u32,
    pages: usize,
    failed: usize,
    duplicates: usize,
    chunks: usize,
    /// Quads the pipeline produced (sum over pages).
    quads: usize,
    /// Quads in the store afterwards (page graphs plus the metadata graph), counted after the timing.
    stored_quads: usize,
    open_s: f64,
    hpo_s: f64,
    mappings_s: f64,
    pipeline_s: f64,
    process_s: f64,
    load_s: f64,
    meta_s: f64,
    total_s: f64,
    /// Whether processing and loading overlapped (`gardkg::pipeline::overlapped`), and the wall time of the two
    /// together: with the overlap, `process_s + load_s` exceeds it by the time hidden.
    #[serde(default)]
    overlapped: bool,
    #[serde(default)]
    chunks_s: f64,
    /// CPU seconds (user + system, all threads, RocksDB's background threads included) of the same parts.
    startup_cpu: f64,
    process_cpu: f64,
    load_cpu: f64,
    meta_cpu: f64,
    total_cpu: f64,
    /// The store on disk afterwards: RocksDB table files and total bytes.
    sst_files: usize,
    store_bytes: u64,
    peak_rss_kb: u64,
}

impl IngestRun {
    fn startup_s(&self) -> f64 {
        self.hpo_s + self.mappings_s + self.pipeline_s
    }

    fn other_s(&self) -> f64 {
        (self.total_s - self.open_s - self.startup_s() - self.chunks_s - self.meta_s).max(0.0)
    }

    /// The time processing and loading ran at once (zero when they alternate).
    fn hidden_s(&self) -> f64 {
        (self.process_s + self.load_s - self.chunks_s).max(0.0)
    }
}

/// One load of the exported N-Quads by Oxigraph's bulk loader.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct FloorRun {
    quads: usize,
    #[serde(default)]
    file_bytes: u64,
    total_s: f64,
    total_cpu: f64,
    #[serde(default)]
    sst_files: usize,
    #[serde(default)]
    store_bytes: u64,
    peak_rss_kb: u64,
    /// pyoxigraph's version (its floor only).
    #[serde(default)]
    version: Option<String>,
}

/// One export.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ExportRun {
    format: String,
    seconds: f64,
    bytes: u64,
}

/// The export phase.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ExportPhase {
    quads: usize,
    exports: Vec<ExportRun>,
    nquads: PathBuf,
    peak_rss_kb: u64,
}

/// One query (with one binding) timed.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct QueryRun {
    name: String,
    /// The disease the bound runs use.
    disease: String,
    /// The query did not finish within `QUERY_TIMEOUT_S` and was stopped.
    timed_out: bool,
    peak_rss_kb: u64,
    binding: String,
    rows: usize,
    /// Timed runs (fewer than `QUERY_RUNS` for slow queries).
    runs: usize,
    /// The only run was the first one (the query took longer than the whole budget).
    cold: bool,
    p50_ms: f64,
    p95_ms: f64,
    max_ms: f64,
}

/// The query phase.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct QueryPhase {
    disease: String,
    runs: usize,
    queries: Vec<QueryRun>,
    peak_rss_kb: u64,
}

fn run_phase(phase: &str, options: &Options) -> anyhow::Result<()> {
    let json = match phase {
        "ingest" => serde_json::to_string(&phase_ingest(options)?)?,
        "oxigraph-load" => serde_json::to_string(&phase_floor(options)?)?,
        "export" => serde_json::to_string(&phase_export(options)?)?,
        "query" => return phase_query(options),
        other => bail!("unknown phase {other:?} (ingest, oxigraph-load, export, queries)"),
    };
    println!("{RESULT_MARKER}{json}");
    Ok(())
}

fn required<'a>(value: Option<&'a PathBuf>, name: &str) -> anyhow::Result<&'a Path> {
    value.map(PathBuf::as_path).with_context(|| format!("this phase needs {name}"))
}

/// gardkg's ingest, as the library offers it: open the store, load the lexicons, then per chunk of pages read,
/// recognize and model in parallel (rayon) and hand the chunk to one `GraphStore::page_loader`, committed after
/// the last chunk; finally refresh the metadata graph and flush. At scale `k > 1` every page is read again for each copy and gets a new GARD id.
fn phase_ingest(options: &Options) -> anyhow::Result<IngestRun> {
    let inputs = corpus_inputs(options.quick)?;
    let path = required(options.store.as_ref(), "--store")?;
    let namespace = Namespace::default();
    let started = Instant::now();
    let cpu_started = cpu_secs();
    let store = GraphStore::open(path, namespace.clone())?;
    let mut run = IngestRun { scale: options.scale, open_s: secs(started), ..IngestRun::default() };

    // Startup, split: the HPO lexicon, the Mondo mappings (both cached statics), then the matcher and the rest.
    let c = cpu_secs();
    let t = Instant::now();
    gardkg::recognize::Ontology::bundled()?;
    run.hpo_s = secs(t);
    let t = Instant::now();
    gardkg::mappings::Mappings::bundled().map_err(|e| anyhow!("{e}"))?;
    run.mappings_s = secs(t);
    let t = Instant::now();
    let pipeline = Pipeline::new(namespace)?;
    run.pipeline_s = secs(t);
    run.startup_cpu = cpu_secs() - c;

    let read_options = ReadOptions::default();
    let mut seen: HashSet<PageKey> = HashSet::new();
    let chunks = (0..options.scale).flat_map(|copy| inputs.chunks(options.chunk).map(move |chunk| (copy, chunk)));
    // Read, recognize and model one chunk in parallel; returns the results and the wall and CPU seconds taken.
    let model = |(copy, chunk): (u32, &[String])| {
        let (t, c) = (Instant::now(), cpu_secs());
        let results: Vec<Result<Processed, String>> = chunk
            .par_iter()
            .map(|input| {
                let mut page = source::read(input, &read_options).map_err(|e| e.to_string())?;
                if copy > 0 {
                    replicate(&pipeline, &mut page, copy);
                }
                Ok(pipeline.process(page))
            })
            .collect();
        (results, secs(t), cpu_secs() - c)
    };
    let mut loader = store.page_loader();
    let mut load = |(results, process_s, process_cpu): (Vec<Result<Processed, String>>, f64, f64)| {
        run.process_s += process_s;
        run.process_cpu += process_cpu;
        let mut graphs = Vec::with_capacity(results.len());
        for result in results {
            match result {
                // A second page with the same key would be merged into (or clear) the first one's graph.
                Ok(p) if !seen.insert(p.graph.key.clone()) => run.duplicates += 1,
                Ok(p) => {
                    run.quads += p.graph.quads.len();
                    graphs.push(p.graph);
                }
                Err(e) => {
                    run.failed += 1;
                    if run.failed <= 3 {
                        eprintln!("ingest bench: skipped a page: {}", source::sanitize(&e));
                    }
                }
            }
        }
        let (t, c) = (Instant::now(), cpu_secs());
        run.pages += graphs.len();
        loader.load_owned(graphs)?;
        run.load_s += secs(t);
        run.load_cpu += cpu_secs() - c;
        run.chunks += 1;
        anyhow::Ok(())
    };
    let t = Instant::now();
    if options.alternate {
        for chunk in chunks {
            load(model(chunk))?;
        }
    } else {
        // As `gardkg ingest` does: the next chunk is modeled while the last one is loaded.
        gardkg::pipeline::overlapped(chunks, model, load)?;
    }
    let (tc, c) = (Instant::now(), cpu_secs());
    loader.commit()?;
    run.load_s += secs(tc);
    run.load_cpu += cpu_secs() - c;
    run.chunks_s = secs(t);
    run.overlapped = !options.alternate;
    let (t, c) = (Instant::now(), cpu_secs());
    let releases = pipeline.releases();
    let releases: Vec<(&str, &str)> = releases.iter().map(|(n, r)| (*n, r.as_str())).collect();
    store.refresh_meta(&releases)?;
    store.flush()?;
    run.meta_s = secs(t);
    run.meta_cpu = cpu_secs() - c;
    run.total_s = secs(started);
    run.total_cpu = cpu_secs() - cpu_started;
    run.stored_quads = store.oxigraph().len()?;
    (run.sst_files, run.store_bytes) = disk_usage(path);
    run.peak_rss_kb = peak_rss_kb();
    Ok(run)
}

/// Makes copy `copy` of a page a different page: its GARD id moves by `copy * ID_STRIDE`; a page without an id
/// (after the title mapping) gets a distinct title, so its slug key differs.
fn replicate(pipeline: &Pipeline, page: &mut Page, copy: u32) {
    pipeline.identify(page);
    if let Some(id) = &mut page.gard_id {
        id.number += copy * ID_STRIDE;
    } else {
        // `process` identifies again and would warn twice.
        if page.warnings.last().is_some_and(|w| w.code == WarningCode::NoIdentifier) {
            page.warnings.pop();
        }
        page.title = format!("{} (copy {copy})", page.title);
    }
}

/// The floor: Oxigraph's own bulk loader on the N-Quads gardkg exported, into a fresh on-disk store.
fn phase_floor(options: &Options) -> anyhow::Result<FloorRun> {
    let file = required(options.file.as_ref(), "--file")?;
    let path = required(options.store.as_ref(), "--store")?;
    let started = Instant::now();
    let cpu_started = cpu_secs();
    let store = oxigraph::store::Store::open(path)?;
    let reader = BufReader::new(File::open(file).with_context(|| format!("cannot open {}", file.display()))?);
    let mut loader = store.bulk_loader();
    loader.load_from_reader(RdfFormat::NQuads, reader).with_context(|| format!("loading {}", file.display()))?;
    loader.commit()?;
    store.flush()?;
    let total_s = secs(started);
    let total_cpu = cpu_secs() - cpu_started;
    let (sst_files, store_bytes) = disk_usage(path);
    Ok(FloorRun {
        quads: store.len()?,
        file_bytes: std::fs::metadata(file)?.len(),
        total_s,
        total_cpu,
        sst_files,
        store_bytes,
        peak_rss_kb: peak_rss_kb(),
        version: None,
    })
}

/// pyoxigraph's `Store.bulk_load` of the same N-Quads (`benches/pyoxigraph_load.py`, with `$GARDKG_BENCH_PYTHON`
/// or `python3`), timed inside Python from opening the store to its flush, as the Rust floor is; `None` when
/// pyoxigraph is not installed.
fn pyoxigraph_load(file: &Path, store: &Path) -> anyhow::Result<Option<FloorRun>> {
    let python = std::env::var_os("GARDKG_BENCH_PYTHON").unwrap_or_else(|| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/pyoxigraph_load.py");
    let output = Command::new(&python)
        .arg(&script)
        .args([file, store])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run {}", Path::new(&python).display()))?;
    if output.status.code() == Some(3) {
        return Ok(None);
    }
    if !output.status.success() {
        bail!("{} failed ({})", script.display(), output.status);
    }
    let mut run: FloorRun = serde_json::from_slice(&output.stdout).context("pyoxigraph_load.py: unreadable result")?;
    run.file_bytes = std::fs::metadata(file)?.len();
    (run.sst_files, run.store_bytes) = disk_usage(store);
    Ok(Some(run))
}

/// Every export format of the whole store, to files in `--out`.
fn phase_export(options: &Options) -> anyhow::Result<ExportPhase> {
    let path = required(options.store.as_ref(), "--store")?;
    let out = required(options.out.as_ref(), "--out")?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let namespace = Namespace::default();
    let store = GraphStore::open(path, namespace.clone())?;
    let mut exports = Vec::new();
    let mut nquads = None;
    for name in rdf::FORMAT_NAMES {
        let format = rdf::format_from_name(name).with_context(|| format!("unknown format {name}"))?;
        let file = out.join(format!("gardkg.{name}"));
        let started = Instant::now();
        let writer = BufWriter::new(File::create(&file).with_context(|| format!("cannot create {}", file.display()))?);
        let mut writer = store.dump(rdf::serializer(format, &namespace), None, writer)?;
        writer.flush()?;
        drop(writer);
        let seconds = secs(started);
        exports.push(ExportRun { format: (*name).to_owned(), seconds, bytes: std::fs::metadata(&file)?.len() });
        if format == RdfFormat::NQuads {
            nquads = Some(file);
        }
    }
    Ok(ExportPhase {
        quads: store.oxigraph().len()?,
        exports,
        nquads: nquads.context("no N-Quads export")?,
        peak_rss_kb: peak_rss_kb(),
    })
}

/// One canned query (`--query NAME`), bound then unbound, timed after a warm-up. Prints a start line before and a
/// result line after each binding, so the parent keeps what finished if it stops a query that runs too long.
fn phase_query(options: &Options) -> anyhow::Result<()> {
    let name = options.query.as_deref().context("this phase needs --query")?;
    let query = queries::get(name).with_context(|| format!("no canned query {name:?}"))?;
    let path = required(options.store.as_ref(), "--store")?;
    let store = GraphStore::open(path, Namespace::default())?;
    // The search SERVICE (`find-disease`) reads the full-text index beside the store, as `gardkg query` does:
    // built here, before any timing, as `gardkg ingest` builds it after writing the pages.
    gardkg::search::SearchIndex::refresh(&store, path)?;
    let query_options = gardkg::store::QueryOptions {
        search: Some(gardkg::search::SearchService::beside(path, store.namespace())),
        ..gardkg::store::QueryOptions::default()
    };
    let disease = bench_disease(&store)?;
    let label = first_value(
        &store,
        &format!("SELECT ?l WHERE {{ <{}> <{}> ?l }} LIMIT 1", disease.as_str(), vocab::rdfs::LABEL.as_str()),
    )?;
    let shown = vocab::compact_iri(disease.as_str()).unwrap_or_else(|| disease.as_str().to_owned());
    {
        // Bound runs first: an unbound listing can be slow enough to be stopped.
        let mut variants: Vec<(String, Vec<(Variable, Term)>)> = Vec::new();
        for param in query.params() {
            let variable = Variable::new(&param.name)?;
            match param.kind {
                ParamKind::Iri if param.name == "disease" => {
                    variants.push((format!("{}={shown}", param.name), vec![(variable, disease.clone().into())]));
                }
                ParamKind::Literal => {
                    if let Some(label) = &label {
                        variants.push((
                            format!("{}={label:?}", param.name),
                            vec![(variable, Literal::new_simple_literal(label).into())],
                        ));
                    }
                }
                ParamKind::Iri => {}
            }
        }
        variants.push(("unbound".to_owned(), Vec::new()));
        for (binding, bindings) in variants {
            println!("{START_MARKER}{binding}");
            std::io::stdout().flush()?;
            let run = || -> anyhow::Result<(usize, f64)> {
                let started = Instant::now();
                let rows = consume(store.query_with_options(query.text, bindings.clone(), &query_options)?)
                    .with_context(|| format!("query {}", query.name))?;
                Ok((rows, started.elapsed().as_secs_f64() * 1000.0))
            };
            let (mut rows, first_ms) = match run() {
                Ok(first) => first,
                // A query that needs its parameter (find-disease's search text) has no unbound form.
                Err(e) if binding == "unbound" && !query.params().is_empty() => {
                    eprintln!("ingest bench: {} unbound not measured: {e:#}", query.name);
                    continue;
                }
                Err(e) => return Err(e),
            };
            let mut times = Vec::with_capacity(QUERY_RUNS);
            // A query slower than the whole budget is reported from its one (cold) run.
            let cold = first_ms > QUERY_BUDGET_MS;
            if cold {
                times.push(first_ms);
            } else {
                for _ in 1..QUERY_WARMUP {
                    run()?;
                }
                let mut spent = 0.0;
                while times.len() < QUERY_RUNS && (times.len() < QUERY_MIN_RUNS || spent < QUERY_BUDGET_MS) {
                    let (n, ms) = run()?;
                    rows = n;
                    spent += ms;
                    times.push(ms);
                }
            }
            times.sort_by(f64::total_cmp);
            let result = QueryRun {
                name: query.name.to_owned(),
                disease: shown.clone(),
                timed_out: false,
                peak_rss_kb: peak_rss_kb(),
                binding,
                rows,
                runs: times.len(),
                cold,
                p50_ms: percentile(&times, 0.50),
                p95_ms: percentile(&times, 0.95),
                max_ms: times.last().copied().unwrap_or(0.0),
            };
            println!("{RESULT_MARKER}{}", serde_json::to_string(&result)?);
            std::io::stdout().flush()?;
        }
    }
    Ok(())
}

/// `GARD:0012547` when the store describes it, else the first disease.
fn bench_disease(store: &GraphStore) -> anyhow::Result<NamedNode> {
    let reference = vocab::expand_curie(REFERENCE_DISEASE).context("GARD prefix")?;
    let ask = format!("ASK {{ <{}> ?p ?o }}", reference.as_str());
    if let QueryResults::Boolean(true) = store.query(&ask)? {
        return Ok(reference);
    }
    let first = format!("SELECT ?d WHERE {{ ?d a <{}> }} ORDER BY ?d LIMIT 1", vocab::biolink::DISEASE.as_str());
    let found = first_value_term(store, &first)?.context("the store holds no disease")?;
    match found {
        Term::NamedNode(n) => Ok(n),
        other => bail!("the first disease is not an IRI: {other}"),
    }
}

fn first_value_term(store: &GraphStore, query: &str) -> anyhow::Result<Option<Term>> {
    if let QueryResults::Solutions(mut solutions) = store.query(query)? {
        if let Some(solution) = solutions.next() {
            return Ok(solution?.values().iter().flatten().next().cloned());
        }
    }
    Ok(None)
}

fn first_value(store: &GraphStore, query: &str) -> anyhow::Result<Option<String>> {
    Ok(first_value_term(store, query)?.map(|t| match t {
        Term::Literal(l) => l.value().to_owned(),
        other => other.to_string(),
    }))
}

/// Reads every result, as a client would; returns the number of rows (or triples).
fn consume(results: QueryResults<'_>) -> anyhow::Result<usize> {
    let mut n = 0;
    match results {
        QueryResults::Solutions(solutions) => {
            for s in solutions {
                std::hint::black_box(s?);
                n += 1;
            }
        }
        QueryResults::Graph(triples) => {
            for t in triples {
                std::hint::black_box(t?);
                n += 1;
            }
        }
        QueryResults::Boolean(b) => {
            std::hint::black_box(b);
            n = 1;
        }
    }
    Ok(n)
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p * as_f64(sorted.len())).ceil();
    let index = (1..=sorted.len()).find(|i| as_f64(*i) >= rank).unwrap_or(sorted.len()) - 1;
    sorted[index]
}

/// This process's peak resident set size (`VmHWM`), in KiB; 0 where `/proc` is missing.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time (user + system, all threads) this process has used, in seconds; 0 where `/proc` is missing.
fn cpu_secs() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // After the `)` that ends the command name come fields 3 (state) onwards; utime and stime are fields 14 and 15,
    // in clock ticks of 1/100 s (Linux's USER_HZ).
    let Some((_, rest)) = stat.rsplit_once(')') else { return 0.0 };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u32>().ok()).unwrap_or(0);
    f64::from(ticks(11)) / 100.0 + f64::from(ticks(12)) / 100.0
}

/// The `.sst` files and total bytes of a RocksDB folder.
fn disk_usage(dir: &Path) -> (usize, u64) {
    let mut files = 0;
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if let Ok(meta) = entry.metadata() {
            bytes += meta.len();
        }
        if entry.path().extension().is_some_and(|e| e == "sst") {
            files += 1;
        }
    }
    (files, bytes)
}

/// The 1-minute load average.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn secs(since: Instant) -> f64 {
    since.elapsed().as_secs_f64()
}

#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn as_f64(n: usize) -> f64 {
    n as f64
}

#[allow(clippy::cast_precision_loss)] // sizes far below 2^52
fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

#[allow(clippy::cast_precision_loss)] // sizes far below 2^52
fn rss_mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

// ---------------------------------------------------------------------------------------------------------------
// The parent: orchestration and the report
// ---------------------------------------------------------------------------------------------------------------

/// Runs one phase in a child process and returns its result.
fn child<T: for<'de> Deserialize<'de>>(options: &Options, args: &[&str]) -> anyhow::Result<T> {
    let exe = std::env::current_exe().context("cannot find the benchmark binary")?;
    let mut all: Vec<String> = options.child_args();
    all.extend(args.iter().map(|a| (*a).to_owned()));
    let output = Command::new(&exe)
        .args(&all)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run {}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("phase `{}` failed ({}): {}", all.join(" "), output.status, stdout.trim());
    }
    let json = stdout
        .lines()
        .find_map(|l| l.strip_prefix(RESULT_MARKER))
        .with_context(|| format!("phase `{}` printed no result", all.join(" ")))?;
    serde_json::from_str(json).with_context(|| format!("phase `{}`: unreadable result", all.join(" ")))
}

/// Runs one canned query's phase in a child, stopping it after `QUERY_TIMEOUT_S`; returns what finished, plus a
/// timed-out row for the binding that was running when it was stopped.
fn query_child(options: &Options, name: &str, store: &Path) -> anyhow::Result<Vec<QueryRun>> {
    let exe = std::env::current_exe().context("cannot find the benchmark binary")?;
    let mut args = options.child_args();
    args.extend(["--phase", "query", "--query", name, "--store", path_arg(store)?].map(str::to_owned));
    let mut process = Command::new(&exe)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot run {}", exe.display()))?;
    let stdout = process.stdout.take().context("no stdout")?;
    let reader = std::thread::spawn(move || {
        std::io::BufRead::lines(BufReader::new(stdout)).map_while(Result::ok).collect::<Vec<String>>()
    });
    let deadline = Instant::now() + std::time::Duration::from_secs(QUERY_TIMEOUT_S);
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = process.try_wait()? {
            break Some(status);
        }
        if Instant::now() >= deadline {
            timed_out = true;
            process.kill()?;
            process.wait()?;
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let lines = reader.join().map_err(|_| anyhow!("the reader thread panicked"))?;
    let mut runs = Vec::new();
    let mut running = None;
    for line in &lines {
        if let Some(binding) = line.strip_prefix(START_MARKER) {
            running = Some(binding.to_owned());
        } else if let Some(json) = line.strip_prefix(RESULT_MARKER) {
            runs.push(
                serde_json::from_str::<QueryRun>(json).with_context(|| format!("query {name}: unreadable result"))?,
            );
            running = None;
        }
    }
    if let Some(status) = status.filter(|s| !s.success()) {
        bail!("query phase {name} failed ({status})");
    }
    if timed_out {
        runs.push(QueryRun {
            name: name.to_owned(),
            disease: String::new(),
            timed_out: true,
            peak_rss_kb: 0,
            binding: running.unwrap_or_else(|| "?".to_owned()),
            rows: 0,
            runs: 0,
            cold: true,
            p50_ms: f64::NAN,
            p95_ms: f64::NAN,
            max_ms: f64::NAN,
        });
    }
    Ok(runs)
}

fn path_arg(path: &Path) -> anyhow::Result<&str> {
    path.to_str().with_context(|| format!("{} is not UTF-8", path.display()))
}

fn run_all(options: &Options) -> anyhow::Result<()> {
    let corpus = corpus_dir()?;
    let inputs = corpus_inputs(options.quick)?;
    let machine = Machine::probe(&corpus, inputs.len());
    let tmp_base = options.tmp.clone().unwrap_or_else(std::env::temp_dir);
    let tmp = tempfile::Builder::new()
        .prefix("gardkg-bench-")
        .tempdir_in(&tmp_base)
        .with_context(|| format!("cannot create a temporary folder in {}", tmp_base.display()))?;
    let progress = |what: &str| eprintln!("ingest bench: {what}");

    let mut ingest_1x = Vec::new();
    for i in 0..options.runs {
        progress(&format!("gardkg ingest 1x, run {}/{} ({} pages)", i + 1, options.runs, inputs.len()));
        let store = tmp.path().join(format!("ingest-1x-{i}"));
        let run: IngestRun = child(options, &["--phase", "ingest", "--scale", "1", "--store", path_arg(&store)?])?;
        if i + 1 < options.runs {
            std::fs::remove_dir_all(&store)?;
        }
        ingest_1x.push(run);
    }
    let store_1x = tmp.path().join(format!("ingest-1x-{}", options.runs - 1));

    // The corpus modeled and loaded in one chunk, as `gardkg ingest` did before streaming: shows what chunking costs.
    let mut one_batch = None;
    if inputs.len() > options.chunk {
        progress("gardkg ingest 1x in one batch, 1 run");
        let store = tmp.path().join("ingest-1x-one-batch");
        let all = inputs.len().to_string();
        let run: IngestRun =
            child(options, &["--phase", "ingest", "--scale", "1", "--chunk", &all, "--store", path_arg(&store)?])?;
        std::fs::remove_dir_all(&store)?;
        one_batch = Some(run);
    }

    // Processing and loading in turn, as gardkg did before the overlap: shows what the overlap hides.
    progress("gardkg ingest 1x, processing and loading in turn, 1 run");
    let store = tmp.path().join("ingest-1x-alternate");
    let alternate: IngestRun =
        child(options, &["--phase", "ingest", "--scale", "1", "--alternate", "--store", path_arg(&store)?])?;
    std::fs::remove_dir_all(&store)?;

    progress("export, every format");
    let export_dir = tmp.path().join("export");
    let export: ExportPhase =
        child(options, &["--phase", "export", "--store", path_arg(&store_1x)?, "--out", path_arg(&export_dir)?])?;

    let mut floor = Vec::new();
    for i in 0..options.runs {
        progress(&format!("Oxigraph bulk load of the N-Quads, run {}/{}", i + 1, options.runs));
        let store = tmp.path().join(format!("oxigraph-{i}"));
        let run: FloorRun = child(
            options,
            &["--phase", "oxigraph-load", "--file", path_arg(&export.nquads)?, "--store", path_arg(&store)?],
        )?;
        std::fs::remove_dir_all(&store)?;
        floor.push(run);
    }

    let mut python_floor = Vec::new();
    for i in 0..options.runs {
        progress(&format!("pyoxigraph bulk_load of the N-Quads, run {}/{}", i + 1, options.runs));
        let store = tmp.path().join(format!("pyoxigraph-{i}"));
        let Some(run) = pyoxigraph_load(&export.nquads, &store)? else {
            progress("pyoxigraph is not installed (pip install 'pyoxigraph==0.5.*'): its floor is not measured");
            break;
        };
        std::fs::remove_dir_all(&store)?;
        python_floor.push(run);
    }

    let mut runs = Vec::new();
    for query in queries::ALL {
        progress(&format!("canned query {} (up to {QUERY_RUNS} runs per binding)", query.name));
        runs.extend(query_child(options, query.name, &store_1x)?);
    }
    let queries = QueryPhase {
        disease: runs.iter().find(|r| !r.timed_out).map(|r| r.disease.clone()).unwrap_or_default(),
        runs: QUERY_RUNS,
        peak_rss_kb: runs.iter().map(|r| r.peak_rss_kb).max().unwrap_or(0),
        queries: runs,
    };
    std::fs::remove_dir_all(&export_dir)?;

    let mut scaled = Vec::new();
    for i in 0..options.runs_10x() {
        progress(&format!("gardkg ingest {SCALE}x, run {}/{}", i + 1, options.runs_10x()));
        let store = tmp.path().join(format!("ingest-10x-{i}"));
        let scale = SCALE.to_string();
        let run: IngestRun = child(options, &["--phase", "ingest", "--scale", &scale, "--store", path_arg(&store)?])?;
        std::fs::remove_dir_all(&store)?;
        scaled.push(run);
    }

    let mut machine = machine;
    machine.load_end = load_average();
    let hash = machine.hash.clone();
    let report =
        Report { options, machine, ingest_1x, one_batch, alternate, scaled, floor, python_floor, export, queries }
            .markdown();
    println!("{report}");
    if options.save {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches").join("results");
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let suffix = if options.quick { "-quick" } else { "" };
        let file = dir.join(format!("{}-{hash}{suffix}.md", report_date()));
        let latest = dir.join(format!("latest{suffix}.md"));
        std::fs::write(&file, &report).with_context(|| format!("cannot write {}", file.display()))?;
        std::fs::write(&latest, &report).with_context(|| format!("cannot write {}", latest.display()))?;
        eprintln!("ingest bench: wrote {} and {}", file.display(), latest.display());
    }
    Ok(())
}

/// The machine and the build.
struct Machine {
    date: String,
    commit: String,
    cpu: String,
    nproc: usize,
    memory: String,
    profile: String,
    rustc: String,
    corpus: String,
    pages: usize,
    /// The short commit hash when the run started (the file name uses it too).
    hash: String,
    load_start: String,
    load_end: String,
}

impl Machine {
    fn probe(corpus: &Path, pages: usize) -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, v)| v.trim()))
            .unwrap_or("unknown")
            .to_owned();
        let memory = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                m.lines()
                    .find_map(|l| l.strip_prefix("MemTotal:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            })
            .map_or_else(|| "unknown".to_owned(), |kb| format!("{:.1} GiB", rss_mb(kb) / 1024.0));
        let mut profile = if cfg!(debug_assertions) {
            "dev (debug assertions on: NOT representative)".to_owned()
        } else {
            "optimized, debug assertions off (`cargo bench` uses the release settings)".to_owned()
        };
        // How the binary was built, when it was not a plain `cargo bench` (e.g. profile overrides).
        if let Some(note) = std::env::var("GARDKG_BENCH_BUILD_NOTE").ok().filter(|n| !n.trim().is_empty()) {
            let _ = write!(profile, "; {}", note.trim());
        }
        let hash = report_hash();
        let mut commit = hash.clone();
        if git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty()) {
            commit.push_str(" (with uncommitted changes)");
        }
        Machine {
            date: report_timestamp(),
            commit,
            cpu,
            nproc: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            memory,
            profile,
            rustc: command_line("rustc", &["--version"]).unwrap_or_else(|| "unknown".to_owned()),
            corpus: corpus.display().to_string(),
            pages,
            hash,
            load_start: load_average(),
            load_end: String::new(),
        }
    }
}

fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).stderr(Stdio::null()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn git(args: &[&str]) -> Option<String> {
    let mut all = vec!["-C", env!("CARGO_MANIFEST_DIR")];
    all.extend_from_slice(args);
    command_line("git", &all)
}

/// The short commit hash, or `local` outside a git checkout.
fn report_hash() -> String {
    git(&["rev-parse", "--short", "HEAD"]).filter(|h| !h.is_empty()).unwrap_or_else(|| "local".to_owned())
}

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

fn report_date() -> String {
    gardkg::export::civil_date(now_secs().div_euclid(86_400))
}

fn report_timestamp() -> String {
    let secs = now_secs();
    let of_day = secs.rem_euclid(86_400);
    format!("{} {:02}:{:02} UTC", report_date(), of_day / 3600, of_day % 3600 / 60)
}

/// The run whose total time is the median (the lower middle one for an even count).
fn median_run<T: Clone>(runs: &[T], total: impl Fn(&T) -> f64) -> T {
    let mut sorted: Vec<&T> = runs.iter().collect();
    sorted.sort_by(|a, b| total(a).total_cmp(&total(b)));
    sorted[(sorted.len() - 1) / 2].clone()
}

/// Rows `| part | a | b | a/b |` of two ingest runs.
fn comparison_rows(md: &mut String, rows: &[(&str, Part)], a: &IngestRun, b: &IngestRun) {
    for (name, part) in rows {
        let _ = writeln!(md, "| {name} | {:.2} s | {:.2} s | {} |", part(a), part(b), times(ratio(part(a), part(b))));
    }
}

fn verdict(met: bool) -> &'static str {
    if met { "**met**" } else { "**missed**" }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

/// A ratio as a table cell: `1.23x`, or empty when there is none (a part of zero time).
fn times(r: f64) -> String {
    if r.is_finite() { format!("{r:.2}x") } else { String::new() }
}

/// Reads one part of a run's time.
type Part = fn(&IngestRun) -> f64;

struct Report<'a> {
    options: &'a Options,
    machine: Machine,
    ingest_1x: Vec<IngestRun>,
    one_batch: Option<IngestRun>,
    /// One run with processing and loading in turn (no overlap).
    alternate: IngestRun,
    scaled: Vec<IngestRun>,
    floor: Vec<FloorRun>,
    /// pyoxigraph's `bulk_load` of the same N-Quads (empty when pyoxigraph is not installed).
    python_floor: Vec<FloorRun>,
    export: ExportPhase,
    queries: QueryPhase,
}

impl Report<'_> {
    fn markdown(&self) -> String {
        let mut md = String::new();
        self.header(&mut md);
        let one = median_run(&self.ingest_1x, |r| r.total_s);
        let ten = median_run(&self.scaled, |r| r.total_s);
        let floor = median_run(&self.floor, |r| r.total_s);
        Self::floor_table(&mut md, &one, &floor);
        self.python_floor_table(&mut md, &one);
        self.split_table(&mut md, &one, &ten, &floor);
        self.overlap_table(&mut md, &one);
        self.scaling_table(&mut md, &one, &ten);
        self.query_table(&mut md);
        self.export_table(&mut md);
        self.runs_table(&mut md);
        Self::observations(&mut md, &one, &ten, &floor);
        md
    }

    fn header(&self, md: &mut String) {
        let m = &self.machine;
        let o = self.options;
        let _ = writeln!(md, "# gardkg ingest benchmark\n");
        let _ = writeln!(md, "| | |\n|---|---|");
        let _ = writeln!(md, "| date | {} |", m.date);
        let _ = writeln!(md, "| commit | {} |", m.commit);
        let _ = writeln!(md, "| machine | {} CPUs (nproc), {}, {} RAM |", m.nproc, m.cpu, m.memory);
        let _ = writeln!(md, "| build profile | {} |", m.profile);
        let _ = writeln!(
            md,
            "| load average (1 min) | {} at the start, {} at the end (other work on the machine skews timings) |",
            m.load_start, m.load_end
        );
        let _ = writeln!(md, "| compiler | {} |", m.rustc);
        let _ = writeln!(
            md,
            "| corpus | `{}`: {} pages{} |",
            m.corpus,
            m.pages,
            if o.quick { " (--quick: the first 200)" } else { "" }
        );
        let _ = writeln!(
            md,
            "| runs | {} per ingest and Oxigraph load ({} at {SCALE}x), median reported; queries: {} warm-up + {} timed runs |",
            o.runs,
            o.runs_10x(),
            QUERY_WARMUP,
            self.queries.runs
        );
        let _ = writeln!(
            md,
            "| chunk | {} pages read+modeled in parallel and handed to one bulk load (committed once), the next chunk modeled while one loads |\n",
            o.chunk
        );
    }

    fn floor_table(md: &mut String, one: &IngestRun, floor: &FloorRun) {
        let r = ratio(one.total_s, floor.total_s);
        let _ = writeln!(md, "## Whole-corpus ingest against Oxigraph's bare bulk load (1x)\n");
        let _ = writeln!(
            md,
            "| measure | gardkg ingest | Oxigraph bulk loader (floor) | ratio gardkg/floor | target | status |"
        );
        let _ = writeln!(md, "|---|---:|---:|---:|---|---|");
        let _ = writeln!(
            md,
            "| wall time | {:.2} s | {:.2} s | {r:.2}x | ≤ {TARGET_FLOOR_RATIO}x | {} |",
            one.total_s,
            floor.total_s,
            verdict(r <= TARGET_FLOOR_RATIO)
        );
        let _ = writeln!(
            md,
            "| wall time, issue 13's goal | | | {r:.2}x | ≤ {GOAL_FLOOR_RATIO:.1}x | {} |",
            verdict(r <= GOAL_FLOOR_RATIO)
        );
        let without_startup = one.total_s - one.startup_s();
        let _ = writeln!(
            md,
            "| wall time without startup (lexicons) | {without_startup:.2} s | {:.2} s | {:.2}x | (information) | |",
            floor.total_s,
            ratio(without_startup, floor.total_s)
        );
        let _ = writeln!(
            md,
            "| pages/s | {:.0} | {:.0} | | | |",
            as_f64(one.pages) / one.total_s,
            as_f64(one.pages) / floor.total_s
        );
        let _ = writeln!(
            md,
            "| quads/s | {:.0} | {:.0} | {:.2}x | | |",
            as_f64(one.quads) / one.total_s,
            as_f64(floor.quads) / floor.total_s,
            ratio(as_f64(floor.quads) / floor.total_s, as_f64(one.quads) / one.total_s)
        );
        let _ = writeln!(
            md,
            "| quads | {} produced, {} stored | {} stored ({:.1} MB of N-Quads) | | | |",
            one.quads,
            one.stored_quads,
            floor.quads,
            mb(floor.file_bytes)
        );
        let _ = writeln!(
            md,
            "| peak RSS | {:.0} MB | {:.0} MB | {:.2}x | | |\n",
            rss_mb(one.peak_rss_kb),
            rss_mb(floor.peak_rss_kb),
            ratio(rss_mb(one.peak_rss_kb), rss_mb(floor.peak_rss_kb))
        );
        let _ = writeln!(
            md,
            "The floor loads the N-Quads that `GraphStore::dump` wrote from the 1x store (page graphs plus the \
             metadata graph) into a fresh on-disk store: open, `bulk_loader().load_from_reader`, `commit`, `flush`. \
             gardkg's time runs from opening the store to the final flush, lexicon loading included.\n"
        );
    }

    /// gardkg against pyoxigraph's `bulk_load` of the same quads (the loader Python users call).
    fn python_floor_table(&self, md: &mut String, one: &IngestRun) {
        let _ = writeln!(md, "### Against pyoxigraph's `bulk_load` (1x)\n");
        if self.python_floor.is_empty() {
            let _ = writeln!(md, "Not measured: pyoxigraph is not installed (`pip install 'pyoxigraph==0.5.*'`).\n");
            return;
        }
        let py = median_run(&self.python_floor, |r| r.total_s);
        let _ = writeln!(
            md,
            "| measure | gardkg ingest | pyoxigraph {} `Store.bulk_load` | ratio |",
            py.version.as_deref().unwrap_or("?")
        );
        let _ = writeln!(md, "|---|---:|---:|---:|");
        let _ = writeln!(
            md,
            "| wall time | {:.2} s | {:.2} s | {:.2}x |",
            one.total_s,
            py.total_s,
            ratio(one.total_s, py.total_s)
        );
        let _ = writeln!(
            md,
            "| quads stored | {} | {} | |\n| peak RSS | {:.0} MB | {:.0} MB | {:.2}x |\n",
            one.stored_quads,
            py.quads,
            rss_mb(one.peak_rss_kb),
            rss_mb(py.peak_rss_kb),
            ratio(rss_mb(one.peak_rss_kb), rss_mb(py.peak_rss_kb))
        );
        let _ = writeln!(
            md,
            "`benches/pyoxigraph_load.py` opens a fresh store, `bulk_load(path=…, format=RdfFormat.N_QUADS)`, `flush()`, \
             timed inside Python (interpreter start-up excluded); median of {} runs.\n",
            self.python_floor.len()
        );
    }

    /// The overlapped ingest against one run that processes and loads each chunk in turn.
    fn overlap_table(&self, md: &mut String, one: &IngestRun) {
        let alt = &self.alternate;
        let _ = writeln!(md, "### Processing hidden behind loading (1x)\n");
        let _ = writeln!(md, "| part | overlapped (`gardkg::pipeline::overlapped`) | in turn | ratio |");
        let _ = writeln!(md, "|---|---:|---:|---:|");
        let rows: [(&str, Part); 5] = [
            ("read + recognize + model", |r| r.process_s),
            ("store load", |r| r.load_s),
            ("both, wall time", |r| r.chunks_s),
            ("hidden by the overlap", IngestRun::hidden_s),
            ("**total**", |r| r.total_s),
        ];
        comparison_rows(md, &rows, one, alt);
        let _ = writeln!(
            md,
            "\nOverlapped: a producer thread models chunk n+1 on the rayon pool while the caller bulk-loads chunk n \
             (a rendezvous channel between them, so at most two chunks are in memory); peak RSS {:.0} MB against \
             {:.0} MB in turn. One run in turn, not part of the medians above.\n",
            rss_mb(one.peak_rss_kb),
            rss_mb(alt.peak_rss_kb)
        );
    }

    fn split_table(&self, md: &mut String, one: &IngestRun, ten: &IngestRun, floor: &FloorRun) {
        let _ = writeln!(md, "## Where gardkg's time goes\n");
        let _ = writeln!(
            md,
            "\"cores\" is CPU time / wall time of the part (all threads of the process, RocksDB's background \
             threads included): about {} means all cores busy, 1.0 one core.\n",
            self.machine.nproc
        );
        let _ = writeln!(md, "| part | 1x | share | cores | {SCALE}x | share | cores | ratio {SCALE}x/1x |");
        let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|");
        // Overlapped, the CPU of processing and loading cannot be told apart (both run at once): no "cores" then.
        let rows: [(&str, Part, Option<Part>); 10] = [
            ("open the store", |r| r.open_s, None),
            ("startup: HPO lexicon (`Ontology::bundled`)", |r| r.hpo_s, None),
            ("startup: Mondo mappings (`Mappings::bundled`)", |r| r.mappings_s, None),
            ("startup: matcher build (`Pipeline::new`)", |r| r.pipeline_s, Some(|r| r.startup_cpu / r.startup_s())),
            (
                "read + recognize + model (rayon)",
                |r| r.process_s,
                Some(|r| if r.overlapped { f64::NAN } else { r.process_cpu / r.process_s }),
            ),
            (
                "store load (`PageLoader::load` per chunk, `commit`)",
                |r| r.load_s,
                Some(|r| if r.overlapped { f64::NAN } else { r.load_cpu / r.load_s }),
            ),
            ("hidden: the two above at once (overlap)", |r| -r.hidden_s(), None),
            ("metadata graph + flush (`refresh_meta`, `flush`)", |r| r.meta_s, Some(|r| r.meta_cpu / r.meta_s)),
            ("other (collecting, dropping)", IngestRun::other_s, None),
            ("**total**", |r| r.total_s, Some(|r| r.total_cpu / r.total_s)),
        ];
        for (name, part, cores) in rows {
            let cores = |r: &IngestRun| {
                cores.map(|c| c(r)).filter(|c| c.is_finite()).map(|c| format!("{c:.2}")).unwrap_or_default()
            };
            let _ = writeln!(
                md,
                "| {name} | {:.2} s | {:.0}% | {} | {:.2} s | {:.0}% | {} | {} |",
                part(one),
                100.0 * ratio(part(one), one.total_s),
                cores(one),
                part(ten),
                100.0 * ratio(part(ten), ten.total_s),
                cores(ten),
                times(ratio(part(ten).abs(), part(one).abs()))
            );
        }
        let _ = writeln!(
            md,
            "\nThe startup \"cores\" figure covers all three startup rows. For comparison, the floor's whole load \
             of the same quads took {:.2} s ({:.2} cores); gardkg's store load alone took {:.2}x that.\n",
            floor.total_s,
            floor.total_cpu / floor.total_s,
            ratio(one.load_s, floor.total_s)
        );
        let _ = writeln!(md, "| store on disk after ingest | gardkg 1x | {SCALE}x | Oxigraph floor (1x) |");
        let _ = writeln!(md, "|---|---:|---:|---:|");
        let _ = writeln!(
            md,
            "| RocksDB table files (`.sst`) | {} | {} | {} |",
            one.sst_files, ten.sst_files, floor.sst_files
        );
        let _ = writeln!(
            md,
            "| bytes | {:.1} MB | {:.1} MB | {:.1} MB |",
            mb(one.store_bytes),
            mb(ten.store_bytes),
            mb(floor.store_bytes)
        );
        let _ = writeln!(md, "| chunks handed to the loader | {} | {} | 1 |\n", one.chunks, ten.chunks);
        if let Some(batch) = &self.one_batch {
            let _ = writeln!(md, "### Chunked against one batch (1x)\n");
            let _ =
                writeln!(md, "| part | chunks of {} ({} chunks) | one chunk | ratio |", self.options.chunk, one.chunks);
            let _ = writeln!(md, "|---|---:|---:|---:|");
            let rows: [(&str, Part); 4] = [
                ("read + recognize + model", |r| r.process_s),
                ("store load", |r| r.load_s),
                ("metadata graph + flush", |r| r.meta_s),
                ("**total**", |r| r.total_s),
            ];
            comparison_rows(md, &rows, one, batch);
            let _ = writeln!(
                md,
                "| peak RSS | {:.0} MB | {:.0} MB | {:.2}x |\n",
                rss_mb(one.peak_rss_kb),
                rss_mb(batch.peak_rss_kb),
                ratio(rss_mb(one.peak_rss_kb), rss_mb(batch.peak_rss_kb))
            );
            let _ = writeln!(md, "One run of the one-batch variant; it is not part of the medians above.\n");
        }
    }

    fn scaling_table(&self, md: &mut String, one: &IngestRun, ten: &IngestRun) {
        let time_ratio = ratio(ten.total_s, one.total_s);
        let rss = rss_mb(ten.peak_rss_kb);
        let _ = writeln!(md, "## Scaling: {SCALE}x the corpus\n");
        let _ = writeln!(
            md,
            "Each page is read {SCALE} times; copy k gets GARD id number + k × {ID_STRIDE} (pages without an id get \
             a distinct title), so the {SCALE}x store holds {SCALE} times as many distinct page graphs.\n"
        );
        let _ = writeln!(md, "| measure | 1x | {SCALE}x | ratio {SCALE}x/1x | target | status |");
        let _ = writeln!(md, "|---|---:|---:|---:|---|---|");
        let _ = writeln!(
            md,
            "| wall time | {:.2} s | {:.2} s | {time_ratio:.2}x | ≤ {TARGET_SCALING}x | {} |",
            one.total_s,
            ten.total_s,
            verdict(time_ratio <= TARGET_SCALING)
        );
        let _ = writeln!(
            md,
            "| pages | {} | {} | {:.2}x | | |",
            one.pages,
            ten.pages,
            ratio(as_f64(ten.pages), as_f64(one.pages))
        );
        let _ = writeln!(
            md,
            "| quads produced | {} | {} | {:.2}x | | |",
            one.quads,
            ten.quads,
            ratio(as_f64(ten.quads), as_f64(one.quads))
        );
        let _ = writeln!(
            md,
            "| pages/s | {:.0} | {:.0} | {:.2}x | | |",
            as_f64(one.pages) / one.total_s,
            as_f64(ten.pages) / ten.total_s,
            ratio(as_f64(ten.pages) / ten.total_s, as_f64(one.pages) / one.total_s)
        );
        let _ = writeln!(
            md,
            "| quads/s | {:.0} | {:.0} | {:.2}x | | |",
            as_f64(one.quads) / one.total_s,
            as_f64(ten.quads) / ten.total_s,
            ratio(as_f64(ten.quads) / ten.total_s, as_f64(one.quads) / one.total_s)
        );
        let _ = writeln!(
            md,
            "| peak RSS | {:.0} MB | {rss:.0} MB | {:.2}x | ≤ {TARGET_RSS_MB:.0} MB at {SCALE}x | {} |",
            rss_mb(one.peak_rss_kb),
            ratio(rss, rss_mb(one.peak_rss_kb)),
            verdict(rss <= TARGET_RSS_MB)
        );
        let skipped = one.failed + one.duplicates + ten.failed + ten.duplicates;
        if skipped > 0 {
            let _ = writeln!(
                md,
                "\nSkipped pages: 1x {} unreadable, {} duplicate keys; {SCALE}x {} unreadable, {} duplicate keys.",
                one.failed, one.duplicates, ten.failed, ten.duplicates
            );
        }
        let _ = writeln!(
            md,
            "\nPeak RSS is `VmHWM` of the child process that ran the phase (lexicons, rayon workers, RocksDB caches \
             and the bulk loader's buffers included).{}\n",
            if self.options.runs_10x() < self.options.runs {
                " Fewer runs at 10x than at 1x (`--runs-10x`)."
            } else {
                ""
            }
        );
    }

    fn query_table(&self, md: &mut String) {
        let q = &self.queries;
        let _ = writeln!(md, "## Canned queries on the 1x store\n");
        let _ = writeln!(
            md,
            "Each query and binding runs {} times after {QUERY_WARMUP} warm-up runs (fewer when the timed runs pass \
             {:.0} s, at least {QUERY_MIN_RUNS}; only the first, cold run when that one alone passes it), every result \
             read; times include parsing the query. A query still running after {QUERY_TIMEOUT_S} s is stopped. \
             Bound runs use {}.\n",
            q.runs,
            QUERY_BUDGET_MS / 1000.0,
            q.disease
        );
        let _ = writeln!(md, "| query | binding | rows | runs | p50 | p95 | max | target p50 | status |");
        let _ = writeln!(md, "|---|---|---:|---:|---:|---:|---:|---|---|");
        for r in &q.queries {
            let binding = r.binding.replace('|', "\\|");
            if r.timed_out {
                let _ = writeln!(
                    md,
                    "| {} | {binding} | | 0 | > {QUERY_TIMEOUT_S} s (stopped) | | | ≤ {TARGET_QUERY_P50_MS} ms | {} |",
                    r.name,
                    verdict(false)
                );
                continue;
            }
            let _ = writeln!(
                md,
                "| {} | {binding} | {} | {}{} | {:.2} ms | {:.2} ms | {:.2} ms | ≤ {TARGET_QUERY_P50_MS} ms | {} |",
                r.name,
                r.rows,
                r.runs,
                if r.cold { " (cold)" } else { "" },
                r.p50_ms,
                r.p95_ms,
                r.max_ms,
                verdict(r.p50_ms <= TARGET_QUERY_P50_MS)
            );
        }
        let met = q.queries.iter().filter(|r| !r.timed_out && r.p50_ms <= TARGET_QUERY_P50_MS).count();
        let _ = writeln!(
            md,
            "\n{met} of {} query runs meet the p50 target. Peak RSS of the query phase: {:.0} MB.\n",
            q.queries.len(),
            rss_mb(q.peak_rss_kb)
        );
    }

    fn export_table(&self, md: &mut String) {
        let e = &self.export;
        let _ = writeln!(md, "## Export of the 1x store ({} quads)\n", e.quads);
        let _ = writeln!(md, "| format | time | size | MB/s | quads/s |");
        let _ = writeln!(md, "|---|---:|---:|---:|---:|");
        for x in &e.exports {
            let _ = writeln!(
                md,
                "| {} | {:.2} s | {:.1} MB | {:.1} | {:.0} |",
                x.format,
                x.seconds,
                mb(x.bytes),
                mb(x.bytes) / x.seconds,
                as_f64(e.quads) / x.seconds
            );
        }
        let _ = writeln!(
            md,
            "\nOne run per format (`GraphStore::dump` of the whole store to a buffered file). Triple formats get the \
             union of all graphs. Peak RSS of the export phase: {:.0} MB.\n",
            rss_mb(e.peak_rss_kb)
        );
    }

    fn runs_table(&self, md: &mut String) {
        let _ = writeln!(md, "## Every run\n");
        let _ = writeln!(
            md,
            "| measurement | run | wall time | CPU time | startup | read+recognize+model | store load | meta+flush | peak RSS |"
        );
        let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        let one_batch: Vec<IngestRun> = self.one_batch.iter().cloned().collect();
        let alternate = vec![self.alternate.clone()];
        for (name, runs) in [
            ("gardkg 1x", &self.ingest_1x),
            ("gardkg 1x one batch", &one_batch),
            ("gardkg 1x in turn", &alternate),
            ("gardkg 10x", &self.scaled),
        ] {
            for (i, r) in runs.iter().enumerate() {
                let _ = writeln!(
                    md,
                    "| {name} | {} | {:.2} s | {:.2} s | {:.2} s | {:.2} s | {:.2} s | {:.2} s | {:.0} MB |",
                    i + 1,
                    r.total_s,
                    r.total_cpu,
                    r.startup_s(),
                    r.process_s,
                    r.load_s,
                    r.meta_s,
                    rss_mb(r.peak_rss_kb)
                );
            }
        }
        for (name, runs) in [("Oxigraph floor", &self.floor), ("pyoxigraph bulk_load", &self.python_floor)] {
            for (i, r) in runs.iter().enumerate() {
                let _ = writeln!(
                    md,
                    "| {name} | {} | {:.2} s | {:.2} s | | | {:.2} s | | {:.0} MB |",
                    i + 1,
                    r.total_s,
                    r.total_cpu,
                    r.total_s,
                    rss_mb(r.peak_rss_kb)
                );
            }
        }
        md.push('\n');
    }

    fn observations(md: &mut String, one: &IngestRun, ten: &IngestRun, floor: &FloorRun) {
        let _ = writeln!(md, "## Observations (computed from the runs above)\n");
        let _ = writeln!(
            md,
            "- Startup (lexicons and matcher) is {:.2} s, {:.0}% of the 1x ingest and {:.0}% of the floor's whole load.",
            one.startup_s(),
            100.0 * ratio(one.startup_s(), one.total_s),
            100.0 * ratio(one.startup_s(), floor.total_s)
        );
        let _ = writeln!(
            md,
            "- Read + recognize + model runs at {:.0} pages/s over {} rayon threads; it is {:.0}% of the 1x ingest.",
            as_f64(one.pages) / one.process_s,
            rayon::current_num_threads(),
            100.0 * ratio(one.process_s, one.total_s)
        );
        let _ = writeln!(
            md,
            "- Processing and loading overlap: {:.2} s of the {:.2} s they take one after the other was hidden at 1x \
             (at most min(process, load) = {:.2} s can be).",
            one.hidden_s(),
            one.process_s + one.load_s,
            one.process_s.min(one.load_s)
        );
        let _ = writeln!(
            md,
            "- `refresh_meta` + flush grows {:.2}x from 1x to {SCALE}x ({:.2} s → {:.2} s).",
            ratio(ten.meta_s, one.meta_s),
            one.meta_s,
            ten.meta_s
        );
    }
}
