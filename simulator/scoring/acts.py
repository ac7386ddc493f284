"""What each sentence of a reply does: one act from the vocabulary of PRACTICE.md.

Rules (``sentence.py``) run in a fixed order over each sentence, using the per-language word
lists in ``language/<lang>/words.yaml``. Reflections are recognised by what they reflect: content
words and feelings shared with the client's line (matched by stem and lemma, so inflected
Finnish and Dutch forms count), addressed to the client, not by an opening phrase alone.
"""

from __future__ import annotations

from simulator.language.fi.morphology import fi_person
from simulator.scoring.features import emotion_of, feeling_words, person
from simulator.scoring.sentence import (
    ClientContext,
    classify_sentence,
    is_open,
    main_clause,
    parse,
    strip_discourse,
)
from simulator.scoring.text import (
    content_forms,
    lexicon,
    norm_lang,
    split_sentences,
    tokens,
)
from simulator.types import QUESTIONS, Act, ActKind, ClientTurn, Word

__all__ = [
    "MAIN_ACT_ORDER",
    "classify_acts",
    "client_context",
    "emotion_of",
    "feeling_words",
    "fi_person",
    "main_act",
    "person",
    "question_form",
]


def client_context(client: ClientTurn | None, language: str) -> ClientContext:
    """Content-word forms, feeling words and tokens of the client's line (and its cues)."""
    if client is None:
        return ClientContext((), (), None, ())
    text = " ".join((client.text, *client.cues))
    return ClientContext(
        content_forms(text, language),
        feeling_words(tokens(text, language), lexicon(language)),
        client.state.emotion,
        tokens(client.text, language),
    )


# Which act of a reply is its main act, the one that matters most to the client (the corpus
# labelling rule of benchmarks/corpus/PLAN.md): any harmful act outranks every good one; then
# the order below. Among acts of the same rank, the more confident, then the later one wins.
MAIN_ACT_ORDER: tuple[ActKind, ...] = (
    "judgement",
    "persuasion",
    "advice",
    "deflection",
    "self_disclosure",
    "reassurance",
    "summary",
    "complex_reflection",
    "simple_reflection",
    "open_question",
    "emphasizing_autonomy",
    "seeking_collaboration",
    "affirmation",
    "information",
    "closed_question",
    "encourager",
    "other",
)


def main_act(acts: tuple[Act, ...] | list[Act]) -> Act | None:
    """The reply's main act: harm first, then ``MAIN_ACT_ORDER``; None for an empty reply."""
    if not acts:
        return None
    rank = {k: i for i, k in enumerate(MAIN_ACT_ORDER)}
    return min(
        enumerate(acts), key=lambda ia: (rank[ia[1].kind], -ia[1].confidence, -ia[0])
    )[1]


def question_form(act: Act, language: str) -> str | None:
    """Open or closed for a question act, or for any other act asked with a question mark.

    Collaboration questions, advice asked as a question ("Why don't you…?") and reflections
    said with a rising voice take the form of their wording; other statements have none.
    """
    if act.kind in QUESTIONS:
        return "open" if act.kind == "open_question" else "closed"
    if not act.text.rstrip().endswith("?"):
        return None
    lex = lexicon(language)
    s = parse(act.text, lex)
    return "open" if is_open(strip_discourse(main_clause(s, lex), lex), s, lex) else "closed"


def align(sentences: tuple[str, ...], words: tuple[Word, ...]) -> list[tuple[float, float] | None]:
    """Give each sentence the start and end of the words it covers, by word count."""
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
    spans = align(sentences, words)
    acts: list[Act] = []
    for sentence, span in zip(sentences, spans, strict=True):
        kind = classify_sentence(sentence, lex, ctx)
        start, end = span if span else (None, None)
        acts.append(Act(kind, sentence, start, end))
    return tuple(acts)
