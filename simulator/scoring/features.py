"""Language features of a token sequence: grammatical person and named feelings."""

from __future__ import annotations

from simulator import language as languages
from simulator.scoring.text import Lexicon, find_terms


def person(toks: tuple[str, ...], lex: Lexicon) -> tuple[int, int]:
    """Counts of first- and second-person markers (pronouns, and verb endings such as Finnish's)."""
    first = set(lex.words("first_person"))
    second = set(lex.words("second_person"))
    rules = languages.get(lex.language).rules()
    if rules.strip_clitic:
        toks = tuple(rules.strip_clitic(t) for t in toks)
    n1 = sum(t in first for t in toks)
    n2 = sum(t in second for t in toks)
    if rules.person_endings:
        e1, e2 = rules.person_endings(toks, first, second)
        n1, n2 = n1 + e1, n2 + e2
    return n1, n2


def subject_person(toks: tuple[str, ...], lex: Lexicon) -> int:
    """1 or 2 when the sentence opens with a first- or second-person subject, else 0."""
    if not toks:
        return 0
    rules = languages.get(lex.language).rules()
    head = rules.strip_clitic(toks[0]) if rules.strip_clitic else toks[0]
    if head in lex.words("first_person"):
        return 1
    if head in lex.words("second_person"):
        return 2
    return rules.verb_person(head) if rules.verb_person else 0


def feeling_words(toks: tuple[str, ...], lex: Lexicon, groups: tuple[str, ...] = ()) -> tuple[
    str, ...
]:
    """Feeling terms of the lexicon found in ``toks`` (all emotion groups unless named)."""
    section = lex.section("feelings")
    names = groups or tuple(k for k in section if k != "generic")
    found: list[str] = []
    for name in names:
        found.extend(find_terms(tuple(str(t) for t in section.get(name, ())), toks))
    return tuple(found)


# Emotions close enough that naming one answers the other ("hopeless" to a sad client).
RELATED_EMOTIONS: dict[str, frozenset[str]] = {
    "sad": frozenset({"hopeless", "ashamed", "guilty"}),
    "anxious": frozenset({"overwhelmed", "confused"}),
    "angry": frozenset({"defensive"}),
    "distrustful": frozenset({"defensive"}),
}


def same_feeling(named: str | None, emotion: str) -> bool:
    """Whether a feeling of group ``named`` answers a client whose emotion is ``emotion``."""
    if named is None:
        return False
    return (named == emotion or named in RELATED_EMOTIONS.get(emotion, frozenset())
            or emotion in RELATED_EMOTIONS.get(named, frozenset()))


def emotion_of(term: str, lex: Lexicon) -> str | None:
    """Which emotion group a feeling term belongs to."""
    for name, terms in lex.section("feelings").items():
        if term in (str(t) for t in terms):
            return str(name)
    return None
