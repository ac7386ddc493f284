"""Whisper speed: faster-whisper (int8, float32) vs openai-whisper on the same weights and audio.

Each backend runs in its own subprocess, so peak memory (``ru_maxrss``) belongs to one backend
only. For each clip the three workers load their model and transcribe once to warm up; then
their timed runs alternate (int8, float32, openai, int8, ...) so a burst of other work on the
machine slows them all alike. Runs go through the project's adapters (VAD filter, beam size,
forced language as in the application). Wall and CPU seconds are both reported. Nothing here
is part of the test suite.

    .venv/bin/python benchmarks/whisper_speed.py [--runs 5] [--beam 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AUDIO = Path(__file__).resolve().parents[2] / "shared" / "audio"  # ../shared beside the repo
CASES = (  # (model, clip, language)
    ("tiny.en", "en_jfk_openai-whisper.flac", "en"),
    ("base", "fi_librivox_reader5698_fdeloche.wav", "fi"),
    ("base", "nl_librivox_reader6513_fdeloche.wav", "nl"),
)
BACKENDS = ("faster-int8", "faster-float32", "openai")


@dataclass(frozen=True)
class Result:
    """What one worker measured."""

    backend: str
    model: str
    clip: str
    audio_s: float
    load_s: float
    wall_s: tuple[float, ...]
    cpu_s: tuple[float, ...]
    peak_rss_mb: float
    text: str
    threads: int

    @property
    def median_s(self) -> float:
        return statistics.median(self.wall_s)

    @property
    def median_cpu_s(self) -> float:
        return statistics.median(self.cpu_s)

    @property
    def rtf(self) -> float:
        return self.median_s / self.audio_s


def _transcriber(backend: str, model: str, beam: int) -> Any:
    """The project's adapter for a backend label, on a bundled model."""
    from simulator.models import model_dir

    folder = model_dir(model)
    if backend == "openai":
        from simulator.stt.openai_whisper import OpenAIWhisperTranscriber

        return OpenAIWhisperTranscriber(folder, beam_size=beam)
    from simulator.stt.faster import FasterWhisperTranscriber

    compute_type = backend.removeprefix("faster-")
    return FasterWhisperTranscriber(str(folder), compute_type=compute_type, beam_size=beam)


def _threads(backend: str) -> int:
    if backend == "openai":
        import torch

        return int(torch.get_num_threads())
    # faster-whisper's cpu_threads=0 keeps OMP_NUM_THREADS, else CTranslate2 uses 4 threads
    return int(os.environ.get("OMP_NUM_THREADS", "4"))


def worker(backend: str, model: str, clip: str, language: str, beam: int) -> None:
    """Load one backend, then time one transcription per ``run`` line read from stdin.

    Each run answers one JSON line (wall and CPU seconds); ``quit`` answers the summary.
    """
    from simulator.audio import read_audio

    audio = read_audio(AUDIO / clip).resampled(16_000)
    transcriber = _transcriber(backend, model, beam)
    start = time.perf_counter()
    transcriber.load()
    load_s = time.perf_counter() - start
    transcript = transcriber.transcribe(audio, language)  # warm-up (lazy init, caches)
    print(json.dumps({"ready": True}), flush=True)
    wall: list[float] = []
    cpu: list[float] = []
    for line in sys.stdin:
        if line.strip() != "run":
            break
        start, start_cpu = time.perf_counter(), time.process_time()
        transcriber.transcribe(audio, language)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        print(json.dumps({"wall": wall[-1]}), flush=True)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    result = Result(
        backend, model, clip, audio.duration, load_s, tuple(wall), tuple(cpu), peak_kb / 1024,
        transcript.text, _threads(backend),
    )  # fmt: skip
    print(json.dumps(result.__dict__), flush=True)


def _worker_env(threads: int) -> dict[str, str]:
    """The workers' environment: offline, and a thread count both libraries honour if set.

    NUMBA_NUM_THREADS too: openai-whisper's numba DTW (word timings) otherwise resets OpenMP,
    and with it torch, to one thread per core.
    """
    env = os.environ | {"HF_HUB_OFFLINE": "1"}
    if threads > 0:
        env |= {name: str(threads) for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}
        env["NUMBA_NUM_THREADS"] = str(threads)
    return env


class _Worker:
    """A worker subprocess driven line by line, so runs of the backends can alternate."""

    def __init__(
        self, backend: str, model: str, clip: str, language: str, beam: int, threads: int
    ) -> None:
        self.name = f"{backend} {model} {clip}"
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--beam", str(beam), "--worker",
             backend, model, clip, language],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env=_worker_env(threads),
        )  # fmt: skip
        self._read()  # waits until loaded and warmed up

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"worker {self.name} failed (exit code {self.proc.wait()})")
        data: dict[str, Any] = json.loads(line)
        return data

    def _send(self, command: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self._read()

    def run(self) -> None:
        self._send("run")

    def finish(self) -> Result:
        data = self._send("quit")
        self.proc.wait()
        data["wall_s"], data["cpu_s"] = tuple(data["wall_s"]), tuple(data["cpu_s"])
        return Result(**data)


def prepare() -> None:
    """Join the base model and convert the openai-whisper checkpoints before any timing."""
    for model in sorted({case[0] for case in CASES}):
        _transcriber("openai", model, 1).load()


def measure(
    model: str, clip: str, language: str, runs: int, beam: int, threads: int
) -> list[Result]:
    """Start one worker per backend, then alternate their runs so load spikes hit all alike."""
    print(f"  {model} {clip}: loading ...", file=sys.stderr, flush=True)
    workers = [_Worker(backend, model, clip, language, beam, threads) for backend in BACKENDS]
    for i in range(runs):
        print(f"  {model} {clip}: round {i + 1}/{runs}", file=sys.stderr, flush=True)
        for w in workers:
            w.run()
    return [w.finish() for w in workers]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (median)")
    parser.add_argument("--beam", type=int, default=5, help="beam size for every backend")
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="threads per backend via OMP_NUM_THREADS (0: each library's default)",
    )
    parser.add_argument("--worker", nargs=4, metavar=("BACKEND", "MODEL", "CLIP", "LANG"))
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        backend, model, clip, language = args.worker
        worker(backend, model, clip, language, beam=args.beam)
        return 0
    if args.prepare:
        prepare()
        return 0
    subprocess.run([sys.executable, __file__, "--prepare"], check=True)
    load_before = os.getloadavg()[0]
    results: list[Result] = []
    for model, clip, language in CASES:
        results.extend(measure(model, clip, language, args.runs, args.beam, args.threads))
    print_table(results, args.runs, args.beam, (load_before, os.getloadavg()[0]))
    return 0


def print_table(results: list[Result], runs: int, beam: int, load: tuple[float, float]) -> None:
    """Print the medians, real-time factors, speed ratios and peak memory."""
    print(
        f"Whisper speed on {platform.machine()}, {os.cpu_count()} cores, beam {beam}, "
        f"median of {runs} alternating runs after a warm-up (1-min load average "
        f"{load[0]:.1f} before, {load[1]:.1f} after)."
    )
    print(
        "RTF = wall seconds per second of audio; ratio = openai-whisper time / this "
        "backend's time (wall, and CPU time, less sensitive to other processes)."
    )
    head = (
        f"{'model':8} {'clip':36} {'audio s':>7} {'backend':14} {'thr':>3} {'load s':>6} "
        f"{'median s':>8} {'RTF':>6} {'ratio':>5} {'cpu s':>6} {'ratio':>5} {'peak RSS MB':>11}"
        "  text = f32"
    )
    print(head)
    print("-" * len(head))
    for model, clip, _ in CASES:
        rows = {r.backend: r for r in results if r.model == model and r.clip == clip}
        reference = rows["faster-float32"].text
        openai = rows["openai"]
        for backend in BACKENDS:
            r = rows[backend]
            print(
                f"{model:8} {clip:36} {r.audio_s:7.2f} {backend:14} {r.threads:3d} "
                f"{r.load_s:6.2f} {r.median_s:8.3f} {r.rtf:6.3f} "
                f"{openai.median_s / r.median_s:5.2f} {r.median_cpu_s:6.2f} "
                f"{openai.median_cpu_s / r.median_cpu_s:5.2f} {r.peak_rss_mb:11.0f}"
                f"  {'yes' if r.text == reference else 'no'}"
            )


if __name__ == "__main__":
    sys.exit(main())
