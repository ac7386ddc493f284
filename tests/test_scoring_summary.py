"""Tests of the session summary against the MITI 4.2.1 thresholds."""

from __future__ import annotations

from simulator.scoring import summarize_session, summary_to_dict
from simulator.types import Act, ActKind, Scores


def scores(*kinds: ActKind) -> Scores:
    """Scores whose acts have the given kinds (texts of four words each)."""
    return Scores(50, 50, None, tuple(Act(k, "one two three four") for k in kinds))


def test_reflective_session_is_good() -> None:
    """Four reflections (three complex) to two open questions reach 'good' on all three ratios."""
    s = summarize_session([
        scores("complex_reflection", "open_question"),
        scores("complex_reflection", "simple_reflection"),
        scores("summary", "open_question"),
    ])
    assert s.measure("reflection_to_question").value == 2.0
    assert s.measure("reflection_to_question").band == "good"
    assert s.measure("percent_complex_reflections").band == "good"
    assert s.measure("percent_open_questions").value == 1.0
    assert s.measure("mi_inconsistent").band == "good"


def test_question_heavy_session_is_below_fair() -> None:
    """Closed questions and advice give a low R:Q, few open questions and MI-inconsistent acts."""
    s = summarize_session([
        scores("closed_question", "closed_question"),
        scores("simple_reflection", "advice"),
        scores("closed_question", "judgement"),
    ])
    assert s.measure("reflection_to_question").band == "below fair"
    assert s.measure("percent_complex_reflections").value == 0.0
    assert s.measure("percent_open_questions").band == "below fair"
    assert s.measure("mi_inconsistent").value == 2.0
    assert s.measure("mi_inconsistent").band == "below fair"


def test_talk_time_share_from_words() -> None:
    """Trainee words against client words give the talk-time share; over half is not good."""
    s = summarize_session([scores("simple_reflection"), scores("open_question")],
                          client_words=[4, 4])
    share = s.measure("talk_time_share")
    assert share.value == 0.5 and share.band == "good"
    s2 = summarize_session([scores("simple_reflection")], client_words=[1])
    assert s2.measure("talk_time_share").band == "below fair"


def test_summary_dict_lists_thresholds() -> None:
    """The JSON form shows each figure beside its fair and good thresholds."""
    data = summary_to_dict(summarize_session([scores("simple_reflection", "open_question")]))
    measures = data["measures"]
    assert isinstance(measures, dict)
    assert measures["reflection_to_question"] == {"value": 1.0, "fair": 1.0, "good": 2.0,
                                                  "band": "fair", "higher_is_better": True}
    assert measures["mi_inconsistent"]["higher_is_better"] is False
    assert measures["percent_complex_reflections"]["fair"] == 0.4
    assert measures["talk_time_share"]["value"] is None
