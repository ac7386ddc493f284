"""Nothing goes over the network: a whole demo runs with every network attempt refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from simulator.session_log import read_session_log

REPO = Path(__file__).resolve().parents[1]
OFFLINE = REPO / "tests" / "data" / "child"  # sitecustomize.py refusing the network


def no_network_prefix() -> list[str]:
    """``unshare`` into a network namespace with no interfaces, where the machine allows it."""
    exe = shutil.which("unshare")
    if exe is None:
        return []
    for flags in (["-n"], ["-rn"]):
        probe = subprocess.run([exe, *flags, "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [exe, *flags]
    return []


def test_a_whole_demo_makes_no_network_attempt(tmp_path: Path) -> None:
    """Models, voices, scoring and the session log work with the network refused and absent."""
    attempts = tmp_path / "network-attempts.txt"
    attempts.touch()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(OFFLINE), str(REPO)]),
        "OFFLINE_LOG": str(attempts),
    }
    out = tmp_path / "sessions"
    command = [sys.executable, "-m", "simulator", "demo", "--trainee", "poor", "--out", str(out)]
    result = subprocess.run(
        [*no_network_prefix(), *command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert attempts.read_text() == ""
    (folder,) = out.iterdir()
    log = read_session_log(folder)
    assert log.end is not None and log.exchanges
