//! Page + annotations -> quads in the page's named graph (MODELING.md).
//!
//! Deterministic: the same page gives the same quads and IRIs (minted IRIs are hashes of what they stand for),
//! so re-ingesting is idempotent and diffs are meaningful. No timestamps go into a page graph for that reason.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use sha2::{Digest, Sha256};

use crate::mappings::Mappings;
use crate::model::vocab::{self, Namespace, PageKey, biolink, dcterms, foaf, oa, prov, rdf, rdfs, skos, xsd};
use crate::ontology::terms::{Aspect, Terms};
use crate::page::{Page, Reference, SectionKind};
use crate::recognize::{
    Annotations, ConditionMention, Evidence, Frequency, Mention, PhenotypeAnnotation, Prevalence, ResolvedCondition,
    TreatmentAnnotation, TreatmentRelation,
};

/// What the model needs besides the page.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The project's namespace (configurable base).
    pub namespace: Namespace,
    /// Pinned Mondo mappings.
    pub mappings: &'a Mappings,
    /// What the bundled ontologies say of a term (label, category, HPO aspect).
    pub terms: &'a Terms,
}

/// The quads of one page and what they contain.
#[derive(Debug, Clone)]
pub struct PageGraph {
    /// How the page is identified.
    pub key: PageKey,
    /// The page's named graph.
    pub graph: NamedNode,
    /// The disease node.
    pub disease: NamedNode,
    /// All quads, in the page graph.
    pub quads: Vec<Quad>,
    /// The own triples of the terms the page uses (label, category), in their ontology's graph (HPO, MAxO, ECO) or
    /// in the terms graph (condition nodes): written beside the page graph, each fact once in the store.
    pub descriptions: Vec<Quad>,
    /// Counts of what was modeled.
    pub counts: Counts,
}

/// Counts of what a page graph holds, for summaries and the metadata graph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Phenotype associations (negated ones included).
    pub phenotype_associations: usize,
    /// Negated phenotype associations.
    pub negated_phenotypes: usize,
    /// Phenotype mentions that support the associations.
    pub phenotype_mentions: usize,
    /// References.
    pub references: usize,
    /// Prevalence figures.
    pub prevalences: usize,
    /// Onsets and clinical courses of the disease itself (HPO aspect C associations).
    pub onsets: usize,
    /// Clinical modifiers and past medical history of the disease (HPO aspects M and H).
    pub other_aspects: usize,
    /// Modes of inheritance.
    pub inheritance: usize,
    /// Associated conditions (distinct objects).
    pub conditions: usize,
    /// Treatments and preventive measures (distinct MAxO term and relation).
    pub treatments: usize,
    /// Warnings (the page's, and terms that cannot be an association's object).
    pub warnings: usize,
    /// Sentences read.
    pub sentences: usize,
    /// Sentences without any annotation.
    pub unannotated_sentences: usize,
}

struct Writer {
    graph: GraphName,
    quads: Vec<Quad>,
    /// Term descriptions, outside the page graph.
    descriptions: Vec<Quad>,
}

impl Writer {
    fn add(&mut self, s: &NamedNode, p: impl Into<NamedNode>, o: impl Into<Term>) {
        self.quads.push(Quad::new(NamedOrBlankNode::from(s.clone()), p.into(), o.into(), self.graph.clone()));
    }
}

/// A short stable hash of the parts that identify a minted node.
fn hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0x1f]);
    }
    h.finalize().iter().take(8).fold(String::with_capacity(16), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn lit(text: &str) -> Literal {
    Literal::new_simple_literal(text)
}

fn typed(value: impl Into<String>, datatype: oxigraph::model::NamedNodeRef<'_>) -> Literal {
    Literal::new_typed_literal(value, datatype)
}

fn curie(id: &str) -> Option<NamedNode> {
    vocab::expand_curie(id)
}

/// The key of a page: its GARD id, or a slug of its title.
pub fn page_key(page: &Page) -> PageKey {
    page.gard_id.map_or_else(|| PageKey::Slug(vocab::page_slug(&page.title)), |g| PageKey::Gard(g.number))
}

/// Builds the quads of one page.
pub fn build(page: &Page, annotations: &Annotations, context: &Context<'_>) -> PageGraph {
    let ns = &context.namespace;
    let key = page_key(page);
    let graph = ns.page_graph(&key);
    let disease = match &key {
        PageKey::Gard(n) => curie(&vocab::gard_curie(*n)).expect("GARD CURIEs expand"),
        PageKey::Slug(s) => ns.iri(&format!("disease/{s}")),
    };
    let mut b = PageBuilder {
        w: Writer { graph: GraphName::NamedNode(graph.clone()), quads: Vec::new(), descriptions: Vec::new() },
        page,
        ns,
        terms: context.terms,
        page_node: ns.page(&key),
        section_iris: section_iris(page, ns, &key),
        reference_iris: page.references.iter().map(|r| (r.number, reference_iri(r, ns, &key))).collect(),
        counts: Counts { warnings: page.warnings.len(), ..Counts::default() },
        key,
        graph,
        disease,
    };
    b.disease(context.mappings, annotations.title_match.as_ref());
    b.page_and_sections(annotations, &annotations.prevalence);
    b.references();
    b.phenotypes(annotations);
    b.disease_annotations(annotations);
    b.conditions(annotations);
    b.treatments(annotations);
    b.prevalence(&annotations.prevalence);
    b.resources();
    let PageBuilder { w, key, graph, disease, counts, .. } = b;
    // Oxigraph stores a set: drop the duplicates a multi-valued slot can produce so counts are exact.
    let mut seen = std::collections::HashSet::new();
    let mut quads = w.quads;
    quads.retain(|q| seen.insert(q.clone()));
    let mut descriptions = w.descriptions;
    descriptions.retain(|q| seen.insert(q.clone()));
    PageGraph { key, graph, disease, quads, descriptions, counts }
}

/// Where the words behind a statement are.
struct Span<'a> {
    section: usize,
    /// (paragraph, sentence), for prose.
    sentence: Option<(usize, usize)>,
    table_row: Option<usize>,
    start: usize,
    end: usize,
    text: &'a str,
}

impl<'a> Span<'a> {
    /// The words of a mention in a prose sentence.
    fn of(m: &'a Mention) -> Span<'a> {
        Span {
            section: m.section,
            sentence: Some((m.paragraph, m.sentence)),
            table_row: None,
            start: m.start,
            end: m.end,
            text: &m.text,
        }
    }
}

/// A reified statement: its class, its triple, and how it was found.
struct Statement<'a> {
    class: oxigraph::model::NamedNodeRef<'static>,
    subject: &'a NamedNode,
    predicate: oxigraph::model::NamedNodeRef<'a>,
    object: &'a NamedNode,
    /// The page states the opposite (no direct triple then).
    negated: bool,
    /// Read from a sign-and-symptom table (HPO's annotations) rather than mined from prose.
    table: bool,
}

/// The state shared by the parts of one page's graph.
struct PageBuilder<'a> {
    w: Writer,
    page: &'a Page,
    ns: &'a Namespace,
    terms: &'a Terms,
    key: PageKey,
    graph: NamedNode,
    disease: NamedNode,
    page_node: NamedNode,
    section_iris: Vec<NamedNode>,
    reference_iris: BTreeMap<u32, NamedNode>,
    counts: Counts,
}

impl PageBuilder<'_> {
    /// The references cited by a sentence's markers that the page lists.
    fn cited(&self, citations: &[u32]) -> Vec<NamedNode> {
        citations.iter().filter_map(|n| self.reference_iris.get(n).cloned()).collect()
    }

    fn disease(&mut self, mappings: &Mappings, title_match: Option<&ResolvedCondition>) {
        let (w, page, disease) = (&mut self.w, self.page, &self.disease);
        w.add(disease, rdf::TYPE, biolink::DISEASE);
        w.add(disease, biolink::CATEGORY, biolink::DISEASE);
        w.add(disease, rdfs::LABEL, lit(&page.title));
        for synonym in &page.synonyms {
            w.add(disease, biolink::SYNONYM, lit(synonym));
            w.add(disease, skos::ALT_LABEL, lit(synonym));
        }
        let ids = DiseaseIdentifiers::of(page, mappings, title_match);
        for iri in ids.xrefs.iter().filter_map(|x| curie(x)) {
            w.add(disease, biolink::XREF, iri);
        }
        for iri in ids.exact.iter().filter_map(|x| curie(x)) {
            w.add(disease, skos::EXACT_MATCH, iri);
        }
        if let Some(summary) = page.section(SectionKind::Summary) {
            let text: Vec<&str> =
                summary.paragraphs.iter().flat_map(|p| &p.sentences).map(|s| s.text.as_str()).collect();
            if !text.is_empty() {
                w.add(disease, dcterms::DESCRIPTION, lit(&text.join(" ")));
            }
        }
        if let Some(url) = page.source.url.as_deref().and_then(|u| NamedNode::new(u).ok()) {
            w.add(disease, dcterms::SOURCE, url);
        }
    }

    fn page_and_sections(&mut self, annotations: &Annotations, figures: &[Prevalence]) {
        let (w, page, ns, node) = (&mut self.w, self.page, self.ns, &self.page_node);
        w.add(node, rdf::TYPE, prov::ENTITY);
        w.add(node, dcterms::SUBJECT, self.disease.clone());
        w.add(node, dcterms::TITLE, lit(&page.title));
        match page.source.url.as_deref().and_then(|u| NamedNode::new(u).ok()) {
            Some(url) => w.add(node, dcterms::SOURCE, url),
            // A file name, not a path: the graph must not depend on where the file sat.
            None => w.add(node, dcterms::SOURCE, lit(file_name(&page.source.location))),
        }
        w.add(node, dcterms::TYPE, lit(page.source.format.name()));
        w.add(node, ns.iri("content_sha256"), lit(&page.source.content_sha256));
        w.add(node, prov::WAS_GENERATED_BY, ns.iri(&format!("tool/gardkg/{}", env!("CARGO_PKG_VERSION"))));
        w.add(node, prov::WAS_ATTRIBUTED_TO, vocab::INFORES_GARD);
        if let Some(g) = page.gard_id {
            w.add(node, ns.iri("gard_id_origin"), lit(id_origin_name(g.origin)));
        }
        // Nothing is lost silently: every sentence either supports an annotation or is counted as unannotated.
        let mut annotated: BTreeSet<(usize, usize, usize)> =
            figures.iter().map(|f| (f.section, f.paragraph, f.sentence)).collect();
        for a in &annotations.phenotypes {
            if let (Some(p), Some(s)) = (a.paragraph, a.sentence) {
                annotated.insert((a.section, p, s));
            }
        }
        let sentences = page.sentences().count();
        self.counts.sentences = sentences;
        self.counts.unannotated_sentences = sentences - annotated.len().min(sentences);
        w.add(node, ns.iri("sentence_count"), Literal::from(as_i64(self.counts.sentences)));
        w.add(node, ns.iri("unannotated_sentence_count"), Literal::from(as_i64(self.counts.unannotated_sentences)));
        for warning in &page.warnings {
            let text = match warning.line {
                Some(line) => format!("{}: {} (line {line})", warning.code.name(), warning.message),
                None => format!("{}: {}", warning.code.name(), warning.message),
            };
            w.add(node, ns.iri("warning"), lit(&text));
        }
        for (section, iri) in page.sections.iter().zip(&self.section_iris) {
            w.add(node, dcterms::HAS_PART, iri.clone());
            w.add(iri, rdf::TYPE, ns.iri("Section"));
            w.add(iri, dcterms::IS_PART_OF, node.clone());
            w.add(iri, ns.iri("section_kind"), lit(section.kind.name()));
            if let Some(heading) = &section.heading {
                w.add(iri, rdfs::LABEL, lit(heading));
            }
            if let Some(date) = &section.last_updated {
                w.add(iri, dcterms::MODIFIED, typed(date.clone(), xsd::DATE));
            }
        }
    }

    fn references(&mut self) {
        for reference in &self.page.references {
            let iri = &self.reference_iris[&reference.number];
            write_reference(&mut self.w, iri, reference);
            self.w.add(&self.page_node, dcterms::REFERENCES, iri.clone());
            self.counts.references += 1;
        }
    }

    /// A term's own triples (label, category) go beside the page, in the term's ontology graph.
    fn describe(&mut self, curie: &str) {
        let quads = self.terms.describe(curie);
        self.w.descriptions.extend(quads);
    }

    /// One association per distinct (phenotype, negation, qualifiers, evidence), with every mention behind it.
    /// Only terms under Phenotypic abnormality are phenotypes; a table row naming a mode of inheritance, an onset
    /// or another disease-level HPO term is left to [`Self::disease_annotations`], as `phenotype.hpoa` reads it.
    fn phenotypes(&mut self, annotations: &Annotations) {
        let mut groups: BTreeMap<String, Vec<&PhenotypeAnnotation>> = BTreeMap::new();
        for a in &annotations.phenotypes {
            if self.terms.aspect(&a.hpo_id) == Some(Aspect::Phenotype) {
                groups.entry(association_key(a)).or_default().push(a);
            }
        }
        let mut positive: BTreeSet<String> = BTreeSet::new();
        for (group_key, mentions) in &groups {
            let first = mentions[0];
            let Some(object) = curie(&first.hpo_id) else { continue };
            let assoc = self.ns.iri(&format!(
                "assoc/{}",
                hash(&[self.graph.as_str(), self.disease.as_str(), biolink::HAS_PHENOTYPE.as_str(), group_key])
            ));
            self.association(&assoc, &object, first);
            for mention in mentions {
                self.mention(&assoc, mention);
            }
            self.counts.phenotype_associations += 1;
            if first.negated {
                self.counts.negated_phenotypes += 1;
            } else {
                positive.insert(object.as_str().to_owned());
            }
            self.describe(&first.hpo_id);
            if let Some(Frequency::Term(f)) = &first.frequency {
                self.describe(f);
            }
            if let Some(onset) = &first.onset {
                self.describe(onset);
            }
        }
        for object in positive {
            self.w.add(&self.disease, biolink::HAS_PHENOTYPE, NamedNode::new_unchecked(object));
        }
    }

    /// The association node and its qualifiers (shared by all its mentions).
    fn association(&mut self, assoc: &NamedNode, object: &NamedNode, first: &PhenotypeAnnotation) {
        let w = &mut self.w;
        w.add(assoc, rdf::TYPE, biolink::DISEASE_TO_PHENOTYPIC_FEATURE_ASSOCIATION);
        w.add(assoc, biolink::CATEGORY, biolink::DISEASE_TO_PHENOTYPIC_FEATURE_ASSOCIATION);
        w.add(assoc, rdf::SUBJECT, self.disease.clone());
        w.add(assoc, rdf::PREDICATE, biolink::HAS_PHENOTYPE);
        w.add(assoc, rdf::OBJECT, object.clone());
        w.add(assoc, biolink::NEGATED, Literal::from(first.negated));
        match &first.frequency {
            Some(Frequency::Term(id)) => {
                if let Some(f) = curie(id) {
                    w.add(assoc, biolink::FREQUENCY_QUALIFIER, f);
                }
            }
            Some(Frequency::Percentage(p)) => w.add(assoc, biolink::HAS_PERCENTAGE, Literal::from(*p)),
            Some(Frequency::Ratio { count, total }) => {
                w.add(assoc, biolink::HAS_COUNT, Literal::from(i64::from(*count)));
                w.add(assoc, biolink::HAS_TOTAL, Literal::from(i64::from(*total)));
                if *total > 0 {
                    let quotient = f64::from(*count) / f64::from(*total);
                    w.add(assoc, biolink::HAS_QUOTIENT, Literal::from(quotient));
                    w.add(assoc, biolink::HAS_PERCENTAGE, Literal::from(quotient * 100.0));
                }
            }
            None => {}
        }
        if let Some(onset) = first.onset.as_deref().and_then(curie) {
            w.add(assoc, biolink::ONSET_QUALIFIER, onset);
        }
        self.knowledge_slots(assoc, first.evidence == Evidence::Table);
    }

    /// One mention: its supporting text, the references its sentence cites, and where its words are.
    fn mention(&mut self, assoc: &NamedNode, mention: &PhenotypeAnnotation) {
        self.span(
            assoc,
            &Span {
                section: mention.section,
                sentence: mention.paragraph.zip(mention.sentence),
                table_row: mention.table_row,
                start: mention.start,
                end: mention.end,
                text: &mention.text,
            },
        );
        self.counts.phenotype_mentions += 1;
    }

    /// The provenance of one mention of any statement: supporting text, cited references, section, selector.
    fn span(&mut self, assoc: &NamedNode, mention: &Span<'_>) {
        let section = &self.page.sections[mention.section];
        let section_iri = self.section_iris[mention.section].clone();
        let sentence = mention.sentence.and_then(|(p, s)| section.paragraphs.get(p)?.sentences.get(s));
        let supporting = match (sentence, mention.table_row.and_then(|r| section.table.get(r))) {
            (Some(s), _) => s.text.clone(),
            (None, Some(row)) => {
                row.frequency.as_ref().map_or_else(|| row.label.clone(), |f| format!("{} {f}", row.label))
            }
            (None, None) => mention.text.to_owned(),
        };
        let cited = self.cited(sentence.map(|s| s.citations.as_slice()).unwrap_or_default());
        let w = &mut self.w;
        w.add(assoc, biolink::SUPPORTING_TEXT, lit(&supporting));
        for reference in cited {
            w.add(assoc, biolink::PUBLICATIONS, reference);
        }
        w.add(assoc, prov::WAS_DERIVED_FROM, section_iri.clone());
        let (start, end) = (mention.start.to_string(), mention.end.to_string());
        let selector = self.ns.iri(&format!("selector/{}", hash(&[section_iri.as_str(), &start, &end])));
        w.add(assoc, oa::HAS_SELECTOR, selector.clone());
        w.add(&selector, rdf::TYPE, oa::TEXT_POSITION_SELECTOR);
        w.add(&selector, oa::HAS_SOURCE, section_iri);
        w.add(&selector, oa::START, Literal::from(as_i64(mention.start)));
        w.add(&selector, oa::END, Literal::from(as_i64(mention.end)));
        w.add(&selector, oa::EXACT, lit(mention.text));
    }

    /// The slots every text-mined or table-read association carries. MedQuAD's sign-and-symptom tables are HPO's
    /// own annotations: their primary source is the HPO annotations resource, with GARD as the aggregator that
    /// published them (as Monarch credits aggregated sources), and their evidence is HPO's traceable author
    /// statement; prose is GARD's own text, mined here.
    fn knowledge_slots(&mut self, assoc: &NamedNode, table: bool) {
        let w = &mut self.w;
        if table {
            w.add(assoc, biolink::HAS_EVIDENCE, vocab::ECO_AUTHOR_STATEMENT);
            w.add(assoc, biolink::PRIMARY_KNOWLEDGE_SOURCE, vocab::INFORES_HPO_ANNOTATIONS);
            w.add(assoc, biolink::AGGREGATOR_KNOWLEDGE_SOURCE, vocab::INFORES_GARD);
        } else {
            w.add(assoc, biolink::HAS_EVIDENCE, vocab::ECO_TEXT_MINED);
            w.add(assoc, biolink::PRIMARY_KNOWLEDGE_SOURCE, vocab::INFORES_GARD);
        }
        w.add(assoc, biolink::KNOWLEDGE_LEVEL, lit("knowledge_assertion"));
        w.add(assoc, biolink::AGENT_TYPE, lit(if table { "automated_agent" } else { "text_mining_agent" }));
        let evidence = if table { vocab::ECO_AUTHOR_STATEMENT } else { vocab::ECO_TEXT_MINED };
        let evidence = vocab::compact_iri(evidence.as_str()).unwrap_or_default();
        self.describe(&evidence);
    }

    /// A reified association `subject predicate object` of class `class`, with its mentions; the direct triple too
    /// unless negated. Returns the association node.
    fn statement(&mut self, statement: &Statement<'_>, mentions: &[Span<'_>]) -> NamedNode {
        let Statement { class, subject, predicate, object, negated, table } = statement;
        let mut key = vec![self.graph.as_str(), subject.as_str(), predicate.as_str(), object.as_str()];
        // Prose keeps the IRIs it always had; a table row's statement is another association.
        if *table {
            key.push("table");
        }
        if *negated {
            key.push("negated");
        }
        let assoc = self.ns.iri(&format!("assoc/{}", hash(&key)));
        let w = &mut self.w;
        w.add(&assoc, rdf::TYPE, *class);
        w.add(&assoc, biolink::CATEGORY, *class);
        w.add(&assoc, rdf::SUBJECT, (*subject).clone());
        w.add(&assoc, rdf::PREDICATE, *predicate);
        w.add(&assoc, rdf::OBJECT, (*object).clone());
        w.add(&assoc, biolink::NEGATED, Literal::from(*negated));
        if !negated {
            w.add(subject, *predicate, (*object).clone());
        }
        self.knowledge_slots(&assoc, *table);
        for mention in mentions {
            self.span(&assoc, mention);
        }
        assoc
    }

    /// Associated conditions: `biolink:associated_with` to the Orphanet/OMIM/MONDO term a pinned lexicon names, or
    /// to a `gardkg:condition/<slug>` node labelled with the words and flagged `gardkg:unresolved`.
    fn conditions(&mut self, annotations: &Annotations) {
        let mut groups: BTreeMap<String, (Option<&str>, Vec<&ConditionMention>)> = BTreeMap::new();
        for c in &annotations.conditions {
            let key = c.id.clone().unwrap_or_else(|| format!("condition/{}", vocab::slug(&c.at.text)));
            groups.entry(key).or_insert_with(|| (c.label.as_deref(), Vec::new())).1.push(c);
        }
        let disease = self.disease.clone();
        for (key, (label, mentions)) in groups {
            let resolved = mentions[0].id.is_some();
            let Some(object) = (if resolved { curie(&key) } else { Some(self.ns.iri(&key)) }) else { continue };
            let spans: Vec<Span<'_>> = mentions.iter().map(|m| Span::of(&m.at)).collect();
            self.statement(
                &Statement {
                    class: biolink::DISEASE_TO_DISEASE_ASSOCIATION,
                    subject: &disease,
                    predicate: biolink::ASSOCIATED_WITH,
                    object: &object,
                    negated: false,
                    table: false,
                },
                &spans,
            );
            // The condition node is a term shared by every page that names it: described once, in the terms graph.
            // An unresolved node's label is its normalized words, so every page gives it the same one.
            let label = match label {
                Some(label) => label.to_owned(),
                None => mentions[0].at.text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase(),
            };
            let terms = GraphName::NamedNode(self.ns.terms_graph());
            let mut describe = |p: NamedNode, o: Term| {
                self.w.descriptions.push(Quad::new(object.clone(), p, o, terms.clone()));
            };
            describe(rdf::TYPE.into(), biolink::DISEASE.into());
            describe(biolink::CATEGORY.into(), biolink::DISEASE.into());
            describe(rdfs::LABEL.into(), lit(&label).into());
            if !resolved {
                describe(self.ns.iri("unresolved"), Literal::from(true).into());
            }
            self.counts.conditions += 1;
        }
    }

    /// Treatments and preventive measures, in Monarch's MAxO direction: `MAXO:x biolink:ameliorates_condition
    /// GARD:n` (or `biolink:preventative_for_condition`).
    fn treatments(&mut self, annotations: &Annotations) {
        let mut groups: BTreeMap<(&str, TreatmentRelation), Vec<&TreatmentAnnotation>> = BTreeMap::new();
        for t in &annotations.treatments {
            groups.entry((t.maxo_id.as_str(), t.relation)).or_default().push(t);
        }
        let disease = self.disease.clone();
        for ((id, relation), mentions) in groups {
            let Some(action) = curie(id) else { continue };
            let predicate = match relation {
                TreatmentRelation::Ameliorates => biolink::AMELIORATES_CONDITION,
                TreatmentRelation::Prevents => biolink::PREVENTATIVE_FOR_CONDITION,
            };
            let spans: Vec<Span<'_>> = mentions.iter().map(|m| Span::of(&m.at)).collect();
            self.statement(
                &Statement {
                    class: biolink::TREATMENT_TO_DISEASE_ASSOCIATION,
                    subject: &action,
                    predicate,
                    object: &disease,
                    negated: false,
                    table: false,
                },
                &spans,
            );
            // The MAxO term's label and category (biolink:Treatment) live in MAxO's graph.
            self.describe(id);
            self.counts.treatments += 1;
        }
    }

    /// What the page says of the disease as a whole, as `phenotype.hpoa`'s aspects: modes of inheritance (I,
    /// `biolink:has_mode_of_inheritance`), clinical course and onset (C), clinical modifiers (M) and past medical
    /// history (H), each with its predicate from `ontology/gardkg.ttl` and the aspect recorded. From prose (the
    /// recognized onsets and inheritance) and from table rows whose term is under those HPO branches. A term that
    /// can be nothing's object (a frequency term, the root) is a warning.
    fn disease_annotations(&mut self, annotations: &Annotations) {
        type Key<'k> = (Aspect, &'k str, bool, bool);
        let mut groups: BTreeMap<Key<'_>, Vec<Span<'_>>> = BTreeMap::new();
        for (mentions, aspect) in
            [(&annotations.onsets, Aspect::ClinicalCourse), (&annotations.inheritance, Aspect::Inheritance)]
        {
            for m in mentions {
                groups.entry((aspect, m.hpo_id.as_str(), false, false)).or_default().push(Span::of(&m.at));
            }
        }
        for a in annotations.phenotypes.iter().filter(|a| a.evidence == Evidence::Table) {
            match self.terms.aspect(&a.hpo_id) {
                Some(Aspect::Phenotype) => {}
                Some(aspect) => groups.entry((aspect, a.hpo_id.as_str(), a.negated, true)).or_default().push(Span {
                    section: a.section,
                    sentence: None,
                    table_row: a.table_row,
                    start: a.start,
                    end: a.end,
                    text: &a.text,
                }),
                None => {
                    let warning = format!(
                        "not-an-annotation: the table row {:?} names {} ({}), which HPO does not annotate diseases with",
                        a.text, a.hpo_id, a.label
                    );
                    self.w.add(&self.page_node.clone(), self.ns.iri("warning"), lit(&warning));
                    self.counts.warnings += 1;
                }
            }
        }
        let disease = self.disease.clone();
        let aspect_property = self.ns.iri("hpo_aspect");
        for ((aspect, id, negated, table), spans) in groups {
            let Some(object) = curie(id) else { continue };
            let (class, predicate) = match aspect {
                Aspect::Inheritance => (
                    biolink::DISEASE_OR_PHENOTYPIC_FEATURE_TO_GENETIC_INHERITANCE_ASSOCIATION,
                    biolink::HAS_MODE_OF_INHERITANCE.into_owned(),
                ),
                Aspect::ClinicalCourse => (biolink::ASSOCIATION, self.ns.iri(vocab::ASPECT_PREDICATES[0].0)),
                Aspect::ClinicalModifier => (biolink::ASSOCIATION, self.ns.iri(vocab::ASPECT_PREDICATES[1].0)),
                Aspect::PastMedicalHistory => (biolink::ASSOCIATION, self.ns.iri(vocab::ASPECT_PREDICATES[2].0)),
                Aspect::Phenotype => continue,
            };
            let assoc = self.statement(
                &Statement { class, subject: &disease, predicate: predicate.as_ref(), object: &object, negated, table },
                &spans,
            );
            self.w.add(&assoc, aspect_property.clone(), lit(aspect.letter()));
            self.describe(id);
            match aspect {
                Aspect::Inheritance => self.counts.inheritance += 1,
                Aspect::ClinicalCourse => self.counts.onsets += 1,
                _ => self.counts.other_aspects += 1,
            }
        }
    }

    /// One node per distinct range, with every sentence that states it.
    fn prevalence(&mut self, figures: &[Prevalence]) {
        let mut ranges: Vec<(&Prevalence, Vec<&Prevalence>)> = Vec::new();
        for f in figures {
            match ranges.iter_mut().find(|(r, _)| r.same_range(f)) {
                Some((_, all)) => all.push(f),
                None => ranges.push((f, vec![f])),
            }
        }
        for (range, all) in &ranges {
            let (min, max) = (range.min_percentage.to_string(), range.max_percentage.to_string());
            let node = self.ns.iri(&format!("prevalence/{}", hash(&[self.graph.as_str(), &min, &max])));
            self.w.add(&self.disease, self.ns.iri("prevalence"), node.clone());
            self.w.add(&node, rdf::TYPE, self.ns.iri("Prevalence"));
            // Biolink has no prevalence class; a figure that characterizes the disease is an attribute.
            self.w.add(&node, biolink::CATEGORY, biolink::ATTRIBUTE);
            self.w.add(&node, self.ns.iri("min_percentage"), decimal(range.min_percentage));
            self.w.add(&node, self.ns.iri("max_percentage"), decimal(range.max_percentage));
            for f in all {
                let sentence = &self.page.sections[f.section].paragraphs[f.paragraph].sentences[f.sentence];
                self.w.add(&node, biolink::SUPPORTING_TEXT, lit(&sentence.text));
                self.w.add(&node, prov::WAS_DERIVED_FROM, self.section_iris[f.section].clone());
                for reference in self.cited(&sentence.citations) {
                    self.w.add(&node, biolink::PUBLICATIONS, reference);
                }
            }
            self.counts.prevalences += 1;
        }
    }

    fn resources(&mut self) {
        for resource in &self.page.resources {
            let node = match resource.url.as_deref().and_then(|u| NamedNode::new(u).ok()) {
                Some(url) => url,
                None => self.ns.iri(&format!("resource/{}", vocab::slug(&resource.label))),
            };
            self.w.add(&self.disease, rdfs::SEE_ALSO, node.clone());
            self.w.add(&node, rdfs::LABEL, lit(&resource.label));
            self.w.add(&node, self.ns.iri("resource_kind"), lit(resource.kind.name()));
        }
    }
}

fn as_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A canonical xsd:decimal lexical form (no exponent).
/// An xsd:decimal in its canonical lexical form (`2`, `0.03`), which is the form Oxigraph stores and gives back:
/// a page written as `2.0` would read back as `2`, and storing the same page again would replace it.
fn decimal(x: f64) -> Literal {
    // The shortest text that reads back as `x`, then Oxigraph's own decimal (18 fraction digits) prints it.
    let shortest = format!("{x}");
    let value = shortest.parse::<oxsdatatypes::Decimal>().map_or(shortest, |d| d.to_string());
    Literal::new_typed_literal(value, xsd::DECIMAL)
}

fn file_name(location: &str) -> &str {
    location.rsplit(['/', '\\']).next().unwrap_or(location)
}

fn id_origin_name(origin: crate::page::IdOrigin) -> &'static str {
    use crate::page::IdOrigin;
    match origin {
        IdOrigin::Flag => "flag",
        IdOrigin::FileName => "file-name",
        IdOrigin::Url => "url",
        IdOrigin::MondoTitle => "mondo-title",
    }
}

/// What makes two mentions the same association.
fn association_key(a: &PhenotypeAnnotation) -> String {
    let frequency = match &a.frequency {
        None => String::new(),
        Some(Frequency::Term(t)) => t.clone(),
        Some(Frequency::Percentage(p)) => format!("{p}%"),
        Some(Frequency::Ratio { count, total }) => format!("{count}/{total}"),
    };
    let evidence = match a.evidence {
        Evidence::Table => "table",
        Evidence::TextMined => "text",
    };
    // The onset joins the key only when there is one, so associations without onset keep the IRIs they had.
    let onset = a.onset.as_deref().map(|o| format!("|{o}")).unwrap_or_default();
    format!("{}|{}|{frequency}|{evidence}{onset}", a.hpo_id, a.negated)
}

/// Section IRIs: `#symptoms`, and `#symptoms-2` for a second section of the same kind.
fn section_iris(page: &Page, ns: &Namespace, key: &PageKey) -> Vec<NamedNode> {
    let mut seen: BTreeMap<SectionKind, usize> = BTreeMap::new();
    page.sections
        .iter()
        .map(|s| {
            let n = seen.entry(s.kind).or_insert(0);
            *n += 1;
            let fragment = if *n == 1 { s.kind.name().to_owned() } else { format!("{}-{n}", s.kind.name()) };
            ns.section(key, &fragment)
        })
        .collect()
}

/// A reference's identifier, the one place it is chosen: the first of its PMID, PMCID, DOI (as CURIEs) and URL that
/// makes a valid IRI, with that IRI; `None` for a reference that carries none of them.
pub fn reference_id(r: &Reference) -> Option<(String, NamedNode)> {
    let curies = [
        r.pmid.as_ref().map(|id| format!("PMID:{id}")),
        r.pmcid.as_ref().map(|id| format!("PMCID:{id}")),
        r.doi.as_ref().map(|id| format!("doi:{id}")),
    ];
    curies
        .into_iter()
        .flatten()
        .find_map(|id| curie(&id).map(|iri| (id, iri)))
        .or_else(|| r.url.as_deref().and_then(|u| NamedNode::new(u).ok().map(|iri| (u.to_owned(), iri))))
}

/// A reference's IRI: that of its [`reference_id`], else a hash of its citation.
pub fn reference_iri(r: &Reference, ns: &Namespace, key: &PageKey) -> NamedNode {
    reference_id(r).map_or_else(|| ns.iri(&format!("ref/{}", hash(&[&key.path(), &r.citation]))), |(_, iri)| iri)
}

/// The identifiers of a page's disease, decided in this one place: the identifiers the page states and, through the
/// pinned Mondo mappings of its GARD id, the Mondo terms and their exact matches (`xrefs`); of those, the Mondo
/// terms and their Orphanet exact matches are the same disease (`exact`: Mondo's exactMatch to Orphanet is one-to-one
/// curation, UMLS and OMIM stay cross-references). Without a Mondo mapping of the GARD id, the term the pinned
/// lexicon names exactly by the title (`title_match`) is that disease.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiseaseIdentifiers {
    /// Every identifier of the disease (`biolink:xref`), as CURIEs.
    pub xrefs: BTreeSet<String>,
    /// The identifiers of the same disease (`skos:exactMatch`).
    pub exact: BTreeSet<String>,
}

impl DiseaseIdentifiers {
    /// The identifiers of `page`'s disease (see the type's docs).
    pub fn of(page: &Page, mappings: &Mappings, title_match: Option<&ResolvedCondition>) -> DiseaseIdentifiers {
        let mut ids = DiseaseIdentifiers { xrefs: page.identifiers.iter().cloned().collect(), exact: BTreeSet::new() };
        let mut mapped = false;
        if let PageKey::Gard(n) = page_key(page) {
            for term in mappings.for_gard(n) {
                mapped = true;
                ids.xrefs.insert(term.id.clone());
                ids.exact.insert(term.id.clone());
                for m in &term.exact_matches {
                    ids.xrefs.insert(m.clone());
                    if m.starts_with("Orphanet:") {
                        ids.exact.insert(m.clone());
                    }
                }
            }
        }
        if let Some(title) = title_match.filter(|_| !mapped) {
            ids.exact.insert(title.id.clone());
            ids.xrefs.insert(title.id.clone());
            ids.xrefs.extend(title.exact_matches.iter().filter(|m| !m.starts_with("ICD10CM:")).cloned());
        }
        ids
    }
}

fn write_reference(w: &mut Writer, iri: &NamedNode, r: &Reference) {
    let article =
        r.pmid.is_some() || r.pmcid.is_some() || (r.journal.is_some() && (r.volume.is_some() || r.pages.is_some()));
    let class = if article { biolink::JOURNAL_ARTICLE } else { biolink::PUBLICATION };
    w.add(iri, rdf::TYPE, class);
    w.add(iri, biolink::CATEGORY, class);
    if let Some(title) = &r.title {
        w.add(iri, rdfs::LABEL, lit(title));
    }
    w.add(iri, dcterms::BIBLIOGRAPHIC_CITATION, lit(&r.citation));
    for author in &r.authors {
        w.add(iri, dcterms::CREATOR, lit(author));
    }
    if let Some(year) = r.year {
        w.add(iri, dcterms::ISSUED, typed(format!("{year:04}"), xsd::G_YEAR));
    }
    if let Some(journal) = &r.journal {
        w.add(iri, dcterms::IS_PART_OF, lit(journal));
    }
    for (slot, value) in [(biolink::VOLUME, &r.volume), (biolink::ISSUE, &r.issue), (biolink::PAGES, &r.pages)] {
        if let Some(v) = value {
            w.add(iri, slot, lit(v));
        }
    }
    let ids = [
        r.pmid.as_ref().map(|i| format!("PMID:{i}")),
        r.pmcid.as_ref().map(|i| format!("PMCID:{i}")),
        r.doi.as_ref().map(|i| format!("doi:{i}")),
    ];
    for id in ids.iter().flatten() {
        if let Some(x) = curie(id).filter(|x| x != iri) {
            w.add(iri, biolink::XREF, x);
        }
    }
    if let Some(url) = r.url.as_deref().and_then(|u| NamedNode::new(u).ok()) {
        w.add(iri, foaf::PAGE, url);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_id_takes_the_first_identifier_that_makes_an_iri() {
        let id = |r: Reference| reference_id(&r).map(|(id, _)| id);
        let pmid = Reference { pmid: Some("11".into()), doi: Some("10.1/a".into()), ..Reference::default() };
        assert_eq!(id(pmid), Some("PMID:11".to_owned()));
        let doi =
            Reference { doi: Some("10.1/b".into()), url: Some("https://example.org/b".into()), ..Reference::default() };
        assert_eq!(id(doi), Some("doi:10.1/b".to_owned()));
        // A DOI with a space makes no IRI: the URL stands in.
        let bad_doi = Reference {
            doi: Some("10.1/c d".into()),
            url: Some("https://example.org/c".into()),
            ..Reference::default()
        };
        assert_eq!(id(bad_doi), Some("https://example.org/c".to_owned()));
        assert_eq!(id(Reference { citation: "no id".into(), ..Reference::default() }), None);
    }

    #[test]
    fn decimals_are_written_as_the_store_gives_them_back() {
        let store = oxigraph::store::Store::new().unwrap();
        for x in [0.0, -0.0, 2.0, 0.03, 3.8, 12.5, 0.000_1, 100.0] {
            let written = decimal(x);
            let node = NamedNode::new_unchecked("https://example.org/s");
            let quad = oxigraph::model::Quad::new(node.clone(), node.clone(), written.clone(), GraphName::DefaultGraph);
            store.insert(&quad).unwrap();
            let back: Vec<_> = store.quads_for_pattern(None, None, None, None).collect::<Result<_, _>>().unwrap();
            assert_eq!(back, vec![quad.clone()], "{x} was written as {written}");
            store.remove(&quad).unwrap();
        }
        assert_eq!(decimal(2.0).value(), "2");
        assert_eq!(decimal(0.03).value(), "0.03");
    }
}
