#!/usr/bin/env bash
# Rebuilds the derived disease-name lexicon ontology/disease-names.tsv.gz and the Mondo cross-links
# ontology/disease-xrefs.tsv.gz from the pinned HPO annotations and Mondo SSSOM mapping files.
#
# Usage: ontology/refresh-disease-names.sh [PHENOTYPE.HPOA] [MONDO-MAPPINGS-DIR]
#   defaults: ${GARDKG_SHARED:-../shared}/ontologies/phenotype.hpoa and .../ontologies/mondo-mappings
#
# disease-names.tsv.gz, columns id, name, source:
#   - every OMIM and ORPHA disease of phenotype.hpoa with its disease_name (ORPHA:n written Orphanet:n), source hpoa;
#   - every MONDO subject of the Mondo SSSOM files with its subject_label, and every Orphanet and OMIM object of their
#     skos:exactMatch rows with its object_label, source mondo. Obsolete Mondo terms (label "obsolete ...") and their
#     rows are left out.
#   One row per id and name, case aside (a name found in both sources says "hpoa,mondo", spelled as phenotype.hpoa does); rows are sorted by id, and within an id
#   the hpoa name comes first: the first name of an id is its label.
# disease-xrefs.tsv.gz, columns mondo_id, object_id: the skos:exactMatch rows of the Mondo SSSOM files (Orphanet,
#   OMIM, UMLS, ICD-10-CM), obsolete Mondo terms left out, sorted.
# Both files are gzipped without a time stamp, so a refresh from the same inputs gives the same bytes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
shared="${GARDKG_SHARED:-../shared}"
hpoa="${1:-$shared/ontologies/phenotype.hpoa}"
dir="${2:-$shared/ontologies/mondo-mappings}"
[ -r "$hpoa" ] || { echo "refresh-disease-names: cannot read $hpoa" >&2; exit 1; }
ls "$dir"/*.sssom.tsv >/dev/null 2>&1 || { echo "refresh-disease-names: no *.sssom.tsv in $dir" >&2; exit 1; }

python3 - "$hpoa" "$dir" "$here" <<'PY'
import glob, gzip, os, re, sys

hpoa, mapping_dir, out_dir = sys.argv[1:4]

def gz_write(path, header, rows):
    tmp = path + ".tmp"
    # mtime=0 and no file name: the same rows always give the same bytes.
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write("".join(header).encode())
        for row in rows:
            gz.write(("\t".join(row) + "\n").encode())
    os.replace(tmp, path)

def clean(text):
    text = " ".join(text.split())
    if "\t" in text or not text:
        return None
    return text

# name rows: (id, lower-case name) -> [name as first written, set of sources]; phenotype.hpoa is read first, so its
# spelling wins over Mondo's (which often lower-cases OMIM titles).
names = {}
def add(curie, name, source):
    name = clean(name or "")
    if name is None or name.lower().startswith("obsolete "):
        return
    names.setdefault((curie, name.lower()), [name, set()])[1].add(source)

hpoa_version = ""
with open(hpoa, encoding="utf-8") as f:
    header = None
    for line in f:
        line = line.rstrip("\n")
        if line.startswith("#"):
            m = re.match(r"#version: *(\S+)", line)
            if m:
                hpoa_version = m.group(1)
            continue
        fields = line.split("\t")
        if header is None:
            header = {name: i for i, name in enumerate(fields)}
            continue
        db_id, name = fields[header["database_id"]], fields[header["disease_name"]]
        if db_id.startswith("ORPHA:"):
            add("Orphanet:" + db_id[len("ORPHA:"):], name, "hpoa")
        elif db_id.startswith("OMIM:"):
            add(db_id, name, "hpoa")

mondo_version = ""
xrefs = set()
for path in sorted(glob.glob(os.path.join(mapping_dir, "*.sssom.tsv"))):
    with open(path, encoding="utf-8") as f:
        header = None
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                m = re.search(r"mapping_set_version: *\S*/releases/([0-9-]+)/", line)
                if m and not mondo_version:
                    mondo_version = m.group(1)
                continue
            fields = line.split("\t")
            if header is None:
                header = {name: i for i, name in enumerate(fields)}
                continue
            get = lambda column: fields[header[column]] if column in header and header[column] < len(fields) else ""
            subject, label = get("subject_id"), get("subject_label")
            if not subject.startswith("MONDO:") or label.lower().startswith("obsolete "):
                continue
            add(subject, label, "mondo")
            if get("predicate_id") != "skos:exactMatch":
                continue
            obj = get("object_id")
            xrefs.add((subject, obj))
            if obj.startswith(("Orphanet:", "OMIM:")):
                add(obj, get("object_label"), "mondo")

def sort_key(item):
    (curie, _), (name, sources) = item
    prefix, _, local = curie.partition(":")
    number = int(local) if local.isdigit() else 0
    # Within an id: the hpoa name first (it becomes the label), then the others alphabetically.
    return (prefix, number, local, "hpoa" not in sources, name.lower(), name)

rows = [(curie, name, ",".join(sorted(sources))) for (curie, _), (name, sources) in sorted(names.items(), key=sort_key)]
gz_write(
    os.path.join(out_dir, "disease-names.tsv.gz"),
    [
        "# Disease names derived by ontology/refresh-disease-names.sh from phenotype.hpoa "
        f"(HPO annotations {hpoa_version}) and the Mondo SSSOM mapping files (releases/{mondo_version}).\n",
        "# See ontology/disease-names.LICENSE.md.\n",
        "id\tname\tsource\n",
    ],
    rows,
)

def xref_key(pair):
    return tuple(int(part.partition(":")[2]) if part.partition(":")[2].isdigit() else 0 for part in pair) + pair

gz_write(
    os.path.join(out_dir, "disease-xrefs.tsv.gz"),
    [
        "# Mondo skos:exactMatch rows derived by ontology/refresh-disease-names.sh from the Mondo SSSOM mapping files "
        f"(releases/{mondo_version}). See ontology/disease-names.LICENSE.md.\n",
        "mondo_id\tobject_id\n",
    ],
    sorted(xrefs, key=xref_key),
)
ids = {curie for curie, _ in names}
print(f"disease-names.tsv.gz: {len(rows)} names of {len(ids)} ids (HPO annotations {hpoa_version}, Mondo {mondo_version}); "
      f"disease-xrefs.tsv.gz: {len(xrefs)} exactMatch rows")
PY
