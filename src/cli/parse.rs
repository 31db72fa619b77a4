//! `gardkg parse`: the `Page` record of one page, as JSON or as a readable outline.

use std::io::Write;
use std::process::ExitCode;

use gardkg::model::vocab::Namespace;
use gardkg::page::Page;
use gardkg::pipeline::Pipeline;
use gardkg::source::{self, ReadOptions, sanitize};

use super::ParseArgs;

pub fn run(args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let options = ReadOptions { format: args.format.forced(), gard_id: args.gard_id, ..ReadOptions::default() };
    let mut page = source::read(&args.input, &options)?;
    let annotations = if args.annotations {
        let pipeline = Pipeline::new(Namespace::default())?;
        pipeline.identify(&mut page);
        Some(pipeline.recognizer().recognize(&page))
    } else {
        None
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        match &annotations {
            Some(a) => serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "page": page, "annotations": a }))?,
            None => serde_json::to_writer_pretty(&mut out, &page)?,
        }
        writeln!(out)?;
    } else {
        outline(&mut out, &page)?;
        if let Some(a) = &annotations {
            writeln!(out, "phenotype mentions: {}", a.phenotypes.len())?;
            for m in &a.phenotypes {
                let negated = if m.negated { " (negated)" } else { "" };
                writeln!(out, "  {} {}  \"{}\"{negated}", m.hpo_id, sanitize(&m.label), sanitize(&m.text))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn outline(out: &mut impl Write, page: &Page) -> std::io::Result<()> {
    writeln!(out, "title: {}", sanitize(&page.title))?;
    match page.gard_id {
        Some(id) => writeln!(out, "gard id: {} (from {:?})", id.number, id.origin)?,
        None => writeln!(out, "gard id: none")?,
    }
    writeln!(out, "format: {}", page.source.format.name())?;
    if !page.synonyms.is_empty() {
        writeln!(out, "synonyms: {}", sanitize(&page.synonyms.join("; ")))?;
    }
    if !page.identifiers.is_empty() {
        writeln!(out, "identifiers: {}", page.identifiers.join(" "))?;
    }
    for section in &page.sections {
        let sentences: usize = section.paragraphs.iter().map(|p| p.sentences.len()).sum();
        write!(
            out,
            "section {}: {} paragraphs, {} sentences",
            section.kind.name(),
            section.paragraphs.len(),
            sentences
        )?;
        if !section.table.is_empty() {
            write!(out, ", {} table rows", section.table.len())?;
        }
        if let Some(date) = &section.last_updated {
            write!(out, ", last updated {date}")?;
        }
        writeln!(out)?;
    }
    for r in &page.references {
        let ids: Vec<String> = [
            r.pmid.as_ref().map(|i| format!("PMID:{i}")),
            r.pmcid.as_ref().map(|i| format!("PMCID:{i}")),
            r.doi.as_ref().map(|i| format!("doi:{i}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        writeln!(
            out,
            "reference {}: {} {}",
            r.number,
            sanitize(r.title.as_deref().unwrap_or(&r.citation)),
            ids.join(" ")
        )?;
    }
    for r in &page.resources {
        writeln!(out, "resource ({}): {}", r.kind.name(), sanitize(&r.label))?;
    }
    for w in &page.warnings {
        writeln!(out, "warning {}: {}", w.code.name(), sanitize(&w.message))?;
    }
    Ok(())
}
