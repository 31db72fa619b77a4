//! Every IRI gardkg writes: the one place that knows vocabulary IRIs (see MODELING.md).
//!
//! External vocabularies are constants. The project's own namespace (`gardkg:`) has a configurable base, so its
//! terms and minted nodes come from a [`Namespace`] value.

use oxigraph::model::{NamedNode, NamedNodeRef};

/// The default base of the project's own terms and minted nodes.
pub const DEFAULT_BASE: &str = "https://w3id.org/gardkg/";

macro_rules! terms {
    ($(#[$doc:meta])* $module:ident = $ns:literal { $($(#[$tdoc:meta])* $name:ident = $local:literal),* $(,)? }) => {
        $(#[$doc])*
        pub mod $module {
            use oxigraph::model::NamedNodeRef;
            /// The namespace IRI.
            pub const NS: &str = $ns;
            $(
                $(#[$tdoc])*
                pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!($ns, $local));
            )*
        }
    };
}

terms!(
    /// Biolink Model 4.x.
    biolink = "https://w3id.org/biolink/vocab/" {
        /// Class `biolink:Disease`.
        DISEASE = "Disease",
        /// Class `biolink:DiseaseToPhenotypicFeatureAssociation`.
        DISEASE_TO_PHENOTYPIC_FEATURE_ASSOCIATION = "DiseaseToPhenotypicFeatureAssociation",
        /// Class `biolink:PhenotypicFeature`.
        PHENOTYPIC_FEATURE = "PhenotypicFeature",
        /// Class `biolink:DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation`.
        DISEASE_OR_PHENOTYPIC_FEATURE_TO_GENETIC_INHERITANCE_ASSOCIATION =
            "DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation",
        /// Class `biolink:Association` (the general association, for disease-level HPO annotations).
        ASSOCIATION = "Association",
        /// Class `biolink:DiseaseToDiseaseAssociation`.
        DISEASE_TO_DISEASE_ASSOCIATION = "DiseaseToDiseaseAssociation",
        /// Class `biolink:ChemicalOrDrugOrTreatmentToDiseaseOrPhenotypicFeatureAssociation`.
        TREATMENT_TO_DISEASE_ASSOCIATION = "ChemicalOrDrugOrTreatmentToDiseaseOrPhenotypicFeatureAssociation",
        /// Class `biolink:Procedure`.
        PROCEDURE = "Procedure",
        /// Class `biolink:Treatment` (a MAxO medical action, in the domain of the treatment predicates).
        TREATMENT = "Treatment",
        /// Class `biolink:GeneticInheritance` (HPO's Mode of inheritance branch).
        GENETIC_INHERITANCE = "GeneticInheritance",
        /// Class `biolink:Onset` (HPO's Onset branch).
        ONSET = "Onset",
        /// Class `biolink:ClinicalCourse` (HPO's Clinical course branch).
        CLINICAL_COURSE = "ClinicalCourse",
        /// Class `biolink:ClinicalModifier` (HPO's Clinical modifier branch).
        CLINICAL_MODIFIER = "ClinicalModifier",
        /// Class `biolink:ClinicalFinding` (HPO's Past medical history branch).
        CLINICAL_FINDING = "ClinicalFinding",
        /// Class `biolink:Attribute` (a prevalence figure of a disease).
        ATTRIBUTE = "Attribute",
        /// Class `biolink:EvidenceType` (ECO terms).
        EVIDENCE_TYPE = "EvidenceType",
        /// Slot `biolink:has_mode_of_inheritance`.
        HAS_MODE_OF_INHERITANCE = "has_mode_of_inheritance",
        /// Slot `biolink:related_to_at_instance_level`.
        RELATED_TO_AT_INSTANCE_LEVEL = "related_to_at_instance_level",
        /// Slot `biolink:has_attribute`.
        HAS_ATTRIBUTE = "has_attribute",
        /// Slot `biolink:associated_with`.
        ASSOCIATED_WITH = "associated_with",
        /// Slot `biolink:ameliorates_condition`.
        AMELIORATES_CONDITION = "ameliorates_condition",
        /// Slot `biolink:preventative_for_condition`.
        PREVENTATIVE_FOR_CONDITION = "preventative_for_condition",
        /// Class `biolink:JournalArticle`.
        JOURNAL_ARTICLE = "JournalArticle",
        /// Class `biolink:Publication`.
        PUBLICATION = "Publication",
        /// Slot `biolink:category`.
        CATEGORY = "category",
        /// Slot `biolink:synonym`.
        SYNONYM = "synonym",
        /// Slot `biolink:xref`.
        XREF = "xref",
        /// Slot `biolink:has_phenotype`.
        HAS_PHENOTYPE = "has_phenotype",
        /// Slot `biolink:negated`.
        NEGATED = "negated",
        /// Slot `biolink:frequency_qualifier`.
        FREQUENCY_QUALIFIER = "frequency_qualifier",
        /// Slot `biolink:onset_qualifier`.
        ONSET_QUALIFIER = "onset_qualifier",
        /// Slot `biolink:has_percentage`.
        HAS_PERCENTAGE = "has_percentage",
        /// Slot `biolink:has_count`.
        HAS_COUNT = "has_count",
        /// Slot `biolink:has_total`.
        HAS_TOTAL = "has_total",
        /// Slot `biolink:has_quotient`.
        HAS_QUOTIENT = "has_quotient",
        /// Slot `biolink:has_evidence`.
        HAS_EVIDENCE = "has_evidence",
        /// Slot `biolink:publications`.
        PUBLICATIONS = "publications",
        /// Slot `biolink:primary_knowledge_source`.
        PRIMARY_KNOWLEDGE_SOURCE = "primary_knowledge_source",
        /// Slot `biolink:aggregator_knowledge_source`.
        AGGREGATOR_KNOWLEDGE_SOURCE = "aggregator_knowledge_source",
        /// Slot `biolink:knowledge_level`.
        KNOWLEDGE_LEVEL = "knowledge_level",
        /// Slot `biolink:agent_type`.
        AGENT_TYPE = "agent_type",
        /// Slot `biolink:supporting_text`.
        SUPPORTING_TEXT = "supporting_text",
        /// Slot `biolink:volume`.
        VOLUME = "volume",
        /// Slot `biolink:issue`.
        ISSUE = "issue",
        /// Slot `biolink:pages`.
        PAGES = "pages",
    }
);

terms!(
    /// RDF.
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#" {
        /// `rdf:type`.
        TYPE = "type",
        /// `rdf:subject`.
        SUBJECT = "subject",
        /// `rdf:predicate`.
        PREDICATE = "predicate",
        /// `rdf:object`.
        OBJECT = "object",
    }
);

terms!(
    /// RDF Schema.
    rdfs = "http://www.w3.org/2000/01/rdf-schema#" {
        /// `rdfs:label`.
        LABEL = "label",
        /// `rdfs:seeAlso`.
        SEE_ALSO = "seeAlso",
        /// `rdfs:comment`.
        COMMENT = "comment",
        /// `rdfs:subClassOf`.
        SUB_CLASS_OF = "subClassOf",
    }
);

terms!(
    /// SKOS.
    skos = "http://www.w3.org/2004/02/skos/core#" {
        /// `skos:altLabel`.
        ALT_LABEL = "altLabel",
        /// `skos:exactMatch`.
        EXACT_MATCH = "exactMatch",
    }
);

terms!(
    /// DCMI terms.
    dcterms = "http://purl.org/dc/terms/" {
        /// `dcterms:description`.
        DESCRIPTION = "description",
        /// `dcterms:source`.
        SOURCE = "source",
        /// `dcterms:modified`.
        MODIFIED = "modified",
        /// `dcterms:references`.
        REFERENCES = "references",
        /// `dcterms:bibliographicCitation`.
        BIBLIOGRAPHIC_CITATION = "bibliographicCitation",
        /// `dcterms:creator`.
        CREATOR = "creator",
        /// `dcterms:issued`.
        ISSUED = "issued",
        /// `dcterms:isPartOf`.
        IS_PART_OF = "isPartOf",
        /// `dcterms:hasPart`.
        HAS_PART = "hasPart",
        /// `dcterms:subject`.
        SUBJECT = "subject",
        /// `dcterms:title`.
        TITLE = "title",
        /// `dcterms:license`.
        LICENSE = "license",
        /// `dcterms:type`.
        TYPE = "type",
        /// `dcterms:hasVersion`.
        HAS_VERSION = "hasVersion",
    }
);

terms!(
    /// PROV-O.
    prov = "http://www.w3.org/ns/prov#" {
        /// Class `prov:Entity`.
        ENTITY = "Entity",
        /// Class `prov:SoftwareAgent`.
        SOFTWARE_AGENT = "SoftwareAgent",
        /// `prov:wasDerivedFrom`.
        WAS_DERIVED_FROM = "wasDerivedFrom",
        /// `prov:wasGeneratedBy`.
        WAS_GENERATED_BY = "wasGeneratedBy",
        /// `prov:wasAttributedTo`.
        WAS_ATTRIBUTED_TO = "wasAttributedTo",
    }
);

terms!(
    /// VoID.
    void = "http://rdfs.org/ns/void#" {
        /// Class `void:Dataset`.
        DATASET = "Dataset",
        /// `void:triples`.
        TRIPLES = "triples",
        /// `void:entities`.
        ENTITIES = "entities",
        /// `void:subset`.
        SUBSET = "subset",
        /// `void:sparqlEndpoint`.
        SPARQL_ENDPOINT = "sparqlEndpoint",
        /// `void:rootResource`.
        ROOT_RESOURCE = "rootResource",
    }
);

terms!(
    /// FOAF.
    foaf = "http://xmlns.com/foaf/0.1/" {
        /// `foaf:page`.
        PAGE = "page",
    }
);

terms!(
    /// W3C Web Annotation.
    oa = "http://www.w3.org/ns/oa#" {
        /// Class `oa:TextPositionSelector`.
        TEXT_POSITION_SELECTOR = "TextPositionSelector",
        /// `oa:hasSelector`.
        HAS_SELECTOR = "hasSelector",
        /// `oa:hasSource`.
        HAS_SOURCE = "hasSource",
        /// `oa:start`.
        START = "start",
        /// `oa:end`.
        END = "end",
        /// `oa:exact`.
        EXACT = "exact",
    }
);

terms!(
    /// SPARQL 1.1 Service Description.
    sd = "http://www.w3.org/ns/sparql-service-description#" {
        /// Class `sd:Service`.
        SERVICE = "Service",
        /// `sd:endpoint`.
        ENDPOINT = "endpoint",
        /// `sd:supportedLanguage`.
        SUPPORTED_LANGUAGE = "supportedLanguage",
        /// `sd:SPARQL11Query`.
        SPARQL11_QUERY = "SPARQL11Query",
        /// `sd:SPARQL11Update`.
        SPARQL11_UPDATE = "SPARQL11Update",
        /// `sd:resultFormat`.
        RESULT_FORMAT = "resultFormat",
        /// `sd:inputFormat`.
        INPUT_FORMAT = "inputFormat",
        /// `sd:feature`.
        FEATURE = "feature",
        /// `sd:UnionDefaultGraph`.
        UNION_DEFAULT_GRAPH = "UnionDefaultGraph",
        /// `sd:BasicFederatedQuery`.
        BASIC_FEDERATED_QUERY = "BasicFederatedQuery",
        /// `sd:defaultDataset`.
        DEFAULT_DATASET = "defaultDataset",
        /// Class `sd:Dataset`.
        DATASET = "Dataset",
        /// `sd:defaultGraph`.
        DEFAULT_GRAPH = "defaultGraph",
        /// Class `sd:Graph`.
        GRAPH = "Graph",
    }
);

terms!(
    /// The W3C's IRIs for file formats.
    formats = "http://www.w3.org/ns/formats/" {
        /// SPARQL results in JSON.
        SPARQL_RESULTS_JSON = "SPARQL_Results_JSON",
        /// SPARQL results in XML.
        SPARQL_RESULTS_XML = "SPARQL_Results_XML",
        /// SPARQL results in CSV.
        SPARQL_RESULTS_CSV = "SPARQL_Results_CSV",
        /// SPARQL results in TSV.
        SPARQL_RESULTS_TSV = "SPARQL_Results_TSV",
        /// Turtle.
        TURTLE = "Turtle",
        /// N-Triples.
        N_TRIPLES = "N-Triples",
        /// JSON-LD.
        JSON_LD = "JSON-LD",
        /// RDF/XML.
        RDF_XML = "RDF_XML",
    }
);

terms!(
    /// XML Schema datatypes.
    xsd = "http://www.w3.org/2001/XMLSchema#" {
        /// `xsd:string`.
        STRING = "string",
        /// `xsd:date`.
        DATE = "date",
        /// `xsd:gYear`.
        G_YEAR = "gYear",
        /// `xsd:decimal`.
        DECIMAL = "decimal",
        /// `xsd:double`.
        DOUBLE = "double",
        /// `xsd:integer`.
        INTEGER = "integer",
        /// `xsd:boolean`.
        BOOLEAN = "boolean",
    }
);

terms!(
    /// OWL 2.
    owl = "http://www.w3.org/2002/07/owl#" {
        /// Class `owl:Class`.
        CLASS = "Class",
        /// Class `owl:Ontology`.
        ONTOLOGY = "Ontology",
        /// `owl:deprecated`.
        DEPRECATED = "deprecated",
        /// `owl:versionInfo`.
        VERSION_INFO = "versionInfo",
        /// `owl:versionIRI`.
        VERSION_IRI = "versionIRI",
    }
);

terms!(
    /// The OBO-in-OWL annotation properties, as the OBO-to-OWL mapping writes them.
    oboinowl = "http://www.geneontology.org/formats/oboInOwl#" {
        /// `oboInOwl:id`.
        ID = "id",
        /// `oboInOwl:hasExactSynonym`.
        HAS_EXACT_SYNONYM = "hasExactSynonym",
        /// `oboInOwl:hasBroadSynonym`.
        HAS_BROAD_SYNONYM = "hasBroadSynonym",
        /// `oboInOwl:hasNarrowSynonym`.
        HAS_NARROW_SYNONYM = "hasNarrowSynonym",
        /// `oboInOwl:hasRelatedSynonym`.
        HAS_RELATED_SYNONYM = "hasRelatedSynonym",
        /// `oboInOwl:hasDbXref`.
        HAS_DB_XREF = "hasDbXref",
        /// `oboInOwl:hasAlternativeId`.
        HAS_ALTERNATIVE_ID = "hasAlternativeId",
        /// `oboInOwl:hasOBONamespace`.
        HAS_OBO_NAMESPACE = "hasOBONamespace",
        /// `oboInOwl:inSubset`.
        IN_SUBSET = "inSubset",
        /// `oboInOwl:consider`.
        CONSIDER = "consider",
    }
);

terms!(
    /// OBO Foundry terms used as annotation properties (IAO).
    obo = "http://purl.obolibrary.org/obo/" {
        /// `IAO:0000115` definition.
        DEFINITION = "IAO_0000115",
        /// `IAO:0100001` term replaced by.
        TERM_REPLACED_BY = "IAO_0100001",
    }
);

/// The GARD namespace: `GARD:0012547` is `https://rarediseases.info.nih.gov/diseases/0012547`.
pub const GARD_NS: &str = "https://rarediseases.info.nih.gov/diseases/";

/// The project's predicates for HPO annotations of a disease that Biolink has no predicate for (aspects C, M, H),
/// with the Biolink predicate each is declared a sub-property of in `ontology/gardkg.ttl` (the one KGX writes).
pub const ASPECT_PREDICATES: &[(&str, NamedNodeRef<'static>)] = &[
    ("has_clinical_course", biolink::RELATED_TO_AT_INSTANCE_LEVEL),
    ("has_clinical_modifier", biolink::RELATED_TO_AT_INSTANCE_LEVEL),
    ("has_past_medical_history", biolink::RELATED_TO_AT_INSTANCE_LEVEL),
];

/// `infores:gard`, the GARD information resource (declared in `ontology/gardkg.ttl`).
pub const INFORES_GARD: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://w3id.org/information-resource-registry/gard");
/// `infores:hpo-annotations`, the HPO annotations (`phenotype.hpoa`), whose rows MedQuAD's symptom tables are.
pub const INFORES_HPO_ANNOTATIONS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://w3id.org/information-resource-registry/hpo-annotations");
/// `ECO:0007669` computational evidence used in automatic assertion (text-mined prose).
pub const ECO_TEXT_MINED: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://purl.obolibrary.org/obo/ECO_0007669");
/// `ECO:0000304` traceable author statement used in manual assertion (a curated table).
pub const ECO_AUTHOR_STATEMENT: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://purl.obolibrary.org/obo/ECO_0000304");
/// The HPO ontology IRI, the graph name of a loaded HPO.
pub const HPO_ONTOLOGY: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://purl.obolibrary.org/obo/hp.owl");

/// The CURIE prefixes of external identifiers, with their expansions (Biolink prefix map).
pub const ID_PREFIXES: &[(&str, &str)] = &[
    ("HP", "http://purl.obolibrary.org/obo/HP_"),
    ("MONDO", "http://purl.obolibrary.org/obo/MONDO_"),
    ("MAXO", "http://purl.obolibrary.org/obo/MAXO_"),
    ("ECO", "http://purl.obolibrary.org/obo/ECO_"),
    ("NCIT", "http://purl.obolibrary.org/obo/NCIT_"),
    ("OMIM", "http://purl.obolibrary.org/obo/OMIM_"),
    ("PATO", "http://purl.obolibrary.org/obo/PATO_"),
    ("Orphanet", "http://www.orpha.net/ORDO/Orphanet_"),
    ("GARD", GARD_NS),
    ("UMLS", "http://identifiers.org/umls/"),
    ("PMID", "http://www.ncbi.nlm.nih.gov/pubmed/"),
    ("PMCID", "http://www.ncbi.nlm.nih.gov/pmc/"),
    ("doi", "https://doi.org/"),
    ("infores", "https://w3id.org/information-resource-registry/"),
];

/// W3C and DCMI namespaces used in serializations.
pub const W3C_PREFIXES: &[(&str, &str)] = &[
    ("biolink", biolink::NS),
    ("rdf", rdf::NS),
    ("rdfs", rdfs::NS),
    ("skos", skos::NS),
    ("dcterms", dcterms::NS),
    ("prov", prov::NS),
    ("void", void::NS),
    ("xsd", xsd::NS),
    ("oa", oa::NS),
    ("foaf", foaf::NS),
    ("owl", owl::NS),
    ("oboInOwl", oboinowl::NS),
];

/// Expands a CURIE with a known prefix (`ORPHA:` is read as `Orphanet:`). Returns `None` for unknown prefixes.
pub fn expand_curie(curie: &str) -> Option<NamedNode> {
    let (prefix, local) = curie.split_once(':')?;
    let prefix = if prefix == "ORPHA" { "Orphanet" } else { prefix };
    let (_, ns) = ID_PREFIXES.iter().find(|(p, _)| *p == prefix)?;
    if local.is_empty()
        || local.chars().any(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\'))
    {
        return None;
    }
    NamedNode::new(format!("{ns}{local}")).ok()
}

/// Compacts an IRI to a CURIE with the known prefixes (the inverse of [`expand_curie`]).
pub fn compact_iri(iri: &str) -> Option<String> {
    ID_PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len())
        .map(|(prefix, ns)| format!("{prefix}:{}", &iri[ns.len()..]))
}

/// The GARD CURIE of a numeric id, zero-padded to 7 digits as Mondo writes it: `GARD:0012547`.
pub fn gard_curie(number: u32) -> String {
    format!("GARD:{number:07}")
}

/// The project's own namespace: terms (`gardkg:prevalence`) and minted nodes (`gardkg:assoc/…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    base: String,
}

impl Default for Namespace {
    fn default() -> Self {
        Self { base: DEFAULT_BASE.to_owned() }
    }
}

impl Namespace {
    /// A namespace with another base; it must be an absolute IRI ending in `/` or `#`.
    pub fn new(base: &str) -> Result<Self, String> {
        if !(base.ends_with('/') || base.ends_with('#')) {
            return Err(format!("the base IRI {base:?} must end with '/' or '#'"));
        }
        NamedNode::new(base).map_err(|e| format!("the base IRI {base:?} is not an absolute IRI: {e}"))?;
        Ok(Self { base: base.to_owned() })
    }

    /// The base IRI.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// A term or minted node: base + local part (the local part is built by gardkg, never by input text).
    pub fn iri(&self, local: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{local}", self.base))
    }

    /// The named graph of a page: `gardkg:graph/gard/0012547` (or `gardkg:graph/page/<key>` without a GARD id).
    pub fn page_graph(&self, key: &PageKey) -> NamedNode {
        self.iri(&format!("graph/{}", key.path()))
    }

    /// The page node: `gardkg:page/gard/0012547`.
    pub fn page(&self, key: &PageKey) -> NamedNode {
        self.iri(&format!("page/{}", key.path()))
    }

    /// A section of a page: `gardkg:page/gard/0012547#symptoms`.
    pub fn section(&self, key: &PageKey, fragment: &str) -> NamedNode {
        self.iri(&format!("page/{}#{fragment}", key.path()))
    }

    /// The metadata graph, `gardkg:graph/meta`.
    pub fn meta_graph(&self) -> NamedNode {
        self.iri("graph/meta")
    }

    /// The graph of the terms pages use that no loaded ontology describes (resolved and unresolved condition
    /// nodes): `gardkg:graph/terms`.
    pub fn terms_graph(&self) -> NamedNode {
        self.iri("graph/terms")
    }

    /// Whether an IRI names a page graph (`gardkg:graph/gard/…`, `gardkg:graph/page/…`).
    pub fn is_page_graph(&self, iri: &str) -> bool {
        iri.strip_prefix(self.base.as_str())
            .and_then(|rest| rest.strip_prefix("graph/"))
            .is_some_and(|rest| rest.starts_with("gard/") || rest.starts_with("page/"))
    }

    /// The dataset node described in the metadata graph.
    pub fn dataset(&self) -> NamedNode {
        self.iri("dataset")
    }

    /// The prefixes for serializations: the external ones plus `gardkg`.
    pub fn prefixes(&self) -> Vec<(&str, &str)> {
        let mut all: Vec<(&str, &str)> = W3C_PREFIXES.to_vec();
        all.extend_from_slice(ID_PREFIXES);
        all.push(("gardkg", &self.base));
        all
    }
}

/// What identifies a page inside gardkg: its GARD id, or (without one) a key derived from its title.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageKey {
    /// A GARD page with a known id.
    Gard(u32),
    /// A page without a GARD id: a slug of its title.
    Slug(String),
}

impl PageKey {
    /// The path segment used in minted IRIs: `gard/0012547` or `page/<slug>`.
    pub fn path(&self) -> String {
        match self {
            Self::Gard(n) => format!("gard/{n:07}"),
            Self::Slug(s) => format!("page/{s}"),
        }
    }
}

/// A lower-case ASCII slug for IRIs: letters and digits, other runs become `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "unnamed".to_owned() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curies_round_trip() {
        let iri = expand_curie("ORPHA:331235").unwrap();
        assert_eq!(iri.as_str(), "http://www.orpha.net/ORDO/Orphanet_331235");
        assert_eq!(compact_iri(iri.as_str()).unwrap(), "Orphanet:331235");
        assert_eq!(expand_curie("PMCID:PMC5591887").unwrap().as_str(), "http://www.ncbi.nlm.nih.gov/pmc/PMC5591887");
        assert_eq!(
            expand_curie(&gard_curie(12547)).unwrap().as_str(),
            "https://rarediseases.info.nih.gov/diseases/0012547"
        );
        assert!(expand_curie("NOPE:1").is_none());
        assert!(expand_curie("HP:00 1").is_none());
    }

    #[test]
    fn namespace_mints_page_iris() {
        let ns = Namespace::default();
        let key = PageKey::Gard(12547);
        assert_eq!(ns.page_graph(&key).as_str(), "https://w3id.org/gardkg/graph/gard/0012547");
        assert_eq!(ns.section(&key, "symptoms").as_str(), "https://w3id.org/gardkg/page/gard/0012547#symptoms");
        assert!(Namespace::new("https://example.org/kg").is_err());
        assert!(Namespace::new("not an iri/").is_err());
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Selective IgM deficiency!"), "selective-igm-deficiency");
        assert_eq!(slug("  "), "unnamed");
    }
}
