#!/usr/bin/env python3
"""gardkg serve against Oxigraph's own server, with wrk, on the same store (run by hand; see README.md here).

    benches/server/run.py --gardkg BIN --oxigraph BIN --store DIR [--duration 10] [--connections 1,8,32,64]
                          [--out benches/results/server-wrk.md] [--note TEXT]

Copies the store three times (servers hold their store's lock), starts `gardkg serve` with its answer cache,
`gardkg serve --cache-mb 0` (every request evaluated), and `oxigraph serve-read-only --union-default-graph` (the
dataset gardkg's queries see), warms each request once, then runs wrk for every request and number of connections
and writes a Markdown table: requests/s, p50 and p99 latency of the answered requests, and errors (socket errors,
timeouts and non-2xx answers). Before the runs it checks that both servers give the same rows.

Requests (the same SPARQL on both servers):
  a  the `phenotypes` canned query for GARD:0012547: gardkg binds ?disease (bind.disease=…); Oxigraph gets the
     same text with `VALUES ?disease { <…> }` first in its WHERE clause (what gardkg does with a bound value)
  b  the disease page in HTML (gardkg only: Oxigraph has no pages) and, on both, the page's graph through the
     Graph Store Protocol (N-Triples)
  c  a search (when the search endpoint exists)
  d  SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } over the union of all graphs
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DISEASE = "https://rarediseases.info.nih.gov/diseases/0012547"
PAGE_GRAPH = "https://w3id.org/gardkg/graph/gard/0012547"
JSON = "application/sparql-results+json"


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gardkg", required=True, help="the gardkg binary")
    ap.add_argument("--oxigraph", required=True, help="the oxigraph binary (cargo install oxigraph-cli)")
    ap.add_argument("--store", required=True, help="a gardkg store (the whole corpus)")
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    ap.add_argument("--count-duration", type=int, default=20, help="seconds per wrk run of the COUNT (default 20)")
    ap.add_argument("--connections", default="1,8,32,64")
    ap.add_argument("--out", default=str(ROOT / "benches/results/server-wrk.md"))
    ap.add_argument("--note", default="", help="a line for the report (how the binaries were built)")
    ap.add_argument("--search", default=None, help="search text for request c (default: none, skipped)")
    return ap.parse_args()


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"bench: {url} did not answer within {seconds} s")


def fetch(url: str, accept: str, timeout: float = 600) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def idle(server: dict) -> None:
    """Waits until a server has no evaluation left (gardkg says so; Oxigraph: its CPU time stops growing)."""
    if server["kind"] == "gardkg":
        deadline = time.time() + 300
        while time.time() < deadline:
            _, body = fetch(server["base"] + "/api/status", "application/json")
            if json.loads(body)["running"] == 0:
                return
            time.sleep(1)
        return
    last = None
    for _ in range(300):
        ticks = cpu_ticks(server["process"].pid)
        if last is not None and ticks - last < 5:
            return
        last = ticks
        time.sleep(1)


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def wrk(url: str, accept: str, connections: int, duration: int, timeout: int) -> dict:
    threads = min(2, connections)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", f"--timeout={timeout}s", "--latency",
         "-H", f"Accept: {accept}", url],
        capture_output=True, text=True, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "raw": out}
    for p in ("50", "99"):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        result[f"p{p}"] = None if not m else float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    result["errors"] = errors
    result["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    return result


def ms(value) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def main() -> int:
    args = parse_args()
    connections = [int(c) for c in args.connections.split(",")]
    work = Path(tempfile.mkdtemp(prefix="gardkg-server-bench-"))
    servers = []
    try:
        stores = {}
        for name in ("gardkg", "gardkg-nocache", "oxigraph"):
            stores[name] = work / name
            shutil.copytree(args.store, stores[name], ignore=shutil.ignore_patterns("LOCK"))
            # The search index lives beside the store (`DIR.search`), and gardkg refuses to search without it.
            index = Path(str(args.store).rstrip("/") + ".search")
            if name != "oxigraph" and index.is_dir():
                shutil.copytree(index, Path(str(stores[name]) + ".search"))
        ports = {"gardkg": 7801, "gardkg-nocache": 7802, "oxigraph": 7803}
        commands = {
            "gardkg": [args.gardkg, "serve", "--store", str(stores["gardkg"]), "--bind", "127.0.0.1:7801"],
            "gardkg-nocache": [args.gardkg, "serve", "--store", str(stores["gardkg-nocache"]), "--bind",
                               "127.0.0.1:7802", "--cache-mb", "0"],
            "oxigraph": [args.oxigraph, "serve-read-only", "--location", str(stores["oxigraph"]), "--bind",
                         "127.0.0.1:7803", "--union-default-graph", "--timeout-s", "30"],
        }
        for name, command in commands.items():
            log = open(work / f"{name}.log", "w")
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                       env={**os.environ, "GARDKG_CONFIG": "/nonexistent"})
            base = f"http://127.0.0.1:{ports[name]}"
            servers.append({"name": name, "kind": "oxigraph" if name == "oxigraph" else "gardkg", "process": process,
                            "base": base})
        for s in servers:
            wait_for(s["base"] + ("/api/status" if s["kind"] == "gardkg" else "/"))

        phenotypes = (ROOT / "queries/phenotypes.rq").read_text()
        bound = phenotypes.replace("WHERE {", f"WHERE {{\n  VALUES ?disease {{ <{DISEASE}> }}", 1)
        q = urllib.parse.quote
        requests = [
            ("a", "phenotypes of GARD:0012547 (bound SELECT)", JSON, {
                "gardkg": f"/sparql?query={q(phenotypes)}&bind.disease={q('GARD:0012547')}",
                "oxigraph": f"/sparql?query={q(bound)}"}),
            ("b", "disease page GARD:0012547 (HTML)", "text/html", {"gardkg": "/gard/0012547"}),
            ("b'", "the page's graph (Graph Store Protocol, N-Triples)", "application/n-triples", {
                "gardkg": f"/store?graph={q(PAGE_GRAPH, safe='')}",
                "oxigraph": f"/store?graph={q(PAGE_GRAPH, safe='')}"}),
        ]
        if args.search:
            requests.append(("c", f"search {args.search!r}", "application/json",
                             {"gardkg": f"/search?q={q(args.search)}&limit=20"}))
        requests.append(("d", "whole-graph COUNT (union of all graphs)", JSON, {
            "gardkg": f"/sparql?query={q('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }')}",
            "oxigraph": f"/sparql?query={q('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }')}"}))

        # Same answers, and warm: each request once on every server.
        checks = []
        for key, label, accept, paths in requests:
            answers = {}
            for s in servers:
                path = paths.get("oxigraph" if s["kind"] == "oxigraph" else "gardkg")
                if path is None:
                    continue
                started = time.time()
                status, body = fetch(s["base"] + path, accept)
                took = time.time() - started
                if status != 200:
                    sys.exit(f"bench: {s['name']} answered {status} to {key}: {body[:300]!r}")
                if accept == JSON:
                    answers[s["name"]] = len(json.loads(body)["results"]["bindings"])
                elif accept == "application/n-triples":
                    answers[s["name"]] = len(set(body.decode().splitlines()))
                else:
                    answers[s["name"]] = len(body)
                checks.append(f"| {key} | {s['name']} | {took * 1000:.0f} ms | {answers[s['name']]} |")
            if accept != "text/html" and "oxigraph" in answers and len(set(answers.values())) != 1:
                sys.exit(f"bench: the servers disagree on {key}: {answers}")

        load_before = os.getloadavg()
        rows = []
        for key, label, accept, paths in requests:
            counting = key == "d"
            duration = args.count_duration if counting else args.duration
            for s in servers:
                path = paths.get("oxigraph" if s["kind"] == "oxigraph" else "gardkg")
                if path is None:
                    continue
                for c in connections:
                    idle(s)
                    result = wrk(s["base"] + path, accept, c, duration, 30)
                    print(f"{key} {s['name']} c={c}: {result['rps']:.1f} req/s p50 {ms(result['p50'])} ms "
                          f"p99 {ms(result['p99'])} ms errors {result['errors']}", flush=True)
                    rows.append((key, label, s["name"], c, result))
        load_after = os.getloadavg()

        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        lines = [
            "# gardkg serve against Oxigraph's server (wrk)",
            "",
            f"Run {datetime.date.today()} on commit {commit}, {os.cpu_count()} cores, with `benches/server/run.py` "
            f"(wrk: up to 2 threads, {args.duration} s per run, {args.count_duration} s for the COUNT, 30 s "
            "timeout). Store: the whole MedQuAD corpus (2,385 pages) with HPO, MAxO and ECO, copied once per server.",
            f"Load average {load_before[0]:.1f} before and {load_after[0]:.1f} after the runs (the machine is shared).",
            "",
            "- **gardkg**: `gardkg serve` with its defaults (answers cached under the store's generation).",
            "- **gardkg-nocache**: `gardkg serve --cache-mb 0`: every request is evaluated.",
            "- **oxigraph**: `oxigraph serve-read-only --union-default-graph --timeout-s 30` (oxigraph-cli "
            "0.5.13, the Oxigraph release gardkg uses).",
        ]
        if args.note:
            lines.append(f"- Binaries: {args.note}")
        lines += [
            "",
            "p50 and p99 are over the answered requests; errors are socket errors, timeouts and non-2xx answers.",
            "",
            "| request | server | connections | req/s | p50 ms | p99 ms | errors | requests |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for key, label, name, c, r in rows:
            lines.append(f"| {key}: {label} | {name} | {c} | {r['rps']:.0f} | {ms(r['p50'])} | {ms(r['p99'])} | "
                         f"{r['errors']} | {r['requests']} |")
        lines += ["", "Ratios (gardkg req/s over Oxigraph's on the same request and connections):", "",
                  "| request | connections | gardkg / oxigraph | gardkg-nocache / oxigraph |", "|---|---:|---:|---:|"]
        by = {(k, n, c): r for k, _, n, c, r in rows}
        for key, *_ in requests:
            for c in connections:
                ox = by.get((key, "oxigraph", c))
                if not ox or ox["rps"] == 0:
                    continue
                g, n = by[(key, "gardkg", c)], by[(key, "gardkg-nocache", c)]
                lines.append(f"| {key} | {c} | {g['rps'] / ox['rps']:.2f} | {n['rps'] / ox['rps']:.2f} |")
        lines += ["", "First answer of each request (cold for the evaluation, warm for the operating system), and its "
                  "size (rows, distinct triples, or bytes of HTML):", "", "| request | server | time | size |",
                  "|---|---|---:|---:|"] + checks + [""]
        Path(args.out).write_text("\n".join(lines))
        print(f"wrote {args.out}")
        return 0
    finally:
        for s in servers:
            s["process"].terminate()
        for s in servers:
            try:
                s["process"].wait(timeout=30)
            except subprocess.TimeoutExpired:
                s["process"].kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
