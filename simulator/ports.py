"""Ports of the pure core: small protocols the core calls, implemented by adapters elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

Embeddings = npt.NDArray[np.float32]


class TextEncoder(Protocol):
    """Sentence embeddings: one L2-normalised row per text, the same model for every language."""

    @property
    def dim(self) -> int:
        """Length of one embedding row."""
        ...

    def embed(self, texts: Sequence[str]) -> Embeddings:
        """Embed ``texts`` in one batch: shape (len(texts), dim), each row of unit length."""
        ...
