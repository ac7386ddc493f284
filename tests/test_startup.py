"""The command line starts without importing speech, audio or array libraries it does not use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = (
    "numpy",
    "faster_whisper",
    "ctranslate2",
    "onnxruntime",
    "sounddevice",
    "soundfile",
    "soxr",
    "simplemma",
    "snowballstemmer",
    "pyttsx3",
    "torch",
    "whisper",
)
PROBE = """
import json, sys
from simulator.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m.split(".")[0] for m in sys.modules)), file=sys.stderr)
"""


def loaded_modules(*argv: str) -> set[str]:
    """Top-level modules imported by one command run in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=60,
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "argv",
    [
        ("--help",),
        ("practice", "--help"),
        ("demo", "--help"),
        ("personas", "list"),
        ("personas", "list", "--json"),
    ],
)
def test_command_imports_no_heavy_module(argv: tuple[str, ...]) -> None:
    """Help and the persona list load none of numpy, Whisper, ONNX, sound or word-form libraries."""
    heavy = loaded_modules(*argv) & set(HEAVY)
    assert not heavy, f"`roleplay {' '.join(argv)}` imported {sorted(heavy)}"


def test_probe_sees_heavy_imports() -> None:
    """The probe itself notices a command that does load numpy (so the guard can fail)."""
    assert "numpy" in loaded_modules("score", "--client", "I waited.", "--reply", "You waited.")


def test_the_parser_offers_the_voices_simulator_tts_has() -> None:
    """The --tts choices written out in the parser's options are the speech package's own."""
    from simulator import tts
    from simulator.cli import options

    assert options.TTS_ENGINES == tts.TTS_ENGINES
    assert options.DEFAULT_TTS == tts.DEFAULT_TTS
