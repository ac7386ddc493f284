"""The scripted client brain: which of the stage's lines answers what the trainee talked about.

The rules in ``simulator.dialogue`` decide the client's inner state (emotion, trust, stage); a
brain only chooses the words. The scripted brain looks for the persona's topics in the reply
(the children, the money, the letter...): first by the topic's own words, matched by stem;
then, if none is named outright and a sentence encoder is given, by meaning (the reply's
embedding against each topic's words). A question that names a topic is answered first: with
a line of the current stage tagged with it, else of an earlier stage; a question about a topic
whose lines all lie in a later stage gets one of the persona's deflections, then the stage's
line. Otherwise a line of the current stage tagged with a topic the reply raised is said.
With no topic found, the choice is the rules' own (a seeded rotation through the stage).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from simulator.dialogue import mentions, pick_line, stage_lines
from simulator.persona import Line, Persona
from simulator.ports import Choice, Heard, TextEncoder
from simulator.types import QUESTIONS, Act, EmotionalState

# Cosine similarity (multilingual-e5-small) a reply must reach with a topic's words, and the
# lead it needs over the next topic, before the topic counts as raised without its words.
ENCODER_MIN = 0.80
ENCODER_LEAD = 0.015


def topics_named(persona: Persona, text: str) -> list[str]:
    """The persona's topics whose words ``text`` mentions, the most words mentioned first."""
    counts = {name: sum(mentions(text, w) for w in words) for name, words in persona.topics.items()}
    named = [name for name, count in counts.items() if count]
    return sorted(named, key=lambda name: -counts[name])


class ScriptedBrain:
    """Chooses among the persona's written lines by the topics the trainee raised."""

    def __init__(self, encoder: TextEncoder | None = None) -> None:
        """``encoder`` (optional) finds topics raised in other words than the topic's own."""
        self.encoder = encoder
        self._topic_rows: dict[tuple[str, ...], np.ndarray] = {}

    def raised(self, persona: Persona, text: str) -> list[str]:
        """The topics the reply raises: named outright, or else the one closest in meaning."""
        named = topics_named(persona, text)
        if named or self.encoder is None or not persona.topics or not text.strip():
            return named
        names = list(persona.topics)
        key = tuple(f"{n}: {', '.join(persona.topics[n])}" for n in names)
        if key not in self._topic_rows:
            self._topic_rows[key] = self.encoder.embed(list(key))
        reply = self.encoder.embed([text])[0]
        sims = self._topic_rows[key] @ reply
        order = np.argsort(-sims)
        best = float(sims[order[0]])
        lead = best - float(sims[order[1]]) if len(order) > 1 else 1.0
        return [names[int(order[0])]] if best >= ENCODER_MIN and lead >= ENCODER_LEAD else []

    def choose(
        self, persona: Persona, state: EmotionalState, heard: Heard, turn: int, seed: int
    ) -> Choice:
        """The line the client says next in ``state``, after hearing ``heard``."""
        fallback = pick_line(persona, state.stage, turn, seed)
        raised = tuple(self.raised(persona, heard.text))
        asked = _asked(persona, heard.acts)
        if asked:  # a question is answered first: now, from an earlier stage, or put off
            for stage in range(state.stage, -1, -1):
                found = _tagged(_fresh(persona.stages[stage].lines, heard), asked)
                if found:
                    return Choice(_rotate(found, persona, stage, turn, seed), raised)
            early = [t for t in asked if _first_stage(persona, t) > state.stage]
            if early and persona.deflections:
                pick = random.Random(f"{persona.id}|{seed}|{turn}|deflection")
                deflection = pick.choice(persona.deflections)
                said = Line(text=f"{deflection} {fallback.text}", cues=fallback.cues)
                return Choice(said, raised, deflected=True)
        found = _tagged(_fresh(stage_lines(persona, state.stage), heard), raised)
        if found:
            return Choice(_rotate(found, persona, state.stage, turn, seed), raised)
        return Choice(fallback, raised)


def _fresh(lines: Sequence[Line], heard: Heard) -> list[Line]:
    """The lines other than the one the client has just said."""
    return [line for line in lines if not heard.said or line.text not in heard.said]


def _tagged(lines: Sequence[Line], raised: Sequence[str]) -> list[Line]:
    """The lines tagged with the first raised topic that has any, else none."""
    for topic in raised:
        found = [line for line in lines if topic in line.topics]
        if found:
            return found
    return []


def _rotate(lines: Sequence[Line], persona: Persona, stage: int, turn: int, seed: int) -> Line:
    """One of several fitting lines, the same way the rules rotate through a stage."""
    order = list(range(len(lines)))
    random.Random(f"{persona.id}|{seed}|stage{stage}|topic").shuffle(order)
    return lines[order[turn % len(lines)]]


def _asked(persona: Persona, acts: Sequence[Act]) -> list[str]:
    """The topics a question in the reply names by their words, the most named first."""
    questions = " ".join(act.text for act in acts if act.kind in QUESTIONS)
    return topics_named(persona, questions) if questions else []


def _first_stage(persona: Persona, topic: str) -> int:
    """The first stage with a line tagged ``topic`` (past the last stage if none)."""
    for index, stage in enumerate(persona.stages):
        if any(topic in line.topics for line in stage.lines):
            return index
    return len(persona.stages)
