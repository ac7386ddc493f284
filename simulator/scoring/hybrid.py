"""The hybrid act classifier: rules where they are precise, learned heads where meaning matters.

Every act carries a calibrated confidence and the part that decided it.

Per sentence (see docs/scoring.md, "The hybrid scorer"):

1. The rules give an act and how they reached it (``Basis``): a phrase of a word list, the
   question form, or a weighing of content words ("content").
2. When the main head's most probable group (question / reflection / input / other) is the
   rule act's own, the act stands ("rule+model"); for a "content" question or reflection the
   subtype heads choose open/closed and simple/complex.
3. When it disagrees, the model overrules only if its probability reaches the calibrated
   figure for that basis (``override`` in calibration.json: "content" lowest, "form" and
   "lexicon" higher, a harmful act its own "harmful" figure); within its group the subtype
   heads or the act head choose the act ("model"). Otherwise the rule act stands ("rule").
4. The harm head reads the whole reply. When it reaches its threshold and no act of the reply is
   harmful yet, the sentence the act head finds most harmful becomes that harmful act ("model").
5. When the harm head's probability is below its veto figure, a harmful act becomes the act
   head's most probable harmless act ("model"): phrase lists also catch sincere wordings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from simulator.ports import TextEncoder
from simulator.scoring.acts import align, client_context
from simulator.scoring.learned import Head, Vector, calibration, load_head
from simulator.scoring.sentence import Basis, classify_traced
from simulator.scoring.text import lexicon, norm_lang, split_sentences
from simulator.types import ACT_KINDS, HARMFUL, Act, ActKind, ClientTurn, DecidedBy, Word

GROUP: Mapping[ActKind, str] = {
    "open_question": "question",
    "closed_question": "question",
    "seeking_collaboration": "question",
    "simple_reflection": "reflection",
    "complex_reflection": "reflection",
    "summary": "reflection",
    "information": "input",
    "advice": "input",
    "persuasion": "input",
    "judgement": "input",
    "reassurance": "input",
    "self_disclosure": "input",
    "deflection": "input",
    "emphasizing_autonomy": "input",
    "affirmation": "other",
    "encourager": "other",
    "other": "other",
}
NEVER = 1.01  # an override threshold no probability reaches
# Main-head probability the model needs to overrule a rule act, by basis, when none is measured.
DEFAULT_OVERRIDES: Mapping[str, float] = {
    "content": 0.6, "form": NEVER, "lexicon": NEVER, "harmful": NEVER
}
DEFAULT_HARM = 0.5  # harm-head probability that flags a reply when none is measured
CLIENT_CACHE = 32  # client lines whose embeddings are kept


@dataclass(frozen=True)
class Reading:
    """What the learned heads say about one sentence (probabilities, calibrated)."""

    main: Mapping[str, float]
    open: Mapping[str, float] | None = None
    complex: Mapping[str, float] | None = None
    act: Mapping[str, float] | None = None


def _top(p: Mapping[str, float]) -> tuple[str, float]:
    best = max(p, key=lambda k: p[k])
    return best, p[best]


def _kind(name: str) -> ActKind:
    if name not in ACT_KINDS:
        raise ValueError(f"a head names an unknown act {name!r}")
    return name


def rule_confidence(
    kind: ActKind, basis: Basis, agree: bool, table: Mapping[str, float] | None = None
) -> float:
    """The measured precision of a rule's act, given whether the main head agreed.

    ``table`` defaults to the shipped ``calibration.json``; the most specific key measured wins
    (act, basis and agreement; then act and agreement; act; agreement alone).
    """
    if table is None:
        table = calibration().get("rule_precision", {})
    tag = "agree" if agree else "disagree"
    for key in (f"{kind}|{basis}|{tag}", f"{kind}|{tag}", kind, f"*|{tag}"):
        if key in table:
            return float(table[key])
    return 0.75 if agree else 0.5


def _model_kind(group: str, reading: Reading, rule_kind: ActKind) -> tuple[ActKind, float]:
    """The act within ``group`` the heads choose, and its probability within the group."""
    if group == "question":
        if reading.open is None:
            return ("open_question" if rule_kind == "open_question" else "closed_question"), 1.0
        form, p = _top(reading.open)
        return ("open_question" if form == "open" else "closed_question"), p
    if group == "reflection":
        if reading.complex is None:
            kind = rule_kind if GROUP[rule_kind] == "reflection" else "simple_reflection"
            return kind, 1.0
        depth, p = _top(reading.complex)
        return ("complex_reflection" if depth == "complex" else "simple_reflection"), p
    members = [k for k, g in GROUP.items() if g == group]
    if reading.act is not None:
        inside: dict[str, float] = {k: reading.act.get(k, 0.0) for k in members}
        total = sum(inside.values())
        if total > 0:
            name, p = _top(inside)
            return _kind(name), p / total
    if rule_kind in members:
        return rule_kind, 1.0
    return ("information" if group == "input" else "other"), 1.0


def decide(
    rule_kind: ActKind,
    basis: Basis,
    reading: Reading | None,
    overrides: Mapping[str, float] | None = None,
    precision: Mapping[str, float] | None = None,
) -> tuple[ActKind, float, DecidedBy]:
    """Combine the rules' act with the heads' reading of one sentence (steps 2 and 3 above).

    ``overrides`` maps a basis to the main-head probability the model needs to overrule a rule
    act of that basis (above 1: never); a harmful act has its own figure, "harmful".
    """
    if reading is None:
        return rule_kind, rule_confidence(rule_kind, basis, False, precision), "rule"
    limits = DEFAULT_OVERRIDES if overrides is None else overrides
    group, p_group = _top(reading.main)
    if group == GROUP[rule_kind]:
        if basis == "content" and group in ("question", "reflection"):
            kind, p_kind = _model_kind(group, reading, rule_kind)
            return kind, p_group * p_kind, "rule+model"
        return rule_kind, rule_confidence(rule_kind, basis, True, precision), "rule+model"
    key = "harmful" if rule_kind in HARMFUL else basis
    if p_group < limits.get(key, NEVER):
        return rule_kind, rule_confidence(rule_kind, basis, False, precision), "rule"
    kind, p_kind = _model_kind(group, reading, rule_kind)
    return kind, p_group * p_kind, "model"


def flag_harm(
    acts: Sequence[Act], p_harm: float, readings: Sequence[Reading | None], threshold: float
) -> tuple[Act, ...]:
    """Step 4: when the harm head flags the reply and no act is harmful yet, name the harm."""
    if p_harm < threshold or any(a.kind in HARMFUL for a in acts) or not acts:
        return tuple(acts)
    best, best_kind, best_p = -1, None, -1.0
    for i, r in enumerate(readings):
        if r is None or r.act is None:
            continue
        harmful: dict[str, float] = {k: v for k, v in r.act.items() if k in HARMFUL}
        if harmful:
            kind, p = _top(harmful)
            if p > best_p:
                best, best_kind, best_p = i, kind, p
    if best_kind is None:
        return tuple(acts)
    out = list(acts)
    out[best] = replace(out[best], kind=_kind(best_kind), confidence=p_harm, decided_by="model")
    return tuple(out)


def clear_harm(
    acts: Sequence[Act], p_harm: float, readings: Sequence[Reading | None], veto: float
) -> tuple[Act, ...]:
    """Step 5: below the veto, harmful acts become the act head's likeliest harmless act."""
    if p_harm >= veto:
        return tuple(acts)
    out = list(acts)
    for i, (act, r) in enumerate(zip(acts, readings, strict=True)):
        if act.kind not in HARMFUL or r is None or r.act is None:
            continue
        harmless: dict[str, float] = {k: v for k, v in r.act.items() if k not in HARMFUL}
        total = sum(harmless.values())
        if harmless and total > 0:
            kind, p = _top(harmless)
            conf = round((1 - p_harm) * p / total, 3)
            out[i] = replace(act, kind=_kind(kind), confidence=conf, decided_by="model")
    return tuple(out)


@cache
def _heads() -> dict[str, Head | None]:
    return {name: load_head(name) for name in ("main", "open", "complex", "act", "harm")}


class _ClientEmbeddings:
    """The last few client lines' embeddings, so a line embedded while it plays is reused."""

    def __init__(self) -> None:
        self._known: dict[str, Vector] = {}

    def get(self, text: str, encoder: TextEncoder) -> Vector:
        if text not in self._known:
            if len(self._known) >= CLIENT_CACHE:
                self._known.pop(next(iter(self._known)))
            self._known[text] = encoder.embed([text])[0]
        return self._known[text]


_CLIENTS = _ClientEmbeddings()


def prepare(client: ClientTurn, encoder: TextEncoder) -> None:
    """Load the heads and embed the client's line now (call it while the line plays)."""
    heads = _heads()
    if any(h is not None and h.uses_client for h in heads.values()):
        _CLIENTS.get(client.text, encoder)
    else:
        encoder.embed([client.text])  # loads the model


def _read(vec: Vector, client_vec: Vector | None) -> Reading | None:
    heads = _heads()
    main = heads["main"]
    if main is None:
        return None
    extra = {
        name: (h.predict(vec, client_vec) if h is not None else None)
        for name, h in heads.items()
        if name in ("open", "complex", "act")
    }
    return Reading(main.predict(vec, client_vec), extra["open"], extra["complex"], extra["act"])


def reply_vector(vectors: Vector) -> Vector:
    """The whole reply's embedding: the normalised mean of its sentences' embeddings."""
    mean = vectors.mean(axis=0)
    out: Vector = (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)
    return out


def harm_probability(vectors: Vector, client_vec: Vector | None) -> float | None:
    """The harm head's calibrated probability that the reply is harmful (None if not shipped)."""
    head = _heads()["harm"]
    if head is None or len(vectors) == 0:
        return None
    return head.predict(reply_vector(vectors), client_vec).get("harmful", 0.0)


def classify_acts_hybrid(
    text: str,
    language: str,
    client: ClientTurn | None,
    words: tuple[Word, ...],
    encoder: TextEncoder,
) -> tuple[Act, ...]:
    """One act per sentence, rules and heads combined, each with confidence and decider."""
    return hybrid_acts(text, language, client, words, encoder)[0]


def harm_threshold() -> float:
    """The harm head's probability at which a reply is flagged harmful (calibration.json)."""
    return float(calibration().get("harm_threshold", DEFAULT_HARM))


def harm_veto() -> float:
    """The harm head's probability below which a harmful act is taken back (calibration.json)."""
    return float(calibration().get("harm_veto", 0.0))


def is_flagged(acts: Sequence[Act], p_harm: float | None) -> bool:
    """A reply is flagged harmful when any act is harmful or the harm head reaches its threshold."""
    return any(a.kind in HARMFUL for a in acts) or (
        p_harm is not None and p_harm >= harm_threshold()
    )


def hybrid_acts(
    text: str,
    language: str,
    client: ClientTurn | None,
    words: tuple[Word, ...],
    encoder: TextEncoder,
) -> tuple[tuple[Act, ...], float | None]:
    """The hybrid acts and the harm head's probability for the whole reply (None if absent)."""
    lang = norm_lang(language)
    lex = lexicon(lang)
    ctx = client_context(client, lang)
    sentences = split_sentences(text)
    if not sentences:
        return (), None
    traced = [classify_traced(s, lex, ctx) for s in sentences]
    vectors = encoder.embed(list(sentences))
    wants_client = any(h is not None and h.uses_client for h in _heads().values())
    client_vec = (
        _CLIENTS.get(client.text, encoder)
        if wants_client and client is not None and client.text
        else None
    )
    readings = [_read(v, client_vec) for v in vectors]
    cal = calibration()
    overrides = cal.get("override", DEFAULT_OVERRIDES)
    acts: list[Act] = []
    for sentence, (kind, basis), reading, span in zip(
        sentences, traced, readings, align(sentences, words), strict=True
    ):
        final, conf, by = decide(kind, basis, reading, overrides)
        start, end = span if span else (None, None)
        acts.append(Act(final, sentence, start, end, round(conf, 3), by))
    p_harm = harm_probability(vectors, client_vec)
    if p_harm is None:
        return tuple(acts), None
    named = flag_harm(acts, p_harm, readings, harm_threshold())
    return clear_harm(named, p_harm, readings, harm_veto()), round(p_harm, 3)
