"""Session summary: MITI 4.2.1 summary scores beside their fair and good thresholds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.types import DEEP_REFLECTIONS, HARMFUL, REFLECTIONS, Scores

# MITI 4.2.1 proficiency thresholds (Moyers et al. 2016) and the PRACTICE.md talk-time rule.
RQ_FAIR, RQ_GOOD = 1.0, 2.0  # reflections per question
COMPLEX_FAIR, COMPLEX_GOOD = 0.40, 0.50  # complex share of all reflections
OPEN_FAIR, OPEN_GOOD = 0.50, 0.70  # open share of questions (MITI 3.1.1)
TALK_SHARE_GOOD = 0.50  # skilled listeners talk less than half the time


# How each measure is named to the trainee and formatted (terminal and report alike).
MEASURE_LABELS = {
    "reflection_to_question": ("Reflections per question", "{:.1f}"),
    "percent_complex_reflections": ("Complex reflections", "{:.0%}"),
    "percent_open_questions": ("Open questions", "{:.0%}"),
    "mi_inconsistent": ("MI-inconsistent acts", "{:.0f}"),
    "talk_time_share": ("Your share of talk time", "{:.0%}"),
}


@dataclass(frozen=True)
class Measure:
    """One summary figure with its thresholds and the band it falls in."""

    name: str
    value: float | None
    fair: float | None
    good: float | None
    band: str  # "good", "fair", "below fair" or "n/a"
    higher_is_better: bool = True


@dataclass(frozen=True)
class SessionSummary:
    """The figures of a whole session, each beside its MITI threshold."""

    exchanges: int
    reflections: int
    questions: int
    measures: tuple[Measure, ...]

    def measure(self, name: str) -> Measure:
        """The measure called ``name``."""
        return next(m for m in self.measures if m.name == name)


def _band(value: float | None, fair: float | None, good: float | None, higher: bool) -> str:
    if value is None:
        return "n/a"
    sign = 1.0 if higher else -1.0
    if good is not None and sign * value >= sign * good:
        return "good"
    if fair is not None and sign * value >= sign * fair:
        return "fair"
    return "below fair"


def _measure(name: str, value: float | None, fair: float | None, good: float | None,
             higher: bool = True) -> Measure:
    shown = round(value, 3) if value is not None else None
    return Measure(name, shown, fair, good, _band(value, fair, good, higher), higher)


def summarize_session(
    exchanges_scores: Sequence[Scores],
    *,
    client_speech_s: Sequence[float] | None = None,
    client_words: Sequence[int] | None = None,
) -> SessionSummary:
    """MITI summary figures of a session.

    Talk-time share uses the trainee's speech time against the client's (``client_speech_s``)
    when both are known, otherwise word counts (``client_words``); it is n/a without either.
    """
    acts = [a for s in exchanges_scores for a in s.acts]
    reflections = [a for a in acts if a.kind in REFLECTIONS]
    complex_ = [a for a in reflections if a.kind in DEEP_REFLECTIONS]
    questions = [a for a in acts if a.kind in ("open_question", "closed_question")]
    open_ = [a for a in questions if a.kind == "open_question"]
    inconsistent = sum(a.kind in HARMFUL for a in acts)
    rq = len(reflections) / len(questions) if questions else None
    if rq is None and reflections:
        rq = float(len(reflections))
    measures = [
        _measure("reflection_to_question", rq, RQ_FAIR, RQ_GOOD),
        _measure("percent_complex_reflections",
                 len(complex_) / len(reflections) if reflections else None,
                 COMPLEX_FAIR, COMPLEX_GOOD),
        _measure("percent_open_questions", len(open_) / len(questions) if questions else None,
                 OPEN_FAIR, OPEN_GOOD),
        _measure("mi_inconsistent", float(inconsistent), 1.0, 0.0, higher=False),
        _measure("talk_time_share", _talk_share(exchanges_scores, client_speech_s, client_words),
                 None, TALK_SHARE_GOOD, higher=False),
    ]
    return SessionSummary(len(exchanges_scores), len(reflections), len(questions),
                          tuple(measures))


def _talk_share(
    scores: Sequence[Scores],
    client_speech_s: Sequence[float] | None,
    client_words: Sequence[int] | None,
) -> float | None:
    metrics = [s.pacing_metrics for s in scores]
    if client_speech_s is not None and all(m is not None for m in metrics) and metrics:
        mine = sum(m.speech_time_s for m in metrics if m is not None)
        total = mine + sum(client_speech_s)
        return mine / total if total > 0 else None
    if client_words is not None:
        mine_w = sum(len(a.text.split()) for s in scores for a in s.acts)
        total_w = mine_w + sum(client_words)
        return mine_w / total_w if total_w > 0 else None
    return None


def summary_to_dict(summary: SessionSummary) -> dict[str, object]:
    """JSON-ready form of a session summary."""
    return {
        "exchanges": summary.exchanges,
        "reflections": summary.reflections,
        "questions": summary.questions,
        "measures": {
            m.name: {
                "value": m.value,
                "fair": m.fair,
                "good": m.good,
                "band": m.band,
                "higher_is_better": m.higher_is_better,
            }
            for m in summary.measures
        },
    }
