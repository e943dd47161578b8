"""Build orchestration/reference/data/ref_country_names.csv: country names in the languages
counterparty files are written in, for :func:`orchestration.reference.countries.resolve_country`.

Run from the repository root (the table is committed; re-run only to refresh it):

    uv run python -m tools.reference.build_country_names

Sources, both kept libraries carrying public standards data:
- CLDR territory display names (Unicode CLDR, Unicode licence), as shipped in Babel (a dev
  dependency): the names people write ("Russland", "Rusya", "Россия", "俄罗斯");
- ISO 3166-1 short and official names translated by the Debian iso-codes project (LGPL-2.1
  data), as shipped in pycountry: the formal forms ("Russische Föderation", "Rusya Federasyonu").

A few names in everyday use that neither carries ("Weißrussland", "Holland") are added by hand
(``HAND_NAMES``, source ``hand``).

Rules: one row per (country, language, name); the countries are those of
ref_country_codes.csv (ISO3 key, so Namibia's ISO2 ``NA`` is never read as a null); a name that
two countries share after folding (case, accents, spacing) is left out, since it cannot say which
country is meant, and the builder prints it.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import sys
from collections import defaultdict
from pathlib import Path

import pycountry

from orchestration.reference.countries import COUNTRY_TABLE, countries, country_key

OUT = COUNTRY_TABLE.with_name("ref_country_names.csv")
COLUMNS = ("iso3", "language", "name", "source")

# Languages of the lists and of the trade around Russia: EU and UK languages, Russian and its
# neighbours, Turkey, the Gulf, Iran, Central Asia, the Caucasus, China, Japan, Korea, India.
LANGUAGES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "hu", "ro", "bg", "el", "fi",
    "sv", "da", "lt", "lv", "et", "hr", "sl", "ru", "uk", "be", "kk", "ky", "uz", "tg", "tk",
    "hy", "ka", "az", "tr", "ar", "fa", "he", "zh_Hans", "zh_Hant", "ja", "ko", "hi", "mn",
    "sr", "ms", "id", "vi", "th",
)  # fmt: skip

# Names in everyday use that neither CLDR nor ISO 3166 carries (older or informal forms that
# customer files still hold), each with its language.
HAND_NAMES = (
    ("BLR", "de", "Weißrussland"), ("BLR", "ru", "Белоруссия"), ("BLR", "en", "Byelorussia"),
    ("KGZ", "de", "Kirgisien"), ("KGZ", "ru", "Киргизия"), ("MDA", "ru", "Молдавия"),
    ("TUR", "en", "Republic of Türkiye"), ("TUR", "tr", "Türkiye Cumhuriyeti"),
    ("NLD", "en", "Holland"), ("GBR", "en", "England"), ("GBR", "en", "Scotland"),
    ("GBR", "en", "Wales"), ("GBR", "en", "Northern Ireland"), ("ARE", "ru", "Эмираты"),
    ("CHN", "en", "PRC"), ("CHN", "en", "People's Republic of China"),
    ("CHN", "ru", "КНР"), ("TWN", "en", "Republic of China (Taiwan)"),
)  # fmt: skip


def cldr_names(language: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(language).territories)


def iso_names(language: str) -> dict[str, list[str]]:
    """ISO 3166-1 names of every country in one language (English untranslated)."""
    base = language.split("_")[0]
    try:
        translation = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language, base]
        )
    except FileNotFoundError:
        if base != "en":
            return {}
        translation = gettext.NullTranslations()
    names: dict[str, list[str]] = {}
    for country in pycountry.countries:
        found = []
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                found.append(translation.gettext(value))
        names[country.alpha_2] = found
    return names


def build() -> tuple[list[dict[str, str]], list[str]]:
    iso3_of = {c.iso2: c.iso3 for c in countries()}
    rows: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for language in LANGUAGES:
        for iso2, name in cldr_names(language).items():
            if iso2 in iso3_of:
                rows[(iso3_of[iso2], language, name.strip())].add("cldr")
        for iso2, names in iso_names(language).items():
            for name in names:
                if iso2 in iso3_of and name.strip():
                    rows[(iso3_of[iso2], language, name.strip())].add("iso3166")
    for iso3, language, name in HAND_NAMES:
        rows[(iso3, language, name)].add("hand")
    owners: dict[str, set[str]] = defaultdict(set)
    for iso3, _, name in rows:
        owners[country_key(name)].add(iso3)
    shared = sorted(k for k, isos in owners.items() if len(isos) > 1)
    # A double quote in a name is the Hebrew gershayim typed as ASCII (ארה"ב): written as the
    # gershayim itself, so that no row needs CSV quote escapes (DuckDB's CSV sniffer, which
    # loads the seed, refuses a doubled quote it did not see in its sample).
    out = [
        {
            "iso3": iso3,
            "language": lang,
            "name": name.replace('"', "\u05f4"),
            "source": "|".join(sorted(sources)),
        }  # fmt: skip
        for (iso3, lang, name), sources in sorted(rows.items())
        if len(owners[country_key(name)]) == 1
    ]
    return out, [f"{k}: {', '.join(sorted(owners[k]))}" for k in shared]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows, shared = build()
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} names to {args.out}", file=sys.stderr)
    for line in shared:
        print(f"left out (names more than one country): {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
