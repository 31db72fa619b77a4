#!/usr/bin/env bash
# fenominal side by side with gardkg on the phenotype gold; writes benches/results/fenominal.md.
#
#   benches/fenominal/run.sh [GOLD...]        (default: tests/gold, every gold file)
#
# Environment:
#   GARDKG_SHARED     the shared data folder (its corpus/ is what the gold's `file` column is relative to);
#                     default: ../shared beside the repository
#   GARDKG_CACHE      where the ontology JSON, the virtualenv and the run's files go (never committed);
#                     default: ${XDG_CACHE_HOME:-$HOME/.cache}/gardkg
#   CARGO_TARGET_DIR  as for cargo
#   FENOMINAL_DEBUG=1 time the plain dev build instead of gardkg at opt-level 3 (numbers then not representative)
#   FENOMINAL_REPEATS runs per timing (default 3; the best is kept)
set -euo pipefail

FENOMINAL_VERSION=0.3.4
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
shared=${GARDKG_SHARED:-$root/../shared}
corpus=$shared/corpus
cache=${GARDKG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gardkg}/fenominal
target=${CARGO_TARGET_DIR:-$root/target}
mkdir -p "$cache/run"
[ -d "$corpus" ] || { echo "run.sh: no corpus at $corpus (set GARDKG_SHARED)" >&2; exit 1; }
if [ "$#" -eq 0 ]; then set -- tests/gold; fi

# 1. The HPO as OBO Graphs JSON, once per ontology file (the name carries its hash).
sum=$(sha256sum ontology/hp.obo.gz | cut -c1-12)
hp_json=$cache/hp-$sum.json
if [ ! -s "$hp_json" ]; then
    cargo run --quiet --example obographs -- ontology/hp.obo.gz "$hp_json"
fi

# 2. fenominal, pinned, in its own virtualenv.
venv=$cache/venv-$FENOMINAL_VERSION
if ! "$venv/bin/python" -c 'import fenominal' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "fenominal==$FENOMINAL_VERSION"
fi

# 3. gardkg. The dev profile compiles gardkg itself without optimization, which says nothing about its speed;
#    gardkg is rebuilt at opt-level 3 over the dev profile's (already optimized) dependencies, copied aside, and
#    the plain build is put back.
if [ "${FENOMINAL_DEBUG:-0}" = 1 ]; then
    cargo build --quiet --bin gardkg
    cp "$target/debug/gardkg" "$cache/gardkg"
    note="plain dev build: gardkg unoptimized, speed NOT representative"
else
    cargo build --quiet --bin gardkg --config 'profile.dev.package.gardkg.opt-level=3'
    cp "$target/debug/gardkg" "$cache/gardkg"
    cargo build --quiet --bin gardkg
    note="gardkg at opt-level 3, dependencies at the dev profile's opt-level 2"
fi

# 4. Predict, score, report.
"$venv/bin/python" benches/fenominal/compare.py "$@" \
    --gardkg "$cache/gardkg" --corpus "$corpus" --hp-json "$hp_json" --work "$cache/run" \
    --report benches/results/fenominal.md --repeats "${FENOMINAL_REPEATS:-3}" --build-note "$note" \
    --command "benches/fenominal/run.sh $*"
