//! Treatments and preventive measures as Medical Action Ontology (MAxO) terms.
//!
//! The pinned MAxO release (`ontology/maxo.obo.gz`, see `ontology/maxo.LICENSE.md`) is compiled into the library and
//! read once, on first use, with the same OBO reader as HPO ([`Ontology::from_obo`]: an [`Ontology`] is any OBO ontology
//! indexed for lookups). [`TreatmentRecognizer::find`] finds the treatments a sentence names.
//!
//! - Dictionary: the names and `EXACT` synonyms of the live MAxO terms under *therapeutic procedure*
//!   (`MAXO:0000002`), *preventative therapy* (`MAXO:0000017`), *palliative care* (`MAXO:0000021`) and
//!   *complementary and alternative medical therapy* (`MAXO:0000013`), each also in its plural (or singular) form,
//!   plus the reviewed wordings of `ontology/treatment-synonyms.tsv` ([`TreatmentSynonyms`]). Diagnostic procedures,
//!   recommendations to avoid an action and routes of administration are other kinds of medical action and are not
//!   recognized, nor are the subtrees of the reviewed `ontology/treatment-exclusions.tsv` (examinations MAxO
//!   also files under a treatment, endoscopies by site, contraception). Matching is the phenotype matcher's: text normalized by
//!   [`super::words`] (case, every kind of space and dash, quotes), whole words only, longest name first;
//!   all-caps abbreviations of up to five letters match only in capitals, and names shorter than four characters
//!   are not indexed.
//! - Generic names: a name the exclusion table lists is not indexed. These are the names that say only that something
//!   is done ("therapy", "therapeutic procedure", "preventive medical measure", "infusion"), the one that names a
//!   drug rather than an action ("pharmaceutical drug"), and the names MAxO gives to thrombus-removal procedures,
//!   which are the names of the condition ("thrombosis"). Longer names that contain them still match ("physical
//!   therapy"), and words such as "treatment", "management" or "diagnosis" are no MAxO name at all.
//! - Cue words (the reviewed `ontology/treatment-cues.tsv`, [`TreatmentRules`]).
//! - Relation: a mention *prevents* when the table says so, when its term is a *preventative therapy*
//!   (vaccination, immunization), or when the sentence frames it as preventing: a prophylaxis adjective right
//!   before it ("prophylactic antibiotics"), a prevention word after it in its clause ("... to prevent
//!   infections") or before it and linked to it ("Measures to prevent infections include ...", "Infections are
//!   prevented by ..."), or a sentence that opens with a purpose of prevention ("To prevent ..."). Otherwise it
//!   *ameliorates*.
//! - Negation: a mention is left out when the sentence says the treatment is not used or does not work: a
//!   negation cue before it ([`super::negation::is_negated`]: "no surgery", "without transfusions"), an avoidance verb
//!   right before it ("avoid surgery"), a denial of use ("unaware of any use of ..."), or a negated statement of
//!   use or effect after it in its clause ("corticosteroids are not effective", "surgery is not needed") or an
//!   adjective of failure ("ineffective").
//!   A mention that is the first part of a hyphenated compound ("corticosteroid-sparing agents") names something
//!   else and is left out too.
//!
//! Offsets are `char` offsets into the sentence, end exclusive.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::lexicon::tables::{self, TableError};
use crate::recognize::RecognizeError;
use crate::recognize::dictionary::Dictionary;
use crate::recognize::dictionary::{MIN_PATTERN_CHARS, add, add_with_inflection, is_abbreviation};
use crate::recognize::negation::is_negated;
use crate::recognize::ontology::{Ontology, OntologyRef, Scope};
use crate::recognize::words::{CLAUSE_BREAKS, Word, fold_pattern, normalize, words};

/// The compressed pinned MAxO release.
static BUNDLED_OBO_GZ: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/maxo.obo.gz"));

/// The bundled reviewed table.
static BUNDLED_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/treatment-synonyms.tsv"));

/// The name errors in the bundled ontology carry.
pub const BUNDLED_OBO_NAME: &str = "ontology/maxo.obo.gz";

/// The name errors in the bundled table carry.
pub const BUNDLED_TABLE_NAME: &str = "ontology/treatment-synonyms.tsv";

/// *therapeutic procedure*: treatments.
pub const THERAPEUTIC_PROCEDURE: &str = "MAXO:0000002";

/// *preventative therapy*: its terms prevent rather than ameliorate.
pub const PREVENTATIVE_THERAPY: &str = "MAXO:0000017";

/// *palliative care*.
pub const PALLIATIVE_CARE: &str = "MAXO:0000021";

/// *complementary and alternative medical therapy*.
pub const COMPLEMENTARY_THERAPY: &str = "MAXO:0000013";

/// The roots of the recognized subtrees.
pub const RECOGNIZED_ROOTS: [&str; 4] =
    [THERAPEUTIC_PROCEDURE, PREVENTATIVE_THERAPY, PALLIATIVE_CARE, COMPLEMENTARY_THERAPY];

/// The columns of the table (its header line, tab-separated).
const TABLE_COLUMNS: [&str; 5] = ["text", "maxo_id", "maxo_label", "relation", "source"];

/// How many words apart a prevention word and a mention may be in one clause.
const PREVENTION_WINDOW: usize = 8;

/// How many words before a mention an `unused` cue word may stand.
const UNUSED_WINDOW: usize = 8;

/// How many words after a mention a negation of its use or effect may start.
const NEGATION_AFTER_WINDOW: usize = 8;

/// How many words after a negation the word of use or effect may come.
const EFFECT_WINDOW: usize = 3;

/// The bundled cue words.
static BUNDLED_CUES_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/treatment-cues.tsv"));

/// The bundled exclusions.
static BUNDLED_EXCLUSIONS_TSV: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/treatment-exclusions.tsv"));

/// Where a cue word counts (the roles of `ontology/treatment-cues.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cue {
    /// Right before a mention: the action is preventive ("prophylactic antibiotics").
    PreventionAdjective,
    /// A purpose of prevention in the mention's clause ("to prevent infections").
    Prevention,
    /// Links a prevention word before a mention to it ("Measures to prevent X include ...").
    PreventionLink,
    /// Right before a mention: the action is to be avoided.
    Avoidance,
    /// Before a mention in its clause: its use is denied ("unaware of any use of").
    Unused,
    /// After a mention in its clause: it failed or is not to be used ("ineffective").
    Failure,
    /// A word of use or effect that a negation after a mention denies ("not effective").
    Effect,
}

/// The reviewed cue words and exclusions of treatment recognition (`ontology/treatment-cues.tsv`,
/// `ontology/treatment-exclusions.tsv`).
#[derive(Debug, Clone, Default)]
pub struct TreatmentRules {
    /// Word -> the roles it has.
    cues: HashMap<String, Vec<Cue>>,
    /// Excluded subtrees: (root, a second parent that keeps a term of the subtree).
    subtrees: Vec<(String, Option<String>)>,
    /// Names never indexed.
    names: Vec<String>,
    /// Every exclusion row, for [`TreatmentRules::check`]: (line, kind, id, name, except).
    exclusions: Vec<tables::Line<Exclusion>>,
}

/// One row of the exclusion table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Exclusion {
    kind: String,
    maxo_id: String,
    name: String,
    except: String,
}

impl TreatmentRules {
    /// The bundled tables, read on first use.
    pub fn bundled() -> Result<&'static TreatmentRules, RecognizeError> {
        static BUNDLED: OnceLock<Result<TreatmentRules, RecognizeError>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| {
                Self::parse(
                    BUNDLED_CUES_TSV,
                    "ontology/treatment-cues.tsv",
                    BUNDLED_EXCLUSIONS_TSV,
                    "ontology/treatment-exclusions.tsv",
                )
            })
            .as_ref()
            .map_err(RecognizeError::clone)
    }

    /// Reads the cue table (`word role note`) and the exclusion table (`kind maxo_id name except reason`).
    pub fn parse(cues: &str, cues_name: &str, exclusions: &str, exclusions_name: &str) -> Result<Self, RecognizeError> {
        #[derive(Deserialize)]
        struct CueRow {
            word: String,
            role: Cue,
        }
        let mut rules = TreatmentRules::default();
        for tables::Line { line, row } in tables::read::<CueRow>(cues.as_bytes(), cues_name, &["word", "role", "note"])?
        {
            if row.word != row.word.to_lowercase() || row.word.contains(' ') {
                return Err(
                    TableError::new(cues_name, line, format!("{:?} is not one lower-case word", row.word)).into()
                );
            }
            rules.cues.entry(row.word).or_default().push(row.role);
        }
        let columns = ["kind", "maxo_id", "name", "except", "reason"];
        rules.exclusions = tables::read::<Exclusion>(exclusions.as_bytes(), exclusions_name, &columns)?;
        for l in &rules.exclusions {
            let error = |reason: String| RecognizeError::from(TableError::new(exclusions_name, l.line, reason));
            if !is_maxo_id(&l.row.maxo_id) || !(l.row.except == "-" || is_maxo_id(&l.row.except)) {
                return Err(error("maxo_id and except must be MAxO identifiers (except may be `-`)".to_owned()));
            }
            match l.row.kind.as_str() {
                "subtree" => {
                    let except = (l.row.except != "-").then(|| l.row.except.clone());
                    rules.subtrees.push((l.row.maxo_id.clone(), except));
                }
                "name" if l.row.except == "-" => rules.names.push(l.row.name.clone()),
                "name" => return Err(error("a name row has no except".to_owned())),
                other => return Err(error(format!("kind {other:?} is neither subtree nor name"))),
            }
        }
        Ok(rules)
    }

    /// Whether `word` (lower case) is a cue of `role`.
    pub fn is(&self, word: &str, role: Cue) -> bool {
        self.cues.get(word).is_some_and(|roles| roles.contains(&role))
    }

    /// Whether a term is left out: it descends from an excluded subtree and not from that row's `except` term.
    pub fn excluded(&self, maxo: &Ontology, id: &str) -> bool {
        self.subtrees
            .iter()
            .any(|(root, except)| maxo.is_a(id, root) && !except.as_ref().is_some_and(|e| maxo.is_a(id, e)))
    }

    /// Checks the exclusions against a MAxO release: every id is a current term (that of a name row under a
    /// recognized root), a subtree row names its root by its MAxO name, and a name row names a name or `EXACT`
    /// synonym of its term. Terms a release does not have make exclusions that exclude nothing, so a recognizer is
    /// built without this check; the tests run it on the bundled release.
    pub fn check(&self, maxo: &Ontology) -> Result<(), String> {
        for l in &self.exclusions {
            let row = &l.row;
            let term = maxo.term(&row.maxo_id).filter(|t| t.id == row.maxo_id && !t.obsolete);
            let recognized = |id: &str| row.kind == "subtree" || RECOGNIZED_ROOTS.iter().any(|r| maxo.is_a(id, r));
            let Some(term) = term.filter(|t| recognized(&t.id)) else {
                return Err(format!("line {}: {} is not a current MAxO term of its kind", l.line, row.maxo_id));
            };
            let named = if row.kind == "subtree" {
                term.label == row.name
            } else {
                term.label == row.name || term.synonyms.iter().any(|s| s.scope == Scope::Exact && s.text == row.name)
            };
            if !named || (row.except != "-" && maxo.term(&row.except).is_none()) {
                return Err(format!(
                    "line {}: {} ({}) does not bear {:?} or its except",
                    l.line, term.id, term.label, row.name
                ));
            }
        }
        Ok(())
    }
}

/// What a treatment does to the condition, as the page states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TreatmentRelation {
    /// Treats the condition or its features.
    Ameliorates,
    /// Prevents the condition or its features (vaccination, prophylaxis).
    Prevents,
}

impl TreatmentRelation {
    /// `ameliorates` or `prevents`, as the table writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            TreatmentRelation::Ameliorates => "ameliorates",
            TreatmentRelation::Prevents => "prevents",
        }
    }
}

/// One treatment named in a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreatmentMention {
    /// Offset of the first `char` of the mention in the sentence.
    pub start: usize,
    /// Offset one past the last `char` of the mention in the sentence.
    pub end: usize,
    /// The words matched, as written.
    pub text: String,
    /// The MAxO term (a current identifier).
    pub maxo_id: String,
    /// The MAxO name of the term.
    pub label: String,
    /// Whether the treatment ameliorates or prevents.
    pub relation: TreatmentRelation,
}

/// One row of the reviewed treatment table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreatmentSynonym {
    /// The words GARD uses, e.g. `prophylactic antibiotics` (matched like a MAxO name).
    pub text: String,
    /// The MAxO term, e.g. `MAXO:0000061`.
    pub maxo_id: String,
    /// The term's MAxO name (checked against the ontology).
    pub maxo_label: String,
    /// What the words state the action does.
    pub relation: TreatmentRelation,
    /// Why the mapping holds.
    pub source: String,
    /// The 1-based line of the row in its file.
    pub line: usize,
}

/// The reviewed table of treatment wordings MAxO does not spell (`ontology/treatment-synonyms.tsv`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreatmentSynonyms {
    name: String,
    rows: Vec<TreatmentSynonym>,
}

impl TreatmentSynonyms {
    /// The table compiled into the library.
    pub fn bundled() -> Result<TreatmentSynonyms, RecognizeError> {
        Self::parse(BUNDLED_TSV, BUNDLED_TABLE_NAME)
    }

    /// An empty table.
    pub fn empty() -> TreatmentSynonyms {
        TreatmentSynonyms::default()
    }

    /// Reads a table ([`tables::read`]) of five columns: `text`, `maxo_id`, `maxo_label`, `relation` (`ameliorates`
    /// or `prevents`) and `source`. `name` names the input in errors.
    pub fn parse(text: &str, name: &str) -> Result<TreatmentSynonyms, RecognizeError> {
        #[derive(serde::Deserialize)]
        struct Row {
            text: String,
            maxo_id: String,
            maxo_label: String,
            relation: String,
            source: String,
        }
        let mut rows: Vec<TreatmentSynonym> = Vec::new();
        for tables::Line { line, row } in tables::read::<Row>(text.as_bytes(), name, &TABLE_COLUMNS)? {
            let error = |reason: String| RecognizeError::from(TableError::new(name, line, reason));
            if !is_maxo_id(&row.maxo_id) {
                return Err(error(format!("{:?} is not a MAxO identifier (MAXO: and 7 digits)", row.maxo_id)));
            }
            let relation = match row.relation.as_str() {
                "ameliorates" => TreatmentRelation::Ameliorates,
                "prevents" => TreatmentRelation::Prevents,
                other => return Err(error(format!("relation {other:?} is neither ameliorates nor prevents"))),
            };
            if let Some(first) = rows.iter().find(|r| fold_pattern(&r.text) == fold_pattern(&row.text)) {
                return Err(error(format!("{:?} is already listed on line {}", row.text, first.line)));
            }
            rows.push(TreatmentSynonym {
                text: row.text,
                maxo_id: row.maxo_id,
                maxo_label: row.maxo_label,
                relation,
                source: row.source,
                line,
            });
        }
        Ok(TreatmentSynonyms { name: name.to_owned(), rows })
    }

    /// The rows, in file order.
    pub fn rows(&self) -> &[TreatmentSynonym] {
        &self.rows
    }

    /// Checks every row against MAxO: the identifier must be a current term (not an `alt_id`, not obsolete) under
    /// one of the [`RECOGNIZED_ROOTS`], the label must be its name, and a row of a *preventative therapy* must say
    /// `prevents`. The first bad row is the error. (Whether the text is already a MAxO name is checked when a
    /// recognizer is built.)
    pub fn check(&self, maxo: &Ontology, rules: &TreatmentRules) -> Result<(), RecognizeError> {
        for row in &self.rows {
            let error = |reason: String| RecognizeError::from(TableError::new(&self.name, row.line, reason));
            let Some(term) = maxo.term(&row.maxo_id) else {
                return Err(error(format!("{} is not in MAxO {}", row.maxo_id, maxo.release())));
            };
            if term.id != row.maxo_id {
                return Err(error(format!("{} is an alternative identifier of {}", row.maxo_id, term.id)));
            }
            if term.obsolete {
                return Err(error(format!("{} ({}) is obsolete", row.maxo_id, term.label)));
            }
            if term.label != row.maxo_label {
                return Err(error(format!(
                    "{} is named {:?} in MAxO, not {:?}",
                    row.maxo_id, term.label, row.maxo_label
                )));
            }
            if !RECOGNIZED_ROOTS.iter().any(|root| maxo.is_a(&term.id, root)) || rules.excluded(maxo, &term.id) {
                return Err(error(format!("{} ({}) is not a treatment or preventive measure", term.id, term.label)));
            }
            if row.relation == TreatmentRelation::Ameliorates && maxo.is_a(&term.id, PREVENTATIVE_THERAPY) {
                return Err(error(format!(
                    "{} ({}) is a preventative therapy: the relation must be prevents",
                    term.id, term.label
                )));
            }
        }
        Ok(())
    }
}

fn is_maxo_id(id: &str) -> bool {
    id.strip_prefix("MAXO:").is_some_and(|digits| digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// The pinned MAxO release compiled into the library, read on first use and shared afterwards (from the start-up
/// cache, [`crate::cache`], or parsed and cached).
pub fn bundled_maxo() -> Result<&'static Ontology, RecognizeError> {
    static BUNDLED: OnceLock<Result<Ontology, RecognizeError>> = OnceLock::new();
    BUNDLED
        .get_or_init(|| {
            crate::cache::Cache::global().get_or_build("maxo", || {
                let mut text = Vec::new();
                flate2::read::GzDecoder::new(BUNDLED_OBO_GZ).read_to_end(&mut text).map_err(|e| {
                    RecognizeError::Obo { line: None, reason: format!("{BUNDLED_OBO_NAME}: cannot decompress: {e}") }
                })?;
                Ontology::from_obo(text.as_slice()).map_err(|e| match e {
                    RecognizeError::Obo { line, reason } => {
                        RecognizeError::Obo { line, reason: format!("{reason} ({BUNDLED_OBO_NAME})") }
                    }
                    other => other,
                })
            })
        })
        .as_ref()
        .map_err(RecognizeError::clone)
}

/// How a dictionary entry was derived; lower is preferred when several terms share a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
enum Origin {
    /// The term's `name`.
    Label,
    /// An `EXACT` synonym.
    Synonym,
    /// A row of the reviewed table.
    Table,
    /// The plural or singular of the `name`.
    LabelInflection,
    /// The plural or singular of an `EXACT` synonym.
    SynonymInflection,
    /// The plural or singular of a table row.
    TableInflection,
}

impl Origin {
    /// The origin of the other number (plural or singular) of a name of this origin.
    fn inflected(self) -> Origin {
        match self {
            Origin::Label => Origin::LabelInflection,
            Origin::Synonym => Origin::SynonymInflection,
            Origin::Table => Origin::TableInflection,
            other => other,
        }
    }
}

/// One term a dictionary entry stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Candidate {
    id: String,
    origin: Origin,
    /// Whether the words alone say prevention (a preventative therapy, or a table row that says `prevents`).
    prevents: bool,
}

/// Counts describing the dictionary of a [`TreatmentRecognizer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TreatmentStats {
    /// Live MAxO terms indexed (under the [`RECOGNIZED_ROOTS`]).
    pub terms: usize,
    /// Distinct normalized names, inflections included.
    pub patterns: usize,
    /// Of those, abbreviations matched only with exact case.
    pub case_exact_patterns: usize,
    /// Names left out because they are shorter than four characters.
    pub skipped_short: usize,
    /// Names left out because the exclusion table lists them.
    pub skipped_generic: usize,
    /// Rows of the reviewed table indexed.
    pub table_rows: usize,
}

/// Finds MAxO treatments and preventive measures in sentences. Build it once and share it.
#[derive(Debug, Clone)]
pub struct TreatmentRecognizer {
    maxo: OntologyRef,
    /// The names searched in text: case-insensitive names, and abbreviations matched with case kept.
    names: Dictionary<Candidate>,
    /// Cue words and exclusions.
    rules: &'static TreatmentRules,
    stats: TreatmentStats,
}

impl TreatmentRecognizer {
    /// The recognizer over the bundled MAxO release and table, built on first use (its dictionary read from the
    /// start-up cache, [`crate::cache`], or built and cached) and shared afterwards.
    pub fn bundled() -> Result<&'static TreatmentRecognizer, RecognizeError> {
        /// What the cache keeps: the dictionary and its counts (the ontology and the rules have their own cells).
        #[derive(Serialize, Deserialize)]
        struct Cached {
            names: Dictionary<Candidate>,
            stats: TreatmentStats,
        }
        static BUNDLED: OnceLock<Result<TreatmentRecognizer, RecognizeError>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| {
                let maxo = OntologyRef::Static(bundled_maxo()?);
                let Cached { names, stats } = crate::cache::Cache::global().get_or_build("treatments", || {
                    Self::build(maxo.clone(), &TreatmentSynonyms::bundled()?)
                        .map(|built| Cached { names: built.names, stats: built.stats })
                })?;
                Ok(TreatmentRecognizer { maxo, names, rules: TreatmentRules::bundled()?, stats })
            })
            .as_ref()
            .map_err(RecognizeError::clone)
    }

    /// A recognizer over a MAxO release read with [`Ontology::from_obo`] and a table, checked against it.
    pub fn new(maxo: Arc<Ontology>, table: &TreatmentSynonyms) -> Result<TreatmentRecognizer, RecognizeError> {
        Self::build(OntologyRef::Shared(maxo), table)
    }

    fn build(maxo: OntologyRef, table: &TreatmentSynonyms) -> Result<TreatmentRecognizer, RecognizeError> {
        let ontology: &Ontology = &maxo;
        let rules = TreatmentRules::bundled()?;
        table.check(ontology, rules)?;
        let mut stats = TreatmentStats::default();
        let unindexed: HashSet<String> = rules.names.iter().map(|name| fold_pattern(name)).collect();
        let preventive: HashSet<&str> = ontology.descendants(PREVENTATIVE_THERAPY).map(|t| t.id.as_str()).collect();
        let mut in_scope: Vec<&str> =
            RECOGNIZED_ROOTS.iter().flat_map(|root| ontology.descendants(root)).map(|t| t.id.as_str()).collect();
        in_scope.sort_unstable();
        in_scope.dedup();
        let mut folded: HashMap<String, Vec<Candidate>> = HashMap::new();
        let mut exact: HashMap<String, Vec<Candidate>> = HashMap::new();
        for id in in_scope {
            let Some(term) = ontology.term(id).filter(|t| !t.obsolete && !rules.excluded(ontology, &t.id)) else {
                continue;
            };
            stats.terms += 1;
            let prevents = preventive.contains(id);
            let names = std::iter::once((term.label.as_str(), Origin::Label)).chain(
                term.synonyms.iter().filter(|s| s.scope == Scope::Exact).map(|s| (s.text.as_str(), Origin::Synonym)),
            );
            for (name, origin) in names {
                let trimmed = name.trim();
                let key = fold_pattern(trimmed);
                if unindexed.contains(&key) {
                    stats.skipped_generic += 1;
                } else if trimmed.chars().count() < MIN_PATTERN_CHARS {
                    stats.skipped_short += 1;
                } else if is_abbreviation(trimmed) {
                    add(&mut exact, normalize(trimmed).cased, Candidate { id: term.id.clone(), origin, prevents });
                } else if key.chars().next().is_some_and(char::is_alphanumeric) {
                    let candidate = Candidate { id: term.id.clone(), origin, prevents };
                    add_with_inflection(
                        &mut folded,
                        &key,
                        candidate.clone(),
                        Candidate { origin: origin.inflected(), ..candidate },
                    );
                }
            }
        }
        for row in table.rows() {
            let error = |reason: String| RecognizeError::from(TableError::new(&table.name, row.line, reason));
            let trimmed = row.text.trim();
            let (map, key) = if is_abbreviation(trimmed) {
                (&mut exact, normalize(trimmed).cased)
            } else {
                (&mut folded, fold_pattern(trimmed))
            };
            if unindexed.contains(&fold_pattern(trimmed)) {
                return Err(error(format!("{:?} is a generic name that is never indexed", row.text)));
            }
            if let Some(existing) = map.get(&key).and_then(|c| c.first()) {
                return Err(error(format!(
                    "{:?} is already indexed for {} ({:?}): the row is not needed",
                    row.text, existing.id, existing.origin
                )));
            }
            if key.chars().count() < MIN_PATTERN_CHARS {
                return Err(error(format!("{:?} is shorter than {MIN_PATTERN_CHARS} characters", row.text)));
            }
            let prevents = row.relation == TreatmentRelation::Prevents || preventive.contains(row.maxo_id.as_str());
            let candidate = Candidate { id: row.maxo_id.clone(), origin: Origin::Table, prevents };
            if is_abbreviation(trimmed) {
                add(map, key, candidate);
            } else {
                add_with_inflection(
                    map,
                    &key,
                    candidate.clone(),
                    Candidate { origin: Origin::TableInflection, ..candidate },
                );
            }
            stats.table_rows += 1;
        }
        for map in [&mut folded, &mut exact] {
            for candidates in map.values_mut() {
                candidates.sort_by(|a, b| a.origin.cmp(&b.origin).then_with(|| a.id.cmp(&b.id)));
                let mut seen = HashSet::new();
                candidates.retain(|c| seen.insert(c.id.clone()));
            }
        }
        stats.patterns = folded.len() + exact.len();
        stats.case_exact_patterns = exact.len();
        let names = Dictionary::new(folded, exact)?;
        Ok(TreatmentRecognizer { maxo, names, rules, stats })
    }

    /// The ontology.
    pub fn maxo(&self) -> &Ontology {
        &self.maxo
    }

    /// Counts describing the dictionary.
    pub fn stats(&self) -> TreatmentStats {
        self.stats
    }

    /// The treatments and preventive measures a sentence names (see the module docs), in text order, without
    /// overlaps; mentions the sentence negates are left out.
    pub fn find(&self, sentence: &str) -> Vec<TreatmentMention> {
        let chars: Vec<char> = sentence.chars().collect();
        let words = words(&chars);
        let opens_with_prevention = opens_with_prevention(&words);
        let mut found = Vec::new();
        for (start, end, candidate) in self.matches(sentence) {
            if is_negated(sentence, start)
                || avoided(self.rules, &chars, &words, start)
                || negated_after(self.rules, &chars, &words, end)
                || modifies_compound(&chars, end)
            {
                continue;
            }
            let prevents = candidate.prevents
                || opens_with_prevention
                || framed_as_prevention(self.rules, &chars, &words, start, end);
            let label = self.maxo().term(&candidate.id).map(|t| t.label.clone()).unwrap_or_default();
            found.push(TreatmentMention {
                start,
                end,
                text: chars[start..end].iter().collect(),
                maxo_id: candidate.id.clone(),
                label,
                relation: if prevents { TreatmentRelation::Prevents } else { TreatmentRelation::Ameliorates },
            });
        }
        found
    }

    /// Dictionary matches: (start, end) in `char`s of `text` and the preferred candidate, left to right, longest
    /// first, without overlaps.
    fn matches(&self, text: &str) -> Vec<(usize, usize, &Candidate)> {
        self.names.find(text).into_iter().map(|(start, end, candidates)| (start, end, &candidates[0])).collect()
    }
}

/// Whether the mention ending at `end` is the first part of a hyphenated compound ("corticosteroid-sparing
/// agents", "surgery-related"): the words name something else.
fn modifies_compound(chars: &[char], end: usize) -> bool {
    matches!(chars.get(end), Some('-' | '\u{2010}' | '\u{2011}'))
        && chars.get(end + 1).is_some_and(|c| c.is_alphabetic())
}

/// Whether the sentence opens with a purpose of prevention: "To prevent ...", "In order to prevent ...", "For
/// (the) prevention of ...".
fn opens_with_prevention(words: &[Word]) -> bool {
    let lower: Vec<&str> = words.iter().take(4).map(|w| w.lower.as_str()).collect();
    matches!(
        lower.as_slice(),
        ["to", "prevent", ..]
            | ["to", "help", "prevent", ..]
            | ["in", "order", "to", "prevent", ..]
            | ["for", "prevention" | "prophylaxis", ..]
            | ["for", "the", "prevention", ..]
    )
}

/// Whether a prevention word frames the mention `start..end`: inside it, a prophylaxis adjective right before it,
/// or a prevention word in its clause within [`PREVENTION_WINDOW`] words before or after it.
fn framed_as_prevention(rules: &TreatmentRules, chars: &[char], words: &[Word], start: usize, end: usize) -> bool {
    let is = |w: &Word, role: Cue| rules.is(&w.lower, role);
    let first = words.partition_point(|w| w.end <= start);
    let after = words.partition_point(|w| w.start < end);
    if words[first..after].iter().any(|w| is(w, Cue::Prevention)) {
        return true;
    }
    // Right before: at most two words, joined by spaces only ("prophylactic oral antibiotics").
    let mut joined = start;
    for word in words[..first].iter().rev().take(2) {
        if !chars[word.end..joined].iter().all(|c| c.is_whitespace()) {
            break;
        }
        if is(word, Cue::PreventionAdjective) {
            return true;
        }
        joined = word.start;
    }
    // Before: a prevention word linked to the mention ("Measures to prevent infections include ...").
    let mut linked = false;
    for word in clause_words_before(chars, words, first).take(PREVENTION_WINDOW) {
        if linked && is(word, Cue::Prevention) {
            return true;
        }
        linked |= is(word, Cue::PreventionLink);
    }
    clause_words_after(chars, words, after, end).take(PREVENTION_WINDOW).any(|w| is(w, Cue::Prevention))
}

/// Whether an avoidance verb stands right before the mention starting at `start` (one word between at most: "avoid
/// all surgery"), or a word denying its use stands in its clause (an `unused` cue).
fn avoided(rules: &TreatmentRules, chars: &[char], words: &[Word], start: usize) -> bool {
    let first = words.partition_point(|w| w.end <= start);
    clause_words_before(chars, words, first).take(2).any(|w| rules.is(&w.lower, Cue::Avoidance))
        || clause_words_before(chars, words, first).take(UNUSED_WINDOW).any(|w| rules.is(&w.lower, Cue::Unused))
}

/// Whether the clause after the mention ending at `end` denies its use or effect: a failure adjective, or a
/// negation followed within [`EFFECT_WINDOW`] words by a word of use or effect ("are not usually effective"; "not
/// always" is a restriction, not a denial).
fn negated_after(rules: &TreatmentRules, chars: &[char], words: &[Word], end: usize) -> bool {
    let after = words.partition_point(|w| w.start < end);
    let clause: Vec<&Word> = clause_words_after(chars, words, after, end).take(NEGATION_AFTER_WINDOW).collect();
    clause.iter().enumerate().any(|(i, w)| {
        let word = w.lower.as_str();
        if rules.is(word, Cue::Failure) {
            return true;
        }
        let negation =
            matches!(word, "not" | "no" | "never" | "cannot") || word.ends_with("n't") || word.ends_with("n\u{2019}t");
        negation
            && !matches!(clause.get(i + 1).map(|w| w.lower.as_str()), Some("always" | "only"))
            && clause[i + 1..].iter().take(EFFECT_WINDOW).any(|w| rules.is(&w.lower, Cue::Effect))
    })
}

/// The words before word index `first`, nearest first, up to a clause break (punctuation `, ; : ( )` or a
/// [`CLAUSE_BREAKS`] word).
fn clause_words_before<'a>(chars: &'a [char], words: &'a [Word], first: usize) -> impl Iterator<Item = &'a Word> {
    let mut next_start = words.get(first).map_or(chars.len(), |w| w.start);
    words[..first].iter().rev().take_while(move |w| {
        let gap = &chars[w.end.min(next_start)..next_start];
        next_start = w.start;
        !gap.iter().any(|c| is_clause_punctuation(*c)) && !CLAUSE_BREAKS.contains(&w.lower.as_str())
    })
}

/// The words from word index `after` on (the mention ends at `char` `end`), up to a clause break.
fn clause_words_after<'a>(
    chars: &'a [char],
    words: &'a [Word],
    after: usize,
    end: usize,
) -> impl Iterator<Item = &'a Word> {
    let mut previous_end = end;
    words[after..].iter().take_while(move |w| {
        let gap = &chars[previous_end.min(w.start)..w.start];
        previous_end = w.end;
        !gap.iter().any(|c| is_clause_punctuation(*c)) && !CLAUSE_BREAKS.contains(&w.lower.as_str())
    })
}

fn is_clause_punctuation(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '(' | ')' | '[' | ']' | '.' | '!' | '?')
}

#[cfg(test)]
mod tests {
    /// The header line of the table.
    const TABLE_HEADER: &str = "text\tmaxo_id\tmaxo_label\trelation\tsource";
    use std::collections::BTreeMap;
    use std::fmt::Write as _;

    use super::*;
    use crate::page::SectionKind;
    use crate::source::{self, ReadOptions};

    /// An invented ontology in MAxO's shape: enough terms to test the rules without the real release.
    const FIXTURE_OBO: &str = "format-version: 1.2\ndata-version: fixture/2024-01-01\n\n\
        [Term]\nid: MAXO:0000001\nname: medical action\n\n\
        [Term]\nid: MAXO:0000002\nname: therapeutic procedure\nis_a: MAXO:0000001\n\n\
        [Term]\nid: MAXO:0000003\nname: diagnostic procedure\nis_a: MAXO:0000001\n\n\
        [Term]\nid: MAXO:0000017\nname: preventative therapy\nsynonym: \"preventive medical measure\" EXACT []\n\
        is_a: MAXO:0000001\n\n\
        [Term]\nid: MAXO:0000004\nname: surgical procedure\nsynonym: \"surgery\" EXACT []\n\
        synonym: \"operation\" EXACT []\nis_a: MAXO:0000002\n\n\
        [Term]\nid: MAXO:0000058\nname: pharmacotherapy\nsynonym: \"pharmaceutical drug\" EXACT []\n\
        synonym: \"drug treatment\" EXACT []\nis_a: MAXO:0000002\n\n\
        [Term]\nid: MAXO:0000061\nname: antibacterial agent therapy\nsynonym: \"antibiotic agent therapy\" EXACT []\n\
        synonym: \"bacteria killing\" RELATED []\nis_a: MAXO:0000058\n\n\
        [Term]\nid: MAXO:0001298\nname: therapy\nis_a: MAXO:0000002\n\n\
        [Term]\nid: MAXO:0000011\nname: physical therapy\nsynonym: \"PT\" EXACT []\n\
        synonym: \"physiotherapy\" EXACT []\nis_a: MAXO:0001298\n\n\
        [Term]\nid: MAXO:0001017\nname: vaccination\nis_a: MAXO:0000017\n\n\
        [Term]\nid: MAXO:0001480\nname: immunoglobulin infusion therapy\n\
        synonym: \"intravenous immunoglobulin therapy\" EXACT []\nis_a: MAXO:0000002\n\n\
        [Term]\nid: MAXO:0000747\nname: hematopoietic stem cell transplantation\nsynonym: \"HSCT\" EXACT []\n\
        is_a: MAXO:0000004\n\n\
        [Term]\nid: MAXO:0001109\nname: thrombosis\nsynonym: \"thrombosis removal\" EXACT []\nis_a: MAXO:0000004\n\n\
        [Term]\nid: MAXO:0000571\nname: computed tomography procedure\nsynonym: \"CT scan\" EXACT []\n\
        is_a: MAXO:0000003\n\n\
        [Term]\nid: MAXO:0000633\nname: allergy agent therapy\nis_a: MAXO:0000058\n\n\
        [Term]\nid: MAXO:0000999\nname: obsolete kettle therapy\nis_obsolete: true\n";

    /// An invented table over the fixture ontology.
    const FIXTURE_TABLE: &str = "# fixture\ntext\tmaxo_id\tmaxo_label\trelation\tsource\n\
        IVIG\tMAXO:0001480\timmunoglobulin infusion therapy\tameliorates\tinvented\n\
        immune globulin therapy\tMAXO:0001480\timmunoglobulin infusion therapy\tameliorates\tinvented\n\
        prophylactic antibiotic\tMAXO:0000061\tantibacterial agent therapy\tprevents\tinvented\n\
        antibiotic\tMAXO:0000061\tantibacterial agent therapy\tameliorates\tinvented\n\
        vaccine\tMAXO:0001017\tvaccination\tprevents\tinvented\n";

    fn maxo() -> Arc<Ontology> {
        static MAXO: OnceLock<Arc<Ontology>> = OnceLock::new();
        MAXO.get_or_init(|| Arc::new(Ontology::from_obo(FIXTURE_OBO.as_bytes()).expect("fixture ontology"))).clone()
    }

    fn fixture() -> &'static TreatmentRecognizer {
        static RECOGNIZER: OnceLock<TreatmentRecognizer> = OnceLock::new();
        RECOGNIZER.get_or_init(|| {
            let table = TreatmentSynonyms::parse(FIXTURE_TABLE, "fixture table").expect("fixture table");
            TreatmentRecognizer::new(maxo(), &table).expect("fixture recognizer")
        })
    }

    fn rules() -> &'static TreatmentRules {
        TreatmentRules::bundled().expect("bundled treatment rules")
    }

    fn bundled() -> &'static TreatmentRecognizer {
        TreatmentRecognizer::bundled().expect("bundled treatment recognizer")
    }

    /// (words, MAxO id, relation) of every mention.
    fn found(r: &TreatmentRecognizer, text: &str) -> Vec<(String, String, &'static str)> {
        r.find(text).into_iter().map(|m| (m.text, m.maxo_id, m.relation.as_str())).collect()
    }

    fn row(words: &str, id: &str, relation: &'static str) -> (String, String, &'static str) {
        (words.to_owned(), id.to_owned(), relation)
    }

    #[test]
    fn names_synonyms_plurals_and_longest_match() {
        let r = fixture();
        assert_eq!(found(r, "Surgery helps."), [row("Surgery", "MAXO:0000004", "ameliorates")]);
        assert_eq!(found(r, "Several operations."), [row("operations", "MAXO:0000004", "ameliorates")]);
        assert_eq!(
            found(r, "Physiotherapy and physical therapies."),
            [
                row("Physiotherapy", "MAXO:0000011", "ameliorates"),
                row("physical therapies", "MAXO:0000011", "ameliorates")
            ]
        );
        assert_eq!(
            found(r, "Intravenous immunoglobulin therapy."),
            [row("Intravenous immunoglobulin therapy", "MAXO:0001480", "ameliorates")]
        );
        // Spaces, NBSP and dashes are folded; offsets are chars of the original sentence.
        let text = "Caf\u{e9} \u{2014} physical\u{2011}\u{a0}therapy\u{a0}helps";
        let m = r.find(text);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].text, "physical\u{2011}\u{a0}therapy");
        assert_eq!(text.chars().skip(m[0].start).take(m[0].end - m[0].start).collect::<String>(), m[0].text);
        assert_eq!(m[0].label, "physical therapy");
        // Whole words only.
        assert!(found(r, "Surgerys and presurgery.").is_empty());
    }

    #[test]
    fn generic_diagnostic_obsolete_and_broad_names_do_not_match() {
        let r = fixture();
        for text in [
            "Therapy may help.",
            "A pharmaceutical drug was given.",
            "Venous thrombosis occurred.",
            "A CT scan was done.",
            "Kettle therapy.",
            "Bacteria killing was started.",
            "Preventive medical measures.",
            "Treatment and management.",
        ] {
            assert!(found(r, text).is_empty(), "{text}: {:?}", found(r, text));
        }
        // A longer name containing a generic one still matches; a synonym of a misnamed term too.
        assert_eq!(found(r, "drug treatment")[0].1, "MAXO:0000058");
        assert_eq!(found(r, "thrombosis removal")[0].1, "MAXO:0001109");
        let stats = r.stats();
        assert_eq!(stats.skipped_generic, 6, "{stats:?}");
        assert_eq!(stats.skipped_short, 1, "{stats:?}");
    }

    #[test]
    fn abbreviations_match_only_in_capitals() {
        let r = fixture();
        assert_eq!(found(r, "She had HSCT."), [row("HSCT", "MAXO:0000747", "ameliorates")]);
        assert!(found(r, "hsct").is_empty());
        assert_eq!(found(r, "Monthly IVIG."), [row("IVIG", "MAXO:0001480", "ameliorates")]);
        assert!(found(r, "ivig").is_empty());
        // "PT" is shorter than four characters: not indexed.
        assert!(found(r, "PT twice a week").is_empty());
    }

    #[test]
    fn prevention_comes_from_the_class_the_table_or_the_sentence() {
        let r = fixture();
        assert_eq!(found(r, "All vaccinations."), [row("vaccinations", "MAXO:0001017", "prevents")]);
        assert_eq!(found(r, "New vaccines."), [row("vaccines", "MAXO:0001017", "prevents")]);
        assert_eq!(
            found(r, "Prophylactic antibiotics help."),
            [row("Prophylactic antibiotics", "MAXO:0000061", "prevents")]
        );
        assert_eq!(
            found(r, "Antibiotics may be given to prevent infections."),
            [row("Antibiotics", "MAXO:0000061", "prevents")]
        );
        assert_eq!(
            found(r, "Measures to prevent infections include antibiotics."),
            [row("antibiotics", "MAXO:0000061", "prevents")]
        );
        assert_eq!(
            found(r, "To prevent relapse, surgery is done early."),
            [row("surgery", "MAXO:0000004", "prevents")]
        );
        assert_eq!(found(r, "Preventive surgery is an option."), [row("surgery", "MAXO:0000004", "prevents")]);
        assert_eq!(found(r, "In order to prevent falls, physical therapy starts early.")[0].2, "prevents");
        assert_eq!(found(r, "Infections are prevented by antibiotics.")[0].2, "prevents");
        // A prevention word before the mention must be linked to it.
        assert_eq!(found(r, "Doctors take preventive steps and start antibiotics.")[0].2, "ameliorates");
        // A prevention word in another clause does not reach the mention.
        assert_eq!(
            found(r, "Antibiotics treat infections, and vaccination prevents them."),
            [row("Antibiotics", "MAXO:0000061", "ameliorates"), row("vaccination", "MAXO:0001017", "prevents")]
        );
        assert_eq!(
            found(r, "Infections are prevented by vaccination; surgery treats cysts."),
            [row("vaccination", "MAXO:0001017", "prevents"), row("surgery", "MAXO:0000004", "ameliorates")]
        );
    }

    #[test]
    fn negated_avoided_or_failed_treatments_are_left_out() {
        let r = fixture();
        for text in [
            "There is no surgery for this.",
            "It resolves without surgery.",
            "Patients should avoid surgery.",
            "Antibiotics are not effective.",
            "Surgery is not usually needed.",
            "Antibiotics have not been shown to help.",
            "Antibiotics are ineffective.",
            "Non-surgery options.",
            "Physical therapy doesn't help.",
            "Surgery-related pain.",
            "We are unaware of any use of surgery.",
        ] {
            assert!(found(r, text).is_empty(), "{text}: {:?}", found(r, text));
        }
        // "Not always" restricts, it does not deny; a negation in another clause does not reach.
        assert_eq!(found(r, "Surgery is not always necessary.").len(), 1);
        assert_eq!(found(r, "There is no cure, but surgery helps.").len(), 1);
        assert_eq!(found(r, "Surgery helps; no cure is known.").len(), 1);
    }

    #[test]
    fn table_rows_are_checked_against_the_ontology() {
        let maxo = maxo();
        let table = |row: &str| {
            TreatmentSynonyms::parse(&format!("# note\n{TABLE_HEADER}\n{row}\n"), "treatments.tsv").unwrap()
        };
        assert!(
            table("IVIG\tMAXO:0001480\timmunoglobulin infusion therapy\tameliorates\tok").check(&maxo, rules()).is_ok()
        );
        for (row, reason) in [
            ("cure\tMAXO:1234567\tcure\tameliorates\tguess", "not in MAxO"),
            ("kettle\tMAXO:0000999\tobsolete kettle therapy\tameliorates\told", "obsolete"),
            ("ivig\tMAXO:0001480\tIVIG therapy\tameliorates\twrong label", "named \"immunoglobulin infusion therapy\""),
            ("scan\tMAXO:0000571\tcomputed tomography procedure\tameliorates\tdiagnostic", "not a treatment"),
            ("shots\tMAXO:0001017\tvaccination\tameliorates\twrong relation", "must be prevents"),
        ] {
            let message = table(row).check(&maxo, rules()).unwrap_err().to_string();
            assert!(
                message.contains("treatments.tsv") && message.contains("line 3") && message.contains(reason),
                "{message}"
            );
        }
        // Rows MAxO already spells, or generic names, are errors when the recognizer is built.
        for (row, reason) in [
            ("surgeries\tMAXO:0000004\tsurgical procedure\tameliorates\tredundant", "already indexed"),
            ("therapy\tMAXO:0001298\ttherapy\tameliorates\tgeneric", "generic name"),
        ] {
            let message = TreatmentRecognizer::new(maxo.clone(), &table(row)).unwrap_err().to_string();
            assert!(message.contains("line 3") && message.contains(reason), "{message}");
        }
    }

    #[test]
    fn malformed_rule_tables_are_errors_naming_the_line() {
        let exclusions = "kind\tmaxo_id\tname\texcept\treason\n";
        let cues = "word\trole\tnote\n";
        for (cues, exclusions, reason) in [
            (&format!("{cues}avoid\tshun\tx\n")[..], exclusions, "c.tsv: line 2: unknown variant `shun`"),
            (
                &format!("{cues}do not\tavoidance\tx\n")[..],
                exclusions,
                "c.tsv: line 2: \"do not\" is not one lower-case",
            ),
            (cues, &format!("{exclusions}subtree\tMAXO:1\tx\t-\ty\n")[..], "e.tsv: line 2: maxo_id and except"),
            (cues, &format!("{exclusions}branch\tMAXO:0000003\tx\t-\ty\n")[..], "e.tsv: line 2: kind \"branch\""),
            (cues, &format!("{exclusions}name\tMAXO:0000003\tx\tMAXO:0000004\ty\n")[..], "e.tsv: line 2: a name row"),
        ] {
            let message = TreatmentRules::parse(cues, "c.tsv", exclusions, "e.tsv").unwrap_err().to_string();
            assert!(message.starts_with(reason), "{message}");
        }
        let rules =
            TreatmentRules::parse(cues, "c.tsv", &format!("{exclusions}name\tMAXO:0000004\tsurgery\t-\ty\n"), "e")
                .unwrap();
        assert!(rules.check(&maxo()).is_ok());
        let wrong = TreatmentRules::parse(cues, "c", &format!("{exclusions}name\tMAXO:0000004\tknife\t-\ty\n"), "e");
        assert!(wrong.unwrap().check(&maxo()).unwrap_err().contains("does not bear \"knife\""));
    }

    #[test]
    fn malformed_tables_are_errors_not_panics() {
        for (text, reason) in [
            ("text\tmaxo_id\n", "header"),
            (&format!("{TABLE_HEADER}\nonly two\tcolumns\n")[..], "5 tab-separated columns"),
            (&format!("{TABLE_HEADER}\nivig\tMAXO:12\tX\tameliorates\ty\n")[..], "not a MAxO identifier"),
            (&format!("{TABLE_HEADER}\nivig\tMAXO:0001480\t\tameliorates\ty\n")[..], "empty maxo_label"),
            (&format!("{TABLE_HEADER}\nivig\tMAXO:0001480\tX\ttreats\ty\n")[..], "neither ameliorates nor prevents"),
            (
                &format!("{TABLE_HEADER}\nIVIG\tMAXO:0001480\tX\tameliorates\ty\nivig\tMAXO:0001480\tX\tprevents\ty\n")
                    [..],
                "already listed on line 2",
            ),
        ] {
            let message = TreatmentSynonyms::parse(text, "t.tsv").unwrap_err().to_string();
            assert!(message.contains(reason), "{message}");
        }
        for garbage in ["", "\u{0}\t\t\t\t", "#only a comment\n", "\t\t\t\t\n\n"] {
            assert!(TreatmentSynonyms::parse(garbage, "garbage").is_err(), "{garbage:?}");
        }
        assert!(TreatmentSynonyms::parse(TABLE_HEADER, "empty").unwrap().rows().is_empty());
        assert!(TreatmentSynonyms::empty().rows().is_empty());
    }

    #[test]
    fn arbitrary_text_never_panics() {
        let r = fixture();
        for text in [
            "",
            " ",
            "\u{0}\u{FFFF}",
            "\u{0130}\u{0130}\u{0130}",
            "-–—",
            "surgery\u{00AD}",
            "to prevent",
            "not",
            "surgery,",
            ", surgery not",
            "avoid",
            "prophylactic",
            "IVIG IVIG IVIG",
            "\u{2019}surgery\u{2019}s",
        ] {
            for m in r.find(text) {
                assert!(m.start < m.end && m.end <= text.chars().count(), "{text:?}: {m:?}");
            }
        }
    }

    #[test]
    fn relations_serialize_in_kebab_case() {
        let m = &fixture().find("vaccination")[0];
        let json = serde_json::to_string(m).unwrap();
        assert!(json.contains("\"relation\":\"prevents\""), "{json}");
        assert_eq!(serde_json::from_str::<TreatmentMention>(&json).unwrap(), *m);
    }

    #[test]
    fn bundled_release_table_and_generic_names() {
        let r = bundled();
        let maxo = r.maxo();
        assert_eq!(maxo.release(), "maxo/releases/2024-07-29/maxo-base.owl");
        assert_eq!(maxo.len(), 1963);
        // Every exclusion names a live, recognized term of the pinned release by its name or an EXACT synonym.
        rules().check(maxo).unwrap();
        assert!(rules().is("prophylactic", Cue::PreventionAdjective) && rules().is("ineffective", Cue::Failure));
        assert!(!rules().is("ineffective", Cue::Effect));
        let table = TreatmentSynonyms::bundled().unwrap();
        assert_eq!(r.stats().table_rows, table.rows().len());
        assert!(r.stats().terms > 1_000, "{:?}", r.stats());
        for (text, id, relation) in [
            ("all recommended vaccinations", "MAXO:0001017", "prevents"),
            ("prophylactic antibiotics", "MAXO:0000061", "prevents"),
            ("immune globulin therapy (IVIG)", "MAXO:0001480", "ameliorates"),
            ("treatment of allergies", "MAXO:0000633", "ameliorates"),
            ("physical therapy", "MAXO:0000011", "ameliorates"),
            ("surgery", "MAXO:0000004", "ameliorates"),
            ("a bone marrow transplant", "MAXO:0010030", "ameliorates"),
            ("immunizations", "MAXO:0000118", "prevents"),
        ] {
            let m = r.find(text);
            assert_eq!((m[0].maxo_id.as_str(), m[0].relation.as_str()), (id, relation), "{text}: {m:?}");
        }
        for text in ["therapy", "thrombosis", "an infusion", "a CT scan", "genetic testing", "treatment", "management"]
        {
            assert!(r.find(text).is_empty(), "{text}: {:?}", r.find(text));
        }
    }

    /// Over the treatment sections of MedQuAD: every mention is the text at its span and names a current MAxO
    /// term, and the counts (mentions, distinct ids) are at least those measured on 2026-12-02; the most frequent
    /// ids are printed and, with `GARDKG_MEASURE_OUT`, every mention written as TSV for review.
    /// `GARDKG_SHARED=... cargo test --lib recognize::treatment -- --nocapture`
    #[test]
    fn medquad_treatment_mentions() {
        let Some(paths) = crate::testing::medquad_files() else { return };
        let started = std::time::Instant::now();
        let r = bundled();
        eprintln!("bundled treatment recognizer built in {:?}: {:?}", started.elapsed(), r.stats());
        let (mut sections, mut sentences, mut mentions) = (0, 0, 0);
        let mut by_id: BTreeMap<&str, (usize, String, usize)> = BTreeMap::new();
        let mut tsv = String::new();
        for path in &paths {
            let Ok(page) = source::read(path.to_str().unwrap(), &ReadOptions::default()) else { continue };
            let name = path.file_name().unwrap().to_string_lossy();
            for section in page.sections.iter().filter(|s| s.kind == SectionKind::Treatment) {
                sections += 1;
                for sentence in section.paragraphs.iter().flat_map(|p| &p.sentences) {
                    sentences += 1;
                    for m in r.find(&sentence.text) {
                        mentions += 1;
                        let at: String = sentence.text.chars().skip(m.start).take(m.end - m.start).collect();
                        assert_eq!(at, m.text, "{name}: the span of {:?}", m.text);
                        let term = r.maxo().term(&m.maxo_id);
                        assert!(
                            term.is_some_and(|t| t.id == m.maxo_id && !t.obsolete),
                            "{name}: {} is not a current MAxO term",
                            m.maxo_id
                        );
                        let id = term.map_or("", |t| t.id.as_str());
                        let entry = by_id.entry(id).or_insert((0, m.label.clone(), 0));
                        entry.0 += 1;
                        entry.2 += usize::from(m.relation == TreatmentRelation::Prevents);
                        let _ = writeln!(
                            tsv,
                            "{name}\t{}\t{}\t{}\t{}\t{}\t{}",
                            sentence.start + m.start,
                            m.text,
                            m.maxo_id,
                            m.label,
                            m.relation.as_str(),
                            sentence.text
                        );
                    }
                }
            }
        }
        let mut top: Vec<(&str, &(usize, String, usize))> = by_id.iter().map(|(k, v)| (*k, v)).collect();
        top.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        eprintln!(
            "{} pages, {sections} treatment sections, {sentences} sentences: {mentions} mentions of {} distinct \
             MAxO ids",
            paths.len(),
            by_id.len()
        );
        for (id, (count, label, prevents)) in top.iter().take(30) {
            eprintln!("{count:5}  {id}  {label}  (prevents {prevents})");
        }
        if let Some(out) = std::env::var_os("GARDKG_MEASURE_OUT") {
            std::fs::write(out, tsv).unwrap();
        }
        assert!(sections >= 508 && sentences >= 3180, "{sections} treatment sections, {sentences} sentences");
        // 1255 before a name could start at the second part of a hyphenated word ("non-surgical treatments").
        assert!(mentions >= 1253, "{mentions} treatment mentions (measured 1253)");
        assert!(by_id.len() >= 118, "{} distinct MAxO ids (measured 118; 119 before the hyphen rule)", by_id.len());
    }
}
