"""Tests of safeguarding: risk cues in the client's line and feedback that asks about them first."""

from __future__ import annotations

import pytest

from simulator.feedback import give_feedback
from simulator.persona import Persona, bundled_personas_dir, load_persona
from simulator.scoring import score_exchange
from simulator.scoring.risk import risk_cue
from simulator.types import ClientTurn, EmotionalState, Language, Transcript

# Client lines with a risk cue, said indirectly as clients often do (written for these tests).
RISK_LINES = {
    "en": {
        "suicide": "The rent's gone up again. Honestly, my kids would be better off without me.",
        "suicide_stop": "I can't sleep, I can't eat. I just want it all to stop.",
        "self_harm": "When it gets this bad I cut myself, it's the only thing that helps.",
        "harm_others": "If that landlord comes round again I'll hurt him, I swear.",
        "child": "He hits the kids when he's been drinking, and I don't know what to do.",
    },
    "fi": {
        "suicide": "Vuokra nousi taas. Kaikilla olisi parempi ilman minua.",
        "suicide_stop": "En nuku enkä syö. Haluan vain että tämä loppuu.",
        "self_harm": "Kun on tosi paha olla, viillän käsiäni.",
        "harm_others": "Jos se vuokranantaja tulee vielä kerran, tapan sen.",
        "child": "Mies lyö lapsia, kun on juonut.",
    },
    "nl": {
        "suicide": "De huur is weer omhoog. Mijn kinderen zijn beter af zonder mij.",
        "suicide_stop": "Ik slaap niet, ik eet niet. Ik wil dat het ophoudt.",
        "self_harm": "Als het zo erg wordt, snij ik mezelf, dat is het enige wat helpt.",
        "harm_others": "Als die huisbaas nog één keer langskomt, maak ik hem af.",
        "child": "Hij slaat de kinderen als hij gedronken heeft.",
    },
}
KIND = {"suicide_stop": "suicide", "spoken": "suicide"}
# The same cue in everyday speech.
RISK_LINES["en"]["spoken"] = "Honestly I just want the whole thing all to stop, you know."
RISK_LINES["fi"]["spoken"] = "En jaksa enää. Haluan vaan että tää kaikki loppuu."
RISK_LINES["nl"]["spoken"] = "Ik kan niet meer. Ik wil gewoon dat het allemaal ophoudt."
# Replies that move on: to paperwork, or to reassurance.
MOVES_ON = {
    "en": ("Let's look at your application now.", "Don't worry, it will all work out."),
    "fi": ("Katsotaan nyt sitä hakemusta.", "Älä huoli, kyllä se siitä järjestyy."),
    "nl": ("Laten we nu naar je aanvraag kijken.", "Maak je geen zorgen, het komt wel goed."),
}
# A reply that acknowledges and asks directly.
ASKS = {
    "en": "That sounds really heavy. Are you having thoughts of ending your life?",
    "fi": "Kuulostaa tosi raskaalta. Oletko ajatellut itsemurhaa?",
    "nl": "Dat klinkt heel zwaar. Denk je erover om een einde aan je leven te maken?",
}
PROMPT_START = {"en": "The client may be at risk.", "fi": "Asiakas voi olla vaarassa.",
                "nl": "De cliënt loopt mogelijk gevaar."}
# Lines that sound dark but carry no risk cue.
NO_RISK = {
    "en": "I'm dead tired of these forms, they kill me every single time.",
    "fi": "Olen ihan kuollut väsymyksestä näiden lomakkeiden kanssa.",
    "nl": "Ik ben doodmoe van al die formulieren.",
}


def turn(text: str, lang: str) -> ClientTurn:
    """A hopeless client saying ``text``."""
    return ClientTurn(text, EmotionalState("hopeless", 0.8), (), lang)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
@pytest.mark.parametrize("key", ["suicide", "suicide_stop", "spoken", "self_harm", "harm_others",
                                 "child"])
def test_risk_cues_are_found(lang: str, key: str) -> None:
    """Each kind of risk is found in the client's words, indirect suicide cues included."""
    cue = risk_cue(turn(RISK_LINES[lang][key], lang))
    assert cue is not None and cue[0] == KIND.get(key, key)


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_dark_words_without_risk_are_not_a_cue(lang: str) -> None:
    """"Dead tired" and the like carry no risk cue."""
    assert risk_cue(turn(NO_RISK[lang], lang)) is None


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_moving_on_is_a_missed_risk_and_never_praised(lang: str) -> None:
    """Paperwork or reassurance after a suicide cue: the fixed prompt first, no praise."""
    client = turn(RISK_LINES[lang]["suicide"], lang)
    for reply in MOVES_ON[lang]:
        scores = score_exchange(client, Transcript.from_text(reply, lang))
        fb = give_feedback(client, scores)
        assert fb.praise is None, reply
        assert fb.suggestions[0].startswith(PROMPT_START[lang]), fb.suggestions
        assert scores.risk is not None and scores.risk.kind == "suicide"
        assert any(e.code == "risk_missed" for e in scores.evidence)
        assert scores.empathy <= 40


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_a_good_reflection_that_skips_the_risk_is_not_praised(lang: str) -> None:
    """Even a reflection is not praised while the risk has not been asked about."""
    reflection = {"en": "It sounds like you feel hopeless about the rent.",
                  "fi": "Kuulostaa siltä, että vuokra tuntuu toivottomalta.",
                  "nl": "Het klinkt alsof de huur je hopeloos maakt."}[lang]
    client = turn(RISK_LINES[lang]["suicide"], lang)
    fb = give_feedback(client, score_exchange(client, Transcript.from_text(reflection, lang)))
    assert fb.praise is None
    assert fb.suggestions[0].startswith(PROMPT_START[lang])


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_asking_directly_is_praised(lang: str) -> None:
    """Acknowledging and asking directly is praised, quoting the question, with no prompt."""
    client = turn(RISK_LINES[lang]["suicide_stop"], lang)
    scores = score_exchange(client, Transcript.from_text(ASKS[lang], lang))
    fb = give_feedback(client, scores)
    assert scores.risk is not None and scores.risk.asked and scores.risk.acknowledged
    assert fb.praise is not None and ASKS[lang].split(". ")[1] in fb.praise
    assert not any(s.startswith(PROMPT_START[lang]) for s in fb.suggestions)


ACKNOWLEDGES = {
    "en": "That sounds really heavy, and I'm worried about you.",
    "fi": "Kuulostaa tosi raskaalta, ja olen huolissani sinusta.",
    "nl": "Dat klinkt heel zwaar, en ik maak me zorgen om je.",
}
ACK_PROMPT = {"en": "You took up what they said; now ask directly:",
              "fi": "Tartuit siihen, mitä hän sanoi; kysy nyt vielä suoraan:",
              "nl": "Je ging in op wat de cliënt zei; vraag nu ook rechtstreeks:"}


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_acknowledging_without_asking_gets_the_question(lang: str) -> None:
    """Taking the cue up is heard, costs less than moving on, and the prompt gives the question."""
    client = turn(RISK_LINES[lang]["suicide"], lang)
    scores = score_exchange(client, Transcript.from_text(ACKNOWLEDGES[lang], lang))
    moved_on = score_exchange(client, Transcript.from_text(MOVES_ON[lang][0], lang))
    fb = give_feedback(client, scores)
    assert scores.risk is not None and scores.risk.acknowledged and not scores.risk.asked
    assert fb.praise is None and fb.suggestions[0].startswith(ACK_PROMPT[lang])
    assert fb.suggestions[0].endswith(("?”", "?’", "?”"))
    assert scores.empathy > moved_on.empathy


def test_dutch_prompt_follows_the_form_of_address() -> None:
    """A client addressed as "u" gets the prompt with "u"."""
    client = ClientTurn(RISK_LINES["nl"]["suicide"], EmotionalState("sad", 0.8), (), "nl", "formal")
    scores = score_exchange(client, Transcript.from_text(MOVES_ON["nl"][0], "nl"))
    fb = give_feedback(client, scores)
    expected = "‘Goed dat u het zegt. Denkt u erover om een einde aan uw leven te maken?’"
    assert expected in fb.suggestions[0]


EXAMPLE_OPENS = {"en": "“Thank you for telling me. Are", "fi": "”Hyvä, että kerroit tämän. Oletko",
                 "nl": "‘Goed dat je het zegt. Denk je"}


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_the_prompts_example_acknowledges_before_it_asks(lang: Language) -> None:
    """The prompt asks to acknowledge and ask, so its example does both; never a template slot."""
    client = ClientTurn(RISK_LINES[lang]["suicide"], EmotionalState("sad", 0.8), (), lang)
    scores = score_exchange(client, Transcript.from_text(MOVES_ON[lang][0], lang))
    prompt = give_feedback(client, scores).suggestions[0]
    assert EXAMPLE_OPENS[lang] in prompt and "{" not in prompt


def load_bundled() -> list[Persona]:
    """Every persona shipped with the project."""
    return [load_persona(p) for p in sorted(bundled_personas_dir().glob("*.yaml"))]


def test_each_language_has_a_persona_with_a_risk_moment() -> None:
    """At least one bundled persona per language says a line with a risk cue in some stage."""
    found: set[str] = set()
    for persona in load_bundled():
        for stage in persona.stages:
            for line in stage.lines:
                state = EmotionalState(stage.emotion or persona.start.emotion, 0.7)
                if risk_cue(ClientTurn(line.text, state, (), persona.language)) is not None:
                    found.add(persona.language)
    assert found == {"en", "fi", "nl"}
