"""Short legal forms with one slip of the hand: ``LLLC``, ``LTDD``, ``JSSC``, ``LDT``, ``JAC``.

Normalisation reads a word one typing error from a legal-form word of five letters or more as
that form (``Compnay``), but not short forms: one edit of any kind turns three letters into
many ordinary words. A short form mistyped stays a word of the name, one that no listed name
has, and costs a one-word name most of its score (``Medisar, LLLC`` against ``Medisar, LLC``).

Here the errors are only those a hand makes on a keyboard, not any edit: a letter doubled, a
neighbouring key struck as well, two neighbouring letters swapped, a key struck for its QWERTY
neighbour, and for four-letter forms a letter dropped (three letters left). A three-letter
form keeps its first letter in place: slips there are words and names (``LAO`` of ``OAO``,
``NIC`` of ``INC``). Every such slip of the forms below is kept, unless it is itself a form,
form word, stop word or abbreviation (abbreviations.py), one of the few words in ``WORDS``, or
a slip of two different forms. The forms are the short ones that end or start company names
in the lists; ``TOO`` (Kazakh), ``TOV``, ``GUP``, ``RUP``, ``PAO``, ``CORP`` and ``SARL`` are
left out because their slips are common words or names (``TOY``, ``COP``, ``SAL``).
Normalisation uses the table only for the first or last word of a name of two words or more,
where one-word forms are read (normalize._strip_forms).
"""

from __future__ import annotations

from orchestration.screening.typing_slips import NEIGHBOURS

SHORT_FORMS = ("cjsc", "dmcc", "fzco", "fze", "gmbh", "inc", "jsc", "llc", "llp", "ltd", "oao",
               "ojsc", "ooo", "pjsc", "plc", "srl", "zao")  # fmt: skip


def doubled_or_swapped(word: str) -> set[str]:
    """``word`` with one letter doubled, or two neighbouring letters swapped; in a word of three
    letters or fewer the first letter stays in place (module docstring)."""
    out: set[str] = set()
    four = len(word) >= 4
    for i, letter in enumerate(word):
        out.add(word[:i] + letter + word[i:])  # doubled
        if i + 1 < len(word) and (four or i > 0):
            out.add(word[:i] + word[i + 1] + letter + word[i + 2 :])  # swapped
    return out


def slips(form: str) -> set[str]:
    """Every word one slip of the hand (module docstring) from ``form``."""
    out = doubled_or_swapped(form)
    four = len(form) >= 4
    for i, letter in enumerate(form):
        for near in NEIGHBOURS.get(letter, ()):
            out.add(form[:i] + near + form[i:])  # struck as well, before
            out.add(form[: i + 1] + near + form[i + 1 :])  # and after
            if four or i > 0:
                out.add(form[:i] + near + form[i + 1 :])  # neighbouring key
        if four:
            out.add(form[:i] + form[i + 1 :])  # dropped
    out.discard(form)
    return out


# slips that are words of names or forms of their own (OAK, s.r.o.; IND, INV and INF stand for
# industries, investment and information in names; LTE the mobile standard; NJSC a national
# joint-stock company, as OFAC lists "NJSC CHORNOMORNAFTOGAZ")
WORDS = frozenset({"oak", "sro", "ind", "inv", "inf", "lte", "njsc"})


def slip_table(keys: set[str]) -> dict[str, str]:
    """Mistyped short form -> the form, none of them in ``keys`` (the one-word forms, form
    words and stop words, which stand for themselves)."""
    table: dict[str, str] = {}
    clashes: set[str] = set()
    for form in SHORT_FORMS:
        for slip in slips(form):
            if slip in table and table[slip] != form:
                clashes.add(slip)
            table[slip] = form
    return {s: f for s, f in table.items() if s not in clashes | keys | WORDS}
