//! Dictionary matching of HPO phenotype names in free text.
//!
//! The dictionary holds the names and `EXACT` synonyms of the non-obsolete terms under *Phenotypic abnormality*
//! (`HP:0000118`), their `RELATED` and `NARROW` synonyms and `BROAD` layperson synonyms of two words or more where no
//! other name says the same words and no other term shares them (not a disease's name ending in "disease",
//! "syndrome" or "disorder"; other `BROAD` synonyms name wider concepts and are left out), and the reviewed lay
//! synonyms of [`super::lay`], each also in its
//! plural (or singular) form. Text and names are compared after normalization:
//! lower case, every kind of space and dash folded to one space, typographic quotes folded to ASCII. A match must
//! start and end on a word boundary, and the longest name wins ("recurrent otitis media" over "otitis media").
//!
//! Matching walks a transducer of the names from every word start ([`crate::recognize::dictionary`]) and keeps the
//! longest name that ends on a word boundary: when the longest name starting there ends inside a word ("rash" in
//! "rashly"), a shorter name ending on a word boundary can still match.
//!
//! Offsets are `char` offsets into the text that was searched, as [`crate::page`] counts them.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use crate::lexicon::lay::LaySynonyms;
use crate::recognize::RecognizeError;
use crate::recognize::dictionary::Dictionary;
use crate::recognize::dictionary::{MIN_PATTERN_CHARS, add, add_with_inflection, is_abbreviation};
use crate::recognize::ontology::{Ontology, Scope};
use crate::recognize::packed::{Keys, Lists, Strings, index};
use crate::recognize::phenotypes::reorder::WordOrder;
use crate::recognize::words::{fold_pattern, normalize};

/// The root of the phenotype subtree: only terms under it are recognized in prose.
pub const PHENOTYPIC_ABNORMALITY: &str = "HP:0000118";

/// Last words of a `RELATED` synonym that make it a disease's name rather than a phenotype's.
const DISEASE_NOUNS: [&str; 6] = ["disease", "diseases", "syndrome", "syndromes", "disorder", "disorders"];

/// The rule family that found a phenotype: what `gardkg eval` reports precision by, and what `gardkg annotate`
/// tells its user about each mention.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// An HPO name or `EXACT` synonym (or its other number).
    #[default]
    Name,
    /// A `RELATED` synonym of two words or more.
    RelatedSynonym,
    /// A `NARROW` synonym of two words or more.
    NarrowSynonym,
    /// A `BROAD` layperson synonym of two words or more.
    BroadLaySynonym,
    /// A row of the reviewed lay-synonym table.
    LaySynonym,
    /// A modifier selecting the specific term ("repeated infections").
    Modifier,
    /// A coordinated list sharing a head ("viral or fungal infections").
    Coordination,
    /// A predicative adjective completing its subject ("Infections may be life-threatening").
    Predicative,
    /// An organ with a problem noun ("kidney problems").
    OrganProblem,
    /// A body part written as a noun after a preposition ("paralysis of the face").
    Anatomy,
    /// A name's words in another order or form ("weakness in the proximal muscles").
    WordOrder,
    /// A child of a grouping term named with "and" ("nausea and vomiting").
    GroupingTerm,
    /// The onset-specific term of a sentence's period of life ("low muscle tone" in infants).
    OnsetSpecific,
    /// An amount of a substance ("too little IgM").
    Amount,
    /// A reviewed normal finding that denies a phenotype ("normal intelligence").
    NormalFinding,
    /// A row of a sign-and-symptom table.
    TableRow,
}

impl Rule {
    /// Every rule, in report order.
    pub const ALL: [Rule; 16] = [
        Rule::Name,
        Rule::RelatedSynonym,
        Rule::NarrowSynonym,
        Rule::BroadLaySynonym,
        Rule::LaySynonym,
        Rule::Modifier,
        Rule::Coordination,
        Rule::Predicative,
        Rule::OrganProblem,
        Rule::Anatomy,
        Rule::WordOrder,
        Rule::GroupingTerm,
        Rule::OnsetSpecific,
        Rule::Amount,
        Rule::NormalFinding,
        Rule::TableRow,
    ];

    /// The rule's name, as JSON and TSV write it ("lay-synonym").
    pub fn name(self) -> &'static str {
        match self {
            Rule::Name => "name",
            Rule::RelatedSynonym => "related-synonym",
            Rule::NarrowSynonym => "narrow-synonym",
            Rule::BroadLaySynonym => "broad-lay-synonym",
            Rule::LaySynonym => "lay-synonym",
            Rule::Modifier => "modifier",
            Rule::Coordination => "coordination",
            Rule::Predicative => "predicative",
            Rule::OrganProblem => "organ-problem",
            Rule::Anatomy => "anatomy",
            Rule::GroupingTerm => "grouping-term",
            Rule::OnsetSpecific => "onset-specific",
            Rule::Amount => "amount",
            Rule::NormalFinding => "normal-finding",
            Rule::TableRow => "table-row",
            Rule::WordOrder => "word-order",
        }
    }
}

/// One phenotype name found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    /// Offset of the first matched `char` in the searched text.
    pub start: usize,
    /// Offset one past the last matched `char` in the searched text.
    pub end: usize,
    /// The HPO term the words name (a current, non-obsolete identifier).
    pub hpo_id: String,
    /// The words as written in the text (`chars` `start..end`).
    pub matched: String,
    /// Other terms that share the same normalized name, least preferred last (usually empty).
    pub alternatives: Vec<String>,
    /// The rule family that found it.
    #[serde(default)]
    pub rule: Rule,
}

/// How a dictionary entry was derived from a term; lower is preferred when several terms share a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
enum Origin {
    /// The term's `name`.
    Label,
    /// An `EXACT` synonym.
    Synonym,
    /// The plural or singular of the `name`.
    LabelInflection,
    /// The plural or singular of an `EXACT` synonym.
    SynonymInflection,
    /// A row of the reviewed lay-synonym table.
    Lay,
    /// The plural or singular of a lay synonym.
    LayInflection,
    /// A `RELATED` synonym of two words or more (prose only): it stands alone only where no name, `EXACT` or lay
    /// synonym of any term says the same words, and only when no other term has it too.
    Related,
    /// The plural or singular of a `RELATED` synonym.
    RelatedInflection,
    /// A `NARROW` synonym of two words or more (prose only), standing alone on the same terms as a `RELATED` one.
    Narrow,
    /// The plural or singular of a `NARROW` synonym.
    NarrowInflection,
    /// A `BROAD` layperson synonym of two words or more (prose only), on the same terms as a `RELATED` one.
    BroadLay,
    /// The plural or singular of a `BROAD` layperson synonym.
    BroadLayInflection,
    /// The `name` or an `EXACT` synonym of an obsolete term, standing for its replacement (table lookup only).
    Obsolete,
}

impl Origin {
    /// The rule family of a match of a name of this origin.
    fn rule(self) -> Rule {
        match self {
            Origin::Lay | Origin::LayInflection => Rule::LaySynonym,
            Origin::Related | Origin::RelatedInflection => Rule::RelatedSynonym,
            Origin::Narrow | Origin::NarrowInflection => Rule::NarrowSynonym,
            Origin::BroadLay | Origin::BroadLayInflection => Rule::BroadLaySynonym,
            Origin::Label
            | Origin::Synonym
            | Origin::LabelInflection
            | Origin::SynonymInflection
            | Origin::Obsolete => Rule::Name,
        }
    }

    /// Whether this is the other number of a name, not a name as written.
    fn is_inflection(self) -> bool {
        self.inflected() == self && self != Origin::Obsolete
    }

    /// The origin of the other number (plural or singular) of a name of this origin.
    fn inflected(self) -> Origin {
        match self {
            Origin::Label => Origin::LabelInflection,
            Origin::Synonym => Origin::SynonymInflection,
            Origin::Lay => Origin::LayInflection,
            Origin::Related => Origin::RelatedInflection,
            Origin::Narrow => Origin::NarrowInflection,
            Origin::BroadLay => Origin::BroadLayInflection,
            other => other,
        }
    }
}

/// Candidate terms for one normalized name, best first once the dictionary is built.
type Candidates = Vec<(String, Origin)>;

/// Counts describing the dictionary a [`PhenotypeMatcher`] was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MatcherStats {
    /// Terms indexed for prose (non-obsolete terms under `HP:0000118`).
    pub terms: usize,
    /// Distinct normalized names in the prose dictionary, inflections included.
    pub patterns: usize,
    /// Of those, abbreviations matched only with exact case.
    pub case_exact_patterns: usize,
    /// Names or synonyms skipped because they are shorter than four characters.
    pub skipped_short: usize,
    /// Normalized names shared by more than one term (the label match is preferred, the others are kept as
    /// [`Match::alternatives`]).
    pub collisions: usize,
    /// Distinct normalized names in the table-label dictionary (all HPO terms).
    pub table_labels: usize,
    /// Rows of the lay-synonym table indexed.
    pub lay_synonyms: usize,
    /// `RELATED` synonyms of two words or more indexed for prose (before those two terms share are dropped).
    #[serde(default)]
    pub related_synonyms: usize,
    /// `NARROW` synonyms of two words or more indexed for prose (same conditions).
    #[serde(default)]
    pub narrow_synonyms: usize,
    /// `BROAD` layperson synonyms of two words or more indexed for prose (same conditions).
    #[serde(default)]
    pub broad_lay_synonyms: usize,
}

/// A dictionary matcher for HPO phenotypes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PhenotypeMatcher {
    /// The names searched in text: case-insensitive names, and abbreviations matched with case kept.
    names: Dictionary<(u32, Origin)>,
    /// Normalized label -> candidates, over all of HPO, for whole-label lookups (tables).
    labels: Keys,
    /// The candidates of each normalized label (numbers in `terms`).
    label_ids: Lists<(u32, Origin)>,
    /// The identifiers the candidates name by number.
    terms: Strings,
    /// The prose names by the stems of their words, for other word orders and forms.
    word_order: WordOrder,
    stats: MatcherStats,
}

impl PhenotypeMatcher {
    /// The matcher over the bundled HPO and lay synonyms, built on first use (read from the start-up cache,
    /// [`crate::cache`], or built and cached) and shared afterwards.
    pub fn bundled() -> Result<Arc<PhenotypeMatcher>, RecognizeError> {
        static BUNDLED: OnceLock<Result<Arc<PhenotypeMatcher>, RecognizeError>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| {
                crate::cache::Cache::global()
                    .get_or_build("phenotype-matcher", || PhenotypeMatcher::new(Ontology::bundled()?))
                    .map(Arc::new)
            })
            .clone()
    }

    /// Builds the dictionary from an ontology and the bundled lay synonyms (checked against the ontology: an
    /// unknown or obsolete identifier in the table is an error).
    pub fn new(hpo: &Ontology) -> Result<Self, RecognizeError> {
        Self::with_lay_synonyms(hpo, &LaySynonyms::bundled()?)
    }

    /// Builds the dictionary from an ontology and a lay-synonym table, after checking the table against it.
    pub fn with_lay_synonyms(hpo: &Ontology, lay: &LaySynonyms) -> Result<Self, RecognizeError> {
        crate::recognize::phenotypes::lay::check(lay, hpo)?;
        let mut folded: HashMap<String, Candidates> = HashMap::new();
        let mut exact: HashMap<String, Candidates> = HashMap::new();
        let mut labels: HashMap<String, Candidates> = HashMap::new();
        let mut stats = MatcherStats::default();

        let under: HashSet<&str> = hpo.descendants(PHENOTYPIC_ABNORMALITY).map(|t| t.id.as_str()).collect();
        for term in hpo.terms() {
            let names = std::iter::once((term.label.as_str(), Origin::Label)).chain(
                term.synonyms.iter().filter(|s| s.scope == Scope::Exact).map(|s| (s.text.as_str(), Origin::Synonym)),
            );
            if term.obsolete {
                // Tables may still use an obsolete name (without the "obsolete " HPO put before it): it stands for
                // the replacement, or the only term to consider, when there is one.
                if let Some(current) = hpo.successor(&term.id) {
                    for (name, _) in names {
                        let candidate = (current.to_owned(), Origin::Obsolete);
                        add_with_inflection(
                            &mut labels,
                            &fold_pattern(strip_obsolete(name)),
                            candidate.clone(),
                            candidate,
                        );
                    }
                }
                continue;
            }
            let in_prose = under.contains(term.id.as_str());
            stats.terms += usize::from(in_prose);
            for (name, origin) in names {
                let key = fold_pattern(name);
                if key.is_empty() {
                    continue;
                }
                add_with_inflection(
                    &mut labels,
                    &key,
                    (term.id.clone(), origin),
                    (term.id.clone(), origin.inflected()),
                );
                if !in_prose {
                    continue;
                }
                let trimmed = name.trim();
                if trimmed.chars().count() < MIN_PATTERN_CHARS {
                    stats.skipped_short += 1;
                } else if is_abbreviation(trimmed) {
                    add(&mut exact, normalize(trimmed).cased, (term.id.clone(), origin));
                } else if key.chars().next().is_some_and(char::is_alphanumeric) {
                    add_with_inflection(
                        &mut folded,
                        &key,
                        (term.id.clone(), origin),
                        (term.id.clone(), origin.inflected()),
                    );
                }
            }
        }

        index_loose_synonyms(hpo, &under, &mut folded, &mut stats);

        for row in lay.rows() {
            let key = fold_pattern(&row.text);
            let (candidate, inflected) =
                ((row.hpo_id.clone(), Origin::Lay), (row.hpo_id.clone(), Origin::LayInflection));
            add_with_inflection(&mut labels, &key, candidate.clone(), inflected.clone());
            add_with_inflection(&mut folded, &key, candidate, inflected);
            stats.lay_synonyms += 1;
        }

        for map in [&mut folded, &mut exact, &mut labels] {
            for candidates in map.values_mut() {
                candidates.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
                // Each term once, at its best origin (its repeats need not be next to it).
                let mut seen = HashSet::new();
                candidates.retain(|c| seen.insert(c.0.clone()));
            }
        }
        // A RELATED synonym that two terms share, with nothing better for the same words, says neither.
        folded.retain(|_, candidates| {
            !(candidates[0].1 >= Origin::Related && candidates.iter().any(|c| c.0 != candidates[0].0))
        });
        stats.collisions = folded.values().chain(exact.values()).filter(|c| c.len() > 1).count();
        stats.patterns = folded.len() + exact.len();
        stats.case_exact_patterns = exact.len();
        stats.table_labels = labels.len();

        // Identifiers by number: the cache then decodes one string of them, not one per candidate.
        let mut terms = Strings::default();
        let mut numbers: HashMap<String, u32> = HashMap::new();
        let mut number = |map: HashMap<String, Candidates>| -> HashMap<String, Vec<(u32, Origin)>> {
            map.into_iter()
                .map(|(key, candidates)| {
                    let candidates = candidates
                        .into_iter()
                        .map(|(id, origin)| (*numbers.entry(id).or_insert_with_key(|id| terms.push(id)), origin))
                        .collect();
                    (key, candidates)
                })
                .collect()
        };
        let (folded, exact, labels) = (number(folded), number(exact), number(labels));
        let (labels, label_ids) = index(labels)?;
        let word_order = word_order_index(&folded)?;

        let names = Dictionary::new(folded, exact)?;
        Ok(Self { names, labels, label_ids, terms, word_order, stats })
    }

    /// Counts describing the dictionary.
    pub fn stats(&self) -> MatcherStats {
        self.stats
    }

    /// Finds phenotype names in `text`, left to right, without overlaps, longest first.
    pub fn find(&self, text: &str) -> Vec<Match> {
        let original: Vec<char> = text.chars().collect();
        self.names
            .find(text)
            .into_iter()
            .map(|(start, end, candidates)| Match {
                start,
                end,
                hpo_id: self.terms.get(candidates[0].0).to_owned(),
                matched: original[start..end].iter().collect(),
                alternatives: candidates[1..].iter().map(|c| self.terms.get(c.0).to_owned()).collect(),
                rule: candidates[0].1.rule(),
            })
            .collect()
    }

    /// The prose names found in `text` in another word order or form ([`super::reorder`]), in text order, each
    /// with the spans of the words that stand for the name's content words.
    pub fn variants(&self, text: &str) -> Vec<(Match, Vec<(usize, usize)>)> {
        let chars: Vec<char> = text.chars().collect();
        let mut found = self
            .word_order
            .find(text)
            .into_iter()
            .map(|v| {
                let m = Match {
                    start: v.start,
                    end: v.end,
                    hpo_id: self.terms.get(v.term).to_owned(),
                    matched: chars[v.start..v.end].iter().collect(),
                    alternatives: Vec::new(),
                    rule: Rule::WordOrder,
                };
                (m, v.words)
            })
            .collect::<Vec<_>>();
        // In text order, then by identifier: the order the cache numbers terms in is no order.
        found.sort_by(|a, b| (a.0.start, a.0.end, &a.0.hpo_id).cmp(&(b.0.start, b.0.end, &b.0.hpo_id)));
        found
    }

    /// Looks a whole phrase up in the prose dictionary (phenotype names, `EXACT` synonyms, the `RELATED`, `NARROW`
    /// and `BROAD` layperson synonyms it indexes, lay synonyms, and their inflections; case-insensitive): the
    /// preferred term, when the phrase is exactly one of those names.
    pub fn lookup_phrase(&self, phrase: &str) -> Option<&str> {
        self.names.folded(&fold_pattern(phrase)).map(|c| self.terms.get(c[0].0))
    }

    /// Looks a whole label up (a table row's phenotype column): its normalized form must equal an HPO name or
    /// `EXACT` synonym (of any term, obsolete names resolved to their replacement), or the label may be an HPO
    /// identifier, alternative identifiers resolved. Returns the current identifier.
    pub fn lookup_label<'a>(&'a self, hpo: &'a Ontology, label: &str) -> Option<&'a str> {
        let trimmed = label.trim();
        if trimmed.starts_with("HP:") {
            return hpo.resolve(trimmed);
        }
        self.labels.get(&fold_pattern(trimmed)).map(|i| self.terms.get(self.label_ids.get(i)[0].0))
    }
}

/// The prose names by their stems ([`WordOrder`]): names as written (not their other number, which stems cover),
/// each for the best term that has it so (a key may be one term's plural and another's name as written).
fn word_order_index(folded: &HashMap<String, Vec<(u32, Origin)>>) -> Result<WordOrder, RecognizeError> {
    let mut written: Vec<(&str, u32)> = folded
        .iter()
        .filter_map(|(key, c)| {
            c.iter().find(|(_, origin)| !origin.is_inflection()).map(|&(term, _)| (key.as_str(), term))
        })
        .collect();
    written.sort_unstable();
    WordOrder::build(written)
}

/// Indexes the synonyms that stand alone only where nothing better says the same words (see the module doc):
/// `RELATED` and `NARROW` synonyms and `BROAD` layperson synonyms of two words or more of the prose terms `under`
/// the phenotype root, never a disease's name.
fn index_loose_synonyms(
    hpo: &Ontology,
    under: &HashSet<&str>,
    folded: &mut HashMap<String, Candidates>,
    stats: &mut MatcherStats,
) {
    // RELATED synonyms name something close to the term, not the term: a single word ("Limp", "Fits") is too
    // loose to stand alone. A NARROW synonym names a kind of the term ("Central hypotonia"), so text saying it
    // says the term. A BROAD synonym names a wider concept ("Fits") and is left out, except HPO's layperson
    // ones: the everyday words for the term ("Small head" for Microcephaly), which a lay text uses for it.
    for term in hpo.terms().iter().filter(|t| !t.obsolete && under.contains(t.id.as_str())) {
        for synonym in &term.synonyms {
            let origin = match (synonym.scope, synonym.layperson) {
                (Scope::Related, _) => Origin::Related,
                (Scope::Narrow, _) => Origin::Narrow,
                (Scope::Broad, true) => Origin::BroadLay,
                _ => continue,
            };
            let trimmed = synonym.text.trim();
            let key = fold_pattern(trimmed);
            // A disease's name ("Inflammatory bowel disease", "Boerhaave syndrome") is a condition, not a feature.
            let disease = key.rsplit(' ').next().is_some_and(|w| DISEASE_NOUNS.contains(&w));
            if disease
                || !trimmed.contains(char::is_whitespace)
                || !key.chars().next().is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            add_with_inflection(folded, &key, (term.id.clone(), origin), (term.id.clone(), origin.inflected()));
            match origin {
                Origin::Related => stats.related_synonyms += 1,
                Origin::Narrow => stats.narrow_synonyms += 1,
                _ => stats.broad_lay_synonyms += 1,
            }
        }
    }
}

/// An obsolete term's name without the "obsolete " prefix HPO adds to it ("obsolete Fits" is "Fits").
fn strip_obsolete(name: &str) -> &str {
    let trimmed = name.trim_start();
    match trimmed.get(..9) {
        Some(prefix) if prefix.eq_ignore_ascii_case("obsolete ") => &trimmed[9..],
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obsolete_prefix_is_stripped() {
        assert_eq!(strip_obsolete("obsolete Fits"), "Fits");
        assert_eq!(strip_obsolete("Obsolete fits"), "fits");
        assert_eq!(strip_obsolete("Fits of obsolete kind"), "Fits of obsolete kind");
        assert_eq!(strip_obsolete("obsolete"), "obsolete");
        assert_eq!(strip_obsolete("obsoleté x"), "obsoleté x");
    }

    /// An invented ontology: RELATED synonyms of one and of several words, one that two terms share, one that a
    /// label of another term also spells, and a disease's name.
    const RELATED_OBO: &str = "format-version: 1.2\ndata-version: test/2020-01-01\n\n\
        [Term]\nid: HP:0000001\nname: All\n\n\
        [Term]\nid: HP:0000118\nname: Phenotypic abnormality\nis_a: HP:0000001\n\n\
        [Term]\nid: HP:0000101\nname: Kettle whistle\nsynonym: \"Loud hissing sound\" RELATED layperson []\n\
        synonym: \"Steam\" RELATED []\nsynonym: \"Spout sound\" RELATED []\nsynonym: \"Lid rattle\" RELATED []\n\
        synonym: \"Boiling disease\" RELATED []\nsynonym: \"Copper kettle look\" BROAD []\n\
        synonym: \"Noisy pot\" BROAD layperson []\nsynonym: \"Whistling kettle\" NARROW []\n\
        synonym: \"Pot\" BROAD layperson []\nsynonym: \"Hot water disorder\" NARROW []\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0000102\nname: Lid rattle\nsynonym: \"Spout sound\" RELATED []\n\
        synonym: \"Loose lid\" NARROW []\nsynonym: \"Rattling pot lid\" BROAD layperson []\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0000103\nname: Loose lid\nis_a: HP:0000118\n";

    #[test]
    fn related_synonyms_of_several_words_stand_alone_when_nothing_else_says_them() {
        let hpo = Ontology::from_obo(RELATED_OBO.as_bytes()).unwrap();
        let matcher = PhenotypeMatcher::with_lay_synonyms(&hpo, &LaySynonyms::empty()).unwrap();
        let found = |text: &str| matcher.find(text).into_iter().map(|m| m.hpo_id).collect::<Vec<_>>();
        assert_eq!(found("It makes a loud hissing sound."), ["HP:0000101"]);
        assert_eq!(found("It makes loud hissing sounds."), ["HP:0000101"], "inflection");
        assert_eq!(found("There is steam."), Vec::<String>::new(), "one word is too loose");
        assert_eq!(found("A spout sound is heard."), Vec::<String>::new(), "two terms share it");
        assert_eq!(found("A lid rattle is heard."), ["HP:0000102"], "the label of another term wins");
        assert_eq!(found("It has boiling disease."), Vec::<String>::new(), "a disease's name");
        assert_eq!(found("It has a copper kettle look."), Vec::<String>::new(), "BROAD names another concept");
        assert_eq!(matcher.stats().related_synonyms, 4, "loud hissing sound, spout sound twice, lid rattle");
    }

    #[test]
    fn narrow_and_broad_layperson_synonyms_stand_alone_on_the_same_terms() {
        let hpo = Ontology::from_obo(RELATED_OBO.as_bytes()).unwrap();
        let matcher = PhenotypeMatcher::with_lay_synonyms(&hpo, &LaySynonyms::empty()).unwrap();
        let found = |text: &str| matcher.find(text).into_iter().map(|m| (m.hpo_id, m.rule.name())).collect::<Vec<_>>();
        let one = |id: &str, rule: &'static str| vec![(id.to_owned(), rule)];
        assert_eq!(found("It is a whistling kettle."), one("HP:0000101", "narrow-synonym"));
        assert_eq!(found("Two noisy pots."), one("HP:0000101", "broad-lay-synonym"), "inflection");
        assert_eq!(found("A rattling pot lid."), one("HP:0000102", "broad-lay-synonym"));
        assert_eq!(found("It has a copper kettle look."), [], "a BROAD synonym that is not layperson");
        assert_eq!(found("A pot."), [], "one word is too loose");
        assert_eq!(found("It has hot water disorder."), [], "a disease's name");
        assert_eq!(found("A loose lid."), one("HP:0000103", "name"), "the label of another term wins");
        let stats = matcher.stats();
        assert_eq!((stats.narrow_synonyms, stats.broad_lay_synonyms), (2, 2), "whistling kettle, loose lid");
    }
}
