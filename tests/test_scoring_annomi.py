"""Floor on agreement with AnnoMI expert codes, on a fixed twentieth of the odd transcripts."""

from __future__ import annotations

from types import ModuleType

from support.annomi import annomi_dir, load_benchmark
from support.shared import needs_shared

# Measured kappa on this subset: see docs/scoring.md; floors sit a little below.
MAIN_FLOOR = 0.61  # measured 0.629
OPEN_CLOSED_FLOOR = 0.61  # measured 0.634
PRIORITY = ("question", "therapist_input", "reflection", "other")


def benchmark() -> ModuleType:
    """The benchmark script as a module."""
    return load_benchmark("annomi")


@needs_shared("data", "annomi", "AnnoMI-full.csv")
def test_annomi_subset_agreement_floor() -> None:
    """Main behaviour and open/closed kappa on transcripts 1, 21, 41 ... stay above their floors."""
    bench = benchmark()
    utts = [u for u in bench.load_annomi(annomi_dir()) if u.transcript % 20 == 1]
    acts = bench.classify_all(utts)
    main = bench.cohen_kappa([u.main for u in utts],
                             [bench.utterance_label(a, PRIORITY) for a in acts])
    q = [(u, a) for u, a in zip(utts, acts, strict=True) if u.question in ("open", "closed")]
    oc = bench.cohen_kappa([u.question for u, _ in q], [bench.subtype_question(a) for _, a in q])
    print(f"subset n={len(utts)} main kappa={main:.3f} open/closed kappa={oc:.3f}")
    assert main >= MAIN_FLOOR
    assert oc >= OPEN_CLOSED_FLOOR


# The hybrid scorer (real encoder, shipped heads trained on even transcripts) on the same subset.
HYBRID_MAIN_FLOOR = 0.64  # measured 0.663 (rules 0.629)
HYBRID_OPEN_CLOSED_FLOOR = 0.56  # measured 0.585 (rules 0.634)


@needs_shared("data", "annomi", "AnnoMI-full.csv")
def test_annomi_subset_agreement_floor_hybrid() -> None:
    """With the encoder and heads, main behaviour and open/closed kappa stay above floors."""
    from simulator.encoder import shared_encoder

    bench = benchmark()
    utts = [u for u in bench.load_annomi(annomi_dir()) if u.transcript % 20 == 1]
    acts = bench.classify_all(utts, shared_encoder())
    main = bench.cohen_kappa([u.main for u in utts],
                             [bench.utterance_label(a, PRIORITY) for a in acts])
    q = [(u, a) for u, a in zip(utts, acts, strict=True) if u.question in ("open", "closed")]
    oc = bench.cohen_kappa([u.question for u, _ in q], [bench.subtype_question(a) for _, a in q])
    print(f"hybrid subset n={len(utts)} main kappa={main:.3f} open/closed kappa={oc:.3f}")
    assert main >= HYBRID_MAIN_FLOOR
    assert oc >= HYBRID_OPEN_CLOSED_FLOOR
