"""Ports of the pure core: small protocols the core calls, implemented by adapters elsewhere.

Also the values passed across those seams that the pure core needs: ``VoiceSettings`` is chosen
by the persona (pure) and used by the synthesizers (adapters), so it lives here and the persona
schema imports nothing that reads or writes sound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeAlias

if TYPE_CHECKING:  # numpy only for type checking: the persona schema imports this module
    import numpy as np
    import numpy.typing as npt

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
