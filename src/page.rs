//! The `Page` record: the stable seam between reading and modeling.
//!
//! Every reader in [`crate::source`] produces a [`Page`]; the model never sees the input format. The record is
//! plain serde data so that `gardkg parse PAGE --json` can print it and other tools can consume it.
//!
//! Offsets: every [`Sentence`], [`Paragraph`] and [`TableRow`] carries `start`/`end` offsets counted in Unicode
//! scalar values (`char`s) into its section's [`Section::text`], end exclusive, as the W3C Web Annotation
//! `TextPositionSelector` counts them. `section.text.chars().skip(start).take(end - start)` gives the span back.

use serde::{Deserialize, Serialize};

/// One disease page, as read from any source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// Where the page came from and how it was read.
    pub source: Source,
    /// The GARD identifier (numeric, unpadded: 12547), when known, and where it came from.
    pub gard_id: Option<GardId>,
    /// The disease name as the page titles it.
    pub title: String,
    /// Other names of the disease, in page order, without duplicates.
    pub synonyms: Vec<String>,
    /// Identifiers stated by the source itself (e.g. UMLS CUIs in MedQuAD), as CURIEs like `UMLS:C0154275`.
    pub identifiers: Vec<String>,
    /// The page's sections, in page order.
    pub sections: Vec<Section>,
    /// The numbered references at the bottom of the page.
    pub references: Vec<Reference>,
    /// Registries, organizations and in-depth resources the page points to.
    pub resources: Vec<Resource>,
    /// Everything the reader lost, cut or did not understand.
    pub warnings: Vec<Warning>,
}

/// Where a page came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The reader that produced the page.
    pub format: SourceFormat,
    /// The file path or URL that was read, as given by the user.
    pub location: String,
    /// The page's canonical web address, when the source states it (MedQuAD `url` attribute, HTML canonical link).
    pub url: Option<String>,
    /// Lower-case hex SHA-256 of the bytes that were read.
    pub content_sha256: String,
}

/// The input formats gardkg reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// A GARD page as a browser copies it to text (`../shared/corpus/gard-pages`).
    GardText,
    /// A MedQuAD GARD question/answer XML document.
    Medquad,
    /// A GARD page as HTML.
    Html,
}

impl SourceFormat {
    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::GardText => "gard-text",
            Self::Medquad => "medquad",
            Self::Html => "html",
        }
    }
}

/// A GARD identifier and how the reader learned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GardId {
    /// The numeric identifier, e.g. 12547 (written `GARD:0012547` in the graph).
    pub number: u32,
    /// Where the number came from.
    pub origin: IdOrigin,
}

/// Where a page's GARD identifier came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdOrigin {
    /// Given by the user (`--gard-id`).
    Flag,
    /// The leading digits of the file name (`12547-selective-igm-deficiency.txt`).
    FileName,
    /// The page's URL (`.../gard/12547/...` or `.../diseases/12547/...`).
    Url,
    /// The Mondo mapping (`hasDbXref GARD:`) of a Mondo term whose label is the page title.
    MondoTitle,
}

/// A section of a page: a run of paragraphs about one aspect of the disease.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// What the section is about.
    pub kind: SectionKind,
    /// The heading or question that introduced the section, when the source had one.
    pub heading: Option<String>,
    /// The section's text, as read (bullets and line breaks kept; "Last updated" line removed).
    pub text: String,
    /// Paragraphs and list items, with their sentences.
    pub paragraphs: Vec<Paragraph>,
    /// Rows of a sign-and-symptom table, when the section has one (MedQuAD flattens HPO tables into prose).
    pub table: Vec<TableRow>,
    /// The section's "Last updated" date as `YYYY-MM-DD`.
    pub last_updated: Option<String>,
}

/// The kinds of section a GARD page has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// The summary (MedQuAD `information`).
    Summary,
    /// Signs and symptoms.
    Symptoms,
    /// Cause.
    Cause,
    /// Inheritance.
    Inheritance,
    /// Diagnosis (MedQuAD `exams and tests`).
    Diagnosis,
    /// Treatment and management.
    Treatment,
    /// Prevalence.
    Prevalence,
    /// Research and patient registries.
    Research,
    /// Support and advocacy organizations.
    Organizations,
    /// In-depth resources.
    Resources,
    /// Questions sent to GARD.
    Questions,
    /// The numbered references.
    References,
    /// A section the reader could not classify.
    Other,
}

impl SectionKind {
    /// Every kind, in the order a GARD page presents them.
    pub const ALL: [Self; 13] = [
        Self::Summary,
        Self::Symptoms,
        Self::Cause,
        Self::Inheritance,
        Self::Diagnosis,
        Self::Treatment,
        Self::Prevalence,
        Self::Research,
        Self::Organizations,
        Self::Resources,
        Self::Questions,
        Self::References,
        Self::Other,
    ];

    /// The name used in JSON and in section IRIs (`gardkg:page/gard/0012547#symptoms`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Summary => "summary",
            Self::Symptoms => "symptoms",
            Self::Cause => "cause",
            Self::Inheritance => "inheritance",
            Self::Diagnosis => "diagnosis",
            Self::Treatment => "treatment",
            Self::Prevalence => "prevalence",
            Self::Research => "research",
            Self::Organizations => "organizations",
            Self::Resources => "resources",
            Self::Questions => "questions",
            Self::References => "references",
            Self::Other => "other",
        }
    }
}

/// A paragraph or a list item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    /// Prose or list item.
    pub kind: ParagraphKind,
    /// Offset of the first character in [`Section::text`].
    pub start: usize,
    /// Offset one past the last character in [`Section::text`].
    pub end: usize,
    /// The sentences of the paragraph, in order.
    pub sentences: Vec<Sentence>,
}

/// Whether a paragraph is running prose or an item of a bulleted list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParagraphKind {
    /// Running prose.
    Prose,
    /// One item of a bulleted list (the bullet itself is outside the span).
    ListItem,
}

/// One sentence, without its trailing citation markers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// The sentence text: exactly the characters `start..end` of the section text.
    pub text: String,
    /// Offset of the first character in [`Section::text`].
    pub start: usize,
    /// Offset one past the last character (before any citation marker) in [`Section::text`].
    pub end: usize,
    /// The reference numbers cited by the markers that end the sentence (`[1][4]` gives `[1, 4]`).
    pub citations: Vec<u32>,
}

/// One row of a sign-and-symptom table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableRow {
    /// The phenotype label as the table gives it.
    pub label: String,
    /// The frequency as written (`90%`, `7.5%`, `25/25`), or `None` for `-`.
    pub frequency: Option<String>,
    /// Offset of the label's first character in [`Section::text`].
    pub start: usize,
    /// Offset one past the label's last character in [`Section::text`].
    pub end: usize,
}

/// A numbered reference, with the parts the reader could parse from its citation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The number that in-text markers use (`[2]`).
    pub number: u32,
    /// The whole citation as written.
    pub citation: String,
    /// Authors as written (`Gupta S`).
    pub authors: Vec<String>,
    /// The title of the work.
    pub title: Option<String>,
    /// The journal or publisher.
    pub journal: Option<String>,
    /// The publication date as written (`August, 2017`).
    pub date: Option<String>,
    /// The publication year.
    pub year: Option<i32>,
    /// Volume.
    pub volume: Option<String>,
    /// Issue.
    pub issue: Option<String>,
    /// Pages or article number.
    pub pages: Option<String>,
    /// The URL given in the citation.
    pub url: Option<String>,
    /// PubMed identifier (digits only).
    pub pmid: Option<String>,
    /// PubMed Central identifier, with its `PMC` prefix.
    pub pmcid: Option<String>,
    /// DOI (`10.xxxx/...`), without any `https://doi.org/` prefix.
    pub doi: Option<String>,
}

/// A resource a page points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// The resource's name (`Orphanet`, `European Society for Immunodeficiencies (ESID) Registry`).
    pub label: String,
    /// What kind of resource it is.
    pub kind: ResourceKind,
    /// Its web address, when the source keeps one.
    pub url: Option<String>,
}

/// The kinds of resource GARD pages list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    /// A patient registry.
    Registry,
    /// A support or advocacy organization.
    Organization,
    /// An in-depth information resource (Medscape, Monarch, Orphanet, PubMed).
    InDepth,
    /// A clinical-research resource (ClinicalTrials.gov and the like).
    Research,
}

impl ResourceKind {
    /// The name used in JSON and in the graph.
    pub fn name(self) -> &'static str {
        match self {
            Self::Registry => "registry",
            Self::Organization => "organization",
            Self::InDepth => "in-depth",
            Self::Research => "research",
        }
    }
}

/// Something the reader lost, cut or did not understand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// A stable machine-readable code.
    pub code: WarningCode,
    /// A human-readable explanation naming what was lost.
    pub message: String,
    /// The section it concerns, when there is one.
    pub section: Option<SectionKind>,
    /// The 1-based line of the input it concerns, when known.
    pub line: Option<usize>,
}

/// Stable codes for [`Warning`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningCode {
    /// A list is announced ("include:") but no item follows.
    EmptyList,
    /// A citation marker points to a reference number the page does not list.
    DanglingCitation,
    /// A reference could not be parsed beyond its raw citation.
    UnparsedReference,
    /// A block of text could not be assigned to a known section.
    UnknownSection,
    /// Part of the input was not read (unknown element, truncated table, size cap).
    Skipped,
    /// A duplicate section or identifier was merged.
    Duplicate,
    /// No GARD identifier could be found.
    NoIdentifier,
}

impl WarningCode {
    /// The code as written in JSON and in the graph.
    pub fn name(self) -> &'static str {
        match self {
            Self::EmptyList => "empty-list",
            Self::DanglingCitation => "dangling-citation",
            Self::UnparsedReference => "unparsed-reference",
            Self::UnknownSection => "unknown-section",
            Self::Skipped => "skipped",
            Self::Duplicate => "duplicate",
            Self::NoIdentifier => "no-identifier",
        }
    }
}

impl Page {
    /// The first section of the given kind.
    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// The reference with the given number.
    pub fn reference(&self, number: u32) -> Option<&Reference> {
        self.references.iter().find(|r| r.number == number)
    }

    /// All sentences of the page, with their section, in page order.
    pub fn sentences(&self) -> impl Iterator<Item = (&Section, &Sentence)> {
        self.sections
            .iter()
            .flat_map(|s| s.paragraphs.iter().flat_map(move |p| p.sentences.iter().map(move |t| (s, t))))
    }
}
