"""A whole practice session on the virtual devices: the client speaks, recorded replies answer."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
from support.pulse import PulseHarness
from test_stt import word_error_rate

from simulator.audio import Transcriber, read_audio
from simulator.devices import LiveAudio
from simulator.dialogue import first_turn
from simulator.fixtures import FixtureAudio, load_manifest
from simulator.persona import find_persona
from simulator.session import ClientLine, NoReply, SessionLog, iter_session
from simulator.tts import EspeakSynthesizer
from simulator.types import Exchange
from simulator.vad import VadOptions

EXCHANGES = 3
TRAINEE_WAITS_S = 0.7  # the trainee starts this long after the client's line has played


def test_live_session_scores_replies_spoken_into_the_microphone(
    pulse: PulseHarness, transcriber: Transcriber, tmp_path: Path
) -> None:
    """Each client line reaches the speaker; each reply is recorded, transcribed and scored."""
    persona = find_persona("en-angry-caller")
    replies = FixtureAudio(persona.id, plan="good")
    spoken: list[str] = []
    exchanges: list[Exchange] = []
    log = SessionLog(tmp_path)
    with LiveAudio(vad_options=VadOptions(no_speech_timeout_s=8.0)) as live:
        events = iter_session(persona, live, EspeakSynthesizer(), transcriber, log)
        for event in events:
            if isinstance(event, ClientLine):
                client = read_audio(event.audio_path)
                reply = replies.record_reply(event.turn.state)
                spoken.append(next(f.text for f in load_manifest() if str(f.path) == reply.source))
                mark = pulse.speaker_mark()
                threading.Timer(
                    client.duration + TRAINEE_WAITS_S, pulse.play_into_mic, args=(reply.audio,)
                ).start()
            elif isinstance(event, Exchange):
                heard = pulse.speaker_since(mark)
                assert np.sqrt(np.mean(heard**2)) > 0.01, (
                    "the client's line never reached the speaker"
                )
                exchanges.append(event)
                if len(exchanges) == EXCHANGES:
                    break
    records = [json.loads(line) for line in log.path.read_text().splitlines()]
    assert sum(r["type"] == "exchange" for r in records) == EXCHANGES
    for ex, text in zip(exchanges, spoken, strict=True):
        assert word_error_rate(text, ex.reply.text) < 0.35, ex.reply.text
        assert ex.response_latency_s is not None and 0.2 < ex.response_latency_s < 3.0
        assert (ex.scores.pacing is not None and ex.feedback.suggestions) or ex.feedback.praise



def test_silence_in_a_live_session_asks_the_trainee_to_try_again(
    pulse: PulseHarness, transcriber: Transcriber, tmp_path: Path
) -> None:
    """When nobody answers, the session asks again; the reply that follows is scored as usual."""
    persona = find_persona("en-angry-caller")
    reply = FixtureAudio(persona.id, plan="good").record_reply(first_turn(persona).state)
    log = SessionLog(tmp_path)
    events = []
    with LiveAudio(vad_options=VadOptions(no_speech_timeout_s=2.0)) as live:
        for event in iter_session(persona, live, EspeakSynthesizer(), transcriber, log):
            events.append(event)
            if isinstance(event, NoReply):
                threading.Timer(0.5, pulse.play_into_mic, args=(reply.audio,)).start()
            if isinstance(event, Exchange):
                break
    retries = [e for e in events if isinstance(e, NoReply)]
    assert len(retries) == 1
    assert retries[0].message == "I didn't hear anything — try again?"
    exchange = events[-1]
    assert isinstance(exchange, Exchange) and exchange.index == 0
    assert len(exchange.reply.words) >= 3
