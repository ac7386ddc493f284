"""The last metre and boundaries are good practice; a bare "I don't know" stays a deflection.

Example sentences are written for these tests (not taken from any evaluation set).
"""

from __future__ import annotations

import pytest

from simulator.feedback import give_feedback
from simulator.feedback.phrasing import example_deflection
from simulator.scoring import score_exchange
from simulator.scoring.acts import classify_acts
from simulator.types import ClientTurn, EmotionalState, Transcript

CLIENT = {
    "en": "Nobody has told me when the money will come. I'm so tired of waiting.",
    "fi": "Kukaan ei oo kertonu, milloin rahat tulee. Mä oon niin väsyny odottamaan.",
    "nl": "Niemand heeft me verteld wanneer het geld komt. Ik ben het wachten zo moe.",
}
GOOD: dict[str, tuple[str, ...]] = {
    "en": (
        "I don't know yet, but I'll check and ring you by Friday.",
        "I'm not sure yet, but I'll find out today and call you back before four.",
        "I don't know yet, but I will ask the benefits team and phone you on Monday.",
        "I can't lend you money, but I can help you apply for an emergency grant today.",
        "I can ask my team leader to call you today.",
    ),
    "fi": (
        "En tiedä vielä, mutta selvitän asian ja soitan sinulle perjantaihin mennessä.",
        "En mä vielä tiedä, mutta mä selvitän sen ja soitan sulle huomenna.",
        "En voi lainata sulle rahaa, mutta voin auttaa sua hakemaan toimeentulotukea.",
        "Voin pyytää esihenkilöäni soittamaan sinulle tänään.",
    ),
    "nl": (
        "Dat weet ik nog niet, maar ik zoek het uit en bel je vrijdag terug.",
        "Ik kan je geen geld lenen, maar ik kan je wel helpen een noodfonds aan te vragen.",
        "Ik kan mijn teamleider vragen om je vandaag te bellen.",
    ),
}
BARE = {"en": ("I don't know.", "I'm not sure, maybe look online."),
        "fi": ("En tiedä.", "En tiiä, katso netistä."),
        "nl": ("Ik weet het niet.", "Geen idee, kijk even op internet.")}


def turn(lang: str, text: str | None = None, address: str = "informal") -> ClientTurn:
    """A tired client waiting for money, or one saying ``text``."""
    return ClientTurn(text or CLIENT[lang], EmotionalState("sad", 0.7), (), lang,  # type: ignore[arg-type]
                      address)  # type: ignore[arg-type]


@pytest.mark.parametrize(("lang", "reply"), [(k, r) for k, rs in GOOD.items() for r in rs])
def test_a_commitment_or_offer_is_not_a_deflection(lang: str, reply: str) -> None:
    """What the worker will do, and when (or what they can do instead) is a next step together."""
    (act,) = classify_acts(reply, lang, turn(lang))
    assert act.kind == "seeking_collaboration"
    fb = give_feedback(turn(lang), score_exchange(turn(lang), Transcript.from_text(reply, lang)))
    assert not any("find out" in s or "selvität" in s or "uitzoekt" in s for s in fb.suggestions)


@pytest.mark.parametrize(("lang", "reply"), [(k, r) for k, rs in BARE.items() for r in rs])
def test_i_dont_know_alone_stays_a_deflection(lang: str, reply: str) -> None:
    """"I don't know" with nothing after it still undoes what came before."""
    assert classify_acts(reply, lang, turn(lang))[0].kind == "deflection"


QUESTION = {
    "en": "When will the money come? Nobody has told me.",
    "fi": "Milloin ne rahat oikein tulee? Kukaan ei oo kertonu.",
    "nl": "Wanneer komt het geld nou? Niemand heeft me iets verteld.",
}


@pytest.mark.parametrize("asked", [False, True])
@pytest.mark.parametrize(("lang", "address"), [("en", "informal"), ("fi", "informal"),
                                               ("nl", "informal"), ("nl", "formal")])
def test_the_tools_own_suggested_wording_is_not_a_deflection(
    lang: str, address: str, asked: bool
) -> None:
    """The example the feedback gives after a deflection is itself scored as good practice."""
    client = turn(lang, QUESTION[lang] if asked else None, address=address)
    example = example_deflection(client)
    assert [a.kind for a in classify_acts(example, lang, client)] == ["seeking_collaboration"]


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_a_client_who_asked_nothing_gets_no_not_sure_yet_answer(lang: str) -> None:
    """To an announced decision, "I'm not sure yet, but I'll find out" answers nothing asked."""
    decided = turn(lang, {"en": "I've made up my mind. I'm leaving the course.",
                          "fi": "Mä oon päättäny. Mä lopetan sen koulutuksen.",
                          "nl": "Ik heb het besloten. Ik stop met de opleiding."}[lang])
    not_sure = {"en": "not sure", "fi": "en ole vielä varma", "nl": "weet ik nog niet"}[lang]
    assert not_sure in example_deflection(turn(lang, QUESTION[lang])).lower()
    assert not_sure not in example_deflection(decided).lower()


@pytest.mark.parametrize(("lang", "client", "reflection", "verdict"), [
    ("en", "This rule is ridiculous, nobody can live on that.", "You think the rule is ridiculous.",
     "The rule is ridiculous."),
    ("fi", "Tää sääntö on ihan naurettava.", "Sun mielestä sääntö on naurettava.",
     "Sääntö on naurettava."),
    ("nl", "Die regel is belachelijk.", "Je vindt die regel belachelijk.",
     "Die regel is belachelijk."),
])
def test_the_clients_own_evaluative_word_is_reflected_not_judged(
    lang: str, client: str, reflection: str, verdict: str
) -> None:
    """Putting the client's own verdict in their mind reflects; saying it as yours judges."""
    c = turn(lang, client)
    assert classify_acts(reflection, lang, c)[0].kind == "simple_reflection"
    assert classify_acts(verdict, lang, c)[0].kind == "judgement"


@pytest.mark.parametrize("reply", [
    "Tuntuu kuin kukaan ei kuulisi sinua.",
    "Tuntuu kuin olisit jäänyt ihan yksin tämän kanssa.",
    "Ihan kuin sä olisit odottanut turhaan koko kevään.",
])
def test_finnish_kuin_olisit_reflections(reply: str) -> None:
    """Finnish "kuin/olisit" reflections are reflections; "olisit voinut" still judges."""
    assert classify_acts(reply, "fi", turn("fi"))[0].kind in ("simple_reflection",
                                                              "complex_reflection")
    assert classify_acts("Olisit voinut soittaa aiemmin.", "fi", turn("fi"))[0].kind == "judgement"


@pytest.mark.parametrize(("lang", "reply"), [("en", "I can hear how tired you are."),
                                             ("fi", "Kuulen, kuinka väsynyt olet."),
                                             ("nl", "Ik hoor hoe moe je bent.")])
def test_i_can_hear_names_a_feeling(lang: str, reply: str) -> None:
    """"I can hear how tired you are" names the client's feeling, not the speaker's story."""
    scores = score_exchange(turn(lang), Transcript.from_text(reply, lang))
    assert scores.acts[0].kind in ("simple_reflection", "complex_reflection")
    assert any(e.code == "feeling_named" for e in scores.evidence)
