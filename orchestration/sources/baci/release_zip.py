"""CEPII BACI release zips (``BACI_HS17_V202601.zip``: every year's CSV of one HS revision and
version, plus ``country_codes_V202601.csv`` and ``product_codes_HS17_V202601.csv``), read as
published (source ``baci_release``): its members are extracted one at a time, streamed to a
temporary file next to the warehouse, read by the same DuckDB select as a loose CSV
(:mod:`orchestration.sources.baci.parse`), and removed. Each CSV becomes one part of its raw table
(see orchestration.raw.bulk).
"""

from __future__ import annotations

import atexit
import csv
import io
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import polars as pl

from orchestration.settings import active
from orchestration.sources.baci.parse import (
    COUNTRY_COLUMNS,
    COUNTRY_FILE,
    COUNTRY_SCHEMA,
    PRODUCT_FILE,
    PRODUCT_SCHEMA,
    TRADE_FILE,
    TRADE_SCHEMA,
    shared_code_refusals,
    trade_part,
)
from orchestration.sources.common.base import (
    BulkPart,
    ParsedFile,
    Parser,
    SourceFile,
    SourceParseError,
    decode_text,
    lineage_constants,
    sql_text,
)

RELEASE_FILE = re.compile(r"BACI_(HS\d\d)_V(\d{6}[a-z]?)\.zip", re.IGNORECASE)
RELEASE_REPLACE_KEY = "hs_revision || '/' || baci_version"

# The folder holding the member being read; see _scratch_dir.
_SCRATCH: list[Path] = []


@dataclass(frozen=True)
class ReleaseArchive:
    """The members of a release zip that matter: yearly trade CSVs and the two code tables."""

    file: SourceFile
    revision: str  # HS17
    version: str  # V202601
    trade: dict[str, str]  # year -> member name
    country_codes: str | None
    product_codes: str | None

    @classmethod
    def open(cls, file: SourceFile) -> ReleaseArchive:
        match = RELEASE_FILE.fullmatch(file.path.name)
        if match is None:
            raise SourceParseError(file.relative_path, None, "not a BACI release zip name")
        revision, version = match.group(1).upper(), "V" + match.group(2)
        trade: dict[str, str] = {}
        codes: dict[str, str] = {}
        for member in _member_names(file):
            name = PurePosixPath(member).name
            if found := TRADE_FILE.fullmatch(name):
                _check_release(file, member, found.group(1), found.group(3), revision, version)
                if found.group(2) in trade:
                    raise SourceParseError(
                        file.relative_path, None, f"two members for year {found.group(2)}"
                    )
                trade[found.group(2)] = member
            elif found := COUNTRY_FILE.fullmatch(name):
                _check_release(file, member, revision, found.group(1), revision, version)
                codes["country_codes"] = member
            elif found := PRODUCT_FILE.fullmatch(name):
                _check_release(file, member, found.group(1), found.group(2), revision, version)
                codes["product_codes"] = member
        if not trade:
            raise SourceParseError(
                file.relative_path, None, f"no BACI_{revision}_Y<year>_{version}.csv member"
            )
        return cls(file, revision, version, dict(sorted(trade.items())),
                   codes.get("country_codes"), codes.get("product_codes"))  # fmt: skip

    def extract(self, member: str, target_dir: Path) -> Path:
        """Stream one member to a file (the zip is never read into memory)."""
        target = target_dir / PurePosixPath(member).name
        try:
            with (
                zipfile.ZipFile(self.file.path) as archive,
                archive.open(member) as source,
                target.open("wb") as out,
            ):
                shutil.copyfileobj(source, out, 1 << 20)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
            raise SourceParseError(
                self.file.relative_path, None, f"cannot extract {member}: {err}"
            ) from err
        return target


def _member_names(file: SourceFile) -> list[str]:
    try:
        with zipfile.ZipFile(file.path) as archive:
            return [info.filename for info in archive.infolist() if not info.is_dir()]
    except zipfile.BadZipFile as err:
        raise SourceParseError(file.relative_path, None, f"not a valid zip file ({err})") from err


def _check_release(
    file: SourceFile, member: str, revision: str, version: str, want_revision: str,
    want_version: str,
) -> None:  # fmt: skip
    """A release zip holds one HS revision and one version; anything else is a packaging error."""
    if (revision.upper(), "V" + version) != (want_revision, want_version):
        raise SourceParseError(
            file.relative_path, None,
            f"member {member} is {revision.upper()} V{version}, not {want_revision} "
            f"{want_version} as the zip's name says",
        )  # fmt: skip


def release_revision(file: SourceFile) -> str:
    """A release holds every year of its HS revision and version: the same release loaded again
    replaces all of them; a release of another version is kept beside it (a vintage)."""
    match = RELEASE_FILE.fullmatch(file.path.name)
    return f"{match.group(1).upper()}/V{match.group(2)}"


def _scratch_dir() -> Path:
    """A fresh folder for extracted members, next to the build warehouse (system temp outside
    a run). The ingest reads each part before it asks for the next one, so whatever an
    earlier part left behind is no longer needed and is removed first."""
    remove_extracted()
    run = active()
    root = run.build_db.parent if run is not None else Path(tempfile.gettempdir())
    root.mkdir(parents=True, exist_ok=True)
    _SCRATCH.append(Path(tempfile.mkdtemp(prefix="baci-release-", dir=root)))
    return _SCRATCH[-1]


def remove_extracted() -> None:
    """Delete every extracted member (also done when the process exits)."""
    while _SCRATCH:
        shutil.rmtree(_SCRATCH.pop(), ignore_errors=True)


atexit.register(remove_extracted)


def release_parts(file: SourceFile, table: str) -> Iterator[BulkPart]:
    """One part per member; each member is extracted just before DuckDB reads it and removed
    once it has been read, so a release never needs more than one year's CSV on disk."""
    archive = ReleaseArchive.open(file)
    if table == "trade":
        members = list(archive.trade.items())
    else:
        member = archive.country_codes if table == "country_codes" else archive.product_codes
        members = [(None, member)] if member else []
    for year, member in members:
        path = archive.extract(member, _scratch_dir())
        if table == "trade":
            yield trade_part(file, path, archive.revision, year, archive.version, member)
        elif table == "country_codes":
            yield _country_part(archive, member, path)
        else:
            yield _product_part(archive, member, path)
        path.unlink(missing_ok=True)


def _csv_header(archive: ReleaseArchive, member: str, path: Path) -> tuple[list[str], str]:
    """The header of an extracted code table and the encoding DuckDB should read it with."""
    raw = path.read_bytes()  # code tables are a few hundred kB
    try:
        raw.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "latin-1"
    text = decode_text(raw.split(b"\n", 1)[0], f"{archive.file.relative_path}:{member}")
    return [name.strip().strip('"') for name in text.strip().split(",")], encoding


def _code_table_part(
    archive: ReleaseArchive, member: str, path: Path, header: list[str], encoding: str,
    columns: str, numeric: str | None = None,
    refused: tuple[tuple[int, str, str], ...] = (), where: str = "",
) -> BulkPart:  # fmt: skip
    """``numeric``: the column read as a number, so that a line where it is not one goes to
    the quarantine with its line instead of failing the load. ``refused`` and ``where``: lines
    refused before the read, and the condition that leaves them out."""
    types = ", ".join(
        f"{sql_text(name)}: '{'BIGINT' if name == numeric else 'VARCHAR'}'" for name in header
    )
    constants = {
        "baci_version": f"cast({sql_text(archive.version)} as varchar)",
        "source_member": f"cast({sql_text(member)} as varchar)",
    }
    return BulkPart(
        name=PurePosixPath(member).stem,
        csv_path=path,
        select=f"""
            select {columns}
            from read_csv({sql_text(str(path))}, header = true, auto_detect = false,
                          delim = ',', quote = '"', store_rejects = true,
                          encoding = {sql_text(encoding)}, columns = {{{types}}})
            {where}""",
        constants={**constants, **lineage_constants(archive.file)},
        refused=refused,
    )


def _country_part(archive: ReleaseArchive, member: str, path: Path) -> BulkPart:
    header, encoding = _csv_header(archive, member, path)
    role = {COUNTRY_COLUMNS[c]: c for c in header if c in COUNTRY_COLUMNS}
    missing = {"country_code", "iso3"} - set(role)
    if missing:
        raise SourceParseError(
            f"{archive.file.relative_path}:{member}", 1, f"missing columns {sorted(missing)}"
        )

    def column(name: str) -> str:
        return f'"{role[name]}"' if name in role else "null"

    columns = (
        f"{column('country_code')} as country_code, "
        f"{column('country_name')}::varchar as country_name, {column('iso2')}::varchar as iso2, "
        f"{column('iso3')}::varchar as iso3"
    )
    refused = _refused_shared_codes(path, encoding, role)
    codes = ", ".join(str(code) for code in sorted({code for code, *_ in refused}))
    where = f'where "{role["country_code"]}" not in ({codes})' if refused else ""
    return _code_table_part(
        archive, member, path, header, encoding, columns, role["country_code"],
        tuple((line, reason, raw) for _, line, reason, raw in refused), where,
    )  # fmt: skip


def _refused_shared_codes(
    path: Path, encoding: str, role: dict[str, str]
) -> list[tuple[int, int, str, str]]:
    """The release's country table gets the check a loose one gets (shared_code_refusals):
    (code, line, reason, line text) of each code refused. Read with the csv module, which
    counts lines as the file has them (a quoted name may hold a comma)."""
    text = path.read_bytes().decode(encoding)
    rows, lines = [], text.splitlines()
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for record in reader:
        code = (record.get(role["country_code"]) or "").strip()
        if code.isdigit():  # any other code is DuckDB's to reject, with its line
            rows.append((int(code), record.get(role.get("country_name", "")) or "",
                         record.get(role["iso3"]) or "", reader.line_num))  # fmt: skip
    frame = pl.DataFrame(
        rows, schema={"country_code": pl.Int64, "country_name": pl.String, "iso3": pl.String,
                      "line": pl.Int64}, orient="row",
    )  # fmt: skip
    refused = shared_code_refusals(frame)
    return [
        (code, line, refused[code], lines[line - 1])
        for code, line in frame.select("country_code", "line").iter_rows()
        if code in refused
    ]


def _product_part(archive: ReleaseArchive, member: str, path: Path) -> BulkPart:
    header, encoding = _csv_header(archive, member, path)
    if header[:2] != ["code", "description"]:
        raise SourceParseError(
            f"{archive.file.relative_path}:{member}", 1, "expected columns code,description"
        )
    columns = (
        "lpad(trim(code), 6, '0') as code, description, "
        f"{sql_text(archive.revision)} as hs_revision"
    )
    return _code_table_part(archive, member, path, header, encoding, columns)


RELEASE_SCHEMAS = {
    "trade": {**TRADE_SCHEMA, "source_member": pl.String},
    "country_codes": {**COUNTRY_SCHEMA, "source_member": pl.String},
    "product_codes": {**PRODUCT_SCHEMA, "source_member": pl.String},
}


# The YAML beside this module (baci.yml) names this module as the release zip's parser.
PARSERS = {
    "baci_release": Parser(
        parse=lambda f: ParsedFile(tables={}),
        bulk_parts=release_parts,
        replace_on={"trade": (RELEASE_REPLACE_KEY, release_revision)},
        schemas=RELEASE_SCHEMAS,
    ),
}
