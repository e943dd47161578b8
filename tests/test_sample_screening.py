"""The bundled customer file (data/sample/screening/counterparties.csv), screened by the sample
run: the screening marts and the report's counterparty page hold the listed entities its rows
were written from.

The expected matches are known from how the file was built
(tools/samples/build_sample_counterparties.py): each row below was written from the SDN entry
named beside it, in the bundled release of 2023-12-28, with the variation said; every other row
of the file is a company invented for it, on no list. The test reads the file and the release
with the csv module, not through the pipeline's parsers.
"""

from __future__ import annotations

import csv
import io

import pytest

from orchestration.report.data import Marts
from orchestration.report.pages import screening
from orchestration.settings import SAMPLE_INPUTS

pytestmark = pytest.mark.slow

FILE = SAMPLE_INPUTS / "screening" / "counterparties.csv"
SDN = SAMPLE_INPUTS / "sanctions" / "ofac_sdn" / "2023-12-28" / "sdn.csv"

# Customer number -> (the SDN ent_num it was written from, the name as the file writes it).
VARIANTS = {
    "C-1002": ("45943", "Laser Components OOO"),  # LLC LASER COMPONENTS
    "C-1004": ("35348", 'ООО "Радиоавтоматика"'),  # RADIOAVTOMATIKA LLC, in Cyrillic
    "C-1006": ("45969", "Comfort Max Ltd."),  # LIMITED LIABILITY COMPANY COMFORT MAX
    "C-1008": ("41861", "King Pai Technology (HK) Co Ltd"),  # KING-PAI TECHNOLOGY HK CO., LIMITED
    "C-1010": ("46628", "Megasan Elektronik Ticaret ve Sanayi A.Ş."),  # ... ANONIM SIRKETI
    "C-1012": ("45729", "Kobolt Trading FZ-LLC"),  # KOBOLT TRADING FZ LLC
    "C-1014": ("43276", "Yantu Import & Export Co., Ltd. (Shenzhen)"),  # SHENZHEN YANTU ...
    "C-1016": ("45952", "Bestop Globle Manufacturing Ltd"),  # BESTOP GLOBLE MFG LIMITED
    "C-1018": ("36427", "TOO Sber Vostok"),  # SBER VOSTOK LIMITED LIABILITY PARTNERSHIP
    "C-1020": ("46671", "Weitmann Handeln Allianz OsOO"),  # WEITMANN HANDELN ALLIANZ LLC
    "C-1022": ("37836", "Кокорев Александр Александрович"),  # KOKOREV, Alexander Aleksandrovich
    "C-1024": ("42188", "Grigory Grigoryev"),  # GRIGORIEV, Grigoriy Igorevich (and tax number)
}


@pytest.fixture(scope="module")
def customers() -> dict[str, dict]:
    with FILE.open(encoding="utf-8", newline="") as handle:
        return {r["Customer No"]: r for r in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def listed() -> dict[str, list[str]]:
    """ent_num -> the legacy CSV's fields, for every entry of the bundled release."""
    text = SDN.read_bytes().rstrip(b"\x1a").decode("ascii")
    return {r[0]: r for r in csv.reader(io.StringIO(text, newline="")) if len(r) > 1}


def test_the_file_holds_the_variants_of_entries_of_the_bundled_release(customers, listed):
    assert len(customers) == 24
    for number, (ent_num, written) in VARIANTS.items():
        assert customers[number]["Company Name"] == written
        assert "RUSSIA-EO14024" in listed[ent_num][3]  # listed under the Russia program


def test_each_variant_matches_the_entry_it_was_written_from(warehouse, customers):
    rows = warehouse.execute(
        "select counterparty_id, counterparty_name, entity_key, source_id, decision, score, "
        "source_file, source_line from marts.fct_screening_matches"
    ).fetchall()
    best: dict[str, tuple] = {}
    for row in rows:
        if row[0] not in best or row[5] > best[row[0]][5]:
            best[row[0]] = row
    assert set(best) >= set(VARIANTS)
    for number, (ent_num, written) in VARIANTS.items():
        cp, name, key, source_id, decision, _, source_file, line = best[number]
        assert (name, key, source_id) == (written, f"ofac_sdn:{ent_num}", ent_num)
        assert decision in ("alert", "review")
        # The evidence names the file and line of the row: the header is line 1.
        assert source_file.endswith("screening/counterparties.csv")
        assert line == list(customers).index(number) + 2
    # The invented companies are on no list: no alert for any of them.
    invented = set(customers) - set(VARIANTS)
    assert not [r for r in rows if r[0] in invented and r[4] == "alert"]


def test_every_row_of_the_file_is_in_the_exposure_summary(warehouse, customers):
    ids = {r[0] for r in warehouse.execute(
        "select counterparty_id from marts.fct_company_exposure").fetchall()}  # fmt: skip
    assert ids == set(customers)


def test_the_reports_counterparty_page_shows_the_variants_with_their_evidence(warehouse):
    page = screening(Marts(warehouse))
    assert not [n for n in page.notes if "is empty" in n]
    (chart,) = page.charts
    companies = chart.table
    shown = [r[companies.columns.index("counterparty_id")] for r in companies.rows]
    assert set(VARIANTS) <= set(shown)
    (evidence,) = page.tables
    columns = evidence.columns
    evidence_of = {}
    for row in evidence.rows:
        evidence_of.setdefault(row[columns.index("counterparty_id")], set()).add(
            row[columns.index("source_id")]
        )
    for number, (ent_num, _) in VARIANTS.items():
        assert ent_num in evidence_of[number]
    # The headline figure is the first row of the ranked table.
    (top,) = [f for f in page.figures if f.id == "top-risk-score"]
    assert top.text.startswith(companies.rows[0][companies.columns.index("counterparty_name")])
