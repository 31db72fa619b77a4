#!/usr/bin/env bash
# Refresh a vendored OBO ontology (ontology/NAME.obo.gz) from an OBO file or URL: hp, maxo or eco.
#
# Usage: ontology/refresh-obo.sh NAME [PATH-OR-URL]
#   NAME  hp | maxo | eco
#   default source: ${GARDKG_SHARED:-../shared}/ontologies/{hp.obo,maxo-base.obo,eco.obo}
#
# The content is copied unmodified (the HPO licence forbids altering it) and compressed with `gzip -9n`, which leaves
# out the file name and time stamp so the same input always gives the same bytes. Prints the release
# (`data-version`) so it can be recorded in ontology/README.md and the ontology's licence note. After a refresh, run
# the tests: the reviewed tables are checked against the new release (a renamed or obsoleted term is an error), and
# stores built with the old release get the new one in their ontology graph at their next ingest.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
name="${1:-}"
case "$name" in
  hp) file=hp.obo ;;
  maxo) file=maxo-base.obo ;;
  eco) file=eco.obo ;;
  *) echo "usage: refresh-obo.sh hp|maxo|eco [PATH-OR-URL]" >&2; exit 2 ;;
esac
src="${2:-${GARDKG_SHARED:-../shared}/ontologies/$file}"
out="$here/$name.obo.gz"
tmp="$(mktemp "$here/.$name.obo.XXXXXX")"
trap 'rm -f "$tmp" "$tmp.gz"' EXIT

case "$src" in
  http://* | https://*)
    curl --fail --silent --show-error --location --output "$tmp" "$src"
    ;;
  *)
    if [[ ! -r "$src" ]]; then
      echo "refresh-obo.sh: cannot read $src (pass a path or URL to $file, or set GARDKG_SHARED)" >&2
      exit 1
    fi
    cp -- "$src" "$tmp"
    ;;
esac

version="$(head -n 50 "$tmp" | sed -n 's/^data-version: *//p' | head -n 1)"
if [[ -z "$version" || "$(head -n 1 "$tmp")" != format-version:* ]]; then
  echo "refresh-obo.sh: $src does not look like an OBO file (no format-version/data-version header)" >&2
  exit 1
fi

gzip -9n --stdout -- "$tmp" > "$tmp.gz"
mv -- "$tmp.gz" "$out"
echo "$version"
