"""Text from files, typed replies and transcripts made safe to show in a terminal.

Control characters (ANSI escapes, bells, backspaces) and bidirectional overrides (which make a
line display in another order than it was written) are shown as U+FFFD instead of acting on the
terminal. Newlines and tabs stay.
"""

from __future__ import annotations

REPLACEMENT = "\ufffd"
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_CONTROLS = (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0D, 0x20), *range(0x7F, 0xA0))
_TABLE = dict.fromkeys((*_CONTROLS, *_BIDI), REPLACEMENT)


def neutralise(text: str) -> str:
    """The text with every control and bidirectional-override character replaced by U+FFFD."""
    return text.translate(_TABLE)


def shown(text: str) -> str:
    """Neutralised and escaped for rich markup: safe to put inside a ``console.print`` string."""
    from rich.markup import escape  # imported here: `--help` and JSON output never need rich

    return escape(neutralise(text))
