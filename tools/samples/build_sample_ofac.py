"""Build the bundled OFAC SDN extracts in data/sample/sanctions/ofac_sdn/ from the full files.

Reads the legacy CSV snapshots in a folder of the full files (``--shared DIR``), which a fresh
clone does not have: run it by hand when the extracts must be rebuilt, never from tests.

    uv run python -m tools.samples.build_sample_ofac --shared DIR

Selection (documented in data/sample/README.md):

* 2021-04-25: every sdn.csv entry with at least one add.csv address in one of TRANSIT_COUNTRIES,
  plus all add.csv and alt.csv rows of those entries;
* 2023-12-28: every sdn.csv row whose program field contains RUSSIA-EO14024, plus every row whose
  ent_num is in the 2021 extract.

Lines are copied byte for byte (CRLF endings, ``-0- `` nulls, the publisher's quoting) in their
original order, and each file keeps its final DOS end-of-file byte 0x1A.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

from orchestration.sources.common.base import SourceParseError

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = REPO_ROOT / "data" / "sample" / "sanctions" / "ofac_sdn"
OLD, NEW = "2021-04-25", "2023-12-28"

TRANSIT_COUNTRIES = frozenset(
    {
        "China",
        "Hong Kong",
        "Turkey",
        "Kazakhstan",
        "Kyrgyzstan",
        "Uzbekistan",
        "Tajikistan",
        "Turkmenistan",
        "Armenia",
        "Georgia",
        "Azerbaijan",
        "United Arab Emirates",
        "Russia",
        "Belarus",
    }
)
RUSSIA_PROGRAM = "RUSSIA-EO14024"
EOF_BYTE = b"\x1a"
# Field counts of the legacy CSV tables (no header row in any of them).
WIDTHS = {"sdn.csv": 12, "add.csv": 6, "alt.csv": 5}


class Table:
    """One legacy OFAC CSV: its raw lines (without CRLF) and their parsed fields."""

    def __init__(self, path: Path, raw: bytes):
        self.path = path
        if not raw.endswith(b"\r\n" + EOF_BYTE):
            raise SourceParseError(path, None, "does not end with CRLF and the 0x1A EOF byte")
        # OFAC writes one record per CRLF line: no field of these files holds a line break.
        self.lines = raw[: -len(EOF_BYTE)].split(b"\r\n")[:-1]
        width = WIDTHS[path.name.lower()]
        self.rows = [self._fields(n, line, width) for n, line in enumerate(self.lines, start=1)]

    def _fields(self, number: int, line: bytes, width: int) -> list[str]:
        fields = next(csv.reader([line.decode("cp1252")]))
        if len(fields) != width:
            raise SourceParseError(self.path, number, f"{len(fields)} fields, expected {width}")
        return fields

    @classmethod
    def read(cls, path: Path) -> Table:
        return cls(path, path.read_bytes())


def extract_bytes(lines: list[bytes]) -> bytes:
    """Lines back into an OFAC file: CRLF after each line, then the EOF byte."""
    return b"".join(line + b"\r\n" for line in lines) + EOF_BYTE


def _keep(table: Table, ent_nums: set[str]) -> list[bytes]:
    return [line for line, row in zip(table.lines, table.rows, strict=True) if row[0] in ent_nums]


def transit_entries(sdn: Table, add: Table) -> set[str]:
    """ent_nums of the sdn.csv entries with at least one address in a transit country."""
    with_address = {row[0] for row in add.rows if row[4] in TRANSIT_COUNTRIES}
    return {row[0] for row in sdn.rows if row[0] in with_address}


def select_2021(sdn: Table, add: Table, alt: Table) -> tuple[list[bytes], list[bytes], list[bytes]]:
    """Entries with an address in a transit country, with all their addresses and aliases."""
    ent_nums = transit_entries(sdn, add)
    return _keep(sdn, ent_nums), _keep(add, ent_nums), _keep(alt, ent_nums)


def select_2023(sdn: Table, old_ent_nums: set[str]) -> list[bytes]:
    """Rows under the Russia EO 14024 programs, or whose entry is in the 2021 extract."""
    return [
        line
        for line, row in zip(sdn.lines, sdn.rows, strict=True)
        if RUSSIA_PROGRAM in row[3] or row[0] in old_ent_nums
    ]


def build(shared: Path, out: Path) -> dict[str, int]:
    """Write the extracts; return the row count of each file written."""
    old = {name: Table.read(shared / OLD / name) for name in WIDTHS}
    picked = dict(
        zip(WIDTHS, select_2021(old["sdn.csv"], old["add.csv"], old["alt.csv"]), strict=True)
    )
    old_ent_nums = transit_entries(old["sdn.csv"], old["add.csv"])
    picked_new = select_2023(Table.read(shared / NEW / "sdn.csv"), old_ent_nums)
    counts = {}
    for release, files in ((OLD, picked), (NEW, {"sdn.csv": picked_new})):
        (out / release).mkdir(parents=True, exist_ok=True)
        for name, lines in files.items():
            (out / release / name).write_bytes(extract_bytes(lines))
            counts[f"{release}/{name}"] = len(lines)
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the bundled OFAC SDN extracts.")
    parser.add_argument("--shared", type=Path, required=True, help="folder of the full files")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    for name, count in build(args.shared, args.out).items():
        print(f"{name}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
