"""The learned layer: logistic heads on a sentence embedding, with calibrated probabilities.

Each head is a ``.npz`` file in ``simulator/scoring/heads/`` written by
``benchmarks/train_heads.py``: weights ``W`` (features x classes), bias ``b``, the class names,
and the temperature found by calibration on cross-validated folds of the training data
(probabilities are ``softmax((x @ W + b) / T)``). Features are the sentence embedding,
optionally followed by its element-wise product with the client line's embedding.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]
HEAD_NAMES = ("main", "open", "complex", "act", "harm")


@dataclass(frozen=True)
class Head:
    """One calibrated multinomial logistic regression over embedding features."""

    name: str
    weights: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float32]
    classes: tuple[str, ...]
    temperature: float
    uses_client: bool

    def features(self, sentence: Vector, client: Vector | None) -> Vector:
        """The head's input: the sentence embedding, and its product with the client's."""
        if not self.uses_client:
            return sentence
        other = client if client is not None else np.zeros_like(sentence)
        return np.concatenate([sentence, sentence * other], axis=-1)

    def probabilities(self, x: Vector) -> npt.NDArray[np.float64]:
        """Calibrated class probabilities for each row of features ``x`` (n, d) -> (n, k)."""
        z = (np.atleast_2d(x).astype(np.float64) @ self.weights + self.bias) / self.temperature
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        out: npt.NDArray[np.float64] = p / p.sum(axis=1, keepdims=True)
        return out

    def predict(self, sentence: Vector, client: Vector | None) -> dict[str, float]:
        """Class -> calibrated probability for one sentence."""
        p = self.probabilities(self.features(sentence, client))[0]
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}


def _head_bytes(name: str) -> Any:
    return resources.files("simulator.scoring.heads").joinpath(f"{name}.npz")


@cache
def load_head(name: str) -> Head | None:
    """The shipped head ``name`` (loaded once), or None when it is not shipped."""
    ref = _head_bytes(name)
    if not ref.is_file():
        return None
    with ref.open("rb") as fh, np.load(fh, allow_pickle=False) as z:
        return Head(
            name=name,
            weights=z["W"].astype(np.float32),
            bias=z["b"].astype(np.float32),
            classes=tuple(str(c) for c in z["classes"]),
            temperature=float(z["temperature"]),
            uses_client=bool(z["uses_client"]),
        )


@cache
def calibration() -> dict[str, Any]:
    """Measured figures the combination uses: rule precision per act, thresholds (JSON)."""
    ref = resources.files("simulator.scoring.heads").joinpath("calibration.json")
    if not ref.is_file():
        return {}
    data: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    return data


def heads_available() -> bool:
    """Whether the main head is shipped (the hybrid needs at least that one)."""
    return load_head("main") is not None
