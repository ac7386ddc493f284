"""One session as a self-contained HTML report, built from its log (never from the terminal).

Every figure shown is taken from the log record it describes and carries a ``data-*`` attribute
with the same value, so a test (or a curious reader) can check the page against the log.
"""

from __future__ import annotations

from pathlib import Path

from simulator.report.page import esc, figure, page, table
from simulator.report.plots import pacing_plot, state_curve
from simulator.scoring.bands import band
from simulator.scoring.summary import MEASURE_LABELS, Measure
from simulator.scoring.text import lexicon
from simulator.session_log import ExchangeRecord, SessionLogData
from simulator.types import HARMFUL, QUESTIONS, REFLECTIONS, Exchange

REPORT_NAME = "report.html"
BAND_NAMES = {"not_yet": "not yet", "partly": "partly", "well": "well", "very_well": "very well"}
OUTCOMES = {
    "resolution": "the client's concern was resolved",
    "walk_out": "the client walked out",
    "turn_limit": "the session reached its turn limit",
    "interrupted": "the session was stopped",
    "error": "the session stopped on an error",
}


def _audio(folder: Path, name: str | None, label: str) -> str:
    if not name or not (folder / name).is_file():
        return ""
    return (f"<audio controls preload=\"none\" src=\"{esc(name)}\" "
            f"aria-label=\"{esc(label)}\"></audio>")


def _act_class(kind: str) -> str:
    if kind in HARMFUL:
        return "act harm"
    if kind in REFLECTIONS or kind in QUESTIONS:
        return "act listen"
    return "act"


def _transcript(ex: Exchange) -> str:
    """The reply with each act's words marked and named."""
    if not ex.scores.acts:
        return esc(ex.reply.text)
    parts = []
    for act in ex.scores.acts:
        conf = getattr(act, "confidence", None)
        title = act.kind.replace("_", " ") + (f" ({conf:.0%} sure)" if conf is not None else "")
        parts.append(
            f"<mark class=\"{_act_class(act.kind)}\" data-act=\"{esc(act.kind)}\" "
            f"title=\"{esc(title)}\">{esc(act.text)}</mark>"
            f"<span class=\"actname\">{esc(act.kind.replace('_', ' '))}</span>"
        )
    return " ".join(parts)


def _score_box(name: str, value: int | None) -> str:
    if value is None:
        return (f"<div class=\"score\" data-score=\"{name}\" data-value=\"\">{name}: "
                "<span class=\"num\">not measured (typed)</span></div>")
    b = band(value)
    return (f"<div class=\"score band-{b}\" data-score=\"{name}\" data-value=\"{value}\">"
            f"{name}: <span class=\"band\">{BAND_NAMES[b]}</span> "
            f"<span class=\"num\">{value}/100</span></div>")


def _evidence(ex: Exchange) -> str:
    items = []
    for ev in ex.scores.evidence:
        sign = "plus" if ev.points > 0 else "minus" if ev.points < 0 else ""
        quote = f" — “{esc(ev.quote)}”" if ev.quote else ""
        items.append(f"<li class=\"{sign}\">{esc(ev.score)} {ev.points:+.0f}: "
                     f"{esc(ev.reason)}{quote}</li>")
    return f"<ul class=\"evidence\">{''.join(items)}</ul>" if items else ""


def _feedback(ex: Exchange) -> str:
    lines = []
    # The feedback's own lines carry their headings in the session's language.
    if ex.feedback.praise:
        lines.append(f"<p class=\"praise\">✓ {esc(ex.feedback.praise)}</p>")
    lines += [f"<p class=\"suggestion\">→ {esc(s)}</p>" for s in ex.feedback.suggestions]
    return f"<div class=\"feedback\">{''.join(lines)}</div>" if lines else ""


def _exchange_card(folder: Path, record: ExchangeRecord, client_name: str) -> str:
    ex = record.exchange
    n = ex.index + 1
    pacing = ex.scores.pacing_metrics
    pace = ""
    if pacing is not None:
        latency = ex.response_latency_s
        pause = f", pause before answering {latency:.1f} s" if latency is not None else ""
        pace = (f"<p class=\"small muted\" data-wpm=\"{pacing.wpm:.0f}\">{pacing.wpm:.0f} "
                f"words/min over speech time{pause}</p>")
    stopped = ("<p class=\"small\">The client stopped mid-sentence when you started "
               "talking.</p>") if ex.client_stopped else ""
    state = ex.client_state_after
    return (
        f"<section class=\"card\" data-exchange=\"{n}\"><h3>Exchange {n}</h3>"
        f"<p class=\"line\"><span class=\"speaker\">{esc(client_name)}:</span>"
        f"{esc(ex.client.text)} {_audio(folder, ex.client_audio, 'client line')}</p>"
        f"<p class=\"line\"><span class=\"speaker\">You:</span>{_transcript(ex)} "
        f"{_audio(folder, ex.reply_audio, 'your reply')}</p>{stopped}"
        f"<div class=\"scores\">{_score_box('listening', ex.scores.listening)}"
        f"{_score_box('empathy', ex.scores.empathy)}{_score_box('pacing', ex.scores.pacing)}"
        f"</div>{pace}{_feedback(ex)}"
        f"<details><summary class=\"small\">Why these scores</summary>{_evidence(ex)}</details>"
        f"<p class=\"small muted\">Client after this reply: {esc(state.emotion)}, intensity "
        f"{state.intensity:.2f}, trust {state.trust:.2f}</p></section>"
    )


def _measure_row(m: Measure) -> list[str]:
    label, fmt = MEASURE_LABELS.get(m.name, (m.name, "{:.2f}"))
    value = "—" if m.value is None else fmt.format(m.value)
    fair = "—" if m.fair is None else fmt.format(m.fair)
    good = "—" if m.good is None else fmt.format(m.good)
    if not m.higher_is_better:
        fair, good = (f"≤ {fair}" if m.fair is not None else fair,
                      f"≤ {good}" if m.good is not None else good)
    data = "" if m.value is None else f"{m.value:.4f}"
    return [esc(label), f"<span data-measure=\"{esc(m.name)}\" data-value=\"{data}\">"
            f"{esc(value)}</span>", esc(fair), esc(good), esc(m.band)]


def _summary(log: SessionLogData) -> str:
    summary = log.end.summary if log.end else None
    if summary is None:
        return "<p class=\"muted\">No summary: the session did not end normally.</p>"
    rows = [_measure_row(m) for m in summary.measures]
    return (
        table(["measure", "you", "fair", "good", ""], rows, numeric={1, 2, 3})
        + "<p class=\"small muted\">Thresholds from MITI 4.2.1 (Moyers et al.). Simple and "
        "complex reflections agree only weakly with expert coders: read the complex share as "
        "a hint.</p>"
    )


def session_html(folder: Path, log: SessionLogData) -> str:
    """The report page of one session, its audio referred to by file names in ``folder``."""
    start = log.start
    exchanges = log.exchanges
    outcome = log.end.outcome if log.end else "unfinished"
    states = [r.exchange.client.state for r in exchanges]
    if exchanges:
        states.append(exchanges[-1].exchange.client_state_after)
    if log.end and log.end.final_state is not None:
        states[-1:] = [log.end.final_state]
    body = [
        f"<h1>{esc(start.persona_name)} <span class=\"muted small\">{esc(start.persona_id)}"
        "</span></h1>",
        f"<p>{esc(start.situation)}</p>",
        "<ul class=\"facts\">"
        f"<li><b>Date:</b> <span data-started=\"{esc(start.started)}\">"
        f"{esc(start.started.replace('T', ' ')[:16])} UTC</span></li>"
        f"<li><b>Language:</b> {esc(start.language)}</li>"
        f"<li><b>Exchanges:</b> <span data-exchanges=\"{len(exchanges)}\">{len(exchanges)}"
        "</span></li>"
        f"<li><b>Outcome:</b> <span data-outcome=\"{esc(outcome)}\">"
        f"{esc(OUTCOMES.get(outcome, outcome))}</span></li>"
        f"<li><b>Session:</b> {esc(start.session_id)}</li></ul>",
    ]
    if log.end and log.end.closing_line:
        body.append(f"<p><b>The client's last words:</b> {esc(log.end.closing_line)}</p>")
    if log.problems:
        body.append("<p class=\"small\">Damaged lines skipped: "
                    f"{esc('; '.join(log.problems))}</p>")
    if states:
        body.append("<h2>The client over the session</h2>" + figure(
            state_curve([s.intensity for s in states], [s.trust for s in states],
                        [s.emotion for s in states]),
            "Intensity of the client's emotion and their trust in you, before each exchange "
            "and at the end.", "state"))
    body.append("<h2>Exchange by exchange</h2>")
    body += [_exchange_card(folder, r, start.persona_name) for r in exchanges]
    body.append(_pacing_section(start.language, exchanges))
    body.append("<h2>Session summary against MITI 4.2.1</h2>" + _summary(log))
    return page(f"Session report: {start.persona_name}, {start.started[:10]}", "\n".join(body))


def _pacing_section(language: str, exchanges: tuple[ExchangeRecord, ...]) -> str:
    metrics = [r.exchange.scores.pacing_metrics for r in exchanges]
    if not any(m is not None for m in metrics):
        return ""
    low, high = (float(x) for x in lexicon(language).section("pacing")["wpm"])
    wpm = [None if m is None or m.word_count < 4 else m.wpm for m in metrics]
    pauses = [r.exchange.response_latency_s for r in exchanges]
    return "<h2>Pacing</h2>" + figure(
        pacing_plot(wpm, pauses, (low, high)),
        f"Words per minute over speech time against the recommended band for this language "
        f"({low:.0f}-{high:.0f}), and the pause before each answer. A deliberate pause before "
        "answering a distressed client is a skill, not a fault.", "pacing")


def write_session_report(folder: Path, log: SessionLogData) -> Path:
    """Write ``report.html`` into the session folder (0600) and return its path."""
    from simulator.storage import write_private

    path = folder / REPORT_NAME
    write_private(path, session_html(folder, log).encode("utf-8"))
    return path
