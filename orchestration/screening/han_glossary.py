"""A Latin reading of a Chinese company name: place names as their Latin names, the common words
of company names translated, the rest Pinyin.

Chinese company names are translated into English, not transliterated: the lists write
``深圳市羅約科技有限公司`` as Shenzhen Royo Technology Co Limited, where Pinyin gives ``shen zhen
shi luo yue ke ji``. The place (深圳 Shenzhen) and the trade words (科技 technology) have fixed
English forms; the brand (羅約 "Royo") is the company's own choice, which no table knows, so
its Pinyin is kept, written as one word ("luoyue"), as the lists write Pinyin brands
("Hehuixin", "Hengye").

Sources of the kept vocabulary:

- ``WORDS``: the ordinary dictionary sense of each word, in the form English company names use
  (科技 "science and technology" is written "Technology"), as the lists' own English names of
  Chinese companies write them; simplified and traditional characters both. The senses are the
  common ones of any Chinese-English dictionary, written down here by hand, not copied from one.
  Legal forms (有限公司 ...) are not here: :mod:`legal_forms` reads them.
- ``PLACES``: the provinces, regions and large cities of China and the places Chinese company
  names start with, read as Hanyu Pinyin written together (the orthography of GB/T 16159 for
  place names: 深圳 Shenzhen), or by their conventional English names where those differ from
  Pinyin (``PLACE_NAMES``: Hong Kong, Macau, Tibet, Inner Mongolia, Harbin, and Shaanxi, the
  official spelling that tells 陕西 from 山西 Shanxi). The administrative suffixes 市 (city), 省
  (province) and 区 (district) after a place are left out, as English names leave them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

WORDS: dict[str, str] = {
    "科技": "technology",
    "技术": "technology",
    "技術": "technology",
    "国际": "international",
    "國際": "international",
    "贸易": "trade",
    "貿易": "trade",
    "商贸": "trading",
    "商貿": "trading",
    "进出口": "import export",
    "進出口": "import export",
    "电子": "electronics",
    "電子": "electronics",
    "电气": "electric",
    "電氣": "electric",
    "电器": "electric appliance",
    "電器": "electric appliance",
    "光电": "optoelectronics",
    "光電": "optoelectronics",
    "半导体": "semiconductor",
    "半導體": "semiconductor",
    "实业": "industrial",
    "實業": "industrial",
    "工业": "industry",
    "工業": "industry",
    "集团": "group",
    "集團": "group",
    "控股": "holdings",
    "投资": "investment",
    "投資": "investment",
    "发展": "development",
    "發展": "development",
    "机械": "machinery",
    "機械": "machinery",
    "机电": "electromechanical",
    "機電": "electromechanical",
    "设备": "equipment",
    "設備": "equipment",
    "仪器": "instrument",
    "儀器": "instrument",
    "精密": "precision",
    "自动化": "automation",
    "自動化": "automation",
    "智能": "intelligent",
    "船务": "shipping",
    "船務": "shipping",
    "海运": "shipping",
    "海運": "shipping",
    "航运": "shipping",
    "航運": "shipping",
    "船舶": "ship",
    "物流": "logistics",
    "供应链": "supply chain",
    "供應鏈": "supply chain",
    "能源": "energy",
    "石油": "petroleum",
    "化工": "chemical",
    "材料": "material",
    "动力": "power",
    "動力": "power",
    "通信": "communication",
    "通讯": "communication",
    "通訊": "communication",
    "网络": "network",
    "網絡": "network",
    "软件": "software",
    "軟件": "software",
    "信息": "information",
    "航空": "aviation",
    "航天": "aerospace",
    "矿业": "mining",
    "礦業": "mining",
    "钢铁": "steel",
    "鋼鐵": "steel",
    "金属": "metal",
    "金屬": "metal",
    "汽车": "automobile",
    "汽車": "automobile",
    "医药": "pharmaceutical",
    "醫藥": "pharmaceutical",
    "生物": "biological",
    "工程": "engineering",
    "建设": "construction",
    "建設": "construction",
    "咨询": "consulting",
    "諮詢": "consulting",
    "服务": "services",
    "服務": "services",
    "制造": "manufacturing",
    "製造": "manufacturing",
    "环球": "global",
    "環球": "global",
    "全球": "global",
    "会社": "company",
    "會社": "company",
    "联合": "joint",
    "聯合": "joint",
    "亚洲": "asia",
    "亞洲": "asia",
    "欧洲": "europe",
    "歐洲": "europe",
    "中国": "china",
    "中國": "china",
    "朝鲜": "korea",
    "朝鮮": "korea",
    "韩国": "korea",
    "韓國": "korea",
    "俄罗斯": "russia",
    "俄羅斯": "russia",
}

PLACE_NAMES: dict[str, str] = {
    "香港": "hong kong",
    "澳门": "macau",
    "澳門": "macau",
    "西藏": "tibet",
    "内蒙古": "inner mongolia",
    "內蒙古": "inner mongolia",
    "哈尔滨": "harbin",
    "哈爾濱": "harbin",
    "陕西": "shaanxi",
    "陝西": "shaanxi",
}

# read as Pinyin written together (simplified and traditional where they differ)
PLACES: tuple[str, ...] = (
    # provinces and autonomous regions
    "广东", "廣東", "浙江", "江苏", "江蘇", "福建", "山东", "山東", "河北", "河南", "湖北",
    "湖南", "四川", "辽宁", "遼寧", "吉林", "黑龙江", "黑龍江", "安徽", "江西", "山西",
    "云南", "雲南", "贵州", "貴州", "甘肃", "甘肅", "青海", "新疆", "广西", "廣西", "宁夏",
    "寧夏", "海南", "台湾", "台灣",
    # municipalities and large cities
    "北京", "上海", "天津", "重庆", "重慶", "深圳", "广州", "廣州", "青岛", "青島", "厦门",
    "廈門", "杭州", "南京", "苏州", "蘇州", "宁波", "寧波", "大连", "大連", "沈阳", "瀋陽",
    "武汉", "武漢", "成都", "西安", "长沙", "長沙", "郑州", "鄭州", "东莞", "東莞", "佛山",
    "珠海", "中山", "金华", "金華", "义乌", "義烏", "温州", "溫州", "无锡", "無錫", "合肥",
    "福州", "济南", "濟南", "长春", "長春", "昆明", "南宁", "南寧", "海口", "汕头", "汕頭",
    "惠州", "泉州", "烟台", "煙台", "石家庄", "石家莊", "太原", "南昌", "贵阳", "貴陽",
    "兰州", "蘭州", "乌鲁木齐", "烏魯木齊", "呼和浩特", "丹东", "丹東",
)  # fmt: skip
ADMINISTRATIVE = ("市", "省", "区", "區")

_HAN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")


def _place_table() -> dict[str, str]:
    table = {p: "".join(lazy_pinyin(p, style=Style.NORMAL)) for p in PLACES}
    table.update(PLACE_NAMES)
    return table


_PLACES = _place_table()
_LONGEST = max(len(w) for w in (*WORDS, *_PLACES))


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def _pinyin_word(run: str) -> str:
    return "".join(s for s in lazy_pinyin(run, style=Style.NORMAL, errors="ignore") if s.isascii())


@lru_cache(maxsize=20_000)
def translate(text: str, keep: frozenset[str] = frozenset()) -> str:
    """The Latin reading of a name with Han characters (module docstring): places and table
    words by the tables, a run of other Han characters as one Pinyin word, everything else (and
    the strings in ``keep``, such as legal forms, read later by normalisation) as written.

    >>> translate("深圳市羅約科技")
    'shenzhen luoyue technology'
    """
    text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    pending = ""  # Han characters that are no table word: one Pinyin word
    i = 0

    def flush() -> None:
        nonlocal pending
        if pending:
            out.append(f" {_pinyin_word(pending)} ")
            pending = ""

    while i < len(text):
        found = next(
            (
                text[i : i + n]
                for n in range(min(_LONGEST, len(text) - i), 0, -1)
                if text[i : i + n] in keep or text[i : i + n] in WORDS or text[i : i + n] in _PLACES
            ),
            None,
        )
        if found is not None:
            flush()
            i += len(found)
            if found in _PLACES:
                out.append(f" {_PLACES[found]} ")
                if i < len(text) and text[i] in ADMINISTRATIVE:
                    i += 1
            else:
                out.append(f" {found if found in keep else WORDS[found]} ")
        elif _HAN.match(text[i]):
            pending += text[i]
            i += 1
        else:
            flush()
            out.append(text[i])
            i += 1
    flush()
    return " ".join("".join(out).split())


def translations(name: str, keep: frozenset[str] = frozenset()) -> list[str]:
    """The Latin readings of a name with Han characters: the whole name, and without a place
    written in brackets (``新全電子(香港)``: the Hong Kong company of a group, which the lists
    often leave out); empty when the name has no Han character."""
    if not has_han(name):
        return []
    readings = [translate(name, keep)]
    bare = re.sub(r"[(（][^()（）]*[)）]", " ", unicodedata.normalize("NFKC", name))
    if bare.strip() != unicodedata.normalize("NFKC", name).strip() and has_han(bare):
        readings.append(translate(bare, keep))
    return list(dict.fromkeys(readings))
