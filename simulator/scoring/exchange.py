"""Score one exchange: acts, then listening, empathy and pacing, each clamped to 0-100.

Two checks come before any praise: whether the transcript can be trusted (an unclear one gets
no pacing score, as its timings belong to invented words) and whether the client's line carries
a risk cue the reply had to ask about (``risk``). A reply in another language than the client's
is not good practice, whatever its acts: listening and empathy stay in the lowest band.
"""

from __future__ import annotations

from simulator.ports import TextEncoder
from simulator.scoring.acts import classify_acts
from simulator.scoring.empathy import score_empathy
from simulator.scoring.hybrid import hybrid_acts, is_flagged
from simulator.scoring.listening import score_listening
from simulator.scoring.pacing import pacing_metrics, score_pacing
from simulator.scoring.risk import check_risk
from simulator.scoring.transcript import check_transcript
from simulator.types import ClientTurn, Evidence, EvidenceCode, PacingMetrics, Scores, Transcript

TALKED_OVER = -10.0  # listening points for starting to speak while the client still talks
MISSED_RISK = -25.0  # listening and empathy points for moving on past a risk cue
UNASKED_RISK = -10.0  # ... for taking it up without asking about it directly
ASKED_RISK = 10.0  # listening and empathy points for asking about it directly
OTHER_LANGUAGE_MAX = 40  # the top of the lowest band


def clamp(points: float) -> int:
    """Round to an integer score between 0 and 100."""
    return round(min(100.0, max(0.0, points)))


def score_exchange(
    client: ClientTurn,
    reply: Transcript,
    *,
    response_latency_s: float | None = None,
    client_duration_s: float | None = None,
    encoder: TextEncoder | None = None,
) -> Scores:
    """Scores of the trainee's reply to one client line; pacing is None for typed text.

    With an ``encoder`` the acts come from the hybrid scorer (rules and learned heads, see
    ``hybrid.py``); without one, from the rules alone.
    """
    language = client.language
    p_harm: float | None = None
    if encoder is not None:
        acts, p_harm = hybrid_acts(reply.text, language, client, reply.words, encoder)
    else:
        acts = classify_acts(reply.text, language, client, reply.words)
    listening, ev_l = score_listening(acts, client, reply.text)
    if response_latency_s is not None and response_latency_s < 0:
        ev_l = (*ev_l, Evidence("listening", TALKED_OVER, "started talking over the client",
                                f"{-response_latency_s:.1f} s before they finished",
                                code="talked_over"))
        listening += TALKED_OVER
    empathy, ev_e = score_empathy(acts, client)
    extra: list[Evidence] = []
    risk = check_risk(client, reply.text)
    if risk is not None:
        code: EvidenceCode
        if risk.asked:
            why, points = f"asked directly about the risk ({risk.kind})", ASKED_RISK
            quote, code = risk.asked, "risk_asked"
        else:
            why, points, quote = f"missed a risk cue ({risk.kind})", MISSED_RISK, risk.cue
            code = "risk_missed"
            if risk.acknowledged:
                why = f"took up a risk cue ({risk.kind}) without asking about it directly"
                points, code = UNASKED_RISK, "risk_acknowledged"
        extra += [Evidence("listening", points, why, quote, code=code),
                  Evidence("empathy", points, why, quote, code=code)]
        listening += points
        empathy += points
    check = check_transcript(reply, language)
    if check.other_language is not None:
        why = f"replied in another language ({check.other_language}) than the client's ({language})"
        for name, value in (("listening", listening), ("empathy", empathy)):
            if value > OTHER_LANGUAGE_MAX:
                extra.append(Evidence(name, OTHER_LANGUAGE_MAX - value, why,  # type: ignore[arg-type]
                                      code="other_language"))
        listening, empathy = min(listening, OTHER_LANGUAGE_MAX), min(empathy, OTHER_LANGUAGE_MAX)
    metrics: PacingMetrics | None = None
    if check.reliable:
        metrics = pacing_metrics(reply.words, language, response_latency_s, client_duration_s)
    pacing: int | None = None
    ev_p: tuple[object, ...] = ()
    if metrics is not None:
        points, ev_p = score_pacing(metrics, client)
        pacing = clamp(points)
    return Scores(
        listening=clamp(listening),
        empathy=clamp(empathy),
        pacing=pacing,
        acts=acts,
        evidence=(*ev_l, *ev_e, *extra, *ev_p),  # type: ignore[arg-type]
        pacing_metrics=metrics,
        risk=risk,
        harm_probability=p_harm,
        harm_flagged=is_flagged(acts, p_harm),
        transcript=check,
    )
