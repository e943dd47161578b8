"""Build orchestration/reference/data/ref_country_codes.csv: one row per country (ISO3 key).

Run from the repository root (the seed is committed; re-run only to refresh it):

    uv run python -m tools.reference.build_country_reference --trade-dir DIR

Inputs, all public (see docs/sources/trade.md):
- reference/country_codes_datahub.csv: ISO 3166-1 codes, M49 and names in English, French and
  Russian (datahub.io/core/country-codes, ODC-PDDL). This fixes the list of countries.
- reference/comtrade_country_codes_iso.csv: UNSD "Comtrade Country Code and Name" (2014 vintage).
- baci/country_codes_V202601.csv: CEPII BACI country table.
- Eurostat Comext exports and national tables: the country labels they use, recorded so that
  parsers can map labels (English, French, Russian) to ISO3.

Rules:
- comtrade_code: the code Comtrade uses today. It equals the ISO numeric code except for the
  areas in COMTRADE_EXCEPTIONS, each checked against the UNSD table. comtrade_codes_other: the
  other UNSD codes displayed as that country (e.g. 841 USA and Puerto Rico) plus the ISO numeric
  code where it differs (so a file using ISO numerics still maps).
- baci_code: the BACI code of the current area (names without a '(...YYYY)' end date);
  baci_codes_other: BACI's historical codes for the same ISO3 (58 Belgium-Luxembourg ...).
  BACI's 490 "Other Asia, nes" is Taiwan. Areas without an ISO3 (EFTA nes, SACU, dissolved
  states) are left out.
- Kosovo has no ISO 3166 code; it is added as XKX / XK (the user-assigned codes Eurostat uses).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from orchestration.reference.areas import LabelMatcher, group_area, normalise_label, strip_note
from orchestration.reference.countries import COUNTRY_TABLE as COUNTRY_SEED

COLUMNS = (
    "iso3", "iso2", "m49", "baci_code", "comtrade_code", "comtrade_codes_other",
    "baci_codes_other", "name", "is_eu27", "eurostat_labels", "aliases", "cldr_name", "capital",
)  # fmt: skip

# Members of the European Union since 1 February 2020.
EU27 = frozenset(
    ("AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN")
    + ("IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP")
    + ("SWE",)
)

# Areas whose Comtrade code is not their ISO numeric code (the UNSD table marks them "Display
# as ..." or "Different codes"); 490 "Other Asia, nes" is how Comtrade and BACI carry Taiwan.
COMTRADE_EXCEPTIONS = {"FRA": 251, "NOR": 579, "IND": 699, "CHE": 757, "USA": 842, "TWN": 490}

KOSOVO = {
    "iso3": "XKX", "iso2": "XK", "name": "Kosovo", "cldr_name": "Kosovo", "capital": "Pristina",
}  # fmt: skip

DATAHUB_NAME_COLUMNS = (
    "official_name_en", "UNTERM English Short", "UNTERM English Formal", "CLDR display name",
    "official_name_fr", "UNTERM French Short", "UNTERM French Formal",
    "official_name_ru", "UNTERM Russian Short", "UNTERM Russian Formal",
)  # fmt: skip

# Spellings used by the publishers that no code table carries (typos included: they are the
# publishers' own). Each was checked by hand against the file it comes from.
MANUAL_ALIASES: dict[str, tuple[str, ...]] = {
    "ASM": ("American Saoma", "Eastern SAMOA"),
    "BLM": ("Saint-Barth?lemy",),
    "BOL": ("Bolivia",),
    "BIH": ("Bosnia Herzegovina",),
    "BRN": ("Brunei",),
    "CIV": ("Cote d' Ivoire", "Côte d’Ivoire (Ivory Coast)"),
    "CZE": ("Czech Rep.", "Czech Republic"),
    "FLK": ("Folkland Islands (Malvinas)",),
    "ATF": ("French Southern Terrirories", "French Southern Territories"),
    "HKG": ("Hong Kong", "SAR-Hong Kong"),
    "LAO": ("Laos",),
    "LBY": ("Libyan Arab Jamahiriya",),
    "MAC": ("Macao", "Macau (Macau)"),
    "MKD": ("FYR of Macedonia", "Macedonia"),
    "MCO": ("Monako",),
    "SLV": ("Salvador",),
    "SWZ": ("Swaziland",),
    "SYR": ("Syria",),
    "VAT": ("Vatican", "Vatican City State"),
    "VNM": ("Vietnam",),
    "VGB": ("British virgin islands", "Virgin Islands, British"),
    "SJM": ("Svalbard and Jan Mayen Islands",),
    "COD": ("Congo, Democratic Republic of the", "Democratic Republic of the Congo"),
    "BVT": ("Bouvet",),
    "FRO": ("Faeroe Islands",),
    "WSM": ("Saoma",),
    "BLR": ("Biélorussie",),
    "CPV": ("Cape Verde", "Cap-Vert"),
    "CYM": ("Iles Caïmans",),
    "CCK": ("Cocos Islands", "Iles Cocos (ou Iles Keeling)"),
    "SGS": ("Iles Géorgie du Sud et Sandwich du Sud",),
    "HMD": ("Iles Heard et McDonald",),
    "TCA": ("Iles Turks-et-Caïcos",),
    "VIR": (
        "United States Virgin Islands",
        "Virgin Islands, United States",
        "Iles Vierges des Etats-Unis",
    ),
    "IRN": ("Iran", "Islamic Republic of Iran", "Iran, République islamique d’"),
    "KOR": (
        "Korea, Republic of",
        "South Korea",
        "The Republic of Korea",
        "Republic of Korea",
        "Corée, République de",
    ),
    "PRK": ("Korea, DPR of", "Korea (DPRK)", "Corée, République populaire démocratique de"),
    "MDA": ("Moldova", "Moldavie, République de"),
    "PSE": (
        "Palestinian Territory, Occupied",
        "Occupied Palestinian Territory",
        "Territoire palestinien occupé",
    ),
    "GBR": ("United Kingdom", "Royaume-Uni"),
    "RUS": ("Russia", "Russie, Fédération de"),
    "SHN": (
        "Saint Helena, Ascension and Tristan da Cunha",
        "Sainte-Hélène, Ascension et Tristan da Cunha",
    ),
    "KNA": ("Saint-Christophe-et-Nevis",),
    "TZA": ("Tanzania", "Tanzanie, République unie de"),
    "TLS": ("Timor-Oriental",),
    "TUR": ("Turkey", "Turquie"),
    "USA": ("USA", "United States", "Etats-Unis"),
    "VEN": ("Venezuela", "Venezuela, République bolivarienne du"),
    "WLF": ("Wallis and Futuna Islands", "Wallis-et-Futuna"),
}

# Labels that name no current ISO country and are not aggregates either; kept out of the seed.
NOT_COUNTRIES = {"Netherlands Antilles", "Serbia and Montenegro", "Channel Islands"}


def read_csv(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def base_rows(datahub: list[dict[str, str]]) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for rec in datahub:
        iso3 = rec["ISO3166-1-Alpha-3"].strip()
        if not iso3:
            continue
        name = rec["official_name_en"] or rec["UNTERM English Short"] or rec["CLDR display name"]
        rows[iso3] = {
            "iso3": iso3,
            "iso2": rec["ISO3166-1-Alpha-2"].strip(),
            "m49": str(int(rec["ISO3166-1-numeric"])),
            "name": name.strip(),
            "cldr_name": rec["CLDR display name"],
            "capital": rec["Capital"],
            "is_eu27": iso3 in EU27,
            "names": {rec[c].strip() for c in DATAHUB_NAME_COLUMNS if rec.get(c, "").strip()},
        }
    rows[KOSOVO["iso3"]] = {**KOSOVO, "m49": "", "is_eu27": False, "names": {"Kosovo"}}
    return rows


def add_comtrade(rows: dict[str, dict], comtrade: list[dict[str, str]]) -> None:
    by_numeric = {row["m49"]: iso3 for iso3, row in rows.items() if row["m49"]}
    listed: dict[str, set[int]] = {}
    for rec in comtrade:
        numeric, code = rec["isoNumerical"].strip(), rec["unCode"].strip()
        if not code.isdigit():
            continue
        if code == "490":
            listed.setdefault("TWN", set()).add(490)
        elif numeric.isdigit() and str(int(numeric)) in by_numeric:
            iso3 = by_numeric[str(int(numeric))]
            listed.setdefault(iso3, set()).add(int(code))
            rows[iso3]["names"].add(rec["name"].strip())
    for iso3, code in COMTRADE_EXCEPTIONS.items():
        if code not in listed.get(iso3, set()):
            raise SystemExit(f"Comtrade table does not list {code} for {iso3}: check the exception")
    for iso3, row in rows.items():
        current = COMTRADE_EXCEPTIONS.get(iso3) or (int(row["m49"]) if row["m49"] else None)
        others = set(listed.get(iso3, set()))
        if row["m49"]:
            others.add(int(row["m49"]))
        others.discard(current)
        row["comtrade_code"] = "" if current is None else str(current)
        row["comtrade_codes_other"] = "|".join(str(c) for c in sorted(others))


_ENDED = re.compile(r"\(\.\.\.\d{4}\)")


def add_baci(rows: dict[str, dict], baci: list[dict[str, str]]) -> list[str]:
    skipped: list[str] = []
    codes: dict[str, list[tuple[int, bool]]] = {}
    for rec in baci:
        iso3 = "TWN" if rec["country_iso3"] == "S19" else rec["country_iso3"]
        if iso3 not in rows:
            skipped.append(f"{rec['country_code']} {rec['country_name']} ({iso3})")
            continue
        ended = bool(_ENDED.search(rec["country_name"]))
        codes.setdefault(iso3, []).append((int(rec["country_code"]), ended))
        if not ended:
            rows[iso3]["names"].add(rec["country_name"].strip())
    for iso3, row in rows.items():
        found = codes.get(iso3, [])
        current = [c for c, ended in found if not ended]
        if len(current) > 1:
            raise SystemExit(f"BACI lists two current codes for {iso3}: {current}")
        row["baci_code"] = str(current[0]) if current else ""
        row["baci_codes_other"] = "|".join(str(c) for c, ended in sorted(found) if ended)
    return skipped


def label_matcher(rows: dict[str, dict]) -> LabelMatcher:
    matcher = LabelMatcher()
    for iso3, row in rows.items():
        for name in {row["name"], *row["names"], *MANUAL_ALIASES.get(iso3, ())}:
            matcher.add(name, iso3)
    return matcher


def collect_labels(trade_dir: Path) -> tuple[set[str], set[str]]:
    """Distinct place labels: (Eurostat labels, national-office labels)."""
    eurostat: set[str] = set()
    national: set[str] = set()
    comext = trade_dir / "eurostat_comext"
    relational = comext / "comext_eu_member_totals_to_transit_countries_2019_2024.csv"
    ds045409 = comext / "comext_ds045409_eu27_to_ru_by_am_ge_kg_kz_uz_monthly_2020_2022.csv.gz"
    armstat = trade_dir / "national" / "armstat_arm_trade_country_monthly.csv"
    sources = [
        (eurostat, relational, ("REPORTER", "PARTNER")),
        (eurostat, ds045409, ("reporter_label", "partner_label")),
        (national, armstat, ("country",)),
    ]
    for name in ("armenia", "kazakhstan", "kyrgyz", "uzbek"):
        yearly = trade_dir / "national" / f"{name}_import_yearly.csv"
        sources.append((national, yearly, ("REPORTER", "PARTNER")))
    for target, path, columns in sources:
        for rec in read_csv(path):
            target.update(rec[c].strip() for c in columns if rec[c].strip())
    return eurostat, national


def attach_labels(
    rows: dict[str, dict], labels: Iterable[str], key: str, matcher: LabelMatcher
) -> list[str]:
    unresolved = []
    skip = {normalise_label(x) for x in NOT_COUNTRIES}
    for label in sorted(labels):
        if group_area(label) is not None or normalise_label(strip_note(label)) in skip:
            continue
        iso3 = matcher.match(label)
        if iso3 is None:
            unresolved.append(label)
        else:
            rows[iso3].setdefault(key, set()).add(label)
    return unresolved


def finish(rows: dict[str, dict]) -> list[dict[str, str]]:
    out = []
    for iso3 in sorted(rows):
        row = rows[iso3]
        eurostat = sorted(row.get("eurostat_labels", set()))
        taken = {normalise_label(x) for x in [row["name"], *eurostat]}
        aliases = {*row["names"], *MANUAL_ALIASES.get(iso3, ()), *row.get("national", set())}
        kept: dict[str, str] = {}
        for alias in sorted(aliases):
            key = normalise_label(alias)
            if key and key not in taken:
                kept.setdefault(key, alias)
        for text in [*eurostat, *kept.values()]:
            if "|" in text:
                raise SystemExit(f"label contains the list separator '|': {text!r}")
        out.append(
            {
                "iso3": iso3,
                "iso2": row["iso2"],
                "m49": row["m49"],
                "baci_code": row.get("baci_code", ""),
                "comtrade_code": row.get("comtrade_code", ""),
                "comtrade_codes_other": row.get("comtrade_codes_other", ""),
                "baci_codes_other": row.get("baci_codes_other", ""),
                "name": row["name"],
                "is_eu27": "true" if row["is_eu27"] else "false",
                "eurostat_labels": "|".join(eurostat),
                "aliases": "|".join(sorted(kept.values())),
                "cldr_name": row["cldr_name"],
                "capital": row["capital"],
            }
        )
    return out


def build_code_rows(datahub: Path, comtrade: Path, baci: Path) -> tuple[dict[str, dict], list[str]]:
    """Rows with every code column; labels are attached afterwards."""
    rows = base_rows(read_csv(datahub))
    add_comtrade(rows, read_csv(comtrade))
    skipped = add_baci(rows, read_csv(baci))
    return rows, skipped


def build(trade_dir: Path) -> list[dict[str, str]]:
    rows, skipped = build_code_rows(
        trade_dir / "reference" / "country_codes_datahub.csv",
        trade_dir / "reference" / "comtrade_country_codes_iso.csv",
        trade_dir / "baci" / "country_codes_V202601.csv",
    )
    print(f"BACI areas without an ISO3 country, left out: {skipped}", file=sys.stderr)
    match = label_matcher(rows)
    eurostat, national = collect_labels(trade_dir)
    unresolved = attach_labels(rows, eurostat, "eurostat_labels", match)
    unresolved += attach_labels(rows, national, "national", match)
    if unresolved:
        raise SystemExit(f"labels matching no country (add to MANUAL_ALIASES): {unresolved}")
    return finish(rows)


def write(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trade-dir", type=Path, required=True, help="folder of the trade files")
    parser.add_argument("--out", type=Path, default=COUNTRY_SEED)
    args = parser.parse_args(argv)
    rows = build(args.trade_dir)
    write(rows, args.out)
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
