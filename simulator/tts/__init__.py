"""Speech synthesis adapters: Piper (neural, English) and espeak-ng (every language).

``make_synthesizer`` is the factory the command line uses: ``piper`` speaks English with the
bundled joe voice and hands Finnish and Dutch (which have no Piper voice here) to espeak-ng;
``espeak`` uses espeak-ng for everything. When Piper is not installed the factory says so and
falls back to espeak-ng, so a session still runs.
"""

from __future__ import annotations

from typing import Literal

from simulator.tts.espeak import ESPEAK_VOICE, PRESETS, EspeakSynthesizer, Prosody, prosody_for
from simulator.tts.piper import (
    PIPER_LANGUAGES,
    PiperProsody,
    PiperSynthesizer,
    piper_available,
    piper_prosody_for,
)

TtsEngine = Literal["piper", "espeak"]
TTS_ENGINES: tuple[TtsEngine, ...] = ("piper", "espeak")
DEFAULT_TTS: TtsEngine = "piper"

__all__ = [
    "DEFAULT_TTS",
    "ESPEAK_VOICE",
    "PIPER_LANGUAGES",
    "PRESETS",
    "TTS_ENGINES",
    "EspeakSynthesizer",
    "PiperProsody",
    "PiperSynthesizer",
    "Prosody",
    "TtsEngine",
    "make_synthesizer",
    "piper_available",
    "piper_prosody_for",
    "prosody_for",
]


def make_synthesizer(engine: str, language: str) -> EspeakSynthesizer | PiperSynthesizer:
    """The synthesizer for a session in ``language`` with the chosen engine.

    Piper is used only where it has a voice (English); elsewhere, or when the piper-tts or
    voice package is missing, espeak-ng speaks instead.
    """
    if engine == "piper" and language in PIPER_LANGUAGES and piper_available():
        return PiperSynthesizer()
    return EspeakSynthesizer()
