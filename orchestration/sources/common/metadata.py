"""A source's YAML: what is known about a publication, read and checked once.

Each source folder ``orchestration/sources/<folder>/`` holds ``<folder>.yml``. Its keys:

- ``title``, ``publisher``, ``url`` (the publisher's page), ``licence``, ``cadence``;
- ``inputs``: ``<kind>/<folder>``, where its files sit in an inputs directory;
- ``release_folder``: ``required`` (``<date>/`` folders give the release) or ``optional``;
- ``tests``: the test files that exercise its parser;
- ``formats``: one entry per publisher format, keyed by spec name (the folder name, or the
  folder name followed by ``_`` and a suffix). Each format gives ``parser`` (the module in the
  folder whose ``PARSERS`` holds its code), ``patterns``, ``tables``, ``staging`` (the dbt
  staging folder reading its raw tables), ``suites`` (table -> GX suite under
  expectations/suites) and optionally ``count_band`` (table -> ``max_shrink``: the largest share
  of the previous release's rows a release may lose), and may override ``title``, ``url`` and
  ``cadence``;
- ``download`` (optional): the official files, fetched into the inputs folder: ``files`` (``url``,
  ``file`` as archived, ``content``), ``max_size`` (``<n> MiB`` or ``<n> GiB``), and optionally
  ``token_env``, ``opt_in`` (why it is fetched only when named), ``parameters`` (``{name}``
  placeholders filled in the URLs and file names), ``datasets`` (one download per dataset,
  into ``<folder>/<dataset>``, with ``{dataset}`` filled), ``months`` (``recent``, ``lag``: a
  publisher of one file per month; ``{month}``, ``YYYYMM``, is filled with each of the
  ``recent`` months ending ``lag`` months before the day of the fetch) and ``query`` (an API
  asked once per reporter and month instead of ``files``: ``api``, ``frequency``,
  ``reporters``, ``partners``, ``cmd_codes``, ``flows``; see orchestration/acquire/catalogue.py).

An unknown or missing key is an error naming the file, so a typo cannot pass unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SOURCES_DIR = Path(__file__).resolve().parents[1]

KINDS = ("sanctions", "trade")
CONTENT_KINDS = ("csv", "xml", "json", "zip", "ods", "xlsx", "7z")

_TOP = {
    "title": True, "publisher": True, "url": True, "licence": True, "cadence": True,
    "inputs": True, "release_folder": True, "tests": True, "formats": True, "download": False,
}  # fmt: skip
_FORMAT = {
    "parser": True, "patterns": True, "tables": True, "staging": True, "suites": True,
    "count_band": False, "title": False, "url": False, "cadence": False,
}  # fmt: skip
_DOWNLOAD = {
    "files": False, "max_size": True, "token_env": False, "opt_in": False, "parameters": False,
    "datasets": False, "months": False, "query": False,
}  # fmt: skip
_MONTHS = {"recent": True, "lag": True}
_QUERY = {
    "api": True, "frequency": True, "reporters": True, "partners": False, "cmd_codes": True,
    "flows": False,
}  # fmt: skip
_FILE = {"url": True, "file": True, "content": True}
_BAND = {"max_shrink": True}
_SIZE = re.compile(r"(\d+) (MiB|GiB)")


class SourceMetadataError(ValueError):
    """A source YAML that does not follow the layout above; names the file and the key."""


@dataclass(frozen=True)
class Format:
    name: str  # the spec name; raw tables are raw.<name>__<table>
    parser: str
    patterns: tuple[str, ...]
    tables: tuple[str, ...]
    staging: str
    suites: dict[str, str]
    count_band: dict[str, float]
    title: str
    url: str
    cadence: str


@dataclass(frozen=True)
class RemoteFile:
    url: str  # may hold {token}, filled from the download's token variable
    file_name: str  # the name it is archived under: the publisher's own
    content: str


@dataclass(frozen=True)
class RecentMonths:
    """The months a monthly publisher is asked for: ``recent`` of them, the last one ``lag``
    months before the month of the fetch (how long the publisher takes to release a month)."""

    recent: int
    lag: int


@dataclass(frozen=True)
class ApiQuery:
    """A trade API asked once per reporter and month (UN Comtrade's ``get`` endpoint)."""

    api: str  # the endpoint's root, before /<frequency>/<classification>
    frequency: str  # "M": monthly data
    reporters: tuple[int, ...]
    partners: tuple[int, ...]  # empty: every partner
    cmd_codes: tuple[str, ...]
    flows: tuple[str, ...]


@dataclass(frozen=True)
class Download:
    files: tuple[RemoteFile, ...]
    max_bytes: int
    token_env: str | None
    opt_in: str
    datasets: tuple[str, ...]
    months: RecentMonths | None = None
    query: ApiQuery | None = None


@dataclass(frozen=True)
class SourceMetadata:
    folder: str  # the source folder under orchestration/sources/
    path: Path  # its YAML
    title: str
    publisher: str
    url: str
    licence: str
    cadence: str
    kind: str
    inputs_folder: str  # the folder under <kind>/ in an inputs directory
    release_from_folder: bool
    tests: tuple[str, ...]
    formats: tuple[Format, ...]
    download: Download | None

    @property
    def inputs(self) -> str:
        return f"{self.kind}/{self.inputs_folder}"


def _keys(path: Path, where: str, data: Any, allowed: dict[str, bool]) -> dict:
    if not isinstance(data, dict):
        raise SourceMetadataError(f"{path}: {where or 'the file'} must be a mapping")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise SourceMetadataError(f"{path}: unknown key {unknown[0]!r} in {where or 'the file'}")
    missing = sorted(k for k, required in allowed.items() if required and k not in data)
    if missing:
        raise SourceMetadataError(
            f"{path}: missing required key {missing[0]!r} in {where or 'the file'}"
        )
    return data


def _text(path: Path, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SourceMetadataError(f"{path}: {where} must be non-empty text")
    return value


def _texts(path: Path, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise SourceMetadataError(f"{path}: {where} must be a non-empty list")
    return tuple(_text(path, f"{where}[{i}]", v) for i, v in enumerate(value))


def _size(path: Path, where: str, value: Any) -> int:
    match = _SIZE.fullmatch(str(value))
    if not match:
        raise SourceMetadataError(f"{path}: {where} must read like '256 MiB' or '2 GiB'")
    return int(match.group(1)) << (20 if match.group(2) == "MiB" else 30)


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"{{{key}}}", value)
    return text


def _format(path: Path, top: dict, name: str, data: Any) -> Format:
    where = f"formats.{name}"
    data = _keys(path, where, data, _FORMAT)
    tables = _texts(path, f"{where}.tables", data["tables"])
    suites = data["suites"] or {}
    band = data.get("count_band") or {}
    for table in [*suites, *band]:
        if table not in tables:
            raise SourceMetadataError(f"{path}: {where} names table {table!r} not in its tables")
    return Format(
        name=name,
        parser=_text(path, f"{where}.parser", data["parser"]),
        patterns=_texts(path, f"{where}.patterns", data["patterns"]),
        tables=tables,
        staging=_text(path, f"{where}.staging", data["staging"]),
        suites={t: _text(path, f"{where}.suites.{t}", s) for t, s in suites.items()},
        count_band={
            t: float(_keys(path, f"{where}.count_band.{t}", b, _BAND)["max_shrink"])
            for t, b in band.items()
        },
        title=_text(path, f"{where}.title", data.get("title", top["title"])),
        url=_text(path, f"{where}.url", data.get("url", top["url"])),
        cadence=_text(path, f"{where}.cadence", data.get("cadence", top["cadence"])),
    )


def _download(path: Path, data: Any) -> Download:
    data = _keys(path, "download", data, _DOWNLOAD)
    values = {str(k): str(v) for k, v in (data.get("parameters") or {}).items()}
    files = []
    query = _query(path, data["query"]) if "query" in data else None
    if query is not None and "months" not in data:
        raise SourceMetadataError(f"{path}: download.query needs download.months (which months)")
    if query is None and (not isinstance(data.get("files"), list) or not data["files"]):
        raise SourceMetadataError(f"{path}: download.files must be a non-empty list")
    if query is not None and "files" in data:
        raise SourceMetadataError(f"{path}: download has both files and query: name one")
    for i, entry in enumerate(data.get("files") or []):
        entry = _keys(path, f"download.files[{i}]", entry, _FILE)
        if entry["content"] not in CONTENT_KINDS:
            raise SourceMetadataError(
                f"{path}: download.files[{i}].content must be one of {', '.join(CONTENT_KINDS)}"
            )
        files.append(
            RemoteFile(
                url=_fill(_text(path, f"download.files[{i}].url", entry["url"]), values),
                file_name=_fill(_text(path, f"download.files[{i}].file", entry["file"]), values),
                content=entry["content"],
            )
        )
    datasets = data.get("datasets") or []
    return Download(
        files=tuple(files),
        max_bytes=_size(path, "download.max_size", data["max_size"]),
        token_env=data.get("token_env"),
        opt_in=data.get("opt_in", ""),
        datasets=_texts(path, "download.datasets", datasets) if datasets else (),
        months=_months(path, data["months"]) if "months" in data else None,
        query=query,
    )


def _count(path: Path, where: str, value: Any, least: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise SourceMetadataError(f"{path}: {where} must be a whole number of at least {least}")
    return value


def _months(path: Path, data: Any) -> RecentMonths:
    data = _keys(path, "download.months", data, _MONTHS)
    return RecentMonths(
        recent=_count(path, "download.months.recent", data["recent"], 1),
        lag=_count(path, "download.months.lag", data["lag"], 0),
    )


def _query(path: Path, data: Any) -> ApiQuery:
    data = _keys(path, "download.query", data, _QUERY)
    frequency = _text(path, "download.query.frequency", data["frequency"])
    # Scheduled pulls follow the recent months; annual data is pulled on demand (roundabout
    # comtrade), so a query here is monthly.
    if frequency != "M":
        raise SourceMetadataError(f"{path}: download.query.frequency must be M (monthly)")

    def codes(key: str) -> tuple[int, ...]:
        values = data.get(key) or []
        if not isinstance(values, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in values
        ):
            raise SourceMetadataError(f"{path}: download.query.{key} must be a list of numbers")
        return tuple(values)

    reporters = codes("reporters")
    if not reporters:
        raise SourceMetadataError(f"{path}: download.query.reporters must be a non-empty list")
    return ApiQuery(
        api=_text(path, "download.query.api", data["api"]).rstrip("/"),
        frequency=frequency,
        reporters=reporters,
        partners=codes("partners"),
        cmd_codes=tuple(
            str(c) for c in _texts(path, "download.query.cmd_codes", data["cmd_codes"])
        ),
        flows=_texts(path, "download.query.flows", data["flows"])
        if data.get("flows")
        else ("X", "M"),
    )


def load(path: Path) -> SourceMetadata:
    """Read and check one source YAML."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise SourceMetadataError(f"{path}: not valid YAML ({err})") from err
    data = _keys(path, "", data, _TOP)
    folder = path.parent.name
    if path.stem != folder:
        raise SourceMetadataError(f"{path}: a source's YAML is named after its folder ({folder})")
    kind, _, inputs_folder = _text(path, "inputs", data["inputs"]).partition("/")
    if kind not in KINDS or not inputs_folder:
        raise SourceMetadataError(f"{path}: inputs must read <kind>/<folder>, kind one of {KINDS}")
    if data["release_folder"] not in ("required", "optional"):
        raise SourceMetadataError(f"{path}: release_folder must be 'required' or 'optional'")
    formats = data["formats"]
    if not isinstance(formats, dict) or not formats:
        raise SourceMetadataError(f"{path}: formats must be a non-empty mapping")
    for name in formats:
        if name != folder and not str(name).startswith(f"{folder}_"):
            raise SourceMetadataError(
                f"{path}: format {name!r} must be named {folder!r} or start with '{folder}_'"
            )
    return SourceMetadata(
        folder=folder,
        path=path,
        title=_text(path, "title", data["title"]),
        publisher=_text(path, "publisher", data["publisher"]),
        url=_text(path, "url", data["url"]),
        licence=_text(path, "licence", data["licence"]),
        cadence=_text(path, "cadence", data["cadence"]),
        kind=kind,
        inputs_folder=inputs_folder,
        release_from_folder=data["release_folder"] == "required",
        tests=_texts(path, "tests", data["tests"]),
        formats=tuple(_format(path, data, str(n), f) for n, f in formats.items()),
        download=_download(path, data["download"]) if data.get("download") else None,
    )


def source_yamls(root: Path = SOURCES_DIR) -> list[Path]:
    """Every source's YAML: a folder is a source when it holds ``<folder>.yml``."""
    return sorted(p / f"{p.name}.yml" for p in root.iterdir() if (p / f"{p.name}.yml").is_file())


@cache
def all_metadata() -> tuple[SourceMetadata, ...]:
    return tuple(load(path) for path in source_yamls())
