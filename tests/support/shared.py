"""The ../shared data beside the repository: found relative to it, and required under CI.

Locally a test whose data is missing is skipped with the path it looked at; with ``CI=true`` it
fails instead, so a CI run cannot pass by silently testing nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    """$VOICE_ROLEPLAY_SHARED, or the ``shared`` folder beside the repository."""
    override = os.environ.get("VOICE_ROLEPLAY_SHARED")
    return Path(override) if override else REPO.parent / "shared"


def in_ci() -> bool:
    """Whether the tests run under continuous integration (``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing(reason: str) -> None:
    """Skip the test locally; fail it under CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: shared data must be present)", pytrace=False)
    pytest.skip(reason)


def shared_file(*parts: str) -> Path:
    """A file or folder under ../shared; skips (fails under CI) if it is not there."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        missing(f"{path} is not on this machine")
    return path


def needs_shared(*parts: str) -> pytest.MarkDecorator:
    """Mark a test reading ../shared data: skipped here if missing, run (and failing) in CI."""
    path = shared_dir().joinpath(*parts)
    return pytest.mark.skipif(
        not path.exists() and not in_ci(), reason=f"{path} is not on this machine"
    )
