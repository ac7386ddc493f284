"""Read the trainee-reply corpus (benchmarks/corpus/PLAN.md): one half, gold labels merged in.

Only ``dev`` is read while training or writing rules; ``test`` is read by ``corpus_eval.py``
alone, whose output is aggregate figures.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS = Path(os.environ.get("VOICE_ROLEPLAY_CORPUS") or Path(__file__).resolve().parent / "corpus")
LANGS = ("en", "fi", "nl")


@dataclass(frozen=True)
class Item:
    """One labelled exchange: the client's line, the trainee's reply and the gold labels."""

    id: str
    lang: str
    line: str
    client: str
    emotion: str
    reply: str
    style: str
    main_act: str
    alternatives: tuple[str, ...]
    harmful: bool
    harm_kind: str | None
    listening: float
    empathy: float

    @property
    def accepted(self) -> frozenset[str]:
        """The gold main act and the labellers' defensible alternatives."""
        return frozenset((self.main_act, *self.alternatives))


def _item(raw: dict[str, Any], lang: str, where: str) -> Item:
    gold = raw.get("gold") if isinstance(raw.get("gold"), dict) else raw
    assert isinstance(gold, dict)
    try:
        return Item(
            id=str(raw["id"]),
            lang=str(raw.get("lang", lang)),
            line=str(raw.get("line", str(raw["id"]).rsplit("-", 1)[0])),
            client=str(raw["client"]),
            emotion=str(raw.get("client_emotion", "calm")),
            reply=str(raw["reply"]),
            style=str(raw.get("style", "written")),
            main_act=str(gold["main_act"]),
            alternatives=tuple(str(a) for a in gold.get("alternatives") or ()),
            harmful=bool(gold["harmful"]),
            harm_kind=gold.get("harm_kind"),
            listening=float(gold["listening"]),
            empathy=float(gold["empathy"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{where}: not a labelled exchange ({exc!r})") from exc


def available(half: str) -> tuple[str, ...]:
    """The languages whose file of ``half`` exists."""
    return tuple(lang for lang in LANGS if (CORPUS / half / f"{lang}.jsonl").exists())


def load_half(half: str, lang: str) -> list[Item]:
    """Every labelled exchange of one language in ``half`` ("dev" or "test")."""
    if half not in ("dev", "test"):
        raise ValueError(f"unknown half {half!r}")
    path = CORPUS / half / f"{lang}.jsonl"
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                out.append(_item(json.loads(line), lang, f"{path.name}:{n}"))
    return out
