"""Tests of the instructor help: bundled library passes check, starter files, JSON Schema, lint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.authoring import (
    check_files,
    json_schema,
    lint,
    reached_stages,
    schema_text,
    starter_text,
)
from simulator.cli.personas import preview_lines
from simulator.persona import (
    bundled_personas_dir,
    check_persona_files,
    find_persona,
    list_personas,
    load_persona,
)
from simulator.types import LANGUAGES, Language



def test_every_bundled_persona_passes_check() -> None:
    """The bundled library has no schema or meaning problem."""
    files = sorted(bundled_personas_dir().glob("*.yaml"))
    assert len(files) >= 9
    assert check_persona_files(files) == []


def test_library_has_three_personas_per_language() -> None:
    """At least three personas in each of English, Finnish and Dutch, with unique ids."""
    personas = list_personas()
    for language in LANGUAGES:
        assert sum(p.language == language for p in personas) >= 3
    assert len({p.id for p in personas}) == len(personas)


def test_every_persona_has_five_practice_replies_each() -> None:
    """Each persona offers five good and five poor sample replies for fixtures."""
    for persona in list_personas():
        assert len(persona.practice_replies.good) == 5, persona.id
        assert len(persona.practice_replies.poor) == 5, persona.id


def test_demo_default_persona_is_the_angry_caller() -> None:
    """The demo's default persona exists and starts angry."""
    persona = find_persona("en-angry-caller")
    assert persona.language == "en"
    assert persona.start.emotion == "angry"


@pytest.mark.parametrize("language", LANGUAGES)
def test_starter_file_passes_check(tmp_path: Path, language: Language) -> None:
    """A starter file loads and has no problem, in every language."""
    path = tmp_path / f"{language}-starter.yaml"
    path.write_text(starter_text(f"{language}-starter", language), encoding="utf-8")
    assert check_files([path]) == []
    persona = load_persona(path)
    assert persona.language == language
    assert len(persona.stages) == 3


def test_schema_file_is_generated_from_the_code() -> None:
    """personas/schema.json equals the schema generated now (run `personas schema --out`)."""
    committed = (bundled_personas_dir() / "schema.json").read_text(encoding="utf-8")
    assert committed == schema_text()


def test_schema_describes_the_top_level_keys() -> None:
    """The JSON Schema forbids unknown keys and requires the essential ones."""
    schema = json_schema()
    assert schema["additionalProperties"] is False
    assert {"id", "name", "language", "situation", "start", "stages", "end"} <= set(
        schema["required"]
    )
    assert "practice_replies" in schema["properties"]
    items = schema["$defs"]["Stage"]["properties"]["lines"]["items"]
    assert {"type": "string", "minLength": 1} in items["anyOf"]
    json.dumps(schema)


def test_ideal_trainee_reaches_every_bundled_stage() -> None:
    """In every bundled persona an ideal trainee can reach each stage before the turn limit."""
    for persona in list_personas():
        assert reached_stages(persona) == set(range(len(persona.stages))), persona.id


def test_lint_flags_a_cue_that_only_a_tag_mentions_as_fine() -> None:
    """A cue tagged on a line counts as mentioned even if its words are not in the line."""
    persona = find_persona("en-angry-caller")
    assert all("never mentioned" not in message for _, message in lint(persona))


def test_preview_covers_every_line() -> None:
    """Preview speaks every stage line, reaction and closing line once."""
    persona = find_persona("nl-weduwnaar")
    texts = [text for _, text, _ in preview_lines(persona)]
    stage_lines = [line.text for stage in persona.stages for line in stage.lines]
    reactions = [t for lines in persona.reactions.values() for t in lines]
    closings = [*persona.end.resolution, *persona.end.walk_out, *persona.end.turn_limit]
    assert sorted(texts) == sorted(stage_lines + reactions + closings)


def test_preview_says_stage_lines_with_the_stage_emotion() -> None:
    """A stage line is previewed in that stage's emotion."""
    persona = find_persona("en-angry-caller")
    for stem, _, state in preview_lines(persona):
        if stem.startswith("stage"):
            stage = persona.stages[state.stage]
            assert state.emotion == (stage.emotion or persona.start.emotion)
