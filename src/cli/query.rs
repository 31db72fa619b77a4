//! `gardkg query`: SPARQL over the store (union of all graphs as the default graph).

use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context as _;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::Variable;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};

use gardkg::export::rdf;
use gardkg::model::vocab;
use gardkg::queries::{self, ParamKind};
use gardkg::search::SearchService;
use gardkg::source::sanitize;
use gardkg::store::QueryOptions;

use super::{QueryArgs, ResultsFormat};

pub fn run(args: &QueryArgs) -> anyhow::Result<ExitCode> {
    if args.list {
        for q in queries::ALL {
            println!("{}\n    {}", q.name, q.summary());
            for p in q.params() {
                println!(
                    "    --bind {}=…  ({}) {}",
                    p.name,
                    if p.kind == ParamKind::Iri { "IRI" } else { "text" },
                    p.description
                );
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let store = args.store.open_read_only()?;
    let (text, params) = match (&args.file, &args.query) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            let params = queries::params(&text);
            (text, params)
        }
        (None, Some(q)) => match queries::get(q.trim()) {
            Some(canned) => (queries::with_base(canned.text, store.namespace().base()), canned.params()),
            None if looks_like_a_name(q) => anyhow::bail!(
                "no canned query named {q:?}; `gardkg query --list` shows them: {}",
                queries::ALL.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
            ),
            None => (q.clone(), Vec::new()),
        },
        (None, None) => anyhow::bail!("give a query, -f FILE or the name of a canned query"),
    };
    let mut bindings = Vec::new();
    for b in &args.bind {
        let (name, value) = b.split_once('=').with_context(|| format!("--bind {b:?}: expected NAME=VALUE"))?;
        let name = name.trim().trim_start_matches('?');
        let kind = params.iter().find(|p| p.name == name).map(|p| p.kind);
        if !params.is_empty() && kind.is_none() {
            anyhow::bail!(
                "--bind {name}: this query takes {}",
                params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
            );
        }
        let variable = Variable::new(name).with_context(|| format!("--bind: {name:?} is not a variable name"))?;
        bindings.push((variable, value_term(value, kind)?));
    }

    let services = args.services.client()?;
    let search = SearchService::beside(&args.store.path(), store.namespace());
    let options = QueryOptions { services: Some(services.clone()), cancellation: None, search: Some(search) };
    let results = store.query_with_options(&text, bindings, &options).with_context(|| match &args.file {
        Some(path) => format!("query {}", path.display()),
        None => "query".to_owned(),
    })?;
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = BufWriter::new(stdout.lock());
    match results {
        QueryResults::Solutions(solutions) => {
            let format = args.results.unwrap_or(if terminal { ResultsFormat::Table } else { ResultsFormat::Tsv });
            let variables = solutions.variables().to_vec();
            if format == ResultsFormat::Table {
                let rows: Vec<Vec<String>> = solutions
                    .map(|s| {
                        s.map(|s| variables.iter().map(|v| s.get(v).map(display_term).unwrap_or_default()).collect())
                    })
                    .collect::<Result<_, _>>()?;
                write_table(&mut out, &variables, &rows)?;
            } else {
                let mut serializer = QueryResultsSerializer::from_format(results_format(format))
                    .serialize_solutions_to_writer(&mut out, variables)?;
                for solution in solutions {
                    serializer.serialize(&solution?)?;
                }
                serializer.finish()?;
            }
        }
        QueryResults::Boolean(value) => {
            match args.results.unwrap_or(if terminal { ResultsFormat::Table } else { ResultsFormat::Tsv }) {
                ResultsFormat::Table => writeln!(out, "{value}")?,
                format => {
                    QueryResultsSerializer::from_format(results_format(format))
                        .serialize_boolean_to_writer(&mut out, value)?;
                }
            }
        }
        QueryResults::Graph(triples) => {
            let format = rdf::format_from_name(&args.format).with_context(|| {
                format!("--format: unknown RDF format {:?} ({})", args.format, rdf::FORMAT_NAMES.join(", "))
            })?;
            let mut serializer = rdf::serializer(format, store.namespace()).for_writer(&mut out);
            for triple in triples {
                serializer.serialize_triple(&triple?)?;
            }
            serializer.finish()?;
        }
    }
    out.flush()?;
    // The query succeeded, so a refused or failed call was a SERVICE SILENT: say so, since its rows are missing.
    for problem in services.problems() {
        eprintln!("warning: {} (SERVICE SILENT: the query went on without its rows)", sanitize(&problem.to_string()));
    }
    Ok(ExitCode::SUCCESS)
}

/// A bare word without SPARQL keywords or braces is meant as a canned query's name.
fn looks_like_a_name(q: &str) -> bool {
    !q.is_empty() && q.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A bound value: `<iri>`, a CURIE with a known prefix (for IRI parameters and undeclared ones), or text.
fn value_term(value: &str, kind: Option<ParamKind>) -> anyhow::Result<Term> {
    queries::bind_value(value, kind).map_err(|e| anyhow::anyhow!("--bind: {e}"))
}

fn results_format(format: ResultsFormat) -> QueryResultsFormat {
    match format {
        ResultsFormat::Csv => QueryResultsFormat::Csv,
        ResultsFormat::Json => QueryResultsFormat::Json,
        ResultsFormat::Xml => QueryResultsFormat::Xml,
        ResultsFormat::Tsv | ResultsFormat::Table => QueryResultsFormat::Tsv,
    }
}

/// A term for a human: IRIs as CURIEs where a prefix is known, literals as their value.
fn display_term(term: &Term) -> String {
    let text = match term {
        Term::NamedNode(n) => vocab::compact_iri(n.as_str()).unwrap_or_else(|| n.as_str().to_owned()),
        Term::Literal(l) => l.value().to_owned(),
        Term::BlankNode(b) => b.to_string(),
    };
    sanitize(&text).replace(['\n', '\t'], " ")
}

fn write_table(out: &mut impl Write, variables: &[Variable], rows: &[Vec<String>]) -> std::io::Result<()> {
    const MAX: usize = 80;
    let cut = |s: &str| -> String {
        if s.chars().count() > MAX {
            format!("{}…", s.chars().take(MAX - 1).collect::<String>())
        } else {
            s.to_owned()
        }
    };
    let headers: Vec<String> = variables.iter().map(|v| v.as_str().to_owned()).collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| cut(c)).collect()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        writeln!(out, "{}", padded.join("  ").trim_end())
    };
    line(out, &headers)?;
    line(out, &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>())?;
    for row in &rows {
        line(out, row)?;
    }
    writeln!(out, "({} row{})", rows.len(), if rows.len() == 1 { "" } else { "s" })
}
