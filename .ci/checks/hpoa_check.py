#!/usr/bin/env python3
"""Strict reader/validator for HPO annotation files (`phenotype.hpoa` format), offline.

    python hpoa_check.py [--hpo hp.obo|hp.obo.gz|hp.json] [--prefix OMIM --prefix GARD ...]
                         [--max-errors 20] [--json] FILE

Reading is done by hpo-toolkit (`hpotk`, 0.8.1), the maintained HPO reader that takes an
arbitrary path: `hpotk.annotations.load.hpoa.SimpleHpoaDiseaseLoader(hpo).load(FILE)`. That loader
is lenient (it logs and skips malformed lines, silently ignores unknown aspects, and accepts any
CURIE prefix as a database id), so this script:

1. validates every line itself against the format (12 tab-separated columns, the exact column
   header, qualifier, evidence, onset, frequency, sex, modifier, aspect and biocuration syntax,
   HPO ids that exist, are not obsolete and sit in the branch their aspect requires, database-id
   prefixes from an allow-list with a per-prefix local-id pattern);
2. loads the file with hpotk, treating every warning hpotk logs (and any exception) as an error,
   and cross-checks hpotk's disease count with its own.

It fails (exit 1) on any error and prints row counts per aspect. The HPO is read from an OBO
file (converted in memory to the OBO-Graphs JSON hpotk expects) or from hp.json; default
$GARDKG_SHARED/ontologies/hp.obo. No network is used.
"""
from __future__ import annotations

import argparse
import functools
import collections
import gzip
import tempfile
import json
import logging
import os
import re
import sys

COLUMNS = [
    "database_id", "disease_name", "qualifier", "hpo_id", "reference", "evidence",
    "onset", "frequency", "sex", "modifier", "aspect", "biocuration",
]
ASPECTS = {"P": "HP:0000118", "I": "HP:0000005", "C": "HP:0031797", "M": "HP:0012823", "H": "HP:0032443"}
ASPECT_NAMES = {
    "P": "phenotypic abnormality", "I": "mode of inheritance", "C": "clinical course (onset)",
    "M": "clinical modifier", "H": "past medical history",
}
ONSET = "HP:0003674"
FREQUENCY = "HP:0040279"
CLINICAL_MODIFIER = "HP:0012823"
CLINICAL_COURSE = "HP:0031797"
EVIDENCE = {"IEA", "PCS", "TAS"}
SEXES = {"", "MALE", "FEMALE"}
DEFAULT_PREFIXES = {
    "OMIM": r"\d{6}",
    "ORPHA": r"\d+",
    "DECIPHER": r"\d+",
    "GARD": r"\d{7}",
}
HP_RE = re.compile(r"^HP:\d{7}$")
RATIO_RE = re.compile(r"^(\d+)/(\d+)$")
PCT_RE = re.compile(r"^(\d+(?:\.\d+)?)%$")
CURIE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*:\S+$")
BIOCURATION_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*:[^\[\];\s]+\[\d{4}-\d{2}-\d{2}\]$")
PURL = "http://purl.obolibrary.org/obo/"


# --- HPO --------------------------------------------------------------------------------------
def obo_to_obographs(path: str) -> dict:
    """Minimal OBO -> OBO-Graphs JSON: classes with label, obsolete flag, alt_ids, and is_a edges."""
    opener = gzip.open if path.endswith(".gz") else open
    nodes, edges = [], []
    version = None
    cur = None

    def flush():
        if cur and cur.get("id", "").startswith("HP:"):
            curie = cur["id"]
            meta = {}
            if cur.get("obsolete"):
                meta["deprecated"] = True
            if cur.get("alt"):
                meta["basicPropertyValues"] = [
                    {"pred": "http://www.geneontology.org/formats/oboInOwl#hasAlternativeId", "val": a}
                    for a in cur["alt"]
                ]
            node = {"id": PURL + curie.replace(":", "_"), "type": "CLASS", "meta": meta}
            if "name" in cur:
                node["lbl"] = cur["name"]
            nodes.append(node)
            for parent in cur.get("is_a", []):
                edges.append({"sub": node["id"], "pred": "is_a", "obj": PURL + parent.replace(":", "_")})

    with opener(path, "rt", encoding="utf-8") as f:
        in_term = False
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("["):
                flush()
                in_term = line.strip() == "[Term]"
                cur = {} if in_term else None
                continue
            if cur is None:
                if line.startswith("data-version:"):
                    version = line.split(":", 1)[1].strip()
                continue
            if ":" not in line:
                continue
            tag, val = line.split(":", 1)
            val = val.strip()
            if tag in ("is_a", "alt_id", "id"):
                val = val.split("!")[0].strip().split(" {")[0].strip()
            if tag == "id":
                cur["id"] = val
            elif tag == "name":
                cur["name"] = val
            elif tag == "is_a":
                cur.setdefault("is_a", []).append(val)
            elif tag == "alt_id":
                cur.setdefault("alt", []).append(val)
            elif tag == "is_obsolete" and val == "true":
                cur["obsolete"] = True
        flush()
    meta = {}
    if version:
        m = re.search(r"(\d{4}-\d{2}-\d{2})", version)
        if m:
            meta["version"] = f"{PURL}hp/releases/{m.group(1)}/hp.json"
    return {"graphs": [{"id": PURL + "hp.json", "meta": meta, "nodes": nodes, "edges": edges}]}


@functools.lru_cache(maxsize=4)
def load_hpo(path: str):
    import hpotk

    if path.endswith(".json") or path.endswith(".json.gz"):
        return hpotk.load_minimal_ontology(path)
    doc = obo_to_obographs(path)
    # hpotk opens paths or binary/text file objects, not StringIO: go through a temporary file
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as tmp:
        json.dump(doc, tmp)
        tmp.flush()
        return hpotk.load_minimal_ontology(tmp.name)


# --- validation -------------------------------------------------------------------------------
class Errors:
    def __init__(self, limit: int):
        self.limit = limit
        self.count = 0
        self.by_kind = collections.Counter()
        self.shown = []

    def add(self, kind: str, lineno, msg: str):
        self.count += 1
        self.by_kind[kind] += 1
        if len(self.shown) < self.limit:
            self.shown.append(f"line {lineno}: [{kind}] {msg}" if lineno else f"[{kind}] {msg}")


def validate_lines(path, hpo, prefixes: dict, errors: Errors, warnings: Errors, strict_names: bool = False):
    from hpotk import TermId

    graph = hpo.graph
    known = {}

    def term(curie):
        """(exists, obsolete, primary id) for an HP id, including alt ids."""
        if curie in known:
            return known[curie]
        t = hpo.get_term(curie)
        if t is None:
            known[curie] = (False, False, None)
        else:
            known[curie] = (True, t.is_obsolete, t.identifier.value)
        return known[curie]

    anc_cache = {}

    def under(curie, root):
        key = (curie, root)
        if key not in anc_cache:
            tid = TermId.from_curie(curie)
            r = TermId.from_curie(root)
            anc_cache[key] = tid == r or graph.is_ancestor_of(r, tid)
        return anc_cache[key]

    def check_hp(lineno, col, curie, root=None, root_name=""):
        if not HP_RE.match(curie):
            errors.add(col, lineno, f"{col} {curie!r} is not an HP id (HP:nnnnnnn)")
            return False
        exists, obsolete, primary = term(curie)
        if not exists:
            errors.add(col, lineno, f"{col} {curie} is not in the HPO")
            return False
        if obsolete:
            errors.add(col, lineno, f"{col} {curie} is obsolete in the HPO")
            return False
        if primary != curie:
            errors.add(col, lineno, f"{col} {curie} is an alternative id of {primary}")
            return False
        if root and not under(curie, root):
            errors.add(col, lineno, f"{col} {curie} is not under {root} ({root_name})")
            return False
        return True

    prefix_res = {p: re.compile(rf"^{p}:{pat}$") for p, pat in prefixes.items()}
    rows_per_aspect = collections.Counter()
    not_per_aspect = collections.Counter()
    names = {}
    header_seen = False
    meta = {}
    nrows = 0
    with open(path, encoding="utf-8", newline="") as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.endswith("\n"):
                errors.add("format", lineno, "last line does not end with a newline")
            line = raw.rstrip("\n")
            if "\r" in line:
                errors.add("format", lineno, "carriage return in line (CRLF line ending?)")
                line = line.rstrip("\r")
            if not header_seen:
                if line.startswith("#"):
                    m = re.match(r"^#([A-Za-z_-]+):\s*(.*)$", line)
                    if m:
                        meta[m.group(1)] = m.group(2)
                    else:
                        errors.add("header", lineno, f"comment line is not '#key: value': {line!r}")
                    continue
                if line.split("\t") != COLUMNS:
                    errors.add("header", lineno, f"expected the column header {chr(9).join(COLUMNS)!r}, got {line!r}")
                    return rows_per_aspect, not_per_aspect, names, meta, nrows
                header_seen = True
                continue
            if line.startswith("#"):
                errors.add("format", lineno, "comment line after the column header")
                continue
            if not line.strip():
                errors.add("format", lineno, "empty line")
                continue
            cols = line.split("\t")
            if len(cols) != 12:
                errors.add("format", lineno, f"{len(cols)} columns, expected 12")
                continue
            nrows += 1
            (db_id, name, qual, hpo_id, ref, evid, onset, freq, sex, modifier, aspect, biocur) = cols
            for c, v in zip(COLUMNS, cols):
                if v != v.strip():
                    errors.add("whitespace", lineno, f"{c} has leading/trailing whitespace: {v!r}")
            # database id
            pfx = db_id.split(":", 1)[0] if ":" in db_id else None
            if pfx not in prefix_res:
                errors.add("database_id", lineno, f"database_id {db_id!r}: prefix not in {sorted(prefixes)}")
            elif not prefix_res[pfx].match(db_id):
                errors.add("database_id", lineno, f"database_id {db_id!r} does not match {pfx}:{prefixes[pfx]}")
            if not name.strip():
                errors.add("disease_name", lineno, "empty disease_name")
            elif db_id in names and names[db_id] != name:
                # the HPO's own file has ~900 such rows (case variants): a warning unless --strict-names
                (errors if strict_names else warnings).add(
                    "disease_name", lineno, f"{db_id} named {name!r}, earlier {names[db_id]!r}"
                )
            names.setdefault(db_id, name)
            if qual not in ("", "NOT"):
                errors.add("qualifier", lineno, f"qualifier {qual!r} is not empty or NOT")
            if aspect not in ASPECTS:
                errors.add("aspect", lineno, f"aspect {aspect!r} is not one of {'/'.join(ASPECTS)}")
                check_hp(lineno, "hpo_id", hpo_id)
            else:
                rows_per_aspect[aspect] += 1
                if qual == "NOT":
                    not_per_aspect[aspect] += 1
                check_hp(lineno, "hpo_id", hpo_id, ASPECTS[aspect], ASPECT_NAMES[aspect])
            refs = ref.split(";")
            if not ref or any(not CURIE_RE.match(x) for x in refs):
                errors.add("reference", lineno, f"reference {ref!r} is not ';'-separated CURIEs/URLs")
            if evid not in EVIDENCE:
                errors.add("evidence", lineno, f"evidence {evid!r} is not one of {sorted(EVIDENCE)}")
            if onset:
                check_hp(lineno, "onset", onset, ONSET, "Onset")
            if freq:
                m = RATIO_RE.match(freq)
                p = PCT_RE.match(freq)
                if freq.startswith("HP:"):
                    check_hp(lineno, "frequency", freq, FREQUENCY, "Frequency")
                elif m:
                    n, d = int(m.group(1)), int(m.group(2))
                    if d == 0 or n > d:
                        errors.add("frequency", lineno, f"frequency {freq!r}: need 0 <= n <= m and m > 0")
                elif p:
                    if not 0 <= float(p.group(1)) <= 100:
                        errors.add("frequency", lineno, f"frequency {freq!r} outside 0-100%")
                else:
                    errors.add("frequency", lineno, f"frequency {freq!r} is not an HP term, n/m or N%")
            if sex not in SEXES:
                errors.add("sex", lineno, f"sex {sex!r} is not empty, MALE or FEMALE")
            if modifier:
                for mod in modifier.split(";"):
                    if check_hp(lineno, "modifier", mod) and not (
                        under(mod, CLINICAL_MODIFIER) or under(mod, CLINICAL_COURSE)
                    ):
                        errors.add(
                            "modifier", lineno,
                            f"modifier {mod} is under neither Clinical modifier {CLINICAL_MODIFIER} "
                            f"nor Clinical course {CLINICAL_COURSE}",
                        )
            # the HPO's own file has "a; b" in a few rows: tolerate blanks after ';'
            if not biocur or any(not BIOCURATION_RE.match(b.strip()) for b in biocur.split(";")):
                errors.add("biocuration", lineno, f"biocuration {biocur!r} is not ';'-separated SOURCE:curator[YYYY-MM-DD]")
    if not header_seen:
        errors.add("header", None, "no column header line (database_id ...) found")
    return rows_per_aspect, not_per_aspect, names, meta, nrows


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


def load_with_hpotk(path, hpo, errors: Errors):
    from hpotk.annotations.load.hpoa import SimpleHpoaDiseaseLoader

    h = _Collect()
    lg = logging.getLogger("hpotk")
    lg.addHandler(h)
    try:
        diseases = SimpleHpoaDiseaseLoader(hpo).load(path)
    except Exception as e:  # hpotk raises ValueError on e.g. an unparsable frequency
        errors.add("hpotk", None, f"hpotk failed: {type(e).__name__}: {e}")
        return None
    finally:
        lg.removeHandler(h)
    for msg in h.records:
        errors.add("hpotk", None, f"hpotk warning: {msg}")
    return diseases


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--hpo", default=None, help="hp.obo / hp.obo.gz / hp.json (default $GARDKG_SHARED/ontologies/hp.obo)")
    ap.add_argument(
        "--prefix", action="append", default=None, metavar="PFX[=REGEX]",
        help="allowed database_id prefix, optionally with a local-id regex (repeatable; default "
        + ", ".join(f"{k}={v}" for k, v in DEFAULT_PREFIXES.items()) + ")",
    )
    ap.add_argument("--max-errors", type=int, default=20)
    ap.add_argument("--strict-names", action="store_true", help="fail when one database_id has several names")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)

    hpo_path = a.hpo or os.path.join(os.environ.get("GARDKG_SHARED", "/work/shared"), "ontologies", "hp.obo")
    if not os.path.isfile(hpo_path):
        print(f"hpoa_check: HPO file not found: {hpo_path} (use --hpo)", file=sys.stderr)
        return 2
    if not os.path.isfile(a.file):
        print(f"hpoa_check: no such file: {a.file}", file=sys.stderr)
        return 2
    prefixes = dict(DEFAULT_PREFIXES)
    if a.prefix:
        prefixes = {}
        for p in a.prefix:
            k, _, v = p.partition("=")
            prefixes[k] = v or DEFAULT_PREFIXES.get(k, r"\S+")

    errors = Errors(a.max_errors)
    warnings = Errors(5)
    hpo = load_hpo(hpo_path)
    rows, nots, names, meta, nrows = validate_lines(a.file, hpo, prefixes, errors, warnings, a.strict_names)
    diseases = load_with_hpotk(a.file, hpo, errors) if errors.count == 0 else None
    if diseases is not None:
        n = len(diseases)
        if n != len(names):
            errors.add("hpotk", None, f"hpotk read {n} diseases, the file has {len(names)} database ids")

    report = {
        "file": a.file,
        "hpo": hpo_path,
        "hpo_version": hpo.version,
        "header": meta,
        "rows": nrows,
        "diseases": len(names),
        "rows_per_aspect": {k: rows.get(k, 0) for k in ASPECTS},
        "not_rows_per_aspect": {k: nots.get(k, 0) for k in ASPECTS},
        "hpotk_diseases": len(diseases) if diseases is not None else None,
        "errors": errors.count,
        "errors_by_kind": dict(errors.by_kind),
        "error_examples": errors.shown,
        "warnings": warnings.count,
        "warning_examples": warnings.shown,
    }
    if a.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{a.file}: {nrows} rows, {len(names)} diseases (HPO {hpo.version})")
        print("aspect    rows  NOT")
        for k in ASPECTS:
            print(f"{k:6}  {rows.get(k, 0):6}  {nots.get(k, 0):3}   {ASPECT_NAMES[k]}")
        if diseases is not None:
            print(f"hpotk {__import__('hpotk').__version__} read {report['hpotk_diseases']} diseases with no warning")
        if warnings.count:
            print(f"{warnings.count} warning(s), e.g. " + "; ".join(warnings.shown[:2]))
        if errors.count:
            print(f"\n{errors.count} error(s): " + ", ".join(f"{k}={v}" for k, v in errors.by_kind.most_common()))
            for e in errors.shown:
                print("  " + e)
        else:
            print("OK")
    return 1 if errors.count else 0


if __name__ == "__main__":
    sys.exit(main())
