"""Tests of pacing metrics and the pacing score from word timings."""

from __future__ import annotations

from simulator.scoring import pacing_metrics, score_exchange
from simulator.types import ClientTurn, EmotionalState, Transcript, Word

CALM = ClientTurn("I lost my job last month.", EmotionalState("sad", 0.7), (), "en")


def timed(text: str, gap: float = 0.1, word_s: float = 0.3, start: float = 0.0) -> tuple[Word, ...]:
    """Words of ``text`` spoken at a fixed length with fixed gaps."""
    words = []
    t = start
    for w in text.split():
        words.append(Word(w, t, t + word_s, 0.9))
        t += word_s + gap
    return tuple(words)


def transcript(words: tuple[Word, ...], lang: str = "en") -> Transcript:
    """A transcript from timed words."""
    return Transcript(words, " ".join(w.text for w in words), lang, words[-1].end + 0.2)


def test_rate_is_measured_over_speech_time() -> None:
    """A long pause does not lower the words-per-minute figure; it is reported separately."""
    words = timed("That sounds really hard for you")
    shifted = (*words[:3], *(Word(w.text, w.start + 3, w.end + 3, 0.9) for w in words[3:]))
    a = pacing_metrics(words, "en")
    b = pacing_metrics(shifted, "en")
    assert a is not None and b is not None
    assert abs(a.wpm - b.wpm) < 0.1 * a.wpm  # over wall time it would fall below 70 wpm
    assert len(b.long_pauses) == 1 and not a.long_pauses


def test_fillers_counted_per_language() -> None:
    """Finnish fillers (öö, tota) count in Finnish; English ones (um, you know) in English."""
    fi = pacing_metrics(timed("öö tota mä ymmärrän sun huolen"), "fi")
    en = pacing_metrics(timed("um you know I hear you"), "en")
    assert fi is not None and en is not None
    assert fi.fillers_per_100_words > 30 and en.fillers_per_100_words > 30
    plain = pacing_metrics(timed("I hear how hard this is"), "en")
    assert plain is not None and plain.fillers_per_100_words == 0


def test_hurried_filler_heavy_reply_scores_lower() -> None:
    """A rushed reply full of fillers and long pauses scores below a steady one."""
    steady = score_exchange(CALM, transcript(timed("That sounds like a really hard month")),
                            response_latency_s=0.8)
    rushed_words = timed("um uh you know um like you should um just apply", gap=0.0, word_s=0.08)
    rushed_words = (*rushed_words[:5], *(Word(w.text, w.start + 2.0, w.end + 2.0, 0.9)
                                         for w in rushed_words[5:]))
    rushed = score_exchange(CALM, transcript(rushed_words), response_latency_s=0.05)
    assert steady.pacing is not None and rushed.pacing is not None
    assert steady.pacing >= 90
    assert rushed.pacing < steady.pacing - 30
    codes = {e.code for e in rushed.evidence if e.score == "pacing"}
    assert {"fillers", "pauses_long", "latency_quick"} <= codes


def test_long_silence_before_answering_costs_points() -> None:
    """Waiting ten seconds before answering lowers pacing; a one-second pause does not."""
    words = timed("That sounds like a really hard month")
    slow = score_exchange(CALM, transcript(words), response_latency_s=10.0)
    fine = score_exchange(CALM, transcript(words), response_latency_s=1.0)
    assert slow.pacing is not None and fine.pacing is not None
    assert slow.pacing < fine.pacing


def test_reply_far_longer_than_client_costs_points() -> None:
    """Speaking four times as long as the client costs pacing points."""
    words = timed("That sounds like a really hard month for you and your family")
    long_ = score_exchange(CALM, transcript(words), client_duration_s=1.0)
    short = score_exchange(CALM, transcript(words), client_duration_s=4.0)
    assert long_.pacing is not None and short.pacing is not None
    assert long_.pacing < short.pacing


def test_rate_bands_are_per_language() -> None:
    """About 100 words a minute is slow for English but comfortable for Finnish's long words."""
    fi_client = ClientTurn("Menetin työni viime kuussa.", EmotionalState("sad", 0.7), (), "fi")
    fi_words = timed("kuulostaa todella raskaalta menettää työpaikkansa ilman mitään varoitusta",
                     word_s=0.5)
    en_words = timed("that sounds so hard for you right now", word_s=0.5)
    fi = score_exchange(fi_client, transcript(fi_words, "fi"))
    en = score_exchange(CALM, transcript(en_words))
    assert fi.pacing_metrics is not None and en.pacing_metrics is not None
    assert 90 < fi.pacing_metrics.wpm < 115 and 90 < en.pacing_metrics.wpm < 115
    assert not any(e.code in ("rate_fast", "rate_slow") for e in fi.evidence)
    assert any(e.code == "rate_slow" for e in en.evidence)
