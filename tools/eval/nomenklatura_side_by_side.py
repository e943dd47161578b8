"""Side-by-side with nomenklatura's ``logic-v2`` on the labelled screening set.

nomenklatura (the OpenSanctions matcher, as yente runs it) compares two FollowTheMoney entities
and has no candidate search of its own, so both engines score the same candidates: the listed
entities that this project's blocking (``index.py``) finds for each query. Two steps, because
nomenklatura needs PyICU and the rigour/normality stack, which the project does not depend on:

1. in the project's environment, write the candidates of each query (JSON lines):

       uv run python -m tools.eval.nomenklatura_side_by_side export --split test --out pairs.jsonl

2. in an environment with nomenklatura installed (``pip install nomenklatura``), score them:

       python tools/eval/nomenklatura_side_by_side.py score pairs.jsonl --threshold 0.7

It prints precision and recall per kind at the threshold, counted as ``tools.eval.evaluate``
counts them (a positive is found when its expected entity scores at or above the threshold; a
query that matched only other entities is also a false positive).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path


def export(split: str | None, out: Path) -> None:
    from orchestration.screening.normalize import normalize_name
    from orchestration.screening.reference import load_reference
    from tools.eval.evaluate import DEFAULT_QUERIES, DEFAULT_REFERENCE, load_queries

    index = load_reference(DEFAULT_REFERENCE).index()
    queries = load_queries(DEFAULT_QUERIES, split)
    with out.open("w", encoding="utf-8") as handle:
        for row in queries.iter_rows(named=True):
            candidates = []
            for e in index.candidates(normalize_name(row["query_name"]), {}):
                entity = index.entities[e]
                candidates.append(
                    {
                        "key": entity.key,
                        "schema": entity.schema,
                        "names": [index.variants[v].name for v in index.entity_variants[e]],
                        "birth_dates": list(entity.birth_dates),
                        "countries": sorted(index.countries[e]),
                    }
                )
            handle.write(json.dumps({**row, "candidates": candidates}, ensure_ascii=False) + "\n")


_SCHEMAS = {"person": "Person", "organization": "Organization", "vessel": "Vessel"}


def score(path: Path, threshold: float) -> None:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig

    algorithm = get_algorithm("logic-v2")
    config = ScoringConfig.defaults()

    def entity(schema: str, names: list[str], births=(), countries=(), id_="x"):
        proxy = model.make_entity(schema)
        proxy.id = id_
        proxy.add("name", names)
        if schema == "Person":
            proxy.add("birthDate", list(births))
            proxy.add("country", [c.lower() for c in countries])
        elif countries:
            proxy.add("country", [c.lower() for c in countries])
        return proxy

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # queries tp fp fn
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        keys = set()
        for c in row["candidates"]:
            schema = _SCHEMAS.get(c["schema"], "LegalEntity")
            query_schema = "Person" if schema == "Person" else "LegalEntity"
            query = entity(
                query_schema,
                [row["query_name"]],
                [row["birth_date"]] if row.get("birth_date") else (),
                [row["country"]] if row.get("country") else (),
                # nomenklatura keeps what it worked out of a name by entity id: one id per query
                row["query_id"],
            )
            result = entity(schema, c["names"], c["birth_dates"], c["countries"], c["key"])
            value = algorithm.compare(query, result, config).score
            if value >= threshold:
                keys.add(c["key"])
        positive = str(row["label"]) == "1"
        hit = positive and row["expected_entity_key"] in keys
        for kind in (row["variant_kind"], "overall"):
            c = counts[kind]
            c[0] += 1
            c[1] += hit
            c[2] += bool(keys) and not hit
            c[3] += positive and not hit
    print(f"logic-v2 at {threshold}")
    print(f"{'kind':<32}{'queries':>8}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}")
    for kind in sorted(counts, key=lambda k: (k == "overall", k)):
        q, tp, fp, fn = counts[kind]
        p = f"{tp / (tp + fp):.3f}" if tp + fp and tp + fn else "-"
        r = f"{tp / (tp + fn):.3f}" if tp + fn else "-"
        print(f"{kind:<32}{q:>8}{tp:>6}{fp:>6}{fn:>6}{p:>11}{r:>8}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    e = sub.add_parser("export")
    e.add_argument("--split", choices=("dev", "test"), default=None)
    e.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("score")
    s.add_argument("pairs", type=Path)
    s.add_argument("--threshold", type=float, default=0.7)
    args = parser.parse_args(argv)
    if args.step == "export":
        export(args.split, args.out)
    else:
        score(args.pairs, args.threshold)


if __name__ == "__main__":
    sys.exit(main())
