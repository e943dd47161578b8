"""Build the labelled screening evaluation set in data/eval/ from the real sanctions lists.

Reads the list snapshots under ``--lists DIR`` (laid out like data/sample/sanctions: OFAC SDN
2023-12-28 with the 2021 address file, OFAC non-SDN consolidated 2024-05-06, UN 2025-04-19, UK
2025-08-11, Canada SEMA 2025-05-25, BIS Entity List and MEU 2026-07-09; never OpenSanctions) and
the SEC company names in data/eval/sources/, and writes:

- data/eval/reference/{entities,names,addresses,identifiers}.parquet: the organisations and
  vessels of those lists, shaped like the sanctions marts;
- data/eval/queries.csv: labelled queries (see data/eval/README.md for the columns and rules).

A build step only (it reads the full lists, which a fresh clone does not have); tests and the engine
read the files it wrote. Deterministic: the same inputs and ``--seed`` give the same files.

    uv run python -m tools.eval.build_screening_eval --lists DIR
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import polars as pl

from orchestration.screening.countries import iso2_from_name
from orchestration.screening.index import ScreeningIndex
from orchestration.screening.normalize import fold, normalize_name
from orchestration.screening.persons import birth_dates, nationalities
from tools.eval.analyst_kinds import analyst_rows
from tools.eval.external_kinds import external_rows
from tools.synthetic import name_variants

ROOT = Path(__file__).resolve().parents[2]
SEED = 20240224

# Country names as the lists write them that the ISO table does not hold in that form.
COUNTRY_ALIASES = {
    "russia": "RU",
    "russie": "RU",
    "iran": "IR",
    "turkey": "TR",
    "turkiye": "TR",
    "korea north": "KP",
    "north korea": "KP",
    "democratic people s republic of korea": "KP",
    "korea south": "KR",
    "south korea": "KR",
    "burma": "MM",
    "myanmar": "MM",
    "syria": "SY",
    "united kingdom": "GB",
    "uk": "GB",
    "venezuela": "VE",
    "bolivia": "BO",
    "tanzania": "TZ",
    "moldova": "MD",
    "vietnam": "VN",
    "viet nam": "VN",
    "laos": "LA",
    "czech republic": "CZ",
    "czechia": "CZ",
    "hong kong": "HK",
    "macau": "MO",
    "macao": "MO",
    "taiwan": "TW",
    "crimea region of ukraine": "UA",
    "crimea": "UA",
    "united states": "US",
    "usa": "US",
    "congo democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "kosovo": "XK",
    "palestinian": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "belarus": "BY",
    "uae": "AE",
    "united arab emirates": "AE",
    "brunei": "BN",
    "cote d ivoire": "CI",
    "ivory coast": "CI",
    "cabo verde": "CV",
    "cape verde": "CV",
    "the netherlands": "NL",
    "netherlands": "NL",
    "british virgin islands": "VG",
    "virgin islands british": "VG",
    "iraq": "IQ",
    "libya": "LY",
    "lebanon": "LB",
    "kyrgyzstan": "KG",
    "micronesia": "FM",
    "marshall islands": "MH",
    "st kitts and nevis": "KN",
    "saint kitts and nevis": "KN",
    "sudan": "SD",
    "south sudan": "SS",
    "eswatini": "SZ",
    "swaziland": "SZ",
    "curacao": "CW",
}


def country_iso2(name: str | None) -> str | None:
    if not name:
        return None
    english = name.split(" / ")[0]
    folded = fold(english)
    return COUNTRY_ALIASES.get(folded) or iso2_from_name(english)


@dataclass
class Record:
    list: str
    source_id: str
    schema: str
    primary_name: str
    programs: list[str] = field(default_factory=list)
    listed_on: date | None = None
    names: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    ids: list[tuple[str, str]] = field(default_factory=list)
    remarks: str | None = None
    # OFAC: names of the earlier release's alt.csv for an entity still listed, carried into the
    # reference as the warehouse carries them (kept apart so the query kinds read the release's
    # own names)
    carried: list[tuple[str, str]] = field(default_factory=list)

    @property
    def birth_dates(self) -> tuple[str, ...]:
        return birth_dates(self.remarks)

    @property
    def key(self) -> str:
        return f"{self.list}:{self.source_id}"

    def countries(self) -> set[str]:
        return {c for _, _, c in self.addresses if c}


def _null(value: str) -> str:
    value = value.strip()
    return "" if value == "-0-" else value


# ---------------------------------------------------------------- OFAC SDN (legacy CSV)

_AKA = re.compile(r"\b([afn])\.k\.a\. '([^']+)'")
_ID = re.compile(
    r"^(Tax ID No\.|Registration Number|Registration ID|Legal Entity Number|SWIFT/BIC|"
    r"Vessel Registration Identification|Company Number|Business Registration Number|"
    r"Government Gazette Number|National ID No\.)\s+(.+?)(?:\s+\(([^)]+)\))?\.?$"
)


def parse_ofac_sdn(sdn: Path, add_2021: Path, alt_2021: Path | None = None) -> list[Record]:
    addresses: dict[str, list[tuple[str, str | None, str | None]]] = {}
    text = add_2021.read_text(encoding="cp1252").replace("\x1a", "")
    for row in csv.reader(text.splitlines()):
        if len(row) == 6:
            ent, _, street, city, country, _ = (_null(v) for v in row)
            full = ", ".join(p for p in (street, city, country) if p)
            addresses.setdefault(ent, []).append((full, city or None, country_iso2(country)))
    # The release of 2023-12-28 has no alt.csv: the warehouse carries the aliases of the latest
    # release that had one (2021-04-25) for the entities still listed, and so does this reference.
    aliases: dict[str, list[tuple[str, str]]] = {}
    if alt_2021 is not None and alt_2021.exists():
        text = alt_2021.read_text(encoding="cp1252").replace("\x1a", "")
        for row in csv.reader(text.splitlines()):
            if len(row) >= 4 and _null(row[3]):
                kind = "former" if _null(row[2]).lower() == "fka" else "alias"
                aliases.setdefault(_null(row[0]), []).append((_null(row[3]), kind))
    records = []
    text = sdn.read_text(encoding="cp1252").replace("\x1a", "")
    for row in csv.reader(text.splitlines()):
        if len(row) != 12:
            continue
        ent, name, kind, programs, *_, remarks = (_null(v) for v in row)
        schema = {"": "organization", "vessel": "vessel", "individual": "person"}.get(kind)
        if schema is None:
            continue
        record = Record("ofac_sdn", ent, schema, name, programs.split("] ["))
        record.remarks = remarks or None
        for nationality in nationalities(remarks):
            if country_iso2(nationality):
                record.addresses.append(("", None, country_iso2(nationality)))
        record.names = [
            (alias, "former" if t == "f" else "alias") for t, alias in _AKA.findall(remarks)
        ]
        for item in remarks.split("; "):
            match = _ID.match(item.strip())
            if match:
                id_type, value, country = match.groups()
                record.ids.append((id_type.rstrip("."), value))
                if country and country_iso2(country):
                    record.addresses.append(("", None, country_iso2(country)))
        record.addresses += addresses.get(ent, [])
        own = {record.primary_name, *(n for n, _ in record.names)}
        record.carried = [(n, k) for n, k in aliases.get(ent, []) if n not in own]
        records.append(record)
    return records


# ---------------------------------------------------------------- OFAC consolidated (XML)

_IDENTIFIER_TYPE = re.compile(
    r"(?i)tax|registration|identification|number|code|\bid\b|\blei\b|imo|swift|bic|passport"
)
_NOT_IDENTIFIER = re.compile(
    r"(?i)website|date|type|order|risk|phone|e-?mail|information|nationality"
)
_NS = "{https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML}"


def parse_ofac_cons(path: Path) -> list[Record]:
    records = []
    for entry in ET.parse(path).getroot().iter(f"{_NS}sdnEntry"):
        kind = entry.findtext(f"{_NS}sdnType")
        schema = {"Entity": "organization", "Vessel": "vessel"}.get(kind or "")
        if schema is None:
            continue
        programs = [p.text or "" for p in entry.iter(f"{_NS}program")]
        record = Record(
            "ofac_cons",
            entry.findtext(f"{_NS}uid") or "",
            schema,
            entry.findtext(f"{_NS}lastName") or "",
            programs,
        )
        for aka in entry.iter(f"{_NS}aka"):
            name = aka.findtext(f"{_NS}lastName") or ""
            weak = aka.findtext(f"{_NS}category") == "weak"
            former = aka.findtext(f"{_NS}type") == "f.k.a."
            record.names.append((name, "former" if former else "weak_alias" if weak else "alias"))
        for address in entry.iter(f"{_NS}address"):
            parts = [
                address.findtext(f"{_NS}{t}")
                for t in ("address1", "address2", "address3", "city", "postalCode", "country")
            ]
            country = address.findtext(f"{_NS}country")
            record.addresses.append(
                (
                    ", ".join(p for p in parts if p),
                    address.findtext(f"{_NS}city"),
                    country_iso2(country),
                )
            )
        for ident in entry.iter(f"{_NS}id"):
            id_type = ident.findtext(f"{_NS}idType") or ""
            # The idList also carries remarks (Website, Target Type, dates): identifiers only.
            if _IDENTIFIER_TYPE.search(id_type) and not _NOT_IDENTIFIER.search(id_type):
                record.ids.append((id_type, ident.findtext(f"{_NS}idNumber") or ""))
        records.append(record)
    return records


# ---------------------------------------------------------------- UN consolidated (XML)


def parse_un(path: Path) -> list[Record]:
    records = []
    for entity in ET.parse(path).getroot().iter("ENTITY"):
        listed = entity.findtext("LISTED_ON")
        record = Record(
            "un",
            entity.findtext("REFERENCE_NUMBER") or "",
            "organization",
            (entity.findtext("FIRST_NAME") or "").strip(),
            [entity.findtext("UN_LIST_TYPE") or ""],
            date.fromisoformat(listed[:10]) if listed else None,
        )
        for alias in entity.iter("ENTITY_ALIAS"):
            quality = (alias.findtext("QUALITY") or "").lower()
            kind = "weak_alias" if quality == "low" else "former" if "f.k.a" in quality else "alias"
            if alias.findtext("ALIAS_NAME"):
                record.names.append((alias.findtext("ALIAS_NAME").strip(), kind))
        original = entity.findtext("NAME_ORIGINAL_SCRIPT")
        if original:
            record.names.append((original.strip(), "original_script"))
        for address in entity.iter("ENTITY_ADDRESS"):
            parts = [
                (address.findtext(t) or "").strip()
                for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")
            ]
            city = (address.findtext("CITY") or "").strip() or None
            record.addresses.append(
                (", ".join(p for p in parts if p), city, country_iso2(address.findtext("COUNTRY")))
            )
        records.append(record)
    return records


# ---------------------------------------------------------------- UK sanctions list (CSV)


def parse_uk(path: Path) -> list[Record]:
    records = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            schema = {"Entity": "organization", "Ship": "vessel", "Individual": "person"}.get(
                row["Type"]
            )
            if schema is None:
                continue
            listed = datetime.strptime(row["Date Designated"], "%d-%m-%Y").date()
            records.append(
                Record(
                    "uk",
                    row["Unique ID"],
                    schema,
                    row["Name"].strip(),
                    [row["Regime Name"]],
                    listed,
                )
            )
    return records


# ---------------------------------------------------------------- Canada SEMA (XML)

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def _ofac_date(text: str) -> str:
    try:
        return date.fromisoformat(text[:10]).strftime("%d %b %Y")
    except ValueError:
        return text[:4]


def parse_canada(path: Path) -> list[Record]:
    records = []
    for rec in ET.parse(path).getroot().iter("record"):
        name = (rec.findtext("EntityOrShip") or "").strip()
        last, given = (rec.findtext("LastName") or "").strip(), rec.findtext("GivenName") or ""
        if not name and last:
            name = f"{last}, {given.strip()}".rstrip(", ")
        imo = rec.findtext("ShipIMONumber")
        country = rec.findtext("Country") or ""
        source_id = f"{country.split(' / ')[0]}|{rec.findtext('Schedule')}|{rec.findtext('Item')}"
        listed = rec.findtext("DateOfListing")
        record = Record(
            "canada_sema",
            source_id,
            "vessel" if imo else "person" if last else "organization",
            name,
            [country.split(" / ")[0]],
            date.fromisoformat(listed) if listed else None,
        )
        for alias in re.split(r"\s*/\s+|;\s*", rec.findtext("Aliases") or ""):
            alias = alias.strip().strip('"')
            if len(alias) > 2:
                record.names.append(
                    (alias, "original_script" if _CYRILLIC.search(alias) else "alias")
                )
        if imo:
            record.ids.append(("IMO", imo))
        born = (rec.findtext("DateOfBirthOrShipBuildDate") or "").strip()
        if last and born:
            # Written in OFAC's remarks layout ("DOB 29 Apr 1965"), which the engine reads.
            record.remarks = "DOB " + _ofac_date(born)
        country_code = country_iso2(country)
        if last and country_code:
            record.addresses.append(("", None, country_code))
        records.append(record)
    return records


# ---------------------------------------------------------------- BIS (third-party JSON parse)


def parse_bis(path: Path, list_name: str) -> list[Record]:
    records = []
    for item in json.loads(path.read_text(encoding="utf-8"))["entities"]:
        name, country = item["name"].strip(), item.get("country") or ""
        digest = hashlib.sha1(f"{name}|{country}".encode()).hexdigest()[:12]
        listed = item.get("effective_date")
        record = Record(
            list_name,
            digest,
            "unknown",
            name,
            [item.get("federal_register") or ""],
            date.fromisoformat(listed) if listed else None,
        )
        record.names = [(a.strip(), "alias") for a in item.get("aliases") or [] if a.strip()]
        record.addresses.append((item.get("address") or "", None, country_iso2(country)))
        records.append(record)
    return records


def load_lists(lists: Path) -> list[Record]:
    records = (
        parse_ofac_sdn(
            lists / "ofac_sdn/2023-12-28/sdn.csv",
            lists / "ofac_sdn/2021-04-25/add.csv",
            lists / "ofac_sdn/2021-04-25/alt.csv",
        )
        + parse_ofac_cons(lists / "ofac_cons/2024-05-06/consolidated.xml")
        + parse_un(lists / "un/2025-04-19/consolidated.xml")
        + parse_uk(lists / "uk/2025-08-11/uk_sanctions_list.csv")
        + parse_canada(lists / "canada_sema/2025-05-25/sema-lmes.xml")
        + parse_bis(lists / "bis_derived/2026-07-09/bis_entity_list.json", "bis_entity_list")
        + parse_bis(lists / "bis_derived/2026-07-09/bis_meu.json", "bis_meu")
    )
    unique: dict[str, Record] = {}
    for record in records:
        if record.primary_name:
            unique.setdefault(record.key, record)
    return list(unique.values())


def reference_frames(records: list[Record], carried: bool = True) -> dict[str, pl.DataFrame]:
    entities = pl.DataFrame(
        {
            "entity_key": [r.key for r in records],
            "list": [r.list for r in records],
            "source_id": [r.source_id for r in records],
            "schema": [r.schema for r in records],
            "primary_name": [r.primary_name for r in records],
            "programs": [[p for p in r.programs if p] for r in records],
            "listed_on": [r.listed_on for r in records],
            "remarks": [r.remarks for r in records],
        },
        schema_overrides={"listed_on": pl.Date, "programs": pl.List(pl.String)},
    )
    names = [
        (r.key, n, k)
        for r in records
        for n, k in dict.fromkeys([*r.names, *(r.carried if carried else ())])
        if n != r.primary_name
    ]
    names = [(r.key, r.primary_name, "primary") for r in records] + names
    addresses = [(r.key, a, c, i) for r in records for a, c, i in r.addresses]
    ids = [(r.key, t, v) for r in records for t, v in dict.fromkeys(r.ids) if v]
    return {
        "entities": entities,
        "names": pl.DataFrame(names, schema=["entity_key", "name", "name_kind"], orient="row"),
        "addresses": pl.DataFrame(
            addresses, schema=["entity_key", "full_address", "city", "country_iso2"], orient="row"
        ),
        "identifiers": pl.DataFrame(
            ids, schema=["entity_key", "id_type", "id_value"], orient="row"
        ),
    }


# ---------------------------------------------------------------- queries


_ORG_HINT = re.compile(
    r"\b(llc|ltd|limited|jsc|ojsc|pjsc|cjsc|ooo|oao|zao|pao|ao|company|co|corp|corporation|inc|"
    r"plant|zavod|factory|institute|bank|group|holding|trading|industries|enterprise|center|"
    r"centre|bureau|association|fze|fzco|dmcc|gmbh|technologies|technology|systems|electronics|"
    r"engineering|kompaniya|obshchestvo|npp|npo|nii|concern|corporation)\b"
)


def looks_like_company(record: Record) -> bool:
    if record.schema == "organization":
        return True
    return record.schema == "unknown" and bool(_ORG_HINT.search(fold(record.primary_name)))


def _split(key: str) -> str:
    return "dev" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0 else "test"


@dataclass
class QueryRow:
    query_name: str
    country: str | None
    record: Record | None
    label: int
    kind: str
    split: str
    birth_date: str | None = None

    def as_dict(self, number: int) -> dict:
        return {
            "query_id": f"q{number:05d}",
            "query_name": self.query_name,
            "country": self.country or "",
            "expected_list": self.record.list if self.label else "",
            "expected_source_id": self.record.source_id if self.label else "",
            "expected_entity_key": self.record.key if self.label else "",
            "label": self.label,
            "variant_kind": self.kind,
            "split": self.split,
            "birth_date": self.birth_date or "",
        }


POSITIVE_KINDS = (
    "exact",
    "alias",
    "typo",
    "word_order",
    "spacing",
    "legal_form",
    "cyrillic",
    "translit",
)
RUSSIAN_SPHERE = {"RU", "BY", "KZ", "UA", "KG", "AM", "UZ", "TJ", "AZ", "GE", "MD"}
CITIES = (
    "Moscow",
    "Dubai",
    "Istanbul",
    "Almaty",
    "Tashkent",
    "Bishkek",
    "Yerevan",
    "Tbilisi",
    "Hong Kong",
    "Shenzhen",
    "Minsk",
    "Baku",
    "Saint Petersburg",
    "Novosibirsk",
    "Kazan",
    "Shanghai",
    "Ankara",
    "Sharjah",
)


def _country_for_query(record: Record, rng: random.Random) -> str | None:
    countries = sorted(record.countries())
    return rng.choice(countries) if countries and rng.random() < 0.7 else None


def _positive(kind: str, record: Record, rng: random.Random) -> str | None:
    name = record.primary_name
    country = next(iter(sorted(record.countries())), None)
    if kind == "exact":
        return name if rng.random() < 0.5 else name.title()
    if kind == "alias":
        aliases = [n for n, k in record.names if k in ("alias", "former") and len(fold(n)) > 6]
        return rng.choice(aliases) if aliases else None
    if kind == "typo":
        edits = 2 if len(fold(name)) >= 24 else 1
        out = name_variants.typo(name, rng, edits)
        return out if out != name else None
    if kind == "word_order":
        return name_variants.word_order(name, rng)
    if kind == "spacing":
        return name_variants.spacing(name, rng)
    if kind == "legal_form":
        return name_variants.legal_form_variant(name, country, rng)
    if kind == "cyrillic":
        return name_variants.to_cyrillic(name, rng) if record.countries() & RUSSIAN_SPHERE else None
    if kind == "translit":
        if not record.countries() & RUSSIAN_SPHERE:
            return None
        return name_variants.alternative_romanisation(name, rng)
    raise ValueError(kind)


def positives(records: list[Record], rng: random.Random, per_kind: int) -> list[QueryRow]:
    pool = [r for r in records if looks_like_company(r) and len(fold(r.primary_name)) >= 5]
    rows: list[QueryRow] = []
    for kind in POSITIVE_KINDS:
        candidates = pool[:]
        rng.shuffle(candidates)
        made = 0
        for record in candidates:
            query = _positive(kind, record, rng)
            if query and fold(query):
                rows.append(
                    QueryRow(
                        query, _country_for_query(record, rng), record, 1, kind, _split(record.key)
                    )
                )
                made += 1
            if made >= per_kind:
                break
    return rows


class ListedNames:
    """Normalised names of the reference, to keep listed names out of the negatives.

    A negative is dropped when a listed variant has the same core words (sorted) and its entity's
    legal-form families do not disagree with the negative's: such a name could be the listed
    entity itself.
    """

    def __init__(self, records: list[Record]):
        self.families: dict[str, list[frozenset[str]]] = {}
        for record in records:
            norms = [
                normalize_name(n) for n in [record.primary_name, *(n for n, _ in record.names)]
            ]
            # The legal forms of an entity are those of all its names, as the engine reads them.
            families = frozenset().union(*(n.families for n in norms)) - {"generic"}
            for norm in norms:
                self.families.setdefault(norm.sorted_text, []).append(families)

    def could_be_listed(self, name: str) -> bool:
        norm = normalize_name(name)
        mine = norm.families - {"generic"}
        return any(not f or not mine or f & mine for f in self.families.get(norm.sorted_text, []))


def negatives(
    records: list[Record],
    sec_names: list[str],
    rng: random.Random,
    per_kind: int,
    listed: ListedNames,
    weight,
) -> tuple[list[QueryRow], dict[str, int]]:
    rows: list[QueryRow] = []
    dropped: dict[str, int] = {}

    def add(name: str | None, country: str | None, kind: str, group: str) -> bool:
        if not name or not fold(name):
            return False
        if listed.could_be_listed(name):
            dropped[kind] = dropped.get(kind, 0) + 1
            return False
        rows.append(QueryRow(name, country, None, 0, kind, _split(group)))
        return True

    for name in sec_names:
        add(name, None, "unlisted_company", name)
    made = 0
    while made < per_kind:
        name = name_variants.random_company_name(rng)
        made += add(
            name,
            rng.choice(("RU", "AE", "TR", "CN", "HK", "KZ", None)),
            "constructed_company",
            name,
        )
    pool = [r for r in records if looks_like_company(r) and len(fold(r.primary_name)) >= 5]
    rng.shuffle(pool)
    counts = {"near_miss_legal_form": 0, "near_miss_location": 0, "near_miss_word_swap": 0}
    vocabulary = sorted({w for n in sec_names for w in fold(n).split() if len(w) >= 5})
    for record in pool:
        country = next(iter(sorted(record.countries())), None)
        if counts["near_miss_legal_form"] < per_kind:
            name = name_variants.legal_form_conflict(record.primary_name, country, rng)
            counts["near_miss_legal_form"] += add(name, country, "near_miss_legal_form", record.key)
        if (
            counts["near_miss_location"] < per_kind
            and len(normalize_name(record.primary_name).tokens) >= 2
        ):
            city = rng.choice([c for c in CITIES if fold(c) not in fold(record.primary_name)])
            name = (
                f"{record.primary_name} {city}"
                if rng.random() < 0.5
                else f"{city} {record.primary_name}"
            )
            counts["near_miss_location"] += add(name, country, "near_miss_location", record.key)
        if counts["near_miss_word_swap"] < per_kind:
            name = name_variants.replace_word(record.primary_name, rng.choice(vocabulary), weight)
            counts["near_miss_word_swap"] += add(name, country, "near_miss_word_swap", record.key)
        if min(counts.values()) >= per_kind:
            break
    return rows, dropped


def read_sec_names(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["title"] for row in csv.DictReader(handle)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, required=True, help="folder of the list snapshots")
    parser.add_argument("--out", type=Path, default=ROOT / "data/eval")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--per-kind", type=int, default=250)
    parser.add_argument("--analyst-per-kind", type=int, default=150)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    records = load_lists(args.lists)
    frames = reference_frames(records)
    (args.out / "reference").mkdir(parents=True, exist_ok=True)
    for part, frame in frames.items():
        frame.write_parquet(args.out / "reference" / f"{part}.parquet", compression="zstd")
    listed = ListedNames(records)
    rows = positives(records, rng, args.per_kind)
    sec = read_sec_names(args.out / "sources/sec_company_names.csv")
    # Word weights of the lists' own names (carried aliases left out), as the set was first
    # built with, so that the near misses stay the same queries.
    own = reference_frames(records, carried=False)
    weight = ScreeningIndex.from_frames(
        own["entities"], own["names"], own["addresses"], own["identifiers"]
    ).weight
    negative_rows, dropped = negatives(records, sec, rng, args.per_kind, listed, weight)
    rows += negative_rows
    rows += analyst_rows(records, rng, args.analyst_per_kind, QueryRow, _split, RUSSIAN_SPHERE)
    rows += external_rows(
        records, rng, args.analyst_per_kind, QueryRow, _split, RUSSIAN_SPHERE, args.lists
    )
    table = pl.DataFrame([row.as_dict(i) for i, row in enumerate(rows, start=1)])
    table.write_csv(args.out / "queries.csv")
    print(f"reference: {len(records)} entities, {frames['names'].height} names")
    print(table.group_by("variant_kind", "label").len().sort("label", "variant_kind"))
    print(f"negatives dropped as possibly listed: {dropped}")


if __name__ == "__main__":
    main()
