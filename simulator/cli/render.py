"""Terminal output with rich: client lines, scores, feedback and the client's state meters."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from simulator.cli.textsafe import shown
from simulator.scoring import SessionSummary
from simulator.scoring.bands import band, band_label
from simulator.scoring.summary import MEASURE_LABELS
from simulator.types import EmotionalState, Exchange, Feedback, Scores

METER_WIDTH = 10  # characters in a 0-1 meter


def meter(value: float) -> str:
    """A 0-1 value as a bar of filled and empty blocks."""
    filled = round(max(0.0, min(1.0, value)) * METER_WIDTH)
    return "█" * filled + "░" * (METER_WIDTH - filled)


def state_line(state: EmotionalState) -> str:
    """The client's inner state as the trainee sees it."""
    return (
        f"{state.emotion} · intensity {meter(state.intensity)} {state.intensity:.2f}"
        f" · trust {meter(state.trust)} {state.trust:.2f} · stage {state.stage}"
    )


def show_client(console: Console, index: int, text: str, state: EmotionalState) -> None:
    """Print what the client says and how they feel."""
    console.print(f"\n[bold]Exchange {index + 1}[/bold] — client ({shown(state_line(state))})")
    console.print(f"  [cyan]Client:[/cyan] {shown(text)}")


def banded(score: int | None, language: str) -> str:
    """A score as its band in bold with the number after it, dimmed ("well 72")."""
    if score is None:
        return "[bold]—[/bold]"
    return f"[bold]{shown(band_label(band(score), language))}[/bold] [dim]{score}[/dim]"


def show_scores(console: Console, scores: Scores, feedback: Feedback, language: str = "en") -> None:
    """Print the scores as bands, the acts and the feedback of one reply."""
    acts = ", ".join(a.kind for a in scores.acts) or "none"
    console.print(
        f"  Listening {banded(scores.listening, language)}"
        f"  Empathy {banded(scores.empathy, language)}"
        f"  Pacing {banded(scores.pacing, language)}   [dim]acts: {shown(acts)}[/dim]"
    )
    if scores.pacing_metrics is not None:
        m = scores.pacing_metrics
        latency = "—" if m.response_latency_s is None else f"{m.response_latency_s:.1f} s"
        console.print(
            f"  [dim]{m.wpm:.0f} words/min over speech time, {m.syllables_per_second:.1f} syll/s,"
            f" pause before answering {latency}, {len(m.long_pauses)} long pause(s),"
            f" {m.fillers_per_100_words:.1f} fillers per 100 words[/dim]"
        )
    if feedback.notice:
        console.print(f"  [red]! {shown(feedback.notice)}[/red]")
    if feedback.praise:
        console.print(f"  [green]✓ {shown(feedback.praise)}[/green]")
    for tip in feedback.suggestions:
        console.print(f"  [yellow]→ {shown(tip)}[/yellow]")


def show_exchange(console: Console, ex: Exchange) -> None:
    """Print the trainee's reply, its scores and feedback, and how the client now feels."""
    console.print(f"  [magenta]You:[/magenta] {shown(ex.reply.text)}")
    if ex.client_stopped:
        console.print("  [dim]The client stopped mid-sentence when you started talking.[/dim]")
    show_scores(console, ex.scores, ex.feedback, ex.client.language)
    console.print(f"  [dim]Client now: {shown(state_line(ex.client_state_after))}[/dim]")


def show_summary(console: Console, summary: SessionSummary) -> None:
    """Print the session's MITI figures beside their fair and good thresholds."""
    table = Table(title="Session summary (MITI 4.2.1 thresholds)", title_justify="left")
    for column in ("measure", "you", "fair", "good", ""):
        table.add_column(column)
    colours = {"good": "green", "fair": "yellow", "below fair": "red", "n/a": "dim"}
    for m in summary.measures:
        label, fmt = MEASURE_LABELS.get(m.name, (m.name, "{:.2f}"))

        def shown(value: float | None, fmt: str = fmt) -> str:
            return "—" if value is None else fmt.format(value)

        lower = "" if m.higher_is_better else "≤ "
        fair = "—" if m.fair is None else lower + shown(m.fair)
        good = "—" if m.good is None else lower + shown(m.good)
        band = f"[{colours.get(m.band, 'dim')}]{m.band}[/]"
        table.add_row(label, shown(m.value), fair, good, band)
    console.print(table)
    console.print(
        "[dim]Simple vs complex reflections agree only weakly with expert coders, so read the"
        " complex share as a hint (docs/scoring.md).[/dim]"
    )
