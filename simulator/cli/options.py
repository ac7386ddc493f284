"""Options shared by several commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from simulator.stt import BACKENDS


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
