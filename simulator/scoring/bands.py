"""Score bands: what the trainee sees first ("well"), with the 0-100 number second.

The cut points (40/60/80) follow the score scales themselves: 25 is the empathy base of a reply
that does nothing for or against the client, one strong EPITOME mechanism lifts it past 40,
two past 60 and all three past 80; listening starts at 50 ("partly": nothing picked up, nothing
dismissed), picking up the client's cues lifts it past 60 and a reflection of all of them past
80. docs/scoring.md says how far each band can be trusted.
"""

from __future__ import annotations

from typing import Literal

from simulator.scoring.text import feedback_texts

Band = Literal["not_yet", "partly", "well", "very_well"]
# The lowest score of each band, highest band first.
CUTS: tuple[tuple[int, Band], ...] = (
    (81, "very_well"), (61, "well"), (41, "partly"), (0, "not_yet")
)


def band(score: int) -> Band:
    """The band of a 0-100 score."""
    return next(name for low, name in CUTS if score >= low)


def band_label(name: Band, language: str) -> str:
    """The band's name for the trainee, in the session's language ("well", "hyvin", "goed")."""
    return str(feedback_texts(language)["bands"][name])


def score_bands(listening: int, empathy: int, pacing: int | None) -> dict[str, Band | None]:
    """The band of each score, keyed as the scores are (None for pacing not measured)."""
    return {
        "listening": band(listening),
        "empathy": band(empathy),
        "pacing": None if pacing is None else band(pacing),
    }
