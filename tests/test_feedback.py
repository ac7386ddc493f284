"""Tests of give_feedback: short, concrete, in the client's language, built from their words."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from simulator.feedback import give_feedback
from simulator.feedback.phrasing import example_reflection
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
    """The generator turns the client's sentence to 'you' with verb and possessive forms right."""
    turn = ClientTurn(client, EmotionalState("anxious", 0.7), (), lang)  # type: ignore[arg-type]
    assert expected in example_reflection(turn)


def test_no_stock_feeling_is_added_to_a_plain_fact() -> None:
    """A line of plain fact gets no built reflection with a stock feeling; the move is named."""
    turn = ClientTurn("Sinds maart kook ik niet meer.", EmotionalState("anxious", 0.7), (), "nl")
    fb = give_feedback(turn, score_exchange(turn, Transcript.from_text("Oké.", "nl")))
    assert fb.suggestions
    assert not any("kook je niet meer" in s for s in fb.suggestions)
    turn = ClientTurn("I'm scared I'll lose my flat.", EmotionalState("anxious", 0.7), (), "en")
    fb = give_feedback(turn, score_exchange(turn, Transcript.from_text("Okay.", "en")))
    assert any("you're scared you'll lose your flat" in s for s in fb.suggestions)


HOLD_ADVICE = {"en": "Hold the advice", "fi": "neuvo", "nl": "advies"}


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_harm_correction_comes_first_and_nothing_is_praised(lang: str) -> None:
    """A good reflection followed by advice: the advice's correction first, no 'What worked'."""
    c = client(lang)
    reply = Transcript.from_text(f"{REFLECTION[lang]} {ADVICE[lang]}", lang)
    scores = score_exchange(c, reply)
    assert {a.kind for a in scores.acts} & {"simple_reflection", "complex_reflection"}
    fb = give_feedback(c, scores)
    assert fb.praise is None
    assert HOLD_ADVICE[lang].lower() in fb.suggestions[0].lower()


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_a_reply_in_another_language_is_named_and_not_praised(lang: str) -> None:
    """The reflection in the wrong language is named as such, capped low and not praised."""
    other = {"en": "nl", "fi": "en", "nl": "fi"}[lang]
    name = {("en", "nl"): "Dutch", ("fi", "en"): "englanniksi", ("nl", "fi"): "Fins"}[(lang, other)]
    c = client(lang)
    scores = score_exchange(c, Transcript.from_text(REFLECTION[other], lang))
    fb = give_feedback(c, scores)
    assert scores.transcript is not None and scores.transcript.other_language == other
    assert fb.praise is None and fb.notice is not None and name in fb.notice
    assert scores.listening <= 40 and scores.empathy <= 40
    data = result_to_dict(scores, fb)
    assert data["notice"] == fb.notice and data["feedback"][0] == fb.notice  # type: ignore[index]


UNCLEAR = {"en": "I couldn't make that out clearly", "fi": "En saanut vastauksestasi selvää",
           "nl": "Ik kon je antwoord niet goed verstaan"}


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_an_unclear_transcript_gets_no_praise_and_no_pacing(lang: str) -> None:
    """Doubtful words and a repetition loop: 'couldn't make that out', words marked, no praise."""
    text = REFLECTION[lang] + " 4, 4, 4, 4."
    words = tuple(Word(w, 0.3 * i, 0.3 * i + 0.25, 0.3 if i % 2 else 0.9)
                  for i, w in enumerate(text.split()))
    c = client(lang)
    scores = score_exchange(c, Transcript(words, text, lang, 8.0), response_latency_s=0.8,
                            client_duration_s=4.0)
    fb = give_feedback(c, scores, Transcript(words, text, lang, 8.0))
    assert scores.transcript is not None and not scores.transcript.reliable
    assert scores.pacing is None and scores.pacing_metrics is None
    assert fb.praise is None and fb.suggestions == ()
    assert fb.notice is not None and fb.notice.startswith(UNCLEAR[lang])
    assert "[4]" in fb.notice


def test_a_clear_transcript_keeps_praise_and_pacing() -> None:
    """Confident words keep pacing and praise: the check does not flag clear speech."""
    c = client("en")
    words = tuple(Word(w, 0.5 + i * 0.35, 0.8 + i * 0.35, 0.92)
                  for i, w in enumerate(REFLECTION["en"].split()))
    scores = score_exchange(c, Transcript(words, REFLECTION["en"], "en", 6.0),
                            response_latency_s=0.8, client_duration_s=4.0)
    fb = give_feedback(c, scores)
    assert scores.transcript is not None and scores.transcript.reliable
    assert scores.pacing is not None and fb.praise is not None and fb.notice is None


def test_json_has_bands_beside_the_scores() -> None:
    """`score --json` keeps its keys and adds a band per score."""
    c = client("en")
    scores = score_exchange(c, Transcript.from_text(REFLECTION["en"], "en"))
    data = result_to_dict(scores, give_feedback(c, scores))
    bands = data["bands"]
    assert isinstance(bands, dict) and bands["pacing"] is None
    assert bands["listening"] in ("not_yet", "partly", "well", "very_well")
    assert {"acts", "scores", "feedback", "praise", "suggestions", "evidence"} <= set(data)


def test_an_act_the_scorer_is_unsure_of_is_not_praised() -> None:
    """The same reflection with a low confidence earns no 'What worked'."""
    c = client("en")
    scores = score_exchange(c, Transcript.from_text(REFLECTION["en"], "en"))
    assert give_feedback(c, scores).praise is not None
    unsure = tuple(replace(a, confidence=0.4, decided_by="model") for a in scores.acts)
    assert give_feedback(c, replace(scores, acts=unsure)).praise is None


POSSIBLE_HARM_START = {"en": "This may come across as judging", "fi": "Tämä voi kuulostaa",
                       "nl": "Dit kan overkomen als"}


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_a_harm_the_learned_head_sees_comes_first_and_stops_praise(lang: str) -> None:
    """A reply the harm head finds harmful as a whole (say, sarcasm) gets no praise, harm first."""
    c = client(lang)
    scores = score_exchange(c, Transcript.from_text(REFLECTION[lang], lang))
    assert give_feedback(c, scores).praise is not None
    flagged = give_feedback(c, replace(scores, harm_probability=0.8, harm_flagged=True))
    assert flagged.praise is None
    assert flagged.suggestions[0].startswith(POSSIBLE_HARM_START[lang])
    assert give_feedback(c, replace(scores, harm_probability=0.2)).praise is not None
    assert scores.harm_flagged is False
