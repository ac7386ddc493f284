"""The README's set-up: a second run finds everything in place and needs no network."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="needs root and unshare to cut the network off",
)
def test_second_setup_run_works_without_any_network() -> None:
    """Run inside a network namespace with no interfaces, set-up still succeeds."""
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("this sandbox does not allow new network namespaces")
    result = subprocess.run(
        ["unshare", "-n", "bash", str(REPO / "scripts" / "setup.sh"), "test"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "installing" not in result.stdout
