"""A private PulseAudio daemon with a virtual speaker and microphone, for tests of the live path.

Layout (all inside one temporary directory, nothing touches the user's own sound server)::

    rp_speaker          null sink, the default output: what the program plays goes here
    rp_speaker.monitor  read by a ``parec`` that writes everything heard to ``speaker.f32``
    rp_mic_in           null sink the tests play the trainee's voice into (``paplay``)
    rp_mic_in.monitor   read by a ``parec`` that writes it to ``mic.f32`` (ground truth)
    rp_mic              rp_mic_in.monitor remapped as a real source, the default input

PortAudio reaches the daemon through ALSA's pulse plugin, so ``apply_env`` points this process
(``PULSE_SERVER``, ``PULSE_RUNTIME_PATH``, ``XDG_RUNTIME_DIR``) at it and re-scans PortAudio if
sounddevice was already imported. A low-latency reader is kept on each monitor: without one the
null sinks run with a 2 s buffer and every new stream stalls for about 2 s.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from simulator.audio import Audio, Samples, write_wav

RATE = 16_000  # Hz, the rate the speaker capture is written at
SPEAKER = "rp_speaker"
MIC_SINK = "rp_mic_in"
MIC = "rp_mic"
READER_LATENCY_MS = "20"  # keeps the null sinks' buffers short (see the module docstring)
TOOLS = ("pulseaudio", "pactl", "parec", "paplay")


def missing_tools() -> list[str]:
    """The PulseAudio programs this harness needs that are not installed."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


class PulseHarness:
    """Start, use and stop the private daemon; see the module docstring for the devices."""

    def __init__(self, root: Path) -> None:
        self.root = root
        runtime = root / "runtime"
        self.env = {
            "XDG_RUNTIME_DIR": str(runtime),
            "PULSE_RUNTIME_PATH": str(runtime / "pulse"),
            "PULSE_SERVER": f"unix:{runtime / 'pulse' / 'native'}",
        }
        self.captures = {"speaker": root / "speaker.f32", "mic": root / "mic.f32"}
        self._readers: list[subprocess.Popen[bytes]] = []
        self._saved: dict[str, str | None] = {}

    def _run_env(self) -> dict[str, str]:
        """Environment for the daemon and the pa* tools: this daemon, a private HOME."""
        return {**os.environ, **self.env, "HOME": str(self.root / "home")}

    def pactl(self, *args: str) -> str:
        """Run pactl against the private daemon and return its output."""
        done = subprocess.run(
            ["pactl", *args], env=self._run_env(), capture_output=True, text=True, timeout=10
        )
        if done.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout.strip()

    def start(self) -> None:
        """Start the daemon, create the devices and the monitor readers."""
        for folder in ("runtime", "home"):
            (self.root / folder).mkdir(mode=0o700, parents=True, exist_ok=True)
        subprocess.run(
            [
                "pulseaudio",
                "--daemonize=yes",
                "--exit-idle-time=-1",
                "-n",
                "--load=module-native-protocol-unix auth-anonymous=1",
                f"--log-target=file:{self.root / 'pulse.log'}",
            ],
            env=self._run_env(),
            check=True,
            timeout=20,
        )
        self.pactl("load-module", "module-null-sink", f"sink_name={SPEAKER}", "rate=48000")
        self.pactl("load-module", "module-null-sink", f"sink_name={MIC_SINK}", "rate=48000")
        self.pactl(
            "load-module", "module-remap-source", f"master={MIC_SINK}.monitor", f"source_name={MIC}"
        )
        self.pactl("set-default-sink", SPEAKER)
        self.pactl("set-default-source", MIC)
        for name, monitor in (("speaker", SPEAKER), ("mic", MIC_SINK)):
            with self.captures[name].open("wb") as sink:
                self._readers.append(self._parec(f"{monitor}.monitor", sink.fileno()))
        deadline = time.monotonic() + 5
        while 0 in self.marks().values() and time.monotonic() < deadline:
            time.sleep(0.01)

    def _parec(self, device: str, out: int) -> subprocess.Popen[bytes]:
        """A low-latency reader on a monitor, writing 16 kHz mono float32 to ``out``."""
        return subprocess.Popen(
            [
                "parec",
                f"--device={device}",
                f"--latency-msec={READER_LATENCY_MS}",
                "--format=float32le",
                "--channels=1",
                f"--rate={RATE}",
            ],
            stdout=out,
            env=self._run_env(),
        )

    def stop(self) -> None:
        """Stop the readers and the daemon, and restore this process's environment."""
        for reader in self._readers:
            reader.send_signal(signal.SIGTERM)
            reader.wait(timeout=5)
        self._readers.clear()
        pid_file = Path(self.env["PULSE_RUNTIME_PATH"]) / "pid"
        if pid_file.is_file():
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)
        self.restore_env()

    def apply_env(self) -> None:
        """Point this process's PortAudio at the daemon (re-scanning if already initialised)."""
        for key, value in self.env.items():
            self._saved.setdefault(key, os.environ.get(key))
            os.environ[key] = value
        rescan_portaudio()

    def restore_env(self) -> None:
        """Put back the environment apply_env replaced."""
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved.clear()
        rescan_portaudio()

    def add_echo(self, volume_percent: int, latency_ms: int = 80) -> str:
        """Let the microphone hear the speaker, quieter, as on a laptop; returns the module id."""
        module = self.pactl(
            "load-module",
            "module-loopback",
            f"source={SPEAKER}.monitor",
            f"sink={MIC_SINK}",
            f"latency_msec={latency_ms}",
            "source_dont_move=true",
            "sink_dont_move=true",
        )
        for line in self.pactl("list", "short", "sink-inputs").splitlines():
            if "module-loopback" in line:
                self.pactl("set-sink-input-volume", line.split()[0], f"{volume_percent}%")
        return module

    def remove_echo(self, module: str) -> None:
        """Undo add_echo."""
        self.pactl("unload-module", module)

    def marks(self) -> dict[str, int]:
        """How many samples each capture ("speaker", "mic") holds now: positions to read from."""
        return {name: path.stat().st_size // 4 for name, path in self.captures.items()}

    def speaker_mark(self) -> int:
        """How many samples the speaker capture holds so far (a position to read from later)."""
        return self.marks()["speaker"]

    def since(self, name: str, mark: int) -> Samples:
        """Everything the "speaker" or "mic" capture heard since ``mark``, at 16 kHz."""
        with self.captures[name].open("rb") as fh:
            fh.seek(mark * 4)
            data = fh.read()
        return np.frombuffer(data[: len(data) // 4 * 4], dtype=np.float32).copy()

    def speaker_since(self, mark: int) -> Samples:
        """Everything the virtual speaker played since ``mark``, at 16 kHz."""
        return self.since("speaker", mark)

    def play_into_mic(self, audio: Audio, name: str = "reply") -> subprocess.Popen[bytes]:
        """Start playing ``audio`` into the virtual microphone (as the trainee speaking)."""
        path = self.root / f"{name}.wav"
        write_wav(path, audio)
        return subprocess.Popen(
            ["paplay", f"--device={MIC_SINK}", f"--latency-msec={READER_LATENCY_MS}", str(path)],
            env=self._run_env(),
        )


def rescan_portaudio() -> None:
    """Make an already imported sounddevice see the current environment's sound server."""
    sd = sys.modules.get("sounddevice")
    if sd is not None:
        sd._terminate()
        sd._initialize()
