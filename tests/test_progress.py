"""Progress bars show on a terminal and stay out of piped output."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = (
    "import time\n"
    "from simulator.progress import progress\n"
    "for _ in progress(list(range(6)), 'working'):\n"
    "    time.sleep(0.2)\n"
    "print('done')\n"
)


def test_piped_output_has_no_bar() -> None:
    """With stderr piped, a long loop prints nothing but its own output."""
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            cwd=REPO, timeout=60, check=True)
    assert result.stdout == "done\n" and result.stderr == ""


def test_terminal_shows_a_bar() -> None:
    """On a terminal the same loop draws a labelled bar on stderr."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE,
                            stderr=follower, cwd=REPO, env={**os.environ, "TERM": "xterm"})
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    assert b"working" in b"".join(chunks)
