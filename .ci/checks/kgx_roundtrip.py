#!/usr/bin/env python3
"""KGX round trip: the RDF that `kgx transform` makes from gardkg's KGX export must say what gardkg's own RDF says.

Usage: kgx_roundtrip.py OURS.nq KGX.nt

OURS.nq is gardkg's export of the store (N-Quads, all graphs read as one union); KGX.nt is `kgx transform -i tsv
-f nt` of `gardkg export --format kgx`. For every association of OURS (a node with rdf:subject/predicate/object),
the KGX side must have the same edge id with the same subject and object, the same predicate (or, for the
project's own predicates, the Biolink one KGX carries plus `original_predicate`), and the same qualifiers and
provenance: negation, frequency term, percentage, count, total, quotient, onset, evidence, publications,
knowledge level, agent type, primary and aggregator sources. KGX writes string-typed slots as CURIE strings where
gardkg writes IRIs, and writes `negated` only when true: both are normalized before comparing. Exit 1 on any
difference, with examples.
"""
import sys
from collections import defaultdict

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
BL = "https://w3id.org/biolink/vocab/"
PREFIXES = [
    ("HP", "http://purl.obolibrary.org/obo/HP_"),
    ("ECO", "http://purl.obolibrary.org/obo/ECO_"),
    ("MAXO", "http://purl.obolibrary.org/obo/MAXO_"),
    ("MONDO", "http://purl.obolibrary.org/obo/MONDO_"),
    ("OMIM", "http://purl.obolibrary.org/obo/OMIM_"),
    ("PMID", "http://www.ncbi.nlm.nih.gov/pubmed/"),
    ("PMCID", "http://www.ncbi.nlm.nih.gov/pmc/"),
    ("doi", "https://doi.org/"),
    ("infores", "https://w3id.org/information-resource-registry/"),
    ("GARD", "https://rarediseases.info.nih.gov/diseases/"),
    ("gardkg", "https://w3id.org/gardkg/"),
    ("biolink", BL),
]
SLOTS = [
    "negated", "frequency_qualifier", "has_percentage", "has_count", "has_total", "has_quotient",
    "onset_qualifier", "has_evidence", "publications", "knowledge_level", "agent_type",
    "primary_knowledge_source", "aggregator_knowledge_source",
]


def norm(term) -> str:
    """A comparable text: IRIs and CURIE strings as CURIEs, numbers as floats, other literals as values."""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES:
            if term.value.startswith(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return term.value
    value = term.value
    try:
        return repr(float(value))
    except ValueError:
        return value


def read(path):
    """node -> predicate IRI -> set of normalized values, for the union of all graphs."""
    props = defaultdict(lambda: defaultdict(set))
    fmt = ox.RdfFormat.N_QUADS if path.endswith(".nq") else ox.RdfFormat.N_TRIPLES
    with open(path, "rb") as f:
        for q in ox.parse(f, format=fmt):
            if isinstance(q.subject, ox.NamedNode):
                props[q.subject.value][q.predicate.value].add(norm(q.object))
    return props


def main(argv) -> int:
    ours, kgx = read(argv[1]), read(argv[2])
    ours_edges = {n: p for n, p in ours.items() if RDF + "predicate" in p}
    kgx_edges = {n: p for n, p in kgx.items() if RDF + "predicate" in p}
    problems = []

    def problem(text):
        problems.append(text)

    if len(ours_edges) != len(kgx_edges):
        problem(f"{len(ours_edges)} associations in gardkg's RDF, {len(kgx_edges)} edges after kgx transform")
    for node, p in ours_edges.items():
        k = kgx_edges.get(node)
        if k is None:
            problem(f"{node}: no edge with this id after kgx transform")
            continue
        for slot in ("subject", "object"):
            if p[RDF + slot] != k[RDF + slot]:
                problem(f"{node}: rdf:{slot} {sorted(p[RDF + slot])} != {sorted(k[RDF + slot])}")
        predicate = p[RDF + "predicate"]
        if predicate != k[RDF + "predicate"] and predicate != k.get(BL + "original_predicate", set()):
            problem(f"{node}: predicate {sorted(predicate)} != {sorted(k[RDF + 'predicate'])} "
                    f"(original {sorted(k.get(BL + 'original_predicate', set()))})")
        for slot in SLOTS:
            mine, theirs = p.get(BL + slot, set()), k.get(BL + slot, set())
            if slot == "negated":
                mine = {"true"} if "true" in mine else set()
                theirs = {"true"} if "true" in theirs else set()
            if mine != theirs:
                problem(f"{node}: {slot} {sorted(mine)} != {sorted(theirs)}")
    compared = len(ours_edges)
    print(f"kgx round trip: {compared} associations compared on subject, predicate, object and {len(SLOTS)} "
          f"qualifier and provenance slots; {len(problems)} differences")
    for text in problems[:20]:
        print("  -", text)
    return 1 if problems or compared == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
