"""Faults a session must survive, each ending in one line with every finished exchange readable.

kill -9 at random moments, a full disk at each write site and on a real small file system, a
read-only folder, two sessions at once, and Ctrl-C while the client speaks. (No sound server at
all: tests/test_devices.py::test_no_sound_server_gives_one_clear_line.)

Sessions run as users start them (``python -m simulator demo``), with the fast English persona
and its tiny.en model.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.pulse import PulseHarness

from simulator.audio import read_audio
from simulator.session_log import LOG_NAME, SessionLogData, read_session_log

REPO = Path(__file__).resolve().parents[1]
FAULTS = REPO / "tests" / "data" / "child"  # sitecustomize.py staging the fault
KILL_RUNS = 10
KILL_AFTER_EXCHANGES = (0, 5)  # the kill comes after this many exchanges were shown ...
KILL_EXTRA_S = (0.0, 3.0)  # ... and this much more time, wherever the session then is
DEMO = ["-m", "simulator", "demo", "--persona", "en-angry-caller"]


def env(**extra: str) -> dict[str, str]:
    """The child's environment: unbuffered output, so what it showed is what we read."""
    return {**os.environ, "PYTHONUNBUFFERED": "1", **extra}


def sessions(root: Path) -> list[SessionLogData]:
    """Every session under ``root``, each checked readable: no damaged line, audio present."""
    found = []
    for folder in sorted(p for p in root.iterdir() if (p / LOG_NAME).is_file()):
        if (folder / LOG_NAME).stat().st_size == 0:
            continue  # stopped before the start record: nothing was recorded
        data = read_session_log(folder)
        assert data.problems == (), data.problems
        assert {r.session_id for r in data.exchanges} <= {data.session_id}
        for record in data.exchanges:
            for name in (record.exchange.client_audio, record.exchange.reply_audio):
                assert name is not None
                assert read_audio(folder / name).duration > 0
        found.append(data)
    return found


def shown_exchanges(stdout: str) -> int:
    """Exchanges the trainee saw scored (one 'Listening' line each)."""
    return stdout.count("Listening ")


def one_line(stderr: str, needle: str) -> None:
    """A failure is one line on stderr with ``needle`` and no traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], stderr


@pytest.mark.parametrize("run", range(KILL_RUNS))
def test_kill_9_at_a_random_moment_loses_no_finished_exchange(tmp_path: Path, run: int) -> None:
    """After kill -9 the log reads, and holds every exchange the trainee saw, with its audio.

    The moment is drawn relative to the session's progress (after N exchanges plus a random
    extra time), so the kills fall all through a session however fast the machine is.
    """
    rng = random.Random(run)
    after, extra = rng.randint(*KILL_AFTER_EXCHANGES), rng.uniform(*KILL_EXTRA_S)
    proc = subprocess.Popen(
        [sys.executable, *DEMO, "--out", str(tmp_path), "--trainee", "good"],
        cwd=REPO,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    seen: list[str] = []
    for line in proc.stdout:
        seen.append(line)
        if shown_exchanges("".join(seen)) >= after:
            break
    time.sleep(extra)
    proc.send_signal(signal.SIGKILL)
    stdout = "".join(seen) + proc.stdout.read()
    proc.wait(timeout=60)
    logs = sessions(tmp_path)
    logged, shown = sum(len(s.exchanges) for s in logs), shown_exchanges(stdout)
    print(f"kill -9 after {after} exchange(s) + {extra:.1f} s: {shown} shown, {logged} logged")
    assert logged >= shown, stdout
    assert not list(tmp_path.rglob("*.jsonl.partial"))


@pytest.mark.parametrize(
    ("site", "nth", "trainee"),
    [
        ("start", 1, "poor"),
        ("client", 1, "poor"),
        # The second reply and record: a poor trainee may see the client walk out after one.
        ("reply", 2, "mixed"),
        ("exchange", 2, "mixed"),
        ("client-closing", 1, "poor"),
        ("end", 1, "poor"),
    ],
)
def test_full_disk_at_each_write_site(tmp_path: Path, site: str, nth: int, trainee: str) -> None:
    """The disk fills up mid-write at each site: one line, no half record, earlier ones read."""
    root = tmp_path / "sessions"
    result = subprocess.run(
        [sys.executable, *DEMO, "--out", str(root), "--trainee", trainee],
        cwd=REPO,
        env=env(
            PYTHONPATH=os.pathsep.join([str(FAULTS), str(REPO)]),
            FAULT_ROOT=str(root),
            FAULT_SITE=site,
            FAULT_NTH=str(nth),
        ),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    one_line(result.stderr, "the disk is full")
    logs = sessions(root)
    assert sum(len(s.exchanges) for s in logs) == shown_exchanges(result.stdout)
    assert all(s.end is None for s in logs)  # the disk stayed full for the end record too
    assert not list(root.rglob("*.partial"))


def _run_in_small_mount(
    tmp_path: Path, options: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run the CLI with a fresh tmpfs (``options``) mounted at tmp_path/mnt, as root may."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to mount a small file system")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("this sandbox does not allow mount namespaces")
    script = f'mount -t tmpfs -o {options} tmpfs "{mnt}" && exec "{sys.executable}" "$@"'
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", *args],
        cwd=REPO,
        env=env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_a_really_full_small_disk(tmp_path: Path) -> None:
    """On a 900 KB file system the session stops at the full disk; what fit stays readable."""
    script = (
        "import subprocess, sys, shutil; from pathlib import Path\n"
        "r = subprocess.run([sys.executable, *sys.argv[2:]], capture_output=True, text=True)\n"
        "from simulator.session_log import read_session_log\n"
        "root = Path(sys.argv[1]); print(r.returncode); print(r.stdout.count('Listening '))\n"
        "sys.stderr.write(r.stderr)\n"
        "for f in root.iterdir():\n"
        "    d = read_session_log(f); print(len(d.exchanges), len(d.problems))\n"
    )
    root = tmp_path / "mnt" / "sessions"
    result = _run_in_small_mount(
        tmp_path, "size=900k", "-c", script, str(root), *DEMO, "--out", str(root)
    )
    lines = result.stdout.split()
    assert lines[0] == "1", result.stdout + result.stderr
    one_line(result.stderr, "the disk is full")
    shown, logged, problems = int(lines[1]), int(lines[2]), int(lines[3])
    assert logged == shown and problems == 0


def test_read_only_folder_is_one_clear_line(tmp_path: Path) -> None:
    """A --out folder on a read-only file system: one line saying so, before anything is spoken."""
    result = _run_in_small_mount(
        tmp_path, "ro,size=64k", *DEMO, "--out", str(tmp_path / "mnt" / "sessions")
    )
    assert result.returncode == 1
    one_line(result.stderr, "cannot write here (Read-only file system)")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a folder without write bits")
def test_folder_without_write_permission_is_one_clear_line(tmp_path: Path) -> None:
    """A --out folder the user may not write to: one line naming it (for non-root users)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    result = subprocess.run(
        [sys.executable, *DEMO, "--out", str(locked / "sessions")],
        cwd=REPO,
        env=env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    locked.chmod(0o755)
    assert result.returncode == 1
    one_line(result.stderr, "cannot write here (Permission denied)")


def test_two_sessions_at_once_keep_apart(tmp_path: Path) -> None:
    """Two demos started together with the same --out write two folders, each its own."""
    procs = [
        subprocess.Popen(
            [sys.executable, *DEMO, "--out", str(tmp_path), "--trainee", "poor", "--seed", str(n)],
            cwd=REPO,
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    logs = sessions(tmp_path)
    assert len(logs) == 2 and logs[0].session_id != logs[1].session_id
    assert all(s.end is not None and s.exchanges for s in logs)


def test_ctrl_c_while_the_client_speaks_exits_at_once(tmp_path: Path, pulse: PulseHarness) -> None:
    """Ctrl-C during the client's line stops within half a second and logs the interruption."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "practice",
            "--persona",
            "en-angry-caller",
            "--out",
            str(tmp_path),
        ],
        cwd=REPO,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Client:" in line:
            break
    time.sleep(0.3)  # the line is playing now
    proc.send_signal(signal.SIGINT)
    start = time.monotonic()
    proc.wait(timeout=10)
    elapsed = time.monotonic() - start
    stderr = proc.stderr.read() if proc.stderr else ""
    assert elapsed < 0.5, f"took {elapsed:.2f} s to stop"
    assert proc.returncode == 130
    # libasound itself may print "ALSA lib ... underrun occurred" on a busy machine
    ours = "\n".join(line for line in stderr.splitlines() if not line.startswith("ALSA lib"))
    one_line(ours, "stopped; everything recorded so far is saved")
    (log,) = sessions(tmp_path)
    assert log.end is not None and log.end.outcome == "interrupted"
