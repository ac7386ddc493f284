"""Ports of the pure core: small protocols the core calls, implemented by adapters elsewhere.

Also the values passed across those seams that the pure core needs: ``VoiceSettings`` is chosen
by the persona (pure) and used by the synthesizers (adapters), so it lives here and the persona
schema imports nothing that reads or writes sound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeAlias

from simulator.types import Act, EmotionalState

if TYPE_CHECKING:  # numpy only for type checking: the persona schema imports this module
    import numpy as np
    import numpy.typing as npt

    from simulator.persona import Line, Persona

    Embeddings: TypeAlias = npt.NDArray[np.float32]


class TextEncoder(Protocol):
    """Sentence embeddings: one L2-normalised row per text, the same model for every language."""

    @property
    def dim(self) -> int:
        """Length of one embedding row."""
        ...

    def embed(self, texts: Sequence[str]) -> Embeddings:
        """Embed ``texts`` in one batch: shape (len(texts), dim), each row of unit length."""
        ...


@dataclass(frozen=True)
class VoiceSettings:
    """How the client's voice sounds: a preset name plus optional persona tweaks."""

    language: str
    emotion: str
    intensity: float = 0.5
    rate_scale: float = 1.0
    pitch_shift: int = 0
    variant: str | None = None


@dataclass(frozen=True)
class Heard:
    """What a client brain knows of the trainee's reply: its text and the acts found in it."""

    text: str
    acts: tuple[Act, ...] = ()
    said: str = ""  # the client's line the reply answered (not said again straight away)


@dataclass(frozen=True)
class Choice:
    """The line a brain chose, the persona's topics the reply raised, and whether it deflected."""

    line: Line
    raised: tuple[str, ...] = ()
    deflected: bool = False


class ClientBrain(Protocol):
    """Chooses or words the client's next line; the rules have already set the inner state."""

    def choose(
        self, persona: Persona, state: EmotionalState, heard: Heard, turn: int, seed: int
    ) -> Choice:
        """The line said in ``state`` (its stage and emotion) after hearing ``heard``."""
        ...
