"""Plots as inline SVG, drawn by matplotlib (imported here only, and only when a page is made).

Each function takes plain numbers and returns the ``<svg>`` element as text, with text kept as
text (searchable, selectable, printable) and ids salted per plot so that several plots share one
page without clashing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN = 7.5, 2.6  # inches at 100 dpi: about the width of the page's column
COLOURS = ("#2f5d8a", "#c06c2b", "#4b9b5a", "#8e44ad", "#a93226", "#117a8b")


def _figure(rows: int = 1) -> tuple[Figure, list[Axes]]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN * rows), dpi=100, layout="constrained")
    axes = [fig.add_subplot(rows, 1, i + 1) for i in range(rows)]
    for ax in axes:
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#e3e7ee", linewidth=0.8)
        ax.set_axisbelow(True)
    return fig, axes


def _svg(fig: Figure, salt: str) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt,
                                "font.size": 9}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    start, end = text.find("<metadata>"), text.find("</metadata>")
    return text[:start] + text[end + len("</metadata>"):] if start >= 0 <= end else text


def state_curve(intensity: Sequence[float], trust: Sequence[float], emotions: Sequence[str],
                salt: str = "state") -> str:
    """The client's intensity and trust before each exchange and at the end, emotions named."""
    fig, (ax,) = _figure()
    xs = list(range(1, len(intensity) + 1))
    ax.plot(xs, intensity, marker="o", color=COLOURS[1], label="intensity")
    ax.plot(xs, trust, marker="s", color=COLOURS[0], label="trust")
    for x, y, emotion in zip(xs, intensity, emotions, strict=True):
        ax.annotate(emotion, (x, y), textcoords="offset points", xytext=(0, 7), ha="center",
                    fontsize=7, color="#5b6575")
    ax.set_ylim(0, 1.1)
    ax.set_xticks(xs, [str(x) if x < len(xs) else "end" for x in xs])
    ax.set_xlabel("exchange")
    ax.legend(loc="lower right", frameon=False, ncols=2)
    return _svg(fig, salt)


def pacing_plot(wpm: Sequence[float | None], pauses: Sequence[float | None],
                band: tuple[float, float], salt: str = "pacing") -> str:
    """Words per minute (against the language's band) and the pause before each answer."""
    fig, (top, bottom) = _figure(rows=2)
    xs = list(range(1, len(wpm) + 1))
    top.axhspan(band[0], band[1], color="#4b9b5a", alpha=0.15, label="recommended band")
    top.plot([x for x, v in zip(xs, wpm, strict=True) if v is not None],
             [v for v in wpm if v is not None], marker="o", color=COLOURS[0], label="words/min")
    top.set_ylabel("words/min")
    top.legend(loc="upper right", frameon=False, ncols=2)
    bottom.bar([x for x, v in zip(xs, pauses, strict=True) if v is not None],
               [v for v in pauses if v is not None], color=COLOURS[1], width=0.5)
    bottom.set_ylabel("pause (s)")
    bottom.set_xlabel("exchange")
    for ax in (top, bottom):
        ax.set_xticks(xs)
    return _svg(fig, salt)


def trend_plot(series: dict[str, Sequence[float | None]], labels: Sequence[str],
               ylabel: str, salt: str, ylim: tuple[float, float] | None = (0, 100)) -> str:
    """One line per named series over sessions (oldest first), the sessions labelled by date."""
    fig, (ax,) = _figure()
    xs = list(range(1, len(labels) + 1))
    for colour, (name, values) in zip(COLOURS * 4, series.items(), strict=False):
        points = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", color=colour, label=name)
    if ylim is not None:
        ax.set_ylim(*ylim)
    step = max(1, len(xs) // 10)
    ax.set_xticks(xs[::step], list(labels)[::step], rotation=20, ha="right", fontsize=7)
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", frameon=False, ncols=3, fontsize=7)
    return _svg(fig, salt)
