"""Voice and transcripts stay private (0700/0600 whatever the umask); a trainee can delete them."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from simulator.audio import Audio, write_wav
from simulator.cli import main
from simulator.cli.session_cmds import sessions_root
from simulator.persona import find_persona
from simulator.session import SessionLog


def mode(path: Path) -> int:
    """The permission bits of a file or folder."""
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Run the test under umask 000, the most permissive a user can have."""
    old = os.umask(0)
    yield
    os.umask(old)


def record_session(root: Path) -> SessionLog:
    """A session with a start record and one WAV, as the demo makes them."""
    log = SessionLog.create(root, "en-angry-caller", "demo")
    log.start(find_persona("en-angry-caller"), seed=0)
    write_wav(log.folder / "01-reply.wav", Audio(np.zeros(1600, dtype=np.float32), 16_000))
    return log


def test_data_folders_are_private_under_umask_000(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    """The data folder, sessions/, the session folder and its files are 0700/0600."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    root = sessions_root()
    log = record_session(root)
    for folder in (root.parent, root, log.folder):
        assert mode(folder) == 0o700, folder
    for file in log.folder.iterdir():
        assert mode(file) == 0o600, file


def test_an_existing_out_folder_is_tightened(tmp_path: Path) -> None:
    """A world-readable --out folder, and a loose log file in it, become private."""
    out = tmp_path / "mine"
    out.mkdir()
    out.chmod(0o777)
    log = record_session(out)
    assert mode(out) == 0o700 and mode(log.folder) == 0o700


def test_a_shared_sticky_folder_is_left_alone(tmp_path: Path) -> None:
    """A shared folder like /tmp (sticky bit) is not changed; the session inside is private."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    log = record_session(shared)
    assert mode(shared) == 0o1777 and mode(log.folder) == 0o700


def test_sessions_list_and_delete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`sessions list` shows each session; `delete ID` removes one and `--all` the rest."""
    first, second, third = (record_session(tmp_path) for _ in range(3))
    assert main(["sessions", "list", "--out", str(tmp_path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in rows} == {first.session_id, second.session_id, third.session_id}
    assert all(r["persona"] == "en-angry-caller" and r["outcome"] == "unfinished" for r in rows)
    assert main(["sessions", "delete", first.session_id, "--out", str(tmp_path)]) == 0
    assert not first.folder.exists() and second.folder.exists()
    assert main(["sessions", "delete", "no-such-session", "--out", str(tmp_path)]) == 1
    assert main(["sessions", "delete", "--all", "--out", str(tmp_path)]) == 0
    assert not second.folder.exists() and not third.folder.exists()
    (tmp_path / "not-a-session").mkdir()
    assert main(["sessions", "delete", "--all", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "not-a-session").is_dir()  # only folders holding a session log go
