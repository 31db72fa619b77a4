#!/usr/bin/env bash
# A short fuzz run, as CI can afford: builds every target with nightly (`cargo +nightly fuzz build`) and runs each
# for N seconds (the first argument, default 30), starting from its seeds (fuzz/corpus/TARGET, the example pages of
# its format; build_quads also every reader's seeds) and past
# crash inputs (fuzz/regressions/TARGET). What a run learns goes to fuzz/work/TARGET (not committed); a crash is
# saved under fuzz/artifacts/TARGET/ by libFuzzer. Exits 1 if any target crashed, timed out or ran out of memory,
# after running them all. Extra arguments after N go to libFuzzer (e.g. `-jobs=2`).
#
# A long run by hand: `fuzz/run.sh SECONDS -runs=10000000` (the seconds bound it too).
set -uo pipefail

seconds="${1:-30}"
shift || true
cd "$(dirname "$0")"

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz/run.sh: needs the nightly toolchain and cargo-fuzz (rustup toolchain install nightly; cargo install cargo-fuzz)" >&2
    exit 2
fi
cargo +nightly fuzz build || exit 2

failed=()
for target in $(cargo +nightly fuzz list); do
    mkdir -p "work/$target"
    # The seeds, as tests/fuzz_replay.rs replays them: the target's own folder, the example pages of the format it
    # reads (copied into its working corpus: libFuzzer takes folders), and for build_quads every reader's seeds.
    dirs=("work/$target")
    [ -d "corpus/$target" ] && dirs+=("corpus/$target")
    case "$target" in
        read_text) cp ../examples/*.txt "work/$target/" ;;
        read_html) cp ../examples/*.html "work/$target/" ;;
        build_quads)
            cp ../examples/*.txt ../examples/*.html "work/$target/"
            dirs+=(corpus/read_text corpus/read_medquad corpus/read_html) ;;
    esac
    [ -d "regressions/$target" ] && dirs+=("regressions/$target")
    echo "== $target: ${seconds}s"
    # -timeout: an input that takes 30 s is a hang; -rss_limit_mb: the pinned ontologies take about 1 GB here.
    if ! cargo +nightly fuzz run "$target" "${dirs[@]}" -- -max_total_time="$seconds" -timeout=30 \
        -rss_limit_mb=4096 -print_final_stats=1 "$@" 2>&1 | grep -v '^#[0-9]*\s*\(NEW\|REDUCE\|pulse\)'; then
        failed+=("$target")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz/run.sh: crashed: ${failed[*]} (inputs under fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz/run.sh: no crash in $(cargo +nightly fuzz list | wc -l) targets, ${seconds}s each"
