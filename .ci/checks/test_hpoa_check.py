"""Tests for hpoa_check.py (needs hpo-toolkit and an HPO file: $GARDKG_SHARED/ontologies/hp.obo)."""
import os
from pathlib import Path

import pytest

hpotk = pytest.importorskip("hpotk")
import hpoa_check as hc  # noqa: E402

S = Path(__file__).parent / "sample"
HPO = os.path.join(os.environ.get("GARDKG_SHARED", "/work/shared"), "ontologies", "hp.obo")
if not os.path.isfile(HPO):
    pytest.skip(f"no HPO at {HPO}", allow_module_level=True)

GOOD = (S / "sample.hpoa").read_text()


def run(tmp_path, text, *args):
    f = tmp_path / "x.hpoa"
    f.write_text(text)
    return hc.main(["--hpo", HPO, *args, str(f)])


def test_sample_reads_cleanly():
    assert hc.main(["--hpo", HPO, str(S / "sample.hpoa")]) == 0


@pytest.mark.parametrize(
    "old,new",
    [
        ("GARD:0012547\tSelective IgM deficiency\tNOT", "FOO:0012547\tSelective IgM deficiency\tNOT"),  # prefix
        ("GARD:0012547\tSelective IgM deficiency\tNOT", "GARD:12547\tSelective IgM deficiency\tNOT"),  # 7 digits
        ("\tI\tGARD:", "\tZ\tGARD:"),  # aspect (hpotk alone silently drops it)
        ("\t9/10\t", "\t11/10\t"),  # n > m
        ("\t45%\t", "\t145%\t"),
        ("\t45%\t", "\tsometimes\t"),
        ("\tTAS\tHP:0003593\t", "\tTAS\tHP:0000007\t"),  # onset not under Onset
        ("\tHP:0000007\tGARD:0012547\tTAS\t\t\t\t\tI", "\tHP:0002719\tGARD:0012547\tTAS\t\t\t\t\tI"),  # I needs HP:0000005
        ("\tHP:0003593\tGARD:0012547\tTAS\t\tHP:0040282\t\t\tC", "\tHP:0003593\tGARD:0012547\tXYZ\t\tHP:0040282\t\t\tC"),
        ("\tNOT\t", "\tnot\t"),
        ("\tHP:0002090\t", "\tHP:9999999\t"),  # not in HPO
        ("GARD:gardkg[2025-01-16]\n", "GARD:gardkg\n"),
        ("database_id\tdisease_name", "DatabaseID\tdisease_name"),
    ],
)
def test_each_error_is_caught(tmp_path, old, new):
    assert old in GOOD, old
    assert run(tmp_path, GOOD.replace(old, new, 1)) == 1


def test_column_count(tmp_path):
    lines = GOOD.splitlines(True)
    lines[-1] = lines[-1].rstrip("\n").rsplit("\t", 1)[0] + "\n"
    assert run(tmp_path, "".join(lines)) == 1


def test_prefix_option(tmp_path):
    assert run(tmp_path, GOOD, "--prefix", "OMIM") == 1
    assert run(tmp_path, GOOD, "--prefix", "GARD") == 0
