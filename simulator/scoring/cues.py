"""The client's cues: the feeling and fact words a good listener should pick up."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.scoring.features import feeling_words
from simulator.scoring.text import Form, content_forms, forms, lexicon, tokens
from simulator.types import ClientTurn

MAX_DERIVED_CUES = 6  # content words taken from the client's line when no cues are given


@dataclass(frozen=True)
class Cue:
    """One cue with the word forms that count as picking it up."""

    text: str
    forms: tuple[Form, ...]


def client_cues(client: ClientTurn) -> tuple[Cue, ...]:
    """The persona's cues, or (if none) the client's feeling words and longest content words."""
    lang = client.language
    if client.cues:
        return tuple(Cue(c, content_forms(c, lang) or forms(tokens(c), lang)) for c in client.cues)
    lex = lexicon(lang)
    toks = tokens(client.text, lang)
    feelings = [t for t in toks if feeling_words((t,), lex)]
    cues = [Cue(t, forms((t,), lang)) for t in dict.fromkeys(feelings)]
    seen = {c.text for c in cues}
    words = sorted(content_forms(client.text, lang), key=lambda f: -len(f.word))
    for form in words:
        if len(cues) >= MAX_DERIVED_CUES:
            break
        if form.word not in seen and not any(form.matches(g) for c in cues for g in c.forms):
            cues.append(Cue(form.word, (form,)))
            seen.add(form.word)
    return tuple(c for c in cues if c.forms)


def picked_up(cue: Cue, reply: tuple[Form, ...]) -> tuple[str, ...]:
    """The reply words that pick up ``cue`` (same stem or lemma as one of its words)."""
    return tuple(f.word for f in reply if any(f.matches(g) for g in cue.forms))
