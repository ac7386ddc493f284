"""Transcript confidence on real speech: Whisper's certainty reaches the check."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from test_stt import word_error_rate

from simulator.audio import read_audio
from simulator.scoring.transcript import check_transcript, counts_in_summary, reply_language
from simulator.stt import make_transcriber
from simulator.types import Scores, Transcript, TranscriptCheck, Word

FIXTURES = Path(__file__).resolve().parents[1] / "audio_fixtures"


def fixture_text(name: str) -> str:
    """What the speaker of a fixture actually said (audio_fixtures/manifest.json)."""
    manifest = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
    return str(next(f["text"] for f in manifest["fixtures"] if f["file"] == name))


def test_clear_english_reply_is_reliable_and_carries_whisper_certainty() -> None:
    """A clear English fixture: certainty fields filled in, check reliable, nothing marked."""
    name = "en-angry-caller/good-1.flac"
    t = make_transcriber(language="en").transcribe(read_audio(FIXTURES / name), "en")
    assert word_error_rate(fixture_text(name), t.text) < 0.3
    assert t.language_probability is not None and t.no_speech_prob is not None
    assert t.compression_ratio is not None and t.avg_logprob is not None
    check = check_transcript(t, "en")
    assert check.reliable and check.other_language is None


def test_garbled_finnish_reply_is_flagged_unclear() -> None:
    """A Finnish fixture Whisper garbles (word error rate over 30%) is flagged, its words marked."""
    name = "fi-epaluuloinen/good-1.flac"
    t = make_transcriber(language="fi").transcribe(read_audio(FIXTURES / name), "fi")
    assert word_error_rate(fixture_text(name), t.text) > 0.3
    check = check_transcript(t, "fi")
    assert not check.reliable and check.doubtful


def test_repetition_loop_is_unclear_even_with_confident_words() -> None:
    """'U bent 1, 2, 4, 4, 4, 4' is a decoding loop, however sure Whisper was of each word."""
    text = "U bent 1, 2, 4, 4, 4, 4."
    words = tuple(Word(w, i * 0.3, i * 0.3 + 0.2, 0.95) for i, w in enumerate(text.split()))
    check = check_transcript(Transcript(words, text, "nl", 3.0), "nl")
    assert not check.reliable and "4" in check.doubtful and "repetition loop" in check.reasons


def test_an_unclear_reply_is_left_out_of_the_session_summary() -> None:
    """MITI counts over invented words would mislead: only clear or typed replies count."""
    scores = Scores(40, 30, None, ())
    assert counts_in_summary(scores)
    assert counts_in_summary(replace(scores, transcript=TranscriptCheck(True)))
    assert not counts_in_summary(replace(scores, transcript=TranscriptCheck(False, ("4",))))


@pytest.mark.parametrize(("text", "expected", "found"), [
    ("It sounds like you're worried about the rent and what happens next.", "fi", "en"),
    ("Kuulostaa siltä, että olet huolissasi vuokrasta ja siitä mitä tapahtuu.", "nl", "fi"),
    ("Het klinkt alsof je je zorgen maakt over de huur en wat er nu gebeurt.", "en", "nl"),
    ("It sounds like you're worried about the rent and what happens next.", "en", None),
    ("Okay.", "fi", None),
])
def test_reply_language_is_named_only_when_clear(text: str, expected: str,
                                                 found: str | None) -> None:
    """A reply in another language is found from its function words; a short one is not judged."""
    assert reply_language(text, expected) == found
