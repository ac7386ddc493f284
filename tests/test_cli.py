"""The command line as a user meets it: the demo session, scoring, and clear errors on bad input."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from support.cli import roleplay
from support.shared import shared_file

from simulator.cli import build_parser

REPO = Path(__file__).resolve().parents[1]


def assert_one_clear_line(result: subprocess.CompletedProcess[str], needle: str) -> None:
    """A failure exits non-zero with a single message line on stderr and no traceback."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]


def test_demo_runs_a_whole_session_and_logs_every_exchange(tmp_path: Path) -> None:
    """`roleplay demo` prints a full session with feedback and logs each exchange privately.

    With `--profile` each exchange is followed by where its time went, which the log keeps too,
    beside Whisper's decoding options in the start record.
    """
    result = roleplay("demo", "--profile", "--out", str(tmp_path / "sessions"))
    assert result.returncode == 0, result.stderr
    (out,) = (tmp_path / "sessions").iterdir()
    records = [json.loads(line) for line in (out / "session.jsonl").read_text().splitlines()]
    exchanges = [r for r in records if r["type"] == "exchange"]
    assert records[0]["type"] == "start" and records[-1]["type"] == "end"
    summary = records[-1]["summary"]["measures"]
    assert set(summary) >= {"reflection_to_question", "talk_time_share", "mi_inconsistent"}
    assert "Session summary" in result.stdout
    assert len(exchanges) >= 5
    assert result.stdout.count("Listening") == len(exchanges)
    assert result.stdout.count("profile: wait ") == len(exchanges)
    assert len(records[0]["settings"]["decode"]["temperatures"]) <= 2
    assert all(ex["timings"]["wait_s"] > 0 for ex in exchanges)
    for ex in exchanges:
        assert ex["reply"]["text"] and ex["reply"]["words"]
        assert ex["scores"]["pacing"] is not None
        assert ex["feedback"]
        assert (out / ex["client_audio"]).is_file() and (out / ex["reply_audio"]).is_file()
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for f in out.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


@pytest.mark.parametrize("persona", ["fi-vuokralainen", "nl-weduwnaar"])
def test_demo_in_finnish_and_dutch(tmp_path: Path, persona: str) -> None:
    """The Finnish and Dutch demo personas run to the end with their own language's transcripts."""
    result = roleplay("demo", "--persona", persona, "--trainee", "good", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    (folder,) = tmp_path.iterdir()
    records = [json.loads(line) for line in (folder / "session.jsonl").read_text().splitlines()]
    exchanges = [r for r in records if r["type"] == "exchange"]
    assert exchanges and all(r["reply"]["language"] == persona[:2] for r in exchanges)


def test_score_json_ranks_reflection_above_advice_and_judgement() -> None:
    """To the same client line, an empathic reflection out-scores advice and judgement."""
    client = "I've called five times this week and nobody ever calls me back."
    replies = {
        "reflection": "You've been calling all week and nobody gets back to you. "
        "You must feel really ignored.",
        "advice": "You should send an email instead of calling.",
        "judgement": "Shouting at me won't help, you need to calm down.",
    }
    results = {}
    for name, reply in replies.items():
        r = roleplay("score", "--client", client, "--reply", reply, "--emotion", "angry", "--json")
        assert r.returncode == 0, r.stderr
        results[name] = json.loads(r.stdout)
    for result in results.values():
        assert set(result) >= {"acts", "scores", "feedback"}
        assert result["scores"]["pacing"] is None
    good = results["reflection"]["scores"]
    for worse in ("advice", "judgement"):
        bad = results[worse]["scores"]
        assert good["empathy"] > bad["empathy"] and good["listening"] > bad["listening"]


def test_transcribe_json_gives_words_with_timings() -> None:
    """`roleplay transcribe --json` prints language, text and timed words."""
    clip = shared_file("audio", "en_jfk_openai-whisper.flac")
    r = roleplay("transcribe", str(clip), "--lang", "en", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["language"] == "en" and "country" in data["text"]
    assert {"text", "start", "end", "probability"} <= set(data["words"][0])


def test_silent_and_empty_wavs_give_one_clear_line(tmp_path: Path) -> None:
    """A silent WAV and an empty WAV each fail with one message a trainee understands."""
    silent, empty = tmp_path / "silent.wav", tmp_path / "empty.wav"
    sf.write(silent, np.zeros(32_000, dtype=np.float32), 16_000)
    sf.write(empty, np.zeros(0, dtype=np.float32), 16_000)
    assert_one_clear_line(roleplay("transcribe", str(silent)), "no speech")
    assert_one_clear_line(roleplay("transcribe", str(empty)), "no audio")


def test_missing_and_unreadable_files_give_one_clear_line(tmp_path: Path) -> None:
    """A missing file and a file that is not audio are named in a one-line error."""
    assert_one_clear_line(roleplay("transcribe", str(tmp_path / "nope.wav")), "no such audio file")
    junk = tmp_path / "junk.wav"
    junk.write_text("not audio")
    assert_one_clear_line(roleplay("transcribe", str(junk)), "not a readable WAV")


def test_broken_persona_file_is_named_with_line_and_field(tmp_path: Path) -> None:
    """`personas check` on a broken file names file, line and field and exits 1."""
    broken = tmp_path / "broken.yaml"
    good = (REPO / "personas" / "en-angry-caller.yaml").read_text()
    broken.write_text(good.replace("  intensity: 0.72", "  intensity: loud"))
    r = roleplay("personas", "check", str(broken))
    assert r.returncode == 1
    assert "Traceback" not in r.stdout + r.stderr
    assert "broken.yaml:" in r.stdout + r.stderr and "intensity" in r.stdout + r.stderr


def test_unknown_persona_is_one_clear_line() -> None:
    """Asking for a persona that does not exist lists what does, in one line."""
    assert_one_clear_line(roleplay("demo", "--persona", "nobody"), "nobody")


def test_practice_without_audio_server_points_to_demo(tmp_path: Path) -> None:
    """With no audio server, `practice` says so in one line and points to `demo`."""
    env = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path}/none", XDG_RUNTIME_DIR=str(tmp_path))
    r = roleplay(
        "practice", "--persona", "en-angry-caller", "--out", str(tmp_path / "s"), env=env
    )
    assert_one_clear_line(r, "demo")


def test_every_command_is_documented() -> None:
    """Each sub-command has a help line and each of its options a help text."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        helps = {a.dest: a.help for a in sub._choices_actions}  # type: ignore[attr-defined]
        assert helps.get(name), f"`{name}` has no help"
        for action in command._actions:
            if action.dest not in ("help", "func"):
                assert action.help, f"`{name} {action.dest}` has no help"


def test_score_batch_scores_each_line_and_names_a_bad_one(tmp_path: Path) -> None:
    """`score --batch` prints one result per input line; a broken line gets an error by number."""
    batch = tmp_path / "batch.jsonl"
    lines = [
        {"client": "Nobody calls me back.", "reply": "You feel ignored.", "lang": "en"},
        {"client": "Kukaan ei soita.", "reply": "Sinun pitäisi soittaa uudestaan.", "lang": "fi"},
    ]
    batch.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    r = roleplay("score", "--batch", str(batch), "--json")
    assert r.returncode == 0, r.stderr
    results = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["acts"][0]["kind"] for x in results] == ["complex_reflection", "advice"]
    batch.write_text(batch.read_text() + '{"client": 1\n')
    r = roleplay("score", "--batch", str(batch), "--json")
    assert_one_clear_line(r, "batch.jsonl: 2 line(s) scored, 1 failed")
    last = json.loads(r.stdout.splitlines()[-1])
    assert last["line"] == 3 and "not valid JSON" in last["error"]
