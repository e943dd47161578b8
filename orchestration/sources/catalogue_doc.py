"""The source tables of the docs, generated from the source YAMLs.

Two tables: the full one in docs/sources/README.md (publisher, licence, cadence, patterns, count
band, downloads ...) and the map at the top of docs/architecture.md (for each source: its folder,
YAML, parser, GX suites, dbt staging folder and tests), which is how a newcomer walks from a source
to its code.

Run ``python -m orchestration.sources.catalogue_doc`` after changing a source's YAML: it rewrites
the parts between the marker comments and leaves the rest as written. ``--check`` only reports
whether both documents are up to date (exit status 1 when one is not).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration.settings import REPO_ROOT
from orchestration.sources.common.metadata import SOURCES_DIR, SourceMetadata, all_metadata

README = REPO_ROOT / "docs" / "sources" / "README.md"
BEGIN = "<!-- sources:begin -->"
END = "<!-- sources:end -->"
ARCHITECTURE = REPO_ROOT / "docs" / "architecture.md"
MAP_BEGIN = "<!-- source-map:begin -->"
MAP_END = "<!-- source-map:end -->"
MAP_COLUMNS = ("source", "folder and YAML", "parser", "GX suites", "dbt staging", "tests")

SOURCE_COLUMNS = (
    "source", "title", "publisher", "licence", "cadence", "inputs folder", "file patterns",
    "raw tables", "count band", "GX suites", "source folder", "staging folder", "tests",
)  # fmt: skip
DOWNLOAD_COLUMNS = (
    "download (folder)",
    "kind",
    "files archived (official URL)",
    "max size",
    "fetched",
)


def cell(text: str) -> str:
    """Table cell text: a pipe would end the cell, a line break the row."""
    return " ".join(text.split()).replace("|", "\\|")


def code(values: object) -> str:
    return ", ".join(f"`{v}`" for v in values)


def _row(values: list[str]) -> str:
    return "| " + " | ".join(cell(v) for v in values) + " |"


def _header(columns: tuple[str, ...]) -> list[str]:
    return [_row(list(columns)), "|" + "---|" * len(columns)]


def _folder(meta: SourceMetadata) -> str:
    return meta.path.parent.relative_to(REPO_ROOT).as_posix() + "/"


def source_rows(sources: tuple[SourceMetadata, ...]) -> list[list[str]]:
    rows = []
    for meta in sources:
        for fmt in meta.formats:
            band = ", ".join(
                f"`{t}`: each release keeps at least {1 - shrink:.0%} of the previous"
                for t, shrink in fmt.count_band.items()
            )
            rows.append(
                [
                    f"`{fmt.name}`",
                    fmt.title,
                    meta.publisher,
                    meta.licence,
                    fmt.cadence,
                    f"`{meta.inputs}/`",
                    code(fmt.patterns),
                    code(f"raw.{fmt.name}__{t}" for t in fmt.tables),
                    band or "none",
                    code(f"{fmt.suites[t]}.json" for t in fmt.tables if t in fmt.suites) or "none",
                    f"`{_folder(meta)}`",
                    f"`dbt_project/models/staging/{fmt.staging}/`",
                    code(meta.tests),
                ]
            )
    return rows


def map_rows(sources: tuple[SourceMetadata, ...]) -> list[list[str]]:
    """One row per spec: the files a newcomer opens, in the order data flows through them."""
    rows = []
    for meta in sources:
        folder = _folder(meta)
        for fmt in meta.formats:
            suites = sorted({fmt.suites[t] for t in fmt.tables if t in fmt.suites})
            rows.append(
                [
                    f"`{fmt.name}`",
                    f"`{folder}` (`{meta.path.name}`)",
                    f"`{fmt.parser}.py`",
                    code(f"expectations/suites/{s}.json" for s in suites) or "none",
                    f"`models/staging/{fmt.staging}/`",
                    code(meta.tests),
                ]
            )
    return rows


def generate_map(sources: tuple[SourceMetadata, ...] | None = None) -> str:
    """The text between the source-map markers of docs/architecture.md (markers excluded)."""
    sources = all_metadata() if sources is None else sources
    where = SOURCES_DIR.relative_to(REPO_ROOT).as_posix()
    return "\n".join(
        [
            "",
            f"<!-- Generated from {where}/*/*.yml by"
            " `python -m orchestration.sources.catalogue_doc`. -->",
            "",
            *_header(MAP_COLUMNS),
            *(_row(r) for r in map_rows(sources)),
            "",
        ]
    )


def _size(size: int) -> str:
    return f"{size >> 30} GiB" if size >= 1 << 30 and size % (1 << 30) == 0 else f"{size >> 20} MiB"


def _fetched_files(download) -> str:
    if download.query is not None:
        # An API asked per reporter and month: no file names to list, the calls instead.
        query = download.query
        return (
            f"one JSON answer per reporter and month ({query.api}/{query.frequency}/...): "
            f"reporters {', '.join(map(str, query.reporters))}, "
            f"commodities {', '.join(query.cmd_codes)}, flows {', '.join(query.flows)}"
        )
    return "; ".join(f"`{f.file_name}` ({f.url})" for f in download.files)


def download_rows() -> list[list[str]]:
    # Imported here: the catalogue module pulls in the HTTP client, which the table of sources
    # does not need.
    from orchestration.acquire.catalogue import CATALOGUE

    rows = []
    for download in CATALOGUE:
        if download.opt_in:
            fetched = f"only when named ({download.opt_in})"
        elif download.token_env:
            fetched = f"by default, if `{download.token_env}` is set"
        else:
            fetched = "by default"
        rows.append(
            [
                f"`{download.name}`",
                download.kind,
                _fetched_files(download),
                _size(download.max_bytes),
                fetched,
            ]
        )
    return rows


def generate(sources: tuple[SourceMetadata, ...] | None = None) -> str:
    """The text between the markers (markers excluded)."""
    sources = all_metadata() if sources is None else sources
    where = SOURCES_DIR.relative_to(REPO_ROOT).as_posix()
    lines = [
        "",
        f"<!-- Generated from {where}/*/*.yml by `python -m orchestration.sources.catalogue_doc`;"
        " edit the YAML, not this table. -->",
        "",
        "### Sources",
        "",
        *_header(SOURCE_COLUMNS),
        *(_row(r) for r in source_rows(sources)),
        "",
        "### Official downloads (`roundabout fetch`)",
        "",
        *_header(DOWNLOAD_COLUMNS),
        *(_row(r) for r in download_rows()),
        "",
    ]
    return "\n".join(lines)


def replace_between_markers(
    text: str, body: str, path: Path = README, begin: str = BEGIN, end: str = END
) -> str:
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        raise ValueError(f"{path}: expected one {begin} ... {end} block")
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    return f"{head}{begin}{body}{end}{tail}"


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--check", action="store_true", help="report only; write nothing")
    args = options.parse_args(argv)
    stale = 0
    for path, body, begin, end in (
        (README, generate(), BEGIN, END),
        (ARCHITECTURE, generate_map(), MAP_BEGIN, MAP_END),
    ):
        current = path.read_text(encoding="utf-8")
        fresh = replace_between_markers(current, body, path, begin, end)
        name = path.relative_to(REPO_ROOT)
        if fresh == current:
            print(f"{name} is up to date")
        elif args.check:
            print(f"{name} is out of date: run python -m {__name__}")
            stale += 1
        else:
            path.write_text(fresh, encoding="utf-8")
            print(f"wrote {name}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
