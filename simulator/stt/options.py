"""How Whisper decodes a clip: one frozen, documented options object, recorded in the session log.

Standard library only, so the command line can read the defaults without loading Whisper.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

BEAM_SIZE = 5  # Whisper's own default; the benchmark reports its speed
MAX_DECODES = 2  # a clip is decoded at most twice: once, and once more if that decode failed
MAX_THREADS = 4  # CTranslate2's own default; more than the machine's cores only adds contention


def quiet_openmp() -> None:
    """Make OpenMP's idle threads sleep instead of spinning (unless the user chose otherwise).

    CTranslate2 (and torch) run on libgomp, whose idle threads spin for a while before they
    sleep. Beside the recorder's thread on a 2-core machine that was busy with other work, the
    spinning took the cores from the thread doing the work: transcribing a 7 s reply took 20 s
    and 5 CPU-seconds, against 2.7 s and 0.8 CPU-seconds with sleeping threads (measured from
    outside with benchmarks/live_e2e.py). libgomp reads this once, when it is loaded, so it is
    set before any Whisper package is imported.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def default_threads() -> int:
    """Threads for the Whisper encoder and decoder: the cores this process may use, at most 4.

    CTranslate2 starts 4 threads when asked for none; on a 2-core machine they fight each other
    and the end-pointer's thread for the two cores.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_THREADS, cores))


@dataclass(frozen=True)
class DecodeOptions:
    """Whisper decoding options used for every clip (faster-whisper names; seconds and tokens).

    The first decode uses beam search at temperature 0. Whisper's fallback decodes the clip
    again, sampling at the next temperature, when the text is a repetition loop (its gzip
    compression ratio is above ``compression_ratio_threshold``) or the decoder was unsure
    (average log-probability below ``log_prob_threshold``), unless the clip is judged silent
    (no-speech probability above ``no_speech_threshold``). Whisper's own schedule has six
    temperatures, so garbled audio was decoded up to six times; here ``temperatures`` holds at
    most ``MAX_DECODES``, and a transcript that is still unsure after the second decode is kept
    and reported as unsure, not decoded again.
    """

    beam_size: int = BEAM_SIZE
    temperatures: tuple[float, ...] = (0.0, 0.6)
    best_of: int = 2  # hypotheses sampled by the fallback decode (Whisper's default is 5)
    compression_ratio_threshold: float | None = 2.4
    log_prob_threshold: float | None = -1.0
    no_speech_threshold: float | None = 0.6
    # A cap on decoded tokens stops a hallucination loop on a short clip. It is set well above
    # real speech (Finnish needs about 8 tokens a second): a cap near the real need changed the
    # last word of the Finnish test clip, so it must never bind on ordinary replies.
    tokens_per_second: int = 16
    min_tokens: int = 32
    max_tokens: int = 440  # Whisper's own limit is 448 tokens per 30-second window
    cpu_threads: int = 0  # 0: default_threads()

    def __post_init__(self) -> None:
        """Refuse a schedule that could decode a clip more than MAX_DECODES times."""
        if not 1 <= len(self.temperatures) <= MAX_DECODES:
            raise ValueError(f"give 1 to {MAX_DECODES} temperatures, not {self.temperatures}")
        if not 1 <= self.beam_size <= 10:
            raise ValueError(f"beam size must be 1-10, not {self.beam_size}")

    def max_new_tokens(self, duration: float) -> int:
        """Tokens a 30-second window may decode for a clip of ``duration`` seconds."""
        return min(self.max_tokens, self.min_tokens + int(self.tokens_per_second * duration))

    @property
    def threads(self) -> int:
        """The CPU threads Whisper runs on."""
        return self.cpu_threads or default_threads()

    def to_dict(self) -> dict[str, object]:
        """The options as JSON-ready values, with the thread count actually used."""
        out = asdict(self)
        out["temperatures"] = list(self.temperatures)
        out["cpu_threads"] = self.threads
        return out
