"""Loudspeaker echo: the virtual microphone hears the virtual speaker, as on a laptop."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from support.pulse import PulseHarness
from support.speech import espeak, join, silence, trimmed

from simulator.audio import WHISPER_RATE, Audio
from simulator.devices import LiveAudio, NoSpeechError
from simulator.types import EmotionalState
from simulator.vad import SileroModel, VadOptions

pytestmark = pytest.mark.audio

STATE = EmotionalState("anxious", 0.6)
OPTIONS = VadOptions(no_speech_timeout_s=2.0)
ECHO_VOLUME = 40  # percent: the echo arrives about 24 dB below the played line


@pytest.fixture(scope="module")
def model() -> SileroModel:
    """One Silero model for every LiveAudio of this module."""
    return SileroModel()


@pytest.fixture(scope="module")
def client_line() -> Audio:
    """A client line long enough to talk over."""
    return espeak("I called three times and nobody called me back. Can you believe that?")


@pytest.fixture(scope="module")
def reply() -> Audio:
    """The trainee's reply at 16 kHz with a little silence around it."""
    words = trimmed(espeak("Wait, let me stop you there.").samples)
    return Audio(join(silence(0.2), words, silence(0.2)), WHISPER_RATE)


@pytest.fixture
def echo(pulse: PulseHarness) -> Iterator[None]:
    """The microphone hears the speaker at ECHO_VOLUME, 80 ms late, for one test."""
    module = pulse.add_echo(ECHO_VOLUME)
    yield
    pulse.remove_echo(module)


def test_without_the_guard_the_echo_is_taken_for_the_trainee(
    pulse: PulseHarness, echo: None, model: SileroModel, client_line: Audio
) -> None:
    """Control: with the echo guard off, the client's own voice is recorded as talking over."""
    with LiveAudio(vad_options=OPTIONS, echo_guard=False, model=model) as live:
        live.play(client_line)
        recorded = live.record_reply(STATE)
    assert recorded.talked_over


def test_echo_alone_is_not_a_reply(
    pulse: PulseHarness, echo: None, model: SileroModel, client_line: Audio
) -> None:
    """With the guard, hearing only the client's echo gives the no-speech result."""
    with LiveAudio(vad_options=OPTIONS, model=model) as live:
        live.play(client_line)
        with pytest.raises(NoSpeechError):
            live.record_reply(STATE)


def test_talking_over_is_still_heard_above_the_echo(
    pulse: PulseHarness, echo: None, model: SileroModel, client_line: Audio, reply: Audio
) -> None:
    """A trainee louder than the echo who starts while the client speaks is talking over it."""
    with LiveAudio(vad_options=OPTIONS, model=model) as live:
        live.play(client_line)
        time.sleep(1.5)
        player = pulse.play_into_mic(reply)
        recorded = live.record_reply(STATE)
        player.wait(timeout=10)
    assert recorded.talked_over and recorded.client_stopped
    assert recorded.response_latency_s is not None
    assert recorded.response_latency_s < -0.5  # the client stops only after a backchannel's length


def test_reply_after_the_client_is_recorded_despite_the_echo(
    pulse: PulseHarness, echo: None, model: SileroModel, client_line: Audio, reply: Audio
) -> None:
    """A reply after the client finishes is recorded with a positive latency, echo or not."""
    with LiveAudio(vad_options=OPTIONS, model=model) as live:
        live.play(client_line)
        time.sleep(client_line.duration + 0.4)
        player = pulse.play_into_mic(reply)
        recorded = live.record_reply(STATE)
        player.wait(timeout=10)
    assert not recorded.talked_over
    assert recorded.response_latency_s is not None
    assert 0.3 < recorded.response_latency_s < 1.5
