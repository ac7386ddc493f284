"""Help for instructors who write personas: meaning lint, a starter file, the JSON Schema."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from simulator import language as languages
from simulator.dialogue import (
    cues_of,
    initial_state,
    mentions,
    update_state,
)
from simulator.errors import PersonaError
from simulator.persona import (
    SCHEMA_VERSION,
    Loc,
    Persona,
    display_path,
    line_of,
    parse_persona,
)
from simulator.types import HARMFUL, REFLECTIONS, Act, Emotion, Language, Scores

BREATH_WORDS = 25  # a sentence longer than this cannot be said in one breath
BREATH_CHARS = 170  # nor can one this long (Finnish words are long, so count characters too)
_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")


def _breath_problems(text: str) -> str | None:
    """Why a line is too long for one breath, or None if every sentence fits."""
    for sentence in _SENTENCE.findall(text):
        words = len(sentence.split())
        if words > BREATH_WORDS or len(sentence.strip()) > BREATH_CHARS:
            start = sentence.strip()[:40]
            return f"a sentence of {words} words is too long to say in one breath: '{start}...'"
    return None


def _spoken(persona: Persona) -> list[tuple[Loc, str]]:
    """Every line the client can say, with where it sits in the file."""
    out: list[tuple[Loc, str]] = []
    for s, stage in enumerate(persona.stages):
        out += [(("stages", s, "lines", i), line.text) for i, line in enumerate(stage.lines)]
    for kind, texts in persona.reactions.items():
        out += [(("reactions", kind, i), text) for i, text in enumerate(texts)]
    for key in ("resolution", "walk_out", "turn_limit"):
        texts = getattr(persona.end, key)
        out += [(("end", key, i), text) for i, text in enumerate(texts)]
    return out


def shown_emotions(persona: Persona) -> set[Emotion]:
    """Every emotion the client can show in this persona."""
    shown: set[Emotion] = {persona.start.emotion}
    shown |= {stage.emotion for stage in persona.stages if stage.emotion is not None}
    for emotion in (persona.rules.upset_emotion, persona.rules.settled_emotion):
        if emotion is not None:
            shown.add(emotion)
    return shown


def reached_stages(persona: Persona) -> set[int]:
    """Stages an ideal trainee (perfect scores, a reflection naming a feeling) reaches in time."""
    feeling = persona.cues.feelings[0] if persona.cues.feelings else ""
    ideal = Scores(100, 100, None, (Act("complex_reflection", f"You feel {feeling}."),))
    state = initial_state(persona)
    reached = {0}
    for _ in range(persona.max_turns):
        state = update_state(persona, state, ideal)
        reached.add(state.stage)
    return reached


def lint(persona: Persona) -> list[tuple[Loc, str]]:
    """Problems of meaning a valid file may still have, each with where it sits."""
    found: list[tuple[Loc, str]] = []
    reached = reached_stages(persona)
    for s, stage in enumerate(persona.stages):
        loc: Loc = ("stages", s)
        if s not in reached:
            found.append(
                (
                    loc,
                    f"stage '{stage.name}' is unreachable: even ideal replies do not bring "
                    f"trust to {stage.trust} within max_turns {persona.max_turns}",
                )
            )
        if not stage.lines:
            found.append(((*loc, "lines"), f"stage '{stage.name}' has no lines"))
        for i, line in enumerate(stage.lines):
            for c, cue in enumerate(line.cues):
                if cue not in persona.cues.all():
                    found.append(
                        ((*loc, "lines", i, "cues", c), f"'{cue}' is not one of the persona's cues")
                    )
    lines = [line for stage in persona.stages for line in stage.lines]
    for kind in ("feelings", "facts", "needs"):
        for c, cue in enumerate(getattr(persona.cues, kind)):
            if not any(cue in cues_of(persona, line) for line in lines):
                found.append(
                    (
                        ("cues", kind, c),
                        f"cue '{cue}' is never mentioned in any line (say it or tag it)",
                    )
                )
    found += _topic_problems(persona, reached)
    for where, text in _spoken(persona):
        problem = _breath_problems(text)
        if problem:
            found.append((where, problem))
    for emotion in sorted(shown_emotions(persona) - set(persona.voice.emotions)):
        found.append((("voice", "emotions"), f"emotion '{emotion}' has no voice preset"))
    found += _rule_problems(persona)
    for kind_name in ("good", "poor"):
        replies = getattr(persona.practice_replies, kind_name)
        if replies and len(replies) < 5:
            found.append(
                (("practice_replies", kind_name), "give 5 replies for a five-exchange session")
            )
    return found


def _topic_problems(persona: Persona, reached: set[int]) -> list[tuple[Loc, str]]:
    """Topics on lines but not defined, defined but on no line, or only in unreached stages."""
    found: list[tuple[Loc, str]] = []
    used: dict[str, set[int]] = {}
    for s, stage in enumerate(persona.stages):
        for i, line in enumerate(stage.lines):
            for t, topic in enumerate(line.topics):
                used.setdefault(topic, set()).add(s)
                if topic not in persona.topics:
                    found.append(
                        (
                            ("stages", s, "lines", i, "topics", t),
                            f"'{topic}' is not one of the persona's topics",
                        )
                    )
    for name, words in persona.topics.items():
        if not [w for w in words if w.strip()]:
            found.append(
                (("topics", name), f"topic '{name}' has no words, so no reply can raise it")
            )
        if name not in used:
            found.append((("topics", name), f"topic '{name}' is unused: no line answers it"))
        elif not used[name] & reached:
            found.append(
                (
                    ("topics", name),
                    f"topic '{name}' is unreachable: its lines are only in stages that even "
                    "ideal replies do not reach",
                )
            )
    if persona.topics and not persona.deflections:
        found.append(
            (("deflections",), "add deflections: what the client says when asked too early")
        )
    return found


def _rule_problems(persona: Persona) -> list[tuple[Loc, str]]:
    """Tuning that would make a harmful act help or a reflection hurt the client."""
    found: list[tuple[Loc, str]] = []
    for kind, effect in persona.rules.acts.items():
        if kind in HARMFUL and (effect.intensity < 0 or effect.trust > 0):
            found.append(
                (("rules", "acts", kind), f"{kind} must not lower intensity or raise trust")
            )
        if kind in REFLECTIONS and (effect.intensity > 0 or effect.trust < 0):
            found.append(
                (("rules", "acts", kind), f"{kind} must not raise intensity or lower trust")
            )
    named = persona.rules.feeling_named
    if named.intensity > 0 or named.trust < 0:
        found.append(
            (("rules", "feeling_named"), "naming a feeling must not raise intensity or lower trust")
        )
    return found


def check_files(paths: Sequence[Path]) -> list[str]:
    """Every schema and meaning problem in the files, as 'file:line: field: problem'."""
    problems: list[str] = []
    owners: dict[str, str] = {}
    for path in paths:
        where = display_path(path)
        try:
            persona, lines = parse_persona(path)
        except PersonaError as exc:
            problems.extend(str(exc).splitlines())
            continue
        if persona.id != path.stem:
            line = line_of(("id",), lines)
            problems.append(f"{where}:{line}: id: '{persona.id}' does not match the file name")
        if persona.id in owners:
            line = line_of(("id",), lines)
            problems.append(
                f"{where}:{line}: id: '{persona.id}' is also used by {owners[persona.id]}"
            )
        owners.setdefault(persona.id, where)
        for loc, message in lint(persona):
            problems.append(f"{where}:{line_of(loc, lines)}: {_format(loc)}: {message}")
    return problems


def _format(loc: Loc) -> str:
    """The field path as instructors read it."""
    from simulator.persona import format_loc

    return format_loc(loc)


# --- the JSON Schema -------------------------------------------------------------------------


def json_schema() -> dict[str, Any]:
    """The JSON Schema of persona files, generated from the pydantic model."""
    schema = Persona.model_json_schema()
    # A line may also be written as a bare string (Stage accepts both).
    lines = schema["$defs"]["Stage"]["properties"]["lines"]
    lines["items"] = {"anyOf": [{"type": "string", "minLength": 1}, lines["items"]]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    """The JSON Schema as the text of personas/schema.json."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


# --- the starter file ------------------------------------------------------------------------

def starter_text(persona_id: str, language: Language) -> str:
    """A commented persona file that passes check, for an instructor to rewrite."""
    s = asdict(languages.get(language).starter)
    *others, last = languages.codes()
    known = f"{', '.join(others)} or {last}" if others else last
    return f"""\
# yaml-language-server: $schema=schema.json
# A persona: one simulated client. Every key is described in docs/personas.md.
# Check your work with:  roleplay personas check {persona_id}.yaml
schema_version: {SCHEMA_VERSION}
id: {persona_id}            # must match the file name
name: "{s["name"]}"
language: {language}               # {known}; write the lines natively in it
register: standard           # spoken, standard or formal: how this client really talks
voice:
  preset: null               # synthesizer voice variant, e.g. m3 or f2
  rate: 1.0                  # base speaking-rate multiplier
  pitch: 0                   # base pitch shift
  emotions:                  # every emotion the client can show needs an entry
    anxious: {{rate: 1.1, pitch: 3}}
    hopeful: {{rate: 1.0, pitch: 1}}
situation: "{s["situation"]}"
start:                       # emotions: calm angry anxious sad distrustful hopeful relieved
                             # ashamed guilty defensive overwhelmed hopeless confused
  emotion: anxious
  intensity: 0.6             # 0-1; at end.walk_out_at the client walks out
  trust: 0.3                 # 0-1; trust opens the stages below
goals:
  - "Find out what the letter says and what worries the client."
cues:                        # what a good listener picks up, worded as in the lines
  feelings: ["{_first_word(s["mid"], s["feeling"])}"]
  facts: []
  needs: []
stages:                      # layers of the story; trust: what it takes to get there
  - name: opening
    trust: 0.0
    lines:                   # alternatives; a seeded choice picks one per turn
      - "{s["open"]}"
      - "{s["open2"]}"
  - name: worry
    trust: 0.4
    lines:
      - "{s["mid"]}"
  - name: need
    trust: 0.55
    emotion: hopeful
    lines:
      - "{s["last"]}"
reactions: {{}}                # e.g. judgement: ["..."], said before the next line
rules: {{}}                    # tuning of the state rules; defaults in docs/personas.md
end:
  walk_out_at: 1.0
  resolution: ["{s["resolution"]}"]
  walk_out: ["{s["walk_out"]}"]
  turn_limit: ["{s["turn_limit"]}"]
max_turns: 8
practice_replies:            # 5 each, in order, for recorded fixtures and scripted tests
  good: []                   # e.g. "{s["good"]}"
  poor: []                   # e.g. "{s["poor"]}"
"""


def _first_word(text: str, word: str) -> str:
    """The feeling word of the starter sample line, so the starter cue is mentioned."""
    return word if mentions(text, word) else text.split()[0]
