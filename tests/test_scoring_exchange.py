"""Tests of score_exchange: rankings that any sane scorer must respect, in all three languages."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.feedback import give_feedback
from simulator.scoring import score_exchange
from simulator.types import ClientTurn, EmotionalState, Scores, Transcript, Word

CLIENT = {
    "en": "I have called five times this week and nobody calls me back. I am so angry.",
    "fi": "Olen soittanut viisi kertaa tällä viikolla, eikä kukaan soita takaisin. "
    "Olen tosi vihainen.",
    "nl": "Ik heb deze week al vijf keer gebeld en niemand belt me terug. Ik ben echt boos.",
}
EMPATHIC = {
    "en": "It sounds like you feel ignored when nobody calls you back, and you're angry.",
    "fi": "Kuulostaa siltä, että olet tosi vihainen, kun kukaan ei soita sinulle takaisin.",
    "nl": "Het klinkt alsof je je genegeerd voelt omdat niemand je terugbelt. Dat maakt je boos.",
}
ADVICE = {
    "en": "You should go to the office in person tomorrow.",
    "fi": "Sinun kannattaa mennä huomenna toimistoon paikan päälle.",
    "nl": "Je moet morgen gewoon zelf naar het kantoor gaan.",
}
JUDGEMENT = {
    "en": "Well, that's your own fault for not going in person.",
    "fi": "No, se on ihan oma vikasi, kun et mennyt paikan päälle.",
    "nl": "Tja, dat is je eigen schuld, had je maar langs moeten gaan.",
}
REASSURANCE = {
    "en": "Don't worry, it'll be fine.",
    "fi": "Älä huoli, kyllä se siitä järjestyy.",
    "nl": "Maak je geen zorgen, het komt wel goed.",
}


def client(lang: str) -> ClientTurn:
    """Return the angry caller in the given language."""
    return ClientTurn(CLIENT[lang], EmotionalState("angry", 0.8), (), lang)  # type: ignore[arg-type]


def typed(text: str, lang: str) -> Transcript:
    """Wrap typed text as a transcript."""
    return Transcript.from_text(text, lang)


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
@pytest.mark.parametrize("bad", [ADVICE, JUDGEMENT, REASSURANCE])
def test_empathic_reflection_beats_advice_judgement_reassurance(
    lang: str, bad: dict[str, str]
) -> None:
    """An empathic reflection beats advice, judgement and reassurance on empathy and listening."""
    good = score_exchange(client(lang), typed(EMPATHIC[lang], lang))
    worse = score_exchange(client(lang), typed(bad[lang], lang))
    assert good.empathy >= worse.empathy + 30
    assert good.listening > worse.listening


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_judgement_costs_more_empathy_than_reassurance(lang: str) -> None:
    """Judgement is the most harmful reply, below reassurance."""
    judged = score_exchange(client(lang), typed(JUDGEMENT[lang], lang))
    reassured = score_exchange(client(lang), typed(REASSURANCE[lang], lang))
    assert judged.empathy < reassured.empathy


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_typed_reply_has_no_pacing(lang: str) -> None:
    """Typed text has no word timings, so pacing is None."""
    scores = score_exchange(client(lang), typed(EMPATHIC[lang], lang))
    assert scores.pacing is None
    assert scores.pacing_metrics is None


def test_scores_stay_in_range_and_list_evidence() -> None:
    """Scores are integers 0-100 and every score has at least one piece of evidence."""
    scores = score_exchange(client("en"), typed(EMPATHIC["en"] + " " + ADVICE["en"], "en"))
    assert 0 <= scores.listening <= 100 and 0 <= scores.empathy <= 100
    assert {e.score for e in scores.evidence} >= {"listening", "empathy"}
    assert any(e.points < 0 and e.code in ("harm_advice", "advice_first") for e in scores.evidence)


def test_matching_feeling_beats_other_feeling() -> None:
    """Naming the client's actual emotion earns more empathy than naming a different one."""
    right = score_exchange(client("en"), typed("You're really angry about this.", "en"))
    wrong = score_exchange(client("en"), typed("You're really sad about this.", "en"))
    assert right.empathy > wrong.empathy


def test_cue_pickup_in_finnish_counts_inflected_forms() -> None:
    """A Finnish cue is picked up when the reply uses another inflected form of the word."""
    c = ClientTurn("Pelkään, että menetän asuntoni.", EmotionalState("anxious", 0.7),
                   ("asunto",), "fi")
    scores = score_exchange(c, typed("Olet huolissasi asunnostasi.", "fi"))
    cue = [e for e in scores.evidence if e.code == "cues_picked_up"]
    assert cue and cue[0].points > 0 and "asunnostasi" in cue[0].quote


def test_stacked_closed_questions_cost_listening() -> None:
    """Three closed questions in a row score lower listening than one open question."""
    stacked = score_exchange(client("en"), typed(
        "Did you call the main number? Did you leave a message? Was it the right office?", "en"))
    opened = score_exchange(client("en"), typed("What happened when you called?", "en"))
    assert stacked.listening < opened.listening
    assert any(e.code == "closed_stacked" for e in stacked.evidence)


@pytest.mark.parametrize("name", ["en", "fi", "nl", "en_holdout", "fi_holdout", "nl_holdout"])
def test_every_reflection_beats_every_harm_for_the_same_client(name: str) -> None:
    """In the team test sets each reflection outscores each harmful reply to the same client."""
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "testset" / f"{name}.yaml"
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    lang = name[:2]
    by_client: dict[str, dict[str, list[Scores]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        turn = ClientTurn(item["client"], EmotionalState(item["emotion"], 0.7), (), lang)  # type: ignore[arg-type]
        scores = score_exchange(turn, typed(item["reply"], lang))
        by_client[item["client"]][item["act"]].append(scores)
    for acts in by_client.values():
        good = [s for k in ("simple_reflection", "complex_reflection", "summary") for s in acts[k]]
        bad = [s for k in ("judgement", "advice", "reassurance", "deflection", "persuasion")
               for s in acts[k]]
        for g in good:
            for b in bad:
                assert g.empathy > b.empathy and g.listening > b.listening


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200), lang=st.sampled_from(["en", "fi", "nl"]))
def test_any_text_gives_scores_in_range(text: str, lang: str) -> None:
    """Whatever the transcript holds (empty, symbols, any script), scores stay within 0-100."""
    scores = score_exchange(client(lang), typed(text, lang))
    assert 0 <= scores.listening <= 100 and 0 <= scores.empathy <= 100
    assert all(a.text.strip() for a in scores.acts)
    give_feedback(client(lang), scores)


def test_talking_over_the_client_costs_listening() -> None:
    """The same spoken reply scores lower for listening when it began over the client."""
    client = ClientTurn("Nobody ever calls me back.", EmotionalState("angry", 0.7), language="en")
    words = tuple(
        Word(w, 0.3 * i, 0.3 * i + 0.25, 0.9) for i, w in enumerate(["You", "feel", "ignored."])
    )
    reply = Transcript(words, "You feel ignored.", "en", 1.2)
    waited = score_exchange(client, reply, response_latency_s=0.6)
    over = score_exchange(client, reply, response_latency_s=-0.8)
    assert over.listening < waited.listening
    assert any(e.code == "talked_over" for e in over.evidence)


def test_finnish_lemmas_stay_light_on_memory() -> None:
    """Finnish lemmatisation keeps a fresh process under 200 MB peak (the full dict took 460)."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child of a big pytest
    # process would report the parent's peak.
    code = (
        "import re\n"
        "from simulator.scoring.text import lemma\n"
        "assert lemma('asuntoni', 'fi') == 'asunto'\n"
        "status = open('/proc/self/status').read()\n"
        "print(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) < 200_000  # kilobytes on Linux
