"""Spoken Finnish (mä/sä, oon, pitäis, -ks, ollu) is scored like the standard Finnish it means."""

from __future__ import annotations

import pytest

from simulator.language.fi.morphology import standard_fi
from simulator.scoring import score_exchange
from simulator.scoring.text import tokens
from simulator.types import ActKind, ClientTurn, EmotionalState, Transcript

CLIENT = ClientTurn(
    "Mä sain vuokranantajalta kirjeen, ja siinä puhutaan häädöstä. En tiiä yhtään, mitä nyt "
    "pitäis tehdä.",
    EmotionalState("anxious", 0.68, 0.25, 0),
    ("häätö", "huoli"),
    "fi",
)


@pytest.mark.parametrize(
    ("spoken", "standard"),
    [("mä", "minä"), ("sun", "sinun"), ("oot", "olet"), ("oon", "olen"), ("tiiä", "tiedä"),
     ("pitäis", "pitäisi"), ("onks", "onko"), ("voiks", "voiko"), ("ollu", "ollut"),
     ("pitäny", "pitänyt"), ("odottanu", "odottanut"), ("ootsä", "oletko sinä"),
     ("pitääks", "pitääkö"), ("kaks", "kaksi"), ("kaunis", "kaunis"), ("vastaus", "vastaus")],
)
def test_spoken_words_read_as_standard(spoken: str, standard: str) -> None:
    """Listed and rule-made spoken forms map to the standard form; other words stay as they are."""
    assert standard_fi(spoken) == standard


def test_tokens_standardise_only_finnish() -> None:
    """Finnish tokens are standardised when the language is given; other languages are not."""
    assert tokens("Ootsä ollu siellä?", "fi") == ("oletko", "sinä", "ollut", "siellä")
    assert tokens("Ootsä ollu siellä?") == ("ootsä", "ollu", "siellä")
    assert tokens("Sun hat", "en") == ("sun", "hat")


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        ("Kuulostaa siltä, että sä oot tosi huolissas siitä häädöstä.", "complex_reflection"),
        ("Sulla on ollu tosi raskasta.", "complex_reflection"),
        ("Mikä sua eniten huolettaa?", "open_question"),
        ("Ootsä soittanu vuokranantajalle?", "closed_question"),
        ("Onks sulla kopiota siitä kirjeestä?", "closed_question"),
        ("Sun pitäis soittaa sinne heti.", "advice"),
        ("Älä sä huoli, kyllä se siitä.", "reassurance"),
        ("En mä tiiä, ei se kuulu meille.", "deflection"),
        ("Sun ois pitäny tulla aikasemmin.", "judgement"),
        ("Mullekin kävi kerran samalla tavalla.", "self_disclosure"),
        ("Mietitään yhessä mitä tehään.", "seeking_collaboration"),
        ("Sä päätät itse mitä teet.", "emphasizing_autonomy"),
    ],
)
def test_spoken_replies_get_their_act(reply: str, kind: ActKind) -> None:
    """A trainee reply in everyday spoken Finnish is coded as the act it is."""
    scores = score_exchange(CLIENT, Transcript.from_text(reply, "fi"))
    assert [a.kind for a in scores.acts] == [kind]


def test_spoken_reflection_names_the_feeling() -> None:
    """'sua pelottaa' in a spoken reflection counts as naming the anxious client's feeling."""
    scores = score_exchange(CLIENT, Transcript.from_text("Sua pelottaa se häätö.", "fi"))
    assert any(e.code == "feeling_named" for e in scores.evidence)


def test_spoken_and_standard_reflection_score_alike() -> None:
    """The same reflection said in spoken and in standard Finnish gets the same scores."""
    spoken = score_exchange(CLIENT, Transcript.from_text("Sä et oo nukkunu kunnolla.", "fi"))
    standard = score_exchange(CLIENT, Transcript.from_text("Sinä et ole nukkunut kunnolla.", "fi"))
    assert (spoken.listening, spoken.empathy) == (standard.listening, standard.empathy)
    assert [a.kind for a in spoken.acts] == [a.kind for a in standard.acts]
