"""Realistic variants of listed names, and invented company names, for evaluation and benchmarks.

Every function takes a ``random.Random`` so a seed gives the same output on every machine. The
variants imitate what shows up in customer files: typing errors, words in another order, spacing
and punctuation, a legal form written in another language, a Russian name written in Cyrillic
or romanised by another scheme. They are not used when screening.
"""

from __future__ import annotations

import random
import re

from orchestration.screening.legal_forms import BY_CODE
from orchestration.screening.normalize import fold, normalize_name

# Neighbouring keys on a QWERTY keyboard, for substitution typos.
_KEYBOARD = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
    "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
    "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}  # fmt: skip


def _same_case(template: str, text: str) -> str:
    return text.upper() if template.isupper() else text


def typo(name: str, rng: random.Random, edits: int = 1) -> str:
    """``edits`` typing errors (drop, swap, double or neighbour key) inside words of 5+ letters."""
    chars = list(name)
    for _ in range(edits):
        spans = [m.span() for m in re.finditer(r"[A-Za-z]{5,}", "".join(chars))]
        if not spans:
            break
        start, end = rng.choice(spans)
        i = rng.randrange(start + 1, end - 1)
        kind = rng.choice(("drop", "swap", "double", "key"))
        if kind == "drop":
            del chars[i]
        elif kind == "swap":
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif kind == "double":
            chars.insert(i, chars[i])
        else:
            near = _KEYBOARD.get(chars[i].lower(), chars[i].lower())
            chars[i] = _same_case(chars[i], rng.choice(near))
    return "".join(chars)


def word_order(name: str, rng: random.Random) -> str | None:
    """The words of the name proper in another order; legal-form words stay where they are
    (None when fewer than two distinct name words)."""
    words = name.split()
    core = set(normalize_name(name).tokens)
    positions = [i for i, w in enumerate(words) if fold(w) in core]
    picked = [words[i] for i in positions]
    if len(set(picked)) < 2:
        return None
    shuffled = picked[:]
    while shuffled == picked:
        rng.shuffle(shuffled)
    for i, word in zip(positions, shuffled, strict=True):
        words[i] = word
    return " ".join(words)


def spacing(name: str, rng: random.Random) -> str | None:
    """Hyphens and spaces changed: joined, split or hyphenated words, stray punctuation."""
    options = []
    if "-" in name:
        options += [name.replace("-", " "), name.replace("-", "")]
    words = name.split()
    if len(words) >= 2:
        i = rng.randrange(len(words) - 1)
        options.append(" ".join(words[:i] + [words[i] + words[i + 1]] + words[i + 2 :]))
        options.append(" ".join(words[:i] + [words[i] + "-" + words[i + 1]] + words[i + 2 :]))
    long_words = [w for w in words if len(w) >= 8 and w.isalpha()]
    if long_words:
        w = rng.choice(long_words)
        cut = rng.randrange(3, len(w) - 3)
        options.append(name.replace(w, w[:cut] + " " + w[cut:], 1))
    options.append(f'"{name}"')
    options = [o for o in options if o != name]
    return rng.choice(options) if options else None


_PREFIX_FAMILIES = {"llc", "llp", "jsc", "ojsc", "cjsc", "pjsc", "fgup", "fgbu"}
_DEFAULT_FORMS = {
    "RU": ("OOO", "AO", "LLC", "JSC", "ООО", "АО"),
    "BY": ("OOO", "OAO", "LLC", "JSC"),
    "KZ": ("TOO", "LLP", "АО"),
    "CN": ("Co., Ltd.", "Co. Ltd", "有限公司"),
    "HK": ("Limited", "Ltd.", "Co., Limited"),
    "TR": ("A.Ş.", "Ltd. Şti.", "A.S."),
    "AE": ("FZE", "FZCO", "LLC", "DMCC"),
}


def _core_words(name: str) -> tuple[list[str], tuple[str, ...]]:
    norm = normalize_name(name)
    words = [w.upper() if name.isupper() else w.capitalize() for w in norm.tokens]
    return words, norm.legal_forms


def _place_form(words: list[str], form: str, code: str | None, rng: random.Random) -> str:
    prefix = code in _PREFIX_FAMILIES and rng.random() < 0.6
    return " ".join([form, *words] if prefix else [*words, form])


def legal_form_variant(name: str, country: str | None, rng: random.Random) -> str | None:
    """The name with its legal form written another way: the same form in another language or
    spelling (``OAO`` -> ``Открытое акционерное общество``, ``Ltd.`` -> ``Limited``), placed
    before or after the name; a name without a form gets one usual in its country.
    """
    words, codes = _core_words(name)
    if not words:
        return None
    written = f" {fold(name)} "
    if codes:
        code = next((c for c in codes if BY_CODE[c].family != "generic"), codes[0])
        choices = [v for v in BY_CODE[code].variants if f" {fold(v)} " not in written]
    else:
        code = None
        choices = list(_DEFAULT_FORMS.get(country or "", ("Ltd", "LLC", "Limited")))
    if not choices:
        return None
    variant = rng.choice(choices)
    return _place_form(words, variant, code or normalize_name(variant).legal_forms[0], rng)


# Forms a near-miss legal person of another family would carry, by family.
_CONFLICT_FORMS = {
    "limited": ("OOO", "LLC", "ООО", "Limited Liability Company", "TOO"),
    "joint_stock": ("AO", "JSC", "PAO", "OAO", "ZAO", "АО", "Joint Stock Company", "PJSC"),
    "free_zone": ("FZE", "FZCO"),
}


def legal_form_conflict(name: str, country: str | None, rng: random.Random) -> str | None:
    """The name with a legal form of another family (a different legal person: OOO vs AO)."""
    words, codes = _core_words(name)
    families = {BY_CODE[c].family for c in codes} - {"generic"}
    if not words or not families:
        return None
    pools = [f for f in ("limited", "joint_stock") if f not in families]
    if country == "AE" and "free_zone" not in families:
        pools.append("free_zone")
    if not pools:
        return None
    variant = rng.choice(_CONFLICT_FORMS[rng.choice(pools)])
    return _place_form(words, variant, normalize_name(variant).legal_forms[0], rng)


ENGLISH_WORDS = frozenset(
    [
        "a",
        "aerospace",
        "affairs",
        "agency",
        "air",
        "aircraft",
        "airline",
        "airlines",
        "an",
        "and",
        "association",
        "at",
        "authority",
        "automotive",
        "aviation",
        "bank",
        "bureau",
        "building",
        "capital",
        "center",
        "central",
        "centre",
        "chemical",
        "chemicals",
        "commercial",
        "committee",
        "communications",
        "company",
        "components",
        "construction",
        "corporation",
        "council",
        "defence",
        "defense",
        "design",
        "development",
        "east",
        "eastern",
        "economic",
        "electric",
        "electrical",
        "electronic",
        "electronics",
        "energy",
        "engineering",
        "enterprise",
        "equipment",
        "export",
        "factory",
        "federal",
        "finance",
        "financial",
        "fleet",
        "for",
        "foreign",
        "gas",
        "general",
        "global",
        "government",
        "group",
        "holding",
        "holdings",
        "import",
        "in",
        "industrial",
        "industries",
        "industry",
        "institute",
        "instrument",
        "city",
        "instruments",
        "insurance",
        "international",
        "investment",
        "investments",
        "joint",
        "laboratory",
        "limited",
        "logistics",
        "machine",
        "machinery",
        "management",
        "manufacturing",
        "marine",
        "maritime",
        "metal",
        "metals",
        "microelectronics",
        "military",
        "mining",
        "ministry",
        "motor",
        "motors",
        "national",
        "navigation",
        "new",
        "north",
        "northern",
        "nuclear",
        "of",
        "oil",
        "on",
        "optical",
        "optics",
        "parts",
        "petroleum",
        "plant",
        "port",
        "power",
        "precision",
        "private",
        "production",
        "public",
        "radio",
        "republic",
        "research",
        "scientific",
        "semiconductor",
        "semiconductors",
        "service",
        "services",
        "shipbuilding",
        "shipping",
        "south",
        "southern",
        "space",
        "special",
        "state",
        "steel",
        "stock",
        "supply",
        "system",
        "systems",
        "technologies",
        "technology",
        "telecom",
        "the",
        "to",
        "tool",
        "tools",
        "trade",
        "trading",
        "transport",
        "united",
        "university",
        "vehicle",
        "vehicles",
        "west",
        "western",
        "works",
    ]
)


def _romanised_words(words: list[str]) -> bool:
    return bool(words) and not any(w.lower() in ENGLISH_WORDS for w in words)


_TO_CYRILLIC = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"),
    ("sh", "ш"), ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("iy", "ий"), ("yy", "ый"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"),
    ("i", "и"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"),
    ("w", "в"), ("x", "кс"), ("j", "дж"), ("q", "к"),
)  # fmt: skip
_VOWELS = "aeiouy"


def _word_to_cyrillic(word: str) -> str:
    lower, out, i = word.lower(), [], 0
    while i < len(lower):
        if lower[i] == "y":
            prev = lower[i - 1] if i else ""
            nxt = lower[i + 1] if i + 1 < len(lower) else ""
            if nxt in "auoe" and nxt:
                pass  # ya, yu, yo, ye: handled by the table below
            else:
                out.append("й" if not prev or prev in _VOWELS else "ы")
                i += 1
                continue
        if lower[i] == "e" and i == 0:
            out.append("э")
            i += 1
            continue
        for latin, cyr in _TO_CYRILLIC:
            if lower.startswith(latin, i):
                out.append(cyr)
                i += len(latin)
                break
        else:
            out.append(lower[i])
            i += 1
    text = "".join(out)
    return text.upper() if word.isupper() else text.capitalize()


_CYRILLIC_FORMS = {
    "llc": ("ООО", "Общество с ограниченной ответственностью"),
    "llp": ("ТОО",),
    "jsc": ("АО", "Акционерное общество"),
    "ojsc": ("ОАО", "Открытое акционерное общество"),
    "cjsc": ("ЗАО", "Закрытое акционерное общество"),
    "pjsc": ("ПАО", "Публичное акционерное общество"),
    "fgup": ("ФГУП",),
    "fgbu": ("ФГБУ",),
}


def to_cyrillic(name: str, rng: random.Random) -> str | None:
    """A romanised Russian name written back in Cyrillic, legal form first, name in quotes."""
    words, codes = _core_words(name)
    if not _romanised_words(words) or not all(w.isalpha() or w.isdigit() for w in words):
        return None
    core = " ".join(_word_to_cyrillic(w) for w in words)
    forms = [f for c in codes for f in _CYRILLIC_FORMS.get(c, ())]
    if not forms:
        return core
    quote = rng.choice(("«{}»", '"{}"'))
    return f"{rng.choice(forms)} {quote.format(core)}"


_ALT_ROMANISATION = (
    (r"iy\b", "ii"), (r"yy\b", "y"), (r"ya", "ia"), (r"yu", "iu"), (r"kh", "h"), (r"ts", "tz"),
    (r"shch", "sch"), (r"ey\b", "ei"), (r"oy\b", "oi"), (r"y\b", "i"), (r"ye", "e"),
    (r"(?<=\w{4})v\b", "ff"), (r"x", "ks"), (r"ks", "x"),
)  # fmt: skip


def alternative_romanisation(name: str, rng: random.Random) -> str | None:
    """The name romanised by another scheme (ya->ia, kh->h, -iy->-ii ...): 1 to 3 rules, applied
    to the words that are not English."""
    words = name.split()
    foreign = [
        i
        for i, w in enumerate(words)
        if len(w) >= 4 and w.isalpha() and w.lower() not in ENGLISH_WORDS
    ]
    text = " ".join(words[i].lower() for i in foreign)
    rules = [(p, r) for p, r in _ALT_ROMANISATION if re.search(p, text)]
    if not rules:
        return None
    chosen = rng.sample(rules, k=min(len(rules), rng.randint(1, 3)))
    for i in foreign:
        word = words[i].lower()
        for pattern, replacement in chosen:
            word = re.sub(pattern, replacement, word)
        words[i] = word.upper() if words[i].isupper() else word.capitalize()
    result = " ".join(words)
    return None if result.lower() == name.lower() else result


_NAME_WORDS = [
    "Alfa",
    "Amur",
    "Aral",
    "Arctic",
    "Atlas",
    "Baikal",
    "Baltic",
    "Crystal",
    "Delta",
    "Eagle",
    "Element",
    "Energo",
    "Euro",
    "Falcon",
    "Garant",
    "Global",
    "Gold",
    "Granit",
    "Horizon",
    "Impuls",
    "Inter",
    "Kama",
    "Kaspiy",
    "Lotus",
    "Magistral",
    "Meridian",
    "Neva",
    "Nord",
    "Optima",
    "Orion",
    "Pamir",
    "Polar",
    "Premier",
    "Prime",
    "Pulsar",
    "Quantum",
    "Sever",
    "Sibir",
    "Sigma",
    "Silk",
    "Sokol",
    "Solar",
    "Stroy",
    "Taiga",
    "Tekhno",
    "Titan",
    "Trans",
    "Ural",
    "Vector",
    "Volga",
    "Vostok",
    "Zenit",
]
_ACTIVITY_WORDS = [
    "Trading",
    "Logistics",
    "Engineering",
    "Electronics",
    "Components",
    "Machinery",
    "Systems",
    "Technologies",
    "Industries",
    "Import",
    "Export",
    "Supply",
    "Solutions",
    "Instruments",
    "Devices",
    "Equipment",
    "Metals",
    "Chemicals",
    "Automation",
    "Resources",
    "Group",
    "Holding",
    "Service",
    "Optics",
    "Semiconductors",
    "Microelectronics",
    "Tools",
]
_RANDOM_FORMS = ("LLC", "Ltd", "Co., Ltd.", "FZE", "JSC", "OOO", "A.Ş.", "GmbH", "Limited", "")


def replace_word(name: str, replacement: str, weight) -> str | None:
    """The name with its rarest name word (highest ``weight``) replaced: another legal person
    that shares the common words ("Baltic Shipbuilding Yantar" -> "Baltic Shipbuilding Vega")."""
    words = name.split()
    core = set(normalize_name(name).tokens)
    positions = [i for i, w in enumerate(words) if fold(w) in core]
    if len(positions) < 2:
        return None
    rarest = max(positions, key=lambda i: weight(fold(words[i])))
    words[rarest] = _same_case(words[rarest], replacement.title())
    return " ".join(words)


def random_company_name(rng: random.Random) -> str:
    """An invented company name: one or two name words, an activity word, a legal form."""
    words = rng.sample(_NAME_WORDS, k=rng.choice((1, 1, 2)))
    parts = [*words, rng.choice(_ACTIVITY_WORDS), rng.choice(_RANDOM_FORMS)]
    return " ".join(p for p in parts if p)
