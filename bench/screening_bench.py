"""Screening throughput: N synthetic counterparties against a listed-entity reference.

The counterparties are made deterministically (``--seed``): a fifth are variants of reference
names (typing errors, word order, legal forms, Cyrillic, romanisation), the rest invented company
names (``tools.synthetic.name_variants.random_company_name``) with a country. The run is repeated
at several sizes to show that the cost grows linearly with N. The reference is the shipped
evaluation reference by default, or a warehouse: ``--reference path/to/warehouse.duckdb`` reads
the marts dim_sanctioned_entity / _name / _address / _identifier.

    uv run python -m bench.screening_bench                       # 10k, 50k, 100k on 2 workers
    uv run python -m bench.screening_bench --sizes 20000 --workers 1
    uv run python -m bench.screening_bench --reference <home>/warehouse.duckdb \
        --sizes 100000 --write cp100k.csv     # the file `roundabout screen` is measured on
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

import polars as pl

from orchestration.screening.normalize import normalize_name
from orchestration.screening.reference import load_reference
from orchestration.screening.screen import screen
from tools.synthetic import name_variants

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = ("RU", "CN", "HK", "TR", "AE", "KZ", "KG", "AM", "GE", "DE", "US", "")


def _variant(name: str, rng: random.Random) -> str:
    kind = rng.randrange(6)
    made = None
    if kind == 0:
        made = name_variants.typo(name, rng)
    elif kind == 1:
        made = name_variants.word_order(name, rng)
    elif kind == 2:
        made = name_variants.legal_form_variant(name, "RU", rng)
    elif kind == 3:
        made = name_variants.to_cyrillic(name, rng)
    elif kind == 4:
        made = name_variants.alternative_romanisation(name, rng)
    return made or name


def counterparties(names: list[str], n: int, seed: int) -> pl.DataFrame:
    """``n`` counterparties (id, name, country): 20% variants of ``names``, 80% invented."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        if rng.random() < 0.2:
            name = _variant(rng.choice(names), rng)
        else:
            name = name_variants.random_company_name(rng)
        rows.append((f"c{i:07d}", name, rng.choice(COUNTRIES)))
    return pl.DataFrame(rows, schema=["id", "name", "country"], orient="row")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="screening throughput")
    parser.add_argument("--reference", type=Path, default=ROOT / "data/eval/reference")
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--write", type=Path, help="write the largest size's counterparties to this CSV and stop"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.write:
        names = load_reference(args.reference).entities["primary_name"].to_list()
        counterparties(names, max(sizes), args.seed).write_csv(args.write)
        print(f"{max(sizes):,} counterparties written to {args.write}")
        return

    started = time.perf_counter()
    reference = load_reference(args.reference)
    index = reference.index()
    built = time.perf_counter() - started
    print(
        f"reference {args.reference}: {len(index.entities)} entities, "
        f"{len(index.variants)} names; index built in {built:.1f} s"
    )
    names = reference.entities["primary_name"].to_list()
    frame = counterparties(names, max(sizes), args.seed)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'counterparties':>15}{'matches':>10}{'seconds':>10}{'rows/s':>10}")
    for size in sizes:
        normalize_name.cache_clear()  # every size starts cold, as a real run does
        index.name_cache.clear()
        started = time.perf_counter()
        matches = screen(frame.head(size), index, workers=args.workers)
        elapsed = time.perf_counter() - started
        print(f"{size:>15}{matches.height:>10}{elapsed:>10.1f}{size / elapsed:>10.0f}")


if __name__ == "__main__":
    main()
