"""The inputs directory's screening folder: which files the pipeline screens, and how the
discovery of source files reports the folder."""

from __future__ import annotations

import pytest

from orchestration.screening_inputs import ScreeningInputError, recognises, screening_file
from orchestration.settings import SAMPLE_INPUTS
from orchestration.sources.common.registry import SCREENING_SKIP, discover


def test_the_bundled_sample_holds_a_customer_file_and_no_shipments():
    assert screening_file(SAMPLE_INPUTS, "counterparties") == (
        SAMPLE_INPUTS / "screening" / "counterparties.csv"
    )
    assert screening_file(SAMPLE_INPUTS, "shipments") is None


def test_files_of_each_kind_and_format(tmp_path):
    assert screening_file(tmp_path, "counterparties") is None  # no screening folder
    folder = tmp_path / "screening"
    folder.mkdir()
    (folder / "Counterparties.XLSX").write_bytes(b"")
    (folder / "shipments.parquet").write_bytes(b"")
    (folder / "notes.txt").write_text("")
    assert screening_file(tmp_path, "counterparties") == folder / "Counterparties.XLSX"
    assert screening_file(tmp_path, "shipments") == folder / "shipments.parquet"
    (folder / "counterparties.csv").write_text("name\n")
    with pytest.raises(ScreeningInputError, match=r"2 counterparties files \(Counterparties"):
        screening_file(tmp_path, "counterparties")


def test_recognised_names():
    assert recognises("screening/counterparties.csv")
    assert recognises("screening/shipments.xlsx")
    assert not recognises("screening/customers.csv")
    assert not recognises("screening/2024/counterparties.csv")
    assert not recognises("trade/screening/counterparties.csv")


def test_discovery_leaves_screening_inputs_to_the_screening_and_reports_other_files(tmp_path):
    folder = tmp_path / "screening"
    folder.mkdir()
    (folder / "counterparties.csv").write_text("name\nAcme\n")
    (folder / "customers.csv").write_text("name\nAcme\n")
    found = discover(tmp_path)
    assert found.files == {}
    assert found.skipped == [("screening/customers.csv", SCREENING_SKIP)]


def test_the_sample_has_no_skipped_file():
    assert discover(SAMPLE_INPUTS).skipped == []
