"""Integration: discovery over the sanctions fixtures claims every file with the right source, and
every claimed file parses into the tables its source declares."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.sources import SPECS
from orchestration.sources.common.registry import discover

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

EXPECTED = {
    "sanctions/bis_derived/2026-07-09/bis_dpl.json": "bis_derived",
    "sanctions/bis_derived/2026-07-09/bis_entity_list.json": "bis_derived",
    "sanctions/bis_derived/2026-07-09/bis_meu.json": "bis_derived",
    "sanctions/canada_sema/2025-05-25/sema-lmes.xml": "canada_sema",
    "sanctions/csl/2025-09-01/consolidated.csv": "csl",
    "sanctions/csl/2025-09-02/consolidated.json": "csl",
    "sanctions/eu_fsf/2025-08-01/20250801-FULL-1_1.xml": "eu_fsf",
    "sanctions/ofac_cons/2024-05-06/consolidated.xml": "ofac_cons",
    "sanctions/ofac_sdn/2024-05-06/SDN.XML": "ofac_sdn_xml",
    "sanctions/opensanctions/sanctions/2026-03-14/entities.ftm.json": "opensanctions",
    "sanctions/opensanctions/ua_war_sanctions/2026-03-13/targets.simple.csv": "opensanctions",
    "sanctions/uk/2024-01-15/ConList.csv": "uk",
    "sanctions/uk/2024-06-03/UK-Sanctions-List.csv": "uk",
    "sanctions/uk/2024-06-04/UK-Sanctions-List.xml": "uk",
    "sanctions/uk/2025-08-11/uk_sanctions_list.csv": "uk",
    "sanctions/uk/2025-08-11/uk_sanctions_list.ods": "uk",
    "sanctions/un/2025-04-19/consolidated.xml": "un",
}


@pytest.fixture(scope="module")
def found():
    return discover(FIXTURES)


def test_every_sanctions_fixture_is_claimed_by_the_right_source(found) -> None:
    on_disk = {
        p.relative_to(FIXTURES).as_posix()
        for p in (FIXTURES / "sanctions").rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    assert on_disk == set(EXPECTED)
    claimed = {
        f.relative_path: name
        for name, files in found.files.items()
        for f in files
        if f.relative_path.startswith("sanctions/")
    }
    assert claimed == EXPECTED
    assert [s for s in found.skipped if s[0].startswith("sanctions/")] == []
    releases = {f.relative_path: f.release_date for fs in found.files.values() for f in fs}
    for relative in EXPECTED:
        assert releases[relative].isoformat() in relative


def test_every_claimed_file_parses_into_its_declared_tables(found) -> None:
    specs = {s.name: s for s in SPECS}
    for name in sorted(set(EXPECTED.values())):
        spec = specs[name]
        assert set(spec.schemas) == set(spec.tables)
        for file in found.for_source(name):
            parsed = spec.parse(file)
            assert set(parsed.tables) == set(spec.tables), file.relative_path
            for table, frame in parsed.tables.items():
                declared = spec.schemas[table]
                assert {c: frame.schema[c] for c in declared} == declared, (
                    file.relative_path,
                    table,
                )
                assert frame["source_file"].to_list() == [file.relative_path] * frame.height
