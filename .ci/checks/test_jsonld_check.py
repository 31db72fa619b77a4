"""Tests for jsonld_check.py on the hand-written sample (offline)."""
import json
from pathlib import Path

import jsonld_check as jc

S = Path(__file__).parent / "sample"


def test_inline_context_agrees():
    assert jc.main([str(S / "example.jsonld"), str(S / "example.nt")]) == 0


def test_local_context_file_agrees():
    assert jc.main([str(S / "example-ctxfile.jsonld"), str(S / "example.nt")]) == 0


def test_oxigraph_agrees_on_inline_context():
    assert jc.main(["--oxigraph", str(S / "example.jsonld"), str(S / "example.nt")]) == 0


def test_missing_triple_is_a_mismatch(tmp_path):
    nt = tmp_path / "short.nt"
    nt.write_text("".join(l for l in (S / "example.nt").read_text().splitlines(True) if "has_count" not in l))
    assert jc.main([str(S / "example.jsonld"), str(nt)]) == 1


def test_obo_prefix_without_prefix_flag_is_caught(tmp_path):
    # JSON-LD 1.1: a term whose IRI ends in "_" (OBO PURLs) is not used as a CURIE prefix unless
    # "@prefix": true, so "HP:0002719" would stay the IRI <HP:0002719>.
    doc = json.loads((S / "example.jsonld").read_text())
    doc["@context"]["HP"] = "http://purl.obolibrary.org/obo/HP_"
    f = tmp_path / "noprefix.jsonld"
    f.write_text(json.dumps(doc))
    assert jc.main([str(f), str(S / "example.nt")]) == 1


def test_remote_context_refused_without_fetching(tmp_path):
    doc = json.loads((S / "example.jsonld").read_text())
    doc["@context"] = ["https://example.org/never-fetched.jsonld", doc["@context"]]
    f = tmp_path / "remote.jsonld"
    f.write_text(json.dumps(doc))
    assert jc.main([str(f), str(S / "example.nt")]) == 2
