"""Precision and recall of the screening engine on a labelled query set.

Counted per query, at one score threshold:

- a positive query (label 1) is a true positive when its expected entity is among the matches at
  or above the threshold, else a false negative; when it matched only other entities it is also
  a false positive (the analyst is sent to the wrong listing);
- a negative query (label 0) is a false positive when anything matched.

Precision = TP / (TP + FP), recall = TP / (TP + FN), F1 their harmonic mean; overall and per
``variant_kind``. Other listings of the same real company (an entity on OFAC and on the UK list)
do not count against a positive query, since its expected entity must only be among the matches.

    uv run python -m tools.eval.evaluate --threshold 0.8 --split test
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from orchestration.screening.index import ScreeningIndex
from orchestration.screening.reference import load_reference
from orchestration.screening.score import DEFAULT_PARAMS, ScoreParams
from orchestration.screening.screen import screen

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_QUERIES = ROOT / "data/eval/queries.csv"
DEFAULT_REFERENCE = ROOT / "data/eval/reference"


@dataclass
class Counts:
    queries: int = 0
    positives: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        # Undefined for a kind made only of negatives: its false-alarm rate says it instead.
        if not self.positives or not self.tp + self.fp:
            return None
        return self.tp / (self.tp + self.fp)

    @property
    def false_alarm_rate(self) -> float:
        """Share of the queries that matched something other than their expected entity."""
        return self.fp / self.queries if self.queries else 0.0

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else None


@dataclass
class EvalResult:
    threshold: float
    overall: Counts
    by_kind: dict[str, Counts] = field(default_factory=dict)
    errors: pl.DataFrame | None = None

    def table(self) -> str:
        def fmt(value: float | None) -> str:
            return "-" if value is None else f"{value:.3f}"

        lines = [
            f"threshold {self.threshold:.2f}",
            f"{'kind':<22}{'queries':>8}{'TP':>6}{'FP':>6}{'FN':>6}"
            f"{'precision':>11}{'recall':>8}{'F1':>7}{'FP rate':>9}",
        ]
        for kind, c in [*sorted(self.by_kind.items()), ("overall", self.overall)]:
            lines.append(
                f"{kind:<22}{c.queries:>8}{c.tp:>6}{c.fp:>6}{c.fn:>6}"
                f"{fmt(c.precision):>11}{fmt(c.recall):>8}{fmt(c.f1):>7}"
                f"{c.false_alarm_rate:>9.3f}"
            )
        return "\n".join(lines)


def _counterparties(queries: pl.DataFrame) -> pl.DataFrame:
    frame = queries.select(
        pl.col("query_id").alias("id"),
        pl.col("query_name").alias("name"),
        pl.col("country").fill_null(""),
    )
    if "birth_date" not in queries.columns:
        return frame
    # A date of birth is a column the counterparty reader does not check: the frame is handed
    # over as read (country blank -> null, lines numbered) with the date beside it.
    return frame.with_columns(
        pl.when(pl.col("country") == "").then(None).otherwise(pl.col("country")).alias("country"),
        queries["birth_date"].replace("", None).alias("date_of_birth"),
        pl.int_range(1, queries.height + 1).alias("source_line"),
        pl.lit(None, pl.String).alias("address"),
        pl.lit(None, pl.String).alias("type"),
    )


def evaluate(
    queries: pl.DataFrame,
    index: ScreeningIndex,
    threshold: float = DEFAULT_PARAMS.review,
    params: ScoreParams = DEFAULT_PARAMS,
    workers: int = 1,
) -> EvalResult:
    """Score every query and count TP/FP/FN at ``threshold`` (module docstring)."""
    run_params = replace(params, review=threshold, alert=max(threshold, params.alert))
    matches = screen(_counterparties(queries), index, run_params, workers)
    matched: dict[str, set[str]] = {}
    for query_id, key in matches.select("counterparty_id", "entity_key").iter_rows():
        matched.setdefault(query_id, set()).add(key)
    overall, by_kind, errors = Counts(), {}, []
    for row in queries.iter_rows(named=True):
        keys = matched.get(row["query_id"], set())
        counts = by_kind.setdefault(row["variant_kind"], Counts())
        hit = str(row["label"]) == "1" and row["expected_entity_key"] in keys
        wrong = bool(keys) and not hit
        missed = str(row["label"]) == "1" and not hit
        for c in (overall, counts):
            c.queries += 1
            c.positives += str(row["label"]) == "1"
            c.tp += hit
            c.fp += wrong
            c.fn += missed
        if wrong or missed:
            errors.append((row["query_id"], row["variant_kind"], row["query_name"],
                           row["expected_entity_key"] or "", ";".join(sorted(keys))))  # fmt: skip
    table = pl.DataFrame(
        errors, schema=["query_id", "kind", "query_name", "expected", "matched"], orient="row"
    )
    return EvalResult(threshold, overall, by_kind, table)


def load_queries(path: Path | str = DEFAULT_QUERIES, split: str | None = None) -> pl.DataFrame:
    queries = pl.read_csv(path, infer_schema=False, null_values=[])
    return queries.filter(pl.col("split") == split) if split else queries


def main(argv: list[str] | None = None) -> EvalResult:
    parser = argparse.ArgumentParser(description="Screening precision/recall on labelled queries")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--threshold", type=float, default=DEFAULT_PARAMS.review)
    parser.add_argument("--split", choices=("dev", "test"), default=None)
    parser.add_argument("--errors", type=Path, default=None, help="write missed/wrong queries")
    args = parser.parse_args(argv)
    index = load_reference(args.reference).index()
    result = evaluate(load_queries(args.queries, args.split), index, args.threshold)
    print(result.table())
    if args.errors is not None and result.errors is not None:
        result.errors.write_csv(args.errors)
    return result


if __name__ == "__main__":
    main()
