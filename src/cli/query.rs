//! `gardkg query`: SPARQL over the store (union of all graphs as the default graph).

use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use oxigraph::model::Term;
use oxigraph::sparql::Variable;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults};

use gardkg::export::rdf;
use gardkg::model::vocab;
use gardkg::queries::{self, ParamKind};
use gardkg::search::SearchService;
use gardkg::source::sanitize;
use gardkg::store::QueryOptions;

use super::{QueryArgs, ResultsFormat};

/// The stack of the thread that parses and evaluates a query: both recurse once per level of nesting, and a query
/// at [`gardkg::store::MAX_QUERY_DEPTH`] needs far more than a main thread's 8 MiB in a debug build. Only the pages
/// used are taken from memory.
const QUERY_STACK: usize = 1024 * 1024 * 1024;

pub fn run(args: &QueryArgs) -> anyhow::Result<ExitCode> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let owned = args.clone();
    std::thread::Builder::new()
        .name("gardkg-query".to_owned())
        .stack_size(QUERY_STACK)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_on_this_thread(&owned)));
            let _ = sender.send(result);
        })
        .context("cannot start the query thread")?;
    // The cancellation token stops evaluation, but not parsing and planning (a 10,000-step path spent minutes in
    // the planner): the deadline is also kept here, and the process ends with a clear error when it passes.
    let waited = if args.timeout > 0 {
        receiver.recv_timeout(Duration::from_secs(args.timeout) + Duration::from_secs(1)).map_err(|_| ())
    } else {
        receiver.recv().map_err(|_| ())
    };
    match waited {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(()) => anyhow::bail!("the query ran longer than {} s (--timeout) and was stopped", args.timeout),
    }
}

/// Counts result rows against `--max-rows`.
struct RowLimit(u64, u64);

impl RowLimit {
    fn one_more(&mut self) -> anyhow::Result<()> {
        self.0 += 1;
        if self.1 > 0 && self.0 > self.1 {
            anyhow::bail!(
                "the query gives more than {} rows (--max-rows); add a LIMIT, or raise or lift the limit (--max-rows 0)",
                self.1
            );
        }
        Ok(())
    }
}

fn run_on_this_thread(args: &QueryArgs) -> anyhow::Result<ExitCode> {
    if args.list {
        print_list()?;
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
    let bindings = parse_bindings(&args.bind, &params)?;
    let services = args.services.client()?;
    let cancellation = CancellationToken::new();
    let _deadline =
        (args.timeout > 0).then(|| Deadline::start(Duration::from_secs(args.timeout), cancellation.clone()));
    let search = SearchService::beside(&args.store.path(), store.namespace());
    let options = QueryOptions {
        services: Some(services.clone()),
        cancellation: Some(cancellation.clone()),
        search: Some(search),
    };
    let mut rows = RowLimit(0, args.max_rows);
    let results = store
        .query_with_options(&text, bindings, &options)
        .map_err(|e| timed_out(e.into(), &cancellation, args.timeout))
        .with_context(|| match &args.file {
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
                let mut table: Vec<Vec<String>> = Vec::new();
                for solution in solutions {
                    let solution = solution.map_err(|e| timed_out(e.into(), &cancellation, args.timeout))?;
                    rows.one_more()?;
                    table.push(
                        variables.iter().map(|v| solution.get(v).map(display_term).unwrap_or_default()).collect(),
                    );
                }
                write_table(&mut out, &variables, &table)?;
            } else {
                let mut serializer = QueryResultsSerializer::from_format(results_format(format))
                    .serialize_solutions_to_writer(&mut out, variables)?;
                for solution in solutions {
                    let solution = solution.map_err(|e| timed_out(e.into(), &cancellation, args.timeout))?;
                    rows.one_more()?;
                    serializer.serialize(&solution)?;
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
                let triple = triple.map_err(|e| timed_out(e.into(), &cancellation, args.timeout))?;
                rows.one_more()?;
                serializer.serialize_triple(&triple)?;
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

/// `--bind NAME=VALUE` values, typed by the query's declared parameters.
fn parse_bindings(binds: &[String], params: &[queries::Param]) -> anyhow::Result<Vec<(Variable, Term)>> {
    let mut bindings = Vec::new();
    for b in binds {
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

    Ok(bindings)
}

/// `--list`: the canned queries with their parameters.
fn print_list() -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for q in queries::ALL {
        writeln!(out, "{}\n    {}", q.name, q.summary())?;
        for p in q.params() {
            let kind = if p.kind == ParamKind::Iri { "IRI" } else { "text" };
            writeln!(out, "    --bind {}=…  ({kind}) {}", p.name, p.description)?;
        }
    }
    Ok(())
}

/// Cancels a query when its time is up; dropping it ends the wait.
struct Deadline(Option<std::sync::mpsc::Sender<()>>);

impl Deadline {
    fn start(timeout: Duration, token: CancellationToken) -> Self {
        let (sender, receiver) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            if receiver.recv_timeout(timeout) == Err(std::sync::mpsc::RecvTimeoutError::Timeout) {
                token.cancel();
            }
        });
        Self(Some(sender))
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        drop(self.0.take());
    }
}

/// A cancelled query's error says why it was cancelled.
fn timed_out(error: anyhow::Error, token: &CancellationToken, seconds: u64) -> anyhow::Error {
    if token.is_cancelled() {
        anyhow::anyhow!("the query ran longer than {seconds} s (--timeout) and was stopped")
    } else {
        error
    }
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
