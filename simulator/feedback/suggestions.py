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

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from simulator.feedback.phrasing import client_clause, example_reflection, examples, own_feeling
from simulator.scoring import score_exchange
from simulator.scoring.features import feeling_words
from simulator.scoring.text import lexicon, standard_fi, tokens
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
_NL_FORMAL = frozenset({"u", "uw", "uzelf"})
_NL_INFORMAL = frozenset({"je", "jij", "jou", "jouw", "jezelf", "jullie"})
# Dutch verbs with "je" and with "u" when the subject follows them ("vind je" / "vindt u").
# Only verbs that rarely take "u" as their object are listed, so "het doet u verdriet" stays.
_NL_INVERTED = {
    "ben": "bent", "heb": "heeft", "kun": "kunt", "wil": "wilt", "zul": "zult", "zeg": "zegt",
    "vind": "vindt", "denk": "denkt", "hoop": "hoopt", "weet": "weet", "kijk": "kijkt",
    "red": "redt", "ga": "gaat", "mis": "mist", "bedoel": "bedoelt", "voel": "voelt",
    "merk": "merkt", "zie": "ziet", "verwacht": "verwacht", "probeer": "probeert",
    "sta": "staat", "kom": "komt", "wens": "wenst", "zit": "zit",
    "woon": "woont", "werk": "werkt", "twijfel": "twijfelt", "verwijt": "verwijt",
    "overweeg": "overweegt", "durf": "durft", "wacht": "wacht", "draag": "draagt",
    "zorg": "zorgt", "sla": "slaat", "krijg": "krijgt", "moet": "moet", "zou": "zou",
    "had": "had", "schrik": "schrikt", "leef": "leeft", "regel": "regelt", "houd": "houdt",
    "zet": "zet", "hoef": "hoeft",
    "was": "was", "kon": "kon", "wilde": "wilde", "deed": "deed",
}
_NL_TO_U_VERB = {je: u for je, u in _NL_INVERTED.items()}
_NL_TO_JE_VERB = {u: je for je, u in _NL_INVERTED.items()}


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
    """A Dutch example said to "je" or "u" (written in either).

    Written with "u": "vindt u" -> "vind je", "u heeft" -> "je hebt", "uw" -> "je", "zich"
    -> "je". Written with "je", possessives must be "jouw" (-> "uw"), so every "je" is the
    person: "vind je" -> "vindt u", "je voelt je" -> "u voelt zich".
    """
    if address == "informal":
        # "zich" is "je" only next to "u" ("u voelt zich", "redt u zich"), not "alles stapelt zich".
        out = _cased(r"\b(u [a-z]+|[a-z]+ u) zich\b", r"\1 je", text)
        out = _cased(r"\bu heeft\b", "je hebt", out)
        out = _cased(r"\buzelf\b", "jezelf", out)
        out = re.sub(r"\b([A-Za-z]+) u\b", lambda m: _verb(m, _NL_TO_JE_VERB, "je"), out)
        out = _cased(r"\buw\b", "je", out)
        return _cased(r"\bu\b", "je", out)
    out = _cased(r"\bje hebt\b", "u heeft", text)
    out = re.sub(r"\b([A-Za-z]+) je je\b", lambda m: _verb(m, _NL_TO_U_VERB, "u zich"), out)
    out = re.sub(r"\b([A-Za-z]+) je\b", lambda m: _verb(m, _NL_TO_U_VERB, "u"), out)
    out = re.sub(r"\b(u|je) ([a-z]+t) je\b", r"\1 \2 zich", out, flags=re.IGNORECASE)
    out = _cased(r"\bjouw\b", "uw", out)
    out = _cased(r"\bjezelf\b", "uzelf", out)
    out = _cased(r"\bjij\b", "u", out)
    out = _cased(r"\bjou\b", "u", out)
    return _cased(r"\bje\b", "u", out)


def _verb(m: re.Match[str], table: dict[str, str], pronoun: str) -> str:
    """A listed verb before the pronoun in the other form, or the words as they were."""
    verb = m.group(1)
    new = table.get(verb.lower())
    if new is None:
        return m.group(0)
    new = new[:1].upper() + new[1:] if verb[:1].isupper() else new
    return f"{new} {pronoun}"


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
