"""A progress bar for long work on a terminal; nothing at all when output is piped."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
MIN_ITEMS = 5  # a bar for fewer items only flickers


def progress(items: Sequence[T], label: str, least: int = MIN_ITEMS) -> Iterator[T]:
    """Yield the items, with a bar on stderr when it is a terminal and there are ``least``."""
    if len(items) < least or not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(items, description=label, transient=True, console=Console(stderr=True))
