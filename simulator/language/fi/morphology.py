"""Finnish word rules: spoken forms read as standard, person endings, clitics, syllables."""

from __future__ import annotations

import re
from functools import cache

from simulator import language as languages
from simulator.language.pack import WordRules
from simulator.language.wordforms import TOKEN_RE, lemma

_SPOKEN_ENDINGS = (("nu", "nut"), ("ny", "nyt"), ("is", "isi"), ("ks", "ko"), ("ks", "kö"))
_VERB_ENDINGS = ("aa", "ää", "ta", "tä", "da", "dä", "la", "lä", "na", "nä", "ra", "rä",
                 "ea", "eä", "ia", "iä", "oa", "öä", "ua", "yä")
_CLITICS = ("kin", "kaan", "kään", "han", "hän", "pa", "pä")
DIPHTHONGS = frozenset(
    ["ai", "ei", "oi", "ui", "yi", "äi", "öi", "au", "eu", "iu", "ou", "ey", "iy", "äy",
     "öy", "ie", "uo", "yö"]
)


@cache
def standard_fi(word: str) -> str:
    """The standard Finnish form of a lower-case spoken word ("oot" -> "olet"), else the word.

    Listed forms come from the word lists' ``spoken`` map (possibly two words: "ootsä" ->
    "oletko sinä"); a word ending in -nu/-ny, -is or -ks becomes -nut/-nyt, -isi or -ko/-kö
    when the lemmatiser reads that form as a verb (and, for -is and -ks, the spoken one as
    nothing else).
    """
    listed = languages.get("fi").read_yaml("words.yaml").get("spoken", {}).get(word)
    if listed is not None:
        return str(listed)
    if len(word) < 4 or "*" in word:
        return word
    front = not any(v in word for v in "aou")  # vowel harmony: "pitääks" -> "pitääkö"
    for spoken, standard in _SPOKEN_ENDINGS:
        if standard in ("ko", "kö") and (standard == "kö") != front:
            continue
        if word.endswith(spoken):
            candidate = word[: -len(spoken)] + standard
            verb, own = lemma(candidate, "fi"), lemma(word, "fi")
            trusted = spoken in ("nu", "ny") or own in (word, verb)  # -nu: no other ending
            if verb != candidate and verb.endswith(("a", "ä")) and trusted:
                return candidate
            if spoken in ("nu", "ny") and own != word and own.endswith(("a", "ä")):
                return candidate  # "nukkunu": read as the verb nukkua already
    return word


def standardise_fi_text(text: str) -> str:
    """Finnish text with each spoken word in its standard form, case and punctuation kept."""

    def sub(m: re.Match[str]) -> str:
        word = m.group(0)
        std = standard_fi(word.lower().replace("’", "'"))
        if std == word.lower():
            return word
        return std[:1].upper() + std[1:] if word[:1].isupper() else std

    return TOKEN_RE.sub(sub, text)


def fi_person(word: str) -> int:
    """2 for a Finnish second-person verb form (olet, soitit), 1 for first person, else 0."""
    lem = lemma(word, "fi")
    if lem == word or not lem.endswith(_VERB_ENDINGS) or word.endswith(("nut", "nyt")):
        return 0
    if word.endswith("t") and word != lem + "t":
        return 2
    if word.endswith("n") and word != lem + "n":
        return 1
    return 0


def strip_clitic(word: str) -> str:
    """The word without a clitic particle (-kin, -kaan, -han, -pa): "minäkin" -> "minä"."""
    for c in _CLITICS:
        if word.endswith(c) and len(word) > len(c) + 2:
            return word[: -len(c)]
    return word


def group_syllables(group: str) -> int:
    """Syllables in one run of vowels: a diphthong is one, two unlike vowels otherwise two."""
    if len(group) > 2:
        return len(group) - 1  # a long vowel or diphthong followed by another vowel
    if len(group) == 2 and group[0] != group[1] and group not in DIPHTHONGS:
        return 2
    return 1


def person_endings(toks: tuple[str, ...], first: set[str], second: set[str]) -> tuple[int, int]:
    """First- and second-person verb endings of the words that are not pronouns, and -si."""
    n1 = n2 = 0
    for t in toks:
        if t not in first and t not in second:
            p = fi_person(t)
            n1 += p == 1
            n2 += p == 2
    n2 += sum(t.endswith(("si", "sikin")) and len(t) > 5 for t in toks)  # "asuntosi": yours
    return n1, n2


RULES = WordRules(
    standard_word=standard_fi,
    vowel_syllables=group_syllables,
    strip_clitic=strip_clitic,
    verb_person=fi_person,
    person_endings=person_endings,
)
