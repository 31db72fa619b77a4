#!/usr/bin/env python3
"""Run the `kgx` command line fully offline against a local Biolink Model YAML.

Why this exists: kgx 2.7.0 (with bmt 1.4.x/1.5.x) has NO option, argument or
environment variable that points it at a local biolink-model.yaml:

* `kgx.utils.kgx_utils` builds `bmt.Toolkit()` at *import time*; its default
  `schema` is a raw.githubusercontent.com URL (bmt 1.4.8: model 4.2.2) and its
  constructor also `requests.get()`s `predicate_mapping.yaml` from GitHub;
* `--biolink-release X.Y.Z` only accepts a semver and turns it into another
  GitHub URL (`kgx.config.get_biolink_model_schema`);
* `kgx.config` reads the prefix map (JSON-LD context) from a GitHub URL
  (Biolink 2.2.5 `context.jsonld`, hard-coded in kgx/config.yml);
* `CurieLookupService` parses RO and BFO from purl.obolibrary.org when first used.

This wrapper patches those four places before kgx is imported, so that:

* the model is the `biolink_model/schema/biolink_model.yaml` shipped by the
  `biolink-model` wheel installed in the same environment (4.4.6), or the file
  named by $BIOLINK_MODEL_YAML;
* the prefix map is `biolink_model/prefixmaps/biolink-model-prefix-map.json`
  from the same wheel (or $BIOLINK_PREFIX_MAP, a JSON object prefix -> IRI or a
  JSON-LD document with "@context"), plus any `--extra-prefix P=IRI` given
  before the kgx sub-command (see below);
* kgx's fallback prefix maps (`monarch_context`, `obo_context`, used by
  `expand`/`contract` when writing RDF) come from the `prefixcommons` wheel's
  `registry/*.jsonld` instead of GitHub;
* the predicate map is empty (it only maps non-Biolink predicates for RDF input);
* no ontology is fetched.

Usage (same arguments as `kgx`):

    python kgx_offline.py validate -i tsv sample/nodes.tsv sample/edges.tsv
    python kgx_offline.py transform -i tsv -o out.nt -f nt sample/nodes.tsv sample/edges.tsv

Any `--biolink-release` value is accepted but always resolves to the local YAML;
the wrapper refuses to run if the local YAML's version differs from the one
requested (pass none to take the local one).
"""
from __future__ import annotations

import importlib.resources
import json
import os
import sys


def _local_yaml() -> str:
    env = os.environ.get("BIOLINK_MODEL_YAML")
    if env:
        return env
    return str(importlib.resources.files("biolink_model") / "schema" / "biolink_model.yaml")


def _local_prefix_map() -> dict:
    env = os.environ.get("BIOLINK_PREFIX_MAP")
    path = env or str(
        importlib.resources.files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json"
    )
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if isinstance(data, dict) and "@context" in data:
        data = data["@context"]
    return data


def _yaml_version(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("version:"):
                return line.split(":", 1)[1].strip().strip("'\"")
    return "?"


def _patch(extra_prefixes: dict) -> None:
    yaml_path = _local_yaml()
    if not os.path.isfile(yaml_path):
        sys.exit(f"kgx_offline: Biolink YAML not found: {yaml_path}")
    version = _yaml_version(yaml_path)

    import bmt.toolkit as bt
    from linkml_runtime.utils.schemaview import SchemaView

    def offline_init(self, schema=yaml_path, predicate_map=None, *args, **kwargs):
        if isinstance(schema, str) and schema.startswith(("http://", "https://")):
            schema = yaml_path  # never fetch
        self.view = SchemaView(schema)
        self.pmap = {}  # predicate_mapping.yaml is not shipped in any wheel; empty = no extra mappings

    bt.Toolkit.__init__ = offline_init
    bt.REMOTE_PATH = yaml_path

    import kgx.config as kc

    def offline_schema(biolink_release=None):
        if biolink_release and biolink_release.lstrip("v") != version:
            sys.exit(
                f"kgx_offline: --biolink-release {biolink_release} requested but the local YAML is {version} ({yaml_path})"
            )
        return yaml_path if biolink_release else None

    kc.get_biolink_model_schema = offline_schema
    prefix_map = dict(_local_prefix_map())
    prefix_map.update(extra_prefixes)
    kc.get_config()
    kc.jsonld_context_map["biolink"] = prefix_map
    # monarch_context / obo_context are kgx's fallback maps for expand()/contract(); the
    # prefixcommons wheel (a kgx dependency) ships the same registry files locally.
    registry = importlib.resources.files("prefixcommons") / "registry"
    for name in ("monarch_context", "obo_context"):
        with open(str(registry / f"{name}.jsonld"), encoding="utf-8") as f:
            kc.jsonld_context_map[name] = json.load(f)["@context"]
    kc.config["jsonld-context"] = {k: "<offline>" for k in kc.jsonld_context_map}
    kc.config["ontologies"] = {}

    import kgx.utils.kgx_utils as ku  # builds its module-level Toolkit() with the patched __init__

    ku.get_biolink_model_schema = offline_schema
    import kgx.curie_lookup_service as cls

    cls.CurieLookupService.ontologies = {}


def main(argv: list[str]) -> int:
    extra = {}
    rest = []
    it = iter(argv)
    for a in it:
        if a == "--extra-prefix":
            p, _, iri = next(it).partition("=")
            extra[p] = iri
        elif a.startswith("--extra-prefix="):
            p, _, iri = a.split("=", 1)[1].partition("=")
            extra[p] = iri
        else:
            rest.append(a)
    _patch(extra)
    from kgx.cli import cli

    sys.argv = ["kgx", *rest]
    return cli(prog_name="kgx")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
