"""Tests of the instructor help: bundled library passes check, starter files, JSON Schema, lint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest
from pydantic import BaseModel

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
    Persona,
    bundled_personas_dir,
    find_persona,
    list_personas,
    load_persona,
)
from simulator.types import LANGUAGES, Language


def test_every_bundled_persona_passes_check() -> None:
    """The bundled library has no schema or meaning problem."""
    files = sorted(bundled_personas_dir().glob("*.yaml"))
    assert len(files) >= 9
    assert check_files(files) == []


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


DOCS = Path(__file__).resolve().parents[1] / "docs" / "personas.md"


def _field_names(model: type[BaseModel]) -> set[str]:
    """Every key (field name, or its alias in the file) of a schema model and the models inside."""
    names: set[str] = set()
    for name, field in model.model_fields.items():
        names.add(field.alias or name)
        for inner in (field.annotation, *get_args(field.annotation)):
            for candidate in (inner, *get_args(inner)):
                if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                    names |= _field_names(candidate)
    return names


def test_docs_name_every_schema_field() -> None:
    """docs/personas.md mentions every key of the schema, nested ones included."""
    text = DOCS.read_text(encoding="utf-8")
    missing = sorted(name for name in _field_names(Persona) if f"`{name}`" not in text)
    assert missing == []


def test_docs_example_passes_check(tmp_path: Path) -> None:
    """The minimal persona shown in the docs loads and passes check."""
    text = DOCS.read_text(encoding="utf-8")
    block = text.split("## A minimal persona", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "en-late-payer.yaml"
    path.write_text(block, encoding="utf-8")
    assert check_files([path]) == []


def test_docs_describe_every_command() -> None:
    """Every persona sub-command has its own entry in the docs."""
    text = DOCS.read_text(encoding="utf-8")
    for command in (
        "personas list",
        "personas check",
        "personas new",
        "personas preview",
        "personas schema",
        "roleplay simulate",
    ):
        assert f"`roleplay {command.removeprefix('roleplay ')}" in text, command
