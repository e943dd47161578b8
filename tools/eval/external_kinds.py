"""Query kinds of the screening evaluation set taken from outside the reference release.

Added after the kinds of :mod:`tools.eval.analyst_kinds` (so the earlier queries stay as they
were):

- ``alias_earlier_release``: a name an OFAC SDN entity still listed on 2023-12-28 carried in
  the 2021-04-25 release (``alt.csv`` a.k.a./f.k.a./n.k.a. rows, or its primary name then) and
  that none of its 2023 names equals once normalised. The reference holds the 2023 release
  only, so these measure what name matching finds without the earlier release's alias file
  (the warehouse carries that file forward; then these names are in the index as written);
- ``registry_form``: the listed name as a company register writes it: the legal form spelled
  out in full (in Cyrillic and in quotes for the Russian sphere, as the Unified State Register
  EGRUL does: ``ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "АРКТИК ЛОГИСТИК"``; elsewhere the
  long English form, upper case), ``OOO`` for ``LLC`` and back, and the tax number in the name
  where the listing has one (``..., ИНН 7701234567``);
- ``combined``: two perturbations of the kinds above on one name (typo, word order, spacing,
  abbreviation, legal form written another way, romanisation, cut at 35/50 characters).
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from orchestration.screening.legal_forms import BY_CODE
from orchestration.screening.normalize import fold, normalize_name
from tools.eval.analyst_kinds import _abbreviated, _truncated
from tools.synthetic import name_variants

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_INN = re.compile(r"^\d{10}(\d{2})?$")


def _null(value: str) -> str:
    value = value.strip()
    return "" if value == "-0-" else value


def _ofac_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="cp1252").replace("\x1a", "")
    return [[_null(v) for v in row] for row in csv.reader(text.splitlines())]


def earlier_release_names(lists: Path) -> dict[str, list[str]]:
    """OFAC ent_num -> the names of the 2021-04-25 release (primary first, then alt.csv)."""
    release = lists / "ofac_sdn/2021-04-25"
    names: dict[str, list[str]] = {}
    # A lists folder without that release (a test's tiny lists) gives no queries of this kind.
    if (release / "sdn.csv").exists():
        for row in _ofac_rows(release / "sdn.csv"):
            if len(row) == 12 and row[1]:
                names.setdefault(row[0], []).append(row[1])
    if (release / "alt.csv").exists():
        for row in _ofac_rows(release / "alt.csv"):
            if len(row) >= 4 and row[3]:
                names.setdefault(row[0], []).append(row[3])
    return names


def _earlier_alias(record, earlier: dict[str, list[str]], rng: random.Random) -> str | None:
    if record.list != "ofac_sdn" or record.source_id not in earlier:
        return None
    current = {normalize_name(n).sorted_text for n in [record.primary_name, *dict(record.names)]}
    options = [
        n
        for n in earlier[record.source_id]
        if normalize_name(n).sorted_text not in current and normalize_name(n).tokens
    ]
    return rng.choice(options) if options else None


def _full_form(code: str, cyrillic: bool) -> str | None:
    variants = [
        v for v in BY_CODE[code].variants if bool(_CYRILLIC.search(v)) == cyrillic and " " in v
    ]
    return max(variants, key=len) if variants else None


def _inn(record) -> str | None:
    for id_type, value in record.ids:
        digits = re.sub(r"\D", "", value)
        if id_type.lower().startswith("tax") and _INN.match(digits):
            return digits
    return None


def _registry_form(record, russian_sphere: set[str], rng: random.Random) -> str | None:
    norm = normalize_name(record.primary_name)
    codes = [c for c in norm.legal_forms if BY_CODE[c].family != "generic"]
    if not norm.tokens:
        return None
    russian = bool(record.countries() & russian_sphere)
    code = codes[0] if codes else ("llc" if russian else None)
    if code is None:
        return None
    inn = _inn(record) if russian else None
    if russian and rng.random() < 0.6:
        cyrillic = name_variants.to_cyrillic(" ".join(norm.tokens), rng)
        form = _full_form(code, cyrillic=True)
        if cyrillic and form:
            name = f'{form.upper()} "{cyrillic.upper()}"'
            return f"{name}, ИНН {inn}" if inn else name
    if russian and code == "llc" and rng.random() < 0.5:
        # OOO and LLC are one form; registers and customers write either.
        short = "LLC" if " ooo " in f" {fold(record.primary_name)} " else "OOO"
        name = f'{short} "{" ".join(norm.tokens).upper()}"'
    else:
        form = _full_form(code, cyrillic=False)
        if not form:
            return None
        name = f"{' '.join(norm.tokens).upper()} {form.upper()}"
        if russian:
            name = f'{form.upper()} "{" ".join(norm.tokens).upper()}"'
    return f"{name} (INN {inn})" if inn else name


def _combined(record, russian_sphere: set[str], rng: random.Random) -> str | None:
    name = record.primary_name
    country = next(iter(sorted(record.countries())), None)
    steps = {
        "typo": lambda n: name_variants.typo(n, rng, 1),
        "word_order": lambda n: name_variants.word_order(n, rng),
        "spacing": lambda n: name_variants.spacing(n, rng),
        "abbreviation": lambda n: _abbreviated(n, rng),
        "legal_form": lambda n: name_variants.legal_form_variant(n, country, rng),
        "truncation": lambda n: _truncated(n, rng),
    }
    if record.countries() & russian_sphere:
        steps["translit"] = lambda n: name_variants.alternative_romanisation(n, rng)
    # A cut comes last: the other changes are made on the whole name, as a file would hold it.
    first, second = rng.sample(sorted(steps), 2)
    if first == "truncation":
        first, second = second, first
    out = steps[first](name)
    out = steps[second](out) if out else None
    return out if out and fold(out) != fold(name) else None


def external_rows(records, rng, per_kind, query_row, split, russian_sphere, lists: Path):
    """Positive rows of the kinds above (``query_row(name, country, record, label, kind, split,
    birth_date)`` builds one row)."""
    rows = []
    earlier = earlier_release_names(lists)
    listed = [r for r in records if r.list == "ofac_sdn" and r.schema in ("organization", "person")]
    orgs = [r for r in records if r.schema == "organization" and len(fold(r.primary_name)) >= 5]
    rng.shuffle(listed)
    rng.shuffle(orgs)

    def take(pool, kind, make):
        made = 0
        for record in pool:
            if made >= per_kind:
                break
            name = make(record)
            if name and fold(name):
                country = sorted(record.countries())
                picked = rng.choice(country) if country and rng.random() < 0.5 else None
                rows.append(query_row(name, picked, record, 1, kind, split(record.key), None))
                made += 1

    take(listed, "alias_earlier_release", lambda r: _earlier_alias(r, earlier, rng))
    take(orgs, "registry_form", lambda r: _registry_form(r, russian_sphere, rng))
    take(orgs, "combined", lambda r: _combined(r, russian_sphere, rng))
    return rows
