"""Feedback after each exchange: one thing that worked, up to two to try, in the client's language.

Each suggestion carries an example reply: the persona line's own, else one built from this
client's words that the tool itself scores as the move (``simulator.suggestions``), else the
move and its content named without a full sentence. Dutch examples say "je" or "u" as the
trainee did; the wording lives in ``lexicon/feedback_<lang>.yaml``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from simulator.scoring.empathy import asked_for_advice
from simulator.scoring.perspective import feedback_texts
from simulator.scoring.phrasing import example_deflection
from simulator.suggestions import choose_example, trainee_address
from simulator.types import Act, ActKind, ClientTurn, Evidence, Feedback, Scores

MAX_SUGGESTIONS = 2
MAX_QUOTE_WORDS = 18  # longer praised sentences are shortened with an ellipsis
# Which act earns praise first: the one that shows the deepest listening.
PRAISE_ORDER: tuple[ActKind, ...] = (
    "complex_reflection",
    "summary",
    "simple_reflection",
    "open_question",
    "affirmation",
    "emphasizing_autonomy",
    "seeking_collaboration",
    "encourager",
)
# The harmful acts, most harmful first: the first found becomes the first suggestion.
HARM_ORDER: tuple[ActKind, ...] = (
    "judgement",
    "deflection",
    "persuasion",
    "reassurance",
    "advice",
    "self_disclosure",
)
# Suggestions that ask to name the feeling: their example must name one.
FEELING_KEYS = frozenset({"feeling", "reassurance"})
PRAISE_MIN_EMPATHY = 20  # no praise for a reply that is harmful overall


def _quote(text: str) -> str:
    words = text.split()
    if len(words) <= MAX_QUOTE_WORDS:
        return text
    return " ".join(words[:MAX_QUOTE_WORDS]).rstrip(",;:") + "…"


def _praise(acts: tuple[Act, ...], scores: Scores, texts: dict[str, str]) -> str | None:
    if scores.empathy < PRAISE_MIN_EMPATHY and scores.listening < PRAISE_MIN_EMPATHY:
        return None
    for kind in PRAISE_ORDER:
        act = next((a for a in acts if a.kind == kind), None)
        if act is not None:
            return texts["praise_lead"] + texts[f"praise.{kind}"].format(quote=_quote(act.text))
    return None


def _has(evidence: tuple[Evidence, ...], score: str, needle: str) -> bool:
    return any(e.score == score and needle in e.reason for e in evidence)


def _needs(client: ClientTurn, scores: Scores) -> list[str]:
    """Suggestion keys in order of importance for this reply."""
    kinds = {a.kind for a in scores.acts}
    ev = scores.evidence
    keys: list[str] = []
    for harm in HARM_ORDER:
        if harm in kinds:
            solicited = harm == "advice" and asked_for_advice(client)
            keys.append("advice_solicited" if solicited else harm)
            break
    reflected = kinds & {"simple_reflection", "complex_reflection", "summary"}
    deep = kinds & {"complex_reflection", "summary"}
    if _has(ev, "listening", "none of the client's cues") and not deep:
        keys.append("cues")
    if not _has(ev, "empathy", "named the client's feeling") and client.state.emotion != "calm":
        keys.append("feeling")
    elif reflected == {"simple_reflection"}:
        keys.append("deepen")
    if _has(ev, "listening", "closed questions stacked"):
        keys.append("closed")
    if _has(ev, "listening", "talked far longer"):
        keys.append("long")
    if "open_question" not in kinds and (not reflected or not keys):
        keys.append("explore")
    keys.extend(_pacing_needs(ev))
    return list(dict.fromkeys(keys))


def _pacing_needs(ev: tuple[Evidence, ...]) -> list[str]:
    rules: tuple[tuple[str, str], ...] = (
        ("rate too fast", "fast"),
        ("rate too slow", "slow"),
        ("pause(s) over 1 s", "pauses"),
        ("fillers per 100 words", "fillers"),
        ("long silence before answering", "latency_slow"),
        ("answered a distressed client at once", "latency_quick"),
    )
    worst = sorted((e for e in ev if e.score == "pacing" and e.points < 0), key=lambda e: e.points)
    return [key for e in worst for needle, key in rules if needle in e.reason]


def _flatten(language: str) -> dict[str, str]:
    raw = feedback_texts(language)
    flat = {k: str(v) for k, v in raw.items() if isinstance(v, str)}
    for section in ("praise", "suggestions", "hint"):
        flat.update({f"{section}.{k}": str(v) for k, v in raw[section].items()})
    return flat


def _example_slot(template: str, name: str) -> re.Pattern[str]:
    """The end of a template that quotes the example: "Try: “{reflection}”"."""
    return re.compile(r"\s*(?:\S+:)?\s*[“”‘„«\"]\{" + name + r"\}[”’»\"]\s*$")


def _hint(template: str, name: str, client: ClientTurn, texts: dict[str, str]) -> str:
    """The suggestion without a full example: the move and its content named instead."""
    heading = _example_slot(template, name).sub("", template).rstrip(" :")
    heading = heading if heading.endswith((".", "!", "?")) else heading + "."
    if client.cues:
        return f"{heading} {texts[f'hint.{name}'].format(cue=client.cues[0])}"
    return f"{heading} {texts[f'hint.{name}_plain']}"


def give_feedback(client: ClientTurn, scores: Scores, used: Counter[str] | None = None) -> Feedback:
    """Short, kind, concrete feedback on one exchange, in the persona's language.

    ``used`` counts the examples given so far in the session (updated here), so one wording
    is suggested at most twice per session.
    """
    texts = _flatten(client.language)
    used = Counter() if used is None else used
    reply = " ".join(a.text for a in scores.acts)
    address = trainee_address(reply, client)
    names = ("reflection", "open_question", "deflection")
    shown: set[str] = set()
    suggestions: list[str] = []
    keys = _needs(client, scores)
    # Merging "cues" and "feeling": one reflection example shows both.
    if "cues" in keys and "feeling" in keys:
        keys.remove("cues")
    for key in keys:
        if len(suggestions) >= MAX_SUGGESTIONS:
            break
        template = texts[f"suggestions.{key}"]
        needed = [name for name in names if "{" + name + "}" in template]
        if any(name in shown for name in needed):
            continue  # the same example twice would read as padding
        shown.update(needed)
        if not needed:
            suggestions.append(template)
            continue
        name = needed[0]
        if name == "deflection":
            example: str | None = example_deflection(replace(client, address=address))
        else:
            example = choose_example(name, client, reply, used, feeling=key in FEELING_KEYS)
        if example is None:
            suggestions.append(_hint(template, name, client, texts))
        else:
            suggestions.append(template.format(**{name: example}))
    return Feedback(praise=_praise(scores.acts, scores, texts), suggestions=tuple(suggestions))
