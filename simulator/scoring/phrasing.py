"""Example phrasings built from the client's own words: the clause, turned to 'you'."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any, cast

import yaml

from simulator.scoring.cues import client_cues
from simulator.scoring.features import feeling_words, fi_person
from simulator.scoring.text import (
    content_forms,
    lemma,
    lemma_cased,
    lexicon,
    split_sentences,
    tokens,
)
from simulator.types import ClientTurn

MAX_CLAUSE_WORDS = 14  # longer client sentences are cut at a clause boundary
MIN_CLAUSE_WORDS = 6  # ... but not into a fragment shorter than this
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_BOUNDARY = {"en": (",", " and ", " but ", " because ", " if ", " when "),
             "fi": (",", " ja ", " mutta ", " jos ", " kun "),
             "nl": (",", " en ", " maar ", " want ", " als ", " omdat ", " toen ")}


@cache
def feedback_texts(language: str) -> Mapping[str, Any]:
    """The feedback phrasing of one language (``lexicon/feedback_<lang>.yaml``)."""
    lang = lexicon(language).language
    raw = resources.files("simulator.scoring").joinpath(f"lexicon/feedback_{lang}.yaml")
    return cast(Mapping[str, Any], yaml.safe_load(raw.read_text(encoding="utf-8")))


def to_second_person(sentence: str, language: str) -> str:
    """Turn the client's first-person sentence into the listener's 'you' form."""
    lex = lexicon(language)
    swap = {str(k): str(v) for k, v in lex.section("perspective").items()}
    after_i = {str(k): str(v) for k, v in lex.section("perspective_after_i").items()}
    matches = list(_WORD_RE.finditer(sentence))
    lows = [m.group(0).lower().replace("’", "'") for m in matches]
    out = list(lows)
    for i, (m, low) in enumerate(zip(matches, lows, strict=True)):
        if low in swap:
            out[i] = swap[low]
        elif lex.language == "en" and i > 0 and lows[i - 1] == "i" and low in after_i:
            out[i] = after_i[low]
        elif lex.language == "fi":
            new = _fi_second_person(m.group(0), low, i == 0 or _clause_starts(
                sentence, matches, i, _FI_CLAUSE_WORDS))
            out[i] = m.group(0) if new == low else new
        else:
            out[i] = m.group(0)
    if lex.language == "nl":
        _nl_verbs(sentence, matches, lows, out, after_i)
    pieces: list[str] = []
    last = 0
    for m, word in zip(matches, out, strict=True):
        pieces.append(sentence[last:m.start()] + word)
        last = m.end()
    pieces.append(sentence[last:])
    return "".join(pieces)


def _nl_verbs(
    sentence: str, matches: list[re.Match[str]], lows: list[str], out: list[str],
    after_i: dict[str, str],
) -> None:
    """Dutch verb agreement for "ik" -> "je" ("ik werk" -> "je werkt", "dat ik kom" -> "komt").

    An inverted "kan ik" -> "kan je" keeps its verb, and past forms (zei, belde) never change.
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


def _nl_second(verb: str, after_i: dict[str, str]) -> str:
    if verb in after_i:
        return after_i[verb]
    return verb if verb.endswith(("t", "de", "te")) else verb + "t"


_NL_ADVERBS = frozenset({"niet", "ook", "al", "nog", "echt", "gewoon", "heel", "zo", "het",
                         "er", "daar", "hier", "nooit", "altijd", "steeds", "even", "soms",
                         "vaak", "nu", "dan", "weer", "wel", "toch", "zelf", "je", "jij"})
_NL_COORDINATORS = frozenset({"en", "maar", "want", "dus"})
_NL_SUBORDINATORS = frozenset({"dat", "als", "omdat", "of", "wanneer", "toen", "voor",
                               "voordat", "nadat", "sinds", "zodat", "terwijl", "die", "wat",
                               "waar", "hoe", "waarom", "zodra", "tot", "totdat", "alsof"})
_NL_CLAUSE_WORDS = frozenset({"en", "maar", "als", "dat", "omdat", "want", "dus", "of", "toen"})


_FI_CLAUSE_WORDS = frozenset({"ja", "mutta", "kun", "että", "koska", "jos", "vaikka", "eikä",
                              "enkä", "sitten", "nyt", "eli"})


def _clause_starts(
    sentence: str, matches: list[re.Match[str]], i: int, joiners: frozenset[str]
) -> bool:
    between = sentence[matches[i - 1].end():matches[i].start()]
    return any(c in between for c in ",;:") or matches[i - 1].group(0).lower() in joiners


def _fi_second_person(original: str, low: str, clause_start: bool) -> str:
    """Finnish: 'asuntoni' -> 'asuntosi'; a clause-initial first-person verb -> second person."""
    if original[:1].isupper() and not clause_start:
        return low  # a name such as "Kelaan" is no verb
    if low.endswith("ni") and len(low) > 4 and lemma(low, "fi") != low:
        return low[:-2] + "si"
    person = fi_person(low)
    if low.endswith("mme") and lemma(low, "fi").endswith(("a", "ä")) and lemma(low, "fi") != low:
        return low[:-3] + "tte"  # istuimme -> istuitte
    past = low.endswith("in") and not low.endswith("iin") and len(lemma(low, "fi")) >= 5
    if person == 1 and (clause_start or past):
        return low[:-1] + "t"  # past forms (pystyin) anywhere, present ones clause-initially
    return low


def _nl_nonfinite(word: str) -> bool:
    """A Dutch infinitive or participle (wachten, gebeld), which is not the finite verb."""
    return word.endswith("en") or (word.startswith("ge") and word.endswith(("d", "t")))


def _clause_ends(sentence: str, matches: list[re.Match[str]], i: int) -> bool:
    if i + 1 >= len(matches):
        return True
    between = sentence[matches[i].end():matches[i + 1].start()]
    return any(c in between for c in ",;:.!?") or matches[i + 1].group(0).lower() in (
        _NL_CLAUSE_WORDS)


def _shorten(clause: str, language: str) -> str:
    """Cut a long sentence at the first clause boundary that leaves a full thought."""
    if len(clause.split()) <= MAX_CLAUSE_WORDS:
        return clause
    cuts = sorted(i for sep in _BOUNDARY.get(language, (",",))
                  for i in _positions(clause, sep))
    for cut in cuts:
        if MIN_CLAUSE_WORDS <= len(clause[:cut].split()) <= MAX_CLAUSE_WORDS:
            return clause[:cut]
    return clause


def _positions(text: str, sep: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(sep), text)]


def _drop_lead(sentence: str, language: str) -> str:
    """Drop leading discourse words and conjunctions ("And", "Ja,", "Maar")."""
    lead = set(lexicon(language).words("discourse"))
    words = sentence.split()
    while len(words) > 3 and words[0].lower().strip(",.;:!") in lead:
        words = words[1:]
    return " ".join(words)


def client_clause(client: ClientTurn) -> str | None:
    """The client's most telling statement, turned to 'you', without end punctuation."""
    lang = client.language
    lex = lexicon(lang)
    cue_forms = [f for c in client_cues(client) for f in c.forms]
    best: tuple[float, str] | None = None
    for sentence in split_sentences(client.text):
        if sentence.rstrip().endswith("?"):
            continue
        content = content_forms(sentence, lang)
        if not content:
            continue
        toks = tokens(sentence)
        feelings = feeling_words(toks, lex)
        score = sum(any(f.matches(c) for c in cue_forms) for f in content) + 0.1 * len(content)
        if feelings and len(content) <= len(feelings) + 1:
            score -= 2.0  # a bare "I'm so angry": the feeling is named separately
        if set(toks) & set(lex.words("second_person")):
            score -= 3.0  # "you" there means the worker; it would not turn round cleanly
        if best is None or score > best[0]:
            best = (score, sentence)
    if best is None:
        return None
    clause = to_second_person(_drop_lead(best[1].strip().rstrip(".!…").strip(), lang), lang)
    clause = _shorten(clause, lang).rstrip(",;: ")
    first = clause.split(" ", 1)[0]
    if first and lemma_cased(first, lang)[:1].isupper():
        return clause  # a name such as "Aili" keeps its capital
    return clause[:1].lower() + clause[1:]


def example_reflection(client: ClientTurn) -> str:
    """An example reflection from this client's words and actual feeling."""
    texts = feedback_texts(client.language)
    feeling = str(texts["feelings"][client.state.emotion])
    clause = client_clause(client)
    if clause is None:
        return str(texts["reflection_no_clause"]).format(feeling=feeling)
    return str(texts["reflection"]).format(clause=clause, feeling=feeling)


def example_open_question(client: ClientTurn) -> str:
    """An example open question about the client's own experience."""
    texts = feedback_texts(client.language)
    clause = client_clause(client)
    if clause is None:
        return str(texts["open_question_no_clause"])
    return str(texts["open_question"]).format(clause=clause)
