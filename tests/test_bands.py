"""Tests of score bands: cut points, labels in three languages and the terminal rendering."""

from __future__ import annotations

import pytest
from rich.console import Console

from simulator.cli.render import show_scores
from simulator.scoring.bands import band, band_label
from simulator.types import Feedback, Scores


@pytest.mark.parametrize(("score", "expected"), [(0, "not_yet"), (40, "not_yet"), (41, "partly"),
                                                 (60, "partly"), (61, "well"), (80, "well"),
                                                 (81, "very_well"), (100, "very_well")])
def test_cut_points(score: int, expected: str) -> None:
    """0-40 not yet, 41-60 partly, 61-80 well, 81-100 very well."""
    assert band(score) == expected


@pytest.mark.parametrize(("lang", "labels"), [
    ("en", ("not yet", "partly", "well", "very well")),
    ("fi", ("ei vielä", "osittain", "hyvin", "erittäin hyvin")),
    ("nl", ("nog niet", "deels", "goed", "heel goed")),
])
def test_labels_are_translated(lang: str, labels: tuple[str, ...]) -> None:
    """Each band has a label in the session's language."""
    names = ("not_yet", "partly", "well", "very_well")
    assert tuple(band_label(n, lang) for n in names) == labels  # type: ignore[arg-type]


def test_terminal_shows_the_band_before_the_number() -> None:
    """The rendering says 'Listening well 72', the band first and the number after it."""
    console = Console(record=True, width=200, color_system=None)
    show_scores(console, Scores(72, 35, None, ()), Feedback(None, ()), "fi")
    text = console.export_text()
    assert "Listening hyvin 72" in text and "Empathy ei vielä 35" in text
