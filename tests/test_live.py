"""LiveAudio on virtual PulseAudio devices: real sounddevice streams, real Silero, real Whisper."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from support.pulse import PulseHarness
from support.speech import (
    LOUD,
    espeak,
    first_loud_s,
    join,
    last_loud_s,
    silence,
    trimmed,
    window_matches,
)

from simulator.audio import WHISPER_RATE, Audio, RecordedReply, Transcriber
from simulator.devices import LiveAudio, NoSpeechError
from simulator.types import EmotionalState
from simulator.vad import SileroModel, VadOptions

pytestmark = pytest.mark.audio

STATE = EmotionalState("angry", 0.7)
LEAD_S = 0.2  # silence before the first word of each reply clip
ENDPOINT_SLACK_S = 0.5  # the turn must end within end_silence_s plus this after the last word
LATENCY_TOLERANCE_S = 0.1  # measured response latency vs. the one read off the captures


@pytest.fixture(scope="module")
def model() -> SileroModel:
    """One Silero model for every LiveAudio of this module."""
    return SileroModel()


@pytest.fixture
def live(pulse: PulseHarness, model: SileroModel) -> Iterator[LiveAudio]:
    """LiveAudio on the default (virtual) microphone and speaker, closed after the test."""
    with LiveAudio(vad_options=VadOptions(no_speech_timeout_s=3.0), model=model) as audio:
        yield audio


@pytest.fixture(scope="module")
def client_line() -> Audio:
    """The client's line as espeak-ng says it (22.05 kHz, so playback must resample)."""
    return espeak("I called three times and nobody called me back.")


def reply_clip(*parts: str, pause_s: float = 0.0) -> Audio:
    """A spoken reply at 16 kHz: the parts with ``pause_s`` of silence between, LEAD_S around."""
    spoken = [trimmed(espeak(part).samples) for part in parts]
    pieces = [silence(LEAD_S)]
    for index, words in enumerate(spoken):
        pieces += [silence(pause_s)] if index else []
        pieces.append(words)
    return Audio(join(*pieces, silence(LEAD_S)), WHISPER_RATE)


def wait_for_speaker_end(pulse: PulseHarness, mark: int, line: Audio) -> None:
    """Return once the virtual speaker has played the whole line and then 0.1 s of quiet."""
    words_s = last_loud_s(line.samples) - first_loud_s(line.samples)
    deadline = time.monotonic() + line.duration + 5.0
    while time.monotonic() < deadline:
        heard = pulse.speaker_since(mark)
        loud = np.nonzero(np.abs(heard) > 0.02)[0]
        played_s = (len(heard) - loud[0]) / WHISPER_RATE if len(loud) else 0.0
        if played_s > words_s + 0.1 and np.abs(heard[-1600:]).max() < 0.01:
            return
        time.sleep(0.01)
    raise AssertionError("the client's line never finished on the virtual speaker")


def test_client_line_reaches_the_speaker(
    pulse: PulseHarness, live: LiveAudio, client_line: Audio
) -> None:
    """Every quarter-second of the client's line arrives on the speaker, in order and unaltered."""
    mark = pulse.speaker_mark()
    live.play(client_line)
    live.wait_played()
    wait_for_speaker_end(pulse, mark, client_line)
    captured = pulse.speaker_since(max(0, mark - WHISPER_RATE // 2))  # the sink renders ahead
    reference = client_line.resampled(WHISPER_RATE).samples
    matches = window_matches(reference, captured)
    assert len(matches) >= 6
    scores = [score for score, _ in matches]
    assert min(scores) > 0.8
    assert np.median(scores) > 0.95
    lags = [lag for _, lag in matches]
    assert max(lags) - min(lags) <= 0.01 * WHISPER_RATE  # no gap or repeat inside the line


@dataclass(frozen=True)
class Observed:
    """A recorded reply and the truth about it read off the virtual devices' own captures."""

    recorded: RecordedReply
    true_latency_s: float | None  # reply's first word on the mic minus client's last word played
    end_delay_s: float  # how long after the reply's last word reached the mic record_reply returned


def converse(
    pulse: PulseHarness, live: LiveAudio, reply: Audio, client: Audio | None, reply_at_s: float
) -> Observed:
    """Play the client's line (if any), start the reply ``reply_at_s`` later, record it."""
    marks = pulse.marks()
    if client is not None:
        live.play(client)
    time.sleep(reply_at_s)
    player = pulse.play_into_mic(reply)
    recorded = live.record_reply(STATE)
    returned_at = pulse.marks()["mic"]
    player.wait(timeout=10)
    heard = np.nonzero(np.abs(pulse.since("mic", marks["mic"])) > LOUD)[0]
    end_delay_s = (returned_at - marks["mic"] - heard[-1] - 1) / WHISPER_RATE
    true_latency_s = None
    if client is not None:
        played = pulse.since("speaker", marks["speaker"])
        true_latency_s = heard[0] / WHISPER_RATE - last_loud_s(played)
    return Observed(recorded, true_latency_s, end_delay_s)


def test_reply_is_recorded_end_pointed_and_transcribed(
    pulse: PulseHarness, live: LiveAudio, client_line: Audio, transcriber: Transcriber
) -> None:
    """A reply after a pause is recorded, ends soon after its last word, and Whisper reads it."""
    reply = reply_clip("I am sorry, that sounds really frustrating.")
    seen = converse(pulse, live, reply, client_line, client_line.duration + 0.5)
    assert seen.end_delay_s <= live.vad_options.end_silence_s + ENDPOINT_SLACK_S
    assert not seen.recorded.talked_over
    assert seen.recorded.response_latency_s is not None and seen.true_latency_s is not None
    assert seen.true_latency_s > 0.3
    assert seen.recorded.response_latency_s == pytest.approx(
        seen.true_latency_s, abs=LATENCY_TOLERANCE_S
    )
    text = transcriber.transcribe(seen.recorded.audio, "en").text.lower()
    assert "sorry" in text
    assert "frustrat" in text


def test_thinking_pause_does_not_end_the_turn(
    pulse: PulseHarness, live: LiveAudio, transcriber: Transcriber
) -> None:
    """A one-second pause mid-sentence is kept inside the recorded reply, both halves heard."""
    reply = reply_clip(
        "I wonder whether, maybe,", "we could call the office together.", pause_s=1.0
    )
    seen = converse(pulse, live, reply, None, 0.0)
    assert seen.recorded.response_latency_s is None  # no client line was played before it
    assert seen.recorded.audio.duration >= reply.duration - 2 * LEAD_S - 0.1
    assert seen.end_delay_s <= live.vad_options.end_silence_s + ENDPOINT_SLACK_S
    text = transcriber.transcribe(seen.recorded.audio, "en").text.lower()
    assert "wonder" in text
    assert "office" in text


def test_reply_over_the_client_is_flagged_as_talking_over(
    pulse: PulseHarness, live: LiveAudio, client_line: Audio
) -> None:
    """A reply that starts about a second before the client finishes is marked as talking over."""
    reply = reply_clip("Wait, wait, let me stop you there.")
    seen = converse(pulse, live, reply, client_line, client_line.duration - 1.2)
    assert seen.recorded.talked_over
    assert seen.true_latency_s is not None and seen.true_latency_s < -0.3
    assert seen.recorded.response_latency_s == pytest.approx(
        seen.true_latency_s, abs=LATENCY_TOLERANCE_S
    )


def test_silence_gives_no_speech(pulse: PulseHarness, live: LiveAudio, client_line: Audio) -> None:
    """When nobody answers, record_reply raises NoSpeechError about when the timeout runs out."""
    live.play(client_line)
    started = time.monotonic()
    with pytest.raises(NoSpeechError, match="hear anything"):
        live.record_reply(STATE)
    waited = time.monotonic() - started
    limit = client_line.duration + live.vad_options.no_speech_timeout_s + ENDPOINT_SLACK_S
    assert live.vad_options.no_speech_timeout_s <= waited <= limit
