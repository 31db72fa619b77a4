//! `gardkg ingest`: read, recognize and store pages.
//!
//! All pages are read and modeled before anything is written, so a bad page without `--keep-going` leaves the
//! store exactly as it was. Each page is then written in its own transaction (or, for a large batch into an empty
//! store, by Oxigraph's bulk loader).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use gardkg::model::vocab::{self, PageKey};
use gardkg::pipeline::{Pipeline, Processed};
use gardkg::source::{self, ReadOptions, fetch::FetchLimits};
use gardkg::store::{Change, GraphStore};

use super::IngestArgs;

/// Above this many pages, an empty store is filled by the bulk loader instead of one transaction per page.
const BULK_THRESHOLD: usize = 64;

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
    references: usize,
    prevalences: usize,
    sentences: usize,
    unannotated_sentences: usize,
    warnings: usize,
    seconds: f64,
    failures: Vec<Failure>,
    page_summaries: Vec<PageSummary>,
}

impl Summary {
    /// Adds what each stored page holds.
    fn add_pages(&mut self, processed: &[(&String, Processed)], changes: &[Option<Change>]) {
        for ((input, p), change) in processed.iter().zip(changes) {
            match change {
                Some(Change::Added) => self.added += 1,
                Some(Change::Replaced) => self.replaced += 1,
                Some(Change::Unchanged) => self.unchanged += 1,
                None => {}
            }
            let c = &p.graph.counts;
            self.quads += p.graph.quads.len();
            self.phenotype_associations += c.phenotype_associations;
            self.negated_phenotypes += c.negated_phenotypes;
            self.references += c.references;
            self.prevalences += c.prevalences;
            self.sentences += c.sentences;
            self.unannotated_sentences += c.unannotated_sentences;
            self.warnings += c.warnings;
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
    change: Option<Change>,
    quads: usize,
    phenotypes: usize,
    references: usize,
    warnings: Vec<String>,
}

pub fn run(args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let namespace = args.store.namespace()?;
    let inputs = source::expand_inputs(&args.inputs)?;
    if inputs.is_empty() {
        anyhow::bail!("no pages found in {}", args.inputs.join(", "));
    }
    if args.gard_id.is_some() && inputs.len() > 1 {
        anyhow::bail!("--gard-id names one page, but {} inputs were given", inputs.len());
    }
    // Open the store first: a locked or corrupt store fails before any work is done.
    let (store, store_name) = if args.memory {
        (GraphStore::memory(namespace.clone())?, "memory".to_owned())
    } else {
        let path = args.store.path();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        (
            GraphStore::open(&path, namespace.clone()).with_context(|| format!("store {}", path.display()))?,
            path.display().to_string(),
        )
    };
    let pipeline = Pipeline::new(namespace)?;
    let options = ReadOptions {
        format: args.format.forced(),
        gard_id: args.gard_id,
        fetch: FetchLimits {
            timeout: Duration::from_secs(args.timeout),
            max_body: args.max_bytes,
            ..FetchLimits::default()
        },
    };

    let progress = Progress::new(inputs.len(), args.quiet);
    let work = || -> Vec<Result<Processed, String>> {
        inputs
            .par_iter()
            .map(|input| {
                let result =
                    source::read(input, &options).map(|page| pipeline.process(page)).map_err(|e| format!("{e}"));
                progress.inc();
                result
            })
            .collect()
    };
    let results = match args.jobs {
        Some(n) => rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build()?.install(work),
        None => work(),
    };
    progress.finish();

    let mut summary = Summary { store: store_name, pages: inputs.len(), ..Summary::default() };
    let mut processed = Vec::new();
    for (input, result) in inputs.iter().zip(results) {
        match result {
            Ok(p) => processed.push((input, p)),
            Err(error) => summary.failures.push(Failure { input: input.clone(), error }),
        }
    }
    summary.failed = summary.failures.len();
    if summary.failed > 0 && !args.keep_going {
        for f in &summary.failures {
            eprintln!("error: {}", source::sanitize(&f.error));
        }
        eprintln!(
            "gardkg: {} of {} pages could not be read; nothing was written (use --keep-going to ingest the others)",
            summary.failed,
            inputs.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    check_duplicate_keys(&processed)?;

    let empty = store.page_graphs()?.is_empty();
    let changes: Vec<Option<Change>> = if empty && processed.len() > BULK_THRESHOLD {
        store.bulk_load(processed.iter().map(|(_, p)| &p.graph))?;
        vec![Some(Change::Added); processed.len()]
    } else {
        processed.iter().map(|(_, p)| store.replace_page(&p.graph).map(Some)).collect::<Result<_, _>>()?
    };
    let releases = pipeline.releases();
    let releases: Vec<(&str, &str)> = releases.iter().map(|(n, r)| (*n, r.as_str())).collect();
    store.refresh_meta(&releases)?;
    store.flush()?;

    summary.add_pages(&processed, &changes);

    if let Some(output) = &args.output {
        super::export::write_graphs(&store, processed.iter().map(|(_, p)| p.graph.graph.as_ref()), output)?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    if args.json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &summary)?;
        println!();
    } else if !args.quiet {
        print_summary(&summary, args.output.as_deref())?;
    }
    for f in &summary.failures {
        eprintln!("error: {}", source::sanitize(&f.error));
    }
    Ok(if summary.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Two inputs that are the same page (same GARD id) would overwrite each other: refuse, naming both.
fn check_duplicate_keys(processed: &[(&String, Processed)]) -> anyhow::Result<()> {
    let mut seen: std::collections::HashMap<&PageKey, &str> = std::collections::HashMap::new();
    for (input, p) in processed {
        if let Some(other) = seen.insert(&p.graph.key, input) {
            anyhow::bail!("{other} and {input} are the same page ({}); ingest one of them", p.graph.key.path());
        }
    }
    Ok(())
}

/// Progress on standard error: a bar on a terminal, a line every tenth of the work otherwise, nothing with -q.
enum Progress {
    Bar(ProgressBar),
    Lines { total: usize, done: AtomicUsize, started: Instant },
    Silent,
}

impl Progress {
    fn new(pages: usize, quiet: bool) -> Self {
        if quiet || pages < 2 {
            return Self::Silent;
        }
        if !std::io::stderr().is_terminal() {
            return Self::Lines { total: pages, done: AtomicUsize::new(0), started: Instant::now() };
        }
        let bar = ProgressBar::new(pages as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos}/{len} pages [{bar:30}] {per_sec} eta {eta}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        Self::Bar(bar)
    }

    fn inc(&self) {
        match self {
            Self::Bar(bar) => bar.inc(1),
            Self::Lines { total, done, started } => {
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                let step = (total / 10).max(50);
                if n % step == 0 || n == *total {
                    let rate =
                        f64::from(u32::try_from(n).unwrap_or(u32::MAX)) / started.elapsed().as_secs_f64().max(1e-9);
                    eprintln!("gardkg: read {n}/{total} pages ({rate:.0} pages/s)");
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
    writeln!(
        out,
        "ingested {} page{} into {} in {:.2} s: {} added, {} replaced, {} unchanged, {} failed",
        s.pages - s.failed,
        if s.pages - s.failed == 1 { "" } else { "s" },
        s.store,
        s.seconds,
        s.added,
        s.replaced,
        s.unchanged,
        s.failed
    )?;
    writeln!(
        out,
        "  quads {} | phenotype associations {} ({} negated) | references {} | prevalence figures {} | sentences {} ({} unannotated) | warnings {}",
        s.quads,
        s.phenotype_associations,
        s.negated_phenotypes,
        s.references,
        s.prevalences,
        s.sentences,
        s.unannotated_sentences,
        s.warnings
    )?;
    // Per-page lines only for small batches; a corpus run gets the totals.
    if s.page_summaries.len() <= 20 {
        for p in &s.page_summaries {
            writeln!(
                out,
                "  {}  {}  quads {}  phenotypes {}  references {}",
                p.disease,
                source::sanitize(&p.title),
                p.quads,
                p.phenotypes,
                p.references
            )?;
            for w in &p.warnings {
                writeln!(out, "    warning: {}", source::sanitize(w))?;
            }
        }
    }
    if let Some(output) = output {
        writeln!(out, "wrote {}", output.display())?;
    }
    Ok(())
}
