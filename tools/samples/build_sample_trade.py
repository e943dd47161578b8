"""Build the bundled real trade extracts in data/sample/trade/ from the full public files.

Reads the shared trade folder (``--shared DIR``, laid out as ``baci/``, ``comtrade/``,
``eurostat_comext/``, ``national/``), which a fresh clone does not have: run it by hand when the
extracts must be rebuilt, never from tests. Deterministic: the same inputs give the same bytes
(gzip members carry no name and mtime 0).

    uv run python -m tools.samples.build_sample_trade --shared DIR [--out data/sample/trade]

Each output keeps its publisher's layout, header and lines byte for byte; only whole lines are
dropped, by the rules below (documented in data/sample/README.md):

* Comext DS-045409 monthly cells: CN8 codes under a CHPL subheading (HS2022 list and its HS2017
  equivalents, dbt_project/seeds/reference), CN8 85171300 (smartphones), ``TOTAL`` and HS2 ``27``;
* Comext total-goods exports of EU members to the transit countries: every line (gzip only);
* Comtrade monthly (Armenia's vehicles and phones, Georgia's vehicles): exports to Russia;
* Comtrade and BACI critical-materials extracts: flows with Russia, Belarus or a transit country
  of the Caucasus and Central Asia on either side (Comtrade: the first of identical lines only);
* Armstat's monthly trade by partner: every partner, 2017 onwards.

BACI's two code tables are copied byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = REPO_ROOT / "data" / "sample" / "trade"
SEEDS = REPO_ROOT / "dbt_project" / "seeds" / "reference"
# The Comext spreadsheets were extracted on this day: the release folder names that vintage.
COMEXT_RELEASE = "2023-01-21"

# Russia, Belarus and the transit countries of the Caucasus and Central Asia, as both sources
# name them (Comtrade numeric area codes, ISO3 in the BACI extracts).
FOCUS_COMTRADE = frozenset({"643", "112", "51", "268", "398", "417", "860", "762", "795"})
FOCUS_ISO3 = frozenset({"RUS", "BLR", "ARM", "GEO", "KAZ", "KGZ", "UZB", "TJK", "TKM"})
SMARTPHONES_CN8 = "85171300"
FIRST_ARMSTAT_YEAR = 2017


def chpl_hs6() -> frozenset[str]:
    """HS6 codes holding CHPL goods: the HS2022 list and its HS2017 concordance."""
    codes = set()
    with (SEEDS / "ref_chpl.csv").open(encoding="utf-8", newline="") as f:
        codes.update(row["hs6"] for row in csv.DictReader(f))
    with (SEEDS / "ref_chpl_hs_concordance.csv").open(encoding="utf-8", newline="") as f:
        codes.update(row["hs6"] for row in csv.DictReader(f))
    return frozenset(codes)


def read_lines(path: Path) -> list[str]:
    """The file's lines with their endings; a UTF-8 BOM stays on the first one."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return raw.decode("utf-8").splitlines(keepends=True)


def fields(line: str, path: Path, number: int) -> list[str]:
    rows = list(csv.reader(io.StringIO(line)))
    if len(rows) != 1:
        raise ValueError(f"{path}, line {number}: not one CSV record (a quoted line break?)")
    return rows[0]


def select(
    path: Path, keep: Callable[[dict[str, str]], bool], *, unique: bool = False
) -> tuple[str, int]:
    """Header plus the lines whose record ``keep`` accepts (with ``unique``, only the first of
    identical lines); returns the text and its row count."""
    lines = read_lines(path)
    header = fields(lines[0].lstrip("\ufeff"), path, 1)
    kept = [lines[0]]
    seen: set[str] = set()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        record = fields(line, path, number)
        if len(record) != len(header):
            raise ValueError(
                f"{path}, line {number}: {len(record)} fields, the header has {len(header)}"
            )
        if unique and line in seen:
            continue
        if keep(dict(zip(header, record, strict=True))):
            kept.append(line)
            seen.add(line)
    return "".join(kept), len(kept) - 1


def write_gzip(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def build(shared: Path, out: Path) -> list[tuple[Path, int]]:
    chpl = chpl_hs6()
    comext = shared / "eurostat_comext"
    comext_out = out / "eurostat_comext"
    comtrade = shared / "comtrade"
    jobs: list[tuple[Path, Path, Callable[[dict[str, str]], bool], bool]] = [
        (
            comext / "comext_ds045409_eu27_to_ru_by_am_ge_kg_kz_uz_monthly_2020_2022.csv.gz",
            comext_out / COMEXT_RELEASE / "comext_ds045409_chpl_monthly_2020_2022.csv.gz",
            lambda r: (
                r["product_code"] in ("TOTAL", "27", SMARTPHONES_CN8)
                or (len(r["product_code"]) == 8 and r["product_code"][:6] in chpl)
            ),
            False,
        ),
        (
            comext / "comext_eu_member_totals_to_transit_countries_2019_2024.csv",
            comext_out / "comext_eu_member_totals_to_transit_countries_2019_2024.csv.gz",
            lambda r: True,
            False,
        ),
    ]
    for name in (
        "vehicle_trade_armenia",
        "vehicle_trade_georgia",
        "mobile_phone_reexports_armenia",
    ):
        jobs.append(
            (
                comtrade / "armenia_georgia" / f"{name}.csv",
                out / "comtrade" / "armenia_georgia" / f"{name}_to_russia.csv.gz",
                lambda r: r["trade_flow"] == "Export" and r["partner_iso"] == "RUS",
                False,
            )
        )
    for year in (2022, 2024):
        jobs.append(
            (
                comtrade / "critical_materials" / f"comtrade_{year}.csv.gz",
                out / "comtrade" / "critical_materials" / f"comtrade_{year}.csv.gz",
                lambda r: r["reporter"] in FOCUS_COMTRADE or r["partner"] in FOCUS_COMTRADE,
                # The pull dropped the breakdown dimensions (partner2, customs procedure, mode
                # of transport), so its breakdown lines repeat each other byte for byte.
                True,
            )
        )
        jobs.append(
            (
                shared / "baci" / f"baci_hs17_v202601_critical_materials_{year}.csv",
                out / "baci" / f"baci_hs17_v202601_critical_materials_{year}.csv.gz",
                lambda r: r["i"] in FOCUS_ISO3 or r["j"] in FOCUS_ISO3,
                False,
            )
        )
    jobs.append(
        (
            shared / "national" / "armstat_arm_trade_country_monthly.csv",
            out / "national" / "armstat_arm_trade_country_monthly_2017_2024.csv.gz",
            lambda r: int(r["year"]) >= FIRST_ARMSTAT_YEAR,
            False,
        )
    )
    written = []
    for source, target, keep, unique in jobs:
        text, rows = select(source, keep, unique=unique)
        write_gzip(target, text)
        written.append((target, rows))
    for name in ("country_codes_V202601.csv", "product_codes_HS17_V202301.csv"):
        target = out / "baci" / name
        target.write_bytes((shared / "baci" / name).read_bytes())
        written.append((target, len(read_lines(target)) - 1))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared trade folder")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    for path, rows in build(args.shared, args.out):
        print(f"wrote {path} ({rows} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
