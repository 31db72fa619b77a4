//! `gardkg find`: a disease by any name, synonym or identifier, from the search index beside the store.

use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context as _;

use gardkg::search::{Hit, SearchIndex};
use gardkg::source::sanitize;

use super::FindArgs;

pub fn run(args: &FindArgs) -> anyhow::Result<ExitCode> {
    let path = args.store.path();
    let text = args.text.join(" ");
    let index = if args.rebuild {
        let store = args.store.open_read_only()?;
        let report = SearchIndex::rebuild(&store, &path).context("cannot rebuild the search index")?;
        eprintln!(
            "search index {}: {} names and identifiers of the diseases of {} pages, built in {:.2} s",
            report.index.display(),
            report.documents,
            report.pages,
            report.seconds
        );
        if text.trim().is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        SearchIndex::open(&store, &path)?
    } else {
        SearchIndex::open_for(&path)?
    };
    let hits = index.search(&text, args.limit)?;
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &hits)?;
        writeln!(out)?;
    } else if terminal {
        write_table(&mut out, &hits)?;
    } else {
        for hit in &hits {
            let cells = row(hit);
            writeln!(out, "{}", cells.iter().map(|c| c.replace('\t', " ")).collect::<Vec<_>>().join("\t"))?;
        }
    }
    out.flush()?;
    if hits.is_empty() {
        eprintln!("no disease matches {:?}", sanitize(&text));
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// The printed cells of a hit: id, label, matched name, how it matched, score.
fn row(hit: &Hit) -> [String; 5] {
    [
        sanitize(&hit.id),
        sanitize(&hit.label).replace('\n', " "),
        sanitize(&hit.matched).replace('\n', " "),
        hit.match_kind.name().to_owned(),
        format!("{:.2}", hit.score),
    ]
}

fn write_table(out: &mut impl Write, hits: &[Hit]) -> std::io::Result<()> {
    const MAX: usize = 60;
    let cut = |s: &str| -> String {
        if s.chars().count() > MAX {
            format!("{}…", s.chars().take(MAX - 1).collect::<String>())
        } else {
            s.to_owned()
        }
    };
    let headers = ["id", "label", "matched", "match", "score"].map(str::to_owned);
    let rows: Vec<[String; 5]> = hits.iter().map(|h| row(h).map(|c| cut(&c))).collect();
    let mut widths = headers.each_ref().map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &[String; 5]| -> std::io::Result<()> {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        writeln!(out, "{}", padded.join("  ").trim_end())
    };
    line(out, &headers)?;
    for r in &rows {
        line(out, r)?;
    }
    Ok(())
}
