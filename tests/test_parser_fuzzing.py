"""Property-based fuzzing of every parser with damaged copies of real files.

Each source's real file (bundled sample or tests/fixtures extract) is truncated at a random
byte, has random bytes flipped, or is re-encoded (UTF-16, Windows-1251, Latin-1). Whatever the
damage, a parser either loads the file or refuses it with a SourceParseError naming it; any
other exception, or an error that does not name the file, is a failure (the pipeline parses
through raw.ingest.parse_file, which names the file whatever a parser raises). For OFAC's CSVs the
rows loaded must be exactly those a plain csv reader accepts from the same bytes.

The fast tier runs a few examples per source (seconds); the slow tier runs many more.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration.raw.ingest import ingest_source, parse_file
from orchestration.settings import SAMPLE_INPUTS
from orchestration.sources import SPECS
from orchestration.sources.common.base import SourceFile, SourceParseError
from orchestration.sources.common.registry import discover
from orchestration.sources.ofac_sdn.parse_csv import COLUMNS, INTEGER_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures"
SPEC = {s.name: s for s in SPECS}


def _cases() -> list[SourceFile]:
    """The smallest real file of each source and file type."""
    chosen: dict[tuple[str, str], SourceFile] = {}
    for root in (FIXTURES, SAMPLE_INPUTS):
        for source, files in discover(root).files.items():
            for f in files:
                key = (source, "".join(f.path.suffixes).lower())
                size = f.path.stat().st_size
                if size <= 400_000 and (
                    key not in chosen or size < chosen[key].path.stat().st_size
                ):
                    chosen[key] = f
    return [chosen[k] for k in sorted(chosen)]


CASES = _cases()
OFAC_CASES = [
    f for f in discover(SAMPLE_INPUTS).for_source("ofac_sdn") if f.path.stat().st_size < 300_000
]


@st.composite
def damaged(draw, raw: bytes) -> bytes:
    how = draw(st.sampled_from(["truncate", "flip", "encode"]))
    if how == "truncate":
        return raw[: draw(st.integers(0, len(raw)))]
    if how == "flip":
        data = bytearray(raw)
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, max(len(data) - 1, 0)))
            if data:
                data[at] = draw(st.integers(0, 255))
        return bytes(data)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw[::-1]  # binary (ODS, gzip): reversed bytes are damage enough
    encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "cp1251", "latin-1"]))
    return text.encode(encoding, errors="replace")


def _load(file: SourceFile, data: bytes):
    """Write the damaged bytes at the file's relative path in a fresh inputs folder and load
    them as the pipeline would: parse, or stream into DuckDB for bulk sources."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / file.relative_path
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        copy = SourceFile(path, file.source, file.release_date, file.relative_path)
        spec = SPEC[file.source]
        if spec.bulk_parts:
            with duckdb.connect() as con:
                return ingest_source(con, spec, [copy])
        return parse_file(spec, copy)


def _check_loads_or_names_the_file(file: SourceFile, data: bytes):
    try:
        return _load(file, data)
    except SourceParseError as err:
        assert file.relative_path in err.path, f"error does not name the file: {err}"
        return None


def _fuzz(file: SourceFile, examples: int):
    raw = file.path.read_bytes()

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=damaged(raw))
    def run(data):
        _check_loads_or_names_the_file(file, data)

    run()


@pytest.mark.parametrize("file", CASES, ids=lambda f: f.relative_path)
def test_damaged_real_files_load_or_are_refused_by_name(file):
    _fuzz(file, examples=4)


@pytest.mark.slow
@pytest.mark.parametrize("file", CASES, ids=lambda f: f.relative_path)
def test_damaged_real_files_load_or_are_refused_by_name_at_length(file):
    _fuzz(file, examples=40)


# --- OFAC CSV: exactly the rows an independent reader accepts -----------------------------------


def independent_rows(data: bytes, table: str) -> list[int] | None:
    """The ent_num of each valid row, read with the csv module alone; None when the file is not
    a whole OFAC file (no end byte, an unclosed quote, not text)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None
    body = text.rstrip("\r\n")
    if not body.endswith("\x1a"):
        return None
    try:
        records = list(csv.reader(io.StringIO(body[:-1], newline=""), strict=True))
    except csv.Error:
        return None
    columns = COLUMNS[table]
    valid = []
    for r in records:
        if not any(f.strip() for f in r) or len(r) != len(columns):
            continue
        ints = [r[i].strip() for i, c in enumerate(columns) if c in INTEGER_COLUMNS]
        if all(v.isdigit() for v in ints):
            valid.append(int(r[0].strip()))
    return valid


def _fuzz_ofac(file: SourceFile, examples: int):
    raw = file.path.read_bytes()
    table = file.path.stem.lower()
    body = raw.removesuffix(b"\x1a")

    @settings(max_examples=examples, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
    @given(
        cut=st.integers(0, len(body)),
        flips=st.lists(
            st.tuples(st.integers(0, len(body) - 1), st.binary(min_size=1, max_size=1)), max_size=6
        ),  # fmt: skip
        keep_marker=st.booleans(),
    )
    def run(cut, flips, keep_marker):
        data = bytearray(body[:cut] if not keep_marker else body)
        for at, byte in flips:
            if at < len(data):
                data[at : at + 1] = byte
        data = bytes(data) + (b"\x1a" if keep_marker else b"")
        parsed = _check_loads_or_names_the_file(file, data)
        expected = independent_rows(data, table)
        if parsed is None:
            # Refused: the independent reader finds the file broken, or holds no valid row, or
            # the text is not plausible (which the plain reader does not judge).
            return
        assert expected is not None, "a file the plain reader finds broken was loaded"
        assert parsed.tables[table]["ent_num"].to_list() == expected

    run()


@pytest.mark.parametrize("file", OFAC_CASES, ids=lambda f: f.relative_path)
def test_ofac_csv_loads_exactly_what_a_plain_reader_accepts(file):
    _fuzz_ofac(file, examples=10)


@pytest.mark.slow
@pytest.mark.parametrize("file", OFAC_CASES, ids=lambda f: f.relative_path)
def test_ofac_csv_loads_exactly_what_a_plain_reader_accepts_at_length(file):
    _fuzz_ofac(file, examples=80)
