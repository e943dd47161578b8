"""Names cut by fixed-width fields (35 or 50 characters): a query compared with the start of a
longer listed name, a name cut after its words were reordered, and whether a cut query reaches
past the listed name's legal form into the name itself. Scoring (score.py) calls these for the
candidates whose bounds (candidates.py) leave a cut possible."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from orchestration.screening.candidates import CUT_MIN_CORE, NAME_START
from orchestration.screening.legal_forms import families_agree
from orchestration.screening.normalize import NormName

if TYPE_CHECKING:
    from orchestration.screening.score import Query, ScoreParams


def truncation_similarity(query: Query, listed: NormName, params: ScoreParams) -> float:
    """A long query compared with the start of a longer listed name, as fixed-width fields
    (35 or 50 characters) cut it: the ratio of the two joined texts with the listed one cut to
    the query's length, discounted and capped at review (what was cut off may be the word that
    tells two listings apart); 0 when the query is short or the ratio low. The joined texts are
    compared as written and with legal forms left out and abbreviations read as words ("CENTRAL
    INST FOR SCIEN" is the start of "CENTRAL INSTITUTE FOR SCIENTIFIC RESEARCH"), and a name
    cut after its words were reordered counts too (:func:`cut_after_reordering`)."""
    if len(query.name.strip()) < params.truncation_min_length:
        return 0.0
    # without the forms only when the query has none or the listing has the same: a name under
    # another legal form is another company ("TOO V TIKHOMIROV ..." is not the JSC)
    same_form = not query.norm.legal_forms or families_agree(query.norm.families, listed.families)
    best = 1.0 if same_form and cut_after_reordering(query.norm, listed) else 0.0
    if best < 1.0 and reaches_name(query.norm, listed):
        text, core = query.norm.full_compact, query.norm.compact
        if len(listed.full_compact) > len(text) + 2:
            best = fuzz.ratio(text, listed.full_compact[: len(text)]) / 100.0
        if same_form and len(core) >= CUT_MIN_CORE and len(listed.compact) > len(core) + 2:
            best = max(best, fuzz.ratio(core, listed.compact[: len(core)]) / 100.0)
    if best < params.truncation_min_similarity:
        return 0.0
    return min(best * params.truncation_discount, params.truncation_cap)


# the string bound (candidates.py) from which a variant is tested for a reordered cut: the
# reordered cuts of the dev split come at 0.6 to 0.7 (0.5 finds no more, 0.7 loses one)
CUT_REORDERED_BOUND = 0.6


def cut_after_reordering(query: NormName, listed: NormName) -> bool:
    """Whether a query is a listed name with its words reordered and then cut: its last word is
    the start of a listed word it has not otherwise, and every other word (two different words
    at least) is a word of the listed name ("JSC SYSTEMS RESHETNEV INFORMATION A" of "JSC
    ACADEMICIAN M.F. RESHETNEV INFORMATION SATELLITE SYSTEMS")."""
    words = query.tokens
    if len(words) < 3 or len(listed.compact) <= len(query.compact):
        return False
    rest, last = words[:-1], words[-1]
    listed_words = set(listed.tokens)
    if last in listed_words or len(set(rest)) < 2 or not listed_words.issuperset(rest):
        return False
    return any(w.startswith(last) and w not in rest for w in listed_words)


def reaches_name(query: NormName, listed: NormName) -> bool:
    """Whether a cut query goes past the listed name's legal form into its name: the query's
    core words (legal forms left out) hold the first letters of the listed core words
    (``NAME_START`` of them, joined). A query cut inside or right after the form ("OBSCHESTVO S
    OGRANICHENNOI OTVETSTV", "OTKRYTOE AKTSIONERNOE OBSHCHESTVO N") is the start of every such
    company's name, listed or not: no evidence for any of them."""
    start = listed.compact[:NAME_START]
    return len(query.compact) >= NAME_START and start in query.compact
