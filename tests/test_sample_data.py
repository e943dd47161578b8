"""The bundled sample inputs (real extracts), and the synthetic BACI panel of the tests.

The panel is generated into a temporary folder (it is not bundled) and everything about it is
recomputed from the written files with the csv module (not with the generator's Polars code);
the bundled files are read as committed. Nothing here reads outside the repository.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from orchestration.sources.common.base import SourceParseError
from tools.samples import build_sample_counterparties, build_sample_ofac, build_sample_trade
from tools.synthetic import baci_panel, catalogue, planted

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
BACI = SAMPLE / "trade" / "baci"
OFAC = SAMPLE / "sanctions" / "ofac_sdn"
YEARS = range(2017, 2025)
PANEL_FILES = [f"BACI_HS17_Y{year}_V202601.csv" for year in YEARS]

# The 50 CHPL codes (BIS, 2024-02-23) in HS2022, by tier, as the metric catalogue lists them.
CHPL_HS22 = {
    "1": "854231 854232 854233 854239",
    "2": "851762 852691 853221 853224 854800",
    "3.A": "847150 850440 851769 852589 852910 852990 853669 853690 854110 854121 854129 "
    "854130 854149 854151 854159 854160",
    "3.B": "848210 848220 848230 848250 880730 901310 901380 901420 901480",
    "4.A": "847180 848610 848620 848640 853400 854320 902750 903020 903032 903039 903082",
    "4.B": "845710 845811 845891 845961 846693",
}
TIER_1 = {"854231", "854232", "854233", "854239"}
TIER_2 = {"851762", "852691", "853221", "853224", "854890"}
TRANSIT_OFAC = {
    "China", "Hong Kong", "Turkey", "Kazakhstan", "Kyrgyzstan", "Uzbekistan", "Tajikistan",
    "Turkmenistan", "Armenia", "Georgia", "Azerbaijan", "United Arab Emirates", "Russia", "Belarus",
}  # fmt: skip
# Coalition members present in the panel, by BACI code (Taiwan is 490 "Other Asia, nes").
COALITION_ISO3 = (
    "DEU USA JPN KOR FRA NLD ITA GBR CHE POL CZE ESP BEL SWE AUT CAN HUN IRL FIN DNK AUS NOR NZL "
    "ISL"
)


# ---------------------------------------------------------------- reading the committed files


def _country_codes() -> dict[str, int]:
    """ISO3 -> BACI code from the committed country table (current codes win over historic)."""
    with (BACI / "country_codes_V202601.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if "(..." not in r["country_name"]]
    return {r["country_iso3"]: int(r["country_code"]) for r in rows}


def _panel_rows(panel: Path) -> list[dict[str, str]]:
    rows = []
    for name in PANEL_FILES:
        with (panel / name).open(encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return rows


@pytest.fixture(scope="module")
def panel(fresh) -> Path:
    """The synthetic panel as the generator writes it."""
    return fresh[0]


@pytest.fixture(scope="module")
def rows(panel) -> list[dict[str, str]]:
    return _panel_rows(panel)


@pytest.fixture(scope="module")
def codes() -> dict[str, int]:
    return _country_codes()


def _sum_kusd(rows, *, exporters=None, importers=None, products, year) -> Decimal:
    return sum(
        (
            Decimal(r["v"])
            for r in rows
            if r["t"] == str(year)
            and r["k"] in products
            and (exporters is None or int(r["i"]) in exporters)
            and (importers is None or int(r["j"]) in importers)
        ),
        Decimal(0),
    )


def _ofac_lines(relative: str) -> list[bytes]:
    raw = (OFAC / relative).read_bytes()
    assert raw.endswith(b"\r\n\x1a"), relative
    lines = raw[:-1].split(b"\r\n")
    assert lines[-1] == b""
    return lines[:-1]


def _ofac_rows(relative: str) -> list[list[str]]:
    return [next(csv.reader([line.decode("ascii")])) for line in _ofac_lines(relative)]


# ---------------------------------------------------------------- generator: determinism


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> tuple[Path, Path]:
    """Two independent generations: write_sample, and the module's command line."""
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    baci_panel.write_sample(first)
    assert baci_panel.main(["sample", "--out", str(second)]) == 0
    return first, second


def test_generator_is_deterministic(fresh):
    first, second = fresh
    for name in [*PANEL_FILES, "SYNTHETIC.md"]:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_the_bundled_sample_holds_no_synthetic_file():
    assert not list(SAMPLE.rglob("SYNTHETIC*"))
    assert not list(BACI.glob("BACI_HS17_Y*.csv"))


def test_the_generated_panel_sits_beside_the_real_code_tables(panel):
    for name in ("country_codes_V202601.csv", "product_codes_HS17_V202301.csv"):
        assert (panel / name).read_bytes() == (BACI / name).read_bytes(), name


def test_another_seed_gives_another_background():
    a = baci_panel.background_frame(seed=1)
    b = baci_panel.background_frame(seed=2)
    assert not a.equals(b)


def test_synthetic_note_names_every_panel_file(panel):
    note = (panel / "SYNTHETIC.md").read_text(encoding="utf-8")
    assert note.startswith("# SYNTHETIC DATA")
    for name in PANEL_FILES:
        assert f"`{name}`" in note


# ---------------------------------------------------------------- panel: shape and keys


def test_panel_shape(rows, panel):
    for name in PANEL_FILES:
        raw = (panel / name).read_bytes()
        assert raw.startswith(b"t,i,j,k,v,q\n") and b"\r" not in raw, name
    number = re.compile(r"\d+\.\d{3}")
    for r in rows:
        assert re.fullmatch(r"\d{6}", r["k"]), r
        assert number.fullmatch(r["v"]) and Decimal(r["v"]) > 0, r
        assert r["q"] == "" or (number.fullmatch(r["q"]) and Decimal(r["q"]) > 0), r
        assert r["i"] != r["j"], r
    missing = sum(r["q"] == "" for r in rows) / len(rows)
    assert 0.01 < missing < 0.03
    assert 40_000 <= len(rows) <= 80_000


def test_each_file_holds_its_year_and_is_sorted(panel):
    for year, name in zip(YEARS, PANEL_FILES, strict=True):
        with (panel / name).open(encoding="utf-8", newline="") as handle:
            keys = [(int(r["t"]), int(r["i"]), int(r["j"]), r["k"]) for r in csv.DictReader(handle)]
        assert {k[0] for k in keys} == {year}
        assert keys == sorted(keys)


def test_no_duplicate_keys(rows):
    keys = [(r["t"], r["i"], r["j"], r["k"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_every_product_is_in_the_hs17_table(rows):
    with (BACI / "product_codes_HS17_V202301.csv").open(encoding="utf-8", newline="") as handle:
        table = {r["code"].zfill(6) for r in csv.DictReader(handle)}
    assert len(table) == 5384
    assert {r["k"] for r in rows} <= table
    assert set(catalogue.PRODUCTS) <= table


def test_every_country_is_in_the_country_table(rows, codes):
    known = set(codes.values())
    assert {int(r["i"]) for r in rows} | {int(r["j"]) for r in rows} <= known
    # The special BACI codes the catalogue must use.
    assert codes["USA"] == 842 and codes["FRA"] == 251 and codes["NOR"] == 579
    assert codes["CHE"] == 757 and codes["IND"] == 699 and codes["S19"] == 490
    for country in catalogue.COUNTRIES:
        iso3 = "S19" if country.iso3 == "TWN" else country.iso3
        assert codes[iso3] == country.code, country


# ---------------------------------------------------------------- panel: products


def test_chpl_in_hs17_covers_the_fifty_codes():
    hs22 = {code: tier for tier, text in CHPL_HS22.items() for code in text.split()}
    assert len(hs22) == 50
    mapped = {catalogue.HS22_TO_HS17.get(code, code): tier for code, tier in hs22.items()}
    assert mapped == catalogue.CHPL_HS17
    assert len(catalogue.CHPL_HS17) == 49
    unchanged = [code for code in hs22 if code not in catalogue.HS22_TO_HS17]
    assert len(unchanged) == 44
    assert set(catalogue.TIER_1) == TIER_1 and set(catalogue.TIER_2) == TIER_2


def test_comparison_goods_are_non_chpl_chapters_84_85_90():
    assert len(catalogue.COMPARISON_HS17) == 30
    assert not set(catalogue.COMPARISON_HS17) & set(catalogue.CHPL_HS17)
    assert {code[:2] for code in catalogue.COMPARISON_HS17} == {"84", "85", "90"}


def test_the_854140_trap_is_large_and_led_by_china(rows, codes):
    rest_3a = {k for k, tier in catalogue.CHPL_HS17.items() if tier == "3.A"} - {"854140"}
    for year in YEARS:
        trap = _sum_kusd(rows, products={"854140"}, year=year)
        china = _sum_kusd(rows, exporters={codes["CHN"]}, products={"854140"}, year=year)
        assert trap > 3 * _sum_kusd(rows, products=rest_3a, year=year)
        assert china > Decimal("0.7") * trap


def test_background_story(rows, codes):
    chpl = set(catalogue.CHPL_HS17)
    coalition = {codes[c] for c in COALITION_ISO3.split()} | {490}
    rus = {codes["RUS"]}

    def series(**kwargs) -> dict[int, Decimal]:
        return {year: _sum_kusd(rows, year=year, **kwargs) for year in YEARS}

    def base(values: dict[int, Decimal]) -> Decimal:
        return (values[2019] + values[2020] + values[2021]) / 3

    collapse = series(exporters=coalition, importers=rus, products=chpl)
    assert Decimal("0.05") < collapse[2022] / base(collapse) < Decimal("0.15")
    assert Decimal("0.02") < collapse[2023] / base(collapse) < Decimal("0.08")
    for hub in ("CHN", "HKG"):
        rising = series(exporters={codes[hub]}, importers=rus, products=chpl)
        assert rising[2023] > Decimal("1.5") * base(rising), hub
    flat = series(products=set(catalogue.COMPARISON_HS17))
    for year in (2022, 2023, 2024):
        assert abs(flat[year] / base(flat) - 1) < Decimal("0.15")


# ---------------------------------------------------------------- panel: the planted pattern

PLANTED_KUSD = {
    # (country, tier codes, exporter shares): (coalition imports, exports to Russia) by year
    "KGZ": (
        TIER_1,
        {"DEU": 40, "USA": 30, "JPN": 20, "KOR": 10},
        [1700, 1750, 1800, 2000, 2200, 9000, 30000, 26000],
        [30, 35, 40, 50, 60, 7000, 24000, 21000],
    ),
    "ARM": (
        TIER_2,
        {"DEU": 50, "USA": 25, "FRA": 25},
        [3500, 3800, 4000, 5000, 6000, 10000, 15000, 14000],
        [900, 950, 1000, 1200, 1400, 6000, 9600, 9000],
    ),
    "GEO": (TIER_1, {"DEU": 100}, [2000] * 8, [100] * 8),
}


@pytest.mark.parametrize("country", sorted(PLANTED_KUSD))
def test_planted_cells_sum_to_the_documented_values(rows, codes, country):
    products, shares, imports, exports = PLANTED_KUSD[country]
    coalition = {codes[c] for c in COALITION_ISO3.split()} | {490}
    target, rus = {codes[country]}, {codes["RUS"]}
    for n, year in enumerate(YEARS):
        got = _sum_kusd(rows, exporters=coalition, importers=target, products=products, year=year)
        assert got == imports[n], (country, year)
        got = _sum_kusd(rows, exporters=target, importers=rus, products=products, year=year)
        assert got == exports[n], (country, year)
        for exporter, percent in shares.items():
            for k in products:
                cell = _sum_kusd(
                    rows, exporters={codes[exporter]}, importers=target, products={k}, year=year
                )
                assert cell == Decimal(imports[n]) * percent / 100 / len(products)


@pytest.mark.parametrize("country", sorted(PLANTED_KUSD))
def test_nothing_else_sits_in_the_planted_cells(rows, codes, country):
    products, shares, _, _ = PLANTED_KUSD[country]
    code = codes[country]
    senders = {codes[c] for c in shares}
    for r in rows:
        if r["k"] in products and int(r["j"]) == code:
            assert int(r["i"]) in senders, r
        if r["k"] in products and int(r["i"]) == code:
            assert int(r["j"]) == codes["RUS"], r


def _growth(x1: Fraction, x0: Fraction, floor: int = 1_000_000) -> Fraction | None:
    return None if x0 < floor else x1 / x0 - 1


def _sg(x1: Fraction, x0: Fraction) -> Fraction:
    return (x1 - x0) / ((x1 + x0) / 2)


@pytest.mark.parametrize(
    ("country", "flow", "growth_2023", "sg_2023"),
    [
        ("KGZ", "imports", Fraction(14), Fraction(7, 4)),
        ("KGZ", "exports", None, Fraction(958, 481)),
        ("ARM", "imports", Fraction(2), Fraction(1)),
        ("ARM", "exports", Fraction(7), Fraction(14, 9)),
        ("GEO", "imports", Fraction(0), Fraction(0)),
        ("GEO", "exports", None, Fraction(0)),
    ],
)
def test_documented_growth_values(rows, codes, country, flow, growth_2023, sg_2023):
    products = PLANTED_KUSD[country][0]
    coalition = {codes[c] for c in COALITION_ISO3.split()} | {490}
    target, rus = {codes[country]}, {codes["RUS"]}
    pair = {"exporters": coalition, "importers": target}
    if flow == "exports":
        pair = {"exporters": target, "importers": rus}

    def usd(year: int) -> Fraction:
        return Fraction(_sum_kusd(rows, products=products, year=year, **pair) * 1000)

    baseline = (usd(2019) + usd(2020) + usd(2021)) / 3
    assert _growth(usd(2023), baseline) == growth_2023
    assert _sg(usd(2023), baseline) == sg_2023


def test_split_exact_by_hand():
    assert planted.split_exact(10, (1, 1, 1)) == [3, 3, 4]
    assert planted.split_exact(1_700_000, (40, 30, 20, 10)) == [680_000, 510_000, 340_000, 170_000]
    assert planted.split_exact(7, (1,)) == [7]
    with pytest.raises(ValueError):
        planted.split_exact(10, (1, 0))
    with pytest.raises(ValueError):
        planted.split_exact(-1, (1,))


def test_planted_pattern_rejects_shares_not_summing_to_100():
    bad = planted.PlantedPattern("KGZ", "1", planted.TIER_1, (("DEU", 60),), (1,) * 8, (1,) * 8)
    with pytest.raises(ValueError, match="sum to 60"):
        planted.pattern_flows(bad)


# ---------------------------------------------------------------- scale generator


def test_scale_writer_exact_rows_sorted_unique(tmp_path):
    countries, products = [4, 8, 12, 643, 842], ["010121", "854231", "854140"]
    path = tmp_path / "y.csv"
    n = baci_panel.write_baci_year(
        path, 2022, 37, countries=countries, products=products, chunk_rows=5
    )
    with path.open(encoding="utf-8", newline="") as handle:
        got = list(csv.DictReader(handle))
    assert n == 37 and len(got) == 37
    keys = [(int(r["i"]), int(r["j"]), r["k"]) for r in got]
    assert keys == sorted(set(keys))
    assert all(r["t"] == "2022" and r["i"] != r["j"] for r in got)
    assert {int(r["i"]) for r in got} <= set(countries) and {r["k"] for r in got} <= set(products)
    again = tmp_path / "again.csv"
    baci_panel.write_baci_year(
        again, 2022, 37, countries=countries, products=products, chunk_rows=5
    )
    assert again.read_bytes() == path.read_bytes()


def test_scale_writer_can_fill_every_cell(tmp_path):
    path = tmp_path / "full.csv"
    baci_panel.write_baci_year(path, 2020, 12, countries=[51, 268, 417], products=["854231", "1"])
    with path.open(encoding="utf-8", newline="") as handle:
        keys = {(r["i"], r["j"], r["k"]) for r in csv.DictReader(handle)}
    expected = {
        (str(i), str(j), k)
        for i in (51, 268, 417)
        for j in (51, 268, 417)
        if i != j
        for k in ("1", "854231")
    }
    assert keys == expected
    with pytest.raises(ValueError, match="allow 1..12"):
        baci_panel.write_baci_year(path, 2020, 13, countries=[51, 268, 417], products=["1", "2"])


def test_scale_writer_defaults_to_the_bundled_tables(tmp_path):
    countries, products = baci_panel.bundled_codes()
    assert 643 in countries and 810 not in countries and 280 not in countries
    assert len(products) == 5384 and products[0] == "010121"
    path = tmp_path / "default.csv"
    assert baci_panel.main(["scale", "--year", "2024", "--rows", "500", "--out", str(path)]) == 0
    with path.open(encoding="utf-8", newline="") as handle:
        got = list(csv.DictReader(handle))
    assert len(got) == 500
    assert {int(r["i"]) for r in got} <= set(countries) and {r["k"] for r in got} <= set(products)


# ---------------------------------------------------------------- build scripts


def _csv_rows(path: Path) -> list[list[str]]:
    """Data rows of a bundled file (gzip or not), header and OFAC's end-of-file byte aside."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    text = raw.decode("utf-8-sig").rstrip("\x1a")
    rows = [r for r in csv.reader(text.splitlines()) if r]
    return rows if path.parts[-3] == "ofac_sdn" else rows[1:]


def test_readme_records_each_bundled_file():
    """Every file of data/sample has its line in the README with its rows (counted here with
    the csv module), bytes and sha256."""
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    files = sorted(p for p in SAMPLE.rglob("*") if p.is_file() and p.name != "README.md")
    assert len(files) == 17
    for path in files:
        relative = path.relative_to(SAMPLE).as_posix()
        data = path.read_bytes()
        line = next(x for x in readme.splitlines() if x.startswith(f"| `{relative}`"))
        cells = [c.strip() for c in line.split("|")]
        assert cells[3] == f"{len(_csv_rows(path)):,}", relative
        assert cells[4] == f"{len(data):,}", relative
        assert cells[5] == f"`{hashlib.sha256(data).hexdigest()}`", relative


def test_the_bundled_customer_file_is_the_builders_output():
    """The builder writes the committed bytes again, and each listed row's name is the one the
    bundled SDN release publishes under its number (read here with the csv module)."""
    bundled = SAMPLE / "screening" / "counterparties.csv"
    assert build_sample_counterparties.render() == bundled.read_text(encoding="utf-8")
    text = (OFAC / "2023-12-28" / "sdn.csv").read_bytes().rstrip(b"\x1a").decode("ascii")
    names = {r[0]: r[1] for r in csv.reader(text.splitlines()) if r}
    listed = [r for r in build_sample_counterparties.ROWS if r.ent_num]
    assert len(listed) == 12
    assert all(names[r.ent_num] == r.listed_name for r in listed)
    assert all(r.name.upper() != r.listed_name for r in listed)  # none written as listed


def test_the_customer_file_builder_refuses_a_name_the_list_does_not_hold():
    row = build_sample_counterparties.Row("Laser Components OOO", "RU", ent_num="45943",
                                          listed_name="LASER COMPONENTS LLC")  # fmt: skip
    with pytest.raises(SystemExit, match="45943"):
        build_sample_counterparties.render((row,))


def _write_gz(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode("utf-8")))


def test_trade_sample_builder_keeps_whole_lines_by_its_rules(tmp_path):
    """The builder on a small shared folder of the publishers' layouts: the rows kept, byte for
    byte, and the same bytes on a second build."""
    shared = tmp_path / "shared"
    comext = "reporter_iso2,partner_iso2,product_code,flow,indicator,period,value_eur\n"
    kept_comext = [
        "DE,RU,TOTAL,EXPORT,VALUE_IN_EUROS,2021-01,5\n",
        "DE,AM,85423190,EXPORT,VALUE_IN_EUROS,2022-03,7\n",  # under CHPL 854231
        "FR,KZ,85171300,EXPORT,VALUE_IN_EUROS,2022-04,9\n",  # smartphones
    ]
    dropped_comext = [
        "DE,RU,8542,EXPORT,VALUE_IN_EUROS,2021-01,5\n",  # a heading, not a CN8 code
        "DE,RU,01012100,EXPORT,VALUE_IN_EUROS,2021-01,5\n",
    ]
    _write_gz(
        shared
        / "eurostat_comext"
        / "comext_ds045409_eu27_to_ru_by_am_ge_kg_kz_uz_monthly_2020_2022.csv.gz",
        comext + "".join(kept_comext + dropped_comext),
    )
    totals = (
        "REPORTER,PARTNER,PRODUCT,FLOW,STAT_PROCEDURE,PERIOD,VALUE_IN_EUR\n"
        "A,B,Total,EXPORT,Total,Aug. 2024,1\n"
    )
    (
        shared / "eurostat_comext" / "comext_eu_member_totals_to_transit_countries_2019_2024.csv"
    ).write_text(totals)
    header = "year,trade_flow,partner_iso,value\n"
    for name in (
        "vehicle_trade_armenia",
        "vehicle_trade_georgia",
        "mobile_phone_reexports_armenia",
    ):
        path = shared / "comtrade" / "armenia_georgia" / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(header + "2022,Export,RUS,1\n2022,Import,RUS,2\n2022,Export,KAZ,3\n")
    for year in (2022, 2024):
        _write_gz(
            shared / "comtrade" / "critical_materials" / f"comtrade_{year}.csv.gz",
            "reporter,partner,cmd,flow,value\n643,0,250490,X,1\n643,0,250490,X,1\n"
            "56,300,250490,M,2\n156,417,250490,X,3\n",
        )
        path = shared / "baci" / f"baci_hs17_v202601_critical_materials_{year}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("i,j,cmd,value\nCHN,KGZ,250490,1.0\nCHN,USA,250490,2.0\n")
    (shared / "national").mkdir()
    (shared / "national" / "armstat_arm_trade_country_monthly.csv").write_bytes(
        '\ufeff"country","year","month","export"\n"Russian Federation",2016,1,1\n'
        '"Russian Federation",2017,1,2\n'.encode()
    )
    for name in ("country_codes_V202601.csv", "product_codes_HS17_V202301.csv"):
        shutil.copyfile(BACI / name, shared / "baci" / name)
    out = tmp_path / "out"
    written = dict(build_sample_trade.build(shared, out))

    def text(relative: str) -> str:
        return gzip.decompress((out / relative).read_bytes()).decode("utf-8")

    ds = "eurostat_comext/2023-01-21/comext_ds045409_chpl_monthly_2020_2022.csv.gz"
    assert text(ds) == comext + "".join(kept_comext)
    assert written[out / ds] == 3
    assert (
        text("eurostat_comext/comext_eu_member_totals_to_transit_countries_2019_2024.csv.gz")
        == totals
    )
    assert text("comtrade/armenia_georgia/vehicle_trade_georgia_to_russia.csv.gz") == (
        header + "2022,Export,RUS,1\n"
    )
    # Identical lines once; a flow with a focus country on either side kept.
    assert text("comtrade/critical_materials/comtrade_2024.csv.gz") == (
        "reporter,partner,cmd,flow,value\n643,0,250490,X,1\n156,417,250490,X,3\n"
    )
    assert text("baci/baci_hs17_v202601_critical_materials_2022.csv.gz") == (
        "i,j,cmd,value\nCHN,KGZ,250490,1.0\n"
    )
    assert text("national/armstat_arm_trade_country_monthly_2017_2024.csv.gz") == (
        '\ufeff"country","year","month","export"\n"Russian Federation",2017,1,2\n'
    )
    first = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    build_sample_trade.build(shared, out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == first


def test_trade_sample_builder_names_a_broken_line(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text("a,b\n1,2\n1,2,3\n")
    with pytest.raises(ValueError, match=r"broken.csv, line 3: 3 fields"):
        build_sample_trade.select(path, lambda r: True)


# ---------------------------------------------------------------- OFAC extracts


def test_ofac_files_keep_the_publisher_bytes():
    for relative in ("2021-04-25/sdn.csv", "2021-04-25/add.csv", "2021-04-25/alt.csv"):
        raw = (OFAC / relative).read_bytes()
        assert raw[-3:] == b"\r\n\x1a" and raw.count(b"\n") == raw.count(b"\r\n")
        assert b"-0- " in raw
    raw = (OFAC / "2023-12-28/sdn.csv").read_bytes()
    assert raw[-3:] == b"\r\n\x1a" and raw.count(b"\n") == raw.count(b"\r\n")
    widths = {"2021-04-25/sdn.csv": 12, "2021-04-25/add.csv": 6, "2021-04-25/alt.csv": 5}
    widths["2023-12-28/sdn.csv"] = 12
    for relative, width in widths.items():
        assert {len(r) for r in _ofac_rows(relative)} == {width}, relative


def test_ofac_2021_extract_follows_the_rule():
    sdn = _ofac_rows("2021-04-25/sdn.csv")
    add = _ofac_rows("2021-04-25/add.csv")
    alt = _ofac_rows("2021-04-25/alt.csv")
    assert (len(sdn), len(add), len(alt)) == (924, 1838, 1600)
    ent_nums = [r[0] for r in sdn]
    assert len(ent_nums) == len(set(ent_nums))
    in_transit = {r[0] for r in add if r[4] in TRANSIT_OFAC}
    assert set(ent_nums) == in_transit
    assert {r[0] for r in add} <= set(ent_nums)
    assert {r[0] for r in alt} <= set(ent_nums)
    # Addresses of selected entries outside the named countries are kept too.
    assert any(r[4] not in TRANSIT_OFAC for r in add)
    # Original row order: OFAC sorts add.csv by ent_num, then add_num.
    assert [(int(r[0]), int(r[1])) for r in add] == sorted((int(r[0]), int(r[1])) for r in add)
    names = {r[1] for r in sdn}
    assert "BEIJING ALITE TECHNOLOGIES CO., LTD." in names


def test_ofac_2023_extract_follows_the_rule():
    old = {r[0] for r in _ofac_rows("2021-04-25/sdn.csv")}
    new = _ofac_rows("2023-12-28/sdn.csv")
    assert len(new) == 4387
    assert all("RUSSIA-EO14024" in r[3] or r[0] in old for r in new)
    assert sum("RUSSIA-EO14024" in r[3] for r in new) == 3527
    assert sum(r[0] in old for r in new) == 908
    by_ent = {r[0]: r for r in new}
    named = {
        "38641": ("SINNO ELECTRONICS CO., LIMITED", "(Hong Kong)"),
        "43144": ("BEIJING LUCHENG WEIYE TECHNOLOGY DEVELOPMENT COMPANY LIMITED", "(China)"),
        "41936": ("DEXIAS INTERNATIONAL PRODUCTS AND TRADE LIMITED COMPANY", "(Turkey)"),
        "44000": ("LLC RM DESIGN AND DEVELOPMENT", "(Kyrgyzstan)"),
        "36427": ("SBER VOSTOK LIMITED LIABILITY PARTNERSHIP", "(Kazakhstan)"),
        "37847": ("PRIVATE COMPANY PROMCOMPLEKTLOGISTIC", "(Uzbekistan)"),
        "38796": ("MILUR ELECTRONICS LLC", "(Armenia)"),
    }
    for ent_num, (name, country) in named.items():
        row = by_ent[ent_num]
        assert row[1] == name and "RUSSIA-EO14024" in row[3] and country in row[11], ent_num
    # Carried over by the 2021 ent_num, not by the program.
    alite = next(r for r in new if r[1] == "BEIJING ALITE TECHNOLOGIES CO., LTD.")
    assert "RUSSIA-EO14024" not in alite[3]


def test_ofac_build_script_is_idempotent_on_the_extract(tmp_path):
    shared, out = tmp_path / "shared", tmp_path / "out"
    shutil.copytree(OFAC, shared)
    assert build_sample_ofac.main(["--shared", str(shared), "--out", str(out)]) == 0
    for path in sorted(OFAC.rglob("*.csv")):
        name = path.relative_to(OFAC).as_posix()
        assert (out / name).read_bytes() == path.read_bytes(), name


def test_ofac_table_rejects_bad_files(tmp_path):
    path = tmp_path / "sdn.csv"
    with pytest.raises(SourceParseError, match="0x1A"):
        build_sample_ofac.Table(path, b'36,"AEROCARIBBEAN AIRLINES"\r\n')
    with pytest.raises(SourceParseError, match=r"sdn\.csv:2: 2 fields, expected 12"):
        build_sample_ofac.Table(path, b",".join([b"1"] * 12) + b'\r\n2,"X"\r\n\x1a')
