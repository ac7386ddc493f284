"""Push-to-talk on the virtual devices: a reply lasts from one press of Enter to the next."""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import TextIO

import pytest
from support.pulse import PulseHarness
from support.speech import espeak, join, silence, trimmed

from simulator.audio import WHISPER_RATE, Audio, Transcriber
from simulator.devices import LiveAudio, NoSpeechError
from simulator.errors import AudioError
from simulator.types import EmotionalState
from simulator.vad import SileroModel

pytestmark = pytest.mark.audio

STATE = EmotionalState("sad", 0.5)


@pytest.fixture(scope="module")
def model() -> SileroModel:
    """One Silero model for every LiveAudio of this module."""
    return SileroModel()


@pytest.fixture
def keyboard() -> Iterator[tuple[TextIO, TextIO]]:
    """A pipe as terminal: LiveAudio reads Enter from one end, the test types into the other."""
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd, "r") as keys, os.fdopen(write_fd, "w") as typing:
        yield keys, typing


def press(typing: TextIO) -> None:
    """Press Enter."""
    typing.write("\n")
    typing.flush()


def in_background(action: Callable[[], None]) -> threading.Thread:
    """Run ``action`` on a thread (the trainee's hands) while the test waits in record_reply."""
    thread = threading.Thread(target=action, daemon=True)
    thread.start()
    return thread


def test_push_to_talk_keeps_a_long_pause_and_measures_latency(
    pulse: PulseHarness,
    model: SileroModel,
    keyboard: tuple[TextIO, TextIO],
    transcriber: Transcriber,
) -> None:
    """A two-second pause between presses does not end the reply; both halves are transcribed."""
    keys, typing = keyboard
    client = espeak("Nobody listens to me anymore.")
    halves = [trimmed(espeak(text).samples) for text in ("I hear you.", "Tell me more about it.")]
    reply = Audio(
        join(silence(0.2), halves[0], silence(2.0), halves[1], silence(0.2)), WHISPER_RATE
    )

    def trainee() -> None:
        time.sleep(client.duration + 0.5)
        press(typing)
        pulse.play_into_mic(reply).wait(timeout=15)
        time.sleep(0.3)
        press(typing)

    with LiveAudio(push_to_talk=True, keys=keys, prompt=io.StringIO(), model=model) as live:
        live.play(client)
        hands = in_background(trainee)
        recorded = live.record_reply(STATE)
        hands.join(timeout=15)
    assert recorded.audio.duration > reply.duration - 0.6
    assert recorded.response_latency_s is not None and recorded.response_latency_s > 0.5
    text = transcriber.transcribe(recorded.audio, "en").text.lower()
    assert "hear you" in text
    assert "tell me more" in text


def test_push_to_talk_with_nothing_said_is_no_speech(
    pulse: PulseHarness, model: SileroModel, keyboard: tuple[TextIO, TextIO]
) -> None:
    """Pressing Enter twice around silence gives the no-speech result."""
    keys, typing = keyboard
    press(typing)

    def trainee() -> None:
        time.sleep(1.0)
        press(typing)

    hands = in_background(trainee)
    with (
        LiveAudio(push_to_talk=True, keys=keys, prompt=io.StringIO(), model=model) as live,
        pytest.raises(NoSpeechError),
    ):
        live.record_reply(STATE)
    hands.join(timeout=5)


def test_push_to_talk_without_a_keyboard_says_so(pulse: PulseHarness, model: SileroModel) -> None:
    """With no keyboard input (closed stdin), push-to-talk fails with one clear line."""
    with (
        LiveAudio(
            push_to_talk=True, keys=io.StringIO(""), prompt=io.StringIO(), model=model
        ) as live,
        pytest.raises(AudioError, match="no keyboard input"),
    ):
        live.record_reply(STATE)
