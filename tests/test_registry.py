"""Every input file is claimed by one source or reported as skipped, with the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

from orchestration.pipeline import RunSummary
from orchestration.settings import SAMPLE_INPUTS
from orchestration.sources.common.registry import discover


def test_sample_files_are_all_claimed():
    found = discover(SAMPLE_INPUTS)
    assert found.skipped == []
    names = {f.relative_path for f in found.for_source("ofac_sdn")}
    assert names == {
        "sanctions/ofac_sdn/2021-04-25/sdn.csv",
        "sanctions/ofac_sdn/2021-04-25/add.csv",
        "sanctions/ofac_sdn/2021-04-25/alt.csv",
        "sanctions/ofac_sdn/2023-12-28/sdn.csv",
    }
    # Real trade extracts only: no BACI year file, the synthetic panel is not bundled.
    assert found.for_source("baci") == []
    assert {
        name: len(found.for_source(name))
        for name in ("baci_codes", "baci_extract", "comext", "comtrade", "armstat")
    } == {"baci_codes": 2, "baci_extract": 2, "comext": 2, "comtrade": 5, "armstat": 1}
    assert str(found.for_source("ofac_sdn")[0].release_date) in ("2021-04-25", "2023-12-28")


def test_unrecognised_files_are_skipped_with_a_reason(tmp_path: Path):
    shutil.copytree(SAMPLE_INPUTS / "sanctions", tmp_path / "sanctions")
    extra = {
        "sanctions/ofac_sdn/2023-12-28/sdn_comments.csv": "not a file name ofac_sdn recognises",
        "sanctions/ofac_sdn/latest/sdn.csv": "expected a YYYY-MM-DD release folder",
        "sanctions/interpol/2024-01-01/notices.json": "no source reads this folder",
        "notes.txt": "no source reads this folder",
    }
    for rel in extra:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    (tmp_path / "sanctions" / "README.md").write_text("documentation, not data")
    found = discover(tmp_path)
    assert dict(found.skipped) == extra
    summary = RunSummary(
        inputs=tmp_path,
        published_db=tmp_path / "w.duckdb",
        success=False,
        published=False,
        seconds=1.0,
        skipped_files=found.skipped,
    )
    text = summary.render()
    assert "files skipped: 4" in text
    assert "  notes.txt: no source reads this folder" in text
    assert "NOT published" in text


def test_files_behind_a_folder_link_are_claimed_and_a_loop_is_walked_once(tmp_path: Path):
    """An inputs directory whose sanctions folder is a link to the data (as analysts lay out
    shared data) finds the same files as a copy; a link back up the tree is not followed twice."""
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_INPUTS / "sanctions", data / "sanctions")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "sanctions").symlink_to(data / "sanctions", target_is_directory=True)
    (data / "sanctions" / "ofac_sdn" / "loop").symlink_to(
        data / "sanctions", target_is_directory=True
    )
    found = discover(inputs)
    expected = sorted(
        p.relative_to(data).as_posix() for p in (data / "sanctions").glob("ofac_sdn/*/*.csv")
    )
    assert sorted(f.relative_path for f in found.for_source("ofac_sdn")) == expected
    assert found.skipped == []
