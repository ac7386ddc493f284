"""Tests of persona loading: the schema, errors that name file, line and field, and the library."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.errors import PersonaError
from simulator.persona import (
    Persona,
    bundled_personas_dir,
    find_persona,
    list_personas,
    load_persona,
    voice_for,
)
from simulator.types import LANGUAGES, EmotionalState

MINIMAL = """\
id: {id}
name: Test Client
language: en
situation: A test.
start: {{emotion: calm, intensity: 0.5}}
stages:
  - name: only
    lines: [Hello there.]
end: {{resolution: [Bye.], walk_out: [Gone.], turn_limit: [Time.]}}
"""


def write(tmp_path: Path, text: str, name: str = "t.yaml") -> Path:
    """Write a persona file into the temporary folder."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_dir_is_repo_personas_folder() -> None:
    """The bundled folder is personas/ at the repository root and holds YAML files."""
    folder = bundled_personas_dir()
    assert folder.name == "personas"
    assert (folder.parent / "pyproject.toml").is_file()
    assert list(folder.glob("*.yaml"))


def test_minimal_file_loads_with_defaults(tmp_path: Path) -> None:
    """A minimal valid file loads and gets documented defaults."""
    persona = load_persona(write(tmp_path, MINIMAL.format(id="t")))
    assert persona.id == "t"
    assert persona.start.trust == 0.3
    assert persona.max_turns == 8
    assert persona.stages[0].lines[0].text == "Hello there."


def test_persona_is_frozen(tmp_path: Path) -> None:
    """A loaded persona cannot be changed."""
    persona = load_persona(write(tmp_path, MINIMAL.format(id="t")))
    with pytest.raises(ValueError, match="frozen"):
        persona.name = "Other"


def test_missing_field_names_line_and_field(tmp_path: Path) -> None:
    """A missing required key is reported at its parent's line with the full field path."""
    text = MINIMAL.format(id="t").replace("    lines: [Hello there.]\n", "")
    text = text.replace("  - name: only\n", "  - name: only\n  - trust: 0.2\n")
    path = write(tmp_path, text)
    with pytest.raises(PersonaError) as info:
        load_persona(path)
    assert str(info.value).endswith(":8: stages[1].name: field required")


def test_unknown_key_is_an_error_with_its_line(tmp_path: Path) -> None:
    """An unknown key names the exact line where it was typed."""
    path = write(tmp_path, MINIMAL.format(id="t") + "moood: angry\n")
    with pytest.raises(PersonaError, match=r"t\.yaml:10: moood: unknown key; allowed here: "):
        load_persona(path)


def test_wrong_type_names_nested_field(tmp_path: Path) -> None:
    """A wrong type inside a nested mapping names the nested path and its line."""
    text = MINIMAL.format(id="t").replace("intensity: 0.5", "intensity: loud")
    with pytest.raises(PersonaError, match=r":5: start\.intensity: input should be a valid number"):
        load_persona(write(tmp_path, text))


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    """Broken YAML syntax is reported with the line where parsing failed."""
    path = write(tmp_path, "id: t\nname: [unclosed\nlanguage: en\n")
    with pytest.raises(PersonaError, match=r"t\.yaml:\d+: not valid YAML"):
        load_persona(path)


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    """A key given twice is an error instead of silently keeping the last value."""
    path = write(tmp_path, MINIMAL.format(id="t") + "name: Again\n")
    with pytest.raises(PersonaError, match=r":10: name: duplicate key"):
        load_persona(path)


def test_missing_file_is_a_persona_error(tmp_path: Path) -> None:
    """A path that does not exist gives a PersonaError naming it."""
    with pytest.raises(PersonaError, match="no such persona file"):
        load_persona(tmp_path / "nope.yaml")


def test_library_has_every_language() -> None:
    """The bundled library holds personas in English, Finnish and Dutch."""
    languages = {p.language for p in list_personas()}
    assert languages == set(LANGUAGES)


def test_find_persona_by_id() -> None:
    """The demo's default persona is found by id."""
    persona = find_persona("en-angry-caller")
    assert isinstance(persona, Persona)
    assert persona.start.emotion == "angry"


def test_unknown_id_lists_available() -> None:
    """An unknown id gives an error listing the ids that exist."""
    with pytest.raises(PersonaError, match=r"unknown persona 'nobody'.*en-angry-caller"):
        find_persona("nobody")


def test_extra_folder_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """VOICE_ROLEPLAY_PERSONAS adds a folder whose personas can be found and listed."""
    write(tmp_path, MINIMAL.format(id="en-extra"), "en-extra.yaml")
    monkeypatch.setenv("VOICE_ROLEPLAY_PERSONAS", str(tmp_path))
    assert find_persona("en-extra").name == "Test Client"
    assert "en-extra" in {p.id for p in list_personas()}


def test_voice_for_combines_base_and_emotion() -> None:
    """Voice settings multiply the base rate by the emotion's rate and add the pitches."""
    persona = find_persona("en-angry-caller")
    voice = voice_for(persona, EmotionalState("angry", 0.9, 0.2, 0))
    assert voice.language == "en"
    assert voice.emotion == "angry"
    assert voice.intensity == 0.9
    assert voice.rate_scale == pytest.approx(persona.voice.rate * 1.15)
    assert voice.pitch_shift == persona.voice.pitch + 4
    assert voice.variant == persona.voice.preset


def test_voice_for_emotion_without_preset_uses_base() -> None:
    """An emotion the persona gives no preset falls back to the base voice."""
    persona = find_persona("nl-weduwnaar")
    voice = voice_for(persona, EmotionalState("calm", 0.2))
    assert voice.rate_scale == pytest.approx(persona.voice.rate)
    assert voice.pitch_shift == persona.voice.pitch


def test_id_that_is_a_path_is_unknown() -> None:
    """An id with path characters never reaches the file system and is reported as unknown."""
    with pytest.raises(PersonaError, match=r"unknown persona '\.\./personas/en-angry-caller'"):
        find_persona("../personas/en-angry-caller")


def test_persona_is_hashable_by_content() -> None:
    """A persona can be hashed (e.g. for caching), equal personas hashing alike."""
    first, second = find_persona("nl-weduwnaar"), find_persona("nl-weduwnaar")
    assert first == second
    assert hash(first) == hash(second)
    assert len({first, second, find_persona("en-angry-caller")}) == 2
