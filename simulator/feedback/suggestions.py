"""The example reply a suggestion carries: a trainer's first, a built one only when it checks out.

A persona line may carry trainer-written examples by move (``reflection``, ``open_question``).
Those are offered first, least used first, so the same wording comes back at most
``MAX_REPEATS`` times in a session. Without them an example is built from the client's words
(``simulator.feedback.phrasing``), and kept only when the tool itself scores it as the move it
is meant to show, with no harmful act, and, in Finnish, in the worker's standard forms. When
no example is right, ``None`` says the feedback should name the move and its content instead.
Dutch examples say "u" or "je" as the trainee did in the reply (the persona's form if neither).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from simulator.feedback.phrasing import client_clause, example_reflection, examples, own_feeling
from simulator.language.fi.morphology import standard_fi
from simulator.language.nl.morphology import FORMAL, INFORMAL, to_address
from simulator.scoring import score_exchange
from simulator.scoring.features import feeling_words
from simulator.scoring.text import lexicon, tokens
from simulator.types import HARMFUL, REFLECTIONS, ActKind, Address, ClientTurn, Transcript

MAX_REPEATS = 2  # the same example wording at most this often in one session
PARTLY = 41  # the lowest listening score of the "partly" band, which an example must reach
PROMISED: dict[str, frozenset[ActKind]] = {
    "reflection": REFLECTIONS,
    "open_question": frozenset({"open_question"}),
}
_BUILDERS: dict[str, Callable[[ClientTurn], str | None]] = {}  # filled below


def _built_reflection(client: ClientTurn) -> str | None:
    """A reflection from the client's words only when it carries the client's own feeling.

    A stock feeling added to a plain fact ("It sounds like your dad is eighty-four, and that
    matters to you") was the reviewers' most common misfit, so none is built then.
    """
    clause = client_clause(client)
    feeling = own_feeling(client, besides=clause.source if clause else "")
    if (clause is not None and clause.has_feeling) or feeling is not None:
        return example_reflection(client)
    return None


def _built_open_question(client: ClientTurn) -> str | None:
    """An open question that fits any line; echoing the line back read as stilted in review."""
    return str(examples(client)["open_question_no_clause"])


_BUILDERS.update(reflection=_built_reflection, open_question=_built_open_question)
def trainee_address(reply: str, client: ClientTurn) -> Address:
    """How the trainee addressed the client in the reply (Dutch); the persona's form if unsaid."""
    if client.language != "nl":
        return client.address
    toks = set(tokens(reply))
    if toks & FORMAL and not toks & INFORMAL:
        return "formal"
    if toks & INFORMAL and not toks & FORMAL:
        return "informal"
    return client.address


def checks_out(move: str, client: ClientTurn, example: str) -> bool:
    """The tool scores the example as the promised move, no harmful act, listening 'partly'."""
    scores = score_exchange(client, Transcript.from_text(example, client.language))
    kinds = {a.kind for a in scores.acts}
    return bool(kinds & PROMISED[move]) and not kinds & HARMFUL and scores.listening >= PARTLY


def _standard_finnish(text: str) -> bool:
    """No spoken form in the text, and none whose standard reading is in doubt."""
    doubtful = set(lexicon("fi").words("spoken_ambiguous"))
    return all(standard_fi(t) == t and t not in doubtful for t in tokens(text))


def candidates(move: str, client: ClientTurn, address: Address) -> tuple[str, ...]:
    """The examples for this move: the line's own, else one built and checked, else none."""
    own = dict(client.examples).get(move, ())
    if own:
        if client.language == "nl" and address != client.address:
            return tuple(to_address(text, address) for text in own)
        return tuple(own)
    turn = replace(client, address=address)
    if move == "reflection" and client.language == "fi" and not _standard_finnish(client.text):
        return ()  # spoken Finnish cannot yet be turned into the worker's words reliably
    built = _BUILDERS[move](turn)
    if built is None or (client.language == "fi" and not _standard_finnish(built)):
        return ()
    return (built,) if checks_out(move, turn, built) else ()


# Emotion groups an example may name only to a client in that state: "You're hoping for a
# date" to a client demanding one names a wish, not the feeling in the line (reviewers, issue 10).
_POSITIVE = frozenset({"hopeful", "relieved", "calm"})


def names_feeling(text: str, language: str, emotion: str | None = None) -> bool:
    """The example names a feeling the language's word lists know, not merely a burden or wish.

    Words listed under ``not_a_feeling`` in the language's words ("heavy", "alone", "trust")
    describe a load, a situation or a stance; alone they do not name the client's feeling.
    With the client's ``emotion``, hope and relief count only when the client feels them.
    """
    lex = lexicon(language)
    groups = tuple(k for k in lex.section("feelings") if k != "generic")
    if emotion is not None and emotion not in _POSITIVE:
        groups = tuple(g for g in groups if g not in _POSITIVE)
    weak = {str(term) for term in lex.data.get("not_a_feeling", ())}  # as the feelings list them
    return any(term not in weak for term in feeling_words(tokens(text, language), lex, groups))


def choose_example(move: str, client: ClientTurn, reply: str,
                   used: Counter[str] | None = None, *, feeling: bool = False) -> str | None:
    """The least used right example for the move (counted in ``used``), or None if none is.

    With ``feeling`` only an example that names a feeling will do ("Name the feeling you hear").
    """
    if move not in PROMISED:
        raise ValueError(f"no examples for move {move!r}; known: {', '.join(PROMISED)}")
    used = Counter() if used is None else used
    options = [c for c in candidates(move, client, trainee_address(reply, client))
               if used[c] < MAX_REPEATS
               and (not feeling or names_feeling(c, client.language, client.state.emotion))]
    if not options:
        return None
    best = min(options, key=lambda c: used[c])
    used[best] += 1
    return best
