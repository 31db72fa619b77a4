//! The command line: clap types here, one file per subcommand. Workers never see clap: each subcommand builds
//! its own plain configuration from these arguments.

mod annotate;
mod diff;
mod eval;
mod export;
mod find;
mod ingest;
mod ontology;
mod parse;
mod push;
mod query;
mod serve;
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
    /// Build the parsed ontologies, dictionaries and lexicons in memory instead of reading them from the start-up
    /// cache (and write none).
    ///
    /// The cache lives in `$GARDKG_CACHE_DIR`, else `$XDG_CACHE_HOME/gardkg`, else `~/.cache/gardkg`; setting
    /// `GARDKG_NO_CACHE=1` does the same as this flag.
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a store (or bring one up to date) with the pinned HPO, MAxO and ECO and their closures, and no page.
    Init(InitArgs),
    /// Read pages (files, folders, URLs), recognize their content and store each page as a named graph.
    Ingest(IngestArgs),
    /// Read one page and print its `Page` record (what the model receives).
    Parse(ParseArgs),
    /// Recognize HPO phenotypes in plain text (spans, negation, frequency, onset), with ingest's recognizer.
    Annotate(AnnotateArgs),
    /// Run a SPARQL query (text, file, or a canned query from queries/) on the store.
    Query(QueryArgs),
    /// Find a disease by any name, synonym or identifier, typos forgiven (the search index beside the store).
    Find(FindArgs),
    /// Write the store (or one graph) in an RDF syntax.
    Export(ExportArgs),
    /// Count what the store holds.
    Stats(StatsArgs),
    /// Score recognition against gold TSV files: precision, recall and F1 per kind.
    Eval(EvalArgs),
    /// Load, list and refresh the ontologies in the store (HPO, MAxO and ECO come with every store).
    Ontology(OntologyArgs),
    /// Send the store's graphs to a remote triple store (SPARQL 1.1 Graph Store Protocol, one PUT per graph).
    Push(PushArgs),
    /// What changed: per disease, phenotypes, references, identifiers and section dates added, removed or changed.
    Diff(DiffArgs),
    /// Serve the store over HTTP: a SPARQL 1.1 endpoint, disease pages and every minted IRI as linked data, and a
    /// query page.
    Serve(ServeArgs),
}

/// Where the store is.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// The on-disk store directory.
    ///
    /// Defaults to `$GARDKG_STORE`, else `$XDG_DATA_HOME/gardkg/store`, else `~/.local/share/gardkg/store`.
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath, global = true)]
    pub store: Option<PathBuf>,

    /// Base IRI of minted nodes and of the project's terms.
    ///
    /// Must end with '/' or '#'. Every command reading a store must use the base it was written with.
    #[arg(long, value_name = "IRI", default_value = gardkg::model::vocab::DEFAULT_BASE, global = true)]
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
        if path.exists() && !path.is_dir() {
            anyhow::bail!("store {}: this is a file, not a store directory", path.display());
        }
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

    /// Timeout for fetching a URL, in seconds: a deadline for the whole download (redirects and body included).
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,

    /// Allow URLs (and redirects) to loopback, private and link-local addresses.
    ///
    /// Refused by default, whether the URL names such an address, redirects to one or has a host name that
    /// resolves to one: a page URL must not reach into the local network.
    #[arg(long)]
    pub allow_private_addresses: bool,

    /// Largest page accepted, from a file or a URL, in bytes; a larger one is refused before it is read.
    #[arg(long, value_name = "BYTES", default_value_t = gardkg::source::DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,

    /// Keep the previous version of every page this ingest replaces (the last one only), so that `gardkg diff
    /// GARD:…` shows what changed.
    #[arg(long)]
    pub record_changes: bool,

    /// When another process holds the store (an ingest, a server), wait for it instead of failing: `--wait` waits
    /// as long as it takes, `--wait=SECONDS` at most that long.
    #[arg(long, value_name = "SECONDS", num_args = 0..=1, require_equals = true, default_missing_value = "0")]
    pub wait: Option<u64>,
}

/// Arguments of `gardkg annotate`.
#[derive(Debug, Args)]
pub struct AnnotateArgs {
    /// The text: a UTF-8 file, or `-` for standard input.
    #[arg(value_name = "FILE", default_value = "-", value_hint = ValueHint::FilePath)]
    pub input: PathBuf,

    /// Print a JSON array of annotations.
    #[arg(long, conflicts_with = "tsv")]
    pub json: bool,

    /// Print tab-separated rows with a header (the default).
    #[arg(long)]
    pub tsv: bool,
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
#[derive(Debug, Clone, Args)]
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

    /// Stop the query after this many seconds (0: no limit).
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,

    /// Fail when the results have more than this many rows (or triples, for CONSTRUCT/DESCRIBE); 0: no limit.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub max_rows: u64,

    /// RDF format of CONSTRUCT/DESCRIBE results (ttl, nt, nq, trig, rdfxml, jsonld).
    #[arg(long, value_name = "FORMAT", default_value = "ttl")]
    pub format: String,

    /// Where `SERVICE` may go.
    #[command(flatten)]
    pub services: ServiceArgs,

    /// Where the store is.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Where `SERVICE` may go, and the configuration file that can say so.
#[derive(Debug, Clone, Args)]
pub struct ServiceArgs {
    /// The configuration file (TOML; `[service] allow = [...]`, `timeout_seconds`, `max_rows`).
    ///
    /// Defaults to `$GARDKG_CONFIG`, else `$XDG_CONFIG_HOME/gardkg/config.toml`, else
    /// `~/.config/gardkg/config.toml`; a missing default file is no error.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub config: Option<PathBuf>,

    /// Allow `SERVICE` calls to this SPARQL endpoint (and URLs under it); repeatable. Nothing is allowed by default.
    #[arg(long = "service-allow", value_name = "URL")]
    pub service_allow: Vec<String>,

    /// Timeout of one `SERVICE` call, in seconds (default 30).
    #[arg(long = "service-timeout", value_name = "SECONDS")]
    pub service_timeout: Option<u64>,

    /// Most rows accepted from one `SERVICE` call; more is an error (default 10000).
    #[arg(long = "service-max-rows", value_name = "N")]
    pub service_max_rows: Option<usize>,
}

impl ServiceArgs {
    /// The `SERVICE` handler these arguments and the configuration file describe.
    pub fn client(&self) -> anyhow::Result<gardkg::federation::ServiceClient> {
        use gardkg::federation::{Config, ServiceClient, ServicePolicy};
        let config = match (&self.config, Config::default_path()) {
            (Some(path), _) => Config::read(path, true),
            (None, Some(path)) => Config::read(&path, false),
            (None, None) => Ok(Config::default()),
        }
        .map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
        let policy = ServicePolicy::new(
            &config.service,
            &self.service_allow,
            self.service_timeout.map(std::time::Duration::from_secs),
            self.service_max_rows,
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        ServiceClient::new(policy).map_err(|e| anyhow::anyhow!("{e}"))
    }
}

/// Arguments of `gardkg find`.
#[derive(Debug, Args)]
pub struct FindArgs {
    /// What to look for: a name or synonym (typos, word order and case forgiven) or an identifier
    /// (GARD:12547, ORPHA:331235, MONDO:0018039, OMIM:…, C0154275, a bare number). Several words need no quotes.
    #[arg(value_name = "TEXT", required_unless_present = "rebuild")]
    pub text: Vec<String>,

    /// Print the hits as JSON: an array of objects with `iri`, `id`, `label`, `matched`, `match_kind`,
    /// `words_matched`, `kind` and `score`.
    #[arg(long)]
    pub json: bool,

    /// Most hits printed.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 10)]
    pub limit: usize,

    /// Rebuild the search index from the store first (needed when it is missing or stale; `gardkg ingest` keeps
    /// it up to date). Without TEXT, only rebuild.
    #[arg(long)]
    pub rebuild: bool,

    /// Where the store is.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Arguments of `gardkg init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Where the store is.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Arguments of `gardkg ontology`.
#[derive(Debug, Args)]
pub struct OntologyArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: OntologyAction,

    /// Where the store is.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `gardkg ontology` actions.
#[derive(Debug, Subcommand)]
pub enum OntologyAction {
    /// Load an ontology (OBO, or RDF: RDF/XML, Turtle, N-Triples, JSON-LD; `.gz` too) from a file or URL into its
    /// own graph, replacing an earlier copy, with the closure of its hierarchy.
    Load {
        /// The file or http(s) URL.
        #[arg(value_name = "FILE_OR_URL", value_hint = ValueHint::AnyPath)]
        location: String,
        /// The format when the name and content do not tell: obo, owl (RDF/XML), ttl, nt, jsonld...
        #[arg(long, value_name = "FORMAT")]
        format: Option<String>,
        /// A short name for listings and the closure graph (default: from the ontology IRI, e.g. `mondo`).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Timeout of the download, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 600)]
        timeout: u64,
        /// Largest file accepted from a URL, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = gardkg::ontology::DEFAULT_MAX_DOWNLOAD)]
        max_bytes: u64,
        /// Print what changed as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the loaded ontologies with their releases, sources, triples and closure sizes.
    List {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Fetch the newest release of the bundled ontologies (from their OBO Foundry PURLs) and of those loaded from a
    /// URL, reload those that changed, and say what changed.
    Refresh {
        /// Only these ontologies (short names or IRIs).
        #[arg(value_name = "NAME")]
        names: Vec<String>,
        /// Timeout of each download, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 600)]
        timeout: u64,
        /// Print what changed as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Which graphs `gardkg push` sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PushGraphs {
    /// Every page graph.
    Pages,
    /// The ontology and closure graphs.
    Ontologies,
    /// The metadata graph.
    Meta,
    /// The terms graph (condition nodes).
    Terms,
    /// All of the above.
    All,
}

/// Arguments of `gardkg push`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The Graph Store Protocol endpoint of the remote store, e.g. `http://localhost:3030/gard/data` (Fuseki),
    /// `http://localhost:8890/sparql-graph-crud-auth` (Virtuoso) or `http://localhost:7878/store` (Oxigraph).
    ///
    /// Credentials come from the environment: `GARDKG_PUSH_TOKEN` (bearer), or `GARDKG_PUSH_USER` and
    /// `GARDKG_PUSH_PASSWORD` (basic).
    #[arg(long, value_name = "URL")]
    pub to: String,

    /// Which graphs to send (repeatable; default: pages). The terms graph goes with the pages.
    #[arg(long, value_enum, value_name = "WHICH")]
    pub graphs: Vec<PushGraphs>,

    /// Graphs sent at the same time.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 4)]
    pub jobs: usize,

    /// Retries of a graph after a transient failure (connection error, 5xx, 429), with exponential backoff.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,

    /// Timeout of one request, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub timeout: u64,

    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,

    /// Print nothing but errors and the summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Where the store is.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// How `gardkg diff` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Markdown (readable on a terminal).
    Markdown,
    /// JSON.
    Json,
    /// A changeset graph (Talis changeset vocabulary) in Turtle.
    Turtle,
    /// The changeset graph in N-Triples.
    NTriples,
}

/// Arguments of `gardkg diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD NEW: each a store folder, an export (.nq, .ttl, .nt, .trig, .jsonld, .rdf) or a page file; or one disease
    /// (GARD:0012547) to compare its page with the version the last `ingest --record-changes` replaced; or nothing,
    /// for every page with a recorded previous version.
    #[arg(value_name = "SIDE", num_args = 0..=2, value_hint = ValueHint::AnyPath)]
    pub sides: Vec<String>,

    /// The report's format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    pub format: DiffFormat,

    /// Write the report to this file (default: standard output).
    #[arg(long, short = 'o', value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output: Option<PathBuf>,

    /// Exit with code 3 when something changed (as `diff` exits 1), for scripts.
    #[arg(long)]
    pub exit_code: bool,

    /// The store (for a disease id or recorded changes) and the base of minted IRIs.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Arguments of `gardkg serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0: any free port, printed at start).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
    pub bind: String,

    /// Accept SPARQL Update and Graph Store writes (PUT, POST, DELETE).
    ///
    /// On an address other than loopback the server refuses to start unless a bearer token is set, in the
    /// environment (`GARDKG_SERVE_TOKEN`) or in a file (--token-file); writes must then send `Authorization: Bearer`.
    #[arg(long)]
    pub writable: bool,

    /// A file holding the bearer token that writes must present (instead of `GARDKG_SERVE_TOKEN`).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub token_file: Option<PathBuf>,

    /// Longest evaluation of one request (`30s`, `500ms`, `2m`); it is cancelled then and answered 503.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub timeout: std::time::Duration,

    /// Most rows (or triples) in one answer; a query that gives more is answered 400.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub max_rows: usize,

    /// Largest request body, in bytes (checked against Content-Length and while reading); more is answered 413.
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_body: usize,

    /// Evaluations running at once (default: twice the number of cores, at least 4).
    #[arg(long, value_name = "N")]
    pub max_running: Option<usize>,

    /// Requests waiting for an evaluation slot; more are answered 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub max_waiting: usize,

    /// Time a client has to send its request headers, then its body (slow clients are disconnected).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub header_timeout: std::time::Duration,

    /// Open connections at once; more wait to be accepted.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub max_connections: usize,

    /// Allow cross-origin requests from this origin (`https://example.org`, or `*` for any); repeatable. None by
    /// default.
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Vec<String>,

    /// Memory for cached answers, in MiB (0: no cache).
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    pub cache_mb: usize,

    /// Where `SERVICE` may go.
    #[command(flatten)]
    pub services: ServiceArgs,

    /// Where the store is.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// A duration: `30s`, `500ms`, `2m`, or a number of seconds.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().map_err(|_| format!("{text:?} is not a duration (30s, 500ms, 2m)"))?;
    let seconds = match unit.trim() {
        "" | "s" => value,
        "ms" => value / 1000.0,
        "m" | "min" => value * 60.0,
        _ => return Err(format!("{text:?}: the unit is ms, s or m")),
    };
    if !(seconds > 0.0 && seconds < 1e9) {
        return Err(format!("{text:?}: a duration must be positive"));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

/// Arguments of `gardkg export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The syntax: ttl, nt, nq, trig, rdfxml, jsonld (default: from --output's extension, else ttl); `kgx` or
    /// `kgx-jsonl` (KGX node and edge files, into the folder -o names); `hpoa` (HPO annotations, also chosen by a
    /// `.hpoa` output); `sssom` (the mappings the graph relies on, also chosen by a `.sssom.tsv` output).
    ///
    /// Triple syntaxes (Turtle, N-Triples, RDF/XML, and JSON-LD with the project's context) write the union of the
    /// graphs, each triple once, sorted, each subject in one block; N-Quads and TriG keep the graphs.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,

    /// Write triple syntaxes as the store streams them (no sorting or deduplication): for stores too large to sort
    /// in memory.
    #[arg(long, conflicts_with = "canonical")]
    pub streaming: bool,

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
    /// Phenotypes per page: each page's set of (HPO id, negated), wherever mentioned.
    PhenotypePage,
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
            Self::PhenotypePage => Measure::PhenotypePage,
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

    /// Held-out gold files or directories, scored beside GOLD and reported only as aggregate numbers.
    ///
    /// The held-out gold measures how recognition generalizes to pages no rule was written from: `--misses`
    /// never lists its rows. A search of a GOLD directory skips folders named `heldout*`.
    #[arg(long = "held-out", value_name = "DIR", value_hint = ValueHint::AnyPath)]
    pub held_out: Vec<PathBuf>,

    /// The folder the gold's `file` column is relative to (default: `$GARDKG_SHARED/corpus`).
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub corpus: Option<PathBuf>,

    /// Score this prediction TSV (same format) instead of running gardkg's recognizer.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub predictions: Option<PathBuf>,

    /// Score only these measures (repeatable; default: all).
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Vec<MeasureArg>,

    /// Also print every false negative and false positive row of the dev gold (never of the held-out gold).
    #[arg(long)]
    pub misses: bool,

    /// Print the report as JSON (with --misses: the matched, missed and wrong rows too).
    #[arg(long)]
    pub json: bool,

    /// Write gardkg's predictions for the gold's pages to this TSV file.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, conflicts_with = "predictions")]
    pub write_predictions: Option<PathBuf>,
}

/// A file written whole or not at all: the bytes go to a temporary file beside the target (`.gardkg-*`), renamed
/// over the target by [`AtomicFile::commit`]. An error or an interruption leaves the target as it was (a killed
/// process may leave the temporary file, never a truncated target; the next write into that folder removes it: the
/// temporary file's name carries its writer's process id, `.gardkg-<pid>-…`, and one whose writer is gone is
/// removed).
pub struct AtomicFile {
    path: PathBuf,
    file: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `path`: fails now, naming the path, when its folder does not exist or cannot be written.
    pub fn create(path: &std::path::Path) -> anyhow::Result<Self> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        if path.is_dir() {
            anyhow::bail!("cannot write {}: it is a folder", path.display());
        }
        remove_orphans(dir);
        let prefix = format!(".gardkg-{}-", std::process::id());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        // The mode of any file a program creates (0666 less the umask), not the temporary file's private 0600;
        // an existing target keeps its own.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let temporary = builder.tempfile_in(dir).with_context(|| format!("cannot create {}", path.display()))?;
        if let Ok(existing) = std::fs::metadata(path) {
            temporary
                .as_file()
                .set_permissions(existing.permissions())
                .with_context(|| format!("cannot create {}", path.display()))?;
        }
        Ok(Self { path: path.to_owned(), file: std::io::BufWriter::new(temporary) })
    }

    /// Flushes and renames the temporary file over the target.
    pub fn commit(self) -> anyhow::Result<()> {
        let temporary = self
            .file
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        temporary.as_file().sync_all().with_context(|| format!("cannot write {}", self.path.display()))?;
        temporary
            .persist(&self.path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(())
    }
}

/// Removes the temporary files of `AtomicFile`s whose process is gone (killed before it could commit or clean up).
/// Linux only (a process is alive when `/proc/<pid>` exists); elsewhere they stay.
fn remove_orphans(dir: &std::path::Path) {
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(".gardkg-")).and_then(|rest| rest.split('-').next())
        else {
            continue;
        };
        if pid.parse::<u32>().is_ok_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl std::io::Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Standard output, or a file written atomically.
pub enum Output {
    /// Standard output, buffered.
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    /// A file.
    File(AtomicFile),
}

impl Output {
    /// The file at `path` (see [`AtomicFile`]), or standard output.
    pub fn new(path: Option<&std::path::Path>) -> anyhow::Result<Self> {
        Ok(match path {
            Some(path) => Self::File(AtomicFile::create(path)?),
            None => Self::Stdout(std::io::BufWriter::new(std::io::stdout().lock())),
        })
    }

    /// Flushes standard output, or puts the file in place.
    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            Self::Stdout(mut out) => Ok(std::io::Write::flush(&mut out)?),
            Self::File(file) => file.commit(),
        }
    }
}

impl std::io::Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Self::Stdout(out) => out.write(buf),
            Self::File(file) => file.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Self::Stdout(out) => out.flush(),
            Self::File(file) => file.flush(),
        }
    }
}

/// Runs the command line; the exit code is 0 on success, 1 on any failure (2 for usage errors, from clap).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if cli.no_cache {
        gardkg::cache::disable();
    }
    match cli.command {
        Command::Init(args) => ontology::init(&args),
        Command::Ingest(args) => ingest::run(&args),
        Command::Parse(args) => parse::run(&args),
        Command::Annotate(args) => annotate::run(&args),
        Command::Query(args) => query::run(&args),
        Command::Find(args) => find::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Ontology(args) => ontology::run(&args),
        Command::Push(args) => push::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Serve(args) => serve::run(&args),
    }
}
