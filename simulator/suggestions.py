"""The example reply a suggestion carries: a trainer's first, a built one only when it checks out.

A persona line may carry trainer-written examples by move (``reflection``, ``open_question``).
Those are offered first, least used first, so the same wording comes back at most
``MAX_REPEATS`` times in a session. Without them an example is built from the client's words
(``simulator.scoring.phrasing``), and kept only when the tool itself scores it as the move it
is meant to show, with no harmful act, and, in Finnish, in the worker's standard forms. When
no example is right, ``None`` says the feedback should name the move and its content instead.
Dutch examples say "u" or "je" as the trainee did in the reply (the persona's form if neither).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from simulator.scoring import score_exchange
from simulator.scoring.features import feeling_words
from simulator.scoring.phrasing import example_open_question, example_reflection
from simulator.scoring.text import lexicon, standard_fi, tokens
from simulator.types import ActKind, Address, ClientTurn, Transcript

MAX_REPEATS = 2  # the same example wording at most this often in one session
HARMFUL: frozenset[ActKind] = frozenset(
    {"judgement", "persuasion", "reassurance", "advice", "self_disclosure", "deflection"}
)
PROMISED: dict[str, frozenset[ActKind]] = {
    "reflection": frozenset({"simple_reflection", "complex_reflection", "summary"}),
    "open_question": frozenset({"open_question"}),
}
_BUILDERS: dict[str, Callable[[ClientTurn], str]] = {
    "reflection": example_reflection,
    "open_question": example_open_question,
}
_NL_FORMAL = frozenset({"u", "uw", "uzelf"})
_NL_INFORMAL = frozenset({"je", "jij", "jou", "jouw", "jezelf", "jullie"})
# "u" -> "je": irregular inverted verbs first; then any "<verb>t u" loses its -t ("vindt u" ->
# "vind je"), "u <verb>t" keeps it ("u vindt" -> "je vindt"), "zich" after "u" becomes "je".
_NL_TO_JE = (
    (r"\bheeft u\b", "heb je"), (r"\bbent u\b", "ben je"), (r"\bkunt u\b", "kun je"),
    (r"\bwilt u\b", "wil je"), (r"\bzult u\b", "zul je"), (r"\bu heeft\b", "je hebt"),
    (r"\bu zelf\b", "jezelf"), (r"\buzelf\b", "jezelf"),
    (r"\b([a-zë]+?)(d?)t u\b", r"\1\2 je"),
)
_NL_TO_U = (
    (r"\bheb je\b", "heeft u"), (r"\bben je\b", "bent u"), (r"\bkun je\b", "kunt u"),
    (r"\bwil je\b", "wilt u"), (r"\bzul je\b", "zult u"), (r"\bje hebt\b", "u heeft"),
    (r"\bjij\b", "u"), (r"\bjou\b", "u"), (r"\bjouw\b", "uw"), (r"\bjezelf\b", "uzelf"),
)


def trainee_address(reply: str, client: ClientTurn) -> Address:
    """How the trainee addressed the client in the reply (Dutch); the persona's form if unsaid."""
    if client.language != "nl":
        return client.address
    toks = set(tokens(reply))
    if toks & _NL_FORMAL and not toks & _NL_INFORMAL:
        return "formal"
    if toks & _NL_INFORMAL and not toks & _NL_FORMAL:
        return "informal"
    return client.address


def _cased(pattern: str, repl: str, text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        out = m.expand(repl)
        return out[:1].upper() + out[1:] if m.group(0)[:1].isupper() else out

    return re.sub(pattern, sub, text, flags=re.IGNORECASE)


def to_address(text: str, address: Address) -> str:
    """A Dutch example said to "je" or "u" (written in either)."""
    out = text
    if address == "informal":
        for pattern, repl in _NL_TO_JE:
            out = _cased(pattern, repl, out)
        if "zich" in out and re.search(r"\bu\b", out, re.IGNORECASE):
            out = _cased(r"\bzich\b", "je", out)
        out = _cased(r"\buw\b", "je", out)
        return _cased(r"\bu\b", "je", out)
    for pattern, repl in _NL_TO_U:
        out = _cased(pattern, repl, out)
    # "je" as subject after a verb, "<verb> je" -> "<verb>t u"; elsewhere "je" -> "u"/"uw".
    out = _cased(r"\b(vind|denk|voel|hoop|merk|maak|wacht|zeg|ga|doe|zie|weet|zoek|kijk|"
                 r"wens|hoor|bedoel|mis|verwacht|vertrouw|draag|sta|kom|blijf) je\b",
                 r"\1t u", out)
    out = _cased(r"\bje (eigen|[a-z]+(?:en|ing|heid|s|je))\b", r"uw \1", out)
    return _cased(r"\bje\b", "u", out)


def checks_out(move: str, client: ClientTurn, example: str) -> bool:
    """The tool scores the example as the promised move, with no harmful act."""
    kinds = {a.kind for a in score_exchange(client, Transcript.from_text(example,
                                                                        client.language)).acts}
    return bool(kinds & PROMISED[move]) and not kinds & HARMFUL


def _standard_finnish(text: str) -> bool:
    return all(standard_fi(t) == t for t in tokens(text))


def candidates(move: str, client: ClientTurn, address: Address) -> tuple[str, ...]:
    """The examples for this move: the line's own, else one built and checked, else none."""
    own = dict(client.examples).get(move, ())
    if own:
        if client.language == "nl" and address != client.address:
            return tuple(to_address(text, address) for text in own)
        return tuple(own)
    turn = replace(client, address=address)
    built = _BUILDERS[move](turn)
    if client.language == "fi" and not _standard_finnish(built):
        return ()
    return (built,) if checks_out(move, turn, built) else ()


def names_feeling(text: str, language: str) -> bool:
    """The example names a feeling the language's word lists know."""
    return bool(feeling_words(tokens(text, language), lexicon(language)))


def choose_example(move: str, client: ClientTurn, reply: str,
                   used: Counter[str] | None = None, *, feeling: bool = False) -> str | None:
    """The least used right example for the move (counted in ``used``), or None if none is.

    With ``feeling`` only an example that names a feeling will do ("Name the feeling you hear").
    """
    if move not in PROMISED:
        raise ValueError(f"no examples for move {move!r}; known: {', '.join(PROMISED)}")
    used = Counter() if used is None else used
    options = [c for c in candidates(move, client, trainee_address(reply, client))
               if used[c] < MAX_REPEATS and (not feeling or names_feeling(c, client.language))]
    if not options:
        return None
    best = min(options, key=lambda c: used[c])
    used[best] += 1
    return best
