//! `gardkg annotate`: HPO phenotypes in plain text, as TSV or JSON.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use gardkg::annotate::annotate;
use gardkg::recognize::Recognizer;
use gardkg::source::sanitize;

use super::AnnotateArgs;

pub fn run(args: &AnnotateArgs) -> anyhow::Result<ExitCode> {
    let text = if args.input == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("cannot read standard input as UTF-8 text")?;
        text
    } else {
        std::fs::read_to_string(&args.input)
            .with_context(|| format!("cannot read {} as UTF-8 text", args.input.display()))?
    };
    let recognizer = Recognizer::bundled()?;
    let found = annotate(&recognizer, &text);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &found)?;
        writeln!(out)?;
    } else {
        writeln!(out, "start\tend\ttext\tid\tlabel\tnegated\tfrequency\tonset\trule")?;
        for a in &found {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                a.start,
                a.end,
                sanitize(&a.text).replace('\t', " "),
                a.id,
                sanitize(&a.label),
                a.negated,
                a.frequency.as_deref().unwrap_or(""),
                a.onset.as_deref().unwrap_or(""),
                a.rule
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
