"""The stable JSON shape of one scored exchange (key names are a public interface)."""

from __future__ import annotations

from dataclasses import asdict

from simulator.types import Feedback, Scores


def result_to_dict(scores: Scores, feedback: Feedback) -> dict[str, object]:
    """Acts, scores, feedback lines, evidence and pacing metrics as plain JSON-ready data."""
    lines = ([feedback.praise] if feedback.praise else []) + list(feedback.suggestions)
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
        "feedback": lines,
        "praise": feedback.praise,
        "suggestions": list(feedback.suggestions),
        "evidence": [
            {"score": e.score, "points": round(e.points, 1), "reason": e.reason, "quote": e.quote}
            for e in scores.evidence
        ],
        "pacing": pacing,
    }
