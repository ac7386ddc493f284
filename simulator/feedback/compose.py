"""Feedback after each exchange, harm first: what to change before anything that worked.

Order of checks, the same in every language:

1. The transcript: when Whisper was unsure (``Scores.transcript``) the trainee hears "I couldn't
   make that out clearly" with the doubtful words marked, and gets no praise and no advice built
   on words that may be invented; a reply in another language than the client's is named.
2. A risk cue the reply did not ask about: the fixed safeguarding prompt comes first.
3. A harmful act (judgement, deflection, ...): its correction comes next, and nothing is praised.
4. Praise ("What worked") only when no harm is possible and the scorer is confident in the act
   it praises: its ``Act.confidence`` and the evidence that makes it good.

Each suggestion carries an example reply: the persona line's own (trainer-written), else one
built from this client's words that the tool itself scores as the move, with no harm
(``simulator.feedback.suggestions``), else the move and its content named without a full sentence.
Dutch examples say "je" or "u" as the trainee did. The wording lives in
``simulator/language/<lang>/feedback.yaml`` and ``risk.yaml``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from simulator.feedback.phrasing import example_deflection
from simulator.feedback.suggestions import choose_example, trainee_address
from simulator.scoring.empathy import asked_for_advice
from simulator.scoring.risk import risk_praise, risk_prompt
from simulator.scoring.text import feedback_texts
from simulator.scoring.transcript import check_transcript
from simulator.types import (
    DEEP_REFLECTIONS,
    HARMFUL_ACTS,
    REFLECTIONS,
    Act,
    ActKind,
    ClientTurn,
    Evidence,
    EvidenceCode,
    Feedback,
    Scores,
    Transcript,
)

MAX_SUGGESTIONS = 2
MAX_QUOTE_WORDS = 18  # longer praised sentences are shortened with an ellipsis
# Which act earns praise first: the one that shows the deepest listening. A bare encourager
# ("Okay.") is never praised: it cannot be told from a dismissive one by its words.
PRAISE_ORDER: tuple[ActKind, ...] = (
    "complex_reflection",
    "summary",
    "simple_reflection",
    "open_question",
    "affirmation",
    "emphasizing_autonomy",
    "seeking_collaboration",
)
# Suggestions that ask to name the feeling: their example must name one.
FEELING_KEYS = frozenset({"feeling", "reassurance"})
PRAISE_MIN_SCORE = 41  # both listening and empathy at least "partly" (docs/scoring.md)
PRAISE_CONFIDENCE = 0.7  # the least act confidence that earns praise
# The evidence that makes each praised act good: one of these codes must be in the scores.
_BACKING: dict[ActKind, frozenset[EvidenceCode]] = {
    "complex_reflection": frozenset({"cues_picked_up", "feeling_named"}),
    "summary": frozenset({"cues_picked_up"}),
    "simple_reflection": frozenset({"cues_picked_up", "feeling_named"}),
    "open_question": frozenset({"question_personal", "cues_picked_up"}),
}
# The pacing evidence that asks for a suggestion, and the suggestion's key.
_PACING_KEYS: dict[EvidenceCode, str] = {
    "rate_fast": "fast",
    "rate_slow": "slow",
    "pauses_long": "pauses",
    "fillers": "fillers",
    "latency_slow": "latency_slow",
    "latency_quick": "latency_quick",
}


def _quote(text: str) -> str:
    words = text.split()
    if len(words) <= MAX_QUOTE_WORDS:
        return text
    return " ".join(words[:MAX_QUOTE_WORDS]).rstrip(",;:") + "…"


def confident(act: Act, scores: Scores) -> bool:
    """Whether the scorer is sure enough of ``act`` to praise it.

    The act's calibrated confidence must reach PRAISE_CONFIDENCE, and the scores must hold what
    makes the act good (for a reflection: the client's cues picked up or their feeling named).
    """
    if act.confidence < PRAISE_CONFIDENCE:
        return False
    backing = _BACKING.get(act.kind)
    return backing is None or any(e.code in backing for e in scores.evidence)


def _praise(scores: Scores, texts: dict[str, str]) -> str | None:
    if scores.listening < PRAISE_MIN_SCORE or scores.empathy < PRAISE_MIN_SCORE:
        return None
    for kind in PRAISE_ORDER:
        act = next((a for a in scores.acts if a.kind == kind), None)
        if act is not None and confident(act, scores):
            return texts["praise_lead"] + texts[f"praise.{kind}"].format(quote=_quote(act.text))
    return None


def _has(evidence: tuple[Evidence, ...], score: str, code: EvidenceCode) -> bool:
    return any(e.score == score and e.code == code for e in evidence)


def harm_keys(client: ClientTurn, scores: Scores) -> list[str]:
    """The possible harms of this reply, most serious first ("risk", then the harmful act)."""
    keys: list[str] = []
    if scores.risk is not None and not scores.risk.asked:
        keys.append("risk")
    kinds = {a.kind for a in scores.acts}
    for harm in HARMFUL_ACTS:
        if harm in kinds:
            solicited = harm == "advice" and asked_for_advice(client)
            keys.append("advice_solicited" if solicited else harm)
            break
    else:
        if scores.harm_flagged:
            keys.append("possible_harm")  # the harm head: harmful as a whole, no harmful act
    return keys


def _needs(client: ClientTurn, scores: Scores) -> list[str]:
    """Suggestion keys in order of importance for this reply: possible harms first."""
    kinds = {a.kind for a in scores.acts}
    ev = scores.evidence
    keys = harm_keys(client, scores)
    reflected = kinds & REFLECTIONS
    deep = kinds & DEEP_REFLECTIONS
    if _has(ev, "listening", "cues_none") and not deep:
        keys.append("cues")
    if not _has(ev, "empathy", "feeling_named") and client.state.emotion != "calm":
        keys.append("feeling")
    elif reflected == {"simple_reflection"}:
        keys.append("deepen")
    if _has(ev, "listening", "closed_stacked"):
        keys.append("closed")
    if _has(ev, "listening", "talk_long"):
        keys.append("long")
    if "open_question" not in kinds and (not reflected or not keys):
        keys.append("explore")
    keys.extend(_pacing_needs(ev))
    return list(dict.fromkeys(keys))


def _pacing_needs(ev: tuple[Evidence, ...]) -> list[str]:
    """Pacing suggestion keys, the costliest timing first."""
    worst = sorted((e for e in ev if e.score == "pacing" and e.points < 0), key=lambda e: e.points)
    return [_PACING_KEYS[e.code] for e in worst if e.code in _PACING_KEYS]


def _flatten(client: ClientTurn) -> dict[str, str]:
    raw = feedback_texts(client.language)
    flat = {k: str(v) for k, v in raw.items() if isinstance(v, str)}
    for section in ("praise", "suggestions", "notices", "language_names", "hint"):
        flat.update({f"{section}.{k}": str(v) for k, v in raw[section].items()})
    if client.address == "formal":
        flat.update({f"notices.{k}": str(v) for k, v in (raw.get("formal_notices") or {}).items()})
    return flat


def mark_doubtful(text: str, doubtful: tuple[str, ...]) -> str:
    """The text with each doubtful word in brackets: "U bent [4], [4], [4]"."""
    if not doubtful:
        return text
    wanted = {w.lower() for w in doubtful}

    def mark(m: re.Match[str]) -> str:
        return f"[{m.group(0)}]" if m.group(0).lower() in wanted else m.group(0)

    return re.sub(r"[\w'’-]+", mark, text)


def _notice(scores: Scores, reply: Transcript | None, texts: dict[str, str],
            language: str) -> str | None:
    check = scores.transcript
    if check is None:
        return None
    if not check.reliable:
        text = reply.text if reply is not None else " ".join(a.text for a in scores.acts)
        return texts["notices.unclear"].format(marked=_quote(mark_doubtful(text, check.doubtful)))
    if check.other_language is not None:
        client_language = texts[f"language_names.{language}"]
        name = texts.get(f"language_names.{check.other_language}")
        if name is None:  # Whisper heard a language no pack provides ("de")
            return texts["notices.unknown_language"].format(client_language=client_language)
        return texts["notices.other_language"].format(
            reply_language=name, client_language=client_language
        )
    return None


def say_again(reply: Transcript, client: ClientTurn) -> str | None:
    """When the transcript is unclear: the offer to say it again, with the doubtful words marked."""
    check = check_transcript(reply, client.language)
    if check.reliable:
        return None
    marked = _quote(mark_doubtful(reply.text, check.doubtful))
    return _flatten(client)["notices.say_again"].format(marked=marked)


def _example_slot(name: str) -> re.Pattern[str]:
    """The end of a template that quotes the example: "Try: “{reflection}”"."""
    return re.compile(r"\s*(?:\S+:)?\s*[“”‘„«\"]\{" + name + r"\}[”’»\"]\s*$")


def _hint(template: str, name: str, client: ClientTurn, texts: dict[str, str]) -> str:
    """The suggestion without a full example: the move and its content named instead."""
    heading = _example_slot(name).sub("", template).rstrip(" :")
    heading = heading if heading.endswith((".", "!", "?")) else heading + "."
    if client.cues:
        return f"{heading} {texts[f'hint.{name}'].format(cue=client.cues[0])}"
    return f"{heading} {texts[f'hint.{name}_plain']}"


def give_feedback(client: ClientTurn, scores: Scores, reply: Transcript | None = None,
                  used: Counter[str] | None = None) -> Feedback:
    """Short, kind, concrete feedback on one exchange, harm first, in the persona's language.

    ``used`` counts the example replies suggested so far in the session (updated here), so
    one wording comes back at most twice in a session.
    """
    texts = _flatten(client)
    notice = _notice(scores, reply, texts, client.language)
    risk = scores.risk
    prompt = [risk_prompt(risk, client)] if risk is not None and not risk.asked else []
    if notice is not None:
        # The words may be invented or not the client's language: only the safety prompt holds.
        return Feedback(praise=None, suggestions=tuple(prompt), notice=notice)
    said = reply.text if reply is not None else " ".join(a.text for a in scores.acts)
    used = Counter() if used is None else used
    address = trainee_address(said, client)
    names = ("reflection", "open_question", "deflection")
    shown: set[str] = set()
    suggestions: list[str] = list(prompt)
    keys = [k for k in _needs(client, scores) if k != "risk"]
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
            example = choose_example(name, client, said, used, feeling=key in FEELING_KEYS)
        if example is None:
            suggestions.append(_hint(template, name, client, texts))
        else:
            suggestions.append(template.format(**{name: example}))
    if harm_keys(client, scores):
        praise = None
    elif risk is not None:
        praise = risk_praise(risk, client)
    else:
        praise = _praise(scores, texts)
    return Feedback(praise=praise, suggestions=tuple(suggestions))
