"""The command line: the only place that chooses adapters and turns errors into one clear line."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from simulator.cli.textsafe import neutralise
from simulator.errors import NoAudioDeviceError, SimulatorError

NO_DEVICE_HINT = "Try `roleplay demo`, which needs no microphone."

# Each module registers its sub-commands with ``register(subparsers)`` and sets ``func``.
COMMAND_MODULES = (
    "simulator.cli.session_cmds",
    "simulator.cli.asr_cmds",
    "simulator.cli.personas",
    "simulator.cli.devices",
    "simulator.cli.sessions",
    "simulator.cli.report_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    """Assemble the parser from every command module that is present."""
    parser = argparse.ArgumentParser(
        prog="roleplay",
        description="Practise meeting clients aloud, offline, with feedback after every exchange.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; print a one-line message and return non-zero on any known failure."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except SimulatorError as exc:
        hint = f" {NO_DEVICE_HINT}" if isinstance(exc, NoAudioDeviceError) else ""
        print(f"roleplay: {neutralise(str(exc))}{hint}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("roleplay: stopped; everything recorded so far is saved.", file=sys.stderr)
        if argv is None:  # run as the program: stop now, not after worker threads finish
            _exit_now(130)
        return 130
    except BrokenPipeError:
        return _quiet_broken_pipe()
    return code


def _exit_now(code: int) -> None:
    """Leave at once after Ctrl-C: every record is already synced to disk, so nothing waits.

    A transcription or model load still running in a worker thread would otherwise hold the
    exit for a second or more.
    """
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (``| head``): stop quietly, as other tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the final flush at exit cannot fail again
    os.close(devnull)
    return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe
