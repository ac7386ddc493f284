"""Multinomial logistic regression in numpy, with temperature calibration on held-out folds.

Used only at training time (``train_heads.py``); the scorer loads the resulting weights.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
TEMPERATURES = np.exp(np.linspace(np.log(0.05), np.log(4.0), 80))


@dataclass(frozen=True)
class Fitted:
    """Weights (d, k), bias (k,), the temperature and the out-of-fold measurements."""

    weights: Array
    bias: Array
    temperature: float
    l2: float
    oof_probs: Array  # calibrated out-of-fold probabilities (n, k)


def softmax(z: Array) -> Array:
    """Row-wise softmax."""
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    out: Array = p / p.sum(axis=1, keepdims=True)
    return out


def fit(
    x: Array, y: npt.NDArray[np.int64], k: int, l2: float, steps: int = 300,
    sample_weight: Array | None = None,
) -> tuple[Array, Array]:
    """Fit weights and bias by Adam on the mean (weighted) cross-entropy plus ``l2``·|W|²."""
    n, d = x.shape
    w = np.zeros((d, k))
    b = np.zeros(k)
    onehot = np.eye(k)[y]
    sw = np.ones(n) if sample_weight is None else sample_weight
    sw = sw / sw.sum()
    mw, vw, mb, vb = (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b))
    lr, beta1, beta2 = 0.05, 0.9, 0.999
    for t in range(1, steps + 1):
        g = (softmax(x @ w + b) - onehot) * sw[:, None]
        gw = x.T @ g + 2 * l2 * w
        gb = g.sum(axis=0)
        mw = beta1 * mw + (1 - beta1) * gw
        vw = beta2 * vw + (1 - beta2) * gw**2
        mb = beta1 * mb + (1 - beta1) * gb
        vb = beta2 * vb + (1 - beta2) * gb**2
        c1, c2 = 1 - beta1**t, 1 - beta2**t
        w -= lr * (mw / c1) / (np.sqrt(vw / c2) + 1e-8)
        b -= lr * (mb / c1) / (np.sqrt(vb / c2) + 1e-8)
    return w, b


def folds_of(groups: Sequence[object], n_folds: int) -> npt.NDArray[np.int64]:
    """A fold number per row, whole groups (transcripts, client lines) kept together."""
    order = sorted(set(groups), key=lambda g: (zlib.crc32(str(g).encode()), str(g)))
    fold_of = {g: i % n_folds for i, g in enumerate(order)}
    return np.array([fold_of[g] for g in groups])


def nll(p: Array, y: npt.NDArray[np.int64]) -> float:
    """Mean negative log-likelihood."""
    return float(-np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1))))


def cross_fit(
    x: Array, y: npt.NDArray[np.int64], k: int, groups: Sequence[object],
    l2_grid: Sequence[float] = (1e-2, 3e-2, 1e-1), n_folds: int = 5,
    sample_weight: Array | None = None,
) -> Fitted:
    """Choose L2 and the temperature on out-of-fold predictions, then fit on all rows.

    Features are standardised for fitting (embedding dimensions differ widely in spread); the
    returned weights apply to the raw features.
    """
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-6
    x = (x - mu) / sd
    folds = folds_of(groups, n_folds)
    best: tuple[float, float, float, Array] | None = None
    for l2 in l2_grid:
        logits = np.zeros((len(y), k))
        for f in range(n_folds):
            tr, te = folds != f, folds == f
            w, b = fit(x[tr], y[tr], k, l2,
                       sample_weight=None if sample_weight is None else sample_weight[tr])
            logits[te] = x[te] @ w + b
        temps = [(nll(softmax(logits / t), y), t) for t in TEMPERATURES]
        loss, temp = min(temps)
        if best is None or loss < best[0]:
            best = (loss, l2, float(temp), softmax(logits / temp))
    assert best is not None
    _, l2, temp, oof = best
    w, b = fit(x, y, k, l2, sample_weight=sample_weight)
    return Fitted(w / sd[:, None], b - (mu / sd) @ w, temp, l2, oof)


def ece(confidence: Array, correct: Array, bins: int = 10) -> float:
    """Expected calibration error: |accuracy - confidence| averaged over equal-width bins."""
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return total


def reliability(confidence: Array, correct: Array, bins: int = 5) -> str:
    """A small reliability table: per confidence bin, count, mean confidence, accuracy."""
    edges = np.linspace(0, 1, bins + 1)
    rows = []
    for lo, hi in itertools.pairwise(edges):
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            rows.append(f"    {lo:.1f}-{hi:.1f}: n={int(inside.sum()):5d}  "
                        f"confidence {confidence[inside].mean():.2f}  "
                        f"right {correct[inside].mean():.2f}")
    return "\n".join(rows)


def cohen_kappa(gold: Sequence[object], pred: Sequence[object]) -> float:
    """Cohen's kappa between two label sequences."""
    n = len(gold)
    if n == 0:
        return 0.0
    labels = set(gold) | set(pred)
    po = sum(g == p for g, p in zip(gold, pred, strict=True)) / n
    pe = sum((list(gold).count(c) / n) * (list(pred).count(c) / n) for c in labels)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0
