//! `gardkg ontology load|list|refresh`: the ontologies beside the pages.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;

use gardkg::ontology::{self, Changes, LoadOptions};
use gardkg::source::sanitize;
use gardkg::store::GraphStore;

use super::{InitArgs, OntologyAction, OntologyArgs, StoreArgs};

/// `gardkg init`: a store with the pinned ontologies (what `ingest` does first to a new store).
pub fn init(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let store = open_writable(&args.store)?;
    let loaded = ontology::ensure_bundled(&store)?;
    store.flush()?;
    if !args.quiet {
        report_loaded(&loaded);
        if loaded.is_empty() {
            writeln!(std::io::stdout(), "{}: the pinned ontologies are already loaded", args.store.path().display())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per ontology a store was given, on standard error.
pub fn report_loaded(loaded: &[Changes]) {
    for o in loaded {
        eprintln!(
            "gardkg: loaded {} {} into the store ({} triples, {} closure pairs{})",
            o.iri,
            sanitize(o.new_version.as_deref().unwrap_or_default()),
            o.triples,
            o.closure_pairs,
            match o.warnings.len() {
                0 => String::new(),
                n => format!("; {n} invalid OBO stanza(s) read leniently: `gardkg ontology load` lists them"),
            }
        );
    }
}

pub fn run(args: &OntologyArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        OntologyAction::List { json } => {
            let store = args.store.open_read_only()?;
            let list = ontology::list(&store)?;
            if *json {
                writeln!(std::io::stdout(), "{}", serde_json::to_string_pretty(&list)?)?;
                return Ok(ExitCode::SUCCESS);
            }
            writeln!(
                std::io::stdout(),
                "{:<8}  {:<44}  {:>9}  {:>8}  source / IRI",
                "name",
                "version",
                "triples",
                "closure"
            )?;
            for o in &list {
                writeln!(
                    std::io::stdout(),
                    "{:<8}  {:<44}  {:>9}  {:>8}  {}\n{:<8}  {}",
                    sanitize(&o.name),
                    sanitize(o.version.as_deref().unwrap_or("-")),
                    o.triples,
                    o.closure_pairs,
                    sanitize(&o.source),
                    "",
                    o.iri
                )?;
            }
            writeln!(std::io::stdout(), "({} ontolog{})", list.len(), if list.len() == 1 { "y" } else { "ies" })?;
            Ok(ExitCode::SUCCESS)
        }
        OntologyAction::Load { location, format, name, timeout, max_bytes, json } => {
            let store = open_writable(&args.store)?;
            report_loaded(&ontology::ensure_bundled(&store)?);
            let mut options = LoadOptions { format: format.clone(), name: name.clone(), ..LoadOptions::default() };
            options.fetch.timeout = Duration::from_secs(*timeout);
            options.fetch.max_body = *max_bytes;
            let changes = ontology::load(&store, location, &options)?;
            store.flush()?;
            report(&[changes], *json)
        }
        OntologyAction::Refresh { names, timeout, json } => {
            let store = open_writable(&args.store)?;
            let mut options = LoadOptions::default();
            options.fetch.timeout = Duration::from_secs(*timeout);
            let changes = ontology::refresh(&store, &options, names)?;
            store.flush()?;
            report(&changes, *json)
        }
    }
}

/// Opens (or creates) the store for writing; a new store gets the pinned ontologies first.
fn open_writable(args: &StoreArgs) -> anyhow::Result<GraphStore> {
    let path = args.path();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    GraphStore::open(&path, args.namespace()?).with_context(|| format!("store {}", path.display()))
}

fn report(changes: &[Changes], json: bool) -> anyhow::Result<ExitCode> {
    if json {
        writeln!(std::io::stdout(), "{}", serde_json::to_string_pretty(changes)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    for c in changes {
        let version = |v: &Option<String>| sanitize(v.as_deref().unwrap_or("(no version)"));
        if !c.written {
            writeln!(
                std::io::stdout(),
                "{}: {} is the newest release; nothing changed",
                c.iri,
                version(&c.new_version)
            )?;
            continue;
        }
        match &c.old_version {
            Some(_) => {
                writeln!(std::io::stdout(), "{}: {} -> {}", c.iri, version(&c.old_version), version(&c.new_version))?;
            }
            None => writeln!(std::io::stdout(), "{}: loaded {}", c.iri, version(&c.new_version))?,
        }
        writeln!(
            std::io::stdout(),
            "  {} triples, {} closure pairs; classes: {} added, {} removed, {} newly obsolete, {} relabelled",
            c.triples,
            c.closure_pairs,
            c.added,
            c.removed,
            c.obsoleted,
            c.relabelled
        )?;
        for w in &c.warnings {
            eprintln!("warning: {}", sanitize(w));
        }
    }
    Ok(ExitCode::SUCCESS)
}
