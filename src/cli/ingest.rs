//! `gardkg ingest`: read, recognize and store pages, streaming.
//!
//! Two passes keep both promises, "a bad page leaves the store as it was" and "memory bounded at any corpus size":
//! pass 1 reads and checks every page (in parallel) and keeps nothing but its identity; only when all are good
//! (or `--keep-going` is given) does pass 2 read, recognize and model the pages again, a chunk at a time, and write
//! each chunk before the next is built. Pages fetched from URLs are kept from pass 1, never fetched twice.
//!
//! Writing: into a store that was empty, a large batch goes through Oxigraph's bulk loader, fed a chunk at a time
//! and committed once at the end (one atomic load for the batch); otherwise each page is replaced in its own
//! transaction. Either way a page is written whole or not at all: after a crash each page is old or new, and
//! re-running the same ingest completes the batch (unchanged pages are skipped). The metadata graph is recomputed
//! at the end of every run.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use oxigraph::model::NamedNode;
use rayon::prelude::*;
use serde::Serialize;

use gardkg::model::page_key;
use gardkg::model::vocab::{self, PageKey};
use gardkg::page::Page;
use gardkg::pipeline::{Pipeline, Processed};
use gardkg::source::{self, ReadOptions, fetch::FetchLimits};
use gardkg::store::{Change, GraphStore};

use super::IngestArgs;

/// Above this many pages, an empty store is filled by the bulk loader instead of one transaction per page.
const BULK_THRESHOLD: usize = 64;
/// Pages modeled and written together in pass 2: large enough to keep both cores busy, small enough that quads
/// never pile up (a chunk of MedQuAD pages is a few MB of quads; one chunk is written while the next is modeled).
const CHUNK: usize = 256;
/// Per-page lines in the summary only for small batches.
const PAGE_LINES: usize = 20;

#[derive(Debug, Default, Serialize)]
struct Summary {
    store: String,
    pages: usize,
    added: usize,
    replaced: usize,
    unchanged: usize,
    failed: usize,
    quads: usize,
    phenotype_associations: usize,
    negated_phenotypes: usize,
    onsets: usize,
    other_aspects: usize,
    inheritance: usize,
    conditions: usize,
    treatments: usize,
    references: usize,
    prevalences: usize,
    sentences: usize,
    unannotated_sentences: usize,
    warnings: usize,
    seconds: f64,
    peak_rss_mb: Option<f64>,
    failures: Vec<Failure>,
    page_summaries: Vec<PageSummary>,
}

impl Summary {
    /// Adds what each stored page holds.
    fn add_pages(&mut self, processed: &[(&String, Processed)], changes: &[Change], per_page: bool) {
        for ((input, p), change) in processed.iter().zip(changes) {
            match change {
                Change::Added => self.added += 1,
                Change::Replaced => self.replaced += 1,
                Change::Unchanged => self.unchanged += 1,
            }
            let c = &p.graph.counts;
            self.quads += p.graph.quads.len();
            self.phenotype_associations += c.phenotype_associations;
            self.negated_phenotypes += c.negated_phenotypes;
            self.onsets += c.onsets;
            self.other_aspects += c.other_aspects;
            self.inheritance += c.inheritance;
            self.conditions += c.conditions;
            self.treatments += c.treatments;
            self.references += c.references;
            self.prevalences += c.prevalences;
            self.sentences += c.sentences;
            self.unannotated_sentences += c.unannotated_sentences;
            self.warnings += c.warnings;
            if !per_page {
                continue;
            }
            self.page_summaries.push(PageSummary {
                input: (*input).clone(),
                title: p.page.title.clone(),
                disease: vocab::compact_iri(p.graph.disease.as_str())
                    .unwrap_or_else(|| p.graph.disease.as_str().to_owned()),
                change: *change,
                quads: p.graph.quads.len(),
                phenotypes: c.phenotype_associations,
                references: c.references,
                warnings: p.page.warnings.iter().map(|w| format!("{}: {}", w.code.name(), w.message)).collect(),
            });
        }
    }
}

#[derive(Debug, Serialize)]
struct Failure {
    input: String,
    error: String,
}

#[derive(Debug, Serialize)]
struct PageSummary {
    input: String,
    title: String,
    disease: String,
    change: Change,
    quads: usize,
    phenotypes: usize,
    references: usize,
    warnings: Vec<String>,
}

/// How pages are read: the format, the GARD id, and the limits on sizes and downloads.
fn read_options(args: &IngestArgs) -> ReadOptions {
    ReadOptions {
        format: args.format.forced(),
        gard_id: args.gard_id,
        fetch: FetchLimits {
            timeout: Duration::from_secs(args.timeout),
            max_body: args.max_bytes,
            allow_private: args.allow_private_addresses,
            ..FetchLimits::default()
        },
        max_bytes: args.max_bytes,
    }
}

pub fn run(args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let namespace = args.store.namespace()?;
    let inputs = source::expand_inputs(&args.inputs)?;
    for skipped in source::unfollowable_links(&args.inputs) {
        eprintln!("warning: {}", source::sanitize(&skipped));
    }
    if inputs.is_empty() {
        anyhow::bail!("no pages found in {}", args.inputs.join(", "));
    }
    if args.gard_id.is_some() && inputs.len() > 1 {
        anyhow::bail!("--gard-id names one page, but {} inputs were given", inputs.len());
    }
    // The output file is checked first (its format, a temporary file beside it): a bad -o fails before the store
    // changes.
    let output = match &args.output {
        Some(path) => Some((super::export::graphs_format(path)?, super::AtomicFile::create(path)?)),
        None => None,
    };
    // Open the store first: a locked or corrupt store fails before any work is done.
    let (store, store_name) = open_store(args, &namespace)?;
    let pipeline = Pipeline::new(namespace)?;
    let options = read_options(args);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.jobs.unwrap_or(0)).build()?;
    let mut summary = Summary { store: store_name, pages: inputs.len(), ..Summary::default() };

    // Pass 1: every page must read; keep its identity (and the page itself when re-reading would cost a fetch).
    let keep_all = inputs.len() <= CHUNK;
    let progress = Progress::new(inputs.len(), args.quiet, "read");
    let checked: Vec<Result<Checked, String>> = pool.install(|| {
        inputs
            .par_iter()
            .map(|input| {
                let result = source::read(input, &options).map(|mut page| {
                    pipeline.identify(&mut page);
                    let key = page_key(&page);
                    let keep = keep_all || input.starts_with("http://") || input.starts_with("https://");
                    Checked { key, page: keep.then_some(page) }
                });
                progress.inc();
                result.map_err(|e| e.to_string())
            })
            .collect()
    });
    progress.finish();
    let mut good: Vec<(&String, Checked)> = Vec::new();
    for (input, result) in inputs.iter().zip(checked) {
        match result {
            Ok(c) => good.push((input, c)),
            Err(error) => summary.failures.push(Failure { input: input.clone(), error }),
        }
    }
    if !summary.failures.is_empty() && !args.keep_going {
        for f in &summary.failures {
            eprintln!("error: {}", source::sanitize(&f.error));
        }
        eprintln!(
            "gardkg: {} of {} pages could not be read; nothing was written (use --keep-going to ingest the others)",
            summary.failures.len(),
            inputs.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    check_duplicate_keys(&good)?;
    if !args.memory {
        ensure_ontologies(&store, &summary.store, args.quiet)?;
    }

    // Pass 2: model and write a chunk at a time.
    let bulk = good.len() > BULK_THRESHOLD && store.page_graphs()?.is_empty();
    let written = write_chunks(
        &Pass2 { store: &store, pipeline: &pipeline, options: &options, pool: &pool, bulk },
        good,
        args,
        &mut summary,
    )?;
    let releases = pipeline.releases();
    let releases: Vec<(&str, &str)> = releases.iter().map(|(n, r)| (*n, r.as_str())).collect();
    store.refresh_meta(&releases)?;
    store.flush()?;
    // The search index beside the store follows the pages. It is not part of the store: if it cannot be written,
    // the pages stay stored, `gardkg find` refuses the stale index and says how to rebuild it.
    if !args.memory {
        if let Err(e) = gardkg::search::SearchIndex::refresh(&store, &args.store.path()) {
            eprintln!("warning: the search index was not updated: {}", source::sanitize(&e.to_string()));
        }
    }

    if let Some((format, file)) = output {
        super::export::write_graphs(&store, &written.0, &written.1, format, file)?;
    }
    summary.failed = summary.failures.len();
    summary.seconds = started.elapsed().as_secs_f64();
    summary.peak_rss_mb = peak_rss_mb();
    if args.json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &summary)?;
        writeln!(std::io::stdout())?;
    } else if !args.quiet {
        print_summary(&summary, args.output.as_deref())?;
    }
    for f in &summary.failures {
        eprintln!("error: {}", source::sanitize(&f.error));
    }
    Ok(if summary.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// What pass 2 works with.
struct Pass2<'a> {
    store: &'a GraphStore,
    pipeline: &'a Pipeline,
    options: &'a ReadOptions,
    pool: &'a rayon::ThreadPool,
    bulk: bool,
}

/// What `-o` writes: the page graphs written and the descriptions of the terms they use.
type Written = (Vec<NamedNode>, Vec<oxigraph::model::Quad>);

/// Pass 2: model and write the pages a chunk at a time; returns what `-o` needs (when asked).
fn write_chunks(
    pass: &Pass2<'_>,
    good: Vec<(&String, Checked)>,
    args: &IngestArgs,
    summary: &mut Summary,
) -> anyhow::Result<Written> {
    let progress = Progress::new(good.len(), args.quiet, "stored");
    let mut written: Written = (Vec::new(), Vec::new());
    let mut pages = good.into_iter();
    let chunks = std::iter::from_fn(move || {
        let chunk: Vec<(&String, Checked)> = pages.by_ref().take(CHUNK).collect();
        (!chunk.is_empty()).then_some(chunk)
    });
    // Into an empty store, one bulk load for the whole batch, committed at the end (see `GraphStore::page_loader`).
    let mut loader = pass.bulk.then(|| pass.store.page_loader());
    // The next chunk is read and modeled while the last one is written (at most two chunks in memory).
    let model = |chunk| model_chunk(pass, chunk);
    gardkg::pipeline::overlapped(chunks, model, |results| -> anyhow::Result<()> {
        let mut processed = Vec::with_capacity(results.len());
        for (input, result) in results {
            match result {
                Ok(p) => processed.push((input, p)),
                // The file changed between the passes: report it like any unreadable page.
                Err(error) => summary.failures.push(Failure { input: input.clone(), error }),
            }
        }
        if args.output.is_some() {
            written.0.extend(processed.iter().map(|(_, p)| p.graph.graph.clone()));
            written.1.extend(processed.iter().flat_map(|(_, p)| p.graph.descriptions.iter().cloned()));
        }
        if let Some(loader) = loader.as_mut() {
            // A page whose file changed between the passes so that its key now repeats another page's: reported
            // like any unreadable page (the bulk load takes each page once; pass 1 checked the keys it read).
            let mut keys = std::collections::HashSet::new();
            let (processed, repeated): (Vec<_>, Vec<_>) = processed
                .into_iter()
                .partition(|(_, p)| !loader.holds(&p.graph.graph) && keys.insert(p.graph.graph.clone()));
            for (input, p) in repeated {
                let error =
                    format!("{input}: changed while ingesting: it is now {}, as another page", p.graph.key.path());
                summary.failures.push(Failure { input: input.clone(), error });
            }
            // Counted first: the pages then move into the loader.
            summary.add_pages(&processed, &vec![Change::Added; processed.len()], summary.pages <= PAGE_LINES);
            let count = loader.load_owned(processed.into_iter().map(|(_, p)| p.graph))?;
            progress.add(count);
        } else {
            let changes: Vec<Change> =
                processed.iter().map(|(_, p)| pass.store.replace_page(&p.graph)).collect::<Result<_, _>>()?;
            summary.add_pages(&processed, &changes, summary.pages <= PAGE_LINES);
            progress.add(processed.len());
        }
        Ok(())
    })?;
    if let Some(loader) = loader {
        loader.commit()?;
    }
    progress.finish();
    Ok(written)
}

/// Reads (when pass 1 did not keep it) and models every page of a chunk on the pass's thread pool.
fn model_chunk<'i>(
    pass: &Pass2<'_>,
    chunk: Vec<(&'i String, Checked)>,
) -> Vec<(&'i String, Result<Processed, String>)> {
    pass.pool.install(|| {
        chunk
            .into_par_iter()
            .map(|(input, checked)| {
                let page = match checked.page {
                    Some(page) => Ok(page),
                    None => source::read(input, pass.options).map_err(|e| e.to_string()),
                };
                (input, page.map(|page| pass.pipeline.process(page)))
            })
            .collect()
    })
}

/// What pass 1 keeps of a page.
struct Checked {
    key: PageKey,
    page: Option<Page>,
}

fn open_store(args: &IngestArgs, namespace: &vocab::Namespace) -> anyhow::Result<(GraphStore, String)> {
    if args.memory {
        return Ok((GraphStore::memory(namespace.clone())?, "memory".to_owned()));
    }
    let path = args.store.path();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let store = match args.wait {
        None => GraphStore::open(&path, namespace.clone()),
        Some(seconds) => {
            // `--wait` alone (0) waits as long as it takes.
            let wait = if seconds == 0 { Duration::MAX } else { Duration::from_secs(seconds) };
            GraphStore::open_waiting(&path, namespace, wait, |holder| {
                if !args.quiet {
                    eprintln!("waiting: the store is in use by {}", source::sanitize(holder));
                }
            })
        }
    }
    .with_context(|| format!("store {}", path.display()))?
    .recording_changes(args.record_changes);
    Ok((store, path.display().to_string()))
}

/// A new store gets the pinned HPO, MAxO and ECO with their closures (once; again when the pins change). Called
/// after pass 1, so that bad inputs fail without paying for the ontologies.
fn ensure_ontologies(store: &GraphStore, name: &str, quiet: bool) -> anyhow::Result<()> {
    let loaded = gardkg::ontology::ensure_bundled(store).with_context(|| format!("store {name}"))?;
    if !quiet {
        super::ontology::report_loaded(&loaded);
    }
    Ok(())
}

/// Two inputs that are the same page (same GARD id) would overwrite each other: refuse, naming both.
fn check_duplicate_keys(pages: &[(&String, Checked)]) -> anyhow::Result<()> {
    let mut seen: HashMap<&PageKey, &str> = HashMap::new();
    for (input, checked) in pages {
        if let Some(other) = seen.insert(&checked.key, input) {
            anyhow::bail!("{other} and {input} are the same page ({}); ingest one of them", checked.key.path());
        }
    }
    Ok(())
}

/// The peak resident set size of this process (Linux `VmHWM`), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb / 1024.0)
}

/// Progress on standard error: a bar on a terminal, a line every tenth of the work otherwise, nothing with -q.
enum Progress {
    Bar(ProgressBar),
    Lines { label: &'static str, total: usize, done: AtomicUsize, started: Instant },
    Silent,
}

impl Progress {
    fn new(pages: usize, quiet: bool, label: &'static str) -> Self {
        if quiet || pages < 2 {
            return Self::Silent;
        }
        if !std::io::stderr().is_terminal() {
            return Self::Lines { label, total: pages, done: AtomicUsize::new(0), started: Instant::now() };
        }
        let bar = ProgressBar::new(pages as u64);
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{spinner}} {label} {{pos}}/{{len}} pages [{{bar:30}}] {{per_sec}} eta {{eta}}"
            ))
            .expect("valid template")
            .progress_chars("=> "),
        );
        Self::Bar(bar)
    }

    fn inc(&self) {
        self.add(1);
    }

    fn add(&self, n: usize) {
        match self {
            Self::Bar(bar) => bar.inc(n as u64),
            Self::Lines { label, total, done, started } => {
                let before = done.fetch_add(n, Ordering::Relaxed);
                let now = before + n;
                let step = (total / 10).max(50);
                if now / step > before / step || now == *total {
                    let rate =
                        f64::from(u32::try_from(now).unwrap_or(u32::MAX)) / started.elapsed().as_secs_f64().max(1e-9);
                    eprintln!("gardkg: {label} {now}/{total} pages ({rate:.0} pages/s)");
                }
            }
            Self::Silent => {}
        }
    }

    fn finish(&self) {
        if let Self::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

fn print_summary(s: &Summary, output: Option<&std::path::Path>) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let stored = s.added + s.replaced + s.unchanged;
    let rate = |n: usize| f64::from(u32::try_from(n).unwrap_or(u32::MAX)) / s.seconds.max(1e-9);
    writeln!(
        out,
        "ingested {stored} page{} into {} in {:.2} s",
        if stored == 1 { "" } else { "s" },
        s.store,
        s.seconds
    )?;
    let rows: Vec<(&str, String)> = vec![
        (
            "pages",
            format!(
                "{stored} ({} added, {} replaced, {} unchanged, {} failed)",
                s.added, s.replaced, s.unchanged, s.failed
            ),
        ),
        ("quads", format!("{} ({:.0} quads/s, {:.1} pages/s)", s.quads, rate(s.quads), rate(stored))),
        ("phenotype associations", format!("{} ({} negated)", s.phenotype_associations, s.negated_phenotypes)),
        ("disease onsets and courses", s.onsets.to_string()),
        ("other disease aspects", s.other_aspects.to_string()),
        ("modes of inheritance", s.inheritance.to_string()),
        ("associated conditions", s.conditions.to_string()),
        ("treatments", s.treatments.to_string()),
        ("references", s.references.to_string()),
        ("prevalence figures", s.prevalences.to_string()),
        ("sentences", format!("{} ({} unannotated)", s.sentences, s.unannotated_sentences)),
        ("warnings", s.warnings.to_string()),
    ];
    // The widest name and two spaces: "disease onsets and courses" ran into its number at a fixed 24.
    let width = rows.iter().map(|(name, _)| name.len()).max().unwrap_or(0) + 2;
    for (name, value) in rows {
        writeln!(out, "  {name:<width$}{value}")?;
    }
    if let Some(mb) = s.peak_rss_mb {
        writeln!(out, "  {:<width$}{mb:.0} MB", "peak memory")?;
    }
    // Per-page lines only for small batches; a corpus run gets the totals.
    for p in &s.page_summaries {
        writeln!(
            out,
            "  {}  {}  ({}): quads {}, phenotypes {}, references {}",
            p.disease,
            source::sanitize(&p.title),
            serde_json::to_value(p.change)?.as_str().unwrap_or_default(),
            p.quads,
            p.phenotypes,
            p.references
        )?;
        for w in &p.warnings {
            writeln!(out, "    warning: {}", source::sanitize(w))?;
        }
    }
    if let Some(output) = output {
        writeln!(out, "wrote {}", output.display())?;
    }
    Ok(())
}
