"""Name normalisation: one comparable form for names written in any script and style.

Steps, in order (docs/screening.md explains the choices):

1. Unicode NFKC (full-width letters, ligatures and compatibility forms become plain letters).
2. Han legal forms (有限公司 ...) are cut out of the original text: Chinese has no spaces, so
   they cannot be found as words later.
3. Transliteration to ASCII with ``anyascii``: Cyrillic by a BGN/PCGN-like scheme (Ж zh, Х kh,
   Ц ts, Щ shch, Я ya), Han characters to toneless Pinyin, one word per character, diacritics
   dropped (Ş s, ö o), every other script by its usual romanisation.
4. Case folding; dots and apostrophes deleted (``L.L.C.`` is ``llc``, the soft sign ``'`` goes),
   ``&`` read as ``and``, every other non-alphanumeric character a word break.
5. Legal-form words glued to a neighbour are split off ("BrokerageCompany"), a legal-form word
   split in two is joined ("CORPO RATION"), a legal-form word one typing error away from the
   table is read as that word ("Compnay"); then the legal forms are found with the table of
   :mod:`legal_forms` and moved to their own field.
6. The stop words "the", "and", "of" dropped from the core words.

The core words give three match keys: the words sorted (word order does not matter), the words
joined without spaces (spacing and Pinyin syllables do not matter), and a fingerprint per word
that folds the usual romanisation variants (see :func:`fingerprint`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from pypinyin import Style, lazy_pinyin
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from orchestration.screening.abbreviations import ENGLISH, canonical_words
from orchestration.screening.fingerprint import fingerprint
from orchestration.screening.form_slips import doubled_or_swapped, slip_table
from orchestration.screening.legal_forms import LEGAL_FORMS, families_agree, family
from orchestration.screening.skeleton import has_arabic

STOP_WORDS = frozenset({"the", "and", "of"})


# "and" and "the" with a letter doubled or two letters swapped past the first ("annd", "adn",
# "tthe", "teh") are dropped as the words are: kept, they are words no listed name has. Other
# slips of three letters are words ("sand", "thee", "ans") and stay.
STOP_WORD_SLIPS = frozenset(doubled_or_swapped("and") | doubled_or_swapped("the")) - {"thee"}
# what the core of a name leaves out (normalize_name)
_DROPPED = STOP_WORDS | STOP_WORD_SLIPS

_DELETE = str.maketrans("", "", ".'’`ʼ‘ʹ")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def is_han(char: str) -> bool:
    """A CJK unified ideograph (basic block, extension A and B-F, compatibility)."""
    cp = ord(char)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x2FA1F
    )


def _pinyin(run: str) -> list[str]:
    # pypinyin reads a run of Han characters with its phrase dictionary, so a character with
    # several readings gets the one of its word (厦门 xia men, 重庆 chong qing, 长安 chang an);
    # anyascii gives one fixed reading per character (sha men, zhong qing, zhang an).
    return [s for s in lazy_pinyin(run, style=Style.NORMAL, errors="ignore") if s.isascii()]


# The ranges of is_han, as one pattern: a name is scanned once in C, not character by character.
_HAN_RUN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0002fa1f]+")


def _han_runs(text: str) -> Iterator[tuple[str, bool]]:
    """(run, is_han) pieces of ``text``: maximal runs of Han characters and of the rest."""
    start = 0
    for found in _HAN_RUN.finditer(text):
        if found.start() > start:
            yield text[start : found.start()], False
        yield found.group(), True
        start = found.end()
    if start < len(text):
        yield text[start:], False


def transliterate(text: str) -> str:
    """ASCII form of ``text``; each Han character becomes a separate Pinyin syllable."""
    text = unicodedata.normalize("NFKC", text)
    if not _HAN_RUN.search(text):
        return anyascii(text)
    return "".join(
        f" {' '.join(_pinyin(run))} " if han else anyascii(run) for run, han in _han_runs(text)
    )


def fold(text: str) -> str:
    """Transliterated, case-folded words separated by single spaces."""
    ascii_text = transliterate(text).casefold().replace("&", " and ").translate(_DELETE)
    return " ".join(_NON_ALNUM.sub(" ", ascii_text).split())


def _form_key(word: str) -> str:
    # Long words are compared by fingerprint, so "ogranichennoi" finds the table's
    # "ogranichennoy"; short ones exactly, so "to" is never taken for the Kazakh form TOO.
    return fingerprint(word) if len(word) >= 5 else word


def _latin_variants() -> tuple[dict[tuple[str, ...], str], dict[str, str]]:
    multi: dict[tuple[str, ...], str] = {}
    single: dict[str, str] = {}
    for form in LEGAL_FORMS:
        for variant in form.variants:
            if any(is_han(c) for c in variant):
                continue
            key = tuple(_form_key(w) for w in fold(variant).split())
            if len(key) == 1:
                single.setdefault(key[0], form.code)
            else:
                multi.setdefault(key, form.code)
    return multi, single


def _han_variants() -> list[tuple[str, str]]:
    pairs = [
        (variant, form.code)
        for form in LEGAL_FORMS
        for variant in form.variants
        if all(is_han(c) for c in variant)
    ]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


_MULTI, _SINGLE = _latin_variants()
_MULTI_LENGTHS = sorted({len(k) for k in _MULTI}, reverse=True)
_HAN = _han_variants()


def _form_words() -> dict[str, str]:
    # Folded words of the legal-form table, five letters or more, with their form keys.
    words: dict[str, str] = {}
    for form in LEGAL_FORMS:
        for variant in form.variants:
            for word in fold(variant).split():
                if len(word) >= 5 and not any(is_han(c) for c in word):
                    words[word] = _form_key(word)
    return words


_FORM_WORDS = _form_words()
_FORM_WORD_LIST = sorted(_FORM_WORDS)
_FORM_WORDS_5 = [w for w in _FORM_WORD_LIST if len(w) == 5]


_FORM_WORDS_6 = [w for w in _FORM_WORD_LIST if len(w) >= 6]
# long form words are read through one typing error in their fingerprint too
_FORM_TYPO_FINGERPRINT_MIN = 7
# (only words of multi-word forms, which count only whole: "kompaniya" is not to be read as
# the one-word form "kompanii")
_FORM_KEYS_LONG = sorted(
    {k for w, k in _FORM_WORDS.items() if len(w) >= _FORM_TYPO_FINGERPRINT_MIN and k not in _SINGLE}
)
# short forms with one slip of the hand ("lllc", "ldt", "jac"), read at either end of a name
_FORM_SLIPS = slip_table(set(_SINGLE) | set(_FORM_WORDS) | STOP_WORDS | set(ENGLISH))


def form_code(word: str) -> str | None:
    """The code of a one-word legal form written as ``word`` (folded), else None."""
    return _SINGLE.get(_form_key(word))


@lru_cache(maxsize=100_000)
def looks_like_form_word(word: str) -> bool:
    """A word two typing errors from a legal-form word of six letters or more ("limetd",
    "ottrytoye"), or two one-word forms written together ("pvtltd"). Normalisation does not
    read such words as forms (two edits turn the Spanish "Corporativo" into "corporation");
    the word view of the scorer leaves them out only when nothing on the other side matches
    them (name_similarity.py)."""
    if len(word) >= 6:
        found = process.extractOne(
            word, _FORM_WORDS_6, scorer=DamerauLevenshtein.distance, score_cutoff=2
        )
        if found:
            return True
    for i in range(2, len(word) - 1):
        left, right = _form_key(word[:i]), _form_key(word[i:])
        if (left in _SINGLE and right in _SINGLE) or (left, right) in _MULTI:
            return True
    return False


def _short_form_words() -> dict[str, frozenset[str]]:
    # Short legal forms of three or four letters as the table writes them, with the families
    # of the forms they write: one-word forms ("ltd", "llc", "gmbh") and the words of forms
    # written in short words only ("pte ltd", "ltd sti"), not words of long phrases ("free
    # zone", "open joint stock", "mit"), which are ordinary words. The words a slip at the end
    # of a name turns into two-letter pieces or near-words (short_form_families).
    words: dict[str, set[str]] = {}
    for form in LEGAL_FORMS:
        for variant in form.variants:
            if any(is_han(c) for c in variant):
                continue
            parts = fold(variant).split()
            if all(len(part) <= 4 for part in parts):
                for part in parts:
                    if len(part) >= 3:
                        words.setdefault(part, set()).add(form.family)
    return {word: frozenset(families) for word, families in sorted(words.items())}


_SHORT_FORM_WORDS = _short_form_words()
_SHORT_FORM_LIST = list(_SHORT_FORM_WORDS)


@lru_cache(maxsize=100_000)
def short_form_families(word: str) -> frozenset[str]:
    """The legal-form families ``word`` may write when it is a one-word legal form or one edit
    of any kind (Damerau-Levenshtein: a letter dropped, added, replaced, or two swapped) from a
    short form of the table: ``lt``, ``ld``, ``td``, ``jtd`` of ``ltd``; ``lc``, ``llb`` of
    ``llc``; ``oos``, ``ooe`` of ``ooo``; ``ttov`` of ``tov``. Empty for any other word, and
    for words of more than five letters. Normalisation does not read these as forms
    (form_slips.py: most of them are words or initials somewhere); the word view of the scorer
    leaves them out where they end or start a name, nothing on the other side matches them and
    the other side's forms do not conflict with them (name_similarity.py)."""
    if not 2 <= len(word) <= 5 or not word.isalpha():
        return frozenset()
    if word in _SINGLE:
        return frozenset({family(_SINGLE[word])})
    found = process.extract(
        word, _SHORT_FORM_LIST, scorer=DamerauLevenshtein.distance, score_cutoff=1, limit=None
    )
    return frozenset().union(*(_SHORT_FORM_WORDS[f[0]] for f in found))


@lru_cache(maxsize=200_000)
def _form_end_positions(
    words: tuple[str, ...], other_families: frozenset[str] = frozenset()
) -> frozenset[int]:
    # mistyped_form_ends on the words alone; cached, as the string and word views of every
    # variant scored ask it for the same query and entity
    ends: set[int] = set()
    if len(words) < 2:
        return frozenset()
    for order in (range(len(words)), range(len(words) - 1, -1, -1)):
        for i in order:
            families = short_form_families(words[i])
            if not families or families_agree(families, other_families) is False:
                break
            ends.add(i)
    return frozenset(ends) if len(ends) < len(words) else frozenset()


def mistyped_form_ends(
    norm: NormName, other_families: frozenset[str] = frozenset()
) -> frozenset[int]:
    """Positions of the core words at either end of a name of two words or more that read as a
    short legal form, mistyped or not (short_form_families), of a family that does not
    conflict with ``other_families`` (the other name's forms; none: no conflict), up to the
    first word that does not; none when every word would (the name is then words, not forms),
    and none for a name in Arabic script: written without its short vowels, it reads as
    consonant clusters one edit from a form ("std", "ltf")."""
    if has_arabic(norm.original):
        return frozenset()
    return _form_end_positions(norm.tokens, other_families)


@lru_cache(maxsize=100_000)
def _without(tokens: tuple[str, ...], ends: frozenset[int]) -> NormName:
    return normalize_name(" ".join(w for i, w in enumerate(tokens) if i not in ends))


def without_form_ends(norm: NormName) -> NormName | None:
    """The name's core words without the words mistyped_form_ends finds when nothing conflicts
    with them (the most it may leave out), normalised again; None when it finds none."""
    ends = mistyped_form_ends(norm)
    return _without(norm.tokens, ends) if ends else None


def stripped_of_form_ends(norm: NormName, other_families: frozenset[str]) -> NormName | None:
    """without_form_ends(norm) when every word it leaves out agrees with ``other_families``
    (the listed entity's forms), else None: the string view compares the query without
    them only then, so that the candidates' bound (which cannot know the listing's forms)
    holds the same comparison."""
    ends = mistyped_form_ends(norm)
    if not ends or mistyped_form_ends(norm, other_families) != ends:
        return None
    return _without(norm.tokens, ends)


@lru_cache(maxsize=100_000)
def stop_word_slip(word: str) -> bool:
    """A word of two to four letters one edit of any kind from "and" or "the" ("anc", "znd",
    "nad", "ths", "rhe", "thee", "rthe"). Normalisation drops only the slips that are no
    words (STOP_WORD_SLIPS); the word view of the scorer leaves these out too, where nothing
    on the other side matches them (name_similarity.py): "sand" or "thee" is a word of the
    name only when the other name has it."""
    if not 2 <= len(word) <= 4:
        return False
    return any(DamerauLevenshtein.distance(word, stop) <= 1 for stop in ("and", "the"))


@lru_cache(maxsize=200_000)
def _form_key_tolerant(word: str) -> str:
    key = _form_key(word)
    if len(word) < 4 or word in _FORM_WORDS:
        return key
    # One edit (Damerau-Levenshtein: a swap counts once) away from a legal-form word of five
    # letters or more is a typing error in the form ("compnay", "joitn", "stck"), not a word of
    # the name. A one-word form is read only at either end of a name and the others only as a
    # whole phrase (_strip_forms), so a name word this close stays a word of the name elsewhere.
    # Two edits were tried on long words: they read the Spanish "Corporativo" as "corporation".
    choices = _FORM_WORDS_5 if len(word) == 4 else _FORM_WORD_LIST
    found = process.extractOne(word, choices, scorer=DamerauLevenshtein.distance, score_cutoff=1)
    if found:
        return _FORM_WORDS[found[0]]
    # A long word is also read through its fingerprint, which merges romanisations: the table
    # writes "ogranichennoy", a file "ograinchennoi" (a swap, and -oi for -oy).
    if len(word) >= _FORM_TYPO_FINGERPRINT_MIN:
        found = process.extractOne(
            key, _FORM_KEYS_LONG, scorer=DamerauLevenshtein.distance, score_cutoff=1
        )
        if found:
            return found[0]
    return key


@dataclass(frozen=True, slots=True)
class NormName:
    """A name ready for comparison. ``tokens`` are the core words in their original order."""

    original: str
    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...]
    families: frozenset[str]
    sorted_text: str
    compact: str
    fingerprint_text: str
    full_compact: str
    # every folded word, legal forms included ("Fyodorov N.V.": N.V. is a person's initials,
    # not the Dutch form, when the listing is a person)
    all_words: tuple[str, ...] = ()

    def __reduce__(self) -> tuple:
        # the constructor's arguments: loads several times faster from the index cache than a
        # slotted dataclass's default state (index.py, index_cache.py)
        return NormName, tuple(getattr(self, name) for name in self.__slots__)

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _words(text: str) -> Iterator[tuple[str, bool]]:
    """(word, is_han) pairs: Han characters one syllable each, other runs folded into words."""
    for run, han in _han_runs(text) if text else ():
        if han:
            yield from ((syllable, True) for syllable in _pinyin(run))
        else:
            yield from ((w, False) for w in fold(run).split())


# Legal-form words that data entry glues to a neighbour or splits ("BrokerageCompany",
# "LIMITEDLIABILITY", "CORPO RATION"); the short ones only as a suffix.
_GLUED_WORDS = [
    "company",
    "corporation",
    "incorporated",
    "limited",
    "liability",
    "obshchestvo",
    "aktsionernoe",
    "otvetstvennostyu",
    "ogranichennoy",
    "ogranichennoi",
    "partnership",
    "gesellschaft",
    "aktiengesellschaft",
    "closed",
    "joint",
]
_GLUED_SUFFIXES = ("llc", "ltd", "gmbh")
# Russian short forms written onto the name ("LLCMINATEKH", "JSCMBDB", "OOOROMASHKA").
_GLUED_PREFIXES = ("llc", "ooo", "jsc", "ojsc", "cjsc", "pjsc")


def _unglue(word: str) -> list[str]:
    if len(word) < 7:  # the shortest glued pair: a 3-letter form and a 4-letter word
        return [word]
    for form in _GLUED_WORDS:
        if word.startswith(form) and len(word) - len(form) >= 3:
            return [form, *_unglue(word[len(form) :])]
        if word.endswith(form) and len(word) - len(form) >= 3:
            return [*_unglue(word[: -len(form)]), form]
    for form in _GLUED_SUFFIXES:
        if word.endswith(form) and len(word) - len(form) >= 4:
            return [word[: -len(form)], form]
    for form in _GLUED_PREFIXES:
        if word.startswith(form) and len(word) - len(form) >= 4:
            return [form, word[len(form) :]]
    return [word]


def _repair(words: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Split legal-form words glued to a neighbour; join a legal-form word split in two."""
    split = [(part, han) for word, han in words for part in ([word] if han else _unglue(word))]
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(split):
        word, han = split[i]
        if i + 1 < len(split) and not han and not split[i + 1][1]:
            joined = word + split[i + 1][0]
            if joined in _GLUED_WORDS and word not in _GLUED_WORDS:
                out.append((joined, False))
                i += 2
                continue
        out.append((word, han))
        i += 1
    return out


def _join_spelled_form(words: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Join single letters ending a name when they spell a legal form ("KAVE COFFEE S A",
    "X L L C"): the dots of "S.A." were read as breaks. Only at the end, where a form stands;
    a person's initials are read from the words as written (``all_words``)."""
    end = len(words)
    start = end
    while start > 0 and len(words[start - 1][0]) == 1 and not words[start - 1][1]:
        start -= 1
    # Two letters only for S.A.: "A G" or "A O" at the end of a name are as often initials.
    for size in range(min(4, end - start), 1, -1):
        joined = "".join(w for w, _ in words[end - size : end])
        if end - size > 0 and (size > 2 or joined == "sa") and _SINGLE.get(joined):
            return [*words[: end - size], (joined, False)]
    return words


def _cut_han_forms(text: str) -> tuple[str, list[str]]:
    codes: list[str] = []
    for variant, code in _HAN:
        if variant in text:
            codes.append(code)
            text = text.replace(variant, " ")
    return text, codes


def _strip_forms(words: list[tuple[str, bool]]) -> tuple[list[str], list[str]]:
    """Split words into core words and legal-form codes.

    Multi-word forms ("limited liability company", "co ltd") are found anywhere; one-word forms
    only at either end of the name, so "AO" or "SA" inside a name stays a word of the name.
    """
    keys = [None if han else _form_key_tolerant(w) for w, han in words]
    removed = [False] * len(words)
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(words):
        for length in _MULTI_LENGTHS:
            key = tuple(keys[i : i + length])
            if len(key) == length and key in _MULTI:
                found.append((i, _MULTI[key]))
                removed[i : i + length] = [True] * length
                i += length
                break
        else:
            i += 1
    # a mistyped short form (form_slips.py) only as the first or last word of two or more
    outer = {0, len(words) - 1} if len(words) >= 2 else set()
    for order in (range(len(words)), range(len(words) - 1, -1, -1)):
        for j in order:
            if removed[j]:
                continue
            code = _SINGLE.get(keys[j]) if keys[j] is not None else None
            if code is None and keys[j] is not None and j in outer:
                code = _SINGLE.get(_FORM_SLIPS.get(words[j][0], ""))
            if code is None:
                break
            found.append((j, code))
            removed[j] = True
    codes = [code for _, code in sorted(found)]
    core = [w for (w, _), gone in zip(words, removed, strict=True) if not gone]
    return core, codes


def _form_heads() -> dict[tuple[str, ...], set[tuple[str, bool]]]:
    # For every start of a Latin form phrase of the table (its first k words, k >= 0): the
    # phrase's next word and whether the phrase goes on after it. "limited liability company"
    # gives () -> limited, (limited,) -> liability, (limited, liability) -> company (last).
    heads: dict[tuple[str, ...], set[tuple[str, bool]]] = {}
    for form in LEGAL_FORMS:
        for variant in form.variants:
            if any(is_han(c) for c in variant):
                continue
            words = tuple(fold(variant).split())
            for k, word in enumerate(words):
                heads.setdefault(words[:k], set()).add((word, k + 1 < len(words)))
    return heads


_FORM_HEADS = _form_heads()
# Names this long are the ones fixed-width fields cut (35 or 50 characters; score.py's
# truncation_min_length); a shorter name's last word is taken as written.
CUT_MIN_LENGTH = 30
# the shortest piece of a cut form word read as that word ("gesellsch", "aktsione", "publ")
CUT_MIN_PIECE = 4
# letters a one-word cut must have lost at least ("gesellsch" of "gesellschaft")
CUT_MIN_CUT = 3
CUT_MIN_ALONE = 7


def _cut_form_tail(core: list[str]) -> int:
    """How many words at the end of the core words are a legal form cut short ("... MACHINERY
    GESELLSCH", "... AIRCRAFT PUBLICHNOE AKTSIONE"): the start of a form phrase of the table,
    its last word cut. Left out of the core words without a form code: which form was cut is
    not known. 0 when none."""
    for size in range(min(4, len(core) - 1), 0, -1):
        piece = core[-1]
        if len(piece) < CUT_MIN_PIECE:
            return 0
        for word, goes_on in _FORM_HEADS.get(tuple(core[-size:-1]), ()):
            if not word.startswith(piece) or (word == piece and not goes_on):
                continue  # a whole form is found by _strip_forms, not here
            # one word alone only cut inside it, by three letters or more, and seven letters
            # left: a whole word that starts a form ("STATE", "PUBLIC", "REPUBLIC" of
            # "republican") ends many names, and a short piece starts name words too ("FEDERA"
            # of "federalnoe" and of "federation")
            if size > 1 or (len(word) - len(piece) >= CUT_MIN_CUT and len(piece) >= CUT_MIN_ALONE):
                return size
    return 0


@lru_cache(maxsize=500_000)
def normalize_name(name: str) -> NormName:
    """Normalise one name (see the module docstring for the steps)."""
    text, han_codes = _cut_han_forms(unicodedata.normalize("NFKC", name))
    words = _repair(list(_words(text)))
    core, codes = _strip_forms(_join_spelled_form(words))
    if len(name.strip()) >= CUT_MIN_LENGTH:
        cut = _cut_form_tail(core)
        core = core[: len(core) - cut]
    core = [w for w in core if w not in _DROPPED] or core or [w for w, _ in words]
    core = canonical_words(core)
    codes = list(dict.fromkeys(han_codes + codes))
    return NormName(
        original=name,
        tokens=tuple(core),
        legal_forms=tuple(codes),
        families=frozenset(family(c) for c in codes),
        sorted_text=" ".join(sorted(core)),
        compact="".join(core),
        fingerprint_text=" ".join(sorted(fingerprint(w) for w in core)),
        full_compact="".join(w for w, _ in words),
        all_words=tuple(w for w, _ in words),
    )
