"""Tests of the instructor commands: personas list, check, new, schema and preview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.audio import read_audio
from simulator.authoring import schema_text
from simulator.cli import main
from simulator.cli.personas import preview_lines
from simulator.errors import AudioError
from simulator.persona import find_persona, list_personas

REPO = Path(__file__).resolve().parents[1]
BROKEN = REPO / "tests" / "data" / "broken_personas"


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    """`personas list --json` prints id, name, language and starting emotion of each persona."""
    assert main(["personas", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in rows] == [p.id for p in list_personas()]
    assert all(set(row) == {"id", "name", "language", "emotion"} for row in rows)
    caller = next(row for row in rows if row["id"] == "en-angry-caller")
    assert caller == {
        "id": "en-angry-caller",
        "name": "Gary Thompson",
        "language": "en",
        "emotion": "angry",
    }


def test_list_table(capsys: pytest.CaptureFixture[str]) -> None:
    """`personas list` prints a table naming every persona."""
    assert main(["personas", "list"]) == 0
    out = capsys.readouterr().out
    assert all(p.id in out for p in list_personas())


def test_check_bundled_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """`personas check` with no paths checks the library and exits 0."""
    assert main(["personas", "check"]) == 0
    assert "files OK" in capsys.readouterr().err


def test_check_broken_folder_exits_one(capsys: pytest.CaptureFixture[str]) -> None:
    """`personas check DIR` prints one line per problem and exits 1."""
    assert main(["personas", "check", str(BROKEN)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert len(lines) >= 20
    wanted = "mood: unknown key; allowed here: text, cues, topics, examples"
    assert any(line.endswith(wanted) for line in lines)
    assert "problem(s) in" in captured.err


def test_check_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A path that does not exist is reported as a problem, not a crash."""
    assert main(["personas", "check", str(tmp_path / "gone.yaml")]) == 1
    assert "no such persona file" in capsys.readouterr().out


def test_new_writes_a_starter_that_passes_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`personas new ID --lang L` writes ID.yaml which `personas check` accepts."""
    assert main(["personas", "new", "fi-uusi", "--lang", "fi", "--dir", str(tmp_path)]) == 0
    path = tmp_path / "fi-uusi.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schema.json")
    assert "language: fi" in text
    capsys.readouterr()
    assert main(["personas", "check", str(path)]) == 0


def test_new_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An existing file is kept unless --force is given."""
    (tmp_path / "en-x.yaml").write_text("keep me", encoding="utf-8")
    assert main(["personas", "new", "en-x", "--lang", "en", "--dir", str(tmp_path)]) == 1
    assert "exists already" in capsys.readouterr().err
    assert (tmp_path / "en-x.yaml").read_text(encoding="utf-8") == "keep me"


def test_new_rejects_a_bad_id(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An id with capitals or spaces is refused with a one-line message."""
    assert main(["personas", "new", "Bad Id", "--lang", "en", "--dir", str(tmp_path)]) == 1
    assert "is not a persona id" in capsys.readouterr().err


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """`personas schema` prints the same JSON Schema as the committed file."""
    assert main(["personas", "schema"]) == 0
    assert capsys.readouterr().out == schema_text()


def test_preview_writes_a_wav_per_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`personas preview ID --out DIR` speaks every line with espeak-ng into its own WAV file."""
    assert main(["personas", "preview", "nl-weduwnaar", "--out", str(tmp_path)]) == 0
    wavs = sorted(tmp_path.glob("*.wav"))
    assert len(wavs) == len(list(preview_lines(find_persona("nl-weduwnaar"))))
    first = read_audio(wavs[0])
    assert first.duration > 1.0
    assert first.rms() > 0.01
    assert "[sad" in capsys.readouterr().out


def test_preview_without_speakers_points_to_out(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a sound device, preview says to use --out instead of failing obscurely."""
    import simulator.devices

    def no_devices() -> None:
        raise AudioError("no default microphone")

    monkeypatch.setattr(simulator.devices, "LiveAudio", no_devices)
    assert main(["personas", "preview", "en-angry-caller"]) == 1
    assert "use --out DIR to write WAV files" in capsys.readouterr().err
