"""Where an exchange's time goes: a per-phase record for the session log and ``--profile``.

Times are seconds. The trainee's wait runs from the end of their turn (the end-pointer is sure
they stopped, after ``VadOptions.end_silence_s``, 1.2 s, of silence) to the scores being ready;
everything in ``WAIT_PHASES`` happens inside it. Each stretch of the reply is listed with how long
it took, how much of that fell after the turn ended and how often Whisper decoded it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from simulator.stretches import StretchTiming
from simulator.types import Transcript

WAIT_PHASES = ("transcribe", "save_reply", "score", "feedback", "respond")


class PhaseClock:
    """Measures consecutive phases: ``lap(name)`` ends the current phase and starts the next."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self._last = self.start
        self._cpu = time.process_time()
        self.phases: dict[str, float] = {}

    def lap(self, name: str) -> float:
        """Seconds since the last lap (or the start), kept under ``name``; returns the time now."""
        now = time.monotonic()
        self.phases[name] = self.phases.get(name, 0.0) + now - self._last
        self._last = now
        return now

    def cpu_s(self) -> float:
        """CPU seconds of the whole process (every thread) since the clock started."""
        return time.process_time() - self._cpu


def tail_s(transcript: Transcript) -> float | None:
    """Reply audio kept after the last recognised word (the recorder's margin after speech)."""
    if not transcript.words:
        return None
    return max(0.0, transcript.duration - transcript.words[-1].end)


def exchange_timings(
    synthesize_s: float,
    wait: PhaseClock,
    stretches: Sequence[StretchTiming],
    transcript: Transcript,
) -> dict[str, float]:
    """The flat timing record of one exchange (``timings`` in the session log)."""
    out: dict[str, float] = {"synthesize_s": synthesize_s}
    after_word = tail_s(transcript)
    if after_word is not None:
        out["tail_s"] = after_word
    for name, seconds in wait.phases.items():
        out[f"{name}_s"] = seconds
    out["wait_s"] = sum(wait.phases.values())
    out["wait_cpu_s"] = wait.cpu_s()
    out["stretches"] = float(len(stretches))
    out["decode_passes_max"] = float(max((s.decode_passes for s in stretches), default=0))
    for i, s in enumerate(sorted(stretches, key=lambda s: s.offset_s), 1):
        out[f"stretch{i}_audio_s"] = s.audio_s
        out[f"stretch{i}_queued_s"] = s.started - s.submitted
        out[f"stretch{i}_transcribe_s"] = s.finished - s.started
        out[f"stretch{i}_after_turn_s"] = max(0.0, s.finished - max(s.started, wait.start))
        out[f"stretch{i}_decodes"] = float(s.decode_passes)
    return {k: round(v, 4) for k, v in out.items()}


def profile_lines(timings: Mapping[str, float]) -> list[str]:
    """``--profile`` output for one exchange: the wait phase by phase, then each stretch."""
    wait = ", ".join(
        f"{name} {timings[f'{name}_s']:.2f}" for name in WAIT_PHASES if f"{name}_s" in timings
    )
    lines = [
        f"wait {timings.get('wait_s', 0.0):.2f} s ({timings.get('wait_cpu_s', 0.0):.2f} CPU-s): "
        f"{wait}",
    ]
    if "tail_s" in timings:
        lines[0] += f"; reply audio after the last word {timings['tail_s']:.2f} s"
    for i in range(1, int(timings.get("stretches", 0)) + 1):
        lines.append(
            f"stretch {i}: {timings[f'stretch{i}_audio_s']:.1f} s of speech, transcribed in "
            f"{timings[f'stretch{i}_transcribe_s']:.2f} s ("
            f"{int(timings[f'stretch{i}_decodes'])} decode(s), waited "
            f"{timings[f'stretch{i}_queued_s']:.2f} s), {timings[f'stretch{i}_after_turn_s']:.2f}"
            " s of it after the turn ended"
        )
    lines.append(f"synthesis of the client's line {timings.get('synthesize_s', 0.0):.2f} s")
    return lines
