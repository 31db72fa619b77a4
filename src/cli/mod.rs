//! The command line: clap types here, one file per subcommand. Workers never see clap: each subcommand builds
//! its own plain configuration from these arguments.

mod eval;
mod export;
mod ingest;
mod parse;
mod query;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};

use gardkg::model::vocab::Namespace;
use gardkg::page::SourceFormat;
use gardkg::store::GraphStore;

/// Rare-disease pages (GARD) as a Biolink/Orphanet-style RDF knowledge graph in an embedded Oxigraph store.
#[derive(Debug, Parser)]
#[command(name = "gardkg", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read pages (files, folders, URLs), recognize their content and store each page as a named graph.
    Ingest(IngestArgs),
    /// Read one page and print its `Page` record (what the model receives).
    Parse(ParseArgs),
    /// Run a SPARQL query (text, file, or a canned query from queries/) on the store.
    Query(QueryArgs),
    /// Write the store (or one graph) in an RDF syntax.
    Export(ExportArgs),
    /// Count what the store holds.
    Stats(StatsArgs),
    /// Score recognition against gold TSV files: precision, recall and F1 per kind.
    Eval(EvalArgs),
}

/// Where the store is.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The on-disk store directory.
    ///
    /// Defaults to `$GARDKG_STORE`, else `$XDG_DATA_HOME/gardkg/store`, else `~/.local/share/gardkg/store`.
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub store: Option<PathBuf>,

    /// Base IRI of minted nodes and of the project's terms.
    ///
    /// Must end with '/' or '#'. Every command reading a store must use the base it was written with.
    #[arg(long, value_name = "IRI", default_value = gardkg::model::vocab::DEFAULT_BASE)]
    pub base: String,
}

impl StoreArgs {
    /// The namespace from `--base`.
    pub fn namespace(&self) -> anyhow::Result<Namespace> {
        Namespace::new(&self.base).map_err(|e| anyhow::anyhow!("--base: {e}"))
    }

    /// The store path from `--store` or the default.
    pub fn path(&self) -> PathBuf {
        self.store.clone().unwrap_or_else(GraphStore::default_path)
    }

    /// Opens the store for reading.
    pub fn open_read_only(&self) -> anyhow::Result<GraphStore> {
        let path = self.path();
        GraphStore::open_read_only(&path, self.namespace()?).with_context(|| format!("store {}", path.display()))
    }
}

/// Input formats on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Detect from the content.
    Auto,
    /// A GARD page copied to text.
    GardText,
    /// MedQuAD GARD question/answer XML.
    Medquad,
    /// A GARD page as HTML.
    Html,
}

impl FormatArg {
    /// The forced format, or `None` to detect.
    pub fn forced(self) -> Option<SourceFormat> {
        match self {
            Self::Auto => None,
            Self::GardText => Some(SourceFormat::GardText),
            Self::Medquad => Some(SourceFormat::Medquad),
            Self::Html => Some(SourceFormat::Html),
        }
    }
}

/// Arguments of `gardkg ingest`.
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools, reason = "independent command-line switches")]
pub struct IngestArgs {
    /// Pages to read: files, folders (every .txt, .xml, .html inside) or http(s) URLs.
    #[arg(required = true, value_name = "PATH_OR_URL", value_hint = ValueHint::AnyPath)]
    pub inputs: Vec<String>,

    /// Where the store is.
    #[command(flatten)]
    pub store: StoreArgs,

    /// Use a throwaway in-memory store instead of the on-disk one.
    ///
    /// Useful with --output to convert pages to RDF without keeping a store.
    #[arg(long, conflicts_with = "store")]
    pub memory: bool,

    /// The input format; `auto` detects it from the content.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,

    /// The GARD id of the page, when neither the file name nor the page states it (one input only).
    #[arg(long, value_name = "N")]
    pub gard_id: Option<u32>,

    /// Continue past pages that cannot be read; list them at the end and exit non-zero.
    #[arg(long)]
    pub keep_going: bool,

    /// Worker threads for reading and recognition (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// After ingesting, write the ingested pages' graphs to this file (format from the extension).
    #[arg(long, short = 'o', value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output: Option<PathBuf>,

    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,

    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Timeout for fetching a URL, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,

    /// Largest page body accepted from a URL, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_bytes: u64,
}

/// Arguments of `gardkg parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The page: a file or an http(s) URL.
    #[arg(value_name = "PAGE", value_hint = ValueHint::FilePath)]
    pub input: String,

    /// Print the `Page` record as JSON.
    #[arg(long)]
    pub json: bool,

    /// Also recognize concepts and include the annotations (with --json: `{"page":…,"annotations":…}`).
    #[arg(long)]
    pub annotations: bool,

    /// The input format; `auto` detects it from the content.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,

    /// The GARD id of the page, when the source does not state it.
    #[arg(long, value_name = "N")]
    pub gard_id: Option<u32>,
}

/// SELECT/ASK result formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResultsFormat {
    /// An aligned table with compact identifiers (default on a terminal).
    Table,
    /// SPARQL 1.1 CSV.
    Csv,
    /// SPARQL 1.1 TSV (default when not a terminal).
    Tsv,
    /// SPARQL 1.1 JSON.
    Json,
    /// SPARQL 1.1 XML.
    Xml,
}

/// Arguments of `gardkg query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query text, or the NAME of a canned query (`gardkg query --list` shows them).
    #[arg(value_name = "QUERY_OR_NAME", required_unless_present_any = ["file", "list"], conflicts_with = "file")]
    pub query: Option<String>,

    /// Read the query from a file.
    #[arg(long, short = 'f', value_name = "FILE.rq", value_hint = ValueHint::FilePath)]
    pub file: Option<PathBuf>,

    /// Bind a variable: NAME=VALUE. Values are `<iri>`, a CURIE (GARD:0012547) or text.
    ///
    /// Canned queries declare whether a parameter is an IRI or text; for other queries a value that is `<...>` or
    /// a CURIE with a known prefix is an IRI. Values are substituted, never pasted into the query.
    #[arg(long, short = 'b', value_name = "NAME=VALUE")]
    pub bind: Vec<String>,

    /// List the canned queries with what they answer.
    #[arg(long)]
    pub list: bool,

    /// Format of SELECT/ASK results (default: table on a terminal, TSV otherwise).
    #[arg(long, value_enum)]
    pub results: Option<ResultsFormat>,

    /// RDF format of CONSTRUCT/DESCRIBE results (ttl, nt, nq, trig, rdfxml, jsonld).
    #[arg(long, value_name = "FORMAT", default_value = "ttl")]
    pub format: String,

    /// Where the store is.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Arguments of `gardkg export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The RDF syntax: ttl, nt, nq, trig, rdfxml, jsonld (default: from --output's extension, else ttl); or `sssom`
    /// (also chosen by a `.sssom.tsv` output) for the mappings the graph relies on, as SSSOM TSV.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,

    /// Only this graph: an IRI, or a disease CURIE such as GARD:0012547 for its page graph.
    #[arg(long, value_name = "IRI")]
    pub graph: Option<String>,

    /// Write canonical N-Quads (W3C RDFC-1.0): sorted, stable, for diffs and golden files.
    #[arg(long, conflicts_with = "format")]
    pub canonical: bool,

    /// The file to write (default: standard output).
    #[arg(long, short = 'o', value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output: Option<PathBuf>,

    /// Where the store is.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Arguments of `gardkg stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,

    /// Where the store is.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// What `gardkg eval` can score (`--kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MeasureArg {
    /// Phenotype mentions.
    Phenotype,
    /// Frequencies of phenotype mentions.
    Frequency,
    /// Associated conditions.
    Condition,
    /// Treatment mentions.
    Treatment,
    /// References of the page.
    Reference,
    /// Identifiers of the page's disease.
    Identifier,
}

impl MeasureArg {
    /// The library's measure.
    pub fn measure(self) -> gardkg::eval::Measure {
        use gardkg::eval::Measure;
        match self {
            Self::Phenotype => Measure::Phenotype,
            Self::Frequency => Measure::Frequency,
            Self::Condition => Measure::Condition,
            Self::Treatment => Measure::Treatment,
            Self::Reference => Measure::Reference,
            Self::Identifier => Measure::Identifier,
        }
    }
}

/// Arguments of `gardkg eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold files (TSV), or directories searched for `.tsv` files.
    #[arg(required = true, value_name = "GOLD", value_hint = ValueHint::AnyPath)]
    pub gold: Vec<PathBuf>,

    /// The folder the gold's `file` column is relative to (default: `$GARDKG_SHARED/corpus`).
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub corpus: Option<PathBuf>,

    /// Score this prediction TSV (same format) instead of running gardkg's recognizer.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub predictions: Option<PathBuf>,

    /// Score only these measures (repeatable; default: all).
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Vec<MeasureArg>,

    /// Also print every false negative and false positive row.
    #[arg(long)]
    pub misses: bool,

    /// Print the report as JSON (with --misses: the matched, missed and wrong rows too).
    #[arg(long)]
    pub json: bool,

    /// Write gardkg's predictions for the gold's pages to this TSV file.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, conflicts_with = "predictions")]
    pub write_predictions: Option<PathBuf>,
}

/// Runs the command line; the exit code is 0 on success, 1 on any failure (2 for usage errors, from clap).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Ingest(args) => ingest::run(&args),
        Command::Parse(args) => parse::run(&args),
        Command::Query(args) => query::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Eval(args) => eval::run(&args),
    }
}
