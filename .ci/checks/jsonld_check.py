#!/usr/bin/env python3
"""Check that a JSON-LD document and an N-Triples file carry the same RDF graph, offline.

    python jsonld_check.py [--oxigraph] [--canonical-literals] FILE.jsonld NT_FILE

The JSON-LD is read twice, independently:
  * rdflib: Graph().parse(FILE, format="json-ld")
  * pyld:   jsonld.expand(...) then jsonld.to_rdf(..., format="application/n-quads")
(and with --oxigraph a third time by pyoxigraph's own JSON-LD parser).
Each result (union of all its graphs) must have the same number of triples as the N-Triples
file and be isomorphic to it (rdflib.compare.isomorphic: blank nodes matched by structure).
Literals are compared by lexical form and datatype; --canonical-literals first rewrites typed
literals to their canonical lexical form (so "90.0"^^xsd:double equals "9.0E1"^^xsd:double).

Offline: every @context must be inline or a local file (a relative reference resolved against
the document, or a file: IRI). A remote context (http/https) is an error, never fetched; pyld
gets a document loader that only reads local files, rdflib is only called after that check.
Exit 0 when all agree, 1 when they differ, 2 on input errors.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse, unquote

import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic


class RemoteContextError(Exception):
    pass


def file_url_to_path(url: str) -> Path:
    u = urlparse(url)
    if u.scheme not in ("", "file"):
        raise RemoteContextError(f"remote document {url!r} refused (offline check)")
    return Path(unquote(u.path))


def find_contexts(node, base: str, found: list):
    """Collect every @context reference (strings) in the document, resolved against base."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "@context":
                for c in v if isinstance(v, list) else [v]:
                    if isinstance(c, str):
                        found.append(urljoin(base, c))
                    elif isinstance(c, dict):
                        find_contexts(c, base, found)
            else:
                find_contexts(v, base, found)
    elif isinstance(node, list):
        for x in node:
            find_contexts(x, base, found)


def check_contexts_local(doc, base: str, seen=None):
    """Refuse remote contexts, also inside local context files (recursively)."""
    seen = set() if seen is None else seen
    refs: list = []
    find_contexts(doc, base, refs)
    for ref in refs:
        if ref in seen:
            continue
        seen.add(ref)
        path = file_url_to_path(ref)
        if not path.is_file():
            raise RemoteContextError(f"local context {ref!r} not found")
        with open(path, encoding="utf-8") as f:
            check_contexts_local(json.load(f), ref, seen)


def local_loader(url, options=None):
    path = file_url_to_path(url)
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": document}


def union_graph(ds: rdflib.Dataset) -> rdflib.Graph:
    """All triples of all graphs (default and named) of a dataset, as one graph."""
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def read_rdflib(path: Path) -> rdflib.Graph:
    ds = rdflib.Dataset()
    ds.parse(str(path), format="json-ld", publicID=path.resolve().as_uri())
    return union_graph(ds)


def read_pyld(path: Path) -> rdflib.Graph:
    from pyld import jsonld

    base = path.resolve().as_uri()
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    opts = {"base": base, "documentLoader": local_loader}
    expanded = jsonld.expand(doc, opts)
    nq = jsonld.to_rdf(expanded, {**opts, "format": "application/n-quads"})
    ds = rdflib.Dataset()
    if nq.strip():
        ds.parse(data=nq, format="nquads")
    return union_graph(ds)


def read_oxigraph(path: Path) -> rdflib.Graph:
    import pyoxigraph as ox

    # pyoxigraph's Python API has no document loader: it can only use inline contexts

    nq = ox.serialize(
        ox.parse(path=str(path), format=ox.RdfFormat.JSON_LD, base_iri=path.resolve().as_uri()),
        format=ox.RdfFormat.N_QUADS,
    )
    ds = rdflib.Dataset()
    if nq:
        ds.parse(data=nq.decode("utf-8"), format="nquads")
    return union_graph(ds)


def canonical(g: rdflib.Graph) -> rdflib.Graph:
    out = rdflib.Graph()
    for s, p, o in g:
        if isinstance(o, rdflib.Literal) and o.datatype is not None and o.value is not None:
            o = rdflib.Literal(o.value, datatype=o.datatype)
        out.add((s, p, o))
    return out


def show(g: rdflib.Graph, limit=5) -> str:
    lines = sorted(f"  {s.n3()} {p.n3()} {o.n3()} ." for s, p, o in g)
    more = f"\n  ... {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="JSON-LD vs N-Triples agreement check (rdflib, pyld), offline.")
    ap.add_argument("jsonld")
    ap.add_argument("ntriples")
    ap.add_argument("--oxigraph", action="store_true", help="also parse the JSON-LD with pyoxigraph")
    ap.add_argument("--canonical-literals", action="store_true")
    a = ap.parse_args(argv)
    jpath, npath = Path(a.jsonld), Path(a.ntriples)
    try:
        with open(jpath, encoding="utf-8") as f:
            doc = json.load(f)
        check_contexts_local(doc, jpath.resolve().as_uri())
        expected = rdflib.Graph().parse(str(npath), format="nt")
        readers = {"rdflib": read_rdflib, "pyld": read_pyld}
        if a.oxigraph:
            readers["pyoxigraph"] = read_oxigraph
        graphs = {name: fn(jpath) for name, fn in readers.items()}
    except RemoteContextError as e:
        print(f"jsonld_check: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        print(f"jsonld_check: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # parser errors (pyld JsonLdError, rdflib plugin errors ...)
        print(f"jsonld_check: parse error: {type(e).__name__}: {e}", file=sys.stderr)
        return 2

    if a.canonical_literals:
        expected = canonical(expected)
        graphs = {k: canonical(v) for k, v in graphs.items()}
    ok = True
    print(f"{npath}: {len(expected)} triples")
    for name, g in graphs.items():
        same_n = len(g) == len(expected)
        iso = isomorphic(g, expected)
        print(f"{jpath} via {name}: {len(g)} triples, count {'==' if same_n else '!='}, "
              f"{'isomorphic' if iso else 'NOT isomorphic'}")
        if not (same_n and iso):
            ok = False
            _, only_j, only_n = graph_diff(to_isomorphic(g), to_isomorphic(expected))
            if len(only_j):
                print(f" only in JSON-LD ({name}):\n{show(only_j)}")
            if len(only_n):
                print(f" only in N-Triples:\n{show(only_n)}")
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
