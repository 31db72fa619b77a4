"""The second floor of `cargo bench --bench ingest`: pyoxigraph's `Store.bulk_load` of the N-Quads gardkg exported.

Usage: python3 benches/pyoxigraph_load.py FILE.nq STORE-DIR
Prints one JSON object (seconds, CPU seconds, quads stored, peak RSS, pyoxigraph's version); exits 3 when pyoxigraph
is not installed (`pip install 'pyoxigraph==0.5.*'`), so the benchmark reports it as not measured.
"""

import json
import resource
import sys
import time

try:
    import pyoxigraph
except ImportError:
    sys.exit(3)


def main() -> None:
    file, store_dir = sys.argv[1], sys.argv[2]
    started, cpu_started = time.perf_counter(), time.process_time()
    store = pyoxigraph.Store(store_dir)
    store.bulk_load(path=file, format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    total_s, total_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        json.dumps(
            {
                "total_s": total_s,
                "total_cpu": total_cpu,
                "quads": len(store),
                "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "version": pyoxigraph.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
