"""Whisper through faster-whisper on real human speech and on the program's own speech."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from support.shared import shared_dir

from simulator.audio import Audio, VoiceSettings, read_audio
from simulator.errors import AudioError, TranscriptionError
from simulator.models import BUNDLED, model_dir, sha256_of
from simulator.stt import make_transcriber
from simulator.tts import EspeakSynthesizer

SHARED_AUDIO = shared_dir() / "audio"
JFK = (
    "And so my fellow Americans, ask not what your country can do for you,"
    " ask what you can do for your country."
)


def words_of(text: str) -> list[str]:
    """Lower-case words without punctuation."""
    return re.findall(r"[\w']+", text.lower())


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance divided by the reference length."""
    ref, hyp = words_of(reference), words_of(hypothesis)
    dist = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, dist[0] = dist[0], i
        for j, h in enumerate(hyp, 1):
            prev, dist[j] = dist[j], min(dist[j] + 1, dist[j - 1] + 1, prev + (r != h))
    return dist[-1] / len(ref)


def test_jfk_sentence_with_monotonic_word_timings() -> None:
    """The JFK clip comes back as its sentence, with word timings that only move forward."""
    t = make_transcriber(language="en").transcribe(
        read_audio(SHARED_AUDIO / "en_jfk_openai-whisper.flac")
    )
    assert word_error_rate(JFK, t.text) < 0.15
    assert t.language == "en"
    starts = [w.start for w in t.words]
    assert starts == sorted(starts)
    assert all(w.start <= w.end for w in t.words)
    assert 0 <= t.words[0].start < t.words[-1].end <= t.duration + 0.1


@pytest.mark.parametrize(
    ("language", "clip"),
    [("fi", "fi_librivox_reader5698_fdeloche.wav"), ("nl", "nl_librivox_reader6513_fdeloche.wav")],
)
def test_finnish_and_dutch_are_recognised_in_their_language(language: str, clip: str) -> None:
    """The multilingual model, not told the language, detects Finnish and Dutch speech."""
    t = make_transcriber(model="base").transcribe(read_audio(SHARED_AUDIO / clip))
    assert t.language == language
    assert len(t.words) > 10


def test_own_speech_round_trips() -> None:
    """English the program speaks, even right after Finnish, transcribes to nearly its words."""
    text = "I understand that you have been waiting for a call back since March."
    synth = EspeakSynthesizer()
    synth.synthesize("Olen soittanut teille viisi kertaa.", VoiceSettings("fi", "sad"))
    audio = synth.synthesize(text, VoiceSettings("en", "calm"))
    t = make_transcriber(language="en").transcribe(audio, "en")
    assert word_error_rate(text, t.text) < 0.25


def test_silence_and_empty_audio_are_refused_with_a_reason() -> None:
    """Silent or empty audio raises AudioError explaining there is no speech."""
    tr = make_transcriber(language="en")
    with pytest.raises(AudioError, match="silence"):
        tr.transcribe(Audio(np.zeros(16_000 * 2, dtype=np.float32), 16_000))
    with pytest.raises(AudioError, match="too short"):
        tr.transcribe(Audio(np.zeros(0, dtype=np.float32), 16_000))


def test_wrong_rate_audio_is_resampled() -> None:
    """A 44.1 kHz recording is resampled to Whisper's 16 kHz, not refused."""
    audio = read_audio(SHARED_AUDIO / "en_jfk_openai-whisper.flac").resampled(44_100)
    t = make_transcriber(language="en").transcribe(audio)
    assert word_error_rate(JFK, t.text) < 0.15


def test_bundled_models_match_their_checksums() -> None:
    """The assembled model files hash to the published SHA-256 sums."""
    for name, model in BUNDLED.items():
        assert sha256_of((model_dir(name) / "model.bin",)) == model.sha256


def test_unknown_model_and_backend_are_clear_errors(tmp_path: Path) -> None:
    """An unknown backend, or a folder with no model, names what is wrong."""
    with pytest.raises(TranscriptionError, match="unknown speech recognition backend"):
        make_transcriber(backend="cloud")
    with pytest.raises(TranscriptionError, match=r"no model\.bin"):
        model_dir(str(tmp_path))


def test_english_only_model_refuses_finnish() -> None:
    """Asking tiny.en for Finnish is an error, not a garbled transcript."""
    audio = read_audio(SHARED_AUDIO / "fi_librivox_reader5698_fdeloche.wav")
    with pytest.raises(TranscriptionError, match="English-only"):
        make_transcriber(model="tiny.en").transcribe(audio, "fi")


def test_bundled_name_wins_over_a_folder_of_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from a folder holding a sub-folder 'base', the name still means the bundled model."""
    (tmp_path / "base").mkdir()
    monkeypatch.chdir(tmp_path)
    assert (model_dir("base") / "model.bin").is_file()
    with pytest.raises(TranscriptionError, match="not a Whisper model folder"):
        model_dir("./base")
