"""Judging a microphone recording: silent, clipping, quiet, noisy or fine, on real speech."""

from __future__ import annotations

import numpy as np
import pytest
from support.speech import RATE, espeak, human, join, noise, silence

from simulator.audio import Audio
from simulator.vad import SileroModel, assess_mic


@pytest.fixture(scope="module")
def model() -> SileroModel:
    """One loaded Silero model shared by the tests of this module."""
    return SileroModel()


@pytest.fixture(scope="module")
def voice() -> np.ndarray:
    """Two seconds of speech at a normal level (peak about -6 dBFS) with pauses around it."""
    line = espeak("Testing, one, two, three. Can you hear me clearly now?").samples
    line = line / np.max(np.abs(line)) * 0.5
    return join(silence(0.5), line, silence(0.5))


def check(samples: np.ndarray, model: SileroModel) -> tuple[str, ...]:
    """The warnings assess_mic gives for a 16 kHz clip."""
    return assess_mic(Audio(samples.astype(np.float32), RATE), model=model).warnings


def test_clean_speech_has_no_warning(voice: np.ndarray, model: SileroModel) -> None:
    """Speech at a normal level in a quiet room passes the check."""
    report = assess_mic(Audio(voice, RATE), model=model)
    assert report.usable
    assert report.speech_db is not None and -30 < report.speech_db < -6


def test_human_recording_passes(model: SileroModel) -> None:
    """A real recorded voice (a LibriVox reader) passes the check."""
    assert check(human("fi_librivox_reader5698_fdeloche.wav").samples, model) == ()


def test_silent_microphone_is_reported(model: SileroModel) -> None:
    """A microphone delivering only faint hiss is called silent."""
    (warning,) = check(noise(3.0, 0.0005), model)
    assert "seems silent" in warning


def test_no_speech_is_reported(model: SileroModel) -> None:
    """A working microphone that hears no voice asks the trainee to speak."""
    assert any("No speech heard" in w for w in check(noise(3.0, 0.01), model))


def test_clipping_is_reported(voice: np.ndarray, model: SileroModel) -> None:
    """Speech driven far past full scale is reported as clipping."""
    assert any("clips" in w for w in check(np.clip(voice * 8, -1, 1), model))


def test_quiet_voice_is_reported(voice: np.ndarray, model: SileroModel) -> None:
    """Speech 30 dB down is reported as too quiet."""
    assert any("quiet" in w for w in check(voice * 0.03, model))


def test_noisy_room_is_reported(voice: np.ndarray, model: SileroModel) -> None:
    """Speech over loud steady noise (about 10 dB SNR) is reported as a noisy room."""
    speech_rms = float(np.sqrt(np.mean(np.square(voice[voice != 0]))))
    noisy = voice + noise(len(voice) / RATE, speech_rms / 10 ** (10 / 20), seed=4)
    assert any("Background noise" in w for w in check(noisy, model))
