"""The contract every source parser follows.

A *source* is one publisher format (``ofac_sdn``, ``baci`` ...). Its parser turns one input file
into one or more raw tables, each a Polars frame with the publisher's fields plus the lineage
columns added by :func:`with_lineage`, so every number downstream can be traced to a file and line.
Rows that break a parsing rule are not dropped: they are returned as quarantine rows with a reason.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

LINEAGE_SCHEMA = {
    "source": pl.String,
    "release_date": pl.Date,
    "source_file": pl.String,
    "file_sha256": pl.String,
    "source_line": pl.Int64,
}
LINEAGE_COLUMNS = tuple(LINEAGE_SCHEMA)

QUARANTINE_SCHEMA = {
    "source": pl.String,
    "raw_table": pl.String,
    "release_date": pl.Date,
    "source_file": pl.String,
    "file_sha256": pl.String,
    "source_line": pl.Int64,
    "reason": pl.String,
    "raw_text": pl.String,
}


class SourceParseError(ValueError):
    """A file that cannot be parsed at all: names the file, the line and the reason."""

    def __init__(self, path: Path | str, line: int | None, reason: str):
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


# The note that marks every file of its folder as generated (tools/synthetic), never published.
SYNTHETIC_MARKER = "SYNTHETIC.md"


@dataclass(frozen=True)
class SourceFile:
    """One input file, as found in an inputs directory."""

    path: Path
    source: str
    release_date: date | None
    relative_path: str

    @property
    def sha256(self) -> str:
        return file_sha256(self.path)

    @property
    def is_synthetic(self) -> bool:
        """A generated file, not a publisher's: a ``SYNTHETIC.md`` note lies in its folder."""
        return (self.path.parent / SYNTHETIC_MARKER).is_file()


@dataclass
class ParsedFile:
    """What a parser returns: raw tables by name, and the rows it rejected."""

    tables: dict[str, pl.DataFrame]
    quarantine: list[dict] = field(default_factory=list)

    def reject(self, table: str, line: int, reason: str, raw_text: str) -> None:
        self.quarantine.append(
            {"raw_table": table, "source_line": line, "reason": reason, "raw_text": raw_text}
        )


@dataclass(frozen=True)
class BulkPart:
    """One CSV that DuckDB reads by itself into a table of its own: a loose file, or one
    member of a zip (extracted to ``csv_path``).

    ``select`` reads the file and yields its data columns, row for row in file order, so that
    a row's place in the table gives its line. ``constants`` hold what is the same for every
    row (lineage, HS revision, release version) as SQL expressions: the raw view adds them
    instead of the table storing them on millions of rows. ``refused``: lines the parser
    refuses before DuckDB reads the file (line, reason, raw text), which ``select`` leaves out;
    they go to the quarantine beside DuckDB's own rejects.
    """

    name: str  # unique within the raw table, e.g. BACI_HS17_Y2022_V202601
    csv_path: Path
    select: str
    constants: dict[str, str]
    header_lines: int = 1
    refused: tuple[tuple[int, str, str], ...] = ()


@dataclass(frozen=True)
class Parser:
    """The code of a publisher format; everything else about it is in its source's YAML.

    ``bulk_parts``: big files skip Python: (file, table) -> the CSVs DuckDB reads straight into
    the raw table (see BulkPart); lines that fail its casts land in quarantine via DuckDB rejects.
    ``replace_on``: raw tables whose rows are replaced by partition rather than by file: table ->
    (SQL expression over the raw table's columns, function giving the file's value of it). A
    second copy of BACI year 2022 in version V202601 (a loose CSV moved to a release folder)
    replaces the first instead of being added to it; another version is a vintage of its own
    and is kept beside it.
    ``schemas``: column types of each raw table (lineage columns excluded), so that a run without
    any file of this source still leaves empty tables for the models that read them.
    """

    parse: Callable[[SourceFile], ParsedFile]
    bulk_parts: Callable[[SourceFile, str], Iterator[BulkPart]] | None = None
    replace_on: dict[str, tuple[str, Callable[[SourceFile], str]]] = field(default_factory=dict)
    schemas: dict[str, dict[str, pl.DataType]] = field(default_factory=dict)
    # Run after the source's files are loaded, over all its releases (a DuckDB connection in,
    # notes on incomplete releases out): rows that refer to records their release lacks go to
    # quarantine with the reason.
    reconcile: Callable[[Any], list[str]] | None = None


@dataclass(frozen=True)
class SourceSpec:
    """A publisher format: which files it recognises, which raw tables it fills, and how.

    Built from the source's YAML and its parser module (see :mod:`orchestration.sources`).
    ``patterns`` are regular expressions matched (whole, case-insensitive) against the file's
    path relative to the source's folder inside the inputs directory (``<kind>/<folder>/``),
    release folder included, e.g. ``\\d{4}-\\d{2}-\\d{2}/sdn\\.csv``.
    """

    name: str
    kind: str  # "sanctions" | "trade" | "reference"
    tables: tuple[str, ...]
    patterns: tuple[str, ...]
    parse: Callable[[SourceFile], ParsedFile]
    title: str
    publisher: str
    url: str
    licence: str
    cadence: str = "irregular"
    release_from_folder: bool = True
    folder: str = ""  # the folder under <kind>/ when it differs from ``name``
    bulk_parts: Callable[[SourceFile, str], Iterator[BulkPart]] | None = None
    replace_on: dict[str, tuple[str, Callable[[SourceFile], str]]] = field(default_factory=dict)
    schemas: dict[str, dict[str, pl.DataType]] = field(default_factory=dict)
    # Tables whose row count per release is held to a band against the previous release:
    # table -> the largest share of the previous release's rows a release may lose.
    count_bands: dict[str, float] = field(default_factory=dict)
    # The GX suite guarding each raw table, by name under expectations/suites (no ".json").
    suites: dict[str, str] = field(default_factory=dict)
    staging: str = ""  # the dbt staging folder reading the raw tables
    reconcile: Callable[[Any], list[str]] | None = None  # see Parser.reconcile

    def recognises(self, relative: str) -> bool:
        return any(re.fullmatch(p, relative, flags=re.IGNORECASE) for p in self.patterns)

    def raw_table(self, table: str) -> str:
        return f"{self.name}__{table}"


_SHA_CACHE: dict[tuple[str, float, int], str] = {}


def file_sha256(path: Path) -> str:
    """sha256 of a file, streamed, cached by (path, mtime, size) for the life of the process."""
    stat = path.stat()
    key = (str(path), stat.st_mtime, stat.st_size)
    if key not in _SHA_CACHE:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        _SHA_CACHE[key] = digest.hexdigest()
    return _SHA_CACHE[key]


def with_lineage(
    frame: pl.DataFrame, file: SourceFile, lines: Iterable[int] | None = None
) -> pl.DataFrame:
    """Add the lineage columns; ``lines`` gives each row's line number (default: column
    ``source_line`` already present)."""
    if lines is not None:
        frame = frame.with_columns(pl.Series("source_line", list(lines), dtype=pl.Int64))
    return frame.with_columns(
        pl.lit(file.source).alias("source"),
        pl.lit(file.release_date, dtype=pl.Date).alias("release_date"),
        pl.lit(file.relative_path).alias("source_file"),
        pl.lit(file.sha256).alias("file_sha256"),
        pl.col("source_line").cast(pl.Int64),
    )


def sql_text(value: str | None) -> str:
    """A SQL string literal (or null)."""
    return "null" if value is None else "'" + value.replace("'", "''") + "'"


def lineage_constants(file: SourceFile) -> dict[str, str]:
    """The lineage columns of a bulk part (all but the line) as typed SQL constants."""
    released = f"date '{file.release_date.isoformat()}'" if file.release_date else "null"
    return {
        "source": f"cast({sql_text(file.source)} as varchar)",
        "release_date": f"cast({released} as date)",
        "source_file": f"cast({sql_text(file.relative_path)} as varchar)",
        "file_sha256": f"cast({sql_text(file.sha256)} as varchar)",
    }


def quarantine_frame(parsed: ParsedFile, file: SourceFile) -> pl.DataFrame:
    rows = [
        {
            "source": file.source,
            "release_date": file.release_date,
            "source_file": file.relative_path,
            "file_sha256": file.sha256,
            **row,
        }
        for row in parsed.quarantine
    ]
    return pl.DataFrame(rows, schema=QUARANTINE_SCHEMA)


def decode_text(raw: bytes, path: Path | str) -> str:
    """Publisher text: UTF-8, else plausible Windows-1252; anything else is refused naming the
    file and what the bytes are (see :mod:`orchestration.sources.common.encoding`)."""
    from orchestration.sources.common.encoding import decode_text as decode

    return decode(raw, path)
