"""For `roleplay mic-check`: a live microphone level meter, and a test for speaker echo."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from simulator.audio import WHISPER_RATE, Audio, Samples
from simulator.devices._portaudio import (
    Device,
    Playback,
    Recorder,
    load_sounddevice,
    resampler,
    resolve,
)
from simulator.errors import AudioError
from simulator.vad import to_db


@dataclass(frozen=True)
class Level:
    """One slice of a microphone level meter: RMS and peak in dBFS over ``seconds``."""

    rms_db: float
    peak_db: float
    seconds: float


def iter_levels(
    input_device: Device = None, seconds: float = 5.0, every_s: float = 0.1
) -> Iterator[tuple[Level, Samples]]:
    """Open the microphone now (one-line AudioError if there is none), then yield its level.

    Each item covers ``every_s`` and comes with the 16 kHz samples heard; iterate to the end
    (or close the iterator) so the microphone is closed again.
    """
    sd = load_sounddevice()
    return _levels(Recorder(sd, resolve(sd, input_device, "input")), seconds, every_s)


def _levels(recorder: Recorder, seconds: float, every_s: float) -> Iterator[tuple[Level, Samples]]:
    """Read the open recorder for ``seconds``, yielding a level every ``every_s``."""
    resample = resampler(recorder.port.rate)
    pending: list[Samples] = []
    heard = 0.0
    try:
        while heard < seconds:
            block, _ = recorder.next_block()
            pending.append(resample(block))
            span = sum(len(p) for p in pending) / WHISPER_RATE
            if span >= every_s:
                chunk = np.concatenate(pending)
                pending = []
                heard += span
                audio = Audio(chunk, WHISPER_RATE)
                peak = float(np.max(np.abs(chunk))) if len(chunk) else 0.0
                yield Level(to_db(audio.rms()), to_db(peak), span), chunk
    finally:
        recorder.close()


SWEEP_S = 1.0  # seconds of the test sweep played through the speaker
SWEEP_HZ = (200.0, 4000.0)  # its start and end frequency
SWEEP_PEAK = 0.25  # its amplitude (-12 dBFS): audible, never loud
ECHO_SEARCH_S = 0.8  # the sweep may come back this late (device latency, Bluetooth, room)
HEARS_SPEAKER = 0.3  # normalised correlation above which the microphone hears the speaker


@dataclass(frozen=True)
class SpeakerEcho:
    """How strongly the microphone hears the speaker: correlation, level and delay of the echo."""

    correlation: float  # 0-1, the best normalised correlation of the recording with the sweep
    level_db: float  # the echo's level relative to the sweep as played
    delay_s: float  # how late it arrived, beyond what the devices report

    @property
    def audible(self) -> bool:
        """True if the microphone clearly picks up what the speaker plays."""
        return self.correlation >= HEARS_SPEAKER


def sweep() -> Audio:
    """A one-second logarithmic sweep at 16 kHz with soft edges, easy to find in a recording."""
    t = np.arange(round(SWEEP_S * WHISPER_RATE)) / WHISPER_RATE
    low, high = SWEEP_HZ
    rate = np.log(high / low) / SWEEP_S
    tone = np.sin(2 * np.pi * low * (np.exp(rate * t) - 1) / rate)
    edge = np.minimum(1.0, np.minimum(t, SWEEP_S - t) / 0.05)
    return Audio((SWEEP_PEAK * tone * edge).astype(np.float32), WHISPER_RATE)


def probe_speaker_echo(input_device: Device = None, output_device: Device = None) -> SpeakerEcho:
    """Play the sweep through the speaker while recording, and measure how much comes back."""
    sd = load_sounddevice()
    probe = sweep()
    recorder = Recorder(sd, resolve(sd, input_device, "input"))
    try:
        playback = Playback(sd, resolve(sd, output_device, "output"), probe)
        try:
            playback.wait()
            time.sleep(ECHO_SEARCH_S + 0.1)
        finally:
            playback.close()
    finally:
        recorder.close()
    resample = resampler(recorder.port.rate)
    blocks: list[Samples] = []
    origin: float | None = None
    while not recorder.blocks.empty():
        block, at = recorder.blocks.get()
        origin = at if origin is None else origin
        blocks.append(resample(block))
    if origin is None or playback.sounds_at is None or not blocks:
        raise AudioError(f"the microphone {recorder.port.name} sends no sound")
    return _find_echo(np.concatenate(blocks), probe.samples, playback.sounds_at - origin)


def _find_echo(heard: Samples, probe: Samples, expected_s: float) -> SpeakerEcho:
    """Search ``heard`` for ``probe`` from ``expected_s`` seconds on, by normalised correlation."""
    size = len(probe)
    first = max(0, round((expected_s - 0.1) * WHISPER_RATE))
    span = heard[first : first + round(ECHO_SEARCH_S * WHISPER_RATE) + size]
    if len(span) < size:
        return SpeakerEcho(0.0, to_db(0.0), 0.0)
    n = 1 << int(np.ceil(np.log2(len(span) + size)))
    corr = np.fft.irfft(np.fft.rfft(span, n) * np.conj(np.fft.rfft(probe, n)), n)
    energy = np.concatenate([[0.0], np.cumsum(np.square(span, dtype=np.float64))])
    local = np.sqrt(np.maximum(energy[size:] - energy[:-size], 1e-12))
    score = corr[: len(local)] / (local * np.linalg.norm(probe))
    lag = int(np.argmax(score))
    gain = float(corr[lag] / np.sum(np.square(probe, dtype=np.float64)))
    delay = (first + lag) / WHISPER_RATE - expected_s
    return SpeakerEcho(float(score[lag]), to_db(abs(gain)), delay)
