"""Query kinds of the screening evaluation set that follow how analysts write names.

Added to the kinds of :mod:`tools.eval.build_screening_eval` (which calls :func:`analyst_rows`
after its own, so the earlier queries stay as they were):

- persons, from the individuals of OFAC SDN (surname before the comma, date of birth in the
  remarks), the UK list (surname in capitals) and Canada SEMA (LastName, GivenName fields);
- organisations with words abbreviated, names cut at 35 or 50 characters, a city or region left
  out;
- Cyrillic names romanised under the standards of lists and registries (``iuliia``'s
  tables: BGN/PCGN, ICAO Doc 9303, GOST 7.79 system B, ALA-LC, and Telegram's informal one);
  from the listing's own Cyrillic name where it has one, else from the Russian name written
  back in Cyrillic;
- negatives: persons built from real given names and surnames of the lists (never a listed
  pair), a listed surname with another listed given name, and a listed person's full name with
  a date of birth ten years off (another person by the file's own evidence).
"""

from __future__ import annotations

import random
import re

import iuliia

from orchestration.screening.abbreviations import ENGLISH
from orchestration.screening.countries import is_place_word
from orchestration.screening.fingerprint import fingerprint
from orchestration.screening.normalize import fold, normalize_name
from tools.synthetic import name_variants

STANDARDS = {
    "translit_bgn_pcgn": "bgn_pcgn",
    "translit_icao": "icao_doc_9303",
    "translit_gost_779": "gost_779_alt",
    "translit_ala_lc": "ala_lc",
    "translit_informal": "telegram",
}
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")

# canonical word -> its abbreviations (the inverse of the engine's vocabulary, English only)
_ABBREVIATIONS: dict[str, list[str]] = {}
for _short, _long in ENGLISH.items():
    if len(_short) < len(_long) and _short.isalpha():
        _ABBREVIATIONS.setdefault(_long, []).append(_short.upper())


def person_parts(record) -> tuple[list[str], list[str]] | None:
    """(surname words, given words) from the list's structure, or None."""
    name = record.primary_name
    if "," in name:
        surname, given = name.split(",", 1)
        return surname.split(), given.split()
    words = name.split()
    upper = [w for w in words if w.isupper()]
    if upper and len(upper) < len(words) and words[: len(upper)] == upper:
        return upper, words[len(upper) :]
    return None


def _abbreviated(name: str, rng: random.Random) -> str | None:
    words = name.split()
    out, changed = [], False
    for word in words:
        key = fold(word)
        options = _ABBREVIATIONS.get(key) or _ABBREVIATIONS.get(key.rstrip("s"))
        if options and (not changed or rng.random() < 0.7):
            short = rng.choice(sorted(options))
            out.append(short + ("." if rng.random() < 0.3 else ""))
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


def _truncated(name: str, rng: random.Random) -> str | None:
    widths = [w for w in (35, 50) if len(name) > w + 4]
    if not widths:
        return None
    return name[: rng.choice(widths)].rstrip()


def _without_place(name: str) -> str | None:
    words = name.split()
    kept = [w for w in words if not (is_place_word(fold(w)) and len(fold(w)) >= 4)]
    if len(kept) == len(words) or len(normalize_name(" ".join(kept)).tokens) < 2:
        return None
    return " ".join(kept)


def _romanised(record, standard: str, rng: random.Random) -> str | None:
    cyrillic = [n for n, _ in record.names if _CYRILLIC.search(n)]
    source = cyrillic[0] if cyrillic else name_variants.to_cyrillic(_person_or_name(record), rng)
    if not source:
        return None
    return iuliia.schemas.get(standard).translate(source)


def _person_or_name(record) -> str:
    parts = person_parts(record) if record.schema == "person" else None
    if parts:
        surname, given = parts
        return " ".join([*given, *surname]).title()
    return record.primary_name


def analyst_rows(records, rng: random.Random, per_kind: int, query_row, split, russian_sphere):
    """Positive and negative rows of the kinds above (``query_row(name, country, record, label,
    kind, split, birth_date)`` builds one row)."""
    rows = []
    persons = [r for r in records if r.schema == "person" and person_parts(r)]
    orgs = [r for r in records if r.schema == "organization" and len(fold(r.primary_name)) >= 5]
    rng.shuffle(persons)
    rng.shuffle(orgs)

    def take(pool, kind, make, limit=per_kind):
        made = 0
        for record in pool:
            if made >= limit:
                break
            made_name = make(record)
            if not made_name:
                continue
            name, birth = made_name if isinstance(made_name, tuple) else (made_name, None)
            if fold(name):
                rows.append(query_row(name, None, record, 1, kind, split(record.key), birth))
                made += 1

    take(orgs, "abbreviation", lambda r: _abbreviated(r.primary_name, rng))
    take(orgs, "truncation", lambda r: _truncated(r.primary_name, rng))
    take(orgs, "partial_place", lambda r: _without_place(r.primary_name))

    def order(record):
        surname, given = person_parts(record)
        return " ".join([*given, *surname]).title()

    def partial(record):
        surname, given = person_parts(record)
        if len(given) < 2:
            return None
        return f"{given[0]} {' '.join(surname)}".title()

    def initials(record):
        surname, given = person_parts(record)
        if rng.random() < 0.5:
            return f"{given[0][0]}. {' '.join(surname)}".title()
        return f"{' '.join(surname).title()} {''.join(g[0].upper() + '.' for g in given)}"

    def alias(record):
        names = [n for n, k in record.names if k in ("alias", "former") and len(n.split()) >= 2]
        return rng.choice(names) if names else None

    def with_birth(record):
        dates = [d for d in record.birth_dates if len(d) == 10]
        name = partial(record)
        return (name, dates[0]) if dates and name else None

    take(persons, "person_word_order", order)
    take(persons, "person_partial", partial)
    take(persons, "person_initials", initials)
    take(persons, "person_alias", alias)
    take(persons, "person_partial_with_birth_date", with_birth)
    russian = [r for r in persons + orgs if r.countries() & russian_sphere]
    for kind, standard in STANDARDS.items():
        take(russian, kind, lambda r, s=standard: _romanised(r, s, rng))
    everyone = [r for r in records if r.schema == "person"]
    rows += _person_negatives(persons, everyone, rng, per_kind, query_row, split)
    return rows


def _person_negatives(persons, everyone, rng, per_kind, query_row, split):
    rows = []
    listed = set()
    surnames, givens = [], []
    for record in persons:
        surname, given = person_parts(record)
        listed.add((fold(" ".join(surname)), fold(given[0]) if given else ""))
        surnames.append(" ".join(surname).title())
        if given:
            givens.append(given[0].title())
    listed_surnames = {fold(s) for s in surnames}

    def add(name, kind, group, birth=None):
        rows.append(query_row(name, None, None, 0, kind, split(group), birth))

    made = attempts = 0
    while made < per_kind and attempts < 50 * per_kind and surnames and givens:
        attempts += 1
        surname, given = rng.choice(surnames), rng.choice(givens)
        if fold(surname) in listed_surnames and (fold(surname), fold(given)) in listed:
            continue
        # Another listed person's surname with someone else's given name: the same family
        # name is common (Ivanov), the person is not.
        add(f"{given} {surname}", "near_miss_person", surname + given)
        made += 1
    # A person listed on several lists is one real person: a listing without a date of birth
    # would rightly match the name, so these negatives use names listed once.
    # Counted over every listed person, structured or not ("Pourfarzaneh Hossein" on the UK
    # list, "POURFARZANEH, Hossein" on OFAC's), on word fingerprints, so that "Ponomaryov" and
    # "Ponomarev" count as one person listed twice.
    word_sets = [{fingerprint(w) for w in fold(r.primary_name).split()} for r in everyone]

    def listed_times(record) -> int:
        surname, given = person_parts(record)
        wanted = {fingerprint(w) for w in fold(" ".join(surname)).split()}
        initial = fold(given[0])[:1] if given else ""
        return sum(
            1 for words in word_sets if wanted <= words and any(w[:1] == initial for w in words)
        )

    made = 0
    for record in persons:
        if made >= per_kind:
            break
        dates = [d for d in record.birth_dates if len(d) == 10]
        surname, given = person_parts(record)
        if not dates or not given or listed_times(record) > 1:
            continue
        year = int(dates[0][:4]) + rng.choice((-10, 10))
        add(
            " ".join([*given, *surname]).title(),
            "near_miss_person_birth_date",
            record.key,
            f"{year}{dates[0][4:]}",
        )
        made += 1
    return rows
