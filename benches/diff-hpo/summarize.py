#!/usr/bin/env python3
"""Summarizes a `gardkg diff --format json` report of two ingests that differ only in the HPO release, and says of
every phenotype term added or removed whether the HPO change explains it. Used by run.sh; prints Markdown.

A term added or removed on a disease is explained by the HPO difference when, between the two hp.obo files:
  new term        it is not in the older release (added side);
  obsoleted       it is live in the older release and obsolete in the newer (removed side);
  texts changed   its name or synonyms differ (what the recognizer matches);
  ancestors changed  its ancestors differ (what subtree checks and most-specific filtering see);
and, for a term whose own entry did not change, when the same disease lost or gained a term explained by one of the
above (a mention that now matches another term: the pair moves together). Anything else is listed as unexplained.
Identifiers, references and section dates do not depend on HPO: any change there is reported as unexplained too.
"""

import argparse
import json
import re
import sys
from collections import Counter


def parse_obo(path):
    """id -> {name, obsolete, replaced_by, texts (name and synonym texts, folded), parents}; alt ids -> primary."""
    terms, alt, cur, in_term = {}, {}, None, False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("["):
                in_term, cur = line == "[Term]", None
                continue
            if not in_term:
                continue
            key, _, value = line.partition(": ")
            if key == "id":
                cur = value
                terms[cur] = {"name": None, "obsolete": False, "replaced_by": [], "texts": set(), "parents": set()}
            elif cur is None:
                continue
            elif key == "name":
                terms[cur]["name"] = value
                terms[cur]["texts"].add(value.casefold())
            elif key == "synonym":
                m = re.match(r'"((?:[^"\\]|\\.)*)" (\w+)', value)
                if m:
                    terms[cur]["texts"].add((m.group(1).casefold(), m.group(2)))
            elif key == "is_obsolete" and value == "true":
                terms[cur]["obsolete"] = True
            elif key == "replaced_by":
                terms[cur]["replaced_by"].append(value)
            elif key == "alt_id":
                alt[value] = cur
            elif key == "is_a":
                terms[cur]["parents"].add(value.split(" ")[0])
    return terms, alt


def ancestors(terms, term):
    seen, stack = set(), [term]
    while stack:
        for parent in terms.get(stack.pop(), {}).get("parents", ()):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def local(iri):
    """The local name of a predicate IRI or CURIE."""
    return re.split(r"[/#:]", iri)[-1]


def describe(before, after):
    """What differs between two versions of an annotation: `frequencies +90%; evidence +ECO:0007669`."""
    parts = []
    for field in ("negated", "frequencies", "onsets", "evidence", "publications"):
        b, a = before.get(field), after.get(field)
        if b == a:
            continue
        if isinstance(b, list):
            parts.append(field + " " + " ".join([f"-{v}" for v in b if v not in a] + [f"+{v}" for v in a if v not in b]))
        else:
            parts.append(f"{field} {b} -> {a}")
    return "; ".join(parts)


def own_reason(term, side, old, new):
    """Why the HPO change alone explains this term being added ('added') or removed ('removed'), or None."""
    (o_terms, o_alt), (n_terms, _) = old, new
    o, n = o_terms.get(term) or o_terms.get(o_alt.get(term, "")), n_terms.get(term)
    if side == "added" and (o is None or o["obsolete"]):
        return "new term"
    if side == "removed" and o is not None and not o["obsolete"] and (n is None or n["obsolete"]):
        return "obsoleted"
    if o is None or n is None:
        return None
    if o["name"] != n["name"] or o["texts"] != n["texts"]:
        return "texts changed"
    if ancestors(o_terms, term) != ancestors(n_terms, term):
        return "ancestors changed"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old-obo", required=True)
    ap.add_argument("--new-obo", required=True)
    ap.add_argument("--diff", required=True)
    ap.add_argument("--control")
    ap.add_argument("--times")
    ap.add_argument("--ingests", nargs="*", default=[], help="`gardkg ingest --json` summaries")
    ap.add_argument("--logs", nargs="*", default=[], help="their standard error")
    args = ap.parse_args()
    old, new = parse_obo(args.old_obo), parse_obo(args.new_obo)
    report = json.load(open(args.diff, encoding="utf-8"))
    changes = report["changes"]
    label = lambda t: (new[0].get(t) or old[0].get(t) or {}).get("name") or ""
    out = []
    w = out.append
    version = lambda p: next(l.split()[1] for l in open(p, encoding="utf-8") if l.startswith("data-version:"))
    w(f"# gardkg diff: HPO {version(args.old_obo)} -> {version(args.new_obo)}\n")
    if args.times:
        w("| step | wall time (s) | peak RSS (MB) |\n|---|---:|---:|")
        for line in open(args.times, encoding="utf-8"):
            name, seconds, rss = (line.rstrip("\n").split("\t") + ["", ""])[:3]
            w(f"| {name} | {seconds} | {int(rss) // 1024 if rss else ''} |")
        w("")
    fields = ("pages", "failed", "quads", "phenotype_associations", "negated_phenotypes", "onsets", "other_aspects",
              "inheritance", "warnings", "seconds", "peak_rss_mb")
    if args.ingests:
        names = [p.rsplit("/", 1)[-1].removeprefix("ingest-").removesuffix(".json") for p in args.ingests]
        summaries = [json.load(open(p, encoding="utf-8")) for p in args.ingests]
        w("| ingest summary | " + " | ".join(names) + " |\n|---|" + "---:|" * len(names))
        for field in fields:
            values = [s.get(field) for s in summaries]
            w(f"| {field} | " + " | ".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in values) + " |")
        w("")
    # Standard error: the progress lines ("read 10%", ...) are counted; anything else is shown (it is gardkg's own
    # words: warnings about tables or ontologies, never page text, which page warnings in the JSON would carry).
    for path in args.logs:
        lines = [l for l in open(path, encoding="utf-8").read().splitlines() if l.strip()]
        other = [l for l in lines if l.removeprefix("gardkg: ").startswith(("warning", "error"))]
        loaded = [l.removeprefix("gardkg: ") for l in lines if "hp.owl" in l and "loaded" in l]
        w(f"- {path.rsplit('/', 1)[-1]}: {len(lines)} lines on standard error, {len(other)} warnings or errors"
          + "".join(f"\n  - `{l}`" for l in loaded + other[:20]))
    if args.control:
        control = json.load(open(args.control, encoding="utf-8"))
        w(f"- control (two ingests with the same build): {len(control['changes'])} of {control['diseases']} "
          "diseases changed")
    counts = Counter()
    by_predicate = Counter()
    reasons = Counter()
    unexplained, examples = [], {}
    for c in changes:
        for field in ("annotations_added", "annotations_removed", "annotations_changed", "references_added",
                      "references_removed", "identifiers_added", "identifiers_removed", "sections_changed"):
            counts[field] += len(c[field])
        counts["added diseases"] += c["added"]
        counts["removed diseases"] += c["removed"]
        own = {}
        for side in ("added", "removed"):
            for pred, term, negated in c[f"annotations_{side}"]:
                by_predicate[(side, local(pred), negated)] += 1
                own[(side, pred, term, negated)] = own_reason(term, side, old, new)
        explained_sides = {k[0] for k, r in own.items() if r}
        for (side, pred, term, negated), reason in own.items():
            if reason is None and ({"added", "removed"} - {side}) & explained_sides:
                reason = "moves with a changed term"
            reasons[reason or "UNEXPLAINED"] += 1
            item = (c["disease"], side, local(pred), ("NOT " if negated else "") + term, label(term))
            if reason is None:
                unexplained.append(item)
            else:
                examples.setdefault(reason, []).append(item)
        # An annotation whose frequency, onset or evidence changed, on a disease that lost or gained a term the HPO
        # change explains: the mentions of that term now count for this one (e.g. an obsoleted term's mentions
        # going to its replacement, which the page also names), and their frequencies and evidence with them.
        for (pred, term, negated), before, after in c["annotations_changed"]:
            what = describe(before, after)
            item = (c["disease"], "changed", local(pred), ("NOT " if negated else "") + term, label(term), what)
            if own_reason(term, "removed", old, new):
                # One of its mentions no longer matches it (a synonym it lost), and what that mention stated goes.
                reasons["changed: its texts changed"] += 1
                examples.setdefault("changed: its texts changed", []).append(item)
            elif explained_sides:
                reasons["changed: merges with a changed term"] += 1
                examples.setdefault("changed: merges with a changed term", []).append(item)
            else:
                unexplained.append(item)
        for field in ("references_added", "references_removed", "identifiers_added", "identifiers_removed",
                      "sections_changed"):
            for value in c[field]:
                unexplained.append((c["disease"], field, "", json.dumps(value), ""))
    w(f"\n{len(changes)} of {report['diseases']} diseases changed.\n")
    w("| what | count |\n|---|---:|")
    for key in sorted(counts):
        w(f"| {key} | {counts[key]} |")
    w("\n| side | predicate | negated | count |\n|---|---|---|---:|")
    for (side, pred, negated), n in sorted(by_predicate.items()):
        w(f"| {side} | {pred} | {negated} | {n} |")
    w("\n| explanation (terms added or removed) | count |\n|---|---:|")
    for reason, n in reasons.most_common():
        w(f"| {reason} | {n} |")
    for reason, items in sorted(examples.items()):
        w(f"\n## {reason}: first examples\n")
        for item in items[:8]:
            w("- " + " ".join(x for x in item if x))
    w(f"\n## Not explained by the HPO difference: {len(unexplained)}\n")
    for item in unexplained:
        w("- " + " ".join(x for x in item if x))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
