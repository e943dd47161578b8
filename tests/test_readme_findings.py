"""The README's findings from the bundled sample, recounted from the raw OFAC files with the plain
csv module (no Roundabout code): the README must keep saying what the files say."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

from orchestration.settings import SAMPLE_INPUTS

README = Path(__file__).resolve().parents[1] / "README.md"
SDN = SAMPLE_INPUTS / "sanctions" / "ofac_sdn"
# OFAC's legacy SDN_Type: "-0-" stands for an entity (an organization).
KINDS = {"-0-": "organizations", "individual": "persons", "vessel": "vessels",
         "aircraft": "aircraft"}  # fmt: skip


def entries(path: Path) -> dict[str, list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {r[0].strip(): r for r in csv.reader(handle) if r and r[0].strip().isdigit()}


def programs(row: list[str]) -> list[str]:
    return [p.strip(" []") for p in row[3].split("] [")]


def readme() -> str:
    return re.sub(r"\s+", " ", README.read_text(encoding="utf-8"))


def test_findings_match_the_raw_lists():
    old = entries(SDN / "2021-04-25" / "sdn.csv")
    new = entries(SDN / "2023-12-28" / "sdn.csv")
    added, removed = set(new) - set(old), set(old) - set(new)
    text = readme()
    assert f"OFAC added {len(added):,} entities, removed {len(removed)}" in text

    russia = [k for k in added if "RUSSIA-EO14024" in programs(new[k])]
    kinds = Counter(new[k][2].strip() for k in russia)
    assert f"{len(russia):,} of those {len(added):,} additions are under RUSSIA-EO14024" in text
    for kind, word in KINDS.items():
        assert f"{kinds[kind]:,} {word}" in text

    counts = Counter(p for row in new.values() for p in programs(row)).most_common(2)
    (first, n1), (second, n2) = counts
    assert first == "RUSSIA-EO14024"
    assert f"{n1:,} active entities, against {n2} for the next, {second}" in text
