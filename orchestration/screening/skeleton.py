"""Consonant skeletons: one comparable key for a name written in Arabic script and in Latin.

Arabic and Persian are written without short vowels, so a name in Arabic script romanises to
its consonants only (``محمد حمدان دقلو`` -> ``mhmd hmdn dqlw``), while the lists write the same
person ``Mohamed Hamdan Dagalo``. Both sides are reduced to the consonants Arabic writes, each
folded into the class of letters the usual romanisations mix up, so the two agree:

==========  ==============================  =============================================
class       Arabic / Persian letters        Latin spellings
==========  ==============================  =============================================
``b``       ب پ                             b, p
``t``       ت ط ث                           t, th (ث is th in Arabic)
``j``       ج                               j, dj
``h``       ح ه                             h
``k``       ك ک ق غ خ گ                     k, q, g, gh, kh, c, ck (x is k + s)
``d``       د ذ ز ض ظ ژ                     d, dh, z, zh (ذ ض ظ are dh, d or z by standard)
``r``       ر                               r
``s``       س ش ص چ                         s, sh, ch (French ch is ش), ts
``f``       ف                               f, ph
``l m n``   ل م ن                           l, m, n
(dropped)   ا أ إ آ ء ؤ ئ ع و ي ی ى ة ۀ     vowels, w, y, v, apostrophes
==========  ==============================  =============================================

The classes follow where the romanisation standards in use disagree: ALA-LC and UNGEGN write
ق q, ALA-LC for Persian and the Egyptian and Gulf informal spellings write it g (``Dagalo`` for
دقلو), French-based spellings write ش ch (``Charia``) and the Persian ones write ض ظ ذ z; w and
y (و ي) are both consonants and long vowels and are written ``ou``, ``u``, ``v`` (Persian و),
``i``, ``ee`` ..., so they are left out on both sides, as the vowels are. ع and ء are written
``'``, ``a`` or nothing. Doubled letters collapse (Arabic writes the doubling with a sign that
is rarely written), a final ``h`` is dropped on both sides (ة and final ه are written ``a``,
``ah``, ``eh`` or ``at``), and the article ``al-``/``el-`` at the start of a word is left out
on both sides (``al-Zahar``/``الزهار``); inside a word it is kept, as both sides write it there
(``Abdelrahim``/``عبدالرحيم``).

A skeleton is a weak key: ``mhmd`` is every Mohammed, Muhammad and Mahmood, and ``hmd`` is
Ahmad, Hamid and Hamed. So the comparison (:func:`skeleton_similarity`) asks for every word of
the query to agree, several consonants in all, and the engine keeps it below alert (score.py).
The long vowels Arabic script does write (ا, و, ي) must be written in the Latin word of the same
skeleton too (:func:`vowels_agree`): ``سلامی`` is Salami, not Salimi.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

# Arabic-script letters (Arabic, Persian, Urdu forms) -> class; absent letters are dropped
_ARABIC = {
    "ب": "b", "پ": "b",
    "ت": "t", "ط": "t", "ث": "t", "ٹ": "t",
    "ج": "j",
    "ح": "h", "ه": "h", "ہ": "h", "ھ": "h",
    "ك": "k", "ک": "k", "ق": "k", "غ": "k", "خ": "k", "گ": "k",
    "د": "d", "ذ": "d", "ز": "d", "ض": "d", "ظ": "d", "ژ": "d", "ڈ": "d",
    "ر": "r", "ڑ": "r",
    "س": "s", "ش": "s", "ص": "s", "چ": "s",
    "ف": "f",
    "ل": "l", "م": "m", "ن": "n",
}  # fmt: skip
# Latin spellings, longest first (the digraphs before their letters)
_LATIN = (
    ("sch", "s"),
    ("dj", "j"),
    ("th", "t"),
    ("dh", "d"),
    ("zh", "d"),
    ("kh", "k"),
    ("gh", "k"),
    ("ck", "k"),
    ("sh", "s"),
    ("ch", "s"),
    ("ts", "s"),
    ("ph", "f"),
    ("x", "ks"),
)
_LATIN_SINGLE = str.maketrans(
    {"p": "b", "q": "k", "g": "k", "c": "k", "z": "d", **{v: None for v in "aeiouywv"}}
)
# the Latin letters by class, vowels kept (for the long-vowel check below)
_LATIN_CLASSES = str.maketrans({"p": "b", "q": "k", "g": "k", "c": "k", "z": "d"})
_ARABIC_RANGE = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_WORD = re.compile("[\u0600-\u06ff\u0750-\u077f]+")
_REPEATS = re.compile(r"(.)\1+")
# the article and particles written as words of their own in Latin ("al-Zahar", "Abd Al-Dayim"),
# "son/daughter of" (bin, ibn, bint) and the titles Sayyid and Haji, which a name has in one
# list and not in another (their Arabic-script forms are in _ARABIC_FORM_WORDS)
_LATIN_ARTICLES = frozenset(
    {"al", "el", "ul", "ad", "ed", "ar", "as", "at", "an", "ash", "ath",
     "bin", "ben", "ibn", "bint",
     "sayyid", "sayyed", "sayed", "seyed", "seyyed", "syed", "sayid", "seyyid",
     "haji", "hajji", "hadji", "haj", "hajj"}
)  # fmt: skip
# Arabic and Persian words of organisation names that are legal forms or filler, not the name:
# company (شركة, Persian شرکت), limited (المحدودة, محدود), liability (مسؤولية, Persian مسئولیت),
# "with" (با) and "of" (ذات) of "with limited liability"; and (و) as a word of its own; son and
# daughter of (بن ابن بنت); the titles Sayyid (سيد, Persian سید) and Haji (حاج, حاجی).
_ARABIC_FORM_WORDS = frozenset(
    {"شركة", "شركه", "شرکت", "المحدودة", "محدودة", "محدود", "المسؤولية", "مسؤولية", "مسئولیت",
     "با", "ذات", "و",
     "بن", "ابن", "بنت", "سيد", "سید", "حاج", "حاجی", "حاجي"}
)  # fmt: skip


def has_arabic(text: str) -> bool:
    """Whether ``text`` holds a letter of the Arabic script (Arabic, Persian, Urdu)."""
    return bool(_ARABIC_RANGE.search(text))


def _finish(skeleton: str) -> str:
    skeleton = _REPEATS.sub(r"\1", skeleton)
    if len(skeleton) > 1 and skeleton.endswith("h"):
        skeleton = skeleton[:-1]
    return skeleton


@lru_cache(maxsize=200_000)
def latin_skeleton(word: str) -> str:
    """The skeleton of one folded Latin word ("mohamed" -> "mhmd", "dagalo" -> "dkl")."""
    if not word.isalpha():
        return ""
    for old, new in _LATIN:
        word = word.replace(old, new)
    return _finish(word.translate(_LATIN_SINGLE))


def arabic_skeleton(word: str) -> str:
    """The skeleton of one word in Arabic script ("محمد" -> "mhmd", "دقلو" -> "dkl");
    the article ال at the start of a word of four letters or more is left out."""
    if len(word) >= 4 and word.startswith("ال"):
        word = word[2:]
    return _finish("".join(_ARABIC.get(c, "") for c in word))


@lru_cache(maxsize=50_000)
def arabic_name_skeleton(name: str) -> tuple[str, ...]:
    """The skeletons of the words of a name in Arabic script (other words are left out; so are
    the legal-form words and words that keep no consonant)."""
    text = unicodedata.normalize("NFKC", name).replace("\u200c", "")
    words = [w for w in _ARABIC_WORD.findall(text) if w not in _ARABIC_FORM_WORDS]
    return tuple(s for s in (arabic_skeleton(w) for w in words) if s)


@lru_cache(maxsize=50_000)
def arabic_name_words(name: str) -> tuple[tuple[str, str], ...]:
    """(skeleton, word) of the words of a name in Arabic script, as :func:`arabic_name_skeleton`
    keeps them."""
    text = unicodedata.normalize("NFKC", name).replace("\u200c", "")
    words = [w for w in _ARABIC_WORD.findall(text) if w not in _ARABIC_FORM_WORDS]
    return tuple((s, w) for s, w in ((arabic_skeleton(w), w) for w in words) if s)


def latin_name_words(words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(skeleton, word) of a name's folded Latin words, as :func:`latin_name_skeleton` keeps
    them."""
    pairs = ((latin_skeleton(w), w) for w in words if w not in _LATIN_ARTICLES)
    return tuple((s, w) for s, w in pairs if s)


def long_vowels_conflict(
    arabic: tuple[tuple[str, str], ...], latin: tuple[tuple[str, str], ...]
) -> bool:
    """Whether a word of the Arabic-script name has listed words of its skeleton, none of which
    writes its long vowels (:func:`vowels_agree`): سلامی is Salami, not Salimi."""
    for skeleton, word in arabic:
        same = [w for s, w in latin if s == skeleton]
        if same and not any(vowels_agree(word, w) for w in same):
            return True
    return False


def latin_name_skeleton(words: tuple[str, ...]) -> tuple[str, ...]:
    """The skeletons of a name's folded Latin words, the articles standing alone left out."""
    out = (latin_skeleton(w) for w in words if w not in _LATIN_ARTICLES)
    return tuple(s for s in out if s)


def skeleton_keys(skeletons: tuple[str, ...]) -> set[str]:
    """Blocking keys (index.py): ``%`` + each skeleton of two consonants or more, and of each
    pair of neighbouring words written together ("Abd al-Rahman" and "Abdulrahman")."""
    keys = {"%" + s for s in skeletons if len(s) >= 2}
    keys |= {"%" + a + b for a, b in zip(skeletons, skeletons[1:], strict=False)}
    return keys


# a word's skeleton agrees with another's when equal, or when both have four consonants or more
# and one class differs, or one is missing (a consonant one spelling writes and the other not)
_WORD_MIN_RATIO = 85.0


def _word_agreement(word: str, others: list[str]) -> bool:
    if word in others:
        return True
    # the article written onto a Latin word ("Algoney", "Alshawa") is left out in Arabic
    # script (القوني, الشوا): "lkn" agrees with "kn"
    if any(o[1:] == word if o[:1] == "l" else word[1:] == o and word[:1] == "l" for o in others):
        return True
    if len(word) < 4:
        return False
    # one class differing in words of the same length, or one consonant more in words of
    # five or more (a shorter word one letter off is another name: "lknsr" is not "knsr")
    return any(
        (len(o) == len(word) or min(len(o), len(word)) >= 5)
        and fuzz.ratio(word, o) >= _WORD_MIN_RATIO
        for o in others
    )


def skeleton_similarity(
    query: tuple[str, ...], listed: tuple[str, ...], min_letters: int = 6
) -> float:
    """How far two names agree by their skeletons, in [0, 1].

    A word agrees with a word of the other side, or with two neighbouring words of the other
    side written together ("Abd al-Rahman" and "Abdulrahman"). The query must keep two words or
    more and ``min_letters`` consonants, and every query word must agree, but one when the query
    has three words or more and every listed word agrees (a name the listing leaves out: a
    grandfather's name, a second surname). The result is the share of the listed name's
    consonants the query agrees with (a person's middle names may be left out), 0.1 less with a
    query word unmatched; 0 when the query does not agree as asked.
    """
    if len(query) < 2 or sum(map(len, query)) < min_letters or not listed:
        return 0.0
    in_query = _agreeing(query, listed)
    missing = in_query.count(False)
    if missing > 1 or (missing and len(query) < 3):
        return 0.0
    in_listed = _agreeing(listed, query)
    if missing and not all(in_listed):
        return 0.0
    total = sum(map(len, listed))
    share = sum(len(w) for w, ok in zip(listed, in_listed, strict=True) if ok) / total
    return share - 0.1 * missing


def _agreeing(words: tuple[str, ...], others: tuple[str, ...]) -> list[bool]:
    """Which of ``words`` agree with ``others`` (alone or as a pair written together)."""
    pieces = [*others, *(a + b for a, b in zip(others, others[1:], strict=False))]
    found = [_word_agreement(w, pieces) for w in words]
    for i in range(len(words) - 1):
        if not (found[i] and found[i + 1]) and _word_agreement(
            words[i] + words[i + 1], list(others)
        ):
            found[i] = found[i + 1] = True
    return found


# Long vowels: Arabic script writes them (ا, و, ي), so a Latin spelling of the same name writes
# a vowel there too: ا is a, و is o, u, v or w, ي and ی are i, e or y. Short vowels are not
# written in Arabic script and are free in Latin. A word-initial letter only carries the first
# vowel (ا of احمد, Ahmad; اسماعیل, Esmail): no constraint.
_LONG_VOWELS = {"ا": "a", "آ": "a", "و": "ouvw", "ي": "iey", "ی": "iey"}
_LATIN_VOWELS = frozenset("aeiouywv")


def _gaps(items: list[tuple[bool, str]]) -> list[str] | None:
    """The letters between consonants (index k: after the k-th consonant) of a word given as
    (is_consonant, letter) pairs, doubled consonants merged and a final h left out as in
    :func:`_finish`; None without a consonant."""
    consonants: list[str] = []
    gaps: list[str] = []
    for is_consonant, letter in items:
        if not is_consonant:
            if consonants:
                gaps[-1] += letter
            continue
        if consonants and consonants[-1] == letter and not gaps[-1]:
            continue  # a doubled consonant
        consonants.append(letter)
        gaps.append("")
    if not consonants:
        return None
    if len(consonants) > 1 and consonants[-1] == "h":
        tail = gaps.pop()
        consonants.pop()
        gaps[-1] += tail
    return gaps


def arabic_vowels(word: str) -> list[str] | None:
    """Per gap between consonants, the long vowels an Arabic-script word writes there, each as
    the Latin letters that may stand for it ("|"-separated)."""
    if len(word) >= 4 and word.startswith("ال"):
        word = word[2:]
    items = []
    for i, c in enumerate(word):
        if c in _ARABIC:
            items.append((True, _ARABIC[c]))
        elif c not in _LONG_VOWELS or i == 0 or (c == "ا" and word[i + 1 : i + 2] == "ل"):
            continue  # the article inside a word (عبدالرحيم Abdelrahim, اسدالله Asadollah)
        elif i == len(word) - 1 and c in "يی":
            # final ی is also the alef maqsura in Persian spelling (مرتضی Morteza, عیسی Isa)
            items.append((False, "aiey|"))
        else:
            items.append((False, _LONG_VOWELS[c] + "|"))
    return _gaps(items)


def latin_vowels(word: str) -> list[str] | None:
    """Per gap between consonants, the vowel letters a folded Latin word writes there."""
    for old, new in _LATIN:
        word = word.replace(old, new)
    word = word.translate(_LATIN_CLASSES)
    return _gaps([(c not in _LATIN_VOWELS, c) for c in word if c.isalpha()])


def vowels_agree(arabic: str, latin: str) -> bool:
    """Whether a Latin word writes the long vowels of an Arabic-script word of the same skeleton
    where the Arabic word has them (see _LONG_VOWELS); True when they cannot be aligned."""
    needed, written = arabic_vowels(arabic), latin_vowels(latin)
    if needed is None or written is None or len(needed) != len(written):
        return True
    for need, have in zip(needed, written, strict=True):
        for options in filter(None, need.split("|")):
            if not any(c in have for c in options):
                return False
    return True
