"""Train the hybrid scorer's heads and write them to simulator/scoring/heads/.

Run: .venv/bin/python benchmarks/train_heads.py   (offline; embeddings cached, see embedcache.py)

Training data, and nothing else: the EVEN AnnoMI transcripts (main behaviour, open/closed,
simple/complex), the development half of the trainee-reply corpus (``benchmarks/corpus/dev``:
every head, the only source of the act and harm heads besides the team's development test
sets), and the team's development test sets ``benchmarks/testset/{en,fi,nl}.yaml`` (not the
``_holdout`` files). Odd AnnoMI, the corpus test half and the held-out test sets stay unseen.

Each head: multinomial logistic regression on the reply embedding (the normalised mean of its
sentences' embeddings), optionally with its product with the client line's embedding, the L2
strength and the choice of features picked on 5 cross-validated folds grouped by transcript or
client line, then a temperature fitted on those folds' predictions (calibration) before the
final fit on everything. The fold predictions also give the rules' measured precision and the
thresholds of the combination (``calibration.json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from annomi import load_annomi, shared_dir  # noqa: E402
from corpus import available, load_half  # noqa: E402
from embedcache import embed_cached  # noqa: E402
from logreg import Array, Fitted, cross_fit, ece, reliability  # noqa: E402

from simulator.scoring.acts import client_context  # noqa: E402
from simulator.scoring.hybrid import GROUP  # noqa: E402
from simulator.scoring.sentence import Basis, classify_traced  # noqa: E402
from simulator.scoring.text import lexicon, split_sentences  # noqa: E402
from simulator.types import HARMFUL, ActKind, ClientTurn, EmotionalState  # noqa: E402

HEADS = REPO / "simulator" / "scoring" / "heads"
ANNOMI_MAIN = {"question": "question", "reflection": "reflection",
               "therapist_input": "input", "other": "other"}
MIN_ACT_EXAMPLES = 4


@dataclass(frozen=True)
class Row:
    """One training example: a reply (or AnnoMI utterance), its client line and its labels."""

    source: str  # annomi / corpus / testset
    lang: str
    group: str  # transcript or client line: folds keep a group together
    client: str
    emotion: str
    reply: str
    main: str | None
    form: str | None  # open / closed
    depth: str | None  # simple / complex
    act: str | None
    harmful: bool | None
    accepted: frozenset[str] = frozenset()


def annomi_rows() -> list[Row]:
    """Even AnnoMI transcripts only."""
    rows = []
    for u in load_annomi(shared_dir() / "data" / "annomi"):
        if u.transcript % 2:
            continue
        rows.append(Row(
            "annomi", "en", f"annomi-{u.transcript}", u.client, "calm", u.text,
            ANNOMI_MAIN[u.main],
            u.question if u.main == "question" and u.question in ("open", "closed") else None,
            u.reflection if u.main == "reflection" and u.reflection in ("simple", "complex")
            else None,
            None, None))
    return rows


def _labels(act: str) -> tuple[str | None, str | None]:
    form = {"open_question": "open", "closed_question": "closed"}.get(act)
    depth = {"simple_reflection": "simple", "complex_reflection": "complex",
             "summary": "complex"}.get(act)
    return form, depth


def corpus_rows() -> list[Row]:
    """The corpus development half, every language present."""
    rows = []
    for lang in available("dev"):
        for it in load_half("dev", lang):
            form, depth = _labels(it.main_act)
            rows.append(Row("corpus", lang, f"corpus-{it.line}", it.client, it.emotion, it.reply,
                            GROUP.get(it.main_act, "other"), form, depth,  # type: ignore[call-overload]
                            it.main_act, it.harmful, it.accepted))
    return rows


def testset_rows() -> list[Row]:
    """The team's development test sets (one labelled sentence each; harm from the act)."""
    rows = []
    for lang in ("en", "fi", "nl"):
        data = yaml.safe_load((REPO / "benchmarks" / "testset" / f"{lang}.yaml").read_text())
        for n, item in enumerate(data["items"]):
            act = str(item["act"])
            if "+" in act:
                continue
            form, depth = _labels(act)
            rows.append(Row("testset", lang, f"testset-{lang}-{item['client']}", item["client"],
                            str(item.get("emotion", "calm")), item["reply"],
                            GROUP.get(act, "other"), form, depth,  # type: ignore[call-overload]
                            act, act in HARMFUL, frozenset({act})))
            del n
    return rows


def reply_vectors(rows: Sequence[Row]) -> tuple[Array, Array]:
    """Each row's reply embedding (mean of its sentences, normalised) and client embedding."""
    sentences = [split_sentences(r.reply) or (r.reply,) for r in rows]
    flat = [s for ss in sentences for s in ss]
    vecs = embed_cached(flat, verbose=True).astype(np.float64)
    out = np.zeros((len(rows), vecs.shape[1]))
    i = 0
    for k, ss in enumerate(sentences):
        m = vecs[i : i + len(ss)].mean(axis=0)
        out[k] = m / max(np.linalg.norm(m), 1e-12)
        i += len(ss)
    clients = embed_cached([r.client for r in rows], verbose=True).astype(np.float64)
    return out, clients


@dataclass(frozen=True)
class Trained:
    """A head's fit, its classes, whether it reads the client, and the rows it was fit on."""

    name: str
    fitted: Fitted
    classes: tuple[str, ...]
    uses_client: bool
    index: np.ndarray  # row numbers in the full table


def train_head(
    name: str, rows: Sequence[Row], x: Array, c: Array, label: str, corpus_weight: float,
    client_options: Sequence[bool] = (False,),
) -> Trained | None:
    """Fit one head on the rows that carry ``label``; choose client features by fold loss."""
    index = np.array([i for i, r in enumerate(rows) if getattr(r, label) is not None])
    if len(index) == 0:
        return None
    named = {True: "harmful", False: "fine"}
    values = [named.get(getattr(rows[i], label), str(getattr(rows[i], label))) for i in index]
    counts = Counter(values)
    keep = [k for k, v in enumerate(values) if counts[v] >= MIN_ACT_EXAMPLES]
    index = index[keep]
    values = [values[k] for k in keep]
    classes = tuple(sorted(set(values)))
    if len(classes) < 2:
        return None
    y = np.array([classes.index(v) for v in values])
    groups = [rows[i].group for i in index]
    weight = np.array([corpus_weight if rows[i].source != "annomi" else 1.0 for i in index])
    best: Trained | None = None
    best_loss = np.inf
    for uses_client in client_options:
        feats = np.hstack([x[index], x[index] * c[index]]) if uses_client else x[index]
        f = cross_fit(feats, y, len(classes), groups, sample_weight=weight)
        loss = float(-np.mean(np.log(np.clip(f.oof_probs[np.arange(len(y)), y], 1e-12, 1))))
        print(f"  {name}: client features {uses_client}: fold NLL {loss:.4f} (L2 {f.l2}, "
              f"T {f.temperature:.2f})")
        if loss < best_loss:
            best_loss, best = loss, Trained(name, f, classes, uses_client, index)
    assert best is not None
    conf = best.fitted.oof_probs.max(axis=1)
    right = (best.fitted.oof_probs.argmax(axis=1) == y).astype(float)
    print(f"  {name}: n={len(y)} classes={classes} fold accuracy {right.mean():.3f}, "
          f"ECE {ece(conf, right):.3f}\n{reliability(conf, right)}")
    return best


def save_head(t: Trained) -> None:
    """Write the head's weights as a small float32 .npz."""
    np.savez_compressed(
        HEADS / f"{t.name}.npz", W=t.fitted.weights.astype(np.float32),
        b=t.fitted.bias.astype(np.float32), classes=np.array(t.classes),
        temperature=np.float64(t.fitted.temperature), uses_client=np.bool_(t.uses_client))


def fold_probs(t: Trained | None, n_rows: int) -> list[dict[str, float] | None]:
    """Each row's out-of-fold class probabilities from head ``t`` (None where it has none)."""
    out: list[dict[str, float] | None] = [None] * n_rows
    if t is None:
        return out
    for k, i in enumerate(t.index):
        out[i] = dict(zip(t.classes, t.fitted.oof_probs[k].tolist(), strict=True))
    return out


def rule_table(rows: Sequence[Row], main: list[dict[str, float] | None]) -> dict[str, float]:
    """Measured precision of each rule act on one-sentence in-domain replies, by agreement.

    In-domain: the corpus development half when present, else the team's development sets
    (on which the rules were written, so their precision there is optimistic).

    Right means the act is the gold main act or one of its alternatives. Smoothed (k+1)/(n+2);
    a key is written only with at least 5 examples (the scorer backs off to coarser keys).
    """
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    source = "corpus" if any(r.source == "corpus" for r in rows) else "testset"
    for r, probs in zip(rows, main, strict=True):
        if r.source != source or probs is None or len(split_sentences(r.reply)) != 1:
            continue
        lex = lexicon(r.lang)
        turn = ClientTurn(r.client, EmotionalState("calm", 0.5), (), r.lang)  # type: ignore[arg-type]
        kind, basis = classify_traced(r.reply, lex, client_context(turn, r.lang))
        agree = "agree" if max(probs, key=lambda k: probs[k]) == GROUP[kind] else "disagree"
        right = int(kind in r.accepted)
        for key in (f"{kind}|{basis}|{agree}", f"{kind}|{agree}", kind, f"*|{agree}"):
            tally[key][0] += right
            tally[key][1] += 1
    return {k: round((a + 1) / (n + 2), 3) for k, (a, n) in sorted(tally.items()) if n >= 5}


def _final_probs(t: Trained | None, x: Array, c: Array, i: int) -> dict[str, float] | None:
    if t is None:
        return None
    feats = np.hstack([x[i], x[i] * c[i]]) if t.uses_client else x[i]
    z = (feats @ t.fitted.weights + t.fitted.bias) / t.fitted.temperature
    p = np.exp(z - z.max())
    return dict(zip(t.classes, (p / p.sum()).tolist(), strict=True))


def _right(r: Row, kind: str) -> bool:
    """An AnnoMI utterance is right when the act's group is the experts' main behaviour."""
    return GROUP[kind] == r.main if r.source == "annomi" else kind in r.accepted  # type: ignore[index]


def tune(
    rows: Sequence[Row], heads: dict[str, Trained | None], x: Array, c: Array,
    rule_precision: dict[str, float],
) -> tuple[dict[str, float], float, float, list[tuple[float, bool]]]:
    """The override and harm thresholds, chosen on fold predictions of one-sentence examples.

    Overrides (per basis, the main-head probability above which the model overrules a rule
    act): the grid point that maximises the mean of two accuracies, on AnnoMI (even) utterances
    (right = the act's group is the experts' main behaviour) and on in-domain replies (right =
    gold act or alternative; the corpus when present, else the team's development sets).
    Harm threshold and veto: a reply is flagged when the harm head reaches the threshold, or
    when an act is harmful and the head is not below the veto; the pair with the best recall
    that keeps false flags at or under 4 % of the harmless in-domain replies.
    Returns them and the (confidence, right) pairs of the in-domain acts.
    """
    from simulator.scoring import hybrid

    main = fold_probs(heads["main"], len(rows))
    act = fold_probs(heads["act"], len(rows))
    harm = fold_probs(heads["harm"], len(rows))
    tuning = "corpus" if any(r.source == "corpus" for r in rows) else "testset"
    cases = []
    for i, r in enumerate(rows):
        if r.source not in ("annomi", tuning) or main[i] is None:
            continue
        if len(split_sentences(r.reply)) != 1:
            continue
        lex = lexicon(r.lang)
        turn = ClientTurn(r.client, EmotionalState("calm", 0.5), (), r.lang)  # type: ignore[arg-type]
        kind, basis = classify_traced(r.reply, lex, client_context(turn, r.lang))
        reading = hybrid.Reading(main[i], _final_probs(heads["open"], x, c, i),  # type: ignore[arg-type]
                                 _final_probs(heads["complex"], x, c, i), act[i])
        cases.append((r, kind, basis, reading, (harm[i] or {}).get("harmful")))
    annomi_cases = [cs for cs in cases if cs[0].source == "annomi"]
    own = [cs for cs in cases if cs[0].source != "annomi"]

    def accuracy(subset: list[tuple[Row, ActKind, Basis, hybrid.Reading, float | None]],
                 limits: dict[str, float]) -> float:
        got = [_right(r, hybrid.decide(k, b, rd, limits, rule_precision)[0])
               for r, k, b, rd, _ in subset]
        return float(np.mean(got)) if got else 0.0

    grid = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, hybrid.NEVER)
    best: tuple[float, dict[str, float]] = (-1.0, dict(hybrid.DEFAULT_OVERRIDES))
    for content in grid:
        for form in grid[3:]:
            for lex_limit in grid[3:]:
                for harmful in grid[4:]:
                    limits = {"content": content, "form": form, "lexicon": lex_limit,
                              "harmful": harmful}
                    score = (accuracy(annomi_cases, limits) + accuracy(own, limits)) / 2
                    if score > best[0] + 1e-9:
                        best = (score, limits)
    overrides = best[1]
    rules_only = dict.fromkeys(("content", "form", "lexicon", "harmful"), hybrid.NEVER)
    print(f"  overrides {overrides}: AnnoMI one-sentence utterances "
          f"{accuracy(annomi_cases, overrides):.3f} (rules {accuracy(annomi_cases, rules_only):.3f}"
          f", n={len(annomi_cases)}); {tuning} one-sentence replies {accuracy(own, overrides):.3f}"
          f" (rules {accuracy(own, rules_only):.3f}, n={len(own)}); fold predictions")
    decided = [(hybrid.decide(k, b, rd, overrides, rule_precision), r) for r, k, b, rd, _ in own]
    pairs = [(conf, kind in r.accepted) for (kind, conf, _), r in decided]
    harm_threshold, veto = 0.5, 0.0
    labelled = [(r.harmful, kind in HARMFUL, p) for ((kind, _, _), r), (*_, p)
                in zip(decided, own, strict=True) if p is not None and r.harmful is not None]
    if labelled:
        def flagged(ruled: bool, p: float, flag: float, keep: float) -> bool:
            return (ruled and p >= keep) or p >= flag

        best_h = (-1.0, 0.0, 0.95, 0.0)
        for flag in np.linspace(0.3, 0.95, 27):
            # Harm first: a harmful act is taken back only when the head is fairly sure (< 0.3).
            for keep in (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3):
                if keep >= flag:
                    continue
                fp = float(np.mean([flagged(ru, p, flag, keep) for h, ru, p in labelled if not h]))
                rec = float(np.mean([flagged(ru, p, flag, keep) for h, ru, p in labelled if h]))
                if fp <= 0.04 and (rec, -fp) > (best_h[0], best_h[1]):
                    best_h = (float(rec), float(-fp), float(flag), float(keep))
        harm_threshold, veto = round(best_h[2], 3), best_h[3]
        rules_fp = np.mean([ru for h, ru, _ in labelled if not h])
        rules_rec = np.mean([ru for h, ru, _ in labelled if h])
        print(f"  harm threshold {harm_threshold}, veto {veto}: recall {best_h[0]:.3f}, false "
              f"flags {-best_h[1]:.3f} (acts alone: {rules_rec:.3f}, {rules_fp:.3f}; fold "
              f"predictions, one-sentence {tuning} replies)")
    return overrides, harm_threshold, veto, pairs


def main(argv: Sequence[str] | None = None) -> int:
    """Train every head the data supports and write the heads and calibration.json."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--corpus-weight", type=float, default=3.0,
                        help="weight of an in-domain example against an AnnoMI one (default 3)")
    parser.add_argument("--no-write", action="store_true", help="measure only; write nothing")
    args = parser.parse_args(argv)
    rows = annomi_rows() + corpus_rows() + testset_rows()
    print(f"rows: {Counter(r.source for r in rows)}; corpus languages: {available('dev')}")
    x, c = reply_vectors(rows)
    heads = {
        "main": train_head("main", rows, x, c, "main", args.corpus_weight),
        "open": train_head("open", rows, x, c, "form", args.corpus_weight),
        "complex": train_head("complex", rows, x, c, "depth", args.corpus_weight),
        "act": train_head("act", rows, x, c, "act", args.corpus_weight),
        "harm": train_head("harm", rows, x, c, "harmful", args.corpus_weight),
    }
    precision = rule_table(rows, fold_probs(heads["main"], len(rows)))
    overrides, harm_threshold, veto, pairs = tune(rows, heads, x, c, precision)
    conf = np.array([p for p, _ in pairs])
    right = np.array([float(ok) for _, ok in pairs])
    if len(pairs):
        print(f"combined act confidence on one-sentence in-domain replies (fold predictions): "
              f"n={len(pairs)} accuracy {right.mean():.3f} ECE {ece(conf, right):.3f}\n"
              f"{reliability(conf, right)}")
    cal: dict[str, object] = {
        "rule_precision": precision,
        "override": overrides,
        "harm_threshold": harm_threshold,
        "harm_veto": veto,
        "trained_on": dict(Counter(r.source for r in rows)),
    }
    if args.no_write:
        return 0
    for t in heads.values():
        if t is not None:
            save_head(t)
    (HEADS / "calibration.json").write_text(json.dumps(cal, indent=1, sort_keys=True) + "\n")
    print(f"wrote {sorted(k for k, t in heads.items() if t)} and calibration.json to {HEADS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
