"""The echo gate on real speech arrays: the client's echo is held back, the trainee passes."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from support.speech import RATE, espeak, join, silence, trimmed

from simulator.audio import Samples
from simulator.devices.echo import EchoGate

BLOCK = 512  # samples per microphone block, as the recorder delivers them
DELAY_S = 0.12  # how late the echo reaches the microphone


@pytest.fixture(scope="module")
def client() -> Samples:
    """The played line at 16 kHz."""
    return espeak("I called three times and nobody called me back. Can you believe it?").samples


@pytest.fixture(scope="module")
def trainee() -> Samples:
    """The trainee's words at 16 kHz, at full level."""
    words = trimmed(espeak("Hold on, let me stop you there.").samples)
    scaled: Samples = (words * (0.8 / float(np.max(np.abs(words))))).astype(np.float32)
    return scaled


def blocks_passed(gate: EchoGate, mic: Samples) -> npt.NDArray[np.bool_]:
    """For each block of the microphone signal (from time 0), whether the gate lets it pass."""
    return np.array(
        [gate.passes(mic[i : i + BLOCK], i / RATE) for i in range(0, len(mic) - BLOCK + 1, BLOCK)]
    )


def echo_of(client: Samples, gain: float, total: int) -> Samples:
    """The client's line as the microphone hears it: delayed, quieter, padded to ``total``."""
    delayed = join(silence(DELAY_S), (client * gain).astype(np.float32))
    return np.pad(delayed, (0, max(0, total - len(delayed))))[:total]


def test_echo_alone_never_passes(client: Samples) -> None:
    """A delayed copy of the played line 10 dB down is held back in every block that holds it."""
    total = len(client) + RATE
    mic = echo_of(client, 0.3, total)
    passed = blocks_passed(EchoGate(client, 0.0), mic)
    audible = np.array(
        [np.abs(mic[i * BLOCK : (i + 1) * BLOCK]).max() > 0.01 for i in range(len(passed))]
    )
    assert audible.sum() > 50
    assert not (passed & audible).any()


def test_trainee_over_the_echo_passes(client: Samples, trainee: Samples) -> None:
    """The trainee's voice, louder than a 24 dB-down echo, passes while the client speaks."""
    start = RATE  # the trainee starts one second into the client's line
    total = len(client) + RATE
    mic = echo_of(client, 0.06, total)
    mic[start : start + len(trainee)] += trainee
    passed = blocks_passed(EchoGate(client, 0.0), mic)
    speaking = slice(start // BLOCK + 1, (start + len(trainee)) // BLOCK - 1)
    assert passed[speaking].mean() > 0.6
    assert not passed[: start // BLOCK].any()


def test_silence_after_the_echo_window_is_not_gated(client: Samples) -> None:
    """Once the line and its echo window are over, blocks pass untouched (nothing to hold back)."""
    gate = EchoGate(client, 0.0)
    later = gate.until + 0.1
    assert gate.passes(silence(BLOCK / RATE) + 0.01, later)
