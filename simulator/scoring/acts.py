"""What each sentence of a reply does: one act from the vocabulary of PRACTICE.md.

Rules run in a fixed order over each sentence, using the per-language word lists in
``lexicon/<lang>.yaml``. Reflections are recognised by what they reflect: content words and
feelings shared with the client's line (matched by stem and lemma, so inflected Finnish
and Dutch forms count), addressed to the client, not by an opening phrase alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.scoring.text import (
    Form,
    Lexicon,
    content_forms,
    find_terms,
    lemma,
    lexicon,
    norm_lang,
    shared_forms,
    split_sentences,
    starts_with,
    tokens,
)
from simulator.types import Act, ActKind, ClientTurn, Word

QUESTION_ACTS: frozenset[ActKind] = frozenset({"open_question", "closed_question"})
REFLECTION_ACTS: frozenset[ActKind] = frozenset(
    {"simple_reflection", "complex_reflection", "summary"}
)
MI_INCONSISTENT: frozenset[ActKind] = frozenset(
    {"advice", "persuasion", "judgement", "reassurance", "self_disclosure", "deflection"}
)
_NEGATION = frozenset({"not", "no", "don't", "dunno", "ei", "en", "niet", "geen", "weet"})
_FI_VERB_ENDINGS = ("aa", "ää", "ta", "tä", "da", "dä", "la", "lä", "na", "nä", "ra", "rä",
                    "ea", "eä", "ia", "iä", "oa", "öä", "ua", "yä")


@dataclass(frozen=True)
class Context:
    """What the classifier knows about the client's line."""

    forms: tuple[Form, ...]
    feelings: tuple[str, ...]
    emotion: str | None


def client_context(client: ClientTurn | None, language: str) -> Context:
    """Content-word forms and feeling words of the client's line (and its cues)."""
    if client is None:
        return Context((), (), None)
    text = " ".join((client.text, *client.cues))
    toks = tokens(text)
    return Context(
        content_forms(text, language),
        feeling_words(toks, lexicon(language)),
        client.state.emotion,
    )


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


def emotion_of(term: str, lex: Lexicon) -> str | None:
    """Which emotion group a feeling term belongs to."""
    for name, terms in lex.section("feelings").items():
        if term in (str(t) for t in terms):
            return str(name)
    return None


def _fi_person(word: str) -> int:
    """+2 for a Finnish second-person verb form, +1 for first person, 0 otherwise."""
    lem = lemma(word, "fi")
    if lem == word or not lem.endswith(_FI_VERB_ENDINGS) or word.endswith(("nut", "nyt")):
        return 0
    if word.endswith("t") and word != lem + "t":
        return 2
    if word.endswith("n") and word != lem + "n":
        return 1
    return 0


def person(toks: tuple[str, ...], lex: Lexicon) -> tuple[int, int]:
    """Counts of first- and second-person markers (pronouns, and Finnish verb endings)."""
    first = set(lex.words("first_person"))
    second = set(lex.words("second_person"))
    n1 = sum(t in first for t in toks)
    n2 = sum(t in second for t in toks)
    if lex.language == "fi":
        for t in toks:
            if t not in first and t not in second:
                p = _fi_person(t)
                n1 += p == 1
                n2 += p == 2
        n2 += sum(t.endswith(("si", "sikin")) and len(t) > 5 for t in toks)
    return n1, n2


def _strip_discourse(toks: tuple[str, ...], lex: Lexicon) -> tuple[str, ...]:
    terms = sorted(lex.words("discourse"), key=lambda t: -len(t.split()))
    while toks:
        hit = starts_with(terms, toks)
        if hit is None:
            break
        toks = toks[len(hit.split()):]
    return toks


def _is_closed_start(core: tuple[str, ...], lex: Lexicon) -> bool:
    if not core:
        return False
    if starts_with(lex.words("closed_starts"), core) is not None:
        return True
    suffixes = lex.words("closed_suffixes")
    return any(len(t) > 3 and t.endswith(s) for t in core[:2] for s in suffixes)


def classify_sentence(sentence: str, lex: Lexicon, ctx: Context) -> ActKind:
    """The act of one sentence, given the client context."""
    toks = tokens(sentence)
    core = _strip_discourse(toks, lex)
    joined = " ".join(toks)
    if not core or joined in lex.words("encouragers"):
        return "encourager"
    if len(core) <= 6 and starts_with(lex.words("other_phrases"), core):
        return "other"
    n1, n2 = person(core, lex)
    is_question = sentence.rstrip().endswith("?")
    deflections = find_terms(lex.words("deflection"), core)
    # "You're not sure" reflects the client; "I'm not sure" or "check online" deflects.
    if deflections and (n2 <= n1 or any(not _NEGATION & set(d.split()) for d in deflections)):
        return "deflection"
    if find_terms(lex.words("self_disclosure"), core) and not is_question:
        return "self_disclosure"
    if find_terms(lex.words("reassurance"), core):
        return "reassurance"
    if find_terms(lex.words("judgement"), core):
        return "judgement"
    opens = starts_with(lex.words("open_starts"), core)
    closed = _is_closed_start(core, lex)
    if is_question or (opens and len(core) > 2) or (closed and len(core) > 3 and n2 > 0):
        if find_terms(lex.words("collaboration"), core):
            return "seeking_collaboration"
        if opens:
            return "open_question"
        if closed:
            return "open_question" if _asks_to_tell(core, lex) else "closed_question"
        if is_question:
            return _declarative_question(core, lex, ctx, n2)
    return _statement(core, lex, ctx, n1, n2)


def _asks_to_tell(core: tuple[str, ...], lex: Lexicon) -> bool:
    return any(len(t.split()) > 1 and t.split()[-1] in core for t in lex.words("open_starts")[-12:])


def _declarative_question(core: tuple[str, ...], lex: Lexicon, ctx: Context, n2: int) -> ActKind:
    if len(core) <= 2:
        return "open_question"
    shared = shared_forms(content_forms(" ".join(core), lex.language), ctx.forms)
    if n2 > 0 and len(shared) >= 2:
        return _reflection_depth(core, lex, ctx, shared)
    return "closed_question"


def _statement(core: tuple[str, ...], lex: Lexicon, ctx: Context, n1: int, n2: int) -> ActKind:
    if find_terms(lex.words("autonomy"), core):
        return "emphasizing_autonomy"
    if find_terms(lex.words("persuasion"), core):
        return "persuasion"
    if find_terms(lex.words("advice"), core) or starts_with(lex.words("advice_starts"), core):
        return "advice"
    if find_terms(lex.words("collaboration"), core):
        return "seeking_collaboration"
    reply_forms = content_forms(" ".join(core), lex.language)
    shared = shared_forms(reply_forms, ctx.forms)
    if n2 > 0 and find_terms(lex.words("affirmation"), core) and not feeling_words(core, lex):
        return "affirmation"
    opener = starts_with(lex.words("reflection_starts"), core)
    ok_first = starts_with(lex.words("first_person_reflection_ok"), core) is not None
    points = (2 if opener else 0) + min(n2, 1) + min(len(shared), 2)
    points += 1 if feeling_words(core, lex) else 0
    if n1 > 0 and not ok_first and n1 >= n2:
        points -= 2
    if points >= 2:
        if find_terms(lex.words("summary"), core) and len(core) >= 12:
            return "summary"
        if len(core) >= 30 and len(shared) >= 4:
            return "summary"
        return _reflection_depth(core, lex, ctx, shared)
    if find_terms(lex.words("affirmation"), core):
        return "affirmation"
    if len(core) >= 5 or find_terms(lex.words("information_markers"), core):
        return "information"
    return "other"


def _reflection_depth(
    core: tuple[str, ...], lex: Lexicon, ctx: Context, shared: tuple[Form, ...]
) -> ActKind:
    """Complex when the reflection adds feeling or meaning beyond the client's words."""
    named = feeling_words(core, lex)
    new_feelings = [f for f in named if f not in ctx.feelings]
    content = content_forms(" ".join(core), lex.language)
    added = len(content) - len(shared)
    if new_feelings or find_terms(lex.words("complex_markers"), core):
        return "complex_reflection"
    if added >= 3 and len(content) >= 4:
        return "complex_reflection"
    return "simple_reflection"


def _align(sentences: tuple[str, ...], words: tuple[Word, ...]) -> list[tuple[float, float] | None]:
    """Give each sentence the start and end of the words it covers, by token count."""
    if not words:
        return [None] * len(sentences)
    counts = [max(len(s.split()), 1) for s in sentences]
    total = sum(counts)
    scale = len(words) / total if total else 1.0
    out: list[tuple[float, float] | None] = []
    pos = 0.0
    for c in counts:
        a = min(round(pos), len(words) - 1)
        pos += c * scale
        b = min(max(round(pos) - 1, a), len(words) - 1)
        out.append((words[a].start, words[b].end))
    return out


def classify_acts(
    text: str,
    language: str,
    client: ClientTurn | None = None,
    words: tuple[Word, ...] = (),
) -> tuple[Act, ...]:
    """One act per sentence of ``text``, timed from ``words`` when they are given."""
    lang = norm_lang(language)
    lex = lexicon(lang)
    ctx = client_context(client, lang)
    sentences = split_sentences(text)
    spans = _align(sentences, words)
    acts: list[Act] = []
    for sentence, span in zip(sentences, spans, strict=True):
        kind = classify_sentence(sentence, lex, ctx)
        start, end = span if span else (None, None)
        acts.append(Act(kind, sentence, start, end))
    return tuple(acts)
