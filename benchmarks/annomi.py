"""Agreement of the act classifier with expert MI coders (AnnoMI) and with the team test set.

Run: .venv/bin/python benchmarks/annomi.py   (offline; < 1 min on 2 cores; --help for options)

AnnoMI (Wu et al., ICASSP 2022) is read from ../shared/data/annomi relative to the repo root,
or from $VOICE_ROLEPLAY_SHARED/data/annomi. Nothing from AnnoMI is stored in the repository.
AnnoMI codes whole utterances, the scorer codes sentences. Two ways of turning an utterance's
sentence acts into one main behaviour are reported: (1) a priority order of the four labels,
(2) a small multinomial logistic regression over counts of the acts. Both are fitted on the
even-numbered transcripts; every figure printed is measured on the odd-numbered (held-out)
transcripts only. The act classifier itself learns nothing from AnnoMI.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from simulator.ports import TextEncoder  # noqa: E402
from simulator.scoring import classify_acts  # noqa: E402
from simulator.scoring.acts import question_form  # noqa: E402
from simulator.scoring.hybrid import GROUP, classify_acts_hybrid  # noqa: E402
from simulator.types import Act, ClientTurn, EmotionalState  # noqa: E402

MAIN = ("question", "reflection", "therapist_input", "other")
TESTSET = REPO / "benchmarks" / "testset"
# Expert agreement (Fleiss kappa, AnnoMI paper) to print beside our figures.
EXPERT_KAPPA = {"main": 0.74, "open/closed": 0.74, "simple/complex": 0.50}

# AnnoMI's main behaviours are the hybrid scorer's groups ("input" is AnnoMI's therapist input).
ACT_TO_MAIN = {
    kind: "therapist_input" if group == "input" else group for kind, group in GROUP.items()
}


@dataclass(frozen=True)
class Utterance:
    """One therapist utterance with the client line before it and the expert codes."""

    transcript: int
    text: str
    client: str
    main: str
    question: str  # open / closed / n/a
    reflection: str  # simple / complex / n/a


def shared_dir() -> Path:
    """The shared data folder: $VOICE_ROLEPLAY_SHARED or ../shared beside the repo."""
    env = os.environ.get("VOICE_ROLEPLAY_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def _majority(values: Sequence[str]) -> str:
    return Counter(values).most_common(1)[0][0]


def load_annomi(folder: Path) -> list[Utterance]:
    """Therapist utterances with main behaviour (simple csv) and subtypes (full csv, majority)."""
    sub: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    with (folder / "AnnoMI-full.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["interlocutor"] == "therapist":
                key = (r["transcript_id"], r["utterance_id"])
                sub[key].append((r["question_subtype"], r["reflection_subtype"]))
    out: list[Utterance] = []
    last_client = ""
    current = ""
    with (folder / "AnnoMI-simple.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["transcript_id"] != current:
                current, last_client = r["transcript_id"], ""
            if r["interlocutor"] == "client":
                last_client = r["utterance_text"]
                continue
            codes = sub.get((r["transcript_id"], r["utterance_id"]), [("n/a", "n/a")])
            out.append(Utterance(
                int(r["transcript_id"]), r["utterance_text"], last_client,
                r["main_therapist_behaviour"],
                _majority([q for q, _ in codes]), _majority([s for _, s in codes]),
            ))
    return out


def utterance_label(acts: Sequence[Act], order: Sequence[str]) -> str:
    """Main behaviour of an utterance: the first label in ``order`` among its acts."""
    labels = {ACT_TO_MAIN[a.kind] for a in acts}
    return next((m for m in order if m in labels), "other")


def cohen_kappa(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Cohen's kappa between two label sequences."""
    n = len(gold)
    if n == 0:
        return 0.0
    po = sum(g == p for g, p in zip(gold, pred, strict=True)) / n
    cg, cp = Counter(gold), Counter(pred)
    pe = sum(cg[k] * cp[k] for k in set(cg) | set(cp)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    """Unweighted mean of per-label F1."""
    scores = []
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred, strict=True))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred, strict=True))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred, strict=True))
        denom = 2 * tp + fp + fn
        scores.append(2 * tp / denom if denom else 0.0)
    return sum(scores) / len(scores)


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> str:
    """A confusion matrix as text: rows are the experts, columns the scorer."""
    width = max(len(x) for x in labels) + 2
    lines = ["expert \\ scorer".ljust(width) + "".join(x[:14].rjust(16) for x in labels)]
    pairs = Counter(zip(gold, pred, strict=True))
    for g in labels:
        lines.append(g.ljust(width) + "".join(str(pairs[(g, p)]).rjust(16) for p in labels))
    return "\n".join(lines)


def report(name: str, gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    """Print kappa, macro-F1 and the confusion matrix; return kappa."""
    k = cohen_kappa(gold, pred)
    f1 = macro_f1(gold, pred, labels)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)
    expert = EXPERT_KAPPA.get(name.split(" ")[0], float("nan"))
    print(f"\n== {name}: n={len(gold)}  kappa={k:.3f}  macro-F1={f1:.3f}  accuracy={acc:.3f}"
          f"  (experts: kappa {expert:.2f})")
    print(confusion(gold, pred, labels))
    return k


def classify_all(
    utts: Sequence[Utterance], encoder: TextEncoder | None = None
) -> list[tuple[Act, ...]]:
    """Acts of every utterance, with the client's previous line as context.

    With an ``encoder`` the hybrid scorer classifies (rules + learned heads), else the rules.
    """
    calm = EmotionalState("calm", 0.5)
    if encoder is None:
        return [classify_acts(u.text, "en", ClientTurn(u.client, calm, (), "en")) for u in utts]
    return [classify_acts_hybrid(u.text, "en", ClientTurn(u.client, calm, (), "en"), (), encoder)
            for u in utts]


def fit_order(utts: Sequence[Utterance], acts: Sequence[tuple[Act, ...]]) -> tuple[str, ...]:
    """The label priority order that agrees best (kappa) with the experts on these utterances."""
    gold = [u.main for u in utts]
    best = max(
        itertools.permutations(MAIN),
        key=lambda order: cohen_kappa(gold, [utterance_label(a, order) for a in acts]),
    )
    return tuple(best)


_KINDS = tuple(ACT_TO_MAIN)


def act_features(acts: Sequence[Act]) -> list[float]:
    """Counts, word shares and first/last position of each main label, and which acts occur."""
    labels = [ACT_TO_MAIN[a.kind] for a in acts]
    words = [len(a.text.split()) for a in acts]
    f: list[float] = []
    for m in MAIN:
        f.append(float(sum(lab == m for lab in labels)))
        f.append(float(np.log1p(sum(w for lab, w in zip(labels, words, strict=True) if lab == m))))
        f.append(float(bool(labels) and labels[-1] == m))
        f.append(float(bool(labels) and labels[0] == m))
    kinds = {a.kind for a in acts}
    f.extend(float(k in kinds) for k in _KINDS)
    f.extend((float(len(acts)), float(np.log1p(sum(words)))))
    return f


@dataclass(frozen=True)
class Aggregator:
    """Multinomial logistic regression from an utterance's acts to its main behaviour."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray

    def predict(self, acts: Sequence[Act]) -> str:
        """The main behaviour of one utterance."""
        x = (np.array(act_features(acts)) - self.mean) / self.scale
        return MAIN[int(np.argmax(np.append(x, 1.0) @ self.weights))]


def fit_aggregator(
    utts: Sequence[Utterance], acts: Sequence[tuple[Act, ...]], steps: int = 2000
) -> Aggregator:
    """Fit the regression by gradient descent (L2 1e-3); deterministic, no random start."""
    x = np.array([act_features(a) for a in acts])
    mean, scale = x.mean(0), x.std(0) + 1e-9
    xs = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    y = np.eye(len(MAIN))[[MAIN.index(u.main) for u in utts]]
    w = np.zeros((xs.shape[1], len(MAIN)))
    for _ in range(steps):
        z = xs @ w
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        w -= 0.5 * (xs.T @ (p - y) / len(xs) + 1e-3 * w)
    return Aggregator(mean, scale, w)


def subtype_question(acts: Sequence[Act]) -> str:
    """Open or closed: the form of the utterance's last question, the one the client answers."""
    forms = [f for f in (question_form(a, "en") for a in acts) if f]
    return forms[-1] if forms else "closed"


def subtype_reflection(acts: Sequence[Act]) -> str:
    """Simple or complex, from the utterance's reflection acts (complex if any is)."""
    kinds = {a.kind for a in acts}
    return "complex" if kinds & {"complex_reflection", "summary"} else "simple"


def run_annomi(
    folder: Path, half: str = "odd", errors: int = 0, encoder: TextEncoder | None = None
) -> dict[str, float]:
    """Score every therapist utterance; fit on even transcripts, report ``half``.

    ``half="odd"`` (the default) gives the held-out figures. ``half="even"`` reports on the
    fitting half itself, for development; only there can ``errors`` misclassified examples
    per task be printed, so the held-out utterances are never read while rules are written.
    """
    utts = load_annomi(folder)
    acts = classify_all(utts, encoder)
    train = [i for i, u in enumerate(utts) if u.transcript % 2 == 0]
    test = [i for i, u in enumerate(utts) if u.transcript % 2 == (1 if half == "odd" else 0)]
    order = fit_order([utts[i] for i in train], [acts[i] for i in train])
    print(f"AnnoMI: {len(utts)} therapist utterances; priority fitted on {len(train)} "
          f"(even transcripts): {' > '.join(order)}; reported: {len(test)} ({half} transcripts"
          f"{', held out' if half == 'odd' else ', the fitting half: in-sample'})")
    held = [utts[i] for i in test]
    held_acts = [acts[i] for i in test]
    gold = [u.main for u in held]
    out = {}
    out["main (priority)"] = report("main (priority)", gold,
                                    [utterance_label(a, order) for a in held_acts], MAIN)
    model = fit_aggregator([utts[i] for i in train], [acts[i] for i in train])
    out["main"] = report("main", gold, [model.predict(a) for a in held_acts], MAIN)
    q = [(u, a) for u, a in zip(held, held_acts, strict=True) if u.question in ("open", "closed")]
    q_pred = [subtype_question(a) for _, a in q]
    out["open/closed"] = report("open/closed", [u.question for u, _ in q], q_pred,
                                ("open", "closed"))
    show_errors([(u.question, p, a) for (u, a), p in zip(q, q_pred, strict=True)], errors)
    r = [(u, a) for u, a in zip(held, held_acts, strict=True)
         if u.reflection in ("simple", "complex")]
    r_pred = [subtype_reflection(a) for _, a in r]
    out["simple/complex"] = report("simple/complex", [u.reflection for u, _ in r], r_pred,
                                   ("simple", "complex"))
    show_errors([(u.reflection, p, a) for (u, a), p in zip(r, r_pred, strict=True)], errors)
    return out


def show_errors(rows: Sequence[tuple[str, str, Sequence[Act]]], limit: int) -> None:
    """Print up to ``limit`` misclassified utterances of each kind, with their acts."""
    by_kind: dict[tuple[str, str], list[Sequence[Act]]] = defaultdict(list)
    for want, got, acts in rows:
        if want != got:
            by_kind[(want, got)].append(acts)
    for (want, got), examples in sorted(by_kind.items()):
        for acts in examples[:limit]:
            shown = " | ".join(f"[{a.kind}] {a.text}" for a in acts)
            print(f"  expert {want}, scorer {got}: {shown[:300]}")


def load_testset(name: str) -> list[dict[str, str]]:
    """The team-written labelled sentences of one file (``en``, ``fi_holdout`` ...)."""
    with (TESTSET / f"{name}.yaml").open(encoding="utf-8") as f:
        return list(yaml.safe_load(f)["items"])


def testset_accuracy(
    lang: str, suffix: str = "", encoder: TextEncoder | None = None
) -> tuple[float, list[tuple[str, str, str]]]:
    """Share of test sentences whose single act matches the label, and the misses."""
    items = load_testset(lang + suffix)
    misses = []
    for item in items:
        client = ClientTurn(item["client"], EmotionalState(item.get("emotion", "calm"), 0.7),  # type: ignore[arg-type]
                            (), lang)  # type: ignore[arg-type]
        acts = (classify_acts(item["reply"], lang, client) if encoder is None
                else classify_acts_hybrid(item["reply"], lang, client, (), encoder))
        got = acts[0].kind if len(acts) == 1 else "+".join(a.kind for a in acts)
        if got != item["act"]:
            misses.append((item["act"], got, item["reply"]))
    return 1 - len(misses) / len(items), misses


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="Agreement of the act classifier with AnnoMI's expert coders and with the "
        "team test sets. Fits on the even AnnoMI transcripts; reports the odd ones.")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list the team test-set sentences the scorer gets wrong")
    parser.add_argument("--half", choices=("odd", "even"), default="odd",
                        help="AnnoMI transcripts to report: odd = held out (default), even = the "
                        "fitting half, for development")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="with --half even: print N misclassified utterances per confusion")
    parser.add_argument("--hybrid", action="store_true",
                        help="classify with the hybrid scorer (rules + learned heads trained on "
                        "even transcripts) instead of the rules alone")
    args = parser.parse_args(argv)
    if args.errors and args.half != "even":
        parser.error("--errors reads utterances; use it with --half even only")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Print every figure; exit non-zero if a target is missed."""
    args = parse_args(argv)
    start = time.perf_counter()
    folder = shared_dir() / "data" / "annomi"
    ok = True
    encoder = None
    if args.hybrid:
        from embedcache import cached_encoder

        encoder = cached_encoder()
    print(f"scorer: {'hybrid (rules + learned heads)' if args.hybrid else 'rules alone'}")
    if (folder / "AnnoMI-simple.csv").exists():
        kappas = run_annomi(folder, args.half, args.errors, encoder)
        ok = kappas["main"] >= 0.60
    else:
        print(f"AnnoMI not found in {folder}; set VOICE_ROLEPLAY_SHARED", file=sys.stderr)
    gap = 0.0
    for suffix, title in (("", "development set, used to write the word lists"),
                          ("_holdout", "held-out set, never used for tuning")):
        print(f"\n== team test set, {title} (one act per sentence)")
        accs = {}
        for lang in ("en", "fi", "nl"):
            acc, misses = testset_accuracy(lang, suffix, encoder)
            accs[lang] = acc
            print(f"{lang}: accuracy {acc:.3f} on {len(load_testset(lang + suffix))} sentences")
            for want, got, text in misses if args.verbose else []:
                print(f"    want {want:22} got {got:22} {text}")
        set_gap = accs["en"] - min(accs["fi"], accs["nl"])
        gap = max(gap, set_gap)
        print(f"largest gap behind English: {set_gap * 100:.1f} points (limit 10)")
    if encoder is not None:
        encoder.save()
    print(f"\n({time.perf_counter() - start:.1f} s)")
    return 0 if ok and gap <= 0.10 else 1


def run() -> int:
    """main(), quiet when the reader of stdout goes away (``annomi.py | head``)."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit; point it at devnull so that cannot fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(run())
