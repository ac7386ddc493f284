"""Floors on the hybrid scorer against the trainee-reply corpus, both halves, real encoder.

Only aggregate figures of the test half are computed here (as by benchmarks/corpus_eval.py).
"""

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
# Test half, measured once after the last change to rules and heads (docs/scoring.md).
TEST_FLOORS = {
    "main_act_en": 0.65, "main_act_fi": 0.63, "main_act_nl": 0.62,  # measured 0.68, 0.66, 0.65
    "harm_recall": 0.50, "listening_rho": 0.45, "empathy_rho": 0.51,  # 0.53, 0.48, 0.54
}
TEST_CEILINGS = {"false_harm": 0.10, "praise_poor": 0.03}  # measured 0.088, 0.016


@cache
def evaluation() -> ModuleType:
    """The evaluation script as a module (its folder on the path for its own imports)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    return load_benchmark("corpus_eval")


@cache
def figures(half: str = "dev") -> dict[str, dict[str, float]]:
    """Figures per language and pooled ("all") on one half, hybrid scorer."""
    from simulator.encoder import shared_encoder

    bench = evaluation()
    corpus = sys.modules["corpus"]
    out: dict[str, dict[str, float]] = {}
    pooled = []
    for lang in ("en", "fi", "nl"):
        outs = [bench.score(it, shared_encoder()) for it in corpus.load_half(half, lang)]
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


def test_test_half_floors() -> None:
    """On the held-out half the hybrid keeps its measured main act, harm, ranks and praise."""
    f = figures("test")
    for lang in ("en", "fi", "nl"):
        assert f[lang]["main_act"] >= TEST_FLOORS[f"main_act_{lang}"], lang
    for key in ("harm_recall", "listening_rho", "empathy_rho"):
        assert f["all"][key] >= TEST_FLOORS[key], key
    for key, ceiling in TEST_CEILINGS.items():
        assert f["all"][key] <= ceiling, key
