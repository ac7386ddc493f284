"""Floors on the hybrid scorer against the trainee-reply corpus (development half), real encoder."""

from __future__ import annotations

import sys
from functools import cache
from types import ModuleType

import pytest
from support.annomi import REPO, load_benchmark

# Measured with benchmarks/corpus_eval.py --half dev --scorer hybrid (docs/scoring.md). The heads
# were trained on this half, so these figures guard against regressions, not generalisation;
# the held-out test half is measured by the same script at the end of a round.
MAIN_ACT_FLOOR = {"en": 0.77, "fi": 0.69, "nl": 0.70}  # measured 0.80, 0.72, 0.73
HARM_RECALL_FLOOR = 0.58  # measured 0.62 (all languages)
FALSE_HARM_CEILING = 0.065  # measured 0.046
PRAISE_POOR_CEILING = 0.03  # measured 0.015
LISTENING_RHO_FLOOR = 0.57  # measured 0.61
EMPATHY_RHO_FLOOR = 0.61  # measured 0.65


@cache
def evaluation() -> ModuleType:
    """The evaluation script as a module (its folder on the path for its own imports)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    return load_benchmark("corpus_eval")


@cache
def figures() -> dict[str, dict[str, float]]:
    """Figures per language and pooled ("all") on the development half, hybrid scorer."""
    from simulator.encoder import shared_encoder

    bench = evaluation()
    corpus = sys.modules["corpus"]
    out: dict[str, dict[str, float]] = {}
    pooled = []
    for lang in ("en", "fi", "nl"):
        outs = [bench.score(it, shared_encoder()) for it in corpus.load_half("dev", lang)]
        pooled += outs
        out[lang] = bench.figures(outs)
    out["all"] = bench.figures(pooled)
    return out


def test_corpus_dev_half_is_present() -> None:
    """The development half ships with the repository, in all three languages."""
    for lang in ("en", "fi", "nl"):
        assert (REPO / "benchmarks" / "corpus" / "dev" / f"{lang}.jsonl").is_file()


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_main_act_floor(lang: str) -> None:
    """The reply's main act is the gold act or an accepted alternative often enough."""
    assert figures()[lang]["main_act"] >= MAIN_ACT_FLOOR[lang]


def test_harm_and_praise_floors() -> None:
    """Harm is flagged, harmless replies are rarely flagged, and poor replies are not praised."""
    f = figures()["all"]
    print(f)
    assert f["harm_recall"] >= HARM_RECALL_FLOOR
    assert f["false_harm"] <= FALSE_HARM_CEILING
    assert f["praise_poor"] <= PRAISE_POOR_CEILING


def test_score_rank_correlation_floors() -> None:
    """Listening and empathy rank replies as the labellers did, at least this well."""
    f = figures()["all"]
    assert f["listening_rho"] >= LISTENING_RHO_FLOOR
    assert f["empathy_rho"] >= EMPATHY_RHO_FLOOR
