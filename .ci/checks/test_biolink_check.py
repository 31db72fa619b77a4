"""Tests for biolink_check.py: each rule catches a hand-written bad snippet; good snippets pass."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import biolink_check as bc

HERE = Path(__file__).parent

PREFIXES = """
@prefix biolink: <https://w3id.org/biolink/vocab/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix HP: <http://purl.obolibrary.org/obo/HP_> .
@prefix MAXO: <http://purl.obolibrary.org/obo/MAXO_> .
@prefix MONDO: <http://purl.obolibrary.org/obo/MONDO_> .
@prefix ECO: <http://purl.obolibrary.org/obo/ECO_> .
@prefix PMID: <http://www.ncbi.nlm.nih.gov/pubmed/> .
@prefix GARD: <https://rarediseases.info.nih.gov/diseases/> .
@prefix gardkg: <https://w3id.org/gardkg/> .
"""

# Nodes every association example needs (categories live "anywhere in the union").
NODES = """
GARD:0012547 a biolink:Disease ; biolink:category biolink:Disease ; rdfs:label "Selective IgM deficiency" ;
    biolink:synonym "SIgMD" ; biolink:xref MONDO:0018039 .
HP:0002719 biolink:category biolink:PhenotypicFeature .
HP:0000007 biolink:category biolink:GeneticInheritance .
HP:0003593 biolink:category biolink:PhenotypicFeature , biolink:Onset ; biolink:has_attribute_type HP:0003674 .
HP:0003674 biolink:category biolink:PhenotypicFeature .  # OntologyClass is a mixin; PhenotypicFeature carries it
PMID:28730517 a biolink:JournalArticle ; rdfs:label "A paper" ; dct:type "journal article" ;
    biolink:published_in <https://portal.issn.org/resource/ISSN/0000-0000> ;
    biolink:volume "12" ; biolink:issue "3" ; biolink:pages "1-9" .
MAXO:0001480 biolink:category biolink:Treatment ; rdfs:label "a medical action" .
"""

GOOD_ASSOC = """
gardkg:assoc1 a biolink:DiseaseToPhenotypicFeatureAssociation ;
    rdf:subject GARD:0012547 ; rdf:predicate biolink:has_phenotype ; rdf:object HP:0002719 ;
    biolink:negated false ;
    biolink:frequency_qualifier "HP:0040281" ;
    biolink:has_percentage "90.0"^^xsd:double ; biolink:has_count 9 ; biolink:has_total 10 ;
    biolink:has_quotient 0.9 ;
    biolink:onset_qualifier HP:0003593 ;
    biolink:publications PMID:28730517 ;
    biolink:primary_knowledge_source "infores:gard" ;
    biolink:aggregator_knowledge_source "infores:monarchinitiative" ;
    biolink:knowledge_level "knowledge_assertion" ;
    biolink:agent_type "text_mining_agent" ;
    biolink:supporting_text "a sentence" ;
    prov:wasDerivedFrom gardkg:page1 .
GARD:0012547 biolink:has_phenotype HP:0002719 .
"""


def run(tmp_path, ttl, *extra):
    f = tmp_path / "g.ttl"
    f.write_text(PREFIXES + ttl)
    report = bc.Report(50, set())
    model = MODEL
    triples, _ = bc.read_triples([str(f)])
    bc.Checker(model, report).run(triples)
    return report


MODEL = bc.Model(bc.default_schema_path())


def only(report, *rules):
    """The report has violations of exactly these rules (and at least one of each)."""
    got = {k for k, v in report.counts.items() if v}
    assert got == set(rules), dict(report.examples)


def test_model_version():
    assert MODEL.version == "4.4.6"


def test_good_disease_phenotype_association_passes(tmp_path):
    only(run(tmp_path, NODES + GOOD_ASSOC))


def test_good_inheritance_association_passes(tmp_path):
    ttl = NODES + """
gardkg:assoc2 a biolink:DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation ;
    rdf:subject GARD:0012547 ; rdf:predicate biolink:has_mode_of_inheritance ; rdf:object HP:0000007 ;
    biolink:knowledge_level "knowledge_assertion" ; biolink:agent_type "automated_agent" .
GARD:0012547 biolink:has_mode_of_inheritance HP:0000007 .
"""
    only(run(tmp_path, ttl))


def test_good_treatment_association_passes(tmp_path):
    ttl = NODES + """
gardkg:assoc3 a biolink:ChemicalOrDrugOrTreatmentToDiseaseOrPhenotypicFeatureAssociation ;
    rdf:subject MAXO:0001480 ; rdf:predicate biolink:ameliorates_condition ; rdf:object GARD:0012547 ;
    biolink:knowledge_level "knowledge_assertion" ; biolink:agent_type "text_mining_agent" .
MAXO:0001480 biolink:preventative_for_condition GARD:0012547 .
"""
    only(run(tmp_path, ttl))


def test_has_phenotype_to_genetic_inheritance_fails(tmp_path):
    ttl = NODES + GOOD_ASSOC.replace("rdf:object HP:0002719", "rdf:object HP:0000007").replace(
        "biolink:has_phenotype HP:0002719", "biolink:has_phenotype HP:0000007"
    )
    rep = run(tmp_path, ttl)
    only(rep, "association_object_range", "predicate_range")
    assert rep.counts["predicate_range"] == 2  # reified and direct triple


def test_has_phenotype_subject_not_disease_fails(tmp_path):
    ttl = NODES + GOOD_ASSOC.replace("rdf:subject GARD:0012547", "rdf:subject PMID:28730517").replace(
        "GARD:0012547 biolink:has_phenotype", "PMID:28730517 biolink:has_phenotype"
    )
    rep = run(tmp_path, ttl)
    only(rep, "association_subject_range", "predicate_domain")


def test_unknown_class_fails(tmp_path):
    rep = run(tmp_path, NODES + GOOD_ASSOC + "GARD:0012547 a biolink:RareDisease .\n")
    only(rep, "unknown_class")
    rep = run(tmp_path, NODES + "<https://w3id.org/information-resource-registry/gard> a biolink:InformationResource .")
    only(rep, "unknown_class")


def test_unknown_association_class_fails(tmp_path):
    ttl = NODES + GOOD_ASSOC.replace(
        "a biolink:DiseaseToPhenotypicFeatureAssociation", "a biolink:DiseaseToSymptomAssociation"
    )
    rep = run(tmp_path, ttl)
    assert rep.counts["unknown_class"] == 1
    assert rep.counts["association_structure"] == 1  # reified statement without an association class


def test_mixin_category_fails(tmp_path):
    rep = run(tmp_path, NODES + "MAXO:0001480 biolink:category biolink:ChemicalOrDrugOrTreatment .")
    only(rep, "mixin_or_abstract_category")


def test_category_not_biolink_fails(tmp_path):
    rep = run(tmp_path, NODES + "HP:0002719 biolink:category <http://purl.obolibrary.org/obo/HP_0000118> .")
    only(rep, "category_not_biolink")


def test_unknown_slot_fails(tmp_path):
    rep = run(tmp_path, NODES + 'GARD:0012547 biolink:has_symptom HP:0002719 .')
    only(rep, "unknown_slot")
    rep = run(tmp_path, NODES + GOOD_ASSOC.replace("rdf:predicate biolink:has_phenotype", "rdf:predicate biolink:has_sign"))
    only(rep, "unknown_slot")


def test_noncanonical_slot_iri_fails(tmp_path):
    rep = run(tmp_path, NODES + 'GARD:0012547 biolink:name "x" .')
    only(rep, "noncanonical_slot_iri")


def test_association_structure_fails(tmp_path):
    ttl = NODES + GOOD_ASSOC + "gardkg:assoc1 rdf:object HP:0003593 .\n"
    only(run(tmp_path, ttl), "association_structure")


def test_predicate_must_descend_from_related_to(tmp_path):
    ttl = NODES + GOOD_ASSOC.replace("rdf:predicate biolink:has_phenotype", "rdf:predicate biolink:synonym")
    only(run(tmp_path, ttl), "predicate_not_allowed")


def test_predicate_subproperty_constraint(tmp_path):
    # disease to disease association: predicate must be associated_with or a descendant
    ttl = NODES + """
MONDO:0018039 biolink:category biolink:Disease .
gardkg:assoc4 a biolink:DiseaseToDiseaseAssociation ;
    rdf:subject GARD:0012547 ; rdf:predicate biolink:has_phenotype ; rdf:object MONDO:0018039 ;
    biolink:knowledge_level "knowledge_assertion" ; biolink:agent_type "text_mining_agent" .
"""
    rep = run(tmp_path, ttl)
    assert rep.counts["predicate_not_allowed"] == 1
    good = ttl.replace("rdf:predicate biolink:has_phenotype", "rdf:predicate biolink:associated_with")
    only(run(tmp_path, good))


def test_treatment_predicate_constraint_and_procedure_domain(tmp_path):
    ttl = NODES + """
MAXO:0000004 biolink:category biolink:Procedure .
gardkg:assoc5 a biolink:ChemicalOrDrugOrTreatmentToDiseaseOrPhenotypicFeatureAssociation ;
    rdf:subject MAXO:0000004 ; rdf:predicate biolink:ameliorates_condition ; rdf:object GARD:0012547 ;
    biolink:knowledge_level "knowledge_assertion" ; biolink:agent_type "text_mining_agent" .
"""
    rep = run(tmp_path, ttl)
    # Procedure is not a ChemicalOrDrugOrTreatment: the predicate's domain fails (the class's own subject
    # range is inherited from association = named thing, so it passes)
    only(rep, "predicate_domain")


def test_uncategorized_node_fails(tmp_path):
    ttl = NODES.replace("HP:0002719 biolink:category biolink:PhenotypicFeature .", "") + GOOD_ASSOC
    rep = run(tmp_path, ttl)
    only(rep, "uncategorized_node")
    assert rep.counts["uncategorized_node"] == 1  # reported once per node
    rep = run(tmp_path, NODES + 'gardkg:prevalence1 biolink:supporting_text "x" .')
    only(rep, "uncategorized_node")


def test_slot_domain_fails(tmp_path):
    # volume's domain is publication
    rep = run(tmp_path, NODES + 'GARD:0012547 biolink:volume "3" .')
    only(rep, "slot_domain")
    # an association slot on a disease node
    rep = run(tmp_path, NODES + 'GARD:0012547 biolink:knowledge_level "knowledge_assertion" .')
    only(rep, "slot_domain")


def test_slot_not_applicable_on_association(tmp_path):
    ttl = NODES + """
MONDO:0018039 biolink:category biolink:Disease .
gardkg:assoc6 a biolink:DiseaseToDiseaseAssociation ;
    rdf:subject GARD:0012547 ; rdf:predicate biolink:associated_with ; rdf:object MONDO:0018039 ;
    biolink:onset_qualifier HP:0003593 ;
    biolink:knowledge_level "knowledge_assertion" ; biolink:agent_type "text_mining_agent" .
"""
    only(run(tmp_path, ttl), "slot_not_applicable")


def test_slot_range_class_fails(tmp_path):
    rep = run(tmp_path, NODES + GOOD_ASSOC.replace("biolink:publications PMID:28730517", 'biolink:publications "PMID:28730517"'))
    only(rep, "slot_range_class")
    # onset_qualifier must be an Onset: a plain phenotype is not
    rep = run(tmp_path, NODES + GOOD_ASSOC.replace("biolink:onset_qualifier HP:0003593", "biolink:onset_qualifier HP:0002719"))
    only(rep, "slot_range_class")


def test_literal_datatype_fails(tmp_path):
    cases = {
        'biolink:has_count 9': 'biolink:has_count "nine"',
        'biolink:has_count 9 ': 'biolink:has_count 9.5 ',
        'biolink:negated false': 'biolink:negated "false"',
        'biolink:has_quotient 0.9': 'biolink:has_quotient "0.9"',
        'biolink:frequency_qualifier "HP:0040281"': "biolink:frequency_qualifier HP:0040281",
        'biolink:primary_knowledge_source "infores:gard"':
            "biolink:primary_knowledge_source <https://w3id.org/information-resource-registry/gard>",
        'biolink:supporting_text "a sentence"': "biolink:supporting_text 42",
    }
    for good, bad in cases.items():
        assert good in GOOD_ASSOC, good
        rep = run(tmp_path, NODES + GOOD_ASSOC.replace(good, bad))
        only(rep, "literal_datatype")
    rep = run(tmp_path, NODES + 'GARD:0012547 biolink:xref "not a curie" .')
    only(rep, "literal_datatype")


def test_enum_value_fails(tmp_path):
    rep = run(tmp_path, NODES + GOOD_ASSOC.replace('"knowledge_assertion"', '"foo"'))
    only(rep, "enum_value")
    rep = run(tmp_path, NODES + GOOD_ASSOC.replace('"text_mining_agent"', '"text mining agent"'))
    only(rep, "enum_value")
    for kl in ("not_provided", "observation"):
        only(run(tmp_path, NODES + GOOD_ASSOC.replace('"knowledge_assertion"', f'"{kl}"')))


def test_multivalued_fails(tmp_path):
    rep = run(tmp_path, NODES + GOOD_ASSOC.replace("biolink:has_count 9", "biolink:has_count 9, 10"))
    only(rep, "multivalued")
    rep = run(tmp_path, NODES + GOOD_ASSOC + 'gardkg:assoc1 biolink:primary_knowledge_source "infores:hpo" .')
    only(rep, "multivalued")
    # multivalued slots accept several values
    only(run(tmp_path, NODES + GOOD_ASSOC + 'gardkg:assoc1 biolink:supporting_text "another" .'))


def test_missing_required_slot_fails(tmp_path):
    rep = run(tmp_path, NODES + GOOD_ASSOC.replace('biolink:agent_type "text_mining_agent" ;', ""))
    only(rep, "missing_required_slot")
    # a journal article needs dct:type (publication type) and published_in
    rep = run(tmp_path, NODES.replace('dct:type "journal article" ;', "") + GOOD_ASSOC)
    only(rep, "missing_required_slot")


def test_non_biolink_predicates_not_checked(tmp_path):
    ttl = NODES + GOOD_ASSOC + """
GARD:0012547 skos:exactMatch MONDO:0018039 ; dct:description "text" ; gardkg:prevalence gardkg:p1 ;
    rdfs:seeAlso <https://example.org/> .
gardkg:p1 a gardkg:Prevalence ; gardkg:min_percentage 0.03 .
HP:0002719 a <http://www.w3.org/2002/07/owl#Class> ; <http://www.geneontology.org/formats/oboInOwl#id> "HP:0002719" .
"""
    only(run(tmp_path, ttl))


def test_union_of_graphs_nquads(tmp_path):
    # categories in one named graph, association in another: union semantics
    nq = tmp_path / "g.nq"
    nq.write_text(
        "<https://rarediseases.info.nih.gov/diseases/0012547> <https://w3id.org/biolink/vocab/category> "
        "<https://w3id.org/biolink/vocab/Disease> <https://w3id.org/gardkg/graph/a> .\n"
        "<http://purl.obolibrary.org/obo/HP_0002719> <https://w3id.org/biolink/vocab/category> "
        "<https://w3id.org/biolink/vocab/PhenotypicFeature> <http://purl.obolibrary.org/obo/hp.owl> .\n"
        "<https://rarediseases.info.nih.gov/diseases/0012547> <https://w3id.org/biolink/vocab/has_phenotype> "
        "<http://purl.obolibrary.org/obo/HP_0002719> <https://w3id.org/gardkg/graph/b> .\n"
        "<https://rarediseases.info.nih.gov/diseases/0012547> <https://w3id.org/biolink/vocab/has_phenotype> "
        "<http://purl.obolibrary.org/obo/HP_0002719> <https://w3id.org/gardkg/graph/a> .\n"
    )
    rep = bc.Report(5, set())
    triples, nquads = bc.read_triples([str(nq)])
    assert (nquads, len(triples)) == (4, 3)
    bc.Checker(MODEL, rep).run(triples)
    only(rep)


def test_cli_json_and_exit_codes(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + NODES + GOOD_ASSOC.replace('"knowledge_assertion"', '"foo"'))
    good = tmp_path / "good.ttl"
    good.write_text(PREFIXES + NODES + GOOD_ASSOC)
    p = subprocess.run([sys.executable, str(HERE / "biolink_check.py"), "--json", str(bad)], capture_output=True, text=True)
    assert p.returncode == 1, p.stderr
    j = json.loads(p.stdout)
    assert j["rules"]["enum_value"]["count"] == 1 and j["total_violations"] == 1
    assert j["biolink_version"] == "4.4.6"
    p = subprocess.run([sys.executable, str(HERE / "biolink_check.py"), str(good)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout
    assert "TOTAL" in p.stdout
    p = subprocess.run(
        [sys.executable, str(HERE / "biolink_check.py"), "--ignore", "enum_value", str(bad)], capture_output=True, text=True
    )
    assert p.returncode == 0, p.stdout


# --- project extensions: --advisory and --extension (gardkg's contract deviations and its own predicates) ---

ASPECT_ASSOC = """
gardkg:assoc9 a biolink:Association ;
    rdf:subject GARD:0012547 ; rdf:predicate gardkg:has_clinical_course ; rdf:object HP:0003593 ;
    biolink:negated false ; biolink:knowledge_level "knowledge_assertion" ; biolink:agent_type "text_mining_agent" .
"""

EXTENSION = PREFIXES + """
gardkg:has_clinical_course rdfs:subPropertyOf biolink:related_to_at_instance_level , biolink:has_attribute .
"""


def test_a_project_predicate_is_checked_as_its_declared_biolink_super_property(tmp_path):
    only(run(tmp_path, NODES + ASPECT_ASSOC), "predicate_not_allowed")
    ext = tmp_path / "ext.ttl"
    ext.write_text(EXTENSION)
    f = tmp_path / "g.ttl"
    f.write_text(PREFIXES + NODES + ASPECT_ASSOC)
    report = bc.Report(50, set())
    triples, _ = bc.read_triples([str(f)])
    bc.Checker(MODEL, report, bc.read_extension([str(ext)])).run(triples)
    only(report)


def test_advisories_are_counted_apart_and_do_not_fail(tmp_path):
    iri_frequency = NODES + GOOD_ASSOC.replace('"HP:0040281"', "HP:0040281")
    only(run(tmp_path, iri_frequency), "literal_datatype")
    f = tmp_path / "g.ttl"
    f.write_text(PREFIXES + iri_frequency)
    for advisory in ("literal_datatype:frequency_qualifier", "literal_datatype"):
        report = bc.Report(50, set(), {advisory})
        triples, _ = bc.read_triples([str(f)])
        bc.Checker(MODEL, report).run(triples)
        assert report.total == 0 and sum(report.advisories.values()) == 1, (advisory, dict(report.advisories))
    # An advisory for another slot leaves the violation in place.
    report = bc.Report(50, set(), {"literal_datatype:primary_knowledge_source"})
    triples, _ = bc.read_triples([str(f)])
    bc.Checker(MODEL, report).run(triples)
    assert report.total == 1
