#!/usr/bin/env bash
# Rebuilds ontology/mondo-gard.sssom.tsv.gz from Mondo's SSSOM mapping files.
#
# Keeps the rows gardkg needs: every Mondo term that has a GARD cross-reference (oboInOwl:hasDbXref GARD:...),
# and the exactMatch rows of those same Mondo terms to Orphanet, OMIM and UMLS. Rows are copied unmodified
# (object_label may be empty for UMLS, whose file has no such column); the output is sorted, so refreshes diff well.
#
# Usage: ontology/refresh-mondo.sh [DIR]   (DIR holds mondo_*.sssom.tsv; default ${GARDKG_SHARED:-../shared}/ontologies/mondo-mappings)
set -euo pipefail
dir=${1:-${GARDKG_SHARED:-../shared}/ontologies/mondo-mappings}
out=$(dirname "$0")/mondo-gard.sssom.tsv.gz
gard=$dir/mondo_hasdbxref_gard.sssom.tsv
for f in "$gard" "$dir"/mondo_exactmatch_{orphanet,omim,umls}.sssom.tsv; do
  [ -r "$f" ] || { echo "refresh-mondo: missing $f" >&2; exit 1; }
done
version=$(grep -m1 '^# mapping_set_version:' "$gard" | sed 's/.*releases\/\([0-9-]*\).*/\1/')
{
  echo "# curie_map:"
  echo "#   GARD: https://rarediseases.info.nih.gov/diseases/"
  echo "#   MONDO: http://purl.obolibrary.org/obo/MONDO_"
  echo "#   OMIM: https://omim.org/entry/"
  echo "#   Orphanet: http://www.orpha.net/ORDO/Orphanet_"
  echo "#   UMLS: http://linkedlifedata.com/resource/umls/id/"
  echo "#   oboInOwl: http://www.geneontology.org/formats/oboInOwl#"
  echo "#   semapv: https://w3id.org/semapv/vocab/"
  echo "#   skos: http://www.w3.org/2004/02/skos/core#"
  echo "# license: https://creativecommons.org/publicdomain/zero/1.0/"
  echo "# mapping_set_id: https://w3id.org/gardkg/mappings/mondo-gard.sssom.tsv"
  echo "# mapping_set_version: http://purl.obolibrary.org/obo/mondo/releases/$version"
  echo "# comment: rows of the Mondo mapping sets mondo_hasdbxref_gard, mondo_exactmatch_orphanet, mondo_exactmatch_omim and mondo_exactmatch_umls for the Mondo terms that have a GARD cross-reference"
  printf 'subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\n'
  # Column positions differ between files (UMLS has no object_label): read each header to find them.
  awk -F'\t' -v OFS='\t' '
    FNR == 1 { delete col }
    /^#/ { next }
    !("subject_id" in col) { for (i = 1; i <= NF; i++) col[$i] = i; next }
    FILENAME ~ /hasdbxref_gard/ { keep[$col["subject_id"]] = 1 }
    ($col["subject_id"] in keep) {
      label = ("object_label" in col) ? $col["object_label"] : ""
      print $col["subject_id"], $col["subject_label"], $col["predicate_id"], $col["object_id"], label, $col["mapping_justification"]
    }' "$gard" "$dir"/mondo_exactmatch_{orphanet,omim,umls}.sssom.tsv | LC_ALL=C sort -u
} | gzip -9n > "$out"
echo "wrote $out (Mondo mappings release $version): $(zcat "$out" | grep -vc '^#') rows"
