"""The client's own sentence turned round to the listener: "I have called" -> "you have called".

English swaps the pronouns ("I was" -> "you were"). Finnish also turns first-person verbs and
possessive suffixes ("asuntoni" -> "asuntosi") and drops a "sinä" the verb already shows.
Dutch fixes the verb after the new subject ("ik werk" -> "je werkt") and, for a client the
trainee calls "u", says "u heeft", "kunt u", "u voelt zich" and "uw". Words inside quotation
marks are someone the client quotes, and stay as they are.
"""

from __future__ import annotations

import re
from typing import Any

from simulator.language.fi.morphology import fi_person
from simulator.language.nl.morphology import nl_stems
from simulator.scoring.text import feedback_texts, lemma, lexicon

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# “…”, ”…” (Finnish), „…“, «…», "…" and ‘…’ (the last only at word edges: "I’m" is no quote).
QUOTE_RE = re.compile(r"[“„«\"”][^”“»\"]*[”“»\"]|(?<![^\W_])‘[^’]*’(?![^\W_])", re.UNICODE)
_FI_CLITICS = ("kaan", "kään", "kin", "han", "hän")
_FI_PASSIVE_RE = re.compile(r"[tdlnrs](aa|ää)n$")  # katsotaan, puhutaan: "let's" / passive
_FI_SUBJECTS = frozenset({"minä", "mä", "mää"})
_FI_CLAUSE_WORDS = frozenset({"ja", "mutta", "kun", "että", "koska", "jos", "vaikka", "eikä",
                              "enkä", "sitten", "nyt", "eli"})
_NL_ADVERBS = frozenset({"niet", "ook", "al", "nog", "echt", "gewoon", "heel", "zo", "het",
                         "er", "daar", "hier", "nooit", "altijd", "steeds", "even", "soms",
                         "vaak", "nu", "dan", "weer", "wel", "toch", "zelf", "je", "jij"})
_NL_COORDINATORS = frozenset({"en", "maar", "want", "dus"})
_NL_SUBORDINATORS = frozenset({"dat", "als", "omdat", "of", "wanneer", "toen", "voor",
                               "voordat", "nadat", "sinds", "zodat", "terwijl", "die", "wat",
                               "waar", "hoe", "waarom", "zodra", "tot", "totdat", "alsof"})
_NL_CLAUSE_WORDS = frozenset({"en", "maar", "als", "dat", "omdat", "want", "dus", "of", "toen"})


def _mapping(data: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (data or {}).items()}


def quoted_words(sentence: str, matches: list[re.Match[str]]) -> set[int]:
    """Indices of the words that stand inside quotation marks."""
    spans = [m.span() for m in QUOTE_RE.finditer(sentence)]
    return {i for i, m in enumerate(matches) if any(a <= m.start() < b for a, b in spans)}


def to_second_person(sentence: str, language: str, formal: bool = False) -> str:
    """Turn the client's first-person sentence into the listener's 'you' form."""
    lex = lexicon(language)
    lang = lex.language
    data = feedback_texts(lang).get("you_form") or {}
    swap = _mapping(lex.section("perspective"))
    after_i = _mapping(lex.section("perspective_after_i")) | _mapping(data.get("verbs"))
    if formal and lang == "nl":
        swap |= _mapping(data["formal"]["swap"])
        after_i |= _mapping(data["formal"]["verbs"])
    matches = list(WORD_RE.finditer(sentence))
    lows = [m.group(0).lower().replace("’", "'") for m in matches]
    out = [m.group(0) for m in matches]
    if lang == "fi":
        _finnish(sentence, matches, lows, out, swap, frozenset(data.get("keep", ())))
    else:
        for i, low in enumerate(lows):
            if low in swap:
                out[i] = swap[low]
            elif lang == "en" and i > 0 and lows[i - 1] == "i" and low in after_i:
                out[i] = after_i[low]
        if lang == "nl":
            _nl_verbs(sentence, matches, lows, out, after_i, formal)
            if formal:
                _nl_reflexive(sentence, matches, lows, out, str(data["formal"]["reflexive"]))
    for i in quoted_words(sentence, matches):
        out[i] = matches[i].group(0)
    pieces: list[str] = []
    last = 0
    for m, word in zip(matches, out, strict=True):
        pieces.append(sentence[last:m.start()] + word)
        last = m.end()
    pieces.append(sentence[last:])
    return re.sub(r"\s{2,}", " ", "".join(pieces)).strip()


# --- Finnish -----------------------------------------------------------------------------------


def _finnish(
    sentence: str, matches: list[re.Match[str]], lows: list[str], out: list[str],
    swap: dict[str, str], keep: frozenset[str],
) -> None:
    """Pronouns, clause-initial and past first-person verbs, and possessive suffixes."""
    for i, (m, low) in enumerate(zip(matches, lows, strict=True)):
        base, clitic = _fi_split_clitic(low)
        if base in swap:
            out[i] = swap[base] + clitic
            continue
        if low in keep:
            continue
        start = i == 0 or lows[i - 1] in _FI_SUBJECTS or _clause_starts(
            sentence, matches, i, _FI_CLAUSE_WORDS)
        if m.group(0)[:1].isupper() and not start:
            continue  # a name such as "Kelaan" is no verb
        new = _fi_second_person(base, start)
        if new != base:
            out[i] = new + clitic
    for i, low in enumerate(lows[:-1]):
        nxt = out[i + 1]
        if low in _FI_SUBJECTS and nxt != matches[i + 1].group(0) and nxt.endswith(("t", "tkä")) \
                and not nxt.startswith(("sinu", "su")):
            out[i] = ""  # "minä olen" -> "olet": the verb already says who


def _fi_split_clitic(word: str) -> tuple[str, str]:
    for clitic in _FI_CLITICS:
        if word.endswith(clitic) and len(word) > len(clitic) + 3:
            return word[: -len(clitic)], clitic
    return word, ""


def _fi_second_person(low: str, clause_start: bool) -> str:
    """'asuntoni' -> 'asuntosi'; a first-person verb -> second person."""
    lem = lemma(low, "fi")
    if low.endswith("ni") and len(low) > 4 and lem != low:
        return low[:-2] + "si"
    if _FI_PASSIVE_RE.search(low) and not lem.endswith(("ata", "ätä")):
        return low  # passive: katsotaan, puhutaan
    if low.endswith("mme") and lem.endswith(("a", "ä")) and lem != low:
        return low[:-3] + "tte"  # istuimme -> istuitte
    past = low.endswith("in") and not low.endswith("iin") and len(lem) >= 5
    if fi_person(low) == 1 and (clause_start or past):
        return low[:-1] + "t"  # past forms (pystyin) anywhere, present ones clause-initially
    return low


def _clause_starts(
    sentence: str, matches: list[re.Match[str]], i: int, joiners: frozenset[str]
) -> bool:
    between = sentence[matches[i - 1].end():matches[i].start()]
    return any(c in between for c in ",;:") or matches[i - 1].group(0).lower() in joiners


# --- Dutch -------------------------------------------------------------------------------------


def _nl_verbs(
    sentence: str, matches: list[re.Match[str]], lows: list[str], out: list[str],
    after_i: dict[str, str], formal: bool,
) -> None:
    """Verb agreement for the new subject ("ik werk" -> "je werkt", "dat ik kom" -> "komt").

    An inverted "kan ik" keeps its verb before "je" but becomes "kunt u"; past forms (zei,
    belde, vond) never change.
    """
    for i, low in enumerate(lows):
        if low not in ("ik", "'k") or i + 1 >= len(lows):
            continue
        if i == 0 or _clause_starts(sentence, matches, i, _NL_COORDINATORS):
            nxt = lows[i + 1]
            if nxt not in _NL_ADVERBS:
                out[i + 1] = _nl_second(nxt, after_i)
        elif lows[i - 1] in _NL_SUBORDINATORS:
            k = i + 1
            while (lows[k] not in after_i and k + 1 < len(lows)
                   and not _clause_ends(sentence, matches, k)
                   and lows[k + 1] not in _NL_SUBORDINATORS):
                k += 1
            if lows[k] not in after_i and _nl_nonfinite(lows[k]) and k - 1 > i:
                k -= 1
            out[k] = _nl_second(lows[k], after_i)
        elif formal:
            out[i - 1] = _nl_second(lows[i - 1], after_i)


def _nl_reflexive(
    sentence: str, matches: list[re.Match[str]], lows: list[str], out: list[str], zich: str
) -> None:
    """Formal "me" after the subject "ik" is reflexive: "ik voel me" -> "u voelt zich"."""
    for i, low in enumerate(lows):
        if low not in ("me", "mij"):
            continue
        for j in range(i - 1, -1, -1):
            if lows[j] in ("ik", "'k"):
                out[i] = zich
                break
            if j > 0 and _clause_starts(sentence, matches, j, _NL_CLAUSE_WORDS):
                break


def _nl_second(verb: str, after_i: dict[str, str]) -> str:
    """The form after "je"/"u": a mapped form, a present stem plus -t, or unchanged."""
    if verb in after_i:
        return after_i[verb]
    if verb.endswith("t"):
        return verb
    lem = lemma(verb, "nl")
    if lem != verb and lem.endswith("en"):
        return verb + "t" if verb in nl_stems(lem) else verb  # "vond" is past: no -t
    return verb if verb.endswith(("de", "te")) else verb + "t"


def _nl_nonfinite(word: str) -> bool:
    """A Dutch infinitive or participle (wachten, gebeld), which is not the finite verb."""
    return word.endswith("en") or (word.startswith("ge") and word.endswith(("d", "t")))


def _clause_ends(sentence: str, matches: list[re.Match[str]], i: int) -> bool:
    if i + 1 >= len(matches):
        return True
    between = sentence[matches[i].end():matches[i + 1].start()]
    return any(c in between for c in ",;:.!?") or matches[i + 1].group(0).lower() in (
        _NL_CLAUSE_WORDS)
