"""Do the session scores separate AnnoMI's high- from low-quality MI sessions?

Run: .venv/bin/python benchmarks/annomi_quality.py   (offline; about a minute on 2 cores)

AnnoMI (Wu et al., ICASSP 2022) labels each of its 133 transcripts as high- or low-quality
motivational interviewing. Every therapist utterance is scored with the public scoring API
against the client's most recent line (text only, so no pacing; the client is "calm" at 0.5
intensity with no persona cues, so the scorer derives cues from the client's words). Per
transcript we take the mean listening and empathy scores and the session summary figures, and
the same summary figures from the experts' own utterance codes as a ceiling: the gap between the
two rows of a figure is the scorer's; what the expert row lacks is the measure's.

AUC is the Mann-Whitney probability that a random high-quality transcript scores above a random
low-quality one (ties count half); 0.5 is chance. For figures where lower is better (marked
"low" in the "want" column) a useful figure has AUC below 0.5. The 95% CI is a percentile
bootstrap over transcripts, resampled within each quality class, with a fixed seed. Nothing is
tuned, so all transcripts are reported, and the odd-numbered ones again separately; rules are
written looking only at the even-numbered ones (``--half even``).
Nothing from AnnoMI is stored in the repository.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from simulator.ports import TextEncoder  # noqa: E402
from simulator.scoring import score_exchange, summarize_session  # noqa: E402
from simulator.types import REFLECTIONS, ClientTurn, EmotionalState, Scores, Transcript  # noqa: E402

CLIENT_STATE = EmotionalState("calm", 0.5)
# Figure name -> True when a higher value is the better session (the product's reading).
SCORER_FIGURES: dict[str, bool] = {
    "listening": True,
    "empathy": True,
    "reflection_to_question": True,
    "percent_complex_reflections": True,
    "percent_open_questions": True,
    "reflections_per_utterance": True,
    "mi_inconsistent": False,
    "mi_inconsistent_per_utterance": False,
    "talk_time_share": False,
}
EXPERT_FIGURES: dict[str, bool] = {
    "reflection_to_question": True,
    "percent_complex_reflections": True,
    "percent_open_questions": True,
    "reflections_per_utterance": True,
    "advice": False,
    "advice_per_utterance": False,
}
Figures = dict[str, float | None]


@dataclass
class Codes:
    """Expert code counts of one transcript, pooled over its annotators."""

    utterances: int = 0
    reflections: int = 0
    complex_: int = 0
    simple: int = 0
    questions: int = 0
    open_: int = 0
    closed: int = 0
    advice: int = 0
    annotators: set[str] = field(default_factory=set)


@dataclass
class Session:
    """One AnnoMI transcript: its quality label, (client line, therapist line) pairs, codes."""

    transcript: int
    high: bool
    exchanges: list[tuple[str, str]] = field(default_factory=list)
    mains: list[str] = field(default_factory=list)  # expert main behaviour of each exchange
    client_lines: list[str] = field(default_factory=list)
    codes: Codes = field(default_factory=Codes)


def shared_dir() -> Path:
    """The shared data folder: $VOICE_ROLEPLAY_SHARED or ../shared beside the repo."""
    env = os.environ.get("VOICE_ROLEPLAY_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def load_sessions(folder: Path) -> list[Session]:
    """Transcripts in order: turns from the simple csv, expert codes from the full csv."""
    sessions: dict[int, Session] = {}
    with (folder / "AnnoMI-simple.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            tid = int(r["transcript_id"])
            s = sessions.setdefault(tid, Session(tid, r["mi_quality"] == "high"))
            if r["interlocutor"] == "client":
                s.client_lines.append(r["utterance_text"])
            else:
                s.exchanges.append(
                    (s.client_lines[-1] if s.client_lines else "", r["utterance_text"])
                )
                s.mains.append(r["main_therapist_behaviour"])
    with (folder / "AnnoMI-full.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["interlocutor"] != "therapist":
                continue
            c = sessions[int(r["transcript_id"])].codes
            c.annotators.add(r["annotator_id"])
            c.utterances += 1
            c.reflections += r["reflection_exists"] == "True"
            c.complex_ += r["reflection_subtype"] == "complex"
            c.simple += r["reflection_subtype"] == "simple"
            c.questions += r["question_exists"] == "True"
            c.open_ += r["question_subtype"] == "open"
            c.closed += r["question_subtype"] == "closed"
            c.advice += r["therapist_input_subtype"] == "advice"
    return [sessions[k] for k in sorted(sessions)]


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _rq(reflections: int, questions: int) -> float | None:
    """Reflections per question, with summarize_session's rule when there is no question."""
    if questions:
        return reflections / questions
    return float(reflections) if reflections else None


def expert_figures(s: Session) -> Figures:
    """The summary figures from the experts' codes (counts pooled over annotators)."""
    c = s.codes
    per_annotator = max(len(c.annotators), 1)
    return {
        "reflection_to_question": _rq(c.reflections, c.questions),
        "percent_complex_reflections": _ratio(c.complex_, c.complex_ + c.simple),
        "percent_open_questions": _ratio(c.open_, c.open_ + c.closed),
        "reflections_per_utterance": _ratio(c.reflections, c.utterances),
        "advice": c.advice / per_annotator,
        "advice_per_utterance": _ratio(c.advice, c.utterances),
    }


def score_session(s: Session, encoder: TextEncoder | None = None) -> list[Scores]:
    """Score every therapist utterance against the client's most recent line."""
    return [
        score_exchange(ClientTurn(client, CLIENT_STATE, (), "en"),
                       Transcript.from_text(text, "en"), encoder=encoder)
        for client, text in s.exchanges
    ]


def scorer_figures(s: Session, scores: Sequence[Scores]) -> Figures:
    """Mean listening and empathy and the session summary of the scored utterances."""
    summary = summarize_session(scores, client_words=[len(t.split()) for t in s.client_lines])
    out: Figures = {
        "listening": float(np.mean([x.listening for x in scores])),
        "empathy": float(np.mean([x.empathy for x in scores])),
    }
    for m in summary.measures:
        out[m.name] = m.value
    out["reflections_per_utterance"] = float(
        np.mean([any(a.kind in REFLECTIONS for a in x.acts) for x in scores])
    )
    inconsistent = out["mi_inconsistent"]
    out["mi_inconsistent_per_utterance"] = (
        inconsistent / len(scores) if inconsistent is not None else None
    )
    return out


def auc(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    """Mann-Whitney AUC P(high > low) + P(tie)/2 over the last axis (batches allowed)."""
    diff = high[..., :, None] - low[..., None, :]
    result: np.ndarray = ((diff > 0) + 0.5 * (diff == 0)).mean(axis=(-2, -1))
    return result


def bootstrap_auc(
    high: np.ndarray, low: np.ndarray, resamples: int, seed: int
) -> tuple[float, float]:
    """Percentile 95% CI of the AUC, resampling transcripts within each class."""
    rng = np.random.default_rng(seed)
    hi = high[rng.integers(0, len(high), (resamples, len(high)))]
    lo = low[rng.integers(0, len(low), (resamples, len(low)))]
    a = auc(hi, lo)
    return float(np.percentile(a, 2.5)), float(np.percentile(a, 97.5))


@dataclass(frozen=True)
class Row:
    """One figure's comparison of high- and low-quality transcripts."""

    figure: str
    higher_is_better: bool
    n_high: int
    n_low: int
    mean_high: float
    mean_low: float
    auc: float
    ci: tuple[float, float]


def compare(
    name: str,
    higher_is_better: bool,
    figures: Sequence[tuple[bool, Figures]],
    resamples: int,
    seed: int,
) -> Row:
    """Means, AUC and bootstrap CI of one figure over transcripts that have a value for it."""
    high = np.array([f[name] for h, f in figures if h and f[name] is not None], dtype=float)
    low = np.array([f[name] for h, f in figures if not h and f[name] is not None], dtype=float)
    return Row(
        name,
        higher_is_better,
        len(high),
        len(low),
        float(high.mean()),
        float(low.mean()),
        float(auc(high, low)),
        bootstrap_auc(high, low, resamples, seed),
    )


def table(title: str, rows: Sequence[Row]) -> str:
    """The rows as a Markdown table."""
    lines = [
        f"\n### {title}\n",
        "| figure | want | n high/low | high mean | low mean | AUC | 95% CI |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.figure} | {'high' if r.higher_is_better else 'low'} | {r.n_high}/{r.n_low} "
            f"| {r.mean_high:.3f} | {r.mean_low:.3f} | {r.auc:.3f} "
            f"| {r.ci[0]:.3f}-{r.ci[1]:.3f} |"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class Result:
    """Per-transcript figures of the scorer and of the expert codes."""

    sessions: tuple[Session, ...]
    scorer: tuple[Figures, ...]
    expert: tuple[Figures, ...]
    # (high quality?, expert main behaviour, listening, empathy) of every scored utterance
    utterances: tuple[tuple[bool, str, int, int], ...] = ()

    def rows(
        self, source: str, keep: Callable[[Session], bool], resamples: int = 2000, seed: int = 0
    ) -> list[Row]:
        """Comparison rows of ``source`` ("scorer" or "expert") on the kept transcripts."""
        figs, names = (
            (self.scorer, SCORER_FIGURES) if source == "scorer" else (self.expert, EXPERT_FIGURES)
        )
        data = [(s.high, f) for s, f in zip(self.sessions, figs, strict=True) if keep(s)]
        return [compare(n, hib, data, resamples, seed) for n, hib in names.items()]


def evaluate(sessions: Sequence[Session], encoder: TextEncoder | None = None) -> Result:
    """Score every transcript and collect both sets of figures (the slow part)."""
    scored = [score_session(s, encoder) for s in sessions]
    scorer = tuple(scorer_figures(s, x) for s, x in zip(sessions, scored, strict=True))
    utterances = tuple(
        (s.high, main, x.listening, x.empathy)
        for s, xs in zip(sessions, scored, strict=True)
        for main, x in zip(s.mains, xs, strict=True)
    )
    return Result(tuple(sessions), scorer, tuple(expert_figures(s) for s in sessions), utterances)


def by_behaviour(result: Result) -> str:
    """Mean listening and empathy per utterance by the experts' main behaviour and quality."""
    lines = [
        "\n### per utterance: mean listening / empathy by expert main behaviour\n",
        "| expert main behaviour | high-quality n | listening | empathy "
        "| low-quality n | listening | empathy |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for main in ("reflection", "question", "therapist_input", "other"):
        cells = []
        for high in (True, False):
            got = [(lis, emp) for h, m, lis, emp in result.utterances if h == high and m == main]
            mean = np.mean(got, axis=0) if got else (float("nan"), float("nan"))
            cells.append(f"{len(got)} | {mean[0]:.1f} | {mean[1]:.1f}")
        lines.append(f"| {main} | {' | '.join(cells)} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the tables for all transcripts and for the odd-numbered half."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--data",
        type=Path,
        default=shared_dir() / "data" / "annomi",
        help="folder with AnnoMI-simple.csv and AnnoMI-full.csv",
    )
    parser.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    parser.add_argument(
        "--half",
        choices=("all", "even"),
        default="all",
        help="all = every transcript, then the odd ones (default); even = only the "
        "even-numbered transcripts, for development (the odd ones are never scored)",
    )
    parser.add_argument("--hybrid", action="store_true",
                        help="score with the hybrid scorer (rules + learned heads; sentence "
                        "embeddings cached, see embedcache.py) instead of the rules alone")
    args = parser.parse_args(argv)
    if not (args.data / "AnnoMI-full.csv").exists():
        print(
            f"AnnoMI not found in {args.data}; set VOICE_ROLEPLAY_SHARED or --data", file=sys.stderr
        )
        return 2
    start = time.perf_counter()
    sessions = load_sessions(args.data)
    if args.half == "even":
        sessions = [s for s in sessions if s.transcript % 2 == 0]
    encoder = None
    if args.hybrid:
        from embedcache import cached_encoder

        encoder = cached_encoder()
    result = evaluate(sessions, encoder)
    if encoder is not None:
        encoder.save()
    print(f"scorer: {'hybrid (rules + learned heads)' if args.hybrid else 'rules alone'}")
    n_utt = sum(len(s.exchanges) for s in sessions)
    print(
        f"AnnoMI: {len(sessions)} transcripts ({sum(s.high for s in sessions)} high, "
        f"{sum(not s.high for s in sessions)} low), {n_utt} therapist utterances scored "
        f"in {time.perf_counter() - start:.1f} s; bootstrap {args.resamples}, seed {args.seed}"
    )
    halves: tuple[tuple[str, Callable[[Session], bool]], ...] = (
        (("even-numbered transcripts", lambda s: True),)
        if args.half == "even"
        else (
            ("all transcripts", lambda s: True),
            ("odd-numbered transcripts", lambda s: s.transcript % 2 == 1),
        )
    )
    for label, keep in halves:
        for source in ("scorer", "expert"):
            title = f"{source} ({'text only' if source == 'scorer' else 'gold codes'}), {label}"
            print(table(title, result.rows(source, keep, args.resamples, args.seed)))
    print(by_behaviour(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
