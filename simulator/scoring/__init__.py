"""Scoring of one exchange: acts, listening, empathy and pacing, each with its evidence."""

from simulator.scoring.acts import classify_acts
from simulator.scoring.exchange import score_exchange
from simulator.scoring.pacing import pacing_metrics
from simulator.scoring.serialize import result_to_dict
from simulator.scoring.summary import Measure, SessionSummary, summarize_session, summary_to_dict

__all__ = [
    "Measure",
    "SessionSummary",
    "classify_acts",
    "pacing_metrics",
    "result_to_dict",
    "score_exchange",
    "summarize_session",
    "summary_to_dict",
]
