"""A live microphone level meter, for `roleplay mic-check`."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from simulator.audio import WHISPER_RATE, Audio, Samples
from simulator.devices._portaudio import (
    STALL_S,
    Device,
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
            try:
                block, _ = recorder.blocks.get(timeout=STALL_S)
            except queue.Empty:
                raise AudioError(f"the microphone {recorder.port.name} sends no sound") from None
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
