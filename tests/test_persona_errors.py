"""Every class of broken persona file gives its exact message naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.authoring import check_files
from simulator.errors import PersonaError
from simulator.persona import load_persona

REPO = Path(__file__).resolve().parents[1]
BROKEN = Path("tests/data/broken_personas")
ENUM_EMOTIONS = (
    "'calm', 'angry', 'anxious', 'sad', 'distrustful', 'hopeful', 'relieved', 'ashamed', "
    "'guilty', 'defensive', 'overwhelmed', 'hopeless' or 'confused'"
)

# Schema errors: load_persona refuses the file with exactly these lines.
SCHEMA_ERRORS: dict[str, list[str]] = {
    "yaml-syntax": [
        ":4: not valid YAML: expected ',' or ']', but got ':'"
        " (while parsing a flow sequence started on line 3)"
    ],
    "duplicate-key": [":5: name: duplicate key"],
    "unknown-key": [
        ":5: mood: unknown key; allowed here: schema_version, id, name, language, address,"
        " register, voice, situation, start, goals, cues, stages, reactions, topics,"
        " deflections, rules, end, max_turns, practice_replies"
    ],
    "unknown-nested-key": [
        ":20: stages[1].lines[0].mood: unknown key; allowed here: text, cues, topics, examples"
    ],
    "missing-field": [
        ":16: stages[1].name: field required",
        ":16: stages[1].title: unknown key; allowed here:"
        " name, trust, max_intensity, emotion, lines",
    ],
    "wrong-type": [
        ":9: start.intensity: input should be a valid number, unable to parse string as a number"
    ],
    "out-of-range": [":9: start.trust: input should be less than or equal to 1"],
    "bad-language": [":4: language: unknown language 'sv'; known languages: en, fi, nl"],
    "bad-emotion": [f":9: start.emotion: input should be {ENUM_EMOTIONS}"],
    "bad-id": [":2: id: string should match pattern '^[a-z0-9]+(-[a-z0-9]+)*$'"],
    "not-a-mapping": [":1: a persona file must be a mapping of keys to values"],
    "empty": [":1: the file is empty"],
}

# Meaning problems: the file loads, but check reports exactly these lines.
LINT_ERRORS: dict[str, list[str]] = {
    "unreachable-stage": [
        ":16: stages[1]: stage 'next' is unreachable: even ideal replies do not bring trust"
        " to 0.99 within max_turns 2"
    ],
    "stage-without-lines": [":22: stages[2].lines: stage 'empty' has no lines"],
    "cue-never-mentioned": [
        ":12: cues.facts[0]: cue 'rent' is never mentioned in any line (say it or tag it)"
    ],
    "line-too-long": [
        ":19: stages[1].lines[0]: a sentence of 34 words is too long to say in one breath:"
        " 'Thanks for asking, and I want to say tha...'"
    ],
    "emotion-without-voice": [":6: voice.emotions: emotion 'hopeful' has no voice preset"],
    "id-mismatch": [":2: id: 'id-mismatch-other' does not match the file name"],
    "undeclared-line-cue": [
        ":16: stages[0].lines[0].cues[1]: 'hungry' is not one of the persona's cues"
    ],
    "harmful-act-helps": [
        ":26: rules.acts.judgement: judgement must not lower intensity or raise trust"
    ],
    "few-practice-replies": [
        ":25: practice_replies.good: give 5 replies for a five-exchange session"
    ],
}


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root so messages show the relative path."""
    monkeypatch.chdir(REPO)


def expected(name: str, tails: list[str]) -> list[str]:
    """The full messages for one broken file."""
    return [f"{BROKEN / name}.yaml{tail}" for tail in tails]


@pytest.mark.parametrize("name", sorted(SCHEMA_ERRORS))
def test_schema_error_message(name: str) -> None:
    """Loading the broken file raises a PersonaError with exactly the expected lines."""
    with pytest.raises(PersonaError) as info:
        load_persona(BROKEN / f"{name}.yaml")
    assert str(info.value).splitlines() == expected(name, SCHEMA_ERRORS[name])


@pytest.mark.parametrize("name", sorted(SCHEMA_ERRORS))
def test_check_reports_schema_errors(name: str) -> None:
    """check_files reports schema errors as the same lines."""
    assert check_files([BROKEN / f"{name}.yaml"]) == expected(name, SCHEMA_ERRORS[name])


@pytest.mark.parametrize("name", sorted(LINT_ERRORS))
def test_lint_error_message(name: str) -> None:
    """The file loads, and check reports exactly its one problem of meaning."""
    load_persona(BROKEN / f"{name}.yaml")
    assert check_files([BROKEN / f"{name}.yaml"]) == expected(name, LINT_ERRORS[name])


def test_every_broken_file_is_covered() -> None:
    """Each file in the broken folder (apart from the valid base) has an expected message."""
    names = {p.stem for p in BROKEN.glob("*.yaml")} - {"valid"}
    assert names == set(SCHEMA_ERRORS) | set(LINT_ERRORS)


def test_base_of_broken_files_is_clean() -> None:
    """The valid file the broken ones derive from has no problem, so each error is its own."""
    assert check_files([BROKEN / "valid.yaml"]) == []


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    """Two files with the same id are reported at the second one's id line."""
    text = (BROKEN / "valid.yaml").read_text(encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "valid.yaml", tmp_path / "b" / "valid.yaml"
    first.write_text(text, encoding="utf-8")
    second.write_text(text, encoding="utf-8")
    assert check_files([first, second]) == [f"{second}:2: id: 'valid' is also used by {first}"]
