"""Turn-taking on virtual PulseAudio devices: stretches handed over mid-reply, a yielding client."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest
from support.pulse import PulseHarness
from support.speech import LOUD, espeak, join, last_loud_s, silence, trimmed, window_matches
from test_live import STATE, reply_clip

from simulator.audio import WHISPER_RATE, Audio, Transcriber
from simulator.devices import LiveAudio
from simulator.stretches import StretchTranscriber
from simulator.vad import SileroModel, VadOptions

pytestmark = pytest.mark.audio

CLIENT = (
    "I called three times this week and nobody called me back, "
    "and now this letter says I missed my appointment."
)

SOUNDED = 0.95  # a quarter-second window of a clip that really played correlates above this


@pytest.fixture
def live(pulse: PulseHarness) -> Iterator[LiveAudio]:
    """LiveAudio on the default (virtual) microphone and speaker, closed after the test."""
    with LiveAudio(vad_options=VadOptions(no_speech_timeout_s=4.0), model=SileroModel()) as audio:
        yield audio


def test_stretches_reach_the_transcriber_while_the_trainee_talks(
    pulse: PulseHarness, live: LiveAudio, transcriber: Transcriber
) -> None:
    """The first half of a reply is handed over at its pause, seconds before the reply ends."""
    second_half = "we could call the office together and write down what they tell us."
    reply = reply_clip("I wonder whether, maybe,", second_half, pause_s=1.0)
    second_half_s = len(trimmed(espeak(second_half).samples)) / WHISPER_RATE
    arrivals: list[float] = []
    stretches = StretchTranscriber(transcriber, "en")

    def take(audio: Audio, offset_s: float) -> None:
        arrivals.append(time.monotonic())
        stretches.submit(audio, offset_s)

    player = pulse.play_into_mic(reply)
    recorded = live.record_reply(STATE, take)
    returned = time.monotonic()
    player.wait(timeout=10)
    assert len(arrivals) >= 2
    assert returned - arrivals[0] > second_half_s  # handed over before the second half was said
    text = stretches.result(recorded.audio).text.lower()
    assert "wonder" in text and "office" in text and "tell us" in text


def test_talked_over_client_stops_then_yields_when_the_trainee_pauses(
    pulse: PulseHarness, live: LiveAudio, transcriber: Transcriber
) -> None:
    """Talking over the client fades it out; at the trainee's pause it says its yield line."""
    client = espeak(CLIENT)
    yield_line = espeak("Sorry — go on.")
    interruption = trimmed(espeak("Wait, wait, sorry, can I just").samples)
    rest = trimmed(espeak("Can I ask you one thing first?").samples)
    reply = Audio(join(silence(0.2), interruption, silence(2.0), rest, silence(0.2)), WHISPER_RATE)
    mark = pulse.speaker_mark()
    live.play(client, yield_line)
    time.sleep(1.0)
    player = pulse.play_into_mic(reply)
    recorded = live.record_reply(STATE)
    player.wait(timeout=10)
    time.sleep(0.3)
    played = pulse.speaker_since(max(0, mark - WHISPER_RATE // 2))
    client_ref = client.resampled(WHISPER_RATE).samples
    heard = [score > SOUNDED for score, _ in window_matches(client_ref, played)]
    assert 0 < sum(heard) < len(heard) / 2  # its start sounded; it stopped well before its end
    tail = client_ref[-WHISPER_RATE:]
    assert all(score < SOUNDED for score, _ in window_matches(tail, played))
    yielded = window_matches(yield_line.resampled(WHISPER_RATE).samples, played)
    assert len(yielded) >= 2 and np.median([score for score, _ in yielded]) > SOUNDED
    assert recorded.client_stopped and recorded.talked_over
    text = transcriber.transcribe(recorded.audio, "en").text.lower()
    assert "first" in text  # the pause and the yield line did not end the turn


def test_a_backchannel_neither_stops_the_client_nor_ends_the_turn(
    pulse: PulseHarness, live: LiveAudio, transcriber: Transcriber
) -> None:
    """A "mm-hmm … yeah" during the client's line is no talk-over and leaves the turn open."""
    client = espeak(CLIENT)
    mm, yeah = (trimmed(espeak(word).samples) for word in ("Mm-hmm.", "Yeah."))
    backchannel = Audio(join(mm, silence(0.5), yeah, silence(0.2)), WHISPER_RATE)
    answer = Audio(
        join(trimmed(espeak("That sounds really frustrating.").samples), silence(0.3)), WHISPER_RATE
    )

    def answer_after_the_client() -> None:
        live.wait_played()
        time.sleep(0.4)
        pulse.play_into_mic(answer, "answer").wait(timeout=10)

    mark = pulse.speaker_mark()
    live.play(client)
    time.sleep(1.5)
    pulse.play_into_mic(backchannel, "backchannel")
    answering = threading.Thread(target=answer_after_the_client)
    answering.start()
    recorded = live.record_reply(STATE)
    answering.join(timeout=15)
    played = pulse.speaker_since(max(0, mark - WHISPER_RATE // 2))
    tail = client.resampled(WHISPER_RATE).samples[-WHISPER_RATE:]
    assert all(score > SOUNDED for score, _ in window_matches(tail, played))  # played out
    assert not recorded.client_stopped
    assert not recorded.talked_over  # a backchannel is listening, not talking over
    assert recorded.response_latency_s is not None
    assert 0.2 < recorded.response_latency_s < 1.5  # the answer's pause after the client
    assert np.abs(recorded.audio.samples).max() > LOUD
    text = transcriber.transcribe(recorded.audio, "en").text.lower()
    assert "frustrat" in text
    assert last_loud_s(recorded.audio.samples) > 2.0
