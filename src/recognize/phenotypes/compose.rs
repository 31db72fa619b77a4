//! Modifiers and coordination on top of dictionary matches.
//!
//! - A modifier word before a phenotype selects the more specific HPO term when HPO has one: "repeated
//!   infections" is *Recurrent infections*, "frequent ear infections" *Recurrent ear infections*. The modifier is
//!   rewritten to the word HPO uses ([`MODIFIERS`]) and the phrase, or the modifier followed by the HPO name of the
//!   phenotype matched after it, is looked up among HPO names and synonyms. The term found must have a name that
//!   starts with that word, so that a synonym HPO files under a different concept ("Recurrent seizures" is a
//!   synonym of *Seizure cluster*) is not taken.
//! - A coordinated list of single words sharing a head ("viral, bacterial, or fungal infections", "muscle and
//!   joint pain") gives one term per conjunct, each looked up as conjunct + head (with the modifier before the list
//!   when there is one). At least two conjuncts must resolve, so that an ordinary list ("seizures and back pain")
//!   is left to the dictionary. Every term of such a list carries the span of the whole list: the words that state
//!   it.
//!
//! - A word before a match, or among a word-order variant's words, that with the matched term's name names a
//!   descendant selects it ([`specify_by_word`]: "distal hyperextensible joints").
//! - A parenthesis that restates a phenotype is one mention ([`settle_glosses`]: "muscle twitches (myoclonus)",
//!   "weakness or paralysis of the muscles that move the eye (ophthalmoplegia)"); related terms are joined by
//!   [`merge_glosses`].
//!
//! - A predicative adjective names the phenotype of its subject: "Infections may be life-threatening" is looked
//!   up as "life-threatening infections". The subject (one or two words) must be followed only by auxiliaries
//!   and a form of "be" or "become" ([`COPULAS`]), then the adjective.
//!
//! - An organ or function with a problem noun ("kidney problems", "abnormalities of the eyes", "problems with
//!   movement") is its general *Abnormality of the X* term when HPO names one, else the term HPO names as a
//!   difficulty with it ("swallowing problems": "Swallowing difficulties" is *Dysphagia*).
//! - A phenotype with the body part after a preposition ("paralysis of the face") is looked up with the part's
//!   adjective, as a compound, or with "of" ([`super::anatomy`]).
//!
//! - A grouping term HPO names with "and" ("nausea and vomiting") gives its two children when each half of the
//!   words names one ([`split_grouping_term`]).
//! - In a sentence that places its phenotypes in a period of life ("in infants", "shortly after birth"), a
//!   phenotype whose name with the period's adjective is an HPO name is that term ([`onset_specific`]): "low
//!   muscle tone" in infants is *Infantile muscular hypotonia*.
//!
//! The longest candidate wins; a composed candidate replaces the dictionary matches inside its span, so the
//! generic term is not reported a second time for the same words.

use crate::recognize::onset;
use crate::recognize::ontology::Ontology;
use crate::recognize::phenotypes::anatomy::AnatomyAdjectives;
use crate::recognize::phenotypes::matcher::{Match, PhenotypeMatcher, Rule};
use crate::recognize::words::{COPULAS, Word, comma, spaces, words};

/// Modifier words and the word HPO names use for them.
pub const MODIFIERS: [(&str, &str); 11] = [
    ("extremely", "extreme"),
    ("extreme", "extreme"),
    ("progressive", "progressive"),
    ("progressively", "progressive"),
    ("repeated", "recurrent"),
    ("repeat", "recurrent"),
    ("recurrent", "recurrent"),
    ("recurring", "recurrent"),
    ("frequent", "recurrent"),
    ("chronic", "chronic"),
    ("severe", "severe"),
];

/// Auxiliaries and adverbs that may stand between a subject and its copula ("may be", "can often become").
const AUXILIARIES: [&str; 10] =
    ["may", "might", "can", "could", "will", "often", "sometimes", "usually", "also", "frequently"];

/// Nouns that make an organ or a function a phenotype ("kidney problems", "eye abnormalities", "swallowing
/// difficulties").
const PROBLEM_NOUNS: [&str; 13] = [
    "problems",
    "problem",
    "abnormalities",
    "abnormality",
    "anomalies",
    "anomaly",
    "defects",
    "defect",
    "difficulties",
    "difficulty",
    "issues",
    "issue",
    "trouble",
];

/// Words that may follow the end of a noun phrase ("problems with movement and balance", "... with vision in").
const PHRASE_ENDS: [&str; 22] = [
    "and",
    "or",
    "but",
    "in",
    "that",
    "which",
    "who",
    "are",
    "is",
    "was",
    "were",
    "may",
    "can",
    "with",
    "during",
    "as",
    "such",
    "including",
    "because",
    "from",
    "at",
    "to",
];

/// Problem nouns after which a dictionary match of the same words stands (see [`organ_problems`]).
const DEFERRING_NOUNS: [&str; 5] = ["difficulties", "difficulty", "issues", "issue", "trouble"];

/// The forms HPO names the abnormality of an organ or function X in: the term found must be named "Abnormal...".
/// The last form reads an adjective of a body system ("digestive problems": *Abnormality of the digestive system*).
const ABNORMALITY_FORMS: [&str; 5] =
    ["abnormality of the {}", "abnormality of {}", "{} abnormality", "abnormal {}", "abnormality of the {} system"];

/// The forms HPO names a difficulty with a function X in ("Swallowing difficulties" is *Dysphagia*): the name is
/// HPO's own words for the difficulty, so the term found may have any name.
const DIFFICULTY_FORMS: [&str; 4] = ["{} difficulty", "{} difficulties", "difficulty {}", "difficulty with {}"];

/// The longest head (in words) a coordinated list may share.
const MAX_HEAD_WORDS: usize = 4;

/// The longest phrase (in words) after a modifier.
const MAX_MODIFIED_WORDS: usize = 4;

/// Candidates over one span: one dictionary match, one modified term, or the terms of a coordinated list.
#[derive(Debug)]
struct Group {
    start: usize,
    end: usize,
    matches: Vec<Match>,
    /// Parts of the span that no term of the group covers (conjuncts of a list that did not resolve): the
    /// dictionary matches inside them are kept.
    spare: Vec<(usize, usize)>,
}

/// A coordinated list: its span, its terms, and the spans of the conjuncts that gave no term.
type Coordination = (usize, usize, Vec<String>, Vec<(usize, usize)>);

/// Adds modified and coordinated terms to the dictionary matches of `text` and resolves overlaps (longest
/// first). Returns matches in text order.
pub fn refine(
    matcher: &PhenotypeMatcher,
    hpo: &Ontology,
    anatomy: &AnatomyAdjectives,
    text: &str,
    base: &[Match],
) -> Vec<Match> {
    let chars: Vec<char> = text.chars().collect();
    let words = words(&chars);
    let mut groups: Vec<Group> = Vec::new();
    let slice = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let emit = |rule: Rule, start: usize, end: usize, ids: Vec<String>, spare: Vec<(usize, usize)>| Group {
        start,
        end,
        spare,
        matches: ids
            .into_iter()
            .map(|hpo_id| Match { start, end, hpo_id, matched: slice(start, end), alternatives: Vec::new(), rule })
            .collect(),
    };
    for (i, word) in words.iter().enumerate() {
        if let Some(prefix) = modifier(&word.lower) {
            if let Some((end, id)) = modified(matcher, hpo, &chars, &words, base, i, prefix) {
                groups.push(emit(Rule::Modifier, word.start, end, vec![id], Vec::new()));
            }
        }
        if let Some((start, end, ids, spare)) = coordinated(matcher, hpo, &chars, &words, i) {
            groups.push(emit(Rule::Coordination, start, end, ids, spare));
        }
        if let Some((start, end, id)) = predicative(matcher, &chars, &words, i) {
            groups.push(emit(Rule::Predicative, start, end, vec![id], Vec::new()));
        }
        if let Some((start, end, id, defers)) = organ_problems(matcher, hpo, &chars, &words, i) {
            // A difficulty read from other words does not replace HPO's own name for these words ("breathing
            // difficulties" is an EXACT synonym of Respiratory distress; "breathing difficulty" one of Dyspnea).
            if !(defers && base.iter().any(|m| m.start == start && m.end == end)) {
                groups.push(emit(Rule::OrganProblem, start, end, vec![id], Vec::new()));
            }
        }
        if let Some((start, end, ids)) = anatomy.paraphrased(matcher, &chars, &words, i) {
            groups.push(emit(Rule::Anatomy, start, end, ids, Vec::new()));
        }
    }
    groups.extend(base.iter().map(|m| Group {
        start: m.start,
        end: m.end,
        matches: vec![m.clone()],
        spare: Vec::new(),
    }));
    // Longest first at each start; then keep what does not overlap what was kept (the sort is stable, so a
    // composed candidate wins a tie with the dictionary match of the same words).
    groups.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<Match> = Vec::new();
    let mut spare: Vec<(usize, usize)> = Vec::new();
    let mut last_end = 0;
    for group in groups {
        if group.start >= last_end {
            last_end = group.end;
            spare.extend(group.spare);
            for mut m in group.matches {
                if !kept.iter().any(|k| k.start == m.start && k.end == m.end && k.hpo_id == m.hpo_id) {
                    // A composed candidate the dictionary found as it is keeps the dictionary's rule.
                    if let Some(same) =
                        base.iter().find(|b| b.start == m.start && b.end == m.end && b.hpo_id == m.hpo_id)
                    {
                        m.rule = same.rule;
                    }
                    kept.push(m);
                }
            }
        }
    }
    // "hypotonia and lethargy in infancy": lethargy stays, though the list's span covers it.
    for m in base {
        let inside = spare.iter().any(|&(a, b)| a <= m.start && m.end <= b);
        if inside && !kept.iter().any(|k| k.start == m.start && k.end == m.end && k.hpo_id == m.hpo_id) {
            kept.push(m.clone());
        }
    }
    add_variants(matcher, hpo, text, &words, base, &mut kept);
    specify_by_word(matcher, hpo, &chars, &words, &mut kept);
    let kept: Vec<Match> = kept.into_iter().flat_map(|m| split_grouping_term(matcher, hpo, m)).collect();
    let kept = settle_glosses(&chars, hpo, kept);
    let mut kept = merge_glosses(&chars, hpo, kept);
    let periods = onset::periods_mentioned(text);
    if !periods.is_empty() {
        let first_start = kept.iter().map(|m| m.start).min().unwrap_or(0);
        for m in &mut kept {
            let period = period_of(&chars, &periods, first_start, m);
            if let Some(id) = period.and_then(|p| onset_specific(matcher, hpo, p, m)) {
                m.hpo_id = id;
                m.alternatives.clear();
                m.rule = Rule::OnsetSpecific;
            }
        }
    }
    kept.sort_by_key(|m| m.start);
    kept
}

/// "distal hyperextensible joints", "hyperextensible distal joints": a word right before a match, or among its
/// words, that with the matched term's HPO name is the name of a descendant ("distal" + *Joint hypermobility* is
/// *Distal joint hypermobility*) makes the match that descendant: the more specific term the words support. The
/// dictionary already reads a word written before HPO's own words; this reads one written before a synonym's (and
/// read by no other match) or among the words of another order (`word-order` matches). Only a word joined to the
/// match by a space counts, and not one that ends a range or a list of such words ("mild to moderate developmental
/// delay", "moderate to profound hearing loss").
fn specify_by_word(matcher: &PhenotypeMatcher, hpo: &Ontology, chars: &[char], words: &[Word], kept: &mut [Match]) {
    let spans: Vec<(usize, usize)> = kept.iter().map(|m| (m.start, m.end)).collect();
    for m in kept.iter_mut() {
        let Some(label) = hpo.term(&m.hpo_id).map(|t| t.label.to_lowercase()) else { continue };
        let descendant = |word: &str| {
            matcher.lookup_phrase(&format!("{word} {label}")).filter(|id| *id != m.hpo_id && hpo.is_a(id, &m.hpo_id))
        };
        // Not the end of a range or list of modifiers that each name a descendant: "mild to moderate developmental
        // delay" is no one degree ("nails and/or mild developmental delays" is).
        let before =
            words.iter().rposition(|w| w.end <= m.start).filter(|&k| spaces(chars, words[k].end, m.start)).filter(
                |&k| {
                    (k < 2
                        || !matches!(words[k - 1].lower.as_str(), "to" | "or" | "and" | "nor")
                        || descendant(&words[k - 2].lower).is_none())
                        // Not a word another match reads.
                        && !spans.iter().any(|&(a, b)| a <= words[k].start && words[k].end <= b)
                },
            );
        // Inside: only the words of another order ("hyperextensible distal joints"); a list's terms each span the
        // whole list, and one conjunct's word is not another's.
        let inside = words
            .iter()
            .enumerate()
            .filter(|(_, w)| m.rule == Rule::WordOrder && w.start >= m.start && w.end <= m.end)
            .map(|(k, _)| k);
        let candidates = before.into_iter().chain(inside);
        for k in candidates {
            let word = &words[k].lower;
            if !word.chars().all(char::is_alphabetic) || label.split(' ').any(|l| l == word) {
                continue;
            }
            if let Some(id) = descendant(word) {
                m.hpo_id = id.to_owned();
                m.alternatives.clear();
                m.rule = Rule::Modifier;
                if words[k].start < m.start {
                    m.start = words[k].start;
                    m.matched = chars[m.start..m.end].iter().collect();
                }
                break;
            }
        }
    }
}

/// Adds the names `text` says in another word order or form ([`super::reorder`]) to the matches `kept`, choosing
/// by the hierarchy where they overlap: a variant inside one dictionary or composed match ("repeated ear and sinus
/// infections" is a coordination), or sharing the head of a dictionary match across "and", is not
/// another reading of those words (the dictionary read the longest name there: "hearing loss and delayed speech" is
/// not *Loss of speech*); one that a kept match already says, or says more specifically, adds
/// nothing; one more specific than the kept matches it overlaps replaces them ("weakness in the proximal muscles"
/// is *Proximal muscle weakness*, not also *Muscle weakness*), as it replaces a match made only of words it reads
/// ("weakness and loss of sensation in the limbs" is *Limb muscle weakness*, not also *Asthenia*); one unrelated
/// to the others stands beside them ("dry mouth and eyes": *Xerostomia* and *Keratoconjunctivitis sicca*).
fn add_variants(
    matcher: &PhenotypeMatcher,
    hpo: &Ontology,
    text: &str,
    all: &[Word],
    base: &[Match],
    kept: &mut Vec<Match>,
) {
    // Variants are judged against the matches made before them: two variants over the same words both stand
    // ("absent corneal and patellar reflexes").
    let before = kept.len();
    for (variant, read) in matcher.variants(text) {
        // Inside a dictionary match, or sharing the head of one across a conjunction ("hearing [loss and delayed
        // speech]"; "muscle [weakness in the legs]" is the head's own phrase).
        let first_word_ends = read.first().map_or(variant.end, |w| w.1);
        let conjunction_after = all
            .iter()
            .find(|w| w.start >= first_word_ends)
            .is_some_and(|w| matches!(w.lower.as_str(), "and" | "or" | "nor"));
        let inside = |m: &Match| m.start <= variant.start && variant.end <= m.end;
        if base.iter().any(|m| inside(m) || (conjunction_after && m.start < variant.start && m.end == first_word_ends))
            || kept[..before.min(kept.len())].iter().any(inside)
        {
            continue;
        }
        let overlaps = |k: &Match| k.start < variant.end && variant.start < k.end;
        if kept.iter().any(|k| overlaps(k) && hpo.is_a(&k.hpo_id, &variant.hpo_id)) {
            continue;
        }
        let read_by_variant = |k: &Match| {
            all.iter()
                .filter(|w| w.start >= k.start && w.end <= k.end)
                .all(|w| read.iter().any(|&(a, b)| a <= w.start && w.end <= b))
        };
        kept.retain(|k| !(overlaps(k) && (hpo.is_a(&variant.hpo_id, &k.hpo_id) || read_by_variant(k))));
        kept.push(variant);
    }
}

/// The words at most this far (in words) after a phenotype that may place it in a period ("hypotonia and lethargy
/// in infancy", "respiratory distress shortly after birth").
const MAX_PERIOD_GAP_WORDS: usize = 4;

/// The one period of life (an HPO onset term) a sentence places match `m` in, of the `periods` it mentions
/// ([`onset::periods_mentioned`]): one framing the sentence before its first phenotype ("Signs in infants may
/// include A, B"; `first_start` is where that phenotype starts), with no semicolon between, or one right after
/// the phenotype (at most [`MAX_PERIOD_GAP_WORDS`] words, no comma, semicolon or colon between, a parenthesis
/// excepted: "hypotonia (weak muscle tone) in infancy"). Two different periods are no answer.
fn period_of(chars: &[char], periods: &[(usize, &'static str)], first_start: usize, m: &Match) -> Option<&'static str> {
    let applies = |&&(at, _): &&(usize, &str)| {
        if at < first_start {
            return !chars[at..m.start].contains(&';');
        }
        if at < m.end {
            return false;
        }
        let gap: String = chars[m.end..at].iter().collect();
        let mut outside = String::new();
        let mut depth = 0usize;
        for c in gap.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                c if depth == 0 => outside.push(c),
                _ => {}
            }
        }
        !outside.contains([',', ';', ':']) && outside.split_whitespace().count() <= MAX_PERIOD_GAP_WORDS
    };
    let mut found = periods.iter().filter(applies).map(|&(_, id)| id);
    let first = found.next()?;
    found.all(|id| id == first).then_some(first)
}

/// The onset-specific term of a match that its sentence places in a period of life ([`period_of`]): "low muscle
/// tone" in a sentence about infants is *Infantile muscular hypotonia* (its synonym "Infantile hypotonia"),
/// "respiratory distress shortly after birth" *Neonatal respiratory distress*. The period's adjective is the first
/// word of its HPO onset term's name (*Infantile onset*: "infantile"); the adjective with the words matched, or
/// with the matched term's name, must name another term in the phenotype dictionary, under the dictionary's own
/// policy (a `RELATED` synonym counts where it counts in text: "Congenital hypotonia" of *Neonatal hypotonia*, the
/// hypotonia "present at birth").
fn onset_specific(matcher: &PhenotypeMatcher, hpo: &Ontology, period: &str, m: &Match) -> Option<String> {
    let label = &hpo.term(&m.hpo_id)?.label;
    let name = &hpo.term(period)?.label;
    let adjective = name.strip_suffix(" onset")?.to_lowercase();
    [&m.matched, label].iter().find_map(|words| {
        let id = matcher.lookup_phrase(&format!("{adjective} {words}"))?;
        (id != m.hpo_id).then(|| id.to_owned())
    })
}

/// Words that open a parenthesis that adds to what is before it rather than saying it again ("seizures (including
/// absence seizures)", "(especially in the legs)").
const NOT_A_GLOSS: [&str; 21] = [
    "including",
    "include",
    "such",
    "e",
    "especially",
    "particularly",
    "mainly",
    "mostly",
    "usually",
    "often",
    "sometimes",
    "with",
    "without",
    "which",
    "who",
    "that",
    "in",
    "on",
    "from",
    "due",
    "caused",
];

/// Words that may open a parenthesis that says its term again ("(also called ataxia)", "(i.e. ataxia)"): they are
/// not part of the term.
const GLOSS_OPENERS: [&str; 7] = ["also", "called", "known", "as", "i", "e", "or"];

/// "muscle twitches (myoclonus)", "vertigo (feeling that the room is spinning)": a phenotype followed by a
/// parenthesis that says it again in other words is one mention (as curators read it), so an unrelated term read
/// from one side is not another phenotype. The side that wins is the term one name covers entirely: the
/// parenthesis when a single match covers all its words and has fewer words than the match before it (the
/// technical name of a lay description: "loss of muscle coordination (ataxia)" is *Ataxia*, not also
/// *Incoordination*), else the match before it ("tinnitus (hearing abnormal sounds)" is *Tinnitus*, not also
/// *Auditory hallucination*). A parenthesis with a comma or a semicolon (a list) or opening with one of
/// [`NOT_A_GLOSS`], or holding a conjunction or a word that opens examples further on ("(pneumonia and
/// bronchitis)", "(... especially ...)"), adds to what is before it, and its matches stand. Related terms are left
/// to [`merge_glosses`]. A second pass lets a short parenthesized term name the whole phrase before it.
fn settle_glosses(chars: &[char], hpo: &Ontology, mut matches: Vec<Match>) -> Vec<Match> {
    matches.sort_by_key(|m| (m.start, m.end));
    let word_count = |a: usize, b: usize| words(&chars[a..b]).len();
    let related =
        |a: &Match, b: &Match| a.hpo_id == b.hpo_id || hpo.is_a(&a.hpo_id, &b.hpo_id) || hpo.is_a(&b.hpo_id, &a.hpo_id);
    let mut dropped = vec![false; matches.len()];
    for (i, outer) in matches.iter().enumerate() {
        if dropped[i] {
            continue;
        }
        let Some(open) = (outer.end..chars.len()).find(|&k| !chars[k].is_whitespace()).filter(|&k| chars[k] == '(')
        else {
            continue;
        };
        let Some(close) = (open + 1..chars.len()).find(|&k| matches!(chars[k], '(' | ')')).filter(|&k| chars[k] == ')')
        else {
            continue;
        };
        let inside = &chars[open + 1..close];
        let inner_words = words(inside);
        // "e.g." opens examples; "i.e." restates.
        let listing = |(k, w): (usize, &Word)| {
            matches!(w.lower.as_str(), "and" | "or" | "nor" | "including" | "such" | "especially" | "particularly")
                || (w.lower == "e" && inner_words.get(k + 1).is_some_and(|g| g.lower == "g"))
        };
        if inside.iter().any(|c| matches!(c, ',' | ';'))
            || inner_words.first().is_none_or(|w| NOT_A_GLOSS.contains(&w.lower.as_str()))
            || inner_words.iter().enumerate().skip(1).any(listing)
        {
            continue;
        }
        // The term's words: after "also called", "i.e.", up to the closing parenthesis.
        let Some(first_term_word) = inner_words.iter().find(|w| !GLOSS_OPENERS.contains(&w.lower.as_str())) else {
            continue;
        };
        let from = open + 1 + first_term_word.start;
        let Some(to) = (open + 1..close).rev().find(|&k| !chars[k].is_whitespace()).map(|k| k + 1) else {
            continue;
        };
        // Every match ending where this one does is a reading of the same words ("skin and joint abnormalities").
        let outers: Vec<usize> = (0..matches.len()).filter(|&k| matches[k].end == outer.end).collect();
        if outers.first() != Some(&i) {
            continue;
        }
        let unrelated: Vec<usize> = (0..matches.len())
            .filter(|&k| matches[k].start >= open && matches[k].end <= close)
            .filter(|&k| outers.iter().all(|&o| !related(&matches[o], &matches[k])))
            .collect();
        let glossed_by = unrelated.iter().copied().find(|&k| {
            matches[k].start == from
                && matches[k].end == to
                && outers.iter().all(|&o| word_count(matches[o].start, matches[o].end) > word_count(from, to))
        });
        match glossed_by {
            Some(_) => outers.iter().for_each(|&o| dropped[o] = true),
            None => unrelated.iter().for_each(|&k| dropped[k] = true),
        }
    }
    // "weakness or paralysis of the muscles that move the eye (ophthalmoplegia)": the term in the parenthesis names
    // the whole phrase before it, so the readings of that phrase's head are not further phenotypes.
    for (k, term) in matches.iter().enumerate() {
        let Some(open) = (0..term.start).rev().find(|&c| !chars[c].is_whitespace()).filter(|&c| chars[c] == '(') else {
            continue;
        };
        let Some(close) = (term.end..chars.len()).find(|&c| !chars[c].is_whitespace()).filter(|&c| chars[c] == ')')
        else {
            continue;
        };
        let term_words = word_count(term.start, term.end);
        if dropped[k] || close < term.end || term_words > MAX_GLOSS_TERM_WORDS {
            continue;
        }
        for (o, head) in matches.iter().enumerate() {
            if head.end >= open || dropped[o] {
                continue;
            }
            let gap = &chars[head.end..open];
            if gap.iter().any(|c| matches!(c, ',' | ';' | ':' | '.' | '(' | ')'))
                || matches.iter().any(|m| m.start >= head.end && m.end <= open)
            {
                continue;
            }
            let gap_words = words(gap);
            // The phrase goes on with a preposition or a relative clause ("... of the muscles that move the eye");
            // a capitalized word or another phenotype between them starts another item (lists written one item a
            // line read as "Short stature Joint deformities (contractures)").
            let joined = gap_words.first().is_some_and(|w| GLOSSED_GAP_OPENERS.contains(&w.lower.as_str()))
                && gap_words.len() <= MAX_GLOSSED_GAP_WORDS
                && !gap_words.iter().any(|w| GLOSSED_GAP_BREAKS.contains(&w.lower.as_str()))
                && !gap_words.iter().any(|w| gap[w.start..w.end].first().is_some_and(|c| c.is_uppercase()));
            if !joined || word_count(head.start, open) <= term_words {
                continue;
            }
            let caused = gap_words.iter().any(|w| CAUSE_WORDS.contains(&w.lower.as_str()));
            let specific = hpo.is_a(&term.hpo_id, &head.hpo_id);
            if specific || (!caused && !hpo.is_a(&head.hpo_id, &term.hpo_id)) {
                dropped[o] = true;
            }
        }
    }
    matches.into_iter().zip(dropped).filter(|(_, d)| !d).map(|(m, _)| m).collect()
}

/// Words that may open the rest of a phrase a parenthesized term names, after the phenotype that heads it:
/// prepositions, "that", and the participles of a cause ("hearing loss caused by nerve damage (...)").
const GLOSSED_GAP_OPENERS: [&str; 19] = [
    "of",
    "in",
    "on",
    "at",
    "to",
    "from",
    "within",
    "around",
    "near",
    "along",
    "under",
    "over",
    "across",
    "between",
    "that",
    "caused",
    "due",
    "affecting",
    "involving",
];

/// The most words of a parenthesized term that names the phrase before it ([`settle_glosses`]).
const MAX_GLOSS_TERM_WORDS: usize = 3;

/// Words between a phenotype and a parenthesized term that end the phrase the term names: conjunctions (another
/// phenotype follows) and the verbs of a clause whose subject the phenotype is ("Muscle weakness may also cause
/// difficulty swallowing (dysphagia)").
const GLOSSED_GAP_BREAKS: [&str; 35] = [
    "and",
    "or",
    "but",
    "nor",
    "which",
    "who",
    "may",
    "might",
    "can",
    "could",
    "will",
    "would",
    "is",
    "are",
    "was",
    "were",
    "be",
    "cause",
    "causes",
    "lead",
    "leads",
    "result",
    "results",
    "include",
    "includes",
    "including",
    "has",
    "have",
    "such",
    "like",
    "especially",
    "particularly",
    "e",
    "with",
    "without",
];

/// Words of a cause between a phenotype and a parenthesized term ("kidney failure due to deposits
/// (amyloidosis)"): the term may name the cause, so only a more specific term of the phenotype itself restates it
/// ("hearing loss caused by nerve damage (sensorineural hearing loss)").
const CAUSE_WORDS: [&str; 8] = ["due", "caused", "because", "resulting", "leading", "causing", "from", "owing"];

/// The most words between a phrase's head and the parenthesized term that names the phrase.
const MAX_GLOSSED_GAP_WORDS: usize = 8;

/// "blood in the urine (hematuria)": a phenotype glossed by another in the parenthesis right after it is one
/// mention, spanning both words and the parenthesis, when the two name the same term or one names an ancestor of
/// the other (then the more specific term is the mention: "weak muscle tone (hypotonia)" is one *Hypotonia*).
/// Two unrelated terms stay two mentions. `matches` are in text order; so is the result.
fn merge_glosses(chars: &[char], hpo: &Ontology, mut matches: Vec<Match>) -> Vec<Match> {
    matches.sort_by_key(|m| (m.start, m.end));
    let mut out: Vec<Match> = Vec::with_capacity(matches.len());
    for m in matches {
        let Some(previous) = out.last_mut() else {
            out.push(m);
            continue;
        };
        let opens = chars
            .get(previous.end..m.start)
            .is_some_and(|gap| gap.iter().filter(|c| !c.is_whitespace()).eq(['('].iter()));
        let closes = chars.get(m.end) == Some(&')');
        let specific = if previous.hpo_id == m.hpo_id || hpo.is_a(&m.hpo_id, &previous.hpo_id) {
            Some((m.hpo_id.clone(), m.rule, m.alternatives.clone()))
        } else if hpo.is_a(&previous.hpo_id, &m.hpo_id) {
            Some((previous.hpo_id.clone(), previous.rule, previous.alternatives.clone()))
        } else {
            None
        };
        match specific.filter(|_| opens && closes) {
            Some((hpo_id, rule, alternatives)) => {
                previous.end = m.end + 1;
                previous.matched = chars[previous.start..previous.end].iter().collect();
                previous.hpo_id = hpo_id;
                previous.rule = rule;
                previous.alternatives = alternatives;
            }
            None => out.push(m),
        }
    }
    out
}

/// "nausea and vomiting" names HPO's grouping term *Nausea and vomiting*, whose children *Nausea* and *Vomiting*
/// each say more: when the words of a match are two names joined by "and" or "or", and each names a descendant of
/// the matched term, the two descendants are the match (each with its own words). Otherwise the match stays.
fn split_grouping_term(matcher: &PhenotypeMatcher, hpo: &Ontology, m: Match) -> Vec<Match> {
    let parts = [" and ", " or "].iter().find_map(|conjunction| {
        let lower = m.matched.to_lowercase();
        let at = lower.find(conjunction)?;
        // Byte offsets of the lower-cased text are those of the text only when lower-casing kept every length.
        (lower.len() == m.matched.len()).then(|| (at, at + conjunction.len()))
    });
    let Some((left_end, right_start)) = parts else { return vec![m] };
    let (left, right) = (&m.matched[..left_end], &m.matched[right_start..]);
    let child = |words: &str| {
        matcher.lookup_phrase(words).filter(|id| *id != m.hpo_id && hpo.is_a(id, &m.hpo_id)).map(str::to_owned)
    };
    let (Some(left_id), Some(right_id)) = (child(left), child(right)) else { return vec![m] };
    let chars = |text: &str| text.chars().count();
    let right_offset = m.start + chars(&m.matched[..right_start]);
    vec![
        Match {
            start: m.start,
            end: m.start + chars(left),
            hpo_id: left_id,
            matched: left.to_owned(),
            alternatives: Vec::new(),
            rule: Rule::GroupingTerm,
        },
        Match {
            start: right_offset,
            end: right_offset + chars(right),
            hpo_id: right_id,
            matched: right.to_owned(),
            alternatives: Vec::new(),
            rule: Rule::GroupingTerm,
        },
    ]
}

/// The HPO word for a modifier, when `word` is one.
pub fn modifier(word: &str) -> Option<&'static str> {
    MODIFIERS.iter().find(|(w, _)| *w == word).map(|(_, prefix)| *prefix)
}

/// The term named by `prefix` + `rest`, when HPO has one whose name starts with `prefix`.
fn compose(matcher: &PhenotypeMatcher, hpo: &Ontology, prefix: &str, rest: &str) -> Option<String> {
    let id = matcher.lookup_phrase(&format!("{prefix} {rest}"))?;
    let label = &hpo.term(id)?.label;
    label.to_lowercase().starts_with(prefix).then(|| id.to_owned())
}

/// The longest modified phrase after the modifier `words[i]`: its end and term.
fn modified(
    matcher: &PhenotypeMatcher,
    hpo: &Ontology,
    chars: &[char],
    words: &[Word],
    base: &[Match],
    i: usize,
    prefix: &str,
) -> Option<(usize, String)> {
    let next = words.get(i + 1).filter(|n| spaces(chars, words[i].end, n.start))?;
    // The words themselves: "repeated infections" -> "recurrent infections".
    let literal = (1..=MAX_MODIFIED_WORDS).rev().find_map(|k| {
        let last = words.get(i + k)?;
        if !(i + 1..i + k).all(|w| spaces(chars, words[w].end, words[w + 1].start)) {
            return None;
        }
        let rest: String = chars[next.start..last.end].iter().collect();
        compose(matcher, hpo, prefix, &rest).map(|id| (last.end, id))
    });
    // The HPO name of the phenotype matched after the modifier: "repeated ear infections" -> otitis media; or after
    // "episodes of" ("recurrent episodes of fever" is *Recurrent fever*).
    let episodes = matches!(next.lower.as_str(), "episodes" | "episode" | "bouts" | "bout" | "attacks" | "attack")
        && words.get(i + 2).is_some_and(|w| w.lower == "of")
        && words.get(i + 3).is_some_and(|_| (i + 1..i + 3).all(|w| spaces(chars, words[w].end, words[w + 1].start)));
    let phenotype_start = if episodes { words.get(i + 3).map_or(usize::MAX, |w| w.start) } else { next.start };
    let named = base.iter().find(|m| m.start == phenotype_start).and_then(|m| {
        let label = &hpo.term(&m.hpo_id)?.label;
        compose(matcher, hpo, prefix, label).map(|id| (m.end, id))
    });
    match (literal, named) {
        (Some(l), Some(n)) if n.0 > l.0 => Some(n),
        (Some(l), _) => Some(l),
        (None, n) => n,
    }
}

/// "Infections may be life-threatening": the subject ending at `words[i]`, the copula after it and the
/// adjective that completes it name a phenotype as "adjective subject" (see the module docs).
fn predicative(matcher: &PhenotypeMatcher, chars: &[char], words: &[Word], i: usize) -> Option<(usize, usize, String)> {
    let mut k = i + 1;
    let mut copula = false;
    while let Some(word) = words.get(k) {
        if !spaces(chars, words[k - 1].end, word.start) {
            return None;
        }
        if COPULAS.contains(&word.lower.as_str()) {
            copula = true;
        } else if !AUXILIARIES.contains(&word.lower.as_str()) || copula {
            break;
        }
        k += 1;
    }
    let adjective = words.get(k).filter(|_| copula && k > i + 1)?;
    let adjective_text: String = chars[adjective.start..adjective.end].iter().collect();
    // One-word subject first, then two words ("Lung infections can be severe").
    (0..=1).find_map(|extra| {
        let first = i.checked_sub(extra)?;
        if first < i && !spaces(chars, words[first].end, words[i].start) {
            return None;
        }
        let subject: String = chars[words[first].start..words[i].end].iter().collect();
        let id = matcher.lookup_phrase(&format!("{adjective_text} {subject}"))?;
        // An adjective that names nothing more than the subject ("Seizures are the most common") adds no term.
        (matcher.lookup_phrase(&subject) != Some(id)).then(|| (words[first].start, adjective.end, id.to_owned()))
    })
}

/// "kidney problems", "eye abnormalities", "abnormalities of the eyes", "problems with movement": the general
/// *Abnormality of the X* term of the organ or function named, when HPO has one (its name must start with
/// "Abnormal"), else the term one of [`DIFFICULTY_FORMS`] names. `words[i]` is the problem noun. The last value says
/// whether a dictionary match of the same words should stand instead (see [`organ_term`], or a [`DEFERRING_NOUNS`]
/// noun).
fn organ_problems(
    matcher: &PhenotypeMatcher,
    hpo: &Ontology,
    chars: &[char],
    words: &[Word],
    i: usize,
) -> Option<(usize, usize, String, bool)> {
    if !PROBLEM_NOUNS.contains(&words[i].lower.as_str()) {
        return None;
    }
    // HPO names difficulties in its own words more often than problems: those words stand (see `refine`).
    let defers = DEFERRING_NOUNS.contains(&words[i].lower.as_str());
    let text = |a: usize, b: usize| chars[words[a].start..words[b].end].iter().collect::<String>();
    let lookup = |organ: &str| organ_term(matcher, hpo, organ);
    // "abnormalities of the eyes", "problems with movement"
    if words.get(i + 1).is_some_and(|w| w.lower == "of" || w.lower == "with") {
        let with = words[i + 1].lower == "with";
        let first = if words.get(i + 2).is_some_and(|w| w.lower == "the") { i + 3 } else { i + 2 };
        for last in (first..(first + 2).min(words.len())).rev() {
            // After "with", the words must end their phrase: "problems with the flow of bile" and "problems with
            // muscular coordination" are about bile and coordination, not flow or muscles.
            let ends = words.get(last + 1).is_none_or(|next| {
                !spaces(chars, words[last].end, next.start) || PHRASE_ENDS.contains(&next.lower.as_str())
            });
            if (i..last).all(|k| spaces(chars, words[k].end, words[k + 1].start)) && (ends || !with) {
                if let Some((id, difficulty)) = lookup(&text(first, last)) {
                    return Some((words[i].start, words[last].end, id, difficulty || defers));
                }
            }
        }
        return None;
    }
    // "kidney problems", "thyroid gland problems"
    for first in i.saturating_sub(2)..i {
        if (first..i).all(|k| spaces(chars, words[k].end, words[k + 1].start)) {
            if let Some((id, difficulty)) = lookup(&text(first, i - 1)) {
                return Some((words[first].start, words[i].end, id, difficulty || defers));
            }
        }
    }
    None
}

/// The term of a problem with organ or function `organ` ("kidney", "digestive", "swallowing"): the general
/// *Abnormality of the X* term HPO names in one of [`ABNORMALITY_FORMS`] (its name must start with "Abnormal"), in
/// either number, else the term one of [`DIFFICULTY_FORMS`] names. The flag says whether HPO's own name of the
/// words, when it has one, should stand instead: the term came from a difficulty form or from the body system an
/// adjective names ("respiratory problems" is HPO's synonym of *Abnormal respiratory system physiology*).
fn organ_term(matcher: &PhenotypeMatcher, hpo: &Ontology, organ: &str) -> Option<(String, bool)> {
    let organ = organ.to_lowercase();
    let singular = organ.strip_suffix('s').filter(|o| !o.ends_with('s')).unwrap_or(&organ).to_owned();
    // An abnormality term in either number first; only then a difficulty.
    let abnormality = [&organ, &singular].into_iter().find_map(|o| {
        ABNORMALITY_FORMS.iter().find_map(|form| {
            let id = matcher.lookup_phrase(&form.replace("{}", o))?;
            let defers = form.ends_with("system");
            hpo.term(id)?.label.to_lowercase().starts_with("abnormal").then(|| (id.to_owned(), defers))
        })
    });
    abnormality.or_else(|| {
        [&organ, &singular].into_iter().find_map(|o| {
            DIFFICULTY_FORMS
                .iter()
                .find_map(|form| matcher.lookup_phrase(&form.replace("{}", o)).map(|id| (id.to_owned(), true)))
        })
    })
}

/// A coordinated list of single words starting at `words[j]`, sharing a head: (start, end, terms).
fn coordinated(
    matcher: &PhenotypeMatcher,
    hpo: &Ontology,
    chars: &[char],
    words: &[Word],
    j: usize,
) -> Option<Coordination> {
    let is_conjunction = |w: &Word| w.lower == "and" || w.lower == "or";
    if is_conjunction(&words[j]) {
        return None;
    }
    let mut conjuncts = vec![j];
    let mut p = j;
    loop {
        let next = words.get(p + 1)?;
        let comma = comma(chars, words[p].end, next.start);
        if !comma && !spaces(chars, words[p].end, next.start) {
            return None;
        }
        if is_conjunction(next) {
            words.get(p + 2).filter(|w| spaces(chars, next.end, w.start) && !is_conjunction(w))?;
            conjuncts.push(p + 2);
            p += 2;
            break;
        }
        if !comma {
            return None;
        }
        conjuncts.push(p + 1);
        p += 1;
    }
    let prefix = j
        .checked_sub(1)
        .filter(|&m| spaces(chars, words[m].end, words[j].start))
        .and_then(|m| modifier(&words[m].lower).map(|prefix| (m, prefix)));
    for k in (1..=MAX_HEAD_WORDS).rev() {
        let Some(last) = words.get(p + k) else { continue };
        if !(p..p + k).all(|w| spaces(chars, words[w].end, words[w + 1].start)) {
            continue;
        }
        let head: String = chars[words[p + 1].start..last.end].iter().collect();
        let problem_head = PROBLEM_NOUNS.contains(&last.lower.as_str());
        let defers = DEFERRING_NOUNS.contains(&last.lower.as_str());
        let mut ids: Vec<String> = Vec::new();
        let mut first_resolved = None;
        let mut last_resolved = None;
        let mut resolved: Vec<usize> = Vec::new();
        let mut with_modifier = false;
        for &c in &conjuncts {
            let word: String = chars[words[c].start..words[c].end].iter().collect();
            let phrase = format!("{word} {head}");
            let modified = prefix.and_then(|(_, prefix)| compose(matcher, hpo, prefix, &phrase));
            with_modifier |= modified.is_some() && first_resolved.is_none();
            // A problem noun as the head: each conjunct names an organ or function ("finger and toe
            // abnormalities"), read as `organ_problems` reads one ("limb abnormalities" is *Abnormality of limbs*
            // there too); a difficulty, or a deferring noun, lets HPO's own name of the words stand.
            let organ = (k == 1 && problem_head).then(|| organ_term(matcher, hpo, &word)).flatten();
            let (first, fallback) = match organ {
                Some((id, false)) if !defers => (Some(id), None),
                other => (None, other.map(|(id, _)| id)),
            };
            let Some(id) =
                modified.or(first).or_else(|| matcher.lookup_phrase(&phrase).map(str::to_owned)).or(fallback)
            else {
                continue;
            };
            first_resolved.get_or_insert(c);
            last_resolved = Some(c);
            resolved.push(c);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        // One term is enough when it comes from an earlier conjunct, which only the shared head completes
        // ("low or absent IgM", "kidney and liver disease"): the dictionary cannot find it.
        if ids.len() >= 2 || (ids.len() == 1 && last_resolved.is_some_and(|c| c != p)) {
            let start = match (prefix, with_modifier) {
                (Some((m, _)), true) => words[m].start,
                _ => words[first_resolved?].start,
            };
            // The conjuncts that gave no term; the last one owns the head too.
            let spare = conjuncts
                .iter()
                .filter(|c| !resolved.contains(c))
                .map(|&c| (words[c].start, if c == p { last.end } else { words[c].end }))
                .collect();
            return Some((start, last.end, ids, spare));
        }
    }
    None
}
