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
from simulator.scoring.text import content_forms, lemma, lexicon, split_sentences, tokens
from simulator.types import ClientTurn

MAX_CLAUSE_WORDS = 14  # longer client sentences are cut at a clause boundary
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
    out = [m.group(0) for m in matches]
    prev = ""
    pending = False  # Dutch: "ik" whose verb comes at the end of a subordinate clause
    for i, m in enumerate(matches):
        low = m.group(0).lower().replace("’", "'")
        new = low
        if lex.language == "nl" and prev in ("ik", "'k") and (low in _NL_ADVERBS or low in swap):
            pending = True
        if low in swap:
            new = swap[low]
        elif prev in ("i", "ik", "'k") and low in after_i:
            new = after_i[low]
        elif lex.language == "fi":
            new = _fi_second_person(m.group(0), low, i == 0 or _clause_starts(sentence, matches, i))
        elif lex.language == "nl" and prev in ("ik", "'k") and not pending:
            new = low if low.endswith("t") else low + "t"
        if pending and lex.language == "nl" and _clause_ends(sentence, matches, i):
            pending = False
            j = i
            if low not in after_i and _nl_nonfinite(low) and i > 0:
                j = i - 1
            word = out[j].lower()
            fixed = after_i.get(word, word if word.endswith(("t", "d")) else word + "t")
            if j < i:
                out[j] = fixed
            else:
                new = fixed
        if new != low:
            out[i] = new
        prev = low
    pieces: list[str] = []
    last = 0
    for m, word in zip(matches, out, strict=True):
        pieces.append(sentence[last:m.start()] + word)
        last = m.end()
    pieces.append(sentence[last:])
    return "".join(pieces)


_NL_ADVERBS = frozenset({"niet", "ook", "al", "nog", "echt", "gewoon", "heel", "zo", "het",
                         "er", "daar", "hier", "nooit", "altijd", "bang", "blij", "boos",
                         "steeds", "even", "soms", "vaak", "nu", "dan", "weer", "wel", "geen",
                         "hem", "haar", "ze", "dit", "dat", "die", "de", "een", "zelf", "iets",
                         "niets", "niks", "alles", "veel", "weinig", "meer", "toch", "hun"})
_NL_CLAUSE_WORDS = frozenset({"en", "maar", "als", "dat", "omdat", "want", "dus", "of", "toen"})


_FI_CLAUSE_WORDS = frozenset({"ja", "mutta", "kun", "että", "koska", "jos", "vaikka", "eikä",
                              "enkä", "sitten", "nyt", "eli"})


def _clause_starts(sentence: str, matches: list[re.Match[str]], i: int) -> bool:
    between = sentence[matches[i - 1].end():matches[i].start()]
    return any(c in between for c in ",;:") or matches[i - 1].group(0).lower() in (
        _FI_CLAUSE_WORDS)


def _fi_second_person(original: str, low: str, clause_start: bool) -> str:
    """Finnish: 'asuntoni' -> 'asuntosi'; a clause-initial first-person verb -> second person."""
    if original[:1].isupper() and not clause_start:
        return low  # a name such as "Kelaan" is no verb
    if low.endswith("ni") and len(low) > 4 and lemma(low, "fi") != low:
        return low[:-2] + "si"
    if clause_start and fi_person(low) == 1:
        return low[:-1] + "t"
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
    if len(clause.split()) <= MAX_CLAUSE_WORDS:
        return clause
    for sep in _BOUNDARY.get(language, (",",)):
        cut = clause.find(sep, 10)
        if cut > 0 and len(clause[:cut].split()) >= 4:
            return clause[:cut]
    return clause


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
        feelings = feeling_words(tokens(sentence), lex)
        score = sum(any(f.matches(c) for c in cue_forms) for f in content) + 0.1 * len(content)
        if feelings and len(content) <= len(feelings) + 1:
            score -= 2.0  # a bare "I'm so angry": the feeling is named separately
        if best is None or score > best[0]:
            best = (score, sentence)
    if best is None:
        return None
    clause = to_second_person(best[1].strip().rstrip(".!…").strip(), lang)
    clause = _shorten(clause, lang).rstrip(",;: ")
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
