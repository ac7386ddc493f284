"""English word rules: a final silent e is no syllable of its own."""

from __future__ import annotations

from simulator.language.pack import WordRules


def silent_ending(word: str, count: int) -> int:
    """The syllable count of a lower-case word without its silent final e ("make": one)."""
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        return count - 1
    return count


RULES = WordRules(silent_ending=silent_ending)
