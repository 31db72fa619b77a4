#!/usr/bin/env python3
"""Curation packets for the held-out gold: the reader's view of each page (gardkg parse --json: section index, kind,
text, sentences with char offsets), never the recognizer's. Usage: make_packets.py GARDKG_BIN CORPUS OUTDIR FILE..."""
import json, subprocess, sys, os
bin_, corpus, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
for f in sys.argv[4:]:
    page = json.loads(subprocess.check_output([bin_, "parse", "--json", os.path.join(corpus, "medquad-gard", f)]))
    lines = [f"# Packet for medquad-gard/{f}: {page['title']}", "",
             f"Synonyms: {', '.join(page['synonyms']) or '(none)'}", ""]
    for i, s in enumerate(page["sections"]):
        prose = s["kind"] in ("summary", "symptoms", "treatment")
        lines.append(f"## section {i}: {s['kind']}" + (f" ({s['heading']})" if s.get("heading") else "")
                     + ("" if prose else "  [not curated: out of scope]"))
        if not prose:
            lines.append("")
            continue
        for p in s["paragraphs"]:
            for t in p["sentences"]:
                lines.append(f"- [{t['start']}-{t['start'] + len(t['text'])}] {t['text']}")
        if s.get("table"):
            lines.append(f"  (plus {len(s['table'])} table rows: out of scope, not shown)")
        lines.append("")
    with open(os.path.join(out, f.replace(".xml", ".md")), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    with open(os.path.join(out, f.replace(".xml", ".sections.json")), "w") as fh:
        json.dump([{"index": i, "kind": s["kind"], "text": s["text"]} for i, s in enumerate(page["sections"])], fh)
print("packets written to", out)
