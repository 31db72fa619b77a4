#!/usr/bin/env bash
# Refresh the vendored Medical Action Ontology (ontology/maxo.obo.gz) from a maxo-base.obo file or URL.
#
# Usage: ontology/refresh-maxo.sh [PATH-OR-URL-TO-maxo-base.obo]
#   default: ${GARDKG_SHARED:-../shared}/ontologies/maxo-base.obo
#
# The content is copied unmodified and compressed with `gzip -9n`, which leaves out the file name and time stamp so
# the same input always gives the same bytes. Prints the release (`data-version`) so it can be recorded in
# ontology/README.md and ontology/maxo.LICENSE.md. After a refresh, run the tests: the treatment table
# (ontology/treatment-synonyms.tsv) is checked against the new release, and a renamed or obsoleted term is an error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="${1:-${GARDKG_SHARED:-../shared}/ontologies/maxo-base.obo}"
out="$here/maxo.obo.gz"
tmp="$(mktemp "$here/.maxo.obo.XXXXXX")"
trap 'rm -f "$tmp" "$tmp.gz"' EXIT

case "$src" in
  http://* | https://*)
    curl --fail --silent --show-error --location --output "$tmp" "$src"
    ;;
  *)
    if [[ ! -r "$src" ]]; then
      echo "refresh-maxo.sh: cannot read $src (pass a path or URL to maxo-base.obo, or set GARDKG_SHARED)" >&2
      exit 1
    fi
    cp -- "$src" "$tmp"
    ;;
esac

version="$(head -n 50 "$tmp" | sed -n 's/^data-version: *//p' | head -n 1)"
if [[ -z "$version" || "$(head -n 1 "$tmp")" != format-version:* ]]; then
  echo "refresh-maxo.sh: $src does not look like an OBO file (no format-version/data-version header)" >&2
  exit 1
fi

gzip -9n --stdout -- "$tmp" > "$tmp.gz"
mv -- "$tmp.gz" "$out"
echo "$version"
