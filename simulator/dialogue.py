"""The client's inner state and what they say next: pure, deterministic functions.

After every exchange the reply's scores and acts move the client's intensity and trust by the
rules in the persona file (see docs/personas.md); trust past the next stage's threshold lets the
client disclose the next layer of their story. The same persona, seed and replies always give
the same session: alternative lines are chosen with a ``random.Random`` seeded from them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from simulator import language as languages
from simulator.persona import ActEffect, Line, Persona, Stage
from simulator.ports import ClientBrain, Heard
from simulator.types import (
    HARMFUL,
    REFLECTIONS,
    ActKind,
    ClientTurn,
    Emotion,
    EmotionalState,
    Scores,
)

Outcome = Literal["resolution", "walk_out", "turn_limit"]

# Default effect of one act kind on (intensity, trust); a persona's rules.acts override these.
DEFAULT_ACT_EFFECTS: Mapping[ActKind, tuple[float, float]] = {
    "open_question": (-0.03, 0.04),
    "closed_question": (0.0, 0.0),
    "simple_reflection": (-0.04, 0.05),
    "complex_reflection": (-0.08, 0.08),
    "summary": (-0.06, 0.08),
    "affirmation": (-0.03, 0.04),
    "encourager": (-0.01, 0.02),
    "seeking_collaboration": (-0.02, 0.04),
    "emphasizing_autonomy": (-0.02, 0.04),
    "information": (0.0, 0.02),
    "advice": (0.10, -0.08),
    "persuasion": (0.12, -0.10),
    "judgement": (0.20, -0.15),
    "reassurance": (0.10, -0.08),
    "self_disclosure": (0.08, -0.08),
    "deflection": (0.12, -0.10),
    "other": (0.0, 0.0),
}
# When a reply holds several acts, the client reacts to the first of these found in it.
REACTION_ORDER: tuple[ActKind, ...] = (
    "judgement",
    "persuasion",
    "deflection",
    "reassurance",
    "advice",
    "self_disclosure",
    "complex_reflection",
    "summary",
    "affirmation",
    "simple_reflection",
    "emphasizing_autonomy",
    "seeking_collaboration",
    "open_question",
    "information",
    "closed_question",
)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Step:
    """What follows one scored exchange: the new state and either the next line or the ending."""

    state: EmotionalState
    next_turn: ClientTurn | None
    outcome: Outcome | None
    closing_line: str | None


# --- matching cues in words --------------------------------------------------------------------


def _stem(word: str) -> str:
    """A crude prefix stem that survives English, Finnish and Dutch endings."""
    return word[: max(4, min(len(word) - 2, 6))] if len(word) > 4 else word


def mentions(text: str, cue: str) -> bool:
    """Whether ``text`` mentions ``cue``: every word of the cue starts some word of the text."""
    words = [w.lower() for w in _WORD.findall(text)]
    cue_words = [w.lower() for w in _WORD.findall(cue)]
    if not cue_words:
        return False
    return all(any(w.startswith(_stem(c)) for w in words) for c in cue_words)


def cues_of(persona: Persona, line: Line) -> tuple[str, ...]:
    """The cues a line carries: those it is tagged with, then those its words mention."""
    found = list(line.cues)
    for cue in persona.cues.all():
        if cue not in found and mentions(line.text, cue):
            found.append(cue)
    return tuple(found)


# --- the state rules ---------------------------------------------------------------------------


def act_effect(persona: Persona, kind: ActKind) -> ActEffect:
    """The effect of one act kind for this persona (its override or the default)."""
    if kind in persona.rules.acts:
        return persona.rules.acts[kind]
    intensity, trust = DEFAULT_ACT_EFFECTS[kind]
    return ActEffect(intensity=intensity, trust=trust)


def reply_quality(persona: Persona, scores: Scores) -> float:
    """The reply's overall quality 0-1: listening and empathy, plus pacing when it was measured."""
    weight = persona.rules.pacing_weight if scores.pacing is not None else 0.0
    total = scores.listening + scores.empathy + weight * (scores.pacing or 0)
    return max(0.0, min(1.0, total / (200.0 + 100.0 * weight)))


def names_feeling(persona: Persona, scores: Scores) -> bool:
    """Whether a reflection in the reply names one of the client's feelings."""
    return any(
        act.kind in REFLECTIONS and mentions(act.text, feeling)
        for act in scores.acts
        for feeling in persona.cues.feelings
    )


def _emotion(persona: Persona, stage: Stage, intensity: float) -> Emotion:
    """The emotion shown at this intensity in this stage."""
    rules = persona.rules
    if intensity >= rules.upset_at:
        return rules.upset_emotion or persona.start.emotion
    if intensity <= rules.settled_at and rules.settled_emotion is not None:
        return rules.settled_emotion
    return stage.emotion or persona.start.emotion


def initial_state(persona: Persona) -> EmotionalState:
    """The client's state before the first line."""
    start = persona.start
    stage = persona.stages[0]
    emotion = stage.emotion or start.emotion
    if start.intensity >= persona.rules.upset_at:
        emotion = persona.rules.upset_emotion or start.emotion
    return EmotionalState(emotion, start.intensity, start.trust, 0)


def update_state(persona: Persona, state: EmotionalState, scores: Scores) -> EmotionalState:
    """The client's state after a reply with these scores (bounded, monotone in reply quality).

    A reply whose words could not be made out moves nothing: the client reacts to what was
    said, and invented words are not what the trainee said.
    """
    if scores.transcript is not None and not scores.transcript.reliable:
        return state
    rules = persona.rules
    quality = reply_quality(persona, scores)
    d_intensity = (rules.neutral_quality - quality) * rules.quality_intensity
    d_trust = (quality - rules.neutral_quality) * rules.quality_trust
    for kind in sorted({act.kind for act in scores.acts}):
        effect = act_effect(persona, kind)
        d_intensity += effect.intensity
        d_trust += effect.trust
    if names_feeling(persona, scores):
        d_intensity += rules.feeling_named.intensity
        d_trust += rules.feeling_named.trust
    intensity = round(min(1.0, max(0.0, state.intensity + d_intensity)), 4)
    trust = round(min(1.0, max(0.0, state.trust + d_trust)), 4)
    stage = min(max(state.stage, 0), len(persona.stages) - 1)
    if stage + 1 < len(persona.stages):
        following = persona.stages[stage + 1]
        if trust >= following.trust and intensity <= following.max_intensity:
            stage += 1
    return EmotionalState(
        _emotion(persona, persona.stages[stage], intensity), intensity, trust, stage
    )


# --- what the client says ----------------------------------------------------------------------


def yield_line(persona: Persona) -> str:
    """The client's words for giving the trainee the floor after being talked over.

    The words are the language pack's; a Dutch client the trainee calls "u" answers in the
    same register.
    """
    pack = languages.get(persona.language)
    if persona.address == "formal" and pack.yield_line_formal is not None:
        return pack.yield_line_formal
    return pack.yield_line


def _rng(persona: Persona, seed: int, turn: int, purpose: str) -> random.Random:
    """A generator seeded from the persona, the session seed, the turn and what it chooses."""
    return random.Random(f"{persona.id}|{seed}|{turn}|{purpose}")


def stage_lines(persona: Persona, stage: int) -> tuple[Line, ...]:
    """The lines of a stage, or of the nearest earlier stage that has some."""
    for index in range(stage, -1, -1):
        if persona.stages[index].lines:
            return persona.stages[index].lines
    for later in persona.stages:
        if later.lines:
            return later.lines
    return (Line(text="..."),)


def pick_line(persona: Persona, stage: int, turn: int, seed: int) -> Line:
    """One line of the stage; consecutive turns in a stage get different lines while any remain."""
    lines = stage_lines(persona, stage)
    order = list(range(len(lines)))
    random.Random(f"{persona.id}|{seed}|stage{stage}").shuffle(order)
    return lines[order[turn % len(lines)]]


def reaction_kind(
    persona: Persona, kinds: Iterable[ActKind], opened_stage: bool = True
) -> ActKind | None:
    """The act of the reply the client reacts to aloud, if the persona has words for it.

    Harmful acts are always answered; helpful ones only when the reply opened the next stage.
    """
    present = set(kinds)
    for kind in REACTION_ORDER:
        wanted = kind in HARMFUL or opened_stage  # harmful acts are answered aloud always
        if wanted and kind in present and persona.reactions.get(kind):
            return kind
    return None


def _pick_reaction(persona: Persona, kind: ActKind, turn: int, seed: int) -> str:
    """One of the persona's words for this act; consecutive uses differ while it has several."""
    texts = persona.reactions[kind]
    offset = random.Random(f"{persona.id}|{seed}|reaction|{kind}").randrange(len(texts))
    return texts[(offset + turn) % len(texts)]


def _turn(
    persona: Persona, state: EmotionalState, text: str, line: Line, raised: tuple[str, ...] = ()
) -> ClientTurn:
    """Wrap a line as a client turn in the given state."""
    return ClientTurn(
        text=text,
        state=state,
        cues=cues_of(persona, line),
        language=persona.language,
        address=persona.address,
        topics=line.topics,
        raised=raised,
        examples=tuple(line.examples.items()),
    )


def first_turn(persona: Persona, seed: int = 0) -> ClientTurn:
    """The client's opening line, said in the starting state."""
    state = initial_state(persona)
    line = pick_line(persona, 0, 0, seed)
    return _turn(persona, state, line.text, line)


def respond(
    persona: Persona,
    turn_index: int,
    state: EmotionalState,
    scores: Scores,
    seed: int = 0,
    *,
    heard: Heard | None = None,
    brain: ClientBrain | None = None,
) -> Step:
    """The client's reaction to the scored reply of exchange ``turn_index`` (0-based).

    With a ``brain`` and the reply ``heard``, the brain chooses the line (the rules still set
    the state); without, the stage's lines are taken in a seeded rotation.
    """
    new = update_state(persona, state, scores)
    last = len(persona.stages) - 1
    outcome: Outcome | None = None
    if new.intensity >= persona.end.walk_out_at:
        outcome = "walk_out"
    elif state.stage >= last and new.trust >= persona.stages[last].trust:
        outcome = "resolution"
    elif turn_index + 1 >= persona.max_turns:
        outcome = "turn_limit"
    if outcome is not None:
        closing = getattr(persona.end, outcome)
        rng = _rng(persona, seed, turn_index + 1, "closing")
        return Step(new, None, outcome, rng.choice(closing))
    line = pick_line(persona, new.stage, turn_index + 1, seed)
    raised: tuple[str, ...] = ()
    deflected = False
    if brain is not None and heard is not None:
        choice = brain.choose(persona, new, heard, turn_index + 1, seed)
        line, raised, deflected = choice.line, choice.raised, choice.deflected
    text = line.text
    # A client putting a question off does not first say "Yes, that's it" to the reply.
    opened = new.stage > state.stage and not deflected
    kind = reaction_kind(persona, (act.kind for act in scores.acts), opened)
    if kind is not None:
        text = f"{_pick_reaction(persona, kind, turn_index + 1, seed)} {text}"
    return Step(new, _turn(persona, new, text, line, raised), None, None)
