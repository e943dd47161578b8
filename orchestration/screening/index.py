"""The listed-entity index: every name variant normalised once, and blocking keys to find the
few candidates worth scoring for a counterparty.

Blocking (candidate generation) keeps the cost of a screening run about linear in the number of
counterparties: a query looks up its own keys in an inverted index and only the variants sharing
its rarest keys are scored. Keys of a name (see :func:`block_keys`):

- ``=`` + the sorted core words (the same name, however common its words);
- each core word, and each pair of neighbouring words written together ("rosoboron export" finds
  "rosoboronexport"; Pinyin syllables "hua wei" find "huawei");
- ``~`` + the fingerprint of each word (romanisation variants);
- ``<`` + the first four and ``>`` + the last four letters of words of six letters or more (a
  typo rarely touches both ends of a word), and ``{`` + the first six of words of seven or more
  (a name cut short by a fixed-width field);
- for a query word of five letters or more that no listed name has, the listed words one edit
  away from it (insertion, deletion, substitution or swap), found through a table of the listed
  words with one letter deleted (the symmetric-delete method of SymSpell); for a word of four
  letters, the same keys come after the others, at half weight (BlockingParams);
- for listed persons, ``@`` + a word and the initial of another word, and ``&`` + two words
  sorted (:func:`person_keys`): "P. Kim" or "Rahman Muhammad" find their listing where "kim"
  or "muhammad" alone is shared by more listings than are kept.

Two lookups serve comparisons the keys above do not bring in:

- ``=`` + the sorted core words of a listed name *without its place words* ("KOREA OCEAN SHIPPING
  AGENCY" -> ``=agency shipping``), for a query that left the city, region or country out;
- ``^`` + the first 16, 24, 32 or 40 letters of a listed name written together, legal forms
  included (:data:`PREFIX_LENGTHS`), for a query cut by a fixed-width field: the query looks up
  the longest start it has in full (score.py).

Keys held by more than ``max_df`` variants are skipped unless a query has no other key; the
variants that share the most inverse-document-frequency weight with the query are kept, at most
``max_candidates`` of them. An identifier of a counterparty (same canonical type and value)
also brings in its entity, whatever the name.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from orchestration.reference.countries import country_iso2
from orchestration.screening.countries import NOT_PLACES, is_place_word
from orchestration.screening.identifiers import canonical_type, canonical_value
from orchestration.screening.normalize import NormName, fingerprint, fold, normalize_name
from orchestration.screening.persons import birth_dates, nationalities, surname_words
from orchestration.screening.skeleton import (
    arabic_name_skeleton,
    has_arabic,
    latin_name_skeleton,
    skeleton_keys,
)

ENTITY_COLUMNS = (
    "entity_key",
    "list",
    "source_id",
    "schema",
    "primary_name",
    "programs",
    "listed_on",
)
NAME_COLUMNS = ("entity_key", "name", "name_kind")
ADDRESS_COLUMNS = ("entity_key", "full_address", "city", "country_iso2")
IDENTIFIER_COLUMNS = ("entity_key", "id_type", "id_value")
NAME_KINDS = ("primary", "alias", "weak_alias", "former", "original_script")
# Starts of listed names (joined words) kept for cut queries: a query cut at 35 characters has
# about 30 letters written together, so its 24-letter start is looked up (score.py).
PREFIX_LENGTHS = (16, 24, 32, 40)


def _reduce_slots(obj) -> tuple:
    # Pickled as the constructor's arguments: an index of tens of thousands of names loads
    # several times faster from the cache (index_cache.py) than with the field-by-field state
    # a slotted dataclass pickles by default.
    return type(obj), tuple(getattr(obj, name) for name in obj.__slots__)


@dataclass(frozen=True, slots=True)
class Entity:
    key: str
    list: str
    source_id: str
    schema: str
    primary_name: str
    programs: tuple[str, ...]
    listed_on: date | None
    birth_dates: tuple[str, ...] = ()
    nationalities: frozenset[str] = frozenset()

    __reduce__ = _reduce_slots


@dataclass(frozen=True, slots=True)
class Variant:
    entity: int
    name: str
    kind: str
    norm: NormName
    surname: frozenset[str] = frozenset()
    # fingerprints of the words of a listed person's name (empty for other schemas): a query
    # sharing none of them cannot pair its words with this name (persons.py)
    person_keys: frozenset[str] = frozenset()

    __reduce__ = _reduce_slots


@dataclass
class BlockingParams:
    max_df: int = 400
    max_candidates: int = 30
    max_keys: int = 12
    # A query word of four letters that no listed name has ("ODEL" for "OREL", "RAKO" for
    # "TAKO"): every listed word one edit from it is a key too, after the query's own keys and
    # at this share of their IDF weight, so that the listing sharing both the corrected word
    # and the rest of the name comes first. As keys among the others (within max_keys) they
    # crowded out the name's other keys: dev typo stress set recall 0.964 -> 0.958.
    short_typo_weight: float = 0.5


class Postings(Mapping):
    """The variant numbers of each blocking key, every key's a slice of one flat array: one
    array to build, store and load instead of one per key (there are hundreds of thousands)."""

    __slots__ = ("_flat", "_ends", "_spans")

    def __init__(self, keys: list[str], flat: np.ndarray, ends: np.ndarray) -> None:
        self._flat, self._ends = flat, ends
        stops = ends.tolist()
        starts = [0, *stops[:-1]] if stops else []  # no key at all: lists without a name
        self._spans = dict(zip(keys, zip(starts, stops, strict=True), strict=True))

    @classmethod
    def from_lists(cls, lists: Mapping[str, list[int]]) -> Postings:
        keys = list(lists)
        sizes = np.fromiter((len(lists[k]) for k in keys), dtype=np.int64, count=len(keys))
        flat = np.fromiter(
            (v for k in keys for v in lists[k]), dtype=np.int64, count=int(sizes.sum())
        )
        return cls(keys, flat, np.cumsum(sizes))

    @property
    def flat(self) -> np.ndarray:
        return self._flat

    def span(self, key: str) -> tuple[int, int] | None:
        """(start, stop) of the key's variants in :attr:`flat`; None for an unknown key."""
        return self._spans.get(key)

    def __getitem__(self, key: str) -> np.ndarray:
        start, stop = self._spans[key]
        return self._flat[start:stop]

    def get(self, key: str, default=None):
        span = self._spans.get(key)
        return default if span is None else self._flat[span[0] : span[1]]

    def __contains__(self, key: object) -> bool:
        return key in self._spans

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def __reduce__(self) -> tuple:
        return Postings, (list(self._spans), self._flat, self._ends)


def block_keys(norm: NormName) -> set[str]:
    """The blocking keys of a normalised name (module docstring)."""
    keys: set[str] = {"=" + norm.sorted_text}
    words = norm.tokens
    for word in words:
        keys.add(word)
        keys.add("~" + fingerprint(word))
        if len(word) >= 6:
            keys.add("<" + word[:4])
            keys.add(">" + word[-4:])
        if len(word) >= 7:
            # a longer start, for names cut by fixed-width fields ("VLADIVOST" for Vladivostok)
            keys.add("{" + word[:6])
    for left, right in zip(words, words[1:], strict=False):
        keys.add(left + right)
    return keys


def person_keys(words: tuple[str, ...]) -> set[str]:
    """Keys of a listed person's name that a short query of that person shares even when each
    of its words is common (many listed "KIM" or "MUHAMMAD"): ``@`` + a word and the initial of
    another word ("@kim p" for "KIM, Pyong Chan", found by "P. Kim"), and ``&`` + two words
    sorted ("&muhammad rahman", found by "Rahman Muhammad", the middle names left out)."""
    keys: set[str] = set()
    for i, word in enumerate(words):
        if len(word) < 2:
            continue
        for j, other in enumerate(words):
            if i != j and other:
                keys.add(f"@{word} {other[0]}")
                if j > i and len(other) > 1:
                    keys.add("&" + " ".join(sorted((word, other))))
    return keys


def _is_initials(word: str) -> bool:
    # "P." folds to "p"; "Putin V.V." to "putin vv": a run of initials has no vowel
    return len(word) == 1 or (len(word) <= 3 and not any(c in "aeiouy" for c in word))


def query_person_keys(norm: NormName) -> set[str]:
    """The :func:`person_keys` a query of two to four words may share with a listed person."""
    words = [w for w in norm.all_words if w]
    if not 2 <= len(words) <= 4:
        return set()
    initials = [w for w in words if _is_initials(w)]
    full = [w for w in words if not _is_initials(w)]
    keys = {f"@{w} {letter}" for w in full for i in initials for letter in i}
    keys |= {"&" + " ".join(sorted((a, b))) for k, a in enumerate(full) for b in full[k + 1 :]}
    return keys


def _require(frame: pl.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} frame lacks column(s) {', '.join(missing)}")


@dataclass
class ScreeningIndex:
    """Listed entities, their normalised names, countries, addresses and identifiers."""

    entities: list[Entity]
    variants: list[Variant]
    entity_variants: list[list[int]]
    countries: list[frozenset[str]]
    addresses: list[tuple[str, ...]]
    identifiers: list[dict[str, frozenset[str]]]
    id_lookup: dict[tuple[str, str], list[int]]
    postings: Postings
    places: frozenset[str]
    deletions: dict[str, list[str]]
    texts: dict[str, list[str]]
    word_weights: dict[str, float]
    unknown_weight: float
    entity_families: list[frozenset[str]]
    blocking: BlockingParams = field(default_factory=BlockingParams)
    # variants with a place word in their name: a query may have left it out (score.py)
    place_variants: frozenset[int] = frozenset()
    # the same as arrays by variant number, for the vectorised candidate filter (score.py)
    place_mask: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    person_mask: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    variant_entity: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # per process: a name's candidates and string bounds, which depend on the name alone
    # (score.py); customer files repeat names (branches, one company under several ids)
    name_cache: dict = field(default_factory=dict, repr=False, compare=False)
    # consonant skeletons of the listed names and their blocking keys (skeleton.py), built on
    # the first query written in Arabic script: a file without one never pays for them
    skeleton_index: tuple | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        count = len(self.variants)
        self.place_mask = np.zeros(count, dtype=bool)
        self.place_mask[list(self.place_variants)] = True
        self.person_mask = np.array([bool(v.person_keys) for v in self.variants], dtype=bool)
        self.variant_entity = np.array([v.entity for v in self.variants], dtype=np.int64)

    @classmethod
    def from_frames(
        cls,
        entities: pl.DataFrame,
        names: pl.DataFrame,
        addresses: pl.DataFrame,
        identifiers: pl.DataFrame,
        blocking: BlockingParams | None = None,
    ) -> ScreeningIndex:
        for frame, columns, what in (
            (entities, ENTITY_COLUMNS, "entities"),
            (names, NAME_COLUMNS, "names"),
            (addresses, ADDRESS_COLUMNS, "addresses"),
            (identifiers, IDENTIFIER_COLUMNS, "identifiers"),
        ):
            _require(frame, columns, what)
        # remarks (optional) carry a person's dates of birth and nationalities (OFAC's layout).
        columns = [*ENTITY_COLUMNS, *(["remarks"] if "remarks" in entities.columns else [])]
        ents = [_entity(row) for row in entities.select(columns).iter_rows(named=True)]
        position = {e.key: i for i, e in enumerate(ents)}
        if len(position) != len(ents):
            raise ValueError("entities frame has duplicate entity_key values")
        variants, per_entity = _variants(ents, names, position)
        countries, folded_addresses, places = _addresses(addresses, position, len(ents))
        countries = [c | e.nationalities for c, e in zip(countries, ents, strict=True)]
        ids, lookup = _identifiers(identifiers, position, len(ents))
        postings: dict[str, list[int]] = defaultdict(list)
        placeless = [_without_places(v.norm.tokens, places) for v in variants]
        for number, variant in enumerate(variants):
            for key in block_keys(variant.norm):
                postings[key].append(number)
            if variant.person_keys:
                for key in person_keys(variant.norm.all_words):
                    postings[key].append(number)
            if placeless[number]:
                postings["=" + " ".join(sorted(placeless[number]))].append(number)
            full = variant.norm.full_compact
            for length in PREFIX_LENGTHS:
                if len(full) > length + 2:
                    postings["^" + full[:length]].append(number)
        weights, unknown = _word_weights(variants)
        deletions: dict[str, list[str]] = defaultdict(list)
        # words of four letters too: a four-letter query word finds them by one deletion
        for word in weights:
            if 4 <= len(word) <= 24:
                for deleted in _deletions(word):
                    deletions[deleted].append(word)
        return cls(
            entities=ents,
            variants=variants,
            entity_variants=per_entity,
            countries=countries,
            addresses=folded_addresses,
            identifiers=ids,
            id_lookup=lookup,
            postings=Postings.from_lists(postings),
            places=places,
            deletions=dict(deletions),
            texts={
                "sorted": [v.norm.sorted_text for v in variants],
                "compact": [v.norm.compact for v in variants],
                "fingerprint": [v.norm.fingerprint_text for v in variants],
                "full": [v.norm.full_compact for v in variants],
                # the name without its place words ("" when it has none): score.py bounds the
                # comparison of a query that left the place out with them
                "placeless_sorted": [" ".join(sorted(p)) for p in placeless],
                "placeless_compact": ["".join(p) for p in placeless],
            },
            word_weights=weights,
            unknown_weight=unknown,
            entity_families=[
                frozenset().union(*(variants[v].norm.families for v in vs)) - {"generic"}
                for vs in per_entity
            ],
            blocking=blocking or BlockingParams(),
            place_variants=frozenset(i for i, p in enumerate(placeless) if p),
        )

    def is_place(self, word: str) -> bool:
        return word in self.places or is_place_word(word)

    def weight(self, word: str) -> float:
        """Inverse document frequency of a core word among the listed name variants."""
        return self.word_weights.get(word, self.unknown_weight)

    def candidates(self, norm: NormName, ids: dict[str, frozenset[str]]) -> list[int]:
        """Entity positions worth scoring for a query name and its identifiers."""
        found = self._by_identifier(ids)
        for entity in self._by_name(norm):
            if entity not in found:
                found.append(entity)
        return found

    def identified(self, ids: dict[str, frozenset[str]]) -> list[int]:
        """Entities sharing an identifier (same canonical type and value) with the query."""
        return self._by_identifier(ids)

    def _by_identifier(self, ids: dict[str, frozenset[str]]) -> list[int]:
        found: list[int] = []
        for id_type, values in ids.items():
            for value in values:
                for entity in self.id_lookup.get((id_type, value), ()):
                    if entity not in found:
                        found.append(entity)
        return found

    def typo_neighbours(self, word: str, shortest: int = 5) -> set[str]:
        """Listed words one edit away from ``word`` (empty when ``word`` itself is listed, or
        shorter than ``shortest`` letters)."""
        if len(word) < shortest or word in self.word_weights:
            return set()
        found = set(self.deletions.get(word, ()))
        for deleted in _deletions(word):
            if deleted in self.word_weights:
                found.add(deleted)
            found.update(self.deletions.get(deleted, ()))
        return found

    def skeletons(self) -> tuple[list[tuple[str, ...]], dict[str, list[int]]]:
        """The consonant skeleton of every listed name variant (skeleton.py), and the variants
        of each skeleton key; built once, on first use."""
        if self.skeleton_index is None:
            skeletons = [
                arabic_name_skeleton(v.name) if has_arabic(v.name)
                else latin_name_skeleton(v.norm.tokens)
                for v in self.variants
            ]  # fmt: skip
            postings: dict[str, list[int]] = defaultdict(list)
            for number, skeleton in enumerate(skeletons):
                for key in skeleton_keys(skeleton):
                    postings[key].append(number)
            self.skeleton_index = (skeletons, dict(postings))
        return self.skeleton_index

    def skeleton_candidates(self, name: str) -> list[int]:
        """Entity positions whose names share the rarest skeleton keys of a name written in
        Arabic script (empty for other names): as :meth:`by_names`, the variants sharing the
        most IDF weight of the keys, at most ``max_candidates``, keys of more than ``max_df``
        variants only when there is no other."""
        if not has_arabic(name):
            return []
        _, postings = self.skeletons()
        params, total = self.blocking, len(self.variants) or 1
        skeleton = arabic_name_skeleton(name)
        # and two words written together in either order: lists put the surname first
        keys = skeleton_keys(skeleton) | {
            "%" + a + b for i, a in enumerate(skeleton) for j, b in enumerate(skeleton) if i != j
        }
        found = sorted((len(postings[k]), k) for k in keys if k in postings)
        usable = [f for f in found if f[0] <= params.max_df] or found[:1]
        shared: dict[int, float] = defaultdict(float)
        for size, key in usable[: params.max_keys]:
            idf = math.log(total / size) + 1.0
            for number in postings[key][: params.max_df]:
                shared[number] += idf
        ranked = sorted(shared, key=lambda v: (-shared[v], v))[: params.max_candidates]
        return list(dict.fromkeys(self.variants[v].entity for v in ranked))

    def _by_name(self, norm: NormName) -> list[int]:
        return self.by_names([norm])[0]

    def _chosen_keys(self, norm: NormName) -> list[tuple[int, int, float]]:
        """(start, length, idf) in :attr:`Postings.flat` of the keys a query's candidates are
        counted over: rarest first (ties by key text, so the choice does not depend on the
        process's hash seed), keys of more than ``max_df`` variants only when there is no
        other, at most ``max_keys``, each cut to ``max_df`` variants; then the listed words one
        edit from a four-letter word no listed name has, at ``short_typo_weight``."""
        params = self.blocking
        total = len(self.variants) or 1
        keys = block_keys(norm)
        for word in norm.tokens:
            keys |= self.typo_neighbours(word)
        keys |= query_person_keys(norm)
        found = []
        for key in keys:
            span = self.postings.span(key)
            if span is not None:
                found.append((span[1] - span[0], key, span[0]))
        found.sort()
        usable = [f for f in found if f[0] <= params.max_df] or found[:1]
        chosen = [
            (start, min(size, params.max_df), math.log(total / size) + 1.0)
            for size, _, start in usable[: params.max_keys]
        ]
        # the listed words one edit from a four-letter word no listed name has (BlockingParams)
        short: set[str] = set()
        for word in norm.tokens:
            if len(word) == 4 and word not in self.word_weights:
                short |= self.typo_neighbours(word, shortest=4)
        for key in sorted(short - keys):
            span = self.postings.span(key)
            if span is not None and span[1] - span[0] <= params.max_df:
                size = span[1] - span[0]
                weight = params.short_typo_weight * (math.log(total / size) + 1.0)
                chosen.append((span[0], size, weight))
        return chosen

    def by_names(self, norms: list[NormName]) -> list[list[int]]:
        """Entity positions worth scoring for each query name (:meth:`candidates` without
        identifiers), counted for all the names at once in numpy: per query, the variants that
        share the most IDF weight of its chosen keys (the heaviest first, ties by variant
        number, at most ``max_candidates``), as their entities in that order."""
        params = self.blocking
        segments = [
            (q, start, size, idf)
            for q, norm in enumerate(norms)
            for start, size, idf in self._chosen_keys(norm)
        ]
        if not segments:
            return [[] for _ in norms]
        query, start, size, idf = (np.array(c) for c in zip(*segments, strict=True))
        size = size.astype(np.int64)
        # every (query, variant) occurrence, key after key as each query's keys were chosen
        first = np.cumsum(size) - size
        flat = self.postings.flat[np.repeat(start - first, size) + np.arange(int(size.sum()))]
        width = max(len(self.variants), 1)
        pairs = np.repeat(query.astype(np.int64), size) * width + flat
        shared, position = np.unique(pairs, return_inverse=True)
        # IDF weight shared with the query, per variant; bincount adds in input order, i.e.
        # in the order of the query's keys
        weights = np.bincount(position, weights=np.repeat(idf, size), minlength=len(shared))
        owner, variant = shared // width, shared % width
        order = np.lexsort((variant, -weights, owner))
        owner, variant = owner[order], variant[order]
        rank = np.arange(len(owner)) - np.searchsorted(owner, owner, side="left")
        top = rank < params.max_candidates
        owner, entity = owner[top], self.variant_entity[variant[top]]
        # an entity once, where its best variant ranks
        _, once = np.unique(owner * max(len(self.entities), 1) + entity, return_index=True)
        once.sort()
        owner, entity = owner[once], entity[once].tolist()
        bounds = np.searchsorted(owner, np.arange(len(norms) + 1), side="left").tolist()
        return [entity[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _without_places(tokens: tuple[str, ...], places: frozenset[str]) -> tuple[str, ...]:
    """The core words of a listed name less its place words; empty when it has no place word
    or nothing but place words."""
    kept = tuple(w for w in tokens if not (w in places or is_place_word(w)))
    return kept if kept and len(kept) < len(tokens) else ()


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _word_weights(variants: list[Variant]) -> tuple[dict[str, float], float]:
    # idf = ln(N / df): "trading" or "technologies" weigh little, a brand or a place a lot; a
    # word no listed name has weighs as much as the rarest.
    frequency: dict[str, int] = defaultdict(int)
    for variant in variants:
        for word in set(variant.norm.tokens):
            frequency[word] += 1
    total = max(len(variants), 2)
    weights = {w: max(math.log(total / df), 0.1) for w, df in frequency.items()}
    return weights, math.log(total)


def _entity(row: dict) -> Entity:
    programs = row["programs"]
    if isinstance(programs, str):
        programs = [p for p in programs.split(";") if p]
    remarks = row.get("remarks")
    nations = (country_iso2(n) for n in nationalities(remarks))
    return Entity(
        birth_dates=birth_dates(remarks),
        nationalities=frozenset(n for n in nations if n),
        key=str(row["entity_key"]),
        list=str(row["list"]),
        source_id=str(row["source_id"]),
        schema=str(row["schema"] or "unknown"),
        primary_name=str(row["primary_name"]),
        programs=tuple(programs or ()),
        listed_on=row["listed_on"],
    )


def _variants(
    ents: list[Entity], names: pl.DataFrame, position: dict[str, int]
) -> tuple[list[Variant], list[list[int]]]:
    variants: list[Variant] = []
    per_entity: list[list[int]] = [[] for _ in ents]
    seen: set[tuple[int, str]] = set()

    def add(entity: int, name: str, kind: str) -> None:
        if not name or not name.strip() or (entity, name) in seen:
            return
        seen.add((entity, name))
        per_entity[entity].append(len(variants))
        norm = normalize_name(name)
        if ents[entity].schema == "person":
            surname = surname_words(name, fold)
            keys = frozenset(fingerprint(w) for w in norm.tokens)
        else:
            surname = keys = frozenset()
        variants.append(Variant(entity, name, kind, norm, surname, keys))

    for i, entity in enumerate(ents):
        add(i, entity.primary_name, "primary")
    for row in names.select(NAME_COLUMNS).iter_rows(named=True):
        key, kind = str(row["entity_key"]), row["name_kind"]
        if key not in position:
            raise ValueError(f"names frame: entity_key {key!r} is not in the entities frame")
        if kind not in NAME_KINDS:
            raise ValueError(f"names frame: unknown name_kind {kind!r} for {key!r}")
        add(position[key], row["name"], kind)
    return variants, per_entity


def _addresses(
    addresses: pl.DataFrame, position: dict[str, int], size: int
) -> tuple[list[frozenset[str]], list[tuple[str, ...]], frozenset[str]]:
    countries: list[set[str]] = [set() for _ in range(size)]
    texts: list[list[str]] = [[] for _ in range(size)]
    places: set[str] = set()
    for row in addresses.select(ADDRESS_COLUMNS).iter_rows(named=True):
        key = str(row["entity_key"])
        if key not in position:
            raise ValueError(f"addresses frame: entity_key {key!r} is not in the entities frame")
        i = position[key]
        if row["country_iso2"]:
            countries[i].add(str(row["country_iso2"]).upper())
        if row["full_address"]:
            texts[i].append(fold(row["full_address"]))
        if row["city"]:
            places.update(_city_words(row["city"]))
    places -= NOT_PLACES
    return [frozenset(c) for c in countries], [tuple(t) for t in texts], frozenset(places)


def _city_words(city: str) -> list[str]:
    """Place words of an address's city field: the words of four letters or more of each of
    its comma-separated parts that is a name of one or two such words ("Nizhny Novgorod").
    Longer parts describe an area ("North Waziristan Agency (NWA)", "South Pars Special
    Economy/Energy Zone"), whose words ("agency", "energy") are ordinary words of names."""
    words: list[str] = []
    for part in city.split(","):
        long_words = [w for w in fold(part).split() if len(w) >= 4]
        if len(long_words) <= 2 and all(w.isalpha() for w in long_words):
            words += long_words
    return words


def _identifiers(
    identifiers: pl.DataFrame, position: dict[str, int], size: int
) -> tuple[list[dict[str, frozenset[str]]], dict[tuple[str, str], list[int]]]:
    per_entity: list[dict[str, set[str]]] = [defaultdict(set) for _ in range(size)]
    lookup: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in identifiers.select(IDENTIFIER_COLUMNS).iter_rows(named=True):
        key = str(row["entity_key"])
        if key not in position:
            raise ValueError(f"identifiers frame: entity_key {key!r} is not in the entities frame")
        id_type = canonical_type(str(row["id_type"]))
        value = canonical_value(id_type, str(row["id_value"] or ""))
        if not value:
            continue
        i = position[key]
        if value not in per_entity[i][id_type]:
            per_entity[i][id_type].add(value)
            lookup[(id_type, value)].append(i)
    frozen = [{t: frozenset(v) for t, v in ids.items()} for ids in per_entity]
    return frozen, dict(lookup)
