"""Example phrasings built from the client's own words and feeling, for the feedback's "Try:".

The client's most telling statement is cleaned (leading "Well," or "Ja,", trailing tags such
as ", hoor" or ", to be honest", vocatives), turned to "you" (``perspective``) and put in the
language's template. Questions, requests, retorts, formulas and fragments are never reflected:
when no sentence of the line can be turned round cleanly, the example names only the feeling.
The word lists and templates live in ``simulator/language/<lang>/feedback.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from simulator.feedback.perspective import WORD_RE, quoted_words, to_second_person
from simulator.language.fi.morphology import fi_person, standardise_fi_text
from simulator.language.nl.morphology import nl_stems
from simulator.scoring.cues import client_cues
from simulator.scoring.features import feeling_words, person
from simulator.scoring.text import (
    content_forms,
    feedback_texts,
    lemma,
    lemma_cased,
    lexicon,
    split_sentences,
)
from simulator.types import ClientTurn

MAX_CLAUSE_WORDS = 16  # longer client sentences are cut at a clause boundary
MIN_CLAUSE_WORDS = 5  # ... but not into a fragment shorter than this
HARD_MAX_WORDS = 20  # a sentence still longer than this is not reflected
MIN_WORDS = 3  # "Nobody checks." is too thin to reflect
MIN_CONTENT = 1
OWN_FEELING_MAX_WORDS = 6  # "I feel so guilty." is said again as the feeling part
QuestionKind = Literal["experience", "wish", "hypothetical", "plan"]
_CUTS = (",", " and ", " but ", " ja ", " mutta ", " en ", " maar ", " want ")
_FI_CONDITIONAL_RE = re.compile(r"isi(n|t|mme|tte|vat|vät)?$")
_FI_INFINITIVE_RE = re.compile(r"([aeiouyäö][aä]|d[aä]|ll[aä]|nn[aä]|rr[aä]|st[aä]|t[aä])$")


@dataclass(frozen=True)
class Clause:
    """A client's statement turned to 'you' (no end punctuation), with what it came from."""

    text: str
    source: str  # the client's cleaned sentence
    kind: QuestionKind  # which open question fits it
    has_feeling: bool  # it names a feeling itself, so no feeling phrase is added


def _standard(sentence: str, language: str) -> str:
    """Finnish in the worker's standard forms ("mä oon" -> "minä olen"), others unchanged."""
    return standardise_fi_text(sentence) if language == "fi" else sentence


def _data(language: str) -> Mapping[str, Any]:
    return feedback_texts(language)["clause"]  # type: ignore[no-any-return]


def _words(language: str, key: str) -> tuple[str, ...]:
    return tuple(str(w) for w in _data(language).get(key, ()))


def _starts_with(text: str, phrases: tuple[str, ...]) -> bool:
    low = " ".join(WORD_RE.findall(text.lower().replace("’", "'")))
    return any(low == p or low.startswith(p + " ") for p in phrases)


# --- cleaning one sentence --------------------------------------------------------------------


def clean_sentence(sentence: str, language: str) -> str:
    """Drop end punctuation, leading discourse words and interjections, trailing tags, vocatives."""
    lex = lexicon(language)
    text = sentence.strip().rstrip(".!…").strip()
    bare = set(_words(language, "bare_leads"))
    discourse = set(lex.words("discourse"))
    loose = discourse | set(_words(language, "leads"))
    v2 = bool(_data(language).get("v2"))  # Dutch: "Zo is het" must keep its "zo"
    phrases = sorted((p for p in bare if " " in p), key=len, reverse=True)
    while True:
        low_text = text.lower()
        phrase = next((p for p in phrases if low_text.startswith(p + " ")), None)
        if phrase is not None and len(text.split()) > len(phrase.split()) + 2:
            text = text[len(phrase):].lstrip(" ,")
            continue
        m = re.match(r"([^\W\d_]+(?:['’][^\W_]+)*)([,.…!:;]*)\s+(.*)$", text, re.UNICODE)
        if m is None or len(m.group(3).split()) < 2:
            break
        word, punct, rest = m.group(1), m.group(2), m.group(3)
        low = word.lower()
        vocative = bool(punct) and word[:1].isupper() and lemma_cased(word, language)[:1].isupper()
        if vocative or low in bare or (punct and low in loose) or (low in discourse and not v2):
            text = rest
            continue
        break
    tags = tuple(_words(language, "tags"))
    while "," in text:
        head, tail = text.rsplit(",", 1)
        tail_low = tail.strip().lower()
        name = len(tail.split()) == 1 and tail.strip()[:1].isupper()
        if tail_low in tags or tail_low in loose or name:
            text = head.strip()
            continue
        break
    return text.strip().rstrip(",;:–- ").strip()


def _unsuitable(text: str, language: str, formal: bool) -> bool:
    """A request, retort, formula or remark to the worker, which a reflection cannot turn round."""
    lex = lexicon(language)
    matches = list(WORD_RE.finditer(text))
    quoted = quoted_words(text, matches)
    toks = [m.group(0).lower().replace("’", "'") for i, m in enumerate(matches) if i not in quoted]
    if not toks or _starts_with(text, _words(language, "skip_starts")):
        return True
    if set(toks[1:3]) & set(_words(language, "relatives")) or not _has_finite_verb(toks, language):
        return True  # a fragment: "Someone who will call me back", "His savings"
    second = set(lex.words("second_person"))
    if formal:
        second |= set(_words(language, "formal_skip_words"))
    if any(t in second for t in toks):
        return True
    if lex.language == "fi":
        return _fi_unsuitable(toks, set(lex.words("first_person")))
    if lex.language == "nl":
        lem = lemma(toks[0], "nl")
        return lem != toks[0] and lem.endswith("en") and toks[0] in nl_stems(lem)  # "Bel me"
    return False


def _has_finite_verb(toks: list[str], language: str) -> bool:
    """Some sign of a finite verb: a listed word, or a form the lemmatiser reads as a verb."""
    if set(toks) & set(_words(language, "finite")):
        return True
    if language == "en":
        return any(t.endswith(("ed", "n't")) for t in toks)
    if language == "nl":
        return any((t.endswith("en") and len(t) > 3) or lemma(t, "nl").endswith("en") for t in toks)
    return any(fi_person(t) or ((lem := lemma(t, "fi")) != t and _FI_INFINITIVE_RE.search(lem))
               for t in toks)


def _fi_unsuitable(toks: list[str], first: set[str]) -> bool:
    """Finnish: an imperative, a "let's", a -ko question, or a verb that speaks to the worker."""
    head = toks[0]
    if head.endswith(("kaa", "kää")) or (head.endswith(("ko", "kö")) and len(head) > 4):
        return True
    if re.search(r"[tdlnrs](aa|ää)n$", head) and not lemma(head, "fi").endswith(("ata", "ätä")):
        return True
    # "te tulitte", "kirjaatte": the plural "you" of a client speaking to the worker.
    return any(t.endswith("tte") and len(t) > 5 and t not in first for t in toks)


# --- choosing the sentence ----------------------------------------------------------------------


def _shorten(clause: str, language: str) -> str | None:
    """Cut a long clause at a boundary that leaves a main clause; None if none does."""
    if len(clause.split()) <= MAX_CLAUSE_WORDS:
        return clause
    subordinators = _words(language, "subordinators")
    for cut in sorted(m.start() for sep in _CUTS for m in re.finditer(re.escape(sep), clause)):
        head = clause[:cut].rstrip(",;: ")
        if (MIN_CLAUSE_WORDS <= len(head.split()) <= MAX_CLAUSE_WORDS
                and not _starts_with(head, subordinators)):
            return head
    return clause if len(clause.split()) <= HARD_MAX_WORDS else None


def _kind(source: str, language: str) -> QuestionKind:
    matches = list(WORD_RE.finditer(source))
    quoted = quoted_words(source, matches)
    toks = [m.group(0).lower().replace("’", "'") for i, m in enumerate(matches) if i not in quoted]
    low = " " + " ".join(toks) + " "
    if any(f" {w} " in low for w in _words(language, "wish")):
        return "wish"
    hypothetical = any(f" {w} " in low for w in _words(language, "hypothetical"))
    if language == "fi":
        hypothetical |= any(_FI_CONDITIONAL_RE.search(t) and lemma(t, "fi") != t and len(t) >= 5
                            and not t.startswith("olis") for t in toks)  # not "olisi pitänyt"
    if hypothetical:
        return "hypothetical"
    return "plan" if any(f" {w} " in low for w in _words(language, "plan")) else "experience"


def _finish(text: str, language: str) -> str:
    first = text.split(" ", 1)[0]
    if first and lemma_cased(first.strip("“„«\"‘"), language)[:1].isupper():
        return text  # a name such as "Aili" keeps its capital
    return text[:1].lower() + text[1:]


def client_clause(client: ClientTurn) -> Clause | None:
    """The client's most telling statement, turned to 'you', if one can be turned cleanly."""
    lang = client.language
    lex = lexicon(lang)
    formal = client.address == "formal"
    cue_forms = [f for c in client_cues(client) for f in c.forms]
    best: tuple[float, Clause] | None = None
    for sentence in split_sentences(client.text):
        if sentence.rstrip().endswith("?"):
            continue
        source = clean_sentence(_standard(sentence, lang), lang)
        if _starts_with(sentence, _words(lang, "retort_starts")):
            continue  # "So I'm a liar now": a retort, even once "So" is dropped
        content = content_forms(source, lang)
        if (len(source.split()) < MIN_WORDS or len(content) < MIN_CONTENT
                or _unsuitable(source, lang, formal)):
            continue
        text = _shorten(to_second_person(source, lang, formal), lang)
        if text is None:
            continue
        groups = tuple(g for g in lex.section("feelings") if g not in ("calm", "generic"))
        feelings = feeling_words(tuple(t.lower() for t in WORD_RE.findall(source)), lex, groups)
        score = sum(any(f.matches(c) for c in cue_forms) for f in content) + 0.1 * len(content)
        if feelings and len(content) <= len(feelings) + 1:
            score -= 2.0  # a bare "I'm so angry": the feeling is named separately
        clause = Clause(_finish(text, lang), source, _kind(source, lang), bool(feelings))
        if best is None or score > best[0]:
            best = (score, clause)
    return None if best is None else best[1]


def own_feeling(client: ClientTurn, besides: str = "") -> str | None:
    """A short first-person feeling statement ("I feel so guilty"), turned to 'you'."""
    lang = client.language
    lex = lexicon(lang)
    formal = client.address == "formal"
    for sentence in split_sentences(client.text):
        if sentence.rstrip().endswith("?"):
            continue
        source = clean_sentence(_standard(sentence, lang), lang)
        toks = tuple(t.lower().replace("’", "'") for t in WORD_RE.findall(source))
        if (source == besides or not 2 <= len(toks) <= OWN_FEELING_MAX_WORDS
                or not feeling_words(toks, lex) or person(toks, lex)[0] == 0
                or _unsuitable(source, lang, formal)):
            continue
        return _finish(to_second_person(source, lang, formal), lang)
    return None


# --- the examples -------------------------------------------------------------------------------


def examples(client: ClientTurn) -> Mapping[str, Any]:
    """The example templates for this client: the language's, with formal ones for "u"."""
    texts = feedback_texts(client.language)
    base: dict[str, Any] = dict(texts["examples"])
    if client.address == "formal" and "formal" in texts:
        base.update(texts["formal"])
    return base


def _polish(text: str, client: ClientTurn) -> str:
    for old, new in (feedback_texts(client.language)["clause"].get("contractions") or {}).items():
        text = text.replace(str(old), str(new))
    return text[:1].upper() + text[1:]


def _fill(template: str, clause: str, feeling: str = "") -> str:
    values = {"clause": clause, "Clause": clause[:1].upper() + clause[1:], "feeling": feeling}
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def example_reflection(client: ClientTurn) -> str:
    """An example reflection from this client's words and feeling (the feeling alone if need be)."""
    ex = examples(client)
    emotion = client.state.emotion
    clause = client_clause(client)
    if clause is None:
        own = own_feeling(client)
        if own is None:
            return str(ex["feelings_alone"][emotion])
        return _polish(_fill(str(ex["reflection_only"]), own), client)
    if clause.has_feeling:
        return _polish(_fill(str(ex["reflection_only"]), clause.text), client)
    own = own_feeling(client, besides=clause.source)
    if own is not None:
        feeling = str(ex["own_feeling"]).format(own=own, Own=own[:1].upper() + own[1:])
    else:
        feeling = str(ex["feelings"][emotion])
    return _polish(_fill(str(ex["reflection"]), clause.text, feeling), client)


def example_open_question(client: ClientTurn) -> str:
    """An example open question about what the client just said, fitted to what it is."""
    ex = examples(client)
    clause = client_clause(client)
    if clause is None:
        return str(ex["open_question_no_clause"])
    return _polish(_fill(str(ex["open_question"][clause.kind]), clause.text), client)


def example_deflection(client: ClientTurn) -> str:
    """What to say instead of "I don't know": what you will find out, and when.

    A client who asked nothing (announced a decision) gets no "I'm not sure yet" answer, which
    reviewers found answered no question, but what the worker will look into for them.
    """
    return str(examples(client)["deflection" if "?" in client.text else "deflection_no_question"])
