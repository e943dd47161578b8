"""Build ``data/sample/screening/counterparties.csv``: an illustrative customer file, so that the
first ``roundabout run`` screens something and the report's counterparty page has content.

Not a real customer's data. Each row is either a listed entity or person of the bundled OFAC SDN
release of 2023-12-28, written the way customer files write names (legal form changed or
abbreviated, another transliteration, another word order, national spellings), or an ordinary
company invented here, on no list. Countries are written in mixed forms (codes, English and
national names), as customer files mix them.

Every listed row names the ``ent_num`` and the name exactly as the bundled ``sdn.csv`` publishes
it; the builder refuses to write the file when the bundled list does not hold that name under
that number, so the file stays tied to the releases it was made from. Deterministic (no
randomness, no clock): running it again writes the same bytes. Run it with
``uv run python -m tools.samples.build_sample_counterparties``.
"""

from __future__ import annotations

import argparse
import csv
import io
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SDN = REPO / "data" / "sample" / "sanctions" / "ofac_sdn" / "2023-12-28" / "sdn.csv"
OUT = REPO / "data" / "sample" / "screening" / "counterparties.csv"

FIRST_NUMBER = 1001  # customer numbers C-1001, C-1002, ... in the order of ROWS
# Headers as a customer's export writes them (docs/screening.md, "Headers as customers write
# them"): read as id, name, country, type, birth_date, tax_id.
HEADER = ["Customer No", "Company Name", "Country", "Entity Type", "Date of Birth", "Tax Number"]


@dataclass(frozen=True)
class Row:
    name: str  # as the customer file writes it
    country: str
    type: str = "company"
    birth_date: str = ""
    tax_number: str = ""
    ent_num: str | None = None  # the SDN entry it is a variant of; None: on no list
    listed_name: str | None = None  # that entry's name exactly as sdn.csv publishes it
    variation: str = ""  # how the written name differs from the listed one


# Rows without ent_num are ordinary companies invented here, on no list; they alternate with the
# listed ones, as a customer file mixes them.
ROWS = (
    Row("Müller Präzisionstechnik GmbH", "Deutschland"),
    Row("Laser Components OOO", "Russian Federation",
        ent_num="45943", listed_name="LLC LASER COMPONENTS",
        variation="legal form moved to the end, as the Russian abbreviation"),
    Row("Nordhavn Pump Systems AB", "SE"),
    Row('ООО "Радиоавтоматика"', "Россия",
        ent_num="35348", listed_name="RADIOAVTOMATIKA LLC",
        variation="Cyrillic script, Russian legal form"),
    Row("Lyon Fromagerie Artisanale SARL", "France"),
    Row("Comfort Max Ltd.", "RU",
        ent_num="45969", listed_name="LIMITED LIABILITY COMPANY COMFORT MAX",
        variation="legal form abbreviated and moved to the end"),
    Row("Vardenis Apricot Growers Cooperative", "Armenia"),
    Row("King Pai Technology (HK) Co Ltd", "Hong Kong",
        ent_num="41861", listed_name="KING-PAI TECHNOLOGY HK CO., LIMITED",
        variation="hyphen dropped, HK in brackets, Limited abbreviated"),
    Row("Kakheti Clay Tiles LLC", "GE"),
    Row("Megasan Elektronik Ticaret ve Sanayi A.Ş.", "Türkiye",
        ent_num="46628", listed_name="MEGASAN ELEKTRONIK TICARET VE SANAYI ANONIM SIRKETI",
        variation="Turkish legal form abbreviated, with its diacritics"),
    Row("Shymkent Office Furniture TOO", "KAZ"),
    Row("Kobolt Trading FZ-LLC", "United Arab Emirates",
        ent_num="45729", listed_name="KOBOLT TRADING FZ LLC",
        variation="legal form hyphenated"),
    Row("Issyk-Kul Honey Farms", "Кыргызстан"),
    Row("Yantu Import & Export Co., Ltd. (Shenzhen)", "China",
        ent_num="43276", listed_name="SHENZHEN YANTU IMPORT EXPORT CO LTD",
        variation="city moved to the end, ampersand added"),
    Row("Fergana Cotton Spinning JSC", "Uzbekistan"),
    Row("Bestop Globle Manufacturing Ltd", "HKG",
        ent_num="45952", listed_name="BESTOP GLOBLE MFG LIMITED",
        variation="abbreviation written out, legal form abbreviated"),
    Row("Ege Mermer Madencilik A.Ş.", "Turkey"),
    Row("TOO Sber Vostok", "Kazakhstan",
        ent_num="36427", listed_name="SBER VOSTOK LIMITED LIABILITY PARTNERSHIP",
        variation="legal form as the Kazakh abbreviation, in front"),
    Row("Jumeirah Garden Furniture Trading LLC", "AE"),
    Row("Weitmann Handeln Allianz OsOO", "KG",
        ent_num="46671", listed_name="WEITMANN HANDELN ALLIANZ LLC",
        variation="legal form as the Kyrgyz abbreviation"),
    Row("Dongguan Sunny Toys Co., Ltd.", "中国"),
    Row("Кокорев Александр Александрович", "Russia", type="person", birth_date="1973-09-23",
        ent_num="37836", listed_name="KOKOREV, Alexander Aleksandrovich",
        variation="Cyrillic script, surname first without a comma"),
    Row("Kowloon Tea Merchants Limited", "HK"),
    Row("Grigory Grigoryev", "RUS", type="person", birth_date="19.06.1977",
        tax_number="501702148902",
        ent_num="42188", listed_name="GRIGORIEV, Grigoriy Igorevich",
        variation="given name first, another transliteration, no patronymic; tax number"),
)  # fmt: skip


def listed_names(sdn: Path = SDN) -> dict[str, str]:
    """ent_num -> name, read from the bundled sdn.csv (legacy CSV: no header, ASCII)."""
    text = sdn.read_bytes().rstrip(b"\x1a").decode("ascii")
    return {r[0]: r[1] for r in csv.reader(io.StringIO(text, newline="")) if len(r) > 1}


def render(rows: tuple[Row, ...] = ROWS, sdn: Path = SDN) -> str:
    names = listed_names(sdn)
    for row in rows:
        if row.ent_num is not None and names.get(row.ent_num) != row.listed_name:
            raise SystemExit(
                f"{row.name}: {sdn} holds {names.get(row.ent_num)!r} under ent_num "
                f"{row.ent_num}, not {row.listed_name!r}"
            )
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for number, row in enumerate(rows, start=FIRST_NUMBER):
        writer.writerow(
            [f"C-{number}", row.name, row.country, row.type, row.birth_date, row.tax_number]
        )
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(), encoding="utf-8")
    print(f"{args.out}: {len(ROWS)} rows")


if __name__ == "__main__":
    main()
