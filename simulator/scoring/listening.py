"""Listening 0-100: did the reply pick up the client's cues and keep the focus on the client."""

from __future__ import annotations

from simulator.scoring.cues import client_cues, picked_up
from simulator.scoring.text import content_forms, shared_forms, tokens
from simulator.types import (
    DEEP_REFLECTIONS,
    HARMFUL,
    Act,
    ActKind,
    ClientTurn,
    Evidence,
    EvidenceCode,
)

BASE = 50.0
CUE_POINTS = 30.0  # all cues picked up
NO_CUE_PENALTY = -10.0
ACT_POINTS: dict[ActKind, tuple[float, EvidenceCode]] = {
    "summary": (15.0, "heard_summary"),
    "complex_reflection": (12.0, "heard_complex_reflection"),
    "simple_reflection": (8.0, "heard_simple_reflection"),
    "open_question": (8.0, "heard_open_question"),
    "encourager": (4.0, "heard_encourager"),
}
EXTRA_CLOSED_QUESTION = -8.0  # each closed question after the first
SUBJECT_CHANGE = -15.0
# Replies that close down what the client said instead of hearing it out.
DISMISSALS: dict[ActKind, tuple[float, EvidenceCode, str]] = {
    "deflection": (-10.0, "dismissed_deflection", "deflected the client's need"),
    "judgement": (-10.0, "dismissed_judgement", "dismissed what the client said"),
    "reassurance": (-8.0, "dismissed_reassurance", "smoothed it over instead of hearing it out"),
}
ADVICE_FIRST = -8.0  # advice with no reflection or question before it
LONG_REPLY_FACTOR = 3.0  # reply words over client words before "talking far longer"
LONG_REPLY_MIN_WORDS = 40
LONG_REPLY = -10.0



def score_listening(
    acts: tuple[Act, ...], client: ClientTurn, reply_text: str
) -> tuple[float, tuple[Evidence, ...]]:
    """Listening points (unclamped) and the evidence for each change."""
    ev: list[Evidence] = []
    lang = client.language
    # Words carried by advice, judgement and the like do not count as listening.
    heard = " ".join(a.text for a in acts if a.kind not in HARMFUL) if acts else reply_text
    reply_forms = content_forms(heard, lang)
    cues = client_cues(client)
    if cues:
        hits = [(c.text, picked_up(c, reply_forms)) for c in cues]
        got = [(c, w) for c, w in hits if w]
        if got:
            pts = CUE_POINTS * len(got) / len(cues)
            names = ", ".join(c for c, _ in got)
            quote = ", ".join(dict.fromkeys(w for _, ws in got for w in ws))
            ev.append(Evidence("listening", pts, f"picked up the client's cues: {names}", quote,
                               code="cues_picked_up"))
        else:
            missed = ", ".join(c.text for c in cues[:4])
            # A complex reflection may take up the meaning in other words: no penalty then.
            deep = any(a.kind in DEEP_REFLECTIONS for a in acts)
            ev.append(Evidence("listening", 0.0 if deep else NO_CUE_PENALTY,
                               f"none of the client's cues: {missed}", code="cues_none"))
    for kind, (pts, code) in ACT_POINTS.items():
        first = next((a for a in acts if a.kind == kind), None)
        if first is not None:
            ev.append(Evidence("listening", pts, kind.replace("_", " "), first.text, code=code))
    closed = [a for a in acts if a.kind == "closed_question"]
    if len(closed) >= 2:
        quote = " / ".join(a.text for a in closed)
        ev.append(Evidence("listening", EXTRA_CLOSED_QUESTION * (len(closed) - 1),
                           f"{len(closed)} closed questions stacked", quote,
                           code="closed_stacked"))
    for kind, (pts, code, reason) in DISMISSALS.items():
        hit = next((a for a in acts if a.kind == kind), None)
        if hit is not None:
            ev.append(Evidence("listening", pts, reason, hit.text, code=code))
    engaged = any(a.kind in ACT_POINTS for a in acts)
    if not engaged and not shared_forms(reply_forms, content_forms(client.text, lang)):
        ev.append(Evidence("listening", SUBJECT_CHANGE, "moved away from what the client said",
                           acts[0].text if acts else "", code="subject_changed"))
    first_advice = next((i for i, a in enumerate(acts) if a.kind in ("advice", "persuasion")), None)
    if first_advice is not None and not any(
        a.kind in ACT_POINTS or a.kind == "closed_question" for a in acts[:first_advice]
    ):
        ev.append(Evidence("listening", ADVICE_FIRST, "advice before showing you had heard",
                           acts[first_advice].text, code="advice_first"))
    n_reply, n_client = len(tokens(reply_text)), len(tokens(client.text))
    if n_reply > LONG_REPLY_MIN_WORDS and n_reply > LONG_REPLY_FACTOR * max(n_client, 1):
        ev.append(Evidence("listening", LONG_REPLY,
                           f"talked far longer than the client ({n_reply} words to {n_client})",
                           code="talk_long"))
    return BASE + sum(e.points for e in ev), tuple(ev)
