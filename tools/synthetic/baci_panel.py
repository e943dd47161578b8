"""A synthetic BACI HS17 panel in the real files' shape (``t,i,j,k,v,q``), and a scale generator.

Two jobs:

* :func:`write_sample` writes the synthetic test panel, ``BACI_HS17_Y<year>_V202601.csv`` for
  2017-2024, beside BACI's real code tables, plus ``SYNTHETIC.md`` naming those files as
  synthetic (the loader marks every flow of them ``is_synthetic``). The panel is a seeded random
  background (:func:`background_frame`) with the exact planted pattern of
  :mod:`tools.synthetic.planted` on top. :func:`write_inputs` lays it out as a whole inputs
  directory with the bundled sample's real sanctions lists, for tests and benchmarks; the
  bundled sample itself (data/sample) holds real extracts only.
* :func:`write_baci_year` writes any number of rows of the real shape for one year, streamed in
  chunks, for benchmarks at the real scale (about 11 million rows a year).

Only IEEE basic operations (``+ - * / sqrt``) touch the random numbers, never ``exp`` or ``log``:
those are correctly rounded on every platform, so a seed gives the same bytes everywhere numpy's
PCG64 stream is the same.

The format follows the V2025+ releases: ``k`` six digits with leading zeros, ``v`` thousand USD
and ``q`` tonnes with three decimals, an empty ``q`` where the quantity is unknown (~2% of rows).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl

from tools.synthetic import catalogue as cat
from tools.synthetic.planted import YEARS, excluded_cells, planted_flows

SAMPLE_SEED = 20240223
SCALE_SEED = 20260101
VERSION = "V202601"
HS = "HS17"
REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_INPUTS = REPO_ROOT / "data" / "sample"
# BACI's real code tables, bundled with the sample; the synthetic panel uses their codes.
CODE_TABLES_DIR = SAMPLE_INPUTS / "trade" / "baci"
COUNTRY_TABLE = f"country_codes_{VERSION}.csv"
PRODUCT_TABLE = "product_codes_HS17_V202301.csv"

_FLOW_SCHEMA = {
    "t": pl.Int64,
    "i": pl.Int64,
    "j": pl.Int64,
    "k": pl.String,
    "usd": pl.Int64,
    "kg": pl.Int64,
}

# Share of rows without a quantity, as in BACI.
_MISSING_Q = 0.02
# A flow's base value is scale x exporter x importer x f, f = (1 + 9u) x one of these decades.
_DECADES = np.array([0.001, 0.01, 0.1, 1.0])
# Calibrates how many (exporter, importer, product) triples trade at all: ~8,000 a year.
# The chance is proportional to exporter strength x importer size, so big pairs trade densely.
_DENSITY = 0.35

# World-wide drift of all flows, so that non-CHPL goods stay roughly flat.
_TREND = dict(zip(YEARS, (0.95, 0.98, 1.0, 0.95, 1.05, 1.04, 1.02, 1.03), strict=True))

# Flow categories with their own path after the invasion (index into the tables below).
_NORMAL, _COALITION_TO_RU, _HUB_TO_RU, _TRANSIT_TO_RU, _COALITION_TO_TRANSIT = range(5)
_HUBS = ("CHN", "HKG")
# Multiplier on the base value by category and year, 2017..2024.
_EFFECT = np.array(
    [
        [1, 1, 1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 0.10, 0.05, 0.05],  # coalition -> RUS/BLR CHPL collapses
        [1, 1, 1, 1, 1, 1.6, 2.2, 2.4],  # CHN, HKG -> RUS CHPL rises
        [1, 1, 1, 1, 1, 2.0, 3.0, 2.6],  # other transit -> RUS CHPL rises
        [1, 1, 1, 1, 1, 1.15, 1.3, 1.25],  # coalition -> transit CHPL grows a little
    ]
)
# Probability that an active triple trades in a given year, by category and year.
_PRESENT = np.array(
    [
        [0.93] * 8,
        [0.93] * 5 + [0.7] * 3,
        [0.85] * 5 + [0.99] * 3,
        [0.8] * 5 + [0.97] * 3,
        [0.93] * 8,
    ]
)
# Density boost for the flows the analysis looks at, so that each pattern has many rows.
_BOOST = np.array([1.0, 4.0, 4.0, 2.0, 1.5])
# Exporter specialisations: (exporter, HS prefix) -> value multiplier. CHN dominates 854140
# (solar cells and LEDs), the code that would inflate tier 3.A if mapped silently.
_SPECIALITY = {
    ("CHN", "854140"): 6.0,
    ("RUS", "271000"): 15.0,
    ("RUS", "100199"): 15.0,
    ("TWN", "8542"): 3.0,
    ("KOR", "8542"): 2.0,
}


def _category(
    exp_group: np.ndarray, exp_hub: np.ndarray, imp_group: np.ndarray, chpl: np.ndarray
) -> np.ndarray:
    to_ru = imp_group == cat.RUSSIA_BELARUS
    category = np.full(exp_group.shape, _NORMAL)
    category[chpl & (exp_group == cat.COALITION) & (imp_group == cat.TRANSIT)] = (
        _COALITION_TO_TRANSIT
    )
    category[chpl & to_ru & (exp_group == cat.TRANSIT)] = _TRANSIT_TO_RU
    category[chpl & to_ru & exp_hub] = _HUB_TO_RU
    category[chpl & to_ru & (exp_group == cat.COALITION)] = _COALITION_TO_RU
    return category


def _speciality(exporters: list[str], products: Sequence[str]) -> np.ndarray:
    table = np.ones((len(exporters), len(products)))
    for (iso3, prefix), factor in _SPECIALITY.items():
        for n, hs6 in enumerate(products):
            if hs6.startswith(prefix):
                table[exporters.index(iso3), n] = factor
    return table


def _triples() -> dict[str, np.ndarray]:
    """Every (exporter, importer, product) with exporter != importer, as index arrays."""
    nc, np_ = len(cat.COUNTRIES), len(cat.PRODUCTS)
    e, j, k = np.meshgrid(np.arange(nc), np.arange(nc), np.arange(np_), indexing="ij")
    keep = (e != j).ravel()
    return {"e": e.ravel()[keep], "j": j.ravel()[keep], "k": k.ravel()[keep]}


def _excluded(e: np.ndarray, j: np.ndarray, k: np.ndarray) -> np.ndarray:
    codes = np.array([c.code for c in cat.COUNTRIES])
    hs6 = np.array(cat.PRODUCTS)
    cells = excluded_cells()
    pairs_out = np.fromiter(((c, h) in cells for c, h in zip(codes[e], hs6[k], strict=True)), bool)
    pairs_in = np.fromiter(((c, h) in cells for c, h in zip(codes[j], hs6[k], strict=True)), bool)
    return pairs_out | pairs_in


def background_frame(seed: int = SAMPLE_SEED) -> pl.DataFrame:
    """The seeded background: sparse flows of every year, none in the planted cells."""
    rng = np.random.default_rng(seed)
    countries = cat.COUNTRIES
    strength = np.array([c.export_strength for c in countries])
    size = np.array([c.import_size for c in countries])
    group = np.array([c.group for c in countries])
    hub = np.array([c.iso3 in _HUBS for c in countries])
    chpl = np.array([k in cat.CHPL_HS17 for k in cat.PRODUCTS])
    scale = np.array([cat.product_scale_kusd(k) for k in cat.PRODUCTS])
    unit_value = np.array([cat.unit_value_usd_per_kg(k) for k in cat.PRODUCTS])
    speciality = _speciality([c.iso3 for c in countries], cat.PRODUCTS)

    t = _triples()
    e, j, k = t["e"], t["j"], t["k"]
    category = _category(group[e], hub[e], group[j], chpl[k])
    weight = strength[e] * size[j] * _BOOST[category] * speciality[e, k]
    p_active = np.minimum(0.95, _DENSITY * weight)
    active = (rng.random(e.size) < p_active) & ~_excluded(e, j, k)
    e, j, k, category = e[active], j[active], k[active], category[active]

    u_mantissa, u_decade = rng.random(e.size), rng.random(e.size)
    decade = (u_decade * _DECADES.size).astype(np.int64)
    # A specialised exporter's flows are never small.
    decade = np.where(speciality[e, k] > 1, _DECADES.size - 1, decade)
    f = (1 + 9 * u_mantissa) * _DECADES[decade]
    # Large flows come and go ten times less often than small ones, as in real data.
    churn = np.where(decade >= 2, 0.1, 1.0)
    base_usd = scale[k] * strength[e] * size[j] * speciality[e, k] * f * 1000

    codes = np.array([c.code for c in countries])
    hs6 = np.array(cat.PRODUCTS)
    years = []
    for n, year in enumerate(YEARS):
        u_present, u_noise, u_uv, u_missing = rng.random((4, e.size))
        usd = base_usd * (_TREND[year] * _EFFECT[category, n]) * (0.85 + 0.3 * u_noise)
        usd = np.maximum(1, np.rint(usd)).astype(np.int64)
        kg = np.maximum(1, np.rint(usd / unit_value[k] * (0.8 + 0.4 * u_uv))).astype(np.int64)
        keep = u_present < 1 - (1 - _PRESENT[category, n]) * churn
        frame = pl.DataFrame(
            {
                "t": np.full(keep.sum(), year),
                "i": codes[e[keep]],
                "j": codes[j[keep]],
                "k": hs6[k[keep]],
                "usd": usd[keep],
                "kg": pl.Series(kg[keep]).set(pl.Series(u_missing[keep] < _MISSING_Q), None),
            },
            schema=_FLOW_SCHEMA,
        )
        years.append(frame)
    return pl.concat(years)


def sample_frame(seed: int = SAMPLE_SEED) -> pl.DataFrame:
    """Background plus planted flows, sorted like BACI (year, exporter, importer, product)."""
    planted = pl.DataFrame(planted_flows(), schema=_FLOW_SCHEMA, orient="row")
    frame = pl.concat([background_frame(seed), planted]).sort("t", "i", "j", "k")
    duplicated = frame.select("t", "i", "j", "k").is_duplicated()
    if duplicated.any():
        raise ValueError(f"sample panel has duplicate (t,i,j,k): {frame.filter(duplicated)}")
    return frame


def _thousandths(column: str) -> pl.Expr:
    """Integer units -> text with three decimals (USD -> thousand USD, kg -> tonnes), exactly."""
    col = pl.col(column)
    return pl.format("{}.{}", col // 1000, (col % 1000).cast(pl.String).str.zfill(3))


def to_baci_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Flows (t, i, j, k, usd, kg) -> BACI's text columns t,i,j,k,v,q."""
    return frame.select(
        "t", "i", "j", "k", _thousandths("usd").alias("v"), _thousandths("kg").alias("q")
    )


def year_file_name(year: int) -> str:
    return f"BACI_{HS}_Y{year}_{VERSION}.csv"


def _synthetic_note(names: list[str], seed: int, planted: bool = True) -> str:
    listing = "\n".join(f"- `{name}`" for name in names)
    return (
        "# SYNTHETIC DATA\n\n"
        "These files are synthetic: generated, not published by CEPII, and no statement about "
        "real trade:\n\n"
        f"{listing}\n\n"
        "They have the shape of BACI HS17 yearly files (`t,i,j,k,v,q`), BACI's real country and "
        "HS2017 product codes and "
        + (
            "a seeded random background with an exact planted diversion pattern"
            if planted
            else "seeded random values, at the real files' scale, for benchmarks"
        )
        + " (see `tools/synthetic/README.md`).\n\n"
        f"Generator: `tools/synthetic/baci_panel.py`, seed {seed}. Regenerate with "
        "`uv run python -m tools.synthetic.baci_panel "
        + ("sample --out DIR" if planted else "years ...")
        + "`.\n\n"
        f"The code tables next to them (`{COUNTRY_TABLE}`, `{PRODUCT_TABLE}`) are real CEPII "
        "files, copied unchanged.\n"
    )


def copy_code_tables(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    copied = []
    for table in (COUNTRY_TABLE, PRODUCT_TABLE):
        (out_dir / table).write_bytes((CODE_TABLES_DIR / table).read_bytes())
        copied.append(out_dir / table)
    return copied


def write_sample(out_dir: Path, seed: int = SAMPLE_SEED) -> list[Path]:
    """Write the synthetic panel, one file per year, beside the code tables, and SYNTHETIC.md;
    return the paths written."""
    copy_code_tables(out_dir)
    frame = to_baci_columns(sample_frame(seed))
    written = []
    for year in YEARS:
        path = out_dir / year_file_name(year)
        frame.filter(pl.col("t") == year).write_csv(path)
        written.append(path)
    note = out_dir / "SYNTHETIC.md"
    note.write_text(_synthetic_note([p.name for p in written], seed), encoding="utf-8")
    return [*written, note]


def write_inputs(root: Path, seed: int = SAMPLE_SEED) -> Path:
    """An inputs directory holding the synthetic panel (``trade/baci``) and the bundled sample's
    real sanctions lists: the planted pattern, run end to end. Returns ``root``."""
    write_sample(root / "trade" / "baci", seed)
    shutil.copytree(SAMPLE_INPUTS / "sanctions", root / "sanctions", dirs_exist_ok=True)
    return root


def bundled_codes(baci_dir: Path = CODE_TABLES_DIR) -> tuple[list[int], list[str]]:
    """Country codes (current ones only) and HS2017 codes from the bundled BACI code tables."""
    with (baci_dir / COUNTRY_TABLE).open(encoding="utf-8", newline="") as handle:
        # Names like "USSR (...1990)" mark codes that stopped before our years.
        countries = [
            int(r["country_code"])
            for r in csv.DictReader(handle)
            if "(..." not in r["country_name"]
        ]
    with (baci_dir / PRODUCT_TABLE).open(encoding="utf-8", newline="") as handle:
        products = [r["code"].zfill(6) for r in csv.DictReader(handle)]
    return sorted(countries), sorted(products)


# Value decades of the scale generator, in USD: v runs from 0.010 to 100,000 thousand USD.
_SCALE_DECADES = np.array([1e1, 1e2, 1e3, 1e3, 1e4, 1e4, 1e5, 1e6, 1e7])


def _scale_chunk(
    rng: np.random.Generator,
    idx: np.ndarray,
    year: int,
    countries: np.ndarray,
    products: np.ndarray,
) -> pl.DataFrame:
    n_products, n_partners = products.size, countries.size - 1
    pair, k = np.divmod(idx, n_products)
    i, jr = np.divmod(pair, n_partners)
    j = jr + (jr >= i)  # skip the exporter itself among importers
    u_mantissa, u_decade, u_uv, u_missing = rng.random((4, idx.size))
    decade = _SCALE_DECADES[(u_decade * _SCALE_DECADES.size).astype(np.int64)]
    usd = np.rint((1 + 9 * u_mantissa) * decade).astype(np.int64)
    kg = np.maximum(1, np.rint(usd / (5 + 95 * u_uv))).astype(np.int64)
    return pl.DataFrame(
        {
            "t": np.full(idx.size, year),
            "i": countries[i],
            "j": countries[j],
            "k": products[k],
            "usd": usd,
            "kg": pl.Series(kg).set(pl.Series(u_missing < _MISSING_Q), None),
        },
        schema=_FLOW_SCHEMA,
    )


def write_baci_year(
    path: Path,
    year: int,
    n_rows: int,
    *,
    seed: int = SCALE_SEED,
    countries: Sequence[int] | None = None,
    products: Sequence[str] | None = None,
    chunk_rows: int = 500_000,
) -> int:
    """Write ``n_rows`` distinct (i, j, k) flows of one year in BACI's shape, sorted, in chunks.

    Cells are drawn without replacement from every (exporter, importer != exporter, product)
    of the given code lists (default: the bundled BACI tables), so the row count is exact and
    memory stays bounded by the chunk. Returns the number of rows written.
    """
    if countries is None or products is None:
        default_countries, default_products = bundled_codes()
        countries = default_countries if countries is None else countries
        products = default_products if products is None else products
    country_arr = np.array(sorted(countries), dtype=np.int64)
    product_arr = np.array(sorted(products))
    cells = country_arr.size * (country_arr.size - 1) * product_arr.size
    if not 0 < n_rows <= cells:
        raise ValueError(f"{path}: asked for {n_rows} rows, the code lists allow 1..{cells}")
    if cells >= 10**9:  # numpy's hypergeometric draw takes populations below 1e9
        raise ValueError(f"{path}: {cells} possible cells, more than this generator handles")
    rng = np.random.default_rng(seed)
    block = max(1, cells * chunk_rows // n_rows)
    remaining_cells, remaining_rows, start = cells, n_rows, 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        pl.DataFrame(schema=dict.fromkeys("tijkvq", pl.String)).write_csv(handle)
        while remaining_rows:
            size = min(block, remaining_cells)
            # How many of the rows still to place fall in this block: exact, not an estimate.
            take = int(rng.hypergeometric(size, remaining_cells - size, remaining_rows))
            if take:
                idx = start + np.sort(rng.choice(size, size=take, replace=False))
                chunk = _scale_chunk(rng, idx, year, country_arr, product_arr)
                to_baci_columns(chunk).write_csv(handle, include_header=False)
            start += size
            remaining_cells -= size
            remaining_rows -= take
    return n_rows


def write_baci_years(
    out_dir: Path, years: Sequence[int], n_rows: int, *, seed: int = SCALE_SEED
) -> list[Path]:
    """One file of ``n_rows`` flows per year in ``out_dir`` (named as CEPII names them), beside
    the bundled code tables, so that the folder is a BACI input as a user lays it out. Each
    year has a seed of its own (``seed + year``): the same year has the same bytes whichever
    other years are written with it. A year's file already there is kept (each is written
    under a temporary name and renamed when complete): delete it to write it anew."""
    copy_code_tables(out_dir)
    paths = []
    for year in years:
        path = out_dir / year_file_name(year)
        if not path.exists():
            partial = out_dir.parent / f".{path.name}.partial"
            write_baci_year(partial, year, n_rows, seed=seed + year)
            partial.replace(path)
        paths.append(path)
    (out_dir / "SYNTHETIC.md").write_text(
        _synthetic_note([p.name for p in paths], seed, planted=False), encoding="utf-8"
    )
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    sample = sub.add_parser("sample", help="write the synthetic test panel with code tables")
    sample.add_argument("--out", type=Path, required=True)
    inputs = sub.add_parser("inputs", help="write a whole inputs directory around the panel")
    inputs.add_argument("--out", type=Path, required=True)
    scale = sub.add_parser("scale", help="write one year of N rows for benchmarks")
    scale.add_argument("--year", type=int, required=True)
    scale.add_argument("--rows", type=int, required=True)
    scale.add_argument("--out", type=Path, required=True)
    scale.add_argument("--seed", type=int, default=SCALE_SEED)
    years = sub.add_parser("years", help="write several years of N rows each, with code tables")
    years.add_argument("--first", type=int, required=True)
    years.add_argument("--last", type=int, required=True)
    years.add_argument("--rows", type=int, required=True)
    years.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "years":
        for path in write_baci_years(args.out, range(args.first, args.last + 1), args.rows):
            print(f"wrote {path}")
    elif args.command == "scale":
        written = write_baci_year(args.out, args.year, args.rows, seed=args.seed)
        print(f"wrote {written} rows to {args.out}")
    elif args.command == "inputs":
        print(f"wrote {write_inputs(args.out)}")
    elif args.command == "sample":
        for path in write_sample(args.out):
            print(f"wrote {path}")
    else:
        parser.error("name a command: sample, inputs, scale or years")
    return 0


if __name__ == "__main__":
    sys.exit(main())
