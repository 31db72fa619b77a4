#!/usr/bin/env python3
"""Turns a curator's draft into a gold TSV with character offsets, and checks every row.

Draft rows (tab-separated, comment lines starting with # are kept):
    file  section  text  occurrence  kind  id  negated  frequency
`occurrence` is which occurrence of `text` in the section text (1 = first). Output rows:
    file  section  start  end  text  kind  id  negated  frequency
Offsets count Unicode characters of the section text (`PACKETS/<page>.sections.json`).

Checks: the text occurs in that section; phenotype ids are live HPO terms under Phenotypic abnormality (HP:0000118);
treatment ids are live MAxO terms; condition ids (may be empty) are Orphanet/OMIM/MONDO ids present in the pinned
files; negated is true/false; frequency is empty or one of HP:0040280..HP:0040285.
Usage: locate.py PACKETS SHARED DRAFT.tsv OUT.tsv
"""
import json, os, re, sys

packets, shared, draft, out = sys.argv[1:5]

def obo_terms(path):
    terms, cur = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line == "[Term]":
            cur = {"parents": [], "obsolete": False}
        elif line.startswith("[") :
            cur = None
        elif cur is not None and line.startswith("id: "):
            cur["id"] = line[4:]; terms[cur["id"]] = cur
        elif cur is not None and line.startswith("name: "):
            cur["name"] = line[6:]
        elif cur is not None and line.startswith("is_a: "):
            cur["parents"].append(line[6:].split(" ")[0])
        elif cur is not None and line == "is_obsolete: true":
            cur["obsolete"] = True
    return terms

hp = obo_terms(os.path.join(shared, "ontologies/hp.obo"))
maxo = obo_terms(os.path.join(shared, "ontologies/maxo-base.obo"))
def under(terms, t, root):
    seen, stack = set(), [t]
    while stack:
        x = stack.pop()
        if x == root: return True
        if x in seen or x not in terms: continue
        seen.add(x); stack.extend(terms[x]["parents"])
    return False
diseases = set()
for line in open(os.path.join(shared, "ontologies/phenotype.hpoa"), encoding="utf-8"):
    if not line.startswith("#"):
        diseases.add(line.split("\t")[0].replace("ORPHA:", "Orphanet:"))
for name in os.listdir(os.path.join(shared, "ontologies/mondo-mappings")):
    for line in open(os.path.join(shared, "ontologies/mondo-mappings", name), encoding="utf-8"):
        if line.startswith("#") or line.startswith("subject_id"): continue
        cols = line.rstrip("\n").split("\t")
        diseases.add(cols[0]); 
        if len(cols) > 3: diseases.add(cols[3])

FREQ = {"", "HP:0040280", "HP:0040281", "HP:0040282", "HP:0040283", "HP:0040284", "HP:0040285"}
errors, rows, comments = [], [], []
header = "file\tsection\tstart\tend\ttext\tkind\tid\tnegated\tfrequency"
for n, line in enumerate(open(draft, encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if not line.strip(): continue
    if line.startswith("#"): comments.append(line); continue
    cols = line.split("\t")
    if cols[0] == "file": continue
    if len(cols) < 7:
        errors.append(f"line {n}: expected 8 columns, got {len(cols)}"); continue
    cols += [""] * (8 - len(cols))
    f, sec, text, occ, kind, id_, neg, freq = cols[:8]
    page = os.path.basename(f).replace(".xml", "")
    try:
        sections = json.load(open(os.path.join(packets, page + ".sections.json")))
        stext = sections[int(sec)]["text"]
    except Exception as e:
        errors.append(f"line {n}: no section {sec} of {f}: {e}"); continue
    occ = int(occ or 1)
    pos = -1
    for _ in range(occ):
        pos = stext.find(text, pos + 1)
        if pos < 0: break
    if pos < 0:
        errors.append(f"line {n}: {text!r} does not occur {occ} time(s) in section {sec} of {f}"); continue
    start = len(stext[:pos]); end = start + len(text)
    if kind == "phenotype":
        if id_ not in hp or hp[id_]["obsolete"] or not under(hp, id_, "HP:0000118"):
            errors.append(f"line {n}: {id_} is not a live HPO term under Phenotypic abnormality")
    elif kind == "treatment":
        if id_ not in maxo or maxo[id_]["obsolete"]:
            errors.append(f"line {n}: {id_} is not a live MAxO term")
    elif kind == "condition":
        if id_ and id_ not in diseases:
            errors.append(f"line {n}: {id_} is not in phenotype.hpoa or the Mondo mapping files")
    else:
        errors.append(f"line {n}: kind must be phenotype, condition or treatment")
    if neg not in ("true", "false"): errors.append(f"line {n}: negated must be true or false")
    if freq not in FREQ: errors.append(f"line {n}: frequency must be empty or HP:0040280..HP:0040285")
    rows.append("\t".join([f, sec, str(start), str(end), text, kind, id_, neg, freq]))
if errors:
    print("\n".join(errors), file=sys.stderr); sys.exit(1)
with open(out, "w", encoding="utf-8") as fh:
    fh.write("\n".join(comments + [header] + rows) + "\n")
print(f"{out}: {len(rows)} rows")
