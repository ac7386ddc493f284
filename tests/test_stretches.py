"""Stretches: a reply cut at its pauses, transcribed piece by piece and joined back into one."""

from __future__ import annotations

import numpy as np
import pytest
from support.speech import espeak, human, join, silence, trimmed
from test_stt import word_error_rate

from simulator.audio import WHISPER_RATE, Audio, Transcriber
from simulator.errors import AudioError
from simulator.stretches import (
    LONG_STRETCH_S,
    MIN_STRETCH_S,
    PAUSE_S,
    SHORT_PAUSE_S,
    Cut,
    StretchCutter,
    StretchTranscriber,
    feed_recording,
)
from simulator.vad import Endpointer, SileroModel, VadOptions

PRE, POST = 0.25, 0.3


def test_nothing_is_cut_before_speech_starts() -> None:
    """Without a confirmed start of speech there is no stretch, even when the turn is over."""
    cutter = StretchCutter(PRE, POST)
    assert cutter.update(None, None, 3.0, final=False) is None
    assert cutter.update(None, None, 8.0, final=True) is None


def test_a_pause_closes_a_long_enough_stretch() -> None:
    """Speech from 1.0 to 3.0 s closes as a stretch once the pause reaches PAUSE_S."""
    cutter = StretchCutter(PRE, POST)
    assert cutter.update(1.0, 3.0, 3.0 + PAUSE_S - 0.05, final=False) is None
    cut = cutter.update(1.0, 3.0, 3.0 + PAUSE_S, final=False)
    assert cut == Cut(1.0 - PRE, 3.0 + POST, 0.0)
    assert cutter.update(1.0, 3.0, 3.0 + PAUSE_S + 0.3, final=False) is None  # not cut twice


def test_a_long_stretch_closes_at_a_short_gap() -> None:
    """Speech running past LONG_STRETCH_S closes at a SHORT_PAUSE_S gap; a shorter run does not."""
    cutter = StretchCutter(PRE, POST)
    early = 1.0 + LONG_STRETCH_S / 2
    assert cutter.update(1.0, early, early + SHORT_PAUSE_S, final=False) is None
    late = 1.0 + LONG_STRETCH_S
    assert cutter.update(1.0, late, late + SHORT_PAUSE_S - 0.05, final=False) is None
    cut = cutter.update(1.0, late, late + SHORT_PAUSE_S, final=False)
    assert cut == Cut(1.0 - PRE, late + SHORT_PAUSE_S, 0.0)  # cut in the gap, not past it


def test_a_short_stretch_waits_for_the_next_one() -> None:
    """A stretch shorter than MIN_STRETCH_S is not cut at its pause but joins the speech after."""
    cutter = StretchCutter(PRE, POST)
    short_end = 1.0 + MIN_STRETCH_S / 2
    assert cutter.update(1.0, short_end, short_end + 1.0, final=False) is None
    cut = cutter.update(1.0, 4.0, 4.0 + PAUSE_S, final=False)
    assert cut is not None and cut.start_s == pytest.approx(1.0 - PRE)


def test_stretches_tile_the_reply_and_the_last_closes_at_the_end() -> None:
    """Consecutive stretches meet exactly, and the final one ends at the last speech plus margin."""
    cutter = StretchCutter(PRE, POST)
    first = cutter.update(0.5, 2.5, 2.5 + PAUSE_S, final=False)
    second = cutter.update(0.5, 5.0, 5.0 + PAUSE_S, final=False)
    last = cutter.update(0.5, 7.0, 7.4, final=True)
    assert first is not None and second is not None and last is not None
    assert first.end_s == second.start_s and second.end_s == last.start_s
    assert last.end_s == pytest.approx(7.3)
    assert [c.offset_s for c in (first, second, last)] == pytest.approx(
        [0.0, first.end_s - 0.25, second.end_s - 0.25]
    )


def test_a_turn_ending_after_its_last_stretch_closed_leaves_nothing_to_do() -> None:
    """When the closing pause has already cut the last stretch, the end of turn adds none."""
    cutter = StretchCutter(PRE, POST)
    assert cutter.update(1.0, 4.0, 4.0 + PAUSE_S, final=False) is not None
    assert cutter.update(1.0, 4.0, 5.2, final=True) is None


def stretches_of(samples: Audio, model: SileroModel) -> list[tuple[Audio, float]]:
    """The stretches the live recorder would hand over for this recording."""
    got: list[tuple[Audio, float]] = []
    feed_recording(
        samples.samples,
        Endpointer(VadOptions(), model),
        StretchCutter(PRE, POST),
        lambda audio, offset: got.append((audio, offset)),
    )
    return got


@pytest.fixture(scope="module")
def model() -> SileroModel:
    """One Silero model for the module."""
    return SileroModel()


def test_jfk_in_stretches_reads_as_the_whole_clip(
    transcriber: Transcriber, model: SileroModel
) -> None:
    """The JFK clip cut at its pauses and joined gives the whole clip's words at the same times."""
    clip = human("en_jfk_openai-whisper.flac").resampled(WHISPER_RATE)
    padded = Audio(join(clip.samples, silence(1.5)), WHISPER_RATE)
    parts = stretches_of(padded, model)
    assert len(parts) >= 2  # JFK pauses between his phrases
    stretches = StretchTranscriber(transcriber, "en")
    for audio, offset in parts:
        stretches.submit(audio, offset)
    joined = stretches.result(padded)
    whole = transcriber.transcribe(clip, "en")
    assert word_error_rate(whole.text, joined.text) < 0.15, joined.text
    starts = [w.start for w in joined.words]
    assert starts == sorted(starts)
    first_start = parts[0][0].duration  # stretch one's words must lie inside stretch one
    assert joined.words[0].start < first_start
    # the same word at about the same time: the offsets put each stretch back in place
    reply_start = next(w.start for w in whole.words if "country" in w.text.lower())
    joined_start = next(w.start for w in joined.words if "country" in w.text.lower())
    first_speech = min(w.start for w in whole.words)
    assert joined_start - joined.words[0].start == pytest.approx(
        reply_start - first_speech, abs=0.3
    )


def test_a_reply_without_stretches_is_transcribed_whole(transcriber: Transcriber) -> None:
    """A recorder that hands over nothing (a fixture file) still gets its reply transcribed."""
    reply = espeak("I hear how tired you are of waiting.").resampled(WHISPER_RATE)
    text = StretchTranscriber(transcriber, "en").result(reply).text.lower()
    assert "tired" in text and "waiting" in text


def test_a_stretch_with_no_words_is_skipped(transcriber: Transcriber) -> None:
    """A stretch that holds only a cough of noise drops out; the spoken one carries the reply."""
    speech = trimmed(espeak("Tell me more about the letter.").resampled(WHISPER_RATE).samples)
    noise = (np.random.default_rng(0).normal(0, 0.002, WHISPER_RATE)).astype(np.float32)
    stretches = StretchTranscriber(transcriber, "en")
    stretches.submit(Audio(noise, WHISPER_RATE), 0.0)
    stretches.submit(Audio(speech, WHISPER_RATE), 1.0)
    joined = stretches.result(Audio(join(noise, speech), WHISPER_RATE))
    assert "letter" in joined.text.lower()
    assert joined.words[0].start >= 1.0


def test_stretches_with_no_speech_at_all_are_an_audio_error(transcriber: Transcriber) -> None:
    """When no stretch holds a word, the reply is reported as unheard, as a whole clip would be."""
    quiet = Audio(silence(1.0), WHISPER_RATE)
    stretches = StretchTranscriber(transcriber, "en")
    stretches.submit(quiet, 0.0)
    with pytest.raises(AudioError):
        stretches.result(quiet)
