"""Tests of give_feedback: short, concrete, in the client's language, built from their words."""

from __future__ import annotations

import json

import pytest

from simulator.feedback import give_feedback
from simulator.scoring import result_to_dict, score_exchange
from simulator.types import ClientTurn, EmotionalState, Transcript, Word

CLIENTS = {
    "en": "I have called five times this week and nobody calls me back. I am so angry.",
    "fi": "Olen soittanut viisi kertaa tällä viikolla, eikä kukaan soita takaisin. "
    "Olen tosi vihainen.",
    "nl": "Ik heb deze week al vijf keer gebeld en niemand belt me terug. Ik ben echt boos.",
}
ADVICE = {
    "en": "You should go to the office in person.",
    "fi": "Sinun pitäisi mennä toimistoon.",
    "nl": "Je moet gewoon naar het kantoor gaan.",
}
REFLECTION = {
    "en": "It sounds like you feel ignored, and you're angry that nobody calls back.",
    "fi": "Kuulostaa siltä, että olet vihainen, kun kukaan ei soita takaisin.",
    "nl": "Het klinkt alsof je boos bent omdat niemand je terugbelt.",
}
# Words only the feedback of that language would use.
MARKERS = {"en": "Try:", "fi": "Kokeile:", "nl": "Probeer:"}
CLIENT_WORD = {"en": "five times", "fi": "viisi kertaa", "nl": "vijf keer"}


def client(lang: str) -> ClientTurn:
    """The angry caller in one language."""
    return ClientTurn(CLIENTS[lang], EmotionalState("angry", 0.8), (), lang)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_advice_gets_example_from_clients_own_words(lang: str) -> None:
    """After advice, feedback offers a reflection in the client's words and language."""
    c = client(lang)
    fb = give_feedback(c, score_exchange(c, Transcript.from_text(ADVICE[lang], lang)))
    assert fb.praise is None
    assert 1 <= len(fb.suggestions) <= 2
    assert MARKERS[lang] in fb.suggestions[0]
    assert CLIENT_WORD[lang] in fb.suggestions[0]


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_reflection_is_praised_with_a_quote(lang: str) -> None:
    """A good reflection earns praise that quotes the trainee."""
    c = client(lang)
    fb = give_feedback(c, score_exchange(c, Transcript.from_text(REFLECTION[lang], lang)))
    assert fb.praise is not None
    assert REFLECTION[lang][:20] in fb.praise
    assert len(fb.suggestions) <= 2


def test_english_example_turns_first_person_into_you() -> None:
    """The example phrasing speaks to the client: 'I have called' becomes 'you have called'."""
    c = client("en")
    fb = give_feedback(c, score_exchange(c, Transcript.from_text(ADVICE["en"], "en")))
    text = " ".join(fb.suggestions)
    assert "you have called five times" in text
    assert "I have called" not in text


def test_deflection_gets_the_last_metre_advice() -> None:
    """'I don't know, check online' is answered with 'say what you will find out, and when'."""
    c = client("en")
    reply = Transcript.from_text("I don't know, check online.", "en")
    fb = give_feedback(c, score_exchange(c, reply))
    assert "find out" in fb.suggestions[0]


def test_result_to_dict_has_stable_shape() -> None:
    """The JSON shape has the documented keys, integer scores and pacing metrics for audio."""
    c = client("en")
    words = tuple(Word(w, 0.5 + i * 0.35, 0.8 + i * 0.35, 0.9)
                  for i, w in enumerate(REFLECTION["en"].split()))
    reply = Transcript(words, REFLECTION["en"], "en", 5.0)
    scores = score_exchange(c, reply, response_latency_s=0.6, client_duration_s=4.0)
    data = result_to_dict(scores, give_feedback(c, scores))
    json.dumps(data)
    assert set(data) >= {"acts", "scores", "feedback", "evidence", "pacing"}
    score_map = data["scores"]
    assert isinstance(score_map, dict)
    assert set(score_map) == {"listening", "empathy", "pacing"}
    assert all(isinstance(v, int) for v in score_map.values())
    pacing = data["pacing"]
    assert isinstance(pacing, dict)
    assert {"wpm", "syllables_per_second", "response_latency_s", "long_pauses",
            "fillers_per_100_words"} <= set(pacing)
    acts = data["acts"]
    assert isinstance(acts, list) and {"kind", "text"} <= set(acts[0])


@pytest.mark.parametrize(
    ("lang", "client", "expected"),
    [
        ("fi", "Mieheni lähti maaliskuussa, enkä pysty maksamaan vuokraa yksin.",
         "miehesi lähti maaliskuussa, etkä pysty maksamaan vuokraa yksin"),
        ("fi", "Olen soittanut Kelaan koko viikon.", "olet soittanut Kelaan koko viikon"),
        ("nl", "Ik ben bang dat ik mijn huis kwijtraak.", "je bent bang dat je je huis kwijtraakt"),
        ("nl", "Sinds maart kook ik niet meer.", "sinds maart kook je niet meer"),
        ("nl", "En ik zei dat ze een dutje moest doen.", "je zei dat ze een dutje moest doen"),
        ("fi", "Ailin kanssa istuimme kuistilla joka ilta.", "Ailin kanssa istuitte kuistilla"),
        ("en", "I'm scared I'll lose my flat.", "you're scared you'll lose your flat"),
    ],
)
def test_example_phrasing_speaks_to_the_client(lang: str, client: str, expected: str) -> None:
    """The client's sentence is turned to 'you' with the verb and possessive forms right."""
    turn = ClientTurn(client, EmotionalState("anxious", 0.7), (), lang)  # type: ignore[arg-type]
    fb = give_feedback(turn, score_exchange(turn, Transcript.from_text("Okay.", lang)))
    assert any(expected in s for s in fb.suggestions)
