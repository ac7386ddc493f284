"""The stable JSON shape of one scored exchange (key names are a public interface)."""

from __future__ import annotations

from dataclasses import asdict

from simulator.scoring.bands import score_bands
from simulator.types import Feedback, Scores


def result_to_dict(scores: Scores, feedback: Feedback) -> dict[str, object]:
    """Acts, scores and bands, feedback lines, evidence, pacing, transcript and risk checks.

    ``feedback`` lists every line in the order the trainee sees them: the notice (an unclear
    transcript, a reply in another language), the praise, then the suggestions.
    """
    lines = [line for line in (feedback.notice, feedback.praise) if line]
    lines += list(feedback.suggestions)
    pacing: dict[str, object] | None = None
    if scores.pacing_metrics is not None:
        m = asdict(scores.pacing_metrics)
        m["long_pauses"] = [list(p) for p in scores.pacing_metrics.long_pauses]
        m["fillers"] = list(scores.pacing_metrics.fillers)
        pacing = m
    return {
        "acts": [
            {
                "kind": a.kind,
                "text": a.text,
                "start": a.start,
                "end": a.end,
                "confidence": round(a.confidence, 3),
                "decided_by": a.decided_by,
            }
            for a in scores.acts
        ],
        "scores": {
            "listening": scores.listening,
            "empathy": scores.empathy,
            "pacing": scores.pacing,
        },
        "bands": score_bands(scores.listening, scores.empathy, scores.pacing),
        "feedback": lines,
        "praise": feedback.praise,
        "suggestions": list(feedback.suggestions),
        "evidence": [
            {"score": e.score, "points": round(e.points, 1), "code": e.code, "reason": e.reason,
             "quote": e.quote}
            for e in scores.evidence
        ],
        "pacing": pacing,
        "notice": feedback.notice,
        "transcript_check": None if scores.transcript is None else asdict(scores.transcript),
        "risk": None if scores.risk is None else asdict(scores.risk),
        "harm": {
            "probability": (
                None if scores.harm_probability is None else round(scores.harm_probability, 3)
            ),
            "flagged": scores.harm_flagged,
        },
    }
