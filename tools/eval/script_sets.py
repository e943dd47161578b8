"""Recall on names written in Han characters or Arabic script, against their listings' Latin names.

The lists themselves give the pairs: Canada SEMA and the UN write the Chinese name of some
listed companies beside the English one (``深圳市羅約科技有限公司`` for Shenzhen Royo Technology Co
Limited), and the UN gives the Arabic original of some organisations (``القاعدة`` for Al-Qaida).
Each such name is a query; the reference is the evaluation reference with every name in that
script taken out, so the query can only reach its listing through transliteration (Han to
Pinyin with pypinyin, Arabic with anyascii) and the Latin names. Too few pairs exist in the
lists for a dev/test split: the sets are reported whole and were not used to tune anything.

    uv run python -m tools.eval.script_sets
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration.screening.index import ScreeningIndex
from orchestration.screening.score import DEFAULT_PARAMS
from orchestration.screening.screen import screen

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = {"han": r"[\u4e00-\u9fff]", "arabic": r"[\u0600-\u06ff]"}
# The name in that script alone: Canada writes some aliases as one field of several names
# ("Siyamak Rahpeyk, ..., سيامک ره‌پيک", "PTI, 保利科技有限公司"); the query is the part in the
# script.
SEGMENTS = {
    "han": r"[\u4e00-\u9fff][\u4e00-\u9fff()（）\s]*",
    "arabic": r"[\u0600-\u06ff][\u0600-\u06ff\u200c\s]*",
}


@dataclass
class ScriptResult:
    script: str
    queries: int
    found: int
    wrong: int  # queries that matched some other listing only
    misses: list[tuple[str, str]]
    decoys: int = 0  # names made of two listed names' words (below): none should match
    decoy_alarms: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.queries if self.queries else 0.0


def script_set(reference: Path, script: str, threshold: float = DEFAULT_PARAMS.review):
    frames = {
        part: pl.read_parquet(reference / f"{part}.parquet")
        for part in ("entities", "names", "addresses", "identifiers")
    }
    names = frames["names"]
    in_script = pl.col("name").str.contains(SCRIPTS[script])
    pairs = names.filter(in_script).unique(["entity_key", "name"], maintain_order=True)
    # Only listings that keep a name in another script can be found at all.
    others = names.filter(~in_script).select("entity_key").unique()
    pairs = (
        pairs.join(others, on="entity_key", how="semi")
        .with_columns(pl.col("name").str.extract(f"({SEGMENTS[script]})").str.strip_chars())
        .unique(["entity_key", "name"], maintain_order=True)
    )
    index = ScreeningIndex.from_frames(
        frames["entities"], names.filter(~in_script), frames["addresses"], frames["identifiers"]
    )
    queries = pl.DataFrame(
        {"id": [f"s{i}" for i in range(pairs.height)], "name": pairs["name"].to_list()}
    )
    params = DEFAULT_PARAMS.__class__(review=threshold, alert=max(threshold, 0.90))
    matches = screen(queries, index, params)
    matched: dict[str, set[str]] = {}
    for query_id, key in matches.select("counterparty_id", "entity_key").iter_rows():
        matched.setdefault(query_id, set()).add(key)
    found = wrong = 0
    misses = []
    for query_id, (key, name) in zip(
        queries["id"], pairs.select("entity_key", "name").iter_rows(), strict=True
    ):
        keys = matched.get(query_id, set())
        if key in keys:
            found += 1
        else:
            wrong += bool(keys)
            misses.append((name, key))
    decoy_names = decoys(pairs["name"].to_list())
    alarms = 0
    if decoy_names:
        frame = pl.DataFrame(
            {"id": [f"d{i}" for i in range(len(decoy_names))], "name": decoy_names}
        )
        alarms = screen(frame, index, params)["counterparty_id"].n_unique()
    return ScriptResult(script, pairs.height, found, wrong, misses, len(decoy_names), alarms)


def decoys(names: list[str]) -> list[str]:
    """Names no listing should match, for the false-alarm rate: the first word of one listed
    name in the script with the last word of the next different one (as the negatives
    ``near_miss_person`` of the evaluation set pair a listed surname with another listed
    person's given name). Only for scripts written with spaces (not Han)."""
    spaced = list(dict.fromkeys(n for n in names if len(n.split()) >= 2))
    made = []
    for name, other in zip(spaced, spaced[1:] + spaced[:1], strict=True):
        first, last = name.split()[0], other.split()[-1]
        if first != other.split()[0] and last != name.split()[-1]:
            made.append(f"{first} {last}")
    listed = set(names)
    return [m for m in dict.fromkeys(made) if m not in listed]


def main(argv: list[str] | None = None) -> list[ScriptResult]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=ROOT / "data/eval/reference")
    parser.add_argument("--threshold", type=float, default=DEFAULT_PARAMS.review)
    args = parser.parse_args(argv)
    results = [script_set(args.reference, s, args.threshold) for s in SCRIPTS]
    for result in results:
        print(
            f"{result.script:<8} queries {result.queries:>3}  found {result.found:>3}  "
            f"recall {result.recall:.3f}  other listing only {result.wrong}  "
            f"decoys {result.decoys} matched {result.decoy_alarms}"
        )
        for name, key in result.misses:
            print(f"    missed {name}  ({key})")
    return results


if __name__ == "__main__":
    main()
