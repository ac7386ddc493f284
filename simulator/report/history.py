"""Progress over sessions: per-session figures, a plain verdict on each trend, and the page.

A trend is the least-squares slope of a figure over the trainee's sessions (oldest first), in
points per session. With fewer than ``MIN_SESSIONS`` sessions there is no verdict; a slope
within ``FLAT`` of zero is "steady". That is all the statistics a handful of sessions can bear.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean

from simulator.report.page import esc, figure, page, table
from simulator.report.plots import trend_plot
from simulator.session_log import SessionLogData

MIN_SESSIONS = 3  # fewer sessions give no verdict on a trend
FLAT = 1.0  # points per session: a smaller slope is "steady"


@dataclass(frozen=True)
class SessionFigures:
    """What one session contributes to a history: its means and MITI figures."""

    session_id: str
    persona: str
    language: str
    started: str
    outcome: str
    exchanges: int
    listening: float | None
    empathy: float | None
    pacing: float | None
    reflection_to_question: float | None
    percent_complex_reflections: float | None
    percent_open_questions: float | None
    mi_inconsistent: float | None


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(fmean(present), 1) if present else None


def session_figures(log: SessionLogData) -> SessionFigures:
    """The figures of one session, from its log."""
    scores = [r.exchange.scores for r in log.exchanges]
    summary = log.end.summary if log.end else None
    measure = {m.name: m.value for m in summary.measures} if summary else {}
    return SessionFigures(
        session_id=log.start.session_id,
        persona=log.start.persona_id,
        language=log.start.language,
        started=log.start.started,
        outcome=log.end.outcome if log.end else "unfinished",
        exchanges=len(scores),
        listening=_mean(s.listening for s in scores),
        empathy=_mean(s.empathy for s in scores),
        pacing=_mean(s.pacing for s in scores),
        reflection_to_question=measure.get("reflection_to_question"),
        percent_complex_reflections=measure.get("percent_complex_reflections"),
        percent_open_questions=measure.get("percent_open_questions"),
        mi_inconsistent=measure.get("mi_inconsistent"),
    )


def slope(values: Sequence[float | None]) -> float | None:
    """Least-squares change per session over the values present, or None if too few."""
    points = [(float(i), v) for i, v in enumerate(values) if v is not None]
    if len(points) < MIN_SESSIONS:
        return None
    mx = fmean(x for x, _ in points)
    my = fmean(y for _, y in points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0


def verdict(values: Sequence[float | None], *, higher_is_better: bool = True,
            scale: float = 1.0) -> str:
    """'improving', 'getting worse', 'steady' or 'not enough sessions yet'."""
    s = slope(values)
    if s is None:
        return f"not enough sessions yet (needs {MIN_SESSIONS})"
    s *= scale
    if abs(s) < FLAT:
        return "steady"
    return "improving" if (s > 0) == higher_is_better else "getting worse"


# (attribute, label, higher is better, scale to points per session)
TRENDS: tuple[tuple[str, str, bool, float], ...] = (
    ("listening", "Listening", True, 1.0),
    ("empathy", "Empathy", True, 1.0),
    ("pacing", "Pacing", True, 1.0),
    ("reflection_to_question", "Reflections per question", True, 10.0),
    ("percent_complex_reflections", "Complex reflections", True, 100.0),
    ("percent_open_questions", "Open questions", True, 100.0),
    ("mi_inconsistent", "MI-inconsistent acts", False, 10.0),
)


def trends(rows: Sequence[SessionFigures]) -> list[tuple[str, str]]:
    """Each figure's label and its verdict over the sessions given (oldest first)."""
    return [(label, verdict([getattr(r, attr) for r in rows], higher_is_better=better,
                            scale=scale))
            for attr, label, better, scale in TRENDS]


def _fmt(value: float | None, pattern: str = "{:.0f}") -> str:
    return "—" if value is None else pattern.format(value)


def history_rows(rows: Sequence[SessionFigures]) -> list[list[str]]:
    """Table cells (plain text) for each session: date, persona, outcome and figures."""
    return [[r.started[:16].replace("T", " "), r.persona, r.outcome, str(r.exchanges),
             _fmt(r.listening), _fmt(r.empathy), _fmt(r.pacing),
             _fmt(r.reflection_to_question, "{:.1f}"),
             _fmt(r.percent_open_questions, "{:.0%}")] for r in rows]


HISTORY_HEADERS = ("date", "persona", "outcome", "exchanges", "listening", "empathy", "pacing",
                   "refl./question", "open questions")


def history_html(rows: Sequence[SessionFigures], title: str = "Your practice over time") -> str:
    """The history page: trends in words, plots over all sessions and per persona, the table."""
    body = [f"<h1>{esc(title)}</h1>",
            f"<p class=\"muted\" data-sessions=\"{len(rows)}\">{len(rows)} session(s)</p>"]
    if not rows:
        return page(title, "\n".join([*body, "<p>No sessions yet.</p>"]))
    body.append("<h2>Are you improving?</h2>")
    body.append(table(["figure", "over all sessions"],
                      [[esc(label), f"<span class=\"verdict\" data-trend=\"{esc(label)}\">"
                        f"{esc(v)}</span>"] for label, v in trends(rows)]))
    dates = [_when(r.started) for r in rows]
    body.append(figure(trend_plot({"listening": [r.listening for r in rows],
                                   "empathy": [r.empathy for r in rows],
                                   "pacing": [r.pacing for r in rows]}, dates, "score (0-100)",
                                  salt="scores"),
                       "Mean listening, empathy and pacing per session.", "scores"))
    body.append(figure(trend_plot(
        {"complex reflections %": [_pct(r.percent_complex_reflections) for r in rows],
         "open questions %": [_pct(r.percent_open_questions) for r in rows]},
        dates, "percent", salt="miti"), "MITI figures per session.", "miti"))
    personas = sorted({r.persona for r in rows})
    for persona in personas:
        mine = [r for r in rows if r.persona == persona]
        outcomes = ", ".join(f"{r.outcome}" for r in mine)
        body.append(f"<h2>{esc(persona)}</h2><p class=\"small\">Outcomes, oldest first: "
                    f"{esc(outcomes)}</p>")
        body.append(table(["figure", "trend"], [[esc(label), esc(v)]
                                               for label, v in trends(mine)[:3]]))
        if len(mine) > 1:
            body.append(figure(trend_plot({"listening": [r.listening for r in mine],
                                           "empathy": [r.empathy for r in mine]},
                                          [_when(r.started) for r in mine], "score (0-100)",
                                          salt=f"p-{persona}"),
                               f"Listening and empathy with {persona}.", f"persona-{persona}"))
    body.append("<h2>Every session</h2>")
    cells = [[esc(c) for c in row] for row in history_rows(rows)]
    body.append(table(HISTORY_HEADERS, cells, numeric={3, 4, 5, 6, 7, 8},
                      attrs=" data-table=\"sessions\""))
    return page(title, "\n".join(body))


def _when(started: str) -> str:
    """A session's start as a short axis label: month-day hour:minute."""
    return started[5:16].replace("T", " ")


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)
