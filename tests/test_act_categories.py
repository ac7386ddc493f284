"""The act categories (harmful, reflections, questions) are defined once and used consistently."""

from __future__ import annotations

import re
from pathlib import Path

from simulator.dialogue import REACTION_ORDER
from simulator.feedback.compose import PRAISE_ORDER
from simulator.feedback.suggestions import PROMISED
from simulator.scoring.empathy import HARMS
from simulator.scoring.listening import DISMISSALS
from simulator.types import (
    ACT_KINDS,
    DEEP_REFLECTIONS,
    HARMFUL,
    HARMFUL_ACTS,
    QUESTIONS,
    REFLECTIONS,
)

SIMULATOR = Path(__file__).resolve().parents[1] / "simulator"


def test_categories_are_act_kinds_and_fit_together() -> None:
    """Each category holds known act kinds; deep reflections are reflections; none is harmful."""
    assert set(HARMFUL_ACTS) == HARMFUL and len(HARMFUL_ACTS) == len(HARMFUL)
    for category in (HARMFUL, REFLECTIONS, DEEP_REFLECTIONS, QUESTIONS):
        assert category <= set(ACT_KINDS)
    assert DEEP_REFLECTIONS < REFLECTIONS
    assert not HARMFUL & (REFLECTIONS | QUESTIONS)


def test_tables_keyed_by_category_cover_it() -> None:
    """Scorer and feedback tables use the shared categories rather than lists of their own."""
    assert set(HARMS) == HARMFUL  # every harmful act costs empathy
    assert set(DISMISSALS) <= HARMFUL
    assert PROMISED["reflection"] == REFLECTIONS
    assert not set(PRAISE_ORDER) & HARMFUL
    first_harmless = next(i for i, k in enumerate(REACTION_ORDER) if k not in HARMFUL)
    assert set(REACTION_ORDER[:first_harmless]) == HARMFUL  # the client reacts to harm first


def test_no_module_spells_out_a_category_again() -> None:
    """Outside types.py no set literal lists all the harmful acts, or all three reflections."""
    harmful = [f'"{k}"' for k in HARMFUL]
    reflections = [f'"{k}"' for k in REFLECTIONS]
    found = []
    for path in SIMULATOR.rglob("*.py"):
        if path.name == "types.py":
            continue
        text = path.read_text(encoding="utf-8")
        # A set literal (orders such as PRAISE_ORDER and tables keyed by act are not categories).
        for literal in re.findall(r"\{[^{}:]*\}", text):
            if all(k in literal for k in harmful) or all(k in literal for k in reflections):
                found.append(f"{path.relative_to(SIMULATOR)}: {literal[:60]}")
    assert not found
