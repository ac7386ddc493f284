"""espeak-ng through pyttsx3: real speech in three languages, emotions that sound different."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.audio import Audio, VoiceSettings
from simulator.errors import SynthesisError
from simulator.tts import EspeakSynthesizer, prosody_for

LINES = {
    "en": "I have called your office five times this week and nobody ever calls me back.",
    "fi": "Olen soittanut teille viisi kertaa tällä viikolla, eikä kukaan soita takaisin.",
    "nl": "Ik heb deze week vijf keer gebeld en niemand belt me ooit terug.",
}


@pytest.fixture(scope="module")
def synth() -> EspeakSynthesizer:
    """One synthesizer (one engine thread) for the module."""
    return EspeakSynthesizer()


def median_f0(audio: Audio) -> float:
    """Median fundamental frequency (Hz) of voiced 40 ms frames, by autocorrelation."""
    x, rate = audio.samples.astype(np.float64), audio.sample_rate
    frame = int(0.04 * rate)
    lo, hi = int(rate / 400), int(rate / 60)  # 60-400 Hz
    f0s = []
    for start in range(0, len(x) - frame, frame):
        seg = x[start : start + frame] - x[start : start + frame].mean()
        if np.sqrt(np.mean(seg**2)) < 0.02:
            continue
        ac = np.correlate(seg, seg, mode="full")[frame - 1 :]
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] > 0.3 * ac[0]:
            f0s.append(rate / lag)
    return float(np.median(f0s))


@pytest.mark.parametrize("language", ["en", "fi", "nl"])
def test_speech_is_audible_and_of_plausible_length(synth: EspeakSynthesizer, language: str) -> None:
    """Each language gives non-silent speech lasting about as long as the words need."""
    text = LINES[language]
    audio = synth.synthesize(text, VoiceSettings(language, "calm"))
    words = len(text.split())
    assert audio.rms() > 0.01
    assert words / 5.0 < audio.duration < words / 1.2


def test_angry_is_faster_and_higher_than_sad(synth: EspeakSynthesizer) -> None:
    """The same line said angrily is measurably quicker and higher-pitched than said sadly."""
    angry = synth.synthesize(LINES["en"], VoiceSettings("en", "angry", 0.9))
    sad = synth.synthesize(LINES["en"], VoiceSettings("en", "sad", 0.9))
    assert angry.duration < 0.8 * sad.duration
    assert median_f0(angry) > 1.15 * median_f0(sad)
    assert angry.rms() > sad.rms()


def test_settings_apply_to_the_line_they_are_set_for(synth: EspeakSynthesizer) -> None:
    """Alternating emotions never leak one line's rate into the next (espeak runs async)."""
    durations = {
        emo: [
            synth.synthesize(LINES["fi"], VoiceSettings("fi", emo, 0.8)).duration for _ in range(3)
        ]
        for emo in ("angry", "sad")
    }
    assert max(durations["angry"]) < min(durations["sad"])


def test_intensity_scales_the_emotion() -> None:
    """A more intense anger is faster and livelier than a mild one, both beyond calm."""
    calm = prosody_for(VoiceSettings("en", "calm"))
    mild = prosody_for(VoiceSettings("en", "angry", 0.1))
    strong = prosody_for(VoiceSettings("en", "angry", 1.0))
    assert calm.rate < mild.rate < strong.rate
    assert calm.pitch_range < mild.pitch_range < strong.pitch_range


def test_empty_line_and_unknown_emotion_are_clear_errors(synth: EspeakSynthesizer) -> None:
    """Nothing to say, or an emotion without a preset, gives a SynthesisError saying so."""
    with pytest.raises(SynthesisError, match="empty"):
        synth.synthesize("   ", VoiceSettings("en", "calm"))
    with pytest.raises(SynthesisError, match="no voice preset"):
        synth.synthesize("Hello.", VoiceSettings("en", "bored"))
