"""Every source's metadata lives once, in its YAML: the parser specs, the download catalogue and the
docs' source table must say what the YAML says, and everything a YAML names must exist.

The YAML files are read here with PyYAML directly, not through the loader under test."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import get_args

import pytest
import yaml

from orchestration.acquire.catalogue import CATALOGUE, remote_files
from orchestration.acquire.content_check import ContentKind
from orchestration.settings import DBT_PROJECT_DIR, EXPECTATIONS_DIR, REPO_ROOT
from orchestration.sources import SPECS
from orchestration.sources.catalogue_doc import (
    ARCHITECTURE,
    BEGIN,
    END,
    MAP_BEGIN,
    MAP_END,
    README,
    generate,
    generate_map,
)
from orchestration.sources.common.metadata import (
    CONTENT_KINDS,
    SourceMetadataError,
    load,
    source_yamls,
)

SOURCES = REPO_ROOT / "orchestration" / "sources"
YAMLS = {
    p.name: yaml.safe_load((p / f"{p.name}.yml").read_text())
    for p in sorted(SOURCES.iterdir())
    if (p / f"{p.name}.yml").is_file()
}
FORMATS = [
    (folder, name, fmt) for folder, data in YAMLS.items() for name, fmt in data["formats"].items()
]
SPEC_BY_NAME = {s.name: s for s in SPECS}


def test_every_source_folder_has_a_yaml_and_nothing_else_is_a_source():
    folders = {p.name for p in SOURCES.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders - set(YAMLS) == {"common"}
    assert {p.parent.name for p in source_yamls()} == set(YAMLS)


def test_spec_names_follow_the_folders():
    assert sorted(SPEC_BY_NAME) == sorted(name for _, name, _ in FORMATS)
    for folder, name, _ in FORMATS:
        assert name == folder or name.startswith(f"{folder}_"), (folder, name)
    # The folder names its single-format sources.
    for folder, data in YAMLS.items():
        if len(data["formats"]) == 1:
            assert list(data["formats"]) == [folder]


@pytest.mark.parametrize(("folder", "name", "fmt"), FORMATS, ids=[n for _, n, _ in FORMATS])
def test_spec_says_what_the_yaml_says(folder: str, name: str, fmt: dict):
    data = YAMLS[folder]
    spec = SPEC_BY_NAME[name]
    kind, inputs_folder = data["inputs"].split("/", 1)
    assert (spec.kind, spec.folder) == (kind, inputs_folder)
    assert spec.tables == tuple(fmt["tables"])
    assert spec.patterns == tuple(fmt["patterns"])
    assert spec.title == fmt.get("title", data["title"])
    assert spec.url == fmt.get("url", data["url"])
    assert spec.cadence == fmt.get("cadence", data["cadence"])
    assert (spec.publisher, spec.licence) == (data["publisher"], data["licence"])
    assert spec.release_from_folder == (data["release_folder"] == "required")
    assert spec.suites == fmt["suites"]
    assert spec.count_bands == {t: b["max_shrink"] for t, b in fmt.get("count_band", {}).items()}
    assert spec.staging == fmt["staging"]
    # The parser's column types cover exactly the tables the YAML declares.
    assert set(spec.schemas) == set(spec.tables)


def _expected_downloads() -> dict[str, dict]:
    expected = {}
    for data in YAMLS.values():
        download = data.get("download")
        if not download:
            continue
        inputs_folder = data["inputs"].split("/", 1)[1]

        def fill(text: str, extra: dict, download=download) -> str:
            for key, value in {**download.get("parameters", {}), **extra}.items():
                text = text.replace("{" + key + "}", str(value))
            return text

        for dataset in download.get("datasets") or [None]:
            extra = {"dataset": dataset} if dataset else {}
            name = f"{inputs_folder}/{dataset}" if dataset else inputs_folder
            number, unit = download["max_size"].split()
            expected[name] = {
                "kind": data["inputs"].split("/")[0],
                "files": [
                    (fill(f["url"], extra), fill(f["file"], extra), f["content"])
                    for f in download.get("files", [])
                ],
                "publisher": data["publisher"],
                "licence": data["licence"],
                "cadence": data["cadence"],
                "max_bytes": int(number) * {"MiB": 1 << 20, "GiB": 1 << 30}[unit],
                "token_env": download.get("token_env"),
                "opt_in": download.get("opt_in", ""),
            }
    return expected


def test_download_catalogue_says_what_the_yamls_say():
    expected = _expected_downloads()
    found = {
        d.name: {
            "kind": d.kind,
            "files": [(f.url, f.file_name, f.content) for f in d.files],
            "publisher": d.publisher,
            "licence": d.licence,
            "cadence": d.cadence,
            "max_bytes": d.max_bytes,
            "token_env": d.token_env,
            "opt_in": d.opt_in,
        }
        for d in CATALOGUE
    }
    assert found == expected
    # Every file lands where a parser of that source reads it.
    for download in CATALOGUE:
        specs = [
            s for s in SPECS if (s.kind, s.folder) == (download.kind, download.name.split("/")[0])
        ]
        # As asked on a day: a monthly publisher's months filled in, an API query's calls.
        for remote in remote_files(download, date(2026, 1, 15)):
            inner = download.name.split("/", 1)[1] + "/" if "/" in download.name else ""
            relative = f"{inner}2026-01-01/{remote.file_name}"
            assert any(s.recognises(relative) for s in specs), (download.name, remote.file_name)


def test_content_kinds_are_the_fetchers():
    assert set(CONTENT_KINDS) == set(get_args(ContentKind))


def _docs_rows() -> dict[str, list[str]]:
    text = README.read_text()
    block = text.split(BEGIN)[1].split(END)[0]
    table = block.split("### Sources")[1].split("###")[0]
    rows = {}
    for line in table.strip().splitlines()[2:]:
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows[cells[0].strip("`")] = cells
    return rows


def test_docs_table_is_generated_from_the_yamls():
    text = README.read_text()
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    assert text.split(BEGIN)[1].split(END)[0] == generate(), (
        "docs/sources/README.md is stale: run python -m orchestration.sources.catalogue_doc"
    )
    rows = _docs_rows()
    assert sorted(rows) == sorted(name for _, name, _ in FORMATS)
    for folder, name, fmt in FORMATS:
        data = YAMLS[folder]
        cells = rows[name]
        assert cells[1:5] == [
            fmt.get("title", data["title"]),
            data["publisher"],
            data["licence"],
            fmt.get("cadence", data["cadence"]),
        ]
        assert cells[5] == f"`{data['inputs']}/`"
        assert cells[6] == ", ".join(f"`{p}`" for p in fmt["patterns"])
        assert cells[7] == ", ".join(f"`raw.{name}__{t}`" for t in fmt["tables"])
        assert cells[10] == f"`orchestration/sources/{folder}/`"
        assert cells[11] == f"`dbt_project/models/staging/{fmt['staging']}/`"
    # The download table: an API source lists what it asks, as its YAML (read here) says.
    downloads = {}
    for line in text.split("### Official downloads")[1].split(END)[0].splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.split("|")[1:-1]]
            downloads[cells[0].strip("`")] = cells
    query = YAMLS["comtrade"]["download"]["query"]
    files = downloads["comtrade"][2]
    assert query["api"] in files
    assert all(str(reporter) in files for reporter in query["reporters"])
    assert all(code in files for code in query["cmd_codes"])


def test_architecture_map_is_generated_from_the_yamls():
    """docs/architecture.md opens with the map from each source to its files; every path in it
    exists, and each row says what the YAML read here (not through the loader) says."""
    text = ARCHITECTURE.read_text()
    assert text.count(MAP_BEGIN) == 1 and text.count(MAP_END) == 1
    block = text.split(MAP_BEGIN)[1].split(MAP_END)[0]
    assert block == generate_map(), (
        "docs/architecture.md is stale: run python -m orchestration.sources.catalogue_doc"
    )
    rows = {}
    for line in block.splitlines():
        if not line.startswith("| `"):
            continue  # the comment, the header and its rule
        cells = [c.strip() for c in line.split("|")[1:-1]]
        rows[cells[0].strip("`")] = cells
    assert sorted(rows) == sorted(name for _, name, _ in FORMATS)
    for folder, name, fmt in FORMATS:
        cells = rows[name]
        assert cells[1] == f"`orchestration/sources/{folder}/` (`{folder}.yml`)"
        assert (REPO_ROOT / "orchestration" / "sources" / folder / f"{fmt['parser']}.py").is_file()
        assert cells[2] == f"`{fmt['parser']}.py`"
        for suite in re.findall(r"`([^`]+)`", cells[3]):
            assert (REPO_ROOT / suite).is_file(), suite
        assert set(re.findall(r"`expectations/suites/([^`]+)\.json`", cells[3])) == set(
            fmt["suites"].values()
        )
        assert cells[4] == f"`models/staging/{fmt['staging']}/`"
        assert (DBT_PROJECT_DIR / "models" / "staging" / fmt["staging"]).is_dir()
        for test_file in re.findall(r"`([^`]+)`", cells[5]):
            assert (REPO_ROOT / test_file).is_file(), test_file


def _dbt_source_tables(staging: Path) -> set[str]:
    declared = set()
    for path in staging.glob("_*__sources.yml"):
        for source in yaml.safe_load(path.read_text())["sources"]:
            if source.get("schema") == "raw":
                declared |= {t.get("identifier", t["name"]) for t in source["tables"]}
    return declared


@pytest.mark.parametrize(("folder", "name", "fmt"), FORMATS, ids=[n for _, n, _ in FORMATS])
def test_what_a_yaml_names_exists(folder: str, name: str, fmt: dict):
    staging = DBT_PROJECT_DIR / "models" / "staging" / fmt["staging"]
    assert staging.is_dir(), staging
    # The staging folder declares every raw table of the format as a dbt source.
    assert {f"{name}__{t}" for t in fmt["tables"]} <= _dbt_source_tables(staging)
    for suite in fmt["suites"].values():
        assert (EXPECTATIONS_DIR / f"{suite}.json").is_file(), suite
    for test_file in YAMLS[folder]["tests"]:
        assert (REPO_ROOT / test_file).is_file(), test_file


def test_a_dbt_staging_folder_per_source_with_models_of_its_own():
    own = {fmt["staging"] for _, _, fmt in FORMATS if fmt["staging"] != "sanctions_lists"}
    assert {"armstat", "national_yearly"} <= own
    for folder in own:
        assert folder in YAMLS, f"staging/{folder} is named after no source folder"


def test_every_raw_table_suite_is_named_by_a_yaml():
    named = {s for _, _, fmt in FORMATS for s in fmt["suites"].values()}
    on_disk = {
        p.relative_to(EXPECTATIONS_DIR).with_suffix("").as_posix()
        for p in EXPECTATIONS_DIR.rglob("*.json")
    }
    raw_suites = {
        s for s in on_disk if s.startswith("shared/sanctions__") or s.split("__")[0] in SPEC_BY_NAME
    }
    assert raw_suites == named


BASE_YAML = {
    "title": "T",
    "publisher": "P",
    "url": "https://example.org",
    "licence": "L",
    "cadence": "daily",
    "inputs": "sanctions/demo",
    "release_folder": "required",
    "tests": ["tests/sources/test_demo.py"],
    "formats": {
        "demo": {
            "parser": "parse",
            "patterns": [r"\d{4}-\d{2}-\d{2}/x\.csv"],
            "tables": ["entities"],
            "staging": "sanctions_lists",
            "suites": {},
        }
    },
}


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "demo" / "demo.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_valid_yaml_loads(tmp_path: Path):
    meta = load(_write(tmp_path, BASE_YAML))
    assert (meta.kind, meta.inputs_folder, meta.formats[0].name) == ("sanctions", "demo", "demo")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"licence": None}, "missing required key 'licence' in the file"),
        ({"licenses": "x"}, "unknown key 'licenses' in the file"),
        ({"formats": {"demo": {**BASE_YAML["formats"]["demo"], "pattern": []}}},
         "unknown key 'pattern' in formats.demo"),
        ({"formats": {"demo": {**BASE_YAML["formats"]["demo"], "tables": None}}},
         "missing required key 'tables' in formats.demo"),
        ({"formats": {"other": BASE_YAML["formats"]["demo"]}},
         "format 'other' must be named 'demo' or start with 'demo_'"),
        ({"inputs": "demo"}, "inputs must read <kind>/<folder>"),
        ({"download": {"files": [{"url": "u", "file": "f", "content": "pdf"}],
                       "max_size": "1 MiB"}}, "content must be one of"),
    ],
)  # fmt: skip
def test_a_wrong_yaml_is_refused_naming_the_file(tmp_path: Path, change: dict, message: str):
    data = {**BASE_YAML, **change}
    data = {k: v for k, v in data.items() if v is not None}
    data["formats"] = {
        n: {k: v for k, v in f.items() if v is not None} for n, f in data["formats"].items()
    }
    path = _write(tmp_path, data)
    with pytest.raises(SourceMetadataError, match=re.escape(message)) as err:
        load(path)
    assert str(path) in str(err.value)


def test_a_folder_without_its_yaml_is_not_a_source(tmp_path: Path):
    _write(tmp_path, BASE_YAML)
    (tmp_path / "shared_code").mkdir()
    (tmp_path / "shared_code" / "other.yml").write_text("title: not a source\n")
    assert source_yamls(tmp_path) == [tmp_path / "demo" / "demo.yml"]
