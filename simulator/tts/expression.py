"""How strongly a voice shows its emotion: one rule for every synthesizer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from simulator.audio import VoiceSettings
from simulator.errors import SynthesisError

P = TypeVar("P")
# Intensity 0 keeps 40% of an emotion's difference from calm, intensity 1 all of it.
MIN_EXPRESSION = 0.4


def blend(
    presets: Mapping[str, P], voice: VoiceSettings
) -> tuple[P, P, Callable[[float, float], float]]:
    """The calm preset, the emotion's preset, and a mix between them by the voice's intensity."""
    if voice.emotion not in presets:
        raise SynthesisError(f"no voice preset for emotion '{voice.emotion}'")
    k = MIN_EXPRESSION + (1 - MIN_EXPRESSION) * min(max(voice.intensity, 0.0), 1.0)

    def mix(a: float, b: float) -> float:
        return a + k * (b - a)

    return presets["calm"], presets[voice.emotion], mix
