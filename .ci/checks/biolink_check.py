#!/usr/bin/env python3
"""Biolink Model conformance checker for RDF exports (N-Quads, N-Triples, Turtle, TriG).

Offline: the model is the `biolink_model/schema/biolink_model.yaml` shipped in the
`biolink-model` wheel (or --schema PATH), read with linkml-runtime's SchemaView.
All input files and all their graphs are read as ONE union graph (duplicate
triples across graphs count once).

Usage:
    python biolink_check.py [--json] [--schema biolink_model.yaml] [--ignore RULE ...]
                            [--max-examples 5] FILE [FILE ...]

Exit status: 0 = no violation, 1 = violations found, 2 = usage/input error.

Rules (ids as printed):
  unknown_class                 biolink IRI used as rdf:type / biolink:category is not a class of the model
  mixin_or_abstract_category    category is a mixin or abstract class (kgx validate rejects mixins too)
  category_not_biolink          biolink:category value is not a biolink class IRI
  unknown_slot                  biolink IRI used as predicate (or as rdf:predicate value) is not a slot
  noncanonical_slot_iri         biolink:<slot> used although the slot's IRI is elsewhere (biolink:name -> rdfs:label ...)
  association_structure         association node without exactly one rdf:subject/rdf:predicate/rdf:object,
                                or a reified statement (rdf:subject/...) without an association category
  predicate_not_allowed         reified predicate not a `related to` descendant, or outside the class's
                                slot_usage constraint (subproperty_of / enum range), inherited and from mixins
  association_subject_range     subject's categories do not fit the association's induced `subject` range
  association_object_range      object's categories do not fit the association's induced `object` range
  predicate_domain              subject's categories do not fit the predicate's domain (reified or direct)
  predicate_range               object's categories do not fit the predicate's range (reified or direct)
  uncategorized_node            node with no biolink category used as subject of a biolink predicate, or as
                                object of a biolink slot whose range is a class (incl. reified subject/object)
  slot_domain                   non-association node carrying a slot whose domain it does not fit
  slot_not_applicable           association node carrying a slot that is not among its class's induced slots
  slot_range_class              value of a class-ranged slot is a literal, or its categories do not fit the range
  literal_datatype              value of a type-ranged slot has the wrong kind (IRI vs literal), datatype or lexical form
  enum_value                    value of an enum-ranged slot is not a permissible value
  multivalued                   more than one distinct value for a single-valued slot on one subject
  missing_required_slot         a required slot of a node's / association's class is absent
                                (id, category, type, subject, predicate, object are checked by other rules)

Non-biolink predicates (rdfs:, skos:, dcterms:, prov:, oa:, owl:, oboInOwl:, project terms...) are not
checked, except that the RDF IRI of a biolink slot (rdfs:label for `name`, dct:type for `publication
type`, ...) counts when checking required slots.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import gzip
import importlib.resources
import io
import json
import logging
import os
import re
import sys
import time
from collections import defaultdict
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

BIOLINK = "https://w3id.org/biolink/vocab/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = RDF + "type"
RDF_SUBJECT = RDF + "subject"
RDF_PREDICATE = RDF + "predicate"
RDF_OBJECT = RDF + "object"
RDF_LANGSTRING = RDF + "langString"
BL_CATEGORY = BIOLINK + "category"

RULES = [
    "unknown_class",
    "mixin_or_abstract_category",
    "category_not_biolink",
    "unknown_slot",
    "noncanonical_slot_iri",
    "association_structure",
    "predicate_not_allowed",
    "association_subject_range",
    "association_object_range",
    "predicate_domain",
    "predicate_range",
    "uncategorized_node",
    "slot_domain",
    "slot_not_applicable",
    "slot_range_class",
    "literal_datatype",
    "enum_value",
    "multivalued",
    "missing_required_slot",
]

INT_TYPES = {
    XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte",
    )
}
FLOAT_TYPES = {XSD + "double", XSD + "float", XSD + "decimal"}
STRING_TYPES = {XSD + "string", RDF_LANGSTRING, XSD + "normalizedString", XSD + "token"}
CURIE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*:[^\s]*$")
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$")
INT_RE = re.compile(r"^[+-]?[0-9]+$")
FLOAT_RE = re.compile(r"^[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|INF|NaN)$|^-INF$")
DECIMAL_RE = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")


def default_schema_path() -> str:
    return str(importlib.resources.files("biolink_model") / "schema" / "biolink_model.yaml")


def snake(name: str) -> str:
    return name.replace(" ", "_")


def term_str(t) -> str:
    if isinstance(t, ox.NamedNode):
        v = t.value
        if v.startswith(BIOLINK):
            return "biolink:" + v[len(BIOLINK):]
        return "<" + v + ">"
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, ox.Literal):
        dt = t.datatype.value
        if t.language:
            return json.dumps(t.value) + "@" + t.language
        if dt == XSD + "string":
            return json.dumps(t.value)
        return json.dumps(t.value) + "^^" + (("xsd:" + dt[len(XSD):]) if dt.startswith(XSD) else "<" + dt + ">")
    return str(t)


class Model:
    """The Biolink model as the checker needs it, with caches."""

    def __init__(self, schema_path: str):
        from linkml_runtime.utils.schemaview import SchemaView

        # SchemaView prints noisy prefix-override messages while merging default_curi_maps;
        # they go to stdout/stderr/logging: silence them.
        logging.getLogger("linkml_runtime").setLevel(logging.ERROR)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            self.sv = SchemaView(schema_path)
            self.sv.all_classes()
            self.version = self.sv.schema.version
            self.classes = self.sv.all_classes()
            self.slots = self.sv.all_slots()
            self.enums = self.sv.all_enums()
            self.types = self.sv.all_types()
            self.class_by_iri = {}
            for c in self.classes.values():
                self.class_by_iri[self.sv.get_uri(c, expand=True)] = c.name
            self.slot_by_biolink_iri = {}
            self.slot_iri = {}
            self.slot_by_other_iri = defaultdict(set)
            for s in self.slots.values():
                self.slot_by_biolink_iri[BIOLINK + snake(s.name)] = s.name
                u = self.sv.get_uri(s, expand=True)
                self.slot_iri[s.name] = u
                if not u.startswith(BIOLINK):
                    self.slot_by_other_iri[u].add(s.name)
        self._anc = {}
        self._slot_anc = {}
        self._induced_slot = {}
        self._induced_class_attrs = {}
        self._pv = {}
        self._type_root = {}

    # --- classes -------------------------------------------------------------------------
    def class_curie(self, c: str) -> str:
        return "biolink:" + self.sv.get_uri(self.classes[c], expand=True)[len(BIOLINK):]

    def class_ancestors(self, c: str) -> frozenset:
        r = self._anc.get(c)
        if r is None:
            r = frozenset(self.sv.class_ancestors(c, mixins=True, reflexive=True))
            self._anc[c] = r
        return r

    def is_association(self, c: str) -> bool:
        return "association" in self.class_ancestors(c)

    def fits(self, categories, required: str) -> bool:
        """Some category is `required` or a descendant of it (is_a or mixins)."""
        return any(required in self.class_ancestors(c) for c in categories if c in self.classes)

    def induced_attrs(self, c: str) -> dict:
        r = self._induced_class_attrs.get(c)
        if r is None:
            ic = self.sv.induced_class(c)
            r = {a.name: a for a in ic.attributes.values()}
            self._induced_class_attrs[c] = r
        return r

    # --- slots ---------------------------------------------------------------------------
    def slot_ancestors(self, s: str) -> frozenset:
        r = self._slot_anc.get(s)
        if r is None:
            r = frozenset(self.sv.slot_ancestors(s, mixins=True, reflexive=True))
            self._slot_anc[s] = r
        return r

    def induced_slot(self, s: str):
        r = self._induced_slot.get(s)
        if r is None:
            r = self.sv.induced_slot(s)
            self._induced_slot[s] = r
        return r

    def ranges(self, slotdef) -> list:
        """The range(s) of an (induced) slot definition: any_of / exactly_one_of alternatives win."""
        alts = []
        for coll in (slotdef.any_of or [], slotdef.exactly_one_of or []):
            for x in coll:
                if x.range:
                    alts.append(x.range)
        if alts:
            return alts
        return [slotdef.range] if slotdef.range else []

    def permissible_values(self, enum: str) -> set:
        r = self._pv.get(enum)
        if r is None:
            e = self.enums[enum]
            r = set(self.sv.get_enum(enum).permissible_values.keys()) if e else set()
            self._pv[enum] = r
        return r

    def type_root(self, t: str) -> str:
        """Walk `typeof` up to a LinkML built-in type name."""
        r = self._type_root.get(t)
        if r is None:
            cur = t
            seen = set()
            while cur in self.types and self.types[cur].typeof and cur not in seen:
                seen.add(cur)
                cur = self.types[cur].typeof
            r = cur
            self._type_root[t] = r
        return r


class Report:
    """Violations by rule. An advisory (`RULE` or `RULE:slot_name`) is counted and shown apart, and does not
    fail the check: for a deviation a project documents (its RDF contract writes an IRI where Biolink types a
    CURIE string, say)."""

    def __init__(self, max_examples: int, ignore: set, advisory: set = frozenset()):
        self.counts = defaultdict(int)
        self.examples = defaultdict(list)
        self.advisories = defaultdict(int)
        self.advisory_examples = defaultdict(list)
        self.max_examples = max_examples
        self.ignore = ignore
        self.advisory = advisory

    def add(self, rule: str, message: str, slot: str | None = None):
        if rule in self.ignore:
            return
        key = next((k for k in (f"{rule}:{slot}" if slot else None, rule) if k and k in self.advisory), None)
        if key is not None:
            self.advisories[key] += 1
            if len(self.advisory_examples[key]) < self.max_examples:
                self.advisory_examples[key].append(message)
            return
        self.counts[rule] += 1
        if len(self.examples[rule]) < self.max_examples:
            self.examples[rule].append(message)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def guess_format(path: str):
    p = path[:-3] if path.endswith(".gz") else path
    ext = p.rsplit(".", 1)[-1].lower()
    return {
        "nq": ox.RdfFormat.N_QUADS,
        "nt": ox.RdfFormat.N_TRIPLES,
        "ttl": ox.RdfFormat.TURTLE,
        "turtle": ox.RdfFormat.TURTLE,
        "trig": ox.RdfFormat.TRIG,
        "jsonld": ox.RdfFormat.JSON_LD,
        "json": ox.RdfFormat.JSON_LD,
        "rdf": ox.RdfFormat.RDF_XML,
        "owl": ox.RdfFormat.RDF_XML,
    }.get(ext)


def read_triples(paths, fmt_override=None):
    """Yield (s, p, o) of the union of all graphs of all files, deduplicated."""
    seen = set()
    nquads = 0
    for path in paths:
        fmt = fmt_override or guess_format(path)
        if fmt is None:
            raise ValueError(f"cannot guess the RDF format of {path}; use --format")
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            for q in ox.parse(f, format=fmt):
                nquads += 1
                t = (q.subject, q.predicate, q.object)
                if t not in seen:
                    seen.add(t)
    return seen, nquads


class Checker:
    def __init__(self, model: Model, report: Report, extension: dict | None = None):
        self.m = model
        self.r = report
        self._uncat = set()
        # Project predicate IRI -> the Biolink predicate IRIs it is declared a sub-property of.
        self.extension = extension or {}

    def uncategorized(self, node, message):
        """Report a node without biolink category once, at its first use."""
        if node not in self._uncat:
            self._uncat.add(node)
            self.r.add("uncategorized_node", message)

    # ---------------------------------------------------------------------------------
    def run(self, triples):
        m, r = self.m, self.r
        cats = defaultdict(set)  # node -> set of biolink class names
        reif = defaultdict(lambda: {"s": set(), "p": set(), "o": set()})
        by_subject = defaultdict(lambda: defaultdict(set))  # node -> slot -> values (biolink slots)
        present_iris = defaultdict(set)  # node -> predicate IRIs present (for required slots)
        unknown_class_seen = set()

        # pass 1: categories, reification, slot usage
        for s, p, o in triples:
            pv = p.value
            present_iris[s].add(pv)
            if pv == RDF_TYPE or pv == BL_CATEGORY:
                if isinstance(o, ox.NamedNode) and o.value.startswith(BIOLINK):
                    c = m.class_by_iri.get(o.value)
                    if c is None:
                        if o.value not in unknown_class_seen:
                            unknown_class_seen.add(o.value)
                        r.add("unknown_class", f"{term_str(s)} {term_str(p)} {term_str(o)}")
                    else:
                        cats[s].add(c)
                elif pv == BL_CATEGORY:
                    r.add("category_not_biolink", f"{term_str(s)} biolink:category {term_str(o)}")
                continue
            if pv == RDF_SUBJECT:
                reif[s]["s"].add(o)
                continue
            if pv == RDF_PREDICATE:
                reif[s]["p"].add(o)
                continue
            if pv == RDF_OBJECT:
                reif[s]["o"].add(o)
                continue
            if pv.startswith(BIOLINK):
                slot = m.slot_by_biolink_iri.get(pv)
                if slot is None:
                    r.add("unknown_slot", f"{term_str(s)} {term_str(p)} {term_str(o)}")
                    continue
                if m.slot_iri[slot] != pv:
                    r.add(
                        "noncanonical_slot_iri",
                        f"{term_str(s)} {term_str(p)}: slot '{slot}' is <{m.slot_iri[slot]}> in the model",
                    )
                by_subject[s][slot].add(o)

        # categories: mixins / abstract
        for node, cs in cats.items():
            for c in cs:
                cd = m.classes[c]
                if cd.mixin or cd.abstract:
                    r.add(
                        "mixin_or_abstract_category",
                        f"{term_str(node)} has category {m.class_curie(c)} ({'mixin' if cd.mixin else 'abstract'})",
                    )

        def node_cats(n):
            return cats.get(n, ())

        def is_assoc_node(n):
            return any(m.is_association(c) for c in node_cats(n))

        # pass 2: associations (reified)
        assoc_nodes = {n for n in cats if is_assoc_node(n)}
        for n in set(reif) | assoc_nodes:
            self.check_association(n, reif.get(n), node_cats(n), node_cats, n in assoc_nodes)

        # pass 3: slot values
        for s, slots in by_subject.items():
            scats = node_cats(s)
            s_is_assoc = s in assoc_nodes
            assoc_classes = [c for c in scats if m.is_association(c)] if s_is_assoc else []
            for slot, values in slots.items():
                self.check_slot_use(s, scats, s_is_assoc, assoc_classes, slot, values, node_cats)

        # pass 4: required slots
        for n, cs in cats.items():
            self.check_required(n, cs, by_subject.get(n, {}), present_iris.get(n, set()), n in assoc_nodes)

    # ---------------------------------------------------------------------------------
    def check_association(self, n, rf, ncats, node_cats, is_assoc):
        m, r = self.m, self.r
        ns = term_str(n)
        if not is_assoc:
            r.add("association_structure", f"{ns} has rdf:subject/predicate/object but no association category")
            return
        if rf is None or len(rf["s"]) != 1 or len(rf["p"]) != 1 or len(rf["o"]) != 1:
            got = {k: len(v) for k, v in (rf or {"s": (), "p": (), "o": ()}).items()}
            r.add(
                "association_structure",
                f"{ns} needs exactly one rdf:subject/rdf:predicate/rdf:object, has "
                f"{got['s']}/{got['p']}/{got['o']}",
            )
            if rf is None:
                return
        subj = next(iter(rf["s"]), None)
        pred = next(iter(rf["p"]), None)
        obj = next(iter(rf["o"]), None)
        aclasses = [c for c in ncats if m.is_association(c)]
        scats = node_cats(subj) if subj is not None else ()
        ocats = node_cats(obj) if obj is not None else ()
        if subj is not None and not scats:
            self.uncategorized(subj, f"{term_str(subj)} (rdf:subject of {ns}) has no biolink category")
        if obj is not None and not ocats:
            self.uncategorized(obj, f"{term_str(obj)} (rdf:object of {ns}) has no biolink category")
        if isinstance(obj, ox.Literal) or isinstance(subj, ox.Literal):
            r.add("association_structure", f"{ns} has a literal as rdf:subject or rdf:object")

        pslot = None
        if isinstance(pred, ox.NamedNode) and pred.value in self.extension:
            # A project predicate declared rdfs:subPropertyOf a Biolink predicate is checked as that predicate.
            supers = [p for p in self.extension[pred.value] if (sl := m.slot_by_biolink_iri.get(p))
                      and "related to" in m.slot_ancestors(sl)]
            if supers:
                pred = ox.NamedNode(supers[0])
        if pred is not None:
            if not isinstance(pred, ox.NamedNode) or not pred.value.startswith(BIOLINK):
                r.add("predicate_not_allowed", f"{ns} rdf:predicate {term_str(pred)} is not a biolink predicate")
            else:
                pslot = m.slot_by_biolink_iri.get(pred.value)
                if pslot is None:
                    r.add("unknown_slot", f"{ns} rdf:predicate {term_str(pred)}")
                elif "related to" not in m.slot_ancestors(pslot):
                    r.add(
                        "predicate_not_allowed",
                        f"{ns} rdf:predicate {term_str(pred)} is not a descendant of biolink:related_to",
                    )
                    pslot = None

        for ac in aclasses:
            attrs = m.induced_attrs(ac)
            aname = m.class_curie(ac)
            # predicate constraint
            if pslot is not None:
                pdef = attrs.get("predicate")
                if pdef is not None:
                    sup = pdef.subproperty_of
                    if sup and sup not in m.slot_ancestors(pslot):
                        r.add(
                            "predicate_not_allowed",
                            f"{ns} ({aname}) predicate biolink:{snake(pslot)} is not biolink:{snake(sup)} "
                            f"or a descendant",
                        )
                    if pdef.range and pdef.range in m.enums:
                        allowed = m.permissible_values(pdef.range)
                        if snake(pslot) not in allowed and f"biolink:{snake(pslot)}" not in allowed:
                            r.add(
                                "predicate_not_allowed",
                                f"{ns} ({aname}) predicate biolink:{snake(pslot)} not in {pdef.range}",
                            )
            # subject / object range
            for key, node, ncs, rule in (
                ("subject", subj, scats, "association_subject_range"),
                ("object", obj, ocats, "association_object_range"),
            ):
                if node is None or not ncs:
                    continue
                adef = attrs.get(key)
                if adef is None:
                    continue
                rngs = [x for x in m.ranges(adef) if x in m.classes]
                if rngs and not any(m.fits(ncs, x) for x in rngs):
                    r.add(
                        rule,
                        f"{ns} ({aname}) {key} {term_str(node)} has categories "
                        f"{sorted(ncs)}; needs {' or '.join(rngs)}",
                    )
        # predicate domain/range
        if pslot is not None:
            sd = m.induced_slot(pslot)
            if subj is not None and scats and sd.domain and sd.domain in m.classes and not m.fits(scats, sd.domain):
                r.add(
                    "predicate_domain",
                    f"{ns}: subject {term_str(subj)} {sorted(scats)} outside the domain '{sd.domain}' of "
                    f"biolink:{snake(pslot)}",
                )
            prng = [x for x in m.ranges(sd) if x in m.classes]
            if obj is not None and ocats and prng and not any(m.fits(ocats, x) for x in prng):
                r.add(
                    "predicate_range",
                    f"{ns}: object {term_str(obj)} {sorted(ocats)} outside the range '{' or '.join(prng)}' of "
                    f"biolink:{snake(pslot)}",
                )

    # ---------------------------------------------------------------------------------
    def check_slot_use(self, s, scats, s_is_assoc, assoc_classes, slot, values, node_cats):
        m, r = self.m, self.r
        ss = term_str(s)
        sdef = m.induced_slot(slot)
        sname = "biolink:" + snake(slot)
        is_predicate = "related to" in m.slot_ancestors(slot)

        if not scats:
            self.uncategorized(s, f"{ss} uses {sname} but has no biolink category")

        # applicability / domain; pick the definitions whose range/multivalued apply
        defs = []
        if s_is_assoc:
            applicable = [c for c in assoc_classes if slot in m.induced_attrs(c)]
            if not applicable:
                r.add(
                    "slot_not_applicable",
                    f"{ss} ({', '.join(sorted(assoc_classes))}) uses {sname}, not an induced slot of its class",
                )
                defs = [sdef]
            else:
                defs = [m.induced_attrs(c)[slot] for c in applicable]
        elif scats:
            dom = sdef.domain
            in_class = [c for c in scats if slot in m.induced_attrs(c)]
            if dom and dom in m.classes and not m.fits(scats, dom) and not in_class:
                rule = "predicate_domain" if is_predicate else "slot_domain"
                r.add(rule, f"{ss} {sorted(scats)} uses {sname} whose domain is '{dom}'", slot=sname.removeprefix("biolink:"))
            defs = [m.induced_attrs(c)[slot] for c in in_class] or [sdef]
        else:
            defs = [sdef]

        # multivalued
        if len(values) > 1 and any(not d.multivalued for d in defs):
            r.add(
                "multivalued",
                f"{ss} has {len(values)} values for single-valued {sname}: "
                + ", ".join(sorted(term_str(v) for v in values)[:3]),
            )

        # ranges: every applicable definition must accept the value
        for v in values:
            for d in defs:
                if not self.check_value(ss, sname, d, v, node_cats, is_predicate):
                    break

    def check_value(self, ss, sname, d, v, node_cats, is_predicate) -> bool:
        """Report at most one violation for this value; return False when one was reported."""
        m, r = self.m, self.r
        rngs = m.ranges(d) or ["string"]  # default_range: string
        vs = term_str(v)
        class_r = [x for x in rngs if x in m.classes]
        enum_r = [x for x in rngs if x in m.enums]
        type_r = [x for x in rngs if x in m.types]
        problems = []
        # class range
        if class_r:
            if isinstance(v, ox.Literal):
                problems.append(("slot_range_class", f"a literal, range is class {' or '.join(class_r)}"))
            else:
                vc = node_cats(v)
                if not vc:
                    problems.append(("uncategorized_node", "has no biolink category"))
                elif any(m.fits(vc, x) for x in class_r):
                    return True
                else:
                    problems.append(
                        (
                            "predicate_range" if is_predicate else "slot_range_class",
                            f"categories {sorted(vc)} do not fit range {' or '.join(class_r)}",
                        )
                    )
        for e in enum_r:
            if isinstance(v, ox.Literal) and v.value in m.permissible_values(e):
                return True
            problems.append(("enum_value", f"not a permissible value of {e}"))
        for t in type_r:
            ok, why = self.literal_ok(t, v)
            if ok:
                return True
            problems.append(("literal_datatype", why))
        if not problems:
            return True
        rule, why = problems[0]
        if rule == "uncategorized_node":
            self.uncategorized(v, f"{vs} (object of {sname} on {ss}) {why}")
        else:
            r.add(rule, f"{ss} {sname} {vs}: {why}", slot=sname.removeprefix("biolink:"))
        return False

    def literal_ok(self, t, v):
        m = self.m
        root = m.type_root(t)
        label = t if t == root else f"{t} ({root})"
        if root in ("uriorcurie", "uri", "objectidentifier", "nodeidentifier"):
            if isinstance(v, ox.NamedNode):
                return True, ""
            if root == "nodeidentifier" and isinstance(v, ox.BlankNode):
                return True, ""
            if (
                root == "uriorcurie"
                and isinstance(v, ox.Literal)
                and v.datatype.value in (XSD + "string", XSD + "anyURI")
                and (CURIE_RE.match(v.value) or IRI_RE.match(v.value))
            ):
                return True, ""  # kgx writes CURIE strings for uriorcurie slots such as xref
            return False, f"range {label} needs an IRI"
        if not isinstance(v, ox.Literal):
            return False, f"range {label} needs a literal, got an IRI/blank node"
        dt = v.datatype.value
        lex = v.value
        if root in ("string", "ncname", "jsonpointer", "jsonpath", "sparqlpath", "curie"):
            if dt not in STRING_TYPES:
                return False, f"range {label} needs xsd:string, got {term_str(v.datatype)}"
            if root == "curie" and not CURIE_RE.match(lex):
                return False, f"range {label}: not a CURIE"
            return True, ""
        if root == "integer":
            if dt not in INT_TYPES:
                return False, f"range {label} needs xsd:integer, got {term_str(v.datatype)}"
            return (True, "") if INT_RE.match(lex.strip()) else (False, f"invalid integer lexical form")
        if root in ("float", "double"):
            if dt not in FLOAT_TYPES:
                return False, f"range {label} needs xsd:double/xsd:float/xsd:decimal, got {term_str(v.datatype)}"
            return (True, "") if FLOAT_RE.match(lex.strip()) else (False, "invalid number lexical form")
        if root == "decimal":
            if dt not in INT_TYPES | {XSD + "decimal"}:
                return False, f"range {label} needs xsd:decimal, got {term_str(v.datatype)}"
            return (True, "") if DECIMAL_RE.match(lex.strip()) else (False, "invalid decimal lexical form")
        if root == "boolean":
            if dt != XSD + "boolean":
                return False, f"range {label} needs xsd:boolean, got {term_str(v.datatype)}"
            return (True, "") if lex.strip() in ("true", "false", "1", "0") else (False, "invalid boolean")
        if root in ("date", "datetime", "date_or_datetime", "time"):
            want = {
                "date": {XSD + "date"},
                "datetime": {XSD + "dateTime"},
                "date_or_datetime": {XSD + "date", XSD + "dateTime"},
                "time": {XSD + "time"},
            }[root]
            if dt not in want:
                return False, f"range {label} needs {'/'.join(sorted(w.replace(XSD, 'xsd:') for w in want))}"
            try:
                if dt == XSD + "date":
                    _dt.date.fromisoformat(lex[:10])
                elif dt == XSD + "dateTime":
                    _dt.datetime.fromisoformat(lex.replace("Z", "+00:00"))
                else:
                    _dt.time.fromisoformat(lex.replace("Z", "+00:00"))
            except ValueError:
                return False, f"invalid {root} lexical form"
            return True, ""
        # unknown built-in: accept any literal
        return True, ""

    # ---------------------------------------------------------------------------------
    SKIP_REQUIRED = {"id", "category", "type", "subject", "predicate", "object"}

    def check_required(self, n, cs, slots_present, iris_present, is_assoc):
        m, r = self.m, self.r
        reported = set()
        for c in sorted(cs):
            if is_assoc and not m.is_association(c):
                continue
            for a in m.induced_attrs(c).values():
                if not a.required or a.name in self.SKIP_REQUIRED:
                    continue
                if a.name in slots_present or m.slot_iri.get(a.name) in iris_present or a.name in reported:
                    continue
                reported.add(a.name)
                r.add(
                    "missing_required_slot",
                    f"{term_str(n)} ({m.class_curie(c)}) lacks required "
                    f"'{a.name}' (<{m.slot_iri.get(a.name)}>)",
                    slot=snake(a.name),
                )


def read_extension(paths) -> dict:
    """`rdfs:subPropertyOf` declarations of project predicates under Biolink ones, from Turtle files."""
    sub = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
    out = defaultdict(list)
    for path in paths:
        with open(path, "rb") as f:
            for q in ox.parse(f, format=ox.RdfFormat.TURTLE):
                if q.predicate.value == sub and isinstance(q.object, ox.NamedNode) and \
                        q.object.value.startswith(BIOLINK) and not q.subject.value.startswith(BIOLINK):
                    out[q.subject.value].append(q.object.value)
    return dict(out)


def print_table(report: Report, out, meta):
    out.write(
        f"Biolink {meta['biolink_version']} conformance: {meta['files']} file(s), {meta['quads']} quads, "
        f"{meta['triples']} distinct triples, {meta['seconds']:.1f}s\n"
    )
    w = max(len(x) for x in RULES)
    out.write(f"{'rule'.ljust(w)}  count\n{'-' * w}  -----\n")
    for rule in RULES:
        out.write(f"{rule.ljust(w)}  {report.counts.get(rule, 0)}\n")
    out.write(f"{'TOTAL'.ljust(w)}  {report.total}\n")
    for rule in RULES:
        if report.counts.get(rule):
            out.write(f"\n[{rule}] {report.counts[rule]} violation(s), e.g.:\n")
            for e in report.examples[rule]:
                out.write(f"  - {e}\n")
    if report.advisories:
        out.write("\nAdvisories (documented deviations; they do not fail the check):\n")
        for key in sorted(report.advisories):
            out.write(f"\n[{key}] {report.advisories[key]}, e.g.:\n")
            for e in report.advisory_examples[key]:
                out.write(f"  - {e}\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Biolink Model conformance checker for RDF (offline).")
    ap.add_argument("files", nargs="+", help="N-Quads (.nq), N-Triples (.nt), Turtle (.ttl), TriG; .gz ok")
    ap.add_argument("--json", action="store_true", help="print a JSON report instead of the table")
    ap.add_argument("--schema", default=None, help="biolink-model YAML (default: the biolink-model wheel's)")
    ap.add_argument("--format", default=None, choices=["nq", "nt", "ttl", "trig"], help="override format")
    ap.add_argument("--ignore", action="append", default=[], choices=RULES, help="rule to skip (repeatable)")
    ap.add_argument("--max-examples", type=int, default=5)
    ap.add_argument("--advisory", action="append", default=[], metavar="RULE[:slot]",
                    help="count and show, but do not fail on, this rule (or this rule for one slot); repeatable")
    ap.add_argument("--extension", action="append", default=[], metavar="TTL",
                    help="Turtle declaring project predicates rdfs:subPropertyOf Biolink predicates; repeatable")
    a = ap.parse_args(argv)
    t0 = time.time()
    fmt = guess_format("x." + a.format) if a.format else None
    try:
        model = Model(a.schema or default_schema_path())
        triples, nquads = read_triples(a.files, fmt)
    except (OSError, ValueError, SyntaxError) as e:
        print(f"biolink_check: {e}", file=sys.stderr)
        return 2
    for adv in a.advisory:
        if adv.split(":", 1)[0] not in RULES:
            print(f"biolink_check: --advisory {adv}: no such rule", file=sys.stderr)
            return 2
    report = Report(a.max_examples, set(a.ignore), set(a.advisory))
    try:
        extension = read_extension(a.extension)
    except (OSError, SyntaxError, ValueError) as e:
        print(f"biolink_check: --extension: {e}", file=sys.stderr)
        return 2
    Checker(model, report, extension).run(triples)
    meta = {
        "biolink_version": model.version,
        "schema": a.schema or default_schema_path(),
        "files": len(a.files),
        "quads": nquads,
        "triples": len(triples),
        "seconds": time.time() - t0,
    }
    if a.json:
        json.dump(
            {
                **meta,
                "inputs": a.files,
                "total_violations": report.total,
                "ignored_rules": sorted(a.ignore),
                "advisories": dict(sorted(report.advisories.items())),
                "rules": {
                    rule: {"count": report.counts.get(rule, 0), "examples": report.examples.get(rule, [])}
                    for rule in RULES
                },
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        print_table(report, sys.stdout, meta)
    return 1 if report.total else 0


if __name__ == "__main__":
    sys.exit(main())
