"""The streaming Silero end-pointer on real speech: espeak-ng sentences and human voices."""

from __future__ import annotations

import numpy as np
import pytest
from support.speech import (
    espeak,
    first_loud_s,
    human,
    join,
    last_loud_s,
    noise,
    silence,
    trimmed,
)

from simulator.vad import FRAME_S, Endpointer, SileroModel, VadOptions, find_turn

OPTIONS = VadOptions()
END_MARGIN_S = 0.2  # how far past end_silence_s the decision may land (model tail, one frame)


@pytest.fixture(scope="module")
def model() -> SileroModel:
    """One loaded Silero model shared by the tests of this module."""
    return SileroModel()


@pytest.fixture(scope="module")
def first_half() -> np.ndarray:
    """The first half of a sentence, trimmed to its words."""
    return trimmed(espeak("I have been thinking about what you said, and").samples)


@pytest.fixture(scope="module")
def second_half() -> np.ndarray:
    """The second half of the sentence, trimmed to its words."""
    return trimmed(espeak("maybe we could try the plan again next week.").samples)


def assert_ends_after_last_word(decision_s: float, clip: np.ndarray) -> None:
    """The turn ends after end_silence_s, and within about 1.2 s, of the last loud sample."""
    delay = decision_s - last_loud_s(clip)
    assert OPTIONS.end_silence_s - FRAME_S <= delay <= OPTIONS.end_silence_s + END_MARGIN_S


def test_finished_reply_ends_within_about_a_second_of_its_last_word(
    model: SileroModel, first_half: np.ndarray, second_half: np.ndarray
) -> None:
    """A whole spoken sentence followed by silence ends the turn about 1.2 s after the last word."""
    clip = join(silence(0.8), first_half, silence(0.3), second_half, silence(3.0))
    decision = find_turn(clip, OPTIONS, model)
    assert decision.status == "ended"
    assert decision.speech_start_s == pytest.approx(first_loud_s(clip), abs=0.1)
    assert decision.speech_end_s == pytest.approx(last_loud_s(clip), abs=0.1)
    assert_ends_after_last_word(decision.elapsed_s, clip)


def test_thinking_pause_of_a_second_does_not_end_the_turn(
    model: SileroModel, first_half: np.ndarray, second_half: np.ndarray
) -> None:
    """A one-second pause in mid-sentence keeps the turn open until the sentence ends."""
    clip = join(silence(0.5), first_half, silence(1.0), second_half, silence(3.0))
    decision = find_turn(clip, OPTIONS, model)
    assert decision.status == "ended"
    assert decision.speech_end_s is not None
    assert decision.speech_end_s > 0.5 + (len(first_half) / 16_000) + 1.0
    assert_ends_after_last_word(decision.elapsed_s, clip)


def test_a_long_pause_ends_the_turn_at_the_first_half(
    model: SileroModel, first_half: np.ndarray, second_half: np.ndarray
) -> None:
    """A two-second silence ends the turn after the first half: the end-pointer can also stop."""
    clip = join(silence(0.5), first_half, silence(2.0), second_half, silence(1.0))
    decision = find_turn(clip, OPTIONS, model)
    assert decision.status == "ended"
    assert_ends_after_last_word(decision.elapsed_s, join(silence(0.5), first_half))


def test_speech_in_steady_noise_still_ends_the_turn(
    model: SileroModel, first_half: np.ndarray, second_half: np.ndarray
) -> None:
    """Speech in white noise at about 15 dB SNR is found and its end detected, pause included."""
    clean = join(silence(0.8), first_half, silence(1.0), second_half, silence(3.0))
    speech_rms = float(np.sqrt(np.mean(np.square(trimmed(clean)))))
    noisy = clean + noise(len(clean) / 16_000, speech_rms / 10 ** (15 / 20))
    decision = find_turn(noisy, OPTIONS, model)
    assert decision.status == "ended"
    assert decision.speech_start_s == pytest.approx(first_loud_s(clean), abs=0.15)
    assert_ends_after_last_word(decision.elapsed_s, clean)


def test_noise_burst_alone_does_not_start_a_reply(model: SileroModel) -> None:
    """A loud 0.15 s noise burst (a cough-like click) is not taken for the start of a reply."""
    burst = noise(0.15, 0.3, seed=1)
    clip = join(silence(1.0), burst, silence(4.0))
    decision = find_turn(clip, VadOptions(no_speech_timeout_s=4.0), model)
    assert decision.status == "no_speech"


def test_silence_and_room_noise_time_out_as_no_speech(model: SileroModel) -> None:
    """Quiet room noise gives the no-speech result at the timeout, not a reply."""
    clip = noise(6.0, 0.003, seed=2)
    decision = find_turn(clip, VadOptions(no_speech_timeout_s=3.0), model)
    assert decision.status == "no_speech"
    assert decision.elapsed_s == pytest.approx(3.0, abs=FRAME_S)
    assert decision.speech_start_s is None


def test_no_speech_timeout_counts_from_listen_from(model: SileroModel) -> None:
    """The no-speech timeout starts when listening began, not at the first sample."""
    pointer = Endpointer(VadOptions(no_speech_timeout_s=1.0), model)
    pointer.listen_from(2.0)
    assert pointer.feed(silence(2.5)).status == "waiting"
    assert pointer.feed(silence(1.0)).status == "no_speech"


def test_reply_longer_than_the_maximum_is_cut(model: SileroModel) -> None:
    """Speech that goes on past max_reply_s ends the turn as too long."""
    speech = trimmed(espeak("one two three four five six seven eight nine ten eleven").samples)
    clip = join(silence(0.5), speech, speech, silence(2.0))
    decision = find_turn(clip, VadOptions(max_reply_s=2.0), model)
    assert decision.status == "too_long"
    assert decision.speech_start_s is not None
    assert decision.elapsed_s == pytest.approx(decision.speech_start_s + 2.0, abs=FRAME_S)


def test_block_sizes_do_not_change_the_decision(
    model: SileroModel, first_half: np.ndarray, second_half: np.ndarray
) -> None:
    """Odd-sized blocks carry the model state and give the same decision as 0.1 s blocks."""
    clip = join(silence(0.5), first_half, silence(0.9), second_half, silence(2.0))
    pointer = Endpointer(OPTIONS, model)
    rng = np.random.default_rng(3)
    offset = 0
    while offset < len(clip) and not pointer.decision.final:
        size = int(rng.integers(1, 3000))
        pointer.feed(clip[offset : offset + size])
        offset += size
    assert pointer.decision == find_turn(clip, OPTIONS, model)


def test_jfk_with_its_natural_pauses_is_one_turn(model: SileroModel) -> None:
    """The JFK clip, with two pauses of about 1.1 s between phrases, is one turn ending after it."""
    clip = join(human("en_jfk_openai-whisper.flac").samples, silence(3.0))
    decision = find_turn(clip, OPTIONS, model)
    assert decision.status == "ended"
    assert decision.speech_end_s is not None
    assert decision.speech_end_s == pytest.approx(10.5, abs=0.3)
    assert decision.elapsed_s - decision.speech_end_s <= OPTIONS.end_silence_s + FRAME_S


def test_finnish_reader_is_one_turn(model: SileroModel) -> None:
    """A Finnish LibriVox reader with sentence pauses under a second is one turn to the end."""
    clip = join(human("fi_librivox_reader5698_fdeloche.wav").samples, silence(3.0))
    decision = find_turn(clip, OPTIONS, model)
    assert decision.status == "ended"
    assert decision.speech_start_s is not None and decision.speech_start_s < 0.6
    assert decision.speech_end_s == pytest.approx(10.24, abs=0.3)


def test_dutch_reader_turn_ends_at_a_long_sentence_pause(model: SileroModel) -> None:
    """A Dutch reader's 1.3 s sentence pause ends the turn unless end_silence_s is longer."""
    clip = join(human("nl_librivox_reader6513_fdeloche.wav").samples, silence(3.0))
    short = find_turn(clip, OPTIONS, model)
    assert short.status == "ended"
    assert short.speech_end_s == pytest.approx(4.9, abs=0.3)
    patient = find_turn(clip, VadOptions(end_silence_s=1.6), model)
    assert patient.status == "ended"
    assert patient.speech_end_s == pytest.approx(10.0, abs=0.4)


def test_options_reject_thresholds_in_the_wrong_order() -> None:
    """A silence threshold above the speech threshold is refused at construction."""
    with pytest.raises(ValueError, match="neg_threshold"):
        VadOptions(threshold=0.3, neg_threshold=0.6)
