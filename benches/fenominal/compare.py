#!/usr/bin/env python3
"""fenominal and gardkg side by side on the phenotype gold (driven by run.sh; see benches/fenominal/README.md).

Steps: read the gold files; for each page they name, get the exact sentences of the summary and symptoms sections
from `gardkg parse --json`; run fenominal on each sentence (timed) and map its byte offsets back to char offsets
of the section text; write its predictions in the gold TSV format; score gardkg and fenominal with `gardkg eval`;
write the Markdown report.
"""

import argparse
import collections
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HEADER = "file\tsection\tstart\tend\ttext\tkind\tid\tnegated\tfrequency"
PROSE_SECTIONS = ("summary", "symptoms")
PHENOTYPIC_ABNORMALITY = "HP:0000118"
OBO = "http://purl.obolibrary.org/obo/"


def tsv_files(inputs):
    """The .tsv files among inputs (directories searched recursively, sorted), as `gardkg eval` finds them."""
    out = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.tsv") if p.is_file()))
        else:
            out.append(path)
    return out


def gold_pages(files):
    """The pages named by gold rows or covered by a `# scope: FILE phenotype ...` line (in first-seen order), and
    the number of phenotype rows: fenominal reads every page whose phenotypes are scored, as gardkg does."""
    pages, phenotypes = [], 0
    for path in files:
        header_seen = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# scope:"):
                file, *kinds = line[len("# scope:"):].split()
                if "phenotype" in kinds and file not in pages:
                    pages.append(file)
                continue
            if line.startswith("#") or not line.strip():
                continue
            if not header_seen:
                if line != HEADER:
                    sys.exit(f"{path}: expected the header line {HEADER!r}")
                header_seen = True
                continue
            fields = line.split("\t")
            if fields[0] not in pages:
                pages.append(fields[0])
            phenotypes += fields[5] == "phenotype"
    return pages, phenotypes


def sentences_of(gardkg, corpus, files):
    """(file, section index, sentence start, sentence text) of every summary and symptoms sentence."""
    out = []
    for file in files:
        done = subprocess.run([gardkg, "parse", str(Path(corpus) / file), "--json"], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"gardkg parse {file}: {done.stderr.strip()}")
        page = json.loads(done.stdout)
        for index, section in enumerate(page["sections"]):
            if section["kind"] not in PROSE_SECTIONS:
                continue
            for paragraph in section["paragraphs"]:
                for sentence in paragraph["sentences"]:
                    start, text = sentence["start"], sentence["text"]
                    if section["text"][start : start + len(text)] != text:
                        sys.exit(f"{file}: section {index}: sentence at {start} is not the section text there")
                    out.append((file, index, start, text))
    return out


def char_offset(text, byte_offset):
    """The char offset of a UTF-8 byte offset of text (fenominal reports byte offsets)."""
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8"))


def run_fenominal(hp_json, sentences, repeats):
    """Loads fenominal (timed), maps every sentence `repeats` times (best time kept) and returns rows and times."""
    import fenominal

    started = time.perf_counter()
    engine = fenominal.Fenominal(hp_json)
    load = time.perf_counter() - started
    best, outputs = None, None
    for _ in range(repeats):
        started = time.perf_counter()
        results = [engine.map_text(text) for (_, _, _, text) in sentences]
        elapsed = time.perf_counter() - started
        if best is None or elapsed < best:
            best, outputs = elapsed, results
    rows = []
    for (file, section, start, text), output in zip(sentences, outputs):
        for hit in json.loads(output):
            a, b = char_offset(text, hit["span"]["start"]), char_offset(text, hit["span"]["end"])
            words = text[a:b]
            if not words or any(c in words for c in "\t\n\r"):
                continue
            negated = "true" if hit.get("excluded") else "false"
            rows.append(f"{file}\t{section}\t{start + a}\t{start + b}\t{words}\tphenotype\t{hit['termId']}\t{negated}\t")
    return rows, load, best


def curie(iri):
    return iri[len(OBO) :].replace("_", ":", 1) if iri.startswith(OBO) else iri


def hpo_tables(hp_json):
    """Labels by id, and the ids under Phenotypic abnormality (is_a, reflexive)."""
    graph = json.loads(Path(hp_json).read_text(encoding="utf-8"))["graphs"][0]
    labels = {curie(n["id"]): n.get("lbl") or "" for n in graph["nodes"]}
    children = collections.defaultdict(list)
    for edge in graph["edges"]:
        if edge["pred"] == "is_a":
            children[curie(edge["obj"])].append(curie(edge["sub"]))
    under, stack = set(), [PHENOTYPIC_ABNORMALITY]
    while stack:
        node = stack.pop()
        if node not in under:
            under.add(node)
            stack.extend(children[node])
    return labels, under


def write_predictions(path, rows, comment):
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"# {comment}\n{HEADER}\n")
        for row in rows:
            out.write(row + "\n")


def evaluate(gardkg, gold, corpus, extra):
    command = [gardkg, "eval", *gold, "--corpus", corpus, "--kind", "phenotype", "--json", "--misses", *extra]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def score_of(report):
    return next(s for s in report["scores"] if s["measure"] == "phenotype")


def fmt(value, digits=4):
    return "-" if value is None else f"{value:.{digits}f}"


def short(text, words=5):
    """A gold mention, when it is a few words (the report names mentions, never sentences)."""
    return text if len(text.split()) <= words else None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", nargs="+")
    parser.add_argument("--gardkg", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--hp-json", required=True)
    parser.add_argument("--work", required=True, help="folder for the prediction files and eval outputs")
    parser.add_argument("--report", required=True, help="the Markdown report to write")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--build-note", default="")
    parser.add_argument("--command", default="benches/fenominal/run.sh")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)

    files = tsv_files(args.gold)
    pages, gold_phenotypes = gold_pages(files)
    if not pages:
        sys.exit("the gold files name no page")
    sentences = sentences_of(args.gardkg, args.corpus, pages)
    chars = sum(len(text) for (_, _, _, text) in sentences)

    import importlib.metadata

    fenominal_version = importlib.metadata.version("fenominal")
    rows, load, recognition = run_fenominal(args.hp_json, sentences, args.repeats)
    labels, phenotypic = hpo_tables(args.hp_json)
    raw = work / "fenominal.tsv"
    write_predictions(raw, rows, f"Predictions of fenominal {fenominal_version} on {len(pages)} pages")
    filtered = work / "fenominal-phenotypic.tsv"
    kept = [r for r in rows if r.split("\t")[6] in phenotypic]
    write_predictions(filtered, kept, f"fenominal {fenominal_version}, terms under {PHENOTYPIC_ABNORMALITY} only")

    # gardkg: its own eval run recognizes the pages; the best of `repeats` runs is kept for the time.
    ours = None
    for _ in range(args.repeats):
        report = evaluate(args.gardkg, args.gold, args.corpus, ["--write-predictions", str(work / "gardkg.tsv")])
        if ours is None or report["timing"]["recognize_seconds"] < ours["timing"]["recognize_seconds"]:
            ours = report
    theirs = evaluate(args.gardkg, args.gold, args.corpus, ["--predictions", str(raw)])
    theirs_filtered = evaluate(args.gardkg, args.gold, args.corpus, ["--predictions", str(filtered)])
    for name, report in (("gardkg", ours), ("fenominal", theirs), ("fenominal-phenotypic", theirs_filtered)):
        (work / f"eval-{name}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")

    timing = ours["timing"]
    if timing["sentences"] != len(sentences):
        print(f"note: gardkg read {timing['sentences']} sentences, fenominal {len(sentences)}", file=sys.stderr)

    def origin(row):
        return (row["origin"]["path"], row["origin"]["line"])

    our_misses = {origin(r): r for r in ours["false_negatives"]}
    found_by_them = collections.defaultdict(list)
    for pair in theirs["matches"]:
        gold = pair["gold"]
        if origin(gold) in our_misses:
            found_by_them[gold["id"]].append((gold, pair["predicted"]))
    their_misses = {origin(r) for r in theirs["false_negatives"]}
    only_ours = sum(1 for p in ours["matches"] if origin(p["gold"]) in their_misses)

    version = subprocess.run([args.gardkg, "--version"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True)
    commit += " + uncommitted changes" if dirty.stdout.strip() else ""
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    gold_shown = " ".join(args.gold)

    lines = [
        "# fenominal side by side: phenotypes in prose",
        "",
        f"Run on {today} with `{args.command}`: the same gold, the same sentences, both scored by `gardkg eval "
        "--kind phenotype` (overlapping span, same HPO id, same negation; one-to-one).",
        "",
        f"Gold: `{gold_shown}`: {len(files)} files, {len(pages)} pages scored, {gold_phenotypes} phenotype rows; "
        f"scope: the {len(sentences)} sentences ({chars} chars) of the summary and symptoms sections of those pages "
        "(table rows are out of scope).",
        "",
        "## Versions",
        "",
        "| what | version |",
        "|---|---|",
        f"| gardkg | {version} (commit {commit}){'; ' + args.build_note if args.build_note else ''} |",
        f"| fenominal | {fenominal_version} (PyPI wheel, Python {platform.python_version()}) |",
        "| HPO | `ontology/hp.obo.gz` (the release gardkg bundles), as OBO Graphs JSON made by "
        "`cargo run --example obographs` (fastobo-graphs 0.4.9, plus the synonyms and obsolete flags it leaves out) |",
        f"| machine | {os.cpu_count()} cores, {platform.system()} {platform.machine()} |",
        "",
        "## Scores",
        "",
        "| tool | gold | predicted | TP | FP | FN | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    same = len(kept) == len(rows)
    table = [("gardkg", ours), ("fenominal", theirs)]
    if not same:
        table.append(("fenominal, terms under Phenotypic abnormality only", theirs_filtered))
    for name, report in table:
        s = score_of(report)
        lines.append(
            f"| {name} | {s['gold']} | {s['predicted']} | {s['true_positives']} | {s['false_positives']} | "
            f"{s['false_negatives']} | {fmt(s['precision'])} | {fmt(s['recall'])} | {fmt(s['f1'])} |"
        )
    negated = sum(row.split("\t")[7] == "true" for row in rows)
    lines += [
        "",
        (
            f"Every term fenominal returned here is under Phenotypic abnormality ({PHENOTYPIC_ABNORMALITY}), like "
            "gardkg's prose recognition, so no filtered row is needed."
            if same
            else "fenominal returns every HPO term it matches (modes of inheritance, onsets and frequencies too); "
            f"the last row keeps only descendants of {PHENOTYPIC_ABNORMALITY}, as gardkg does in prose."
        )
        + f" Negation: fenominal's `excluded` flag ({negated} of its {len(rows)} rows).",
        "",
        "## Speed",
        "",
        "Recognition only (wall time, one thread, best of "
        f"{args.repeats} runs), and with the ontology load. fenominal is called once per sentence through its "
        "Python binding (`Fenominal.map_text`, which returns JSON); gardkg's time is identity and recognition of "
        "each page (`gardkg eval`'s own measure, tables included).",
        "",
        "| tool | sentences | chars | load (s) | recognition (s) | sentences/s | chars/s | load + recognition (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    our_load, our_time = timing["load_seconds"], timing["recognize_seconds"]
    lines.append(
        f"| gardkg | {timing['sentences']} | {timing['chars']} | {fmt(our_load, 2)} | {fmt(our_time, 3)} | "
        f"{timing['sentences'] / our_time:.0f} | {timing['chars'] / our_time:.0f} | {fmt(our_load + our_time, 2)} |"
    )
    lines.append(
        f"| fenominal | {len(sentences)} | {chars} | {fmt(load, 2)} | {fmt(recognition, 3)} | "
        f"{len(sentences) / recognition:.0f} | {chars / recognition:.0f} | {fmt(load + recognition, 2)} |"
    )
    lines += [
        "",
        "## What fenominal finds that gardkg misses",
        "",
        f"Gold rows fenominal matched and gardkg did not: {sum(len(v) for v in found_by_them.values())}, over "
        f"{len(found_by_them)} HPO terms (the other way round: {only_ours} gold rows). By term, most rows first; "
        "mentions are the gold's words (up to five words).",
        "",
        "| HPO id | label | gold rows | gold mentions | fenominal matched |",
        "|---|---|---:|---|---|",
    ]
    for hpo_id, pairs in sorted(found_by_them.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        mentions = sorted({m for m in (short(g["text"]) for g, _ in pairs) if m})
        matched = sorted({m for m in (short(p["text"]) for _, p in pairs) if m})
        lines.append(
            f"| {hpo_id} | {labels.get(hpo_id, '')} | {len(pairs)} | "
            f"{'; '.join(mentions[:4])} | {'; '.join(matched[:4])} |"
        )
    if not found_by_them:
        lines.append("| - | none | 0 | | |")
    lines += [
        "",
        "## Commands",
        "",
        "```sh",
        f"{args.command}",
        "# which runs, with the cached ontology JSON and virtualenv:",
        "cargo run --example obographs -- ontology/hp.obo.gz $CACHE/hp-<sha>.json",
        f"gardkg eval {gold_shown} --corpus $CORPUS --kind phenotype --json --misses --write-predictions gardkg.tsv",
        f"gardkg eval {gold_shown} --corpus $CORPUS --kind phenotype --json --misses --predictions fenominal.tsv",
        "```",
        "",
        "The prediction files and the JSON reports are kept in the cache folder (`$CACHE/run`), not in the repository.",
        "",
    ]
    Path(args.report).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
