"""The scorer against the trainee-reply corpus: acts, harm, scores and praise, per language.

Run: .venv/bin/python benchmarks/corpus_eval.py [--half dev|test] [--scorer rules|hybrid|both]

Prints aggregate figures only (never an exchange): per language and pooled,

- main act right: the reply's main act (``simulator.scoring.acts.main_act``: harm first, then
  a fixed order) is the gold main act or one of the labellers' alternatives; and strictly;
- harm recall and false harm flags: a reply is flagged when any of its acts is harmful
  (advice, persuasion, judgement, reassurance, self-disclosure, deflection) or the harm head
  reaches its threshold (``simulator.scoring.hybrid.is_flagged``); recall over gold-harmful
  replies, false flags over gold-harmless ones;
- Spearman's rank correlation of listening and of empathy with the adjudicated 0-100 labels;
- "What worked" for a poor reply: the share of poor replies (gold listening and empathy both
  40 or less, or harmful) whose feedback from ``simulator.feedback.give_feedback`` has praise.

``--half test`` is for the end of a round: run it once, after the last change.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import Item, available, load_half  # noqa: E402

from simulator.feedback import give_feedback  # noqa: E402
from simulator.ports import TextEncoder  # noqa: E402
from simulator.scoring import score_exchange  # noqa: E402
from simulator.scoring.acts import main_act  # noqa: E402
from simulator.types import EMOTIONS, ClientTurn, Emotion, EmotionalState, Transcript  # noqa: E402

# Emotions of the corpus the scorer may not know yet, mapped to the nearest it knows.
NEAREST: dict[str, Emotion] = {
    "ashamed": "sad", "guilty": "sad", "hopeless": "sad", "defensive": "angry",
    "overwhelmed": "anxious", "confused": "anxious",
}
POOR = 40  # gold listening and empathy both at or below this: a poor reply


@dataclass(frozen=True)
class Outcome:
    """What the scorer made of one exchange."""

    item: Item
    main: str
    flagged: bool
    listening: int
    empathy: int
    praised: bool


def client_turn(item: Item) -> ClientTurn:
    """The client's line as the scorer sees it."""
    emotion = item.emotion if item.emotion in EMOTIONS else NEAREST.get(item.emotion, "calm")
    return ClientTurn(item.client, EmotionalState(emotion, 0.7), (), item.lang)  # type: ignore[arg-type]


def score(item: Item, encoder: TextEncoder | None) -> Outcome:
    """Score one exchange and read its feedback."""
    client = client_turn(item)
    scores = score_exchange(client, Transcript.from_text(item.reply, item.lang), encoder=encoder)
    top = main_act(scores.acts)
    feedback = give_feedback(client, scores)
    return Outcome(item, top.kind if top else "other", scores.harm_flagged, scores.listening,
                   scores.empathy, feedback.praise is not None)


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rank correlation (average ranks for ties)."""
    def ranks(x: Sequence[float]) -> np.ndarray:
        arr = np.asarray(x, dtype=float)
        order = arr.argsort(kind="stable")
        r = np.empty(len(arr))
        r[order] = np.arange(len(arr))
        for v in np.unique(arr):
            r[arr == v] = r[arr == v].mean()
        return r
    if len(a) < 3:
        return float("nan")
    ra, rb = ranks(a), ranks(b)
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


def figures(outs: Sequence[Outcome]) -> dict[str, float]:
    """The aggregate figures of a set of scored exchanges."""
    harmful = [o for o in outs if o.item.harmful]
    harmless = [o for o in outs if not o.item.harmful]
    poor = [o for o in outs if o.item.harmful
            or (o.item.listening <= POOR and o.item.empathy <= POOR)]
    return {
        "n": len(outs),
        "main_act": float(np.mean([o.main in o.item.accepted for o in outs])),
        "main_act_strict": float(np.mean([o.main == o.item.main_act for o in outs])),
        "harm_recall": float(np.mean([o.flagged for o in harmful])) if harmful else float("nan"),
        "false_harm": float(np.mean([o.flagged for o in harmless])) if harmless else float("nan"),
        "listening_rho": spearman([o.listening for o in outs], [o.item.listening for o in outs]),
        "empathy_rho": spearman([o.empathy for o in outs], [o.item.empathy for o in outs]),
        "praise_poor": float(np.mean([o.praised for o in poor])) if poor else float("nan"),
        "n_harmful": len(harmful),
        "n_poor": len(poor),
    }


COLUMNS = (
    ("n", "n", "{:.0f}"), ("main_act", "main act", "{:.0%}"),
    ("main_act_strict", "strict", "{:.0%}"), ("harm_recall", "harm recall", "{:.0%}"),
    ("false_harm", "false flags", "{:.1%}"), ("listening_rho", "ρ listening", "{:.2f}"),
    ("empathy_rho", "ρ empathy", "{:.2f}"), ("praise_poor", "praise for poor", "{:.1%}"),
)


def table(rows: Sequence[tuple[str, dict[str, float]]]) -> str:
    """A Markdown table of figures, one row per scorer and language."""
    head = "| scorer | lang | " + " | ".join(title for _, title, _ in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 2)]
    for name, f in rows:
        scorer, lang = name.split(" ")
        lines.append(f"| {scorer} | {lang} | "
                     + " | ".join(fmt.format(f[key]) for key, _, fmt in COLUMNS) + " |")
    return "\n".join(lines)


def evaluate(half: str, scorers: Sequence[str]) -> list[tuple[str, dict[str, float]]]:
    """Score every language of ``half`` with each scorer; pooled rows at the end."""
    langs = available(half)
    if not langs:
        raise SystemExit(f"no corpus files in {REPO / 'benchmarks' / 'corpus' / half}")
    items = {lang: load_half(half, lang) for lang in langs}
    rows = []
    for name in scorers:
        encoder: TextEncoder | None = None
        if name == "hybrid":
            from embedcache import cached_encoder

            encoder = cached_encoder()
        pooled: list[Outcome] = []
        for lang in langs:
            outs = [score(it, encoder) for it in items[lang]]
            pooled += outs
            rows.append((f"{name} {lang}", figures(outs)))
        rows.append((f"{name} all", figures(pooled)))
        if encoder is not None and hasattr(encoder, "save"):
            encoder.save()
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--half", choices=("dev", "test"), default="dev",
                        help="dev (default) or test (once, at the end of a round)")
    parser.add_argument("--scorer", choices=("rules", "hybrid", "both"), default="both")
    args = parser.parse_args(argv)
    scorers = ("rules", "hybrid") if args.scorer == "both" else (args.scorer,)
    start = time.perf_counter()
    rows = evaluate(args.half, scorers)
    print(f"corpus {args.half} half; poor = gold listening and empathy <= {POOR}, or harmful\n")
    print(table(rows))
    print(f"\n({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
