"""The per-phase timing record of an exchange, and the decoding options behind it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from support.shared import shared_file

from simulator.audio import Audio, read_audio
from simulator.fixtures import FixtureAudio
from simulator.persona import find_persona
from simulator.phases import PhaseClock, exchange_timings, profile_lines
from simulator.session import ExchangeTimings, SessionLog, iter_session
from simulator.stretches import StretchTiming
from simulator.stt import make_transcriber
from simulator.stt.faster import decode_passes
from simulator.stt.options import MAX_DECODES, DecodeOptions
from simulator.tts import EspeakSynthesizer
from simulator.types import Transcript, Word

REPO = Path(__file__).resolve().parents[1]


def test_options_refuse_more_than_two_decodes() -> None:
    """A temperature schedule that could decode a clip three times is refused."""
    assert len(DecodeOptions().temperatures) <= MAX_DECODES
    with pytest.raises(ValueError, match="temperatures"):
        DecodeOptions(temperatures=(0.0, 0.2, 0.4))


def test_options_record_the_threads_used() -> None:
    """The logged options name the thread count actually used, never 0."""
    recorded = DecodeOptions(cpu_threads=0).to_dict()
    assert isinstance(recorded["cpu_threads"], int) and recorded["cpu_threads"] >= 1
    assert DecodeOptions(cpu_threads=1).to_dict()["cpu_threads"] == 1
    assert json.loads(json.dumps(recorded))["temperatures"] == [0.0, 0.6]


def test_token_cap_grows_with_the_clip_and_stops_at_whispers_limit() -> None:
    """Longer clips may decode more tokens, never beyond the 30-second window's limit."""
    options = DecodeOptions()
    assert options.max_new_tokens(1.0) < options.max_new_tokens(10.0) <= options.max_tokens
    assert options.max_new_tokens(600.0) == options.max_tokens


def test_decode_passes_counts_the_fallback_per_window() -> None:
    """A window kept at the fallback temperature was decoded twice; others once."""
    options = DecodeOptions(temperatures=(0.0, 0.6))
    first = SimpleNamespace(seek=0, temperature=0.0)
    again = SimpleNamespace(seek=3000, temperature=0.6)
    assert decode_passes([first], options) == 1
    assert decode_passes([first, again], options) == 2
    assert decode_passes([], options) == 1


def test_whisper_threads_sleep_when_idle() -> None:
    """Importing the speech package asks OpenMP for sleeping idle threads, unless set already."""
    probe = "import os, simulator.stt; print(os.environ.get('OMP_WAIT_POLICY'))"
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert run.stdout.strip() == "PASSIVE"
    env["OMP_WAIT_POLICY"] = "ACTIVE"
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert run.stdout.strip() == "ACTIVE"


def test_timings_split_the_wait_and_list_each_stretch() -> None:
    """The record holds the wait phase by phase and, per stretch, what fell after the turn."""
    clock = PhaseClock()
    clock.lap("transcribe")
    clock.lap("score")
    before = clock.start - 2.0
    stretches = [
        StretchTiming(2.0, 3.0, before + 1.0, before + 1.0, before + 1.8, 1),
        StretchTiming(0.0, 2.0, before, before, before + 0.9, 1),
        StretchTiming(5.0, 1.5, clock.start - 0.3, clock.start - 0.3, clock.start + 0.2, 2),
    ]
    words = (Word("fine", 0.1, 0.5, 0.9),)
    timings = exchange_timings(0.25, clock, stretches, Transcript(words, "fine", "en", 1.7))
    assert timings["stretches"] == 3 and timings["decode_passes_max"] == 2
    assert timings["stretch1_audio_s"] == 2.0  # ordered by their place in the reply
    assert timings["stretch1_after_turn_s"] == 0.0
    assert timings["stretch3_after_turn_s"] == pytest.approx(0.2, abs=1e-3)
    assert timings["tail_s"] == pytest.approx(1.2)
    assert timings["wait_s"] == pytest.approx(timings["transcribe_s"] + timings["score_s"])
    lines = profile_lines(timings)
    assert lines[0].startswith("wait ") and "transcribe" in lines[0]
    assert sum(line.startswith("stretch ") for line in lines) == 3
    assert "2 decode(s)" in lines[3]


def test_a_session_logs_and_yields_the_timings_of_each_exchange(tmp_path: Path) -> None:
    """Every scored exchange is followed by its timings, the same as its log record holds."""
    persona = find_persona("en-angry-caller")
    log = SessionLog(tmp_path)
    seen: list[ExchangeTimings] = []
    for event in iter_session(
        persona,
        FixtureAudio(persona.id, plan="good"),
        EspeakSynthesizer(),
        make_transcriber(language="en"),
        log,
    ):
        if isinstance(event, ExchangeTimings):
            seen.append(event)
            if len(seen) == 2:
                break
    records = [json.loads(line) for line in log.path.read_text().splitlines()]
    logged = [r["timings"] for r in records if r["type"] == "exchange"]
    assert [dict(t.timings) for t in seen] == logged
    for timings in logged:
        assert timings["stretches"] == 1  # a recording comes whole: one pass after the turn
        assert 1 <= timings["decode_passes_max"] <= MAX_DECODES
        assert timings["transcribe_s"] > 0 and timings["synthesize_s"] > 0
        assert timings["wait_cpu_s"] > 0


def test_garbled_speech_is_decoded_at_most_twice() -> None:
    """Speech played backwards (no words at all) still costs at most two decodes."""
    clip = read_audio(shared_file("audio", "en_jfk_openai-whisper.flac"))
    backwards = Audio(clip.samples[::-1].copy(), clip.sample_rate)
    transcriber = make_transcriber(language="en")
    assert 1 <= transcriber.transcribe(backwards, "en").decode_passes <= MAX_DECODES
    assert transcriber.transcribe(clip, "en").decode_passes == 1
