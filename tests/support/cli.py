"""The command line run as a user runs it: a fresh Python process started in the repository."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def roleplay(
    *args: str,
    cwd: Path = REPO,
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m simulator ARGS` and capture its text output (never raises on failure)."""
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        preexec_fn=preexec_fn,
        timeout=timeout,
        check=False,
    )
