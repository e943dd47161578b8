"""A dev-only stress set of typing errors, for choices the dev split alone cannot inform.

The dev split holds one typo per listed name, made by one rule (``name_variants.typo``: inside
words of five letters or more, never the first letter). People type otherwise too: the first
letter wrong, a short word mistyped, a space dropped or added, the legal form mistyped, and a
typo on top of another change. This set applies each of those to the primary name of every
listed organisation and person the dev split of ``data/eval/queries.csv`` is about, and keeps
the dev split's own negatives beside them (and those negatives with a typo of their own, since
a tolerance for typos must not turn an unlisted name into a listed one).

Deterministic: one ``random.Random(f"{seed}:{entity}:{kind}")`` per variant, so a seed gives
the same file on every machine. The test split is never read.

    uv run python -m tools.eval.typo_stress --out /tmp/typo_stress.csv --seeds 1
    uv run python -m tools.eval.evaluate --queries /tmp/typo_stress.csv --threshold 0.85
"""

from __future__ import annotations

import argparse
import random
import re
import string
from collections.abc import Callable
from pathlib import Path

import polars as pl

from orchestration.screening.legal_forms import LEGAL_FORMS
from orchestration.screening.normalize import fold
from tools.synthetic import name_variants

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "data/eval/queries.csv"
REFERENCE = ROOT / "data/eval/reference"

# Neighbouring keys on a QWERTY keyboard (the rows as staggered on a standard keyboard).
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_OFFSET = (0.0, 0.25, 0.75)


def _keyboard() -> dict[str, str]:
    place = {k: (r, _OFFSET[r] + c) for r, row in enumerate(_ROWS) for c, k in enumerate(row)}
    return {
        k: "".join(
            o for o, (r2, x2) in place.items() if o != k and abs(r - r2) <= 1 and abs(x - x2) < 1.01
        )  # fmt: skip
        for k, (r, x) in place.items()
    }


KEYBOARD = _keyboard()
_WORD = re.compile(r"[^\W\d_]+")


def _case(template: str, letter: str) -> str:
    return letter.upper() if template.isupper() else letter


def edit(word: str, i: int, op: str, rng: random.Random) -> str:
    """``word`` with one typing error of kind ``op`` at letter ``i``."""
    c = word[i]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "double":
        return word[:i] + c + word[i:]
    if op == "transpose":
        j = i if i + 1 < len(word) else i - 1
        return word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    if op == "key":
        near = KEYBOARD.get(c.lower()) or string.ascii_lowercase
        return word[:i] + _case(c, rng.choice(near)) + word[i + 1 :]
    if op == "insert":  # a neighbouring key struck as well
        near = KEYBOARD.get(c.lower()) or string.ascii_lowercase
        return word[:i] + _case(c, rng.choice(near)) + word[i:]
    if op == "substitute":  # any other letter
        other = rng.choice([x for x in string.ascii_lowercase if x != c.lower()])
        return word[:i] + _case(c, other) + word[i + 1 :]
    raise ValueError(op)


OPS = ("drop", "double", "transpose", "key", "insert", "substitute")


def _spans(name: str, keep: Callable[[str], bool]) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(name) if keep(m.group())]


# The words of the legal-form table as written there, not as the engine reads a name: the set
# must not change when the engine learns to read a mistyped form.
FORM_WORDS = frozenset(
    word
    for form in LEGAL_FORMS
    for variant in form.variants
    if variant.isascii()  # Latin forms only: Han forms fold to syllables of names ("xian")
    for word in fold(variant).split()
)


def _is_form(word: str) -> bool:
    return fold(word) in FORM_WORDS


def mistype(
    name: str,
    rng: random.Random,
    ops: tuple[str, ...] = OPS,
    keep: Callable[[str], bool] = lambda w: len(w) >= 3,
    first: bool = False,
) -> str | None:
    """One typing error of one of ``ops`` in a word ``keep`` accepts (at its first letter when
    ``first``); None when the name has no such word."""
    spans = _spans(name, keep)
    if not spans:
        return None
    start, end = rng.choice(spans)
    word = name[start:end]
    i = 0 if first else rng.randrange(len(word))
    return name[:start] + edit(word, i, rng.choice(ops), rng) + name[end:]


def _twice(name: str, rng: random.Random) -> str | None:
    once = mistype(name, rng)
    return mistype(once, rng) if once else None


def _space_dropped(name: str, rng: random.Random) -> str | None:
    gaps = [m.start() for m in re.finditer(r"(?<=[^\W\d_]) (?=[^\W\d_])", name)]
    if not gaps:
        return None
    i = rng.choice(gaps)
    return name[:i] + name[i + 1 :]


def _space_added(name: str, rng: random.Random) -> str | None:
    spans = _spans(name, lambda w: len(w) >= 6)
    if not spans:
        return None
    start, end = rng.choice(spans)
    i = rng.randrange(start + 2, end - 1)
    return name[:i] + " " + name[i:]


def _form_dropped(name: str) -> str | None:
    kept = [w for w in re.split(r"\s+", name) if not _is_form(w.strip(".,()\"'"))]
    out = " ".join(kept).strip(" ,")
    return out if out and out != name.strip() else None


def _case_punct(name: str, rng: random.Random) -> str:
    plain = re.sub(r"[.,\"'()]", "", name)
    plain = re.sub(r"\s+", " ", plain).strip()
    return rng.choice((plain.lower(), plain.title(), name.lower(), name.title()))


def _then(first, second):
    def both(name: str, rng: random.Random) -> str | None:
        out = first(name, rng)
        return second(out, rng) if out else None

    return both


# kind -> how the variant is made from a listed name; a kind that returns None is skipped.
KINDS: dict[str, Callable[[str, random.Random], str | None]] = {
    "edit1": mistype,
    "edit2": _twice,
    "first_letter": lambda n, r: mistype(n, r, keep=lambda w: len(w) >= 4, first=True),
    "qwerty": lambda n, r: mistype(n, r, ops=("key",)),
    "transpose": lambda n, r: mistype(n, r, ops=("transpose",)),
    "drop": lambda n, r: mistype(n, r, ops=("drop",), keep=lambda w: len(w) >= 4),
    "double": lambda n, r: mistype(n, r, ops=("double",)),
    "space_dropped": _space_dropped,
    "space_added": _space_added,
    "short_word": lambda n, r: mistype(n, r, keep=lambda w: 4 <= len(w) <= 5 and not _is_form(w)),
    "in_legal_form": lambda n, r: mistype(n, r, keep=lambda w: len(w) >= 3 and _is_form(w)),
    # the other change on the listed name first (it reads the name's legal form), then the typo
    "with_word_order": _then(name_variants.word_order, mistype),
    "with_form_changed": _then(lambda n, r: name_variants.legal_form_variant(n, None, r), mistype),
    "with_form_dropped": _then(lambda n, r: _form_dropped(n), mistype),
    "with_case_punct": _then(mistype, _case_punct),
}
# persons have no legal form
PERSON_KINDS = ("edit1", "edit2", "first_letter", "qwerty", "transpose", "drop", "double",
                "space_dropped", "short_word", "with_word_order", "with_case_punct")  # fmt: skip


def build(seeds: list[int], queries_path: Path = QUERIES) -> pl.DataFrame:
    queries = pl.read_csv(queries_path, infer_schema=False, null_values=[])
    dev = queries.filter(pl.col("split") == "dev")
    keys = set(dev.filter(pl.col("label") == "1")["expected_entity_key"].to_list())
    entities = (
        pl.read_parquet(REFERENCE / "entities.parquet")
        .filter(pl.col("entity_key").is_in(keys))
        .sort("entity_key")
    )
    rows = []
    for seed in seeds:
        for key, schema, name in entities.select("entity_key", "schema", "primary_name").rows():
            if schema == "vessel":
                continue
            person = schema == "person"
            for kind, make in KINDS.items():
                if person and kind not in PERSON_KINDS:
                    continue
                out = make(name, random.Random(f"{seed}:{key}:{kind}"))
                if not out or fold(out) == fold(name):
                    continue
                label = ("person_" if person else "org_") + kind
                rows.append((f"s{seed}:{key}:{kind}", out, "", "", key, "1", label))
        # the dev split's negatives, as they are once and with a typo per seed
        negatives = dev.filter(pl.col("label") == "0")
        # (a date of birth is part of the near_miss_person_birth_date negatives)
        for qid, name, country, born, kind in negatives.select(
            "query_id", "query_name", "country", "birth_date", "variant_kind"
        ).rows():
            if seed == seeds[0]:
                rows.append((qid, name, country, born, "", "0", "neg_" + kind))
            out = mistype(name, random.Random(f"{seed}:{qid}:neg"))
            if out and fold(out) != fold(name):
                rows.append((f"s{seed}:{qid}", out, country, born, "", "0", "neg_typo_" + kind))
    frame = pl.DataFrame(
        rows,
        schema=[
            "query_id",
            "query_name",
            "country",
            "birth_date",
            "expected_entity_key",
            "label",
            "variant_kind",
        ],  # fmt: skip
        orient="row",
    )
    return frame.with_columns(pl.lit("dev").alias("split"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="dev-only typing-error stress set")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    args = parser.parse_args(argv)
    frame = build(args.seeds)
    frame.write_csv(args.out)
    print(f"{frame.height} queries -> {args.out}")


if __name__ == "__main__":
    main()
