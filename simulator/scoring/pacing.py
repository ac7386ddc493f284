"""Pacing 0-100 from word timings: rate over speech time, pauses, fillers, length, latency."""

from __future__ import annotations

from itertools import pairwise

from simulator.scoring.text import lexicon, norm_lang, syllables, term_matches, tokens
from simulator.types import ClientTurn, Evidence, PacingMetrics, Word

BASE = 100.0
LONG_PAUSE_S = 1.0  # a silence inside the reply longer than this counts as a long pause
SPEECH_GAP_S = 0.3  # gaps up to this belong to speech time (articulation, not pausing)
LONG_PAUSE_POINTS = -5.0  # per long pause
LONG_PAUSE_CAP = -20.0
RATE_SLOPE = 60.0  # points per 100 % outside the band
RATE_CAP = -25.0
FILLER_FREE_PER_100 = 3.0  # fillers per 100 words nobody notices
FILLER_SLOPE = -3.0  # points per filler per 100 words above that
FILLER_CAP = -20.0
MIN_RATE_WORDS = 4  # shorter replies have no meaningful rate
QUICK_ANSWER_S = 0.2  # about the usual turn gap (Stivers et al. 2009)
DISTRESS_INTENSITY = 0.6
SLOW_ANSWER_S = 4.0
SLOW_SLOPE = -4.0  # points per second beyond SLOW_ANSWER_S
SLOW_CAP = -20.0
QUICK_DISTRESSED = -8.0
LONG_TURN_RATIO = 2.5  # reply speech time over client speech time before it costs points
LONG_TURN_SLOPE = -5.0
LONG_TURN_CAP = -15.0
_CALM_EMOTIONS = ("calm", "hopeful", "relieved")


def find_fillers(text_tokens: tuple[str, ...], language: str) -> tuple[str, ...]:
    """Fillers of the language: single words (um, öö, eh) and set phrases (you know, tota noin)."""
    lex = lexicon(language)
    single = set(lex.words("fillers"))
    found = [t for t in text_tokens if t in single]
    for phrase in lex.words("filler_phrases"):
        rest = text_tokens
        while (i := term_matches(phrase, rest)) >= 0:
            found.append(phrase)
            rest = rest[i + len(phrase.split()):]
    return tuple(found)


def pacing_metrics(
    words: tuple[Word, ...],
    language: str,
    response_latency_s: float | None = None,
    client_duration_s: float | None = None,
) -> PacingMetrics | None:
    """Timing measures of a spoken reply (None when there are no word timings)."""
    if not words:
        return None
    lang = norm_lang(language)
    gaps = [(a.end, b.start) for a, b in pairwise(words)]
    span = max(words[-1].end - words[0].start, 0.0)
    paused = sum(b - a for a, b in gaps if b - a > SPEECH_GAP_S)
    speech = max(span - paused, 1e-3)
    toks = tuple(t for w in words for t in tokens(w.text))
    n = len(toks)
    syl = sum(syllables(t, lang) for t in toks)
    ratio = speech / client_duration_s if client_duration_s else None
    fillers = find_fillers(toks, lang)
    return PacingMetrics(
        wpm=round(n / speech * 60.0, 1),
        syllables_per_second=round(syl / speech, 2),
        response_latency_s=response_latency_s,
        long_pauses=tuple((round(a, 2), round(b, 2)) for a, b in gaps if b - a > LONG_PAUSE_S),
        fillers_per_100_words=round(100.0 * len(fillers) / max(n, 1), 1),
        speech_time_s=round(speech, 2),
        word_count=n,
        reply_to_client_ratio=round(ratio, 2) if ratio is not None else None,
        fillers=fillers,
    )


def _band_penalty(value: float, low: float, high: float) -> float:
    if value < low:
        return max(RATE_CAP, -RATE_SLOPE * (low - value) / low)
    if value > high:
        return max(RATE_CAP, -RATE_SLOPE * (value - high) / high)
    return 0.0


def score_pacing(m: PacingMetrics, client: ClientTurn) -> tuple[float, tuple[Evidence, ...]]:
    """Pacing points (unclamped) and the evidence: every timing that earned or cost points."""
    pace = lexicon(client.language).section("pacing")
    low, high = (float(x) for x in pace["syllables_per_second"])
    wlow, whigh = (float(x) for x in pace["wpm"])
    ev: list[Evidence] = []
    rate = f"{m.syllables_per_second:.1f} syllables/s, {m.wpm:.0f} words/min over speech time"
    pen_s = _band_penalty(m.syllables_per_second, low, high)
    pen_w = _band_penalty(m.wpm, wlow, whigh)
    pen = min(pen_s, pen_w) if m.word_count >= MIN_RATE_WORDS else 0.0
    if pen < 0:
        side = "fast" if m.syllables_per_second > high or m.wpm > whigh else "slow"
        bands = f"bands {low}-{high} syllables/s, {wlow:.0f}-{whigh:.0f} words/min"
        ev.append(Evidence("pacing", pen, f"rate too {side}: {rate} ({bands})",
                           code="rate_fast" if side == "fast" else "rate_slow"))
    else:
        ev.append(Evidence("pacing", 0.0, f"rate comfortable: {rate}", code="rate_ok"))
    if m.long_pauses:
        pts = max(LONG_PAUSE_CAP, LONG_PAUSE_POINTS * len(m.long_pauses))
        where = ", ".join(f"{a:.1f}-{b:.1f}s" for a, b in m.long_pauses)
        ev.append(Evidence("pacing", pts, f"{len(m.long_pauses)} pause(s) over 1 s", where,
                           code="pauses_long"))
    if m.fillers_per_100_words > FILLER_FREE_PER_100:
        pts = max(FILLER_CAP, FILLER_SLOPE * (m.fillers_per_100_words - FILLER_FREE_PER_100))
        ev.append(Evidence("pacing", pts, f"{m.fillers_per_100_words:.1f} fillers per 100 words",
                           ", ".join(m.fillers), code="fillers"))
    lat = m.response_latency_s
    distressed = client.state.emotion not in _CALM_EMOTIONS and (
        client.state.intensity >= DISTRESS_INTENSITY
    )
    if lat is not None:
        if lat > SLOW_ANSWER_S:
            pts = max(SLOW_CAP, SLOW_SLOPE * (lat - SLOW_ANSWER_S))
            ev.append(Evidence("pacing", pts, f"long silence before answering: {lat:.1f} s",
                               code="latency_slow"))
        elif lat < QUICK_ANSWER_S and distressed:
            ev.append(Evidence("pacing", QUICK_DISTRESSED,
                               f"answered a distressed client at once ({lat:.2f} s)",
                               code="latency_quick"))
        else:
            ev.append(Evidence("pacing", 0.0, f"pause before answering: {lat:.1f} s",
                               code="latency_ok"))
    r = m.reply_to_client_ratio
    if r is not None and r > LONG_TURN_RATIO:
        pts = max(LONG_TURN_CAP, LONG_TURN_SLOPE * (r - LONG_TURN_RATIO))
        ev.append(Evidence("pacing", pts, f"spoke {r:.1f}x as long as the client",
                           code="turn_long"))
    return BASE + sum(e.points for e in ev), tuple(ev)
