"""Bad input from instructors, scripts and trainees: one clear line, and nothing else is lost."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from support.cli import roleplay
from support.shared import shared_file

from simulator.audio import read_audio
from simulator.cli import main
from simulator.cli.textsafe import neutralise
from simulator.errors import AudioError, PersonaError
from simulator.persona import load_persona
from simulator.stt import make_transcriber

REPO = Path(__file__).resolve().parents[1]
GOOD = REPO / "personas" / "en-angry-caller.yaml"
BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)


def one_line(stderr: str) -> str:
    """The single non-empty stderr line of a failure, with no traceback."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def test_alias_bomb_is_refused_at_once_in_little_memory(tmp_path: Path) -> None:
    """A 'billion laughs' persona stops with one line, within a 1 GB memory limit."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    result = roleplay("personas", "check", str(bomb), preexec_fn=limit)
    assert result.returncode == 1
    assert "bomb.yaml:2: aliases (*name) are not allowed" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("rec: &r [*r]\n", ":1: aliases (*name) are not allowed"),
        ("x: " + "[" * 100_000 + "\n", ":1: nested more than 32 levels deep"),
        ("name: " + "x" * 300_000 + "\n", ":1: larger than 256 KB"),
        ("name: caf\xe9\n", ":1: not UTF-8 text"),
    ],
    ids=["recursive-alias", "deep-nesting", "too-large", "not-utf8"],
)
def test_unbounded_persona_files_are_one_clear_line(
    tmp_path: Path, text: str, problem: str
) -> None:
    """Recursion, deep nesting, a huge file and bad bytes each give one file:line message."""
    path = tmp_path / "bad.yaml"
    path.write_bytes(text.encode("latin-1") if "\xe9" in text else text.encode("utf-8"))
    with pytest.raises(PersonaError) as caught:
        load_persona(path)
    assert len(str(caught.value).splitlines()) == 1
    assert problem in str(caught.value)


def test_a_broken_persona_never_hides_the_good_ones(tmp_path: Path) -> None:
    """`personas list` lists the good personas and names the broken file on stderr."""
    shutil.copy(GOOD, tmp_path / "en-angry-caller.yaml")
    (tmp_path / "broken.yaml").write_text("rec: &r [*r]\n", encoding="utf-8")
    env = {"VOICE_ROLEPLAY_PERSONAS": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = roleplay("personas", "list", "--json", env=env)
    assert result.returncode == 0, result.stderr
    ids = [row["id"] for row in json.loads(result.stdout)]
    assert "en-angry-caller" in ids and "fi-vuokralainen" in ids
    assert "broken.yaml:1: aliases" in one_line(result.stderr)


BATCH_LINES = [
    b'{"client": "I am so tired of waiting.", "reply": "You are tired of waiting."}',
    b"this is not json",
    b'{"client": "I waited.", "reply": "You waited.", "emotion": "furious"}',
    b'{"client": "I waited.", "reply": "You waited.", "emotion": null}',
    b'{"client": null, "reply": null}',
    b'{"client": "I waited.", "reply": ""}',
    b'{"client": "I waited.", "reply": "caf\xe9"}',
    b"[1, 2]",
    b'{"client": "I waited.", "reply": "' + b"a" * 20_000 + b'"}',
    b'{"client": "Nobody calls back.", "reply": "What happened when you called?"}',
]


def test_batch_answers_every_line_and_counts_the_failures(tmp_path: Path) -> None:
    """Each bad line gets its own error object; the lines after it are still scored."""
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(b"\n".join(BATCH_LINES) + b"\n")
    result = roleplay("score", "--batch", str(batch))
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["line"] for o in out] == list(range(1, len(BATCH_LINES) + 1))
    assert "scores" in out[0] and "scores" in out[-1]
    errors = {o["line"]: o["error"] for o in out if "error" in o}
    assert set(errors) == set(range(2, len(BATCH_LINES)))
    assert "not valid JSON" in errors[2]
    assert "unknown emotion 'furious'" in errors[3] and "unknown emotion None" in errors[4]
    assert "client must be" in errors[5] and "is empty" in errors[6]
    assert "not UTF-8" in errors[7] and "expected a JSON object" in errors[8]
    assert "20,000 characters long" in errors[9]
    assert one_line(result.stderr).endswith("2 line(s) scored, 8 failed")


def test_empty_typed_reply_is_refused_like_in_a_batch() -> None:
    """`--reply ''` and a too-long reply are one clear line each."""
    assert "is empty" in one_line(roleplay("score", "--client", "Hi", "--reply", " ").stderr)
    long_reply = roleplay("score", "--client", "Hi", "--reply", "word " * 3_000)
    assert "15,000 characters long" in one_line(long_reply.stderr)


def test_replies_file_that_is_not_utf8(tmp_path: Path) -> None:
    """`simulate --replies` with Latin-1 bytes names the file and line instead of a traceback."""
    replies = tmp_path / "replies.txt"
    replies.write_bytes(b"You sound upset.\nCaf\xe9 later?\n")
    result = roleplay("simulate", "en-angry-caller", "--replies", str(replies))
    assert "replies.txt:2: not UTF-8 text" in one_line(result.stderr)


def test_closed_pipe_is_quiet() -> None:
    """A reader that goes away early (`| head`) gets no BrokenPipeError traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "personas", "list", "--json"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""


def test_control_and_rtl_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    """ANSI escapes and bidirectional overrides in a typed reply are shown as U+FFFD."""
    replies = tmp_path / "replies.txt"
    replies.write_text("You feel \x1b[2J\x1b[31mignored\x07 \u202eereh\u202c by us.\n")
    result = roleplay("simulate", "en-angry-caller", "--replies", str(replies))
    assert result.returncode == 0, result.stderr
    assert "You:" in result.stdout
    for bad in ("\x1b", "\x07", "\u202e", "\u202c"):
        assert bad not in result.stdout
    assert "\ufffd[2J" in result.stdout
    assert neutralise("emoji 👍🏽 and zero-width joiner 👩‍💻 stay\n") == (
        "emoji 👍🏽 and zero-width joiner 👩‍💻 stay\n"
    )


def test_wav_with_nan_samples_inside_speech_is_still_transcribed(tmp_path: Path) -> None:
    """A float WAV with NaN and inf bursts inside clear speech is cleaned, not called silent."""
    data, rate = sf.read(str(shared_file("audio", "en_jfk_openai-whisper.flac")), dtype="float32")
    data = np.array(data, dtype=np.float32)
    data[rate : rate + 400] = np.nan
    data[3 * rate : 3 * rate + 50] = np.inf
    path = tmp_path / "nan.wav"
    sf.write(str(path), data, rate, subtype="FLOAT")
    audio = read_audio(path)
    assert np.isfinite(audio.samples).all()
    text = make_transcriber(language="en").transcribe(audio, "en").text.lower()
    assert "country" in text


def test_all_nan_wav_and_a_folder_are_clear_errors(tmp_path: Path) -> None:
    """A WAV of NaN only and a folder given as the audio file each say what is wrong."""
    path = tmp_path / "nan.wav"
    sf.write(str(path), np.full(16_000, np.nan, dtype=np.float32), 16_000, subtype="FLOAT")
    with pytest.raises(AudioError, match="not numbers"):
        read_audio(path)
    with pytest.raises(AudioError, match="is a folder, not an audio file"):
        read_audio(tmp_path)
    assert main(["transcribe", str(tmp_path), "--lang", "en"]) == 1
