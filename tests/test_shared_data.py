"""Tests that need ../shared find it beside the repository and fail, not skip, under CI."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.shared import REPO, needs_shared, shared_dir, shared_file
from support.speech import human


def test_shared_folder_is_found_beside_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without an override the data is looked for in ../shared, never at a fixed machine path."""
    monkeypatch.delenv("VOICE_ROLEPLAY_SHARED", raising=False)
    assert shared_dir() == REPO.parent / "shared"


def test_missing_data_fails_under_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With CI=true a missing clip fails the test instead of skipping it."""
    monkeypatch.setenv("VOICE_ROLEPLAY_SHARED", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        human("en_jfk_openai-whisper.flac")
    with pytest.raises(pytest.fail.Exception):
        shared_file("data", "annomi", "AnnoMI-full.csv")
    assert not needs_shared("nothing-here").args[0]  # the skip condition is off in CI


def test_missing_data_skips_outside_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Outside CI a missing clip skips the test, naming where it looked."""
    monkeypatch.setenv("VOICE_ROLEPLAY_SHARED", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=str(tmp_path)):
        human("en_jfk_openai-whisper.flac")
