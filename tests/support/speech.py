"""Real speech for tests at 16 kHz: espeak-ng sentences and the human clips in ../shared."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

from simulator.audio import Audio, Samples, read_audio
from support.shared import shared_file

RATE = 16_000  # Hz, the end-pointer's rate
LOUD = 0.02  # a sample above this magnitude is part of a word, not the silence around it


def espeak(text: str, voice: str = "en") -> Audio:
    """Speak ``text`` with the espeak-ng command line at 16 kHz, skipping if it is not installed."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        pytest.skip("espeak-ng is not installed")
    with tempfile.TemporaryDirectory(prefix="rp-speech-") as tmp:
        path = Path(tmp) / "line.wav"
        subprocess.run([exe, "-v", voice, "-w", str(path), text], check=True, timeout=30)
        return read_audio(path).resampled(RATE)


def human(name: str) -> Audio:
    """A recorded human clip at 16 kHz, skipping if the shared clips are not on this machine."""
    return read_audio(shared_file("audio", name)).resampled(RATE)


def trimmed(samples: Samples) -> Samples:
    """The samples from the first to the last loud sample (no leading or trailing silence)."""
    loud = np.nonzero(np.abs(samples) > LOUD)[0]
    return samples[loud[0] : loud[-1] + 1]


def silence(seconds: float) -> Samples:
    """Digital silence of the given length at 16 kHz."""
    return np.zeros(round(seconds * RATE), dtype=np.float32)


def noise(seconds: float, rms: float, seed: int = 0) -> Samples:
    """White noise of the given length and RMS level at 16 kHz."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(round(seconds * RATE)) * rms).astype(np.float32)


def join(*parts: Samples) -> Samples:
    """Concatenate clips into one float32 array."""
    return np.concatenate(parts).astype(np.float32)


def last_loud_s(samples: Samples) -> float:
    """Time in seconds just after the last loud sample: where the last word ends."""
    return float((np.nonzero(np.abs(samples) > LOUD)[0][-1] + 1) / RATE)


def first_loud_s(samples: Samples) -> float:
    """Time in seconds of the first loud sample: where the first word begins."""
    return float(np.nonzero(np.abs(samples) > LOUD)[0][0] / RATE)


def window_matches(
    reference: Samples, captured: Samples, window_s: float = 0.25
) -> list[tuple[float, int]]:
    """Best normalised correlation and lag of each window of ``reference`` inside ``captured``."""
    size = round(window_s * RATE)
    n = 1 << int(np.ceil(np.log2(len(captured) + size)))
    spectrum = np.fft.rfft(captured, n)
    energy = np.concatenate([[0.0], np.cumsum(np.square(captured, dtype=np.float64))])
    local = np.sqrt(np.maximum(energy[size:] - energy[:-size], 1e-12))
    found = []
    for start in range(0, len(reference) - size + 1, size):
        window = reference[start : start + size]
        if np.sqrt(np.sum(np.square(window))) < 0.5:  # a pause: nothing to recognise
            continue
        corr = np.fft.irfft(spectrum * np.conj(np.fft.rfft(window, n)), n)[: len(local)]
        score = corr / (local * np.linalg.norm(window))
        lag = int(np.argmax(score))
        found.append((float(score[lag]), lag - start))
    return found
