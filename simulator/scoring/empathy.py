"""Empathy 0-100 after EPITOME: emotional reaction, interpretation, exploration, minus harms."""

from __future__ import annotations

from simulator.scoring.features import emotion_of, feeling_words, same_feeling
from simulator.scoring.text import (
    content_forms,
    find_terms,
    lexicon,
    shared_forms,
    tokens,
)
from simulator.types import QUESTIONS, REFLECTIONS, Act, ActKind, ClientTurn, Evidence, EvidenceCode

BASE = 25.0
# EPITOME levels: none / weak / strong, for each of the three mechanisms.
REACTION = {"weak": 12.0, "strong": 25.0}
INTERPRETATION = {"weak": 12.0, "strong": 25.0}
EXPLORATION = {"weak": 10.0, "strong": 20.0}
AFFIRMATION = 5.0
HARMS: dict[ActKind, tuple[float, EvidenceCode, str]] = {
    "judgement": (-25.0, "harm_judgement", "judged or imposed values"),
    "deflection": (-20.0, "harm_deflection", "deflected"),
    "persuasion": (-15.0, "harm_persuasion", "argued or lectured"),
    "advice": (-15.0, "harm_advice", "gave unsolicited advice"),
    "reassurance": (-15.0, "harm_reassurance", "reassured instead of acknowledging"),
    "self_disclosure": (-12.0, "harm_self_disclosure", "talked about yourself"),
}
_NEUTRAL_EMOTIONS = ("calm",)
# The acts whose words can name the client's feeling (harmful ones and MI-adherent moves such
# as emphasising autonomy cannot).
_WARM_ACTS = REFLECTIONS | QUESTIONS | {"affirmation", "encourager", "other", "information"}


def asked_for_advice(client: ClientTurn) -> bool:
    """True when the client's line asks what to do (advice is then solicited)."""
    toks = tokens(client.text, client.language)
    return bool(find_terms(lexicon(client.language).words("advice_requests"), toks))


def _reaction(acts: tuple[Act, ...], client: ClientTurn) -> Evidence | None:
    lex = lexicon(client.language)
    weak: Evidence | None = None
    for act in acts:
        if act.kind not in _WARM_ACTS:
            continue
        toks = tokens(act.text, lex.language)
        for term in feeling_words(toks, lex):
            group = emotion_of(term, lex)
            if group in _NEUTRAL_EMOTIONS:
                continue  # "Okay." or "fine" names no feeling
            if same_feeling(group, client.state.emotion):
                return Evidence("empathy", REACTION["strong"],
                                f"named the client's feeling ({group})", act.text,
                                code="feeling_named")
            weak = weak or Evidence("empathy", REACTION["weak"], "named a feeling", act.text,
                                    code="feeling_other")
        generic = find_terms(lex.words("sympathy"), toks) + feeling_words(toks, lex, ("generic",))
        if generic and weak is None:
            weak = Evidence("empathy", REACTION["weak"], "acknowledged it is hard", act.text,
                            code="hardship_acknowledged")
    return weak


def _interpretation(acts: tuple[Act, ...]) -> Evidence | None:
    for kind in ("complex_reflection", "summary"):
        act = next((a for a in acts if a.kind == kind), None)
        if act:
            return Evidence("empathy", INTERPRETATION["strong"],
                            f"{kind.replace('_', ' ')}: understood the meaning", act.text,
                            code="meaning_understood")
    act = next((a for a in acts if a.kind == "simple_reflection"), None)
    if act:
        return Evidence("empathy", INTERPRETATION["weak"], "simple reflection", act.text,
                        code="reflection_simple")
    return None


def _exploration(acts: tuple[Act, ...], client: ClientTurn) -> Evidence | None:
    lang = client.language
    lex = lexicon(lang)
    client_forms = content_forms(" ".join((client.text, *client.cues)), lang)
    weak: Evidence | None = None
    for act in acts:
        if act.kind != "open_question":
            continue
        toks = tokens(act.text, lang)
        personal = shared_forms(content_forms(act.text, lang), client_forms) or feeling_words(
            toks, lex, ("generic",)
        )
        if personal:
            return Evidence("empathy", EXPLORATION["strong"],
                            "open question about the client's experience", act.text,
                            code="question_personal")
        weak = weak or Evidence("empathy", EXPLORATION["weak"], "open question", act.text,
                                code="question_open")
    return weak


def score_empathy(acts: tuple[Act, ...], client: ClientTurn) -> tuple[float, tuple[Evidence, ...]]:
    """Empathy points (unclamped) and the evidence for each change."""
    ev = [e for e in (_reaction(acts, client), _interpretation(acts), _exploration(acts, client))
          if e is not None]
    aff = next((a for a in acts if a.kind == "affirmation"), None)
    if aff:
        ev.append(Evidence("empathy", AFFIRMATION, "affirmation", aff.text, code="affirmation"))
    solicited = asked_for_advice(client)
    for kind, (pts, code, reason) in HARMS.items():
        hits = [a for a in acts if a.kind == kind]
        if not hits:
            continue
        if kind == "advice" and solicited:
            pts, code = pts / 3, "advice_solicited"
            reason = "advice the client asked for, given early"
        total = pts * (1 + 0.5 * (len(hits) - 1))
        ev.append(Evidence("empathy", total, reason, hits[0].text, code=code))
    return BASE + sum(e.points for e in ev), tuple(ev)
