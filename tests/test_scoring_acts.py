"""Tests of classify_acts: the team test set floors, and reflections recognised by content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.scoring import classify_acts
from simulator.types import ACT_KINDS, ClientTurn, EmotionalState, Word

TESTSET = Path(__file__).resolve().parent.parent / "benchmarks" / "testset"
# Floors a little below the measured accuracy (benchmarks/annomi.py prints the figures).
FLOORS = {"en": 0.95, "fi": 0.95, "nl": 0.94}
HOLDOUT_FLOORS = {"en": 0.70, "fi": 0.80, "nl": 0.75}  # measured 0.75, 0.85, 0.80 (20 each)


def load(name: str) -> list[dict[str, Any]]:
    """The labelled sentences of one file (``en``, ``fi_holdout`` ...)."""
    with (TESTSET / f"{name}.yaml").open(encoding="utf-8") as f:
        return list(yaml.safe_load(f)["items"])


def accuracy(lang: str, suffix: str = "") -> float:
    """Share of test sentences classified as labelled."""
    items = load(lang + suffix)
    hits = 0
    for item in items:
        client = ClientTurn(item["client"], EmotionalState(item["emotion"], 0.7), (), lang)  # type: ignore[arg-type]
        acts = classify_acts(item["reply"], lang, client)
        hits += len(acts) == 1 and acts[0].kind == item["act"]
    return hits / len(items)


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_testset_covers_every_act_with_60_sentences(lang: str) -> None:
    """Each language has at least 60 sentences and every act of the vocabulary at least 3 times."""
    items = load(lang)
    assert len(items) >= 60
    for kind in ACT_KINDS:
        assert sum(i["act"] == kind for i in items) >= 3, kind


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_testset_accuracy_floor(lang: str) -> None:
    """Accuracy on the team test set stays above its floor."""
    assert accuracy(lang) >= FLOORS[lang]


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_holdout_accuracy_floor(lang: str) -> None:
    """Accuracy on the held-out sentences (never used for tuning) stays above its floor."""
    assert accuracy(lang, "_holdout") >= HOLDOUT_FLOORS[lang]


def test_finnish_and_dutch_within_ten_points_of_english() -> None:
    """Finnish and Dutch do not trail English by more than 10 points."""
    en = accuracy("en")
    assert accuracy("fi") >= en - 0.10
    assert accuracy("nl") >= en - 0.10


@pytest.mark.parametrize(
    ("lang", "client", "reply"),
    [
        ("en", "I have called five times this week and nobody calls me back.",
         "Five calls this week, and nothing back."),
        ("fi", "Pelkään, että menetän asuntoni.", "Pelko asunnon puolesta."),
        ("nl", "Ik ben bang dat ik mijn huis kwijtraak.", "Bang om het huis kwijt te raken."),
    ],
)
def test_reflection_recognised_by_what_it_reflects(lang: str, client: str, reply: str) -> None:
    """A subjectless fragment is a reflection only when it takes up the client's own words."""
    turn = ClientTurn(client, EmotionalState("anxious", 0.7), (), lang)  # type: ignore[arg-type]
    with_client = classify_acts(reply, lang, turn)[0].kind
    without = classify_acts(reply, lang)[0].kind
    assert with_client in ("simple_reflection", "complex_reflection")
    assert without not in ("simple_reflection", "complex_reflection")


def test_same_feeling_in_other_words_is_simple() -> None:
    """Repeating the client's own feeling in another form does not make a reflection complex."""
    turn = ClientTurn("Pelkään, että menetän asuntoni.", EmotionalState("anxious", 0.7), (), "fi")
    assert classify_acts("Pelottaa menettää asunto.", "fi", turn)[0].kind == "simple_reflection"


def test_one_act_per_sentence_with_timings() -> None:
    """Each sentence gets its own act, timed from the words it covers."""
    text = "Mm-hmm. You've called five times. What happened then?"
    words = tuple(Word(w, i * 0.5, i * 0.5 + 0.4, 0.9) for i, w in enumerate(text.split()))
    acts = classify_acts(text, "en", None, words)
    assert [a.kind for a in acts] == ["encourager", "simple_reflection", "open_question"]
    assert acts[1].start == 0.5 and acts[1].end == 2.4
    assert acts[2].start == 2.5


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("So what I'm hearing is that nobody has called you back.", "complex_reflection"),
        ("How many times have you called?", "closed_question"),
        ("When you call, what happens?", "open_question"),
        ("You're not sure who to ask.", "simple_reflection"),
        ("I'm not sure who to ask.", "deflection"),
        ("Wh-what happened next?", "open_question"),
        ("How are you doing today?", "open_question"),
        ("Do you have any questions for me, or?", "open_question"),
    ],
)
def test_english_edge_cases(text: str, kind: str) -> None:
    """Question words, reflection openers and 'not sure' are told apart by their position."""
    assert classify_acts(text, "en")[0].kind == kind


@pytest.mark.parametrize(
    ("lang", "open_", "closed"),
    [
        ("en", "Who could help you with the forms?", "Who sent you the letter?"),
        ("fi", "Kuka voisi auttaa sinua lomakkeiden kanssa?", "Kuka lähetti sinulle kirjeen?"),
        ("nl", "Wie zou je kunnen helpen met de formulieren?", "Wie heeft je de brief gestuurd?"),
        ("en", "Can you tell me what the letter said?", "Did he tell you what the letter said?"),
        ("fi", "Onko sinulla ajatuksia siitä?", "Onko sinulla kopio siitä?"),
        ("nl", "Heb je er al gedachten over?", "Heeft hij je verteld wat er in de brief stond?"),
    ],
)
def test_open_and_closed_by_what_the_question_invites(lang: str, open_: str, closed: str) -> None:
    """A fact word asking a view, or a yes/no invitation to the client to tell, is open."""
    assert classify_acts(open_, lang)[0].kind == "open_question"
    assert classify_acts(closed, lang)[0].kind == "closed_question"


@pytest.mark.parametrize(
    ("lang", "client", "reply"),
    [
        ("en", "Yeah.", "Inner peace, health and security."),
        ("fi", "Niin.", "Rauha, terveys ja turvallisuus."),
        ("nl", "Ja.", "Innerlijke rust, gezondheid en veiligheid."),
    ],
)
def test_short_content_fragment_after_client_reflects(lang: str, client: str, reply: str) -> None:
    """A short fragment naming things reflects after a client line, and is other without one."""
    turn = ClientTurn(client, EmotionalState("calm", 0.5), (), lang)  # type: ignore[arg-type]
    assert classify_acts(reply, lang, turn)[0].kind == "simple_reflection"
    assert classify_acts(reply, lang)[0].kind == "other"


@pytest.mark.parametrize(
    ("lang", "client", "telling", "reflection"),
    [
        ("en", "I have three beers most nights.",
         "It sounds like you drink most nights, and that's more than we would recommend.",
         "It sounds like you drink most nights."),
        ("fi", "Juon useimpina iltoina kolme olutta.",
         "Kuulostaa siltä, että juot useimpina iltoina, ja se on enemmän kuin suosittelemme.",
         "Kuulostaa siltä, että juot useimpina iltoina."),
        ("nl", "Ik drink de meeste avonden drie biertjes.",
         "Het klinkt alsof je de meeste avonden drinkt, en dat is meer dan we aanraden.",
         "Het klinkt alsof je de meeste avonden drinkt."),
    ],
)
def test_reflection_opener_that_turns_to_telling_informs(
    lang: str, client: str, telling: str, reflection: str
) -> None:
    """A sentence that opens as a reflection and goes on to inform is information."""
    turn = ClientTurn(client, EmotionalState("calm", 0.5), (), lang)  # type: ignore[arg-type]
    assert [a.kind for a in classify_acts(telling, lang, turn)] == ["information"]
    assert classify_acts(reflection, lang, turn)[0].kind.endswith("reflection")


@pytest.mark.parametrize(
    ("lang", "client", "reply"),
    [
        ("en", "I know I need to stop drinking.", "You need to stop drinking."),
        ("fi", "Tiedän, että minun pitää lopettaa juominen.", "Sinun pitää lopettaa juominen."),
        ("nl", "Ik weet dat ik moet stoppen met drinken.", "Je moet stoppen met drinken."),
    ],
)
def test_directive_the_client_said_is_reflected_otherwise_advice(
    lang: str, client: str, reply: str
) -> None:
    """"You need to stop" reflects a client who said "I need to stop" and advises anyone else."""
    said = ClientTurn(client, EmotionalState("calm", 0.5), (), lang)  # type: ignore[arg-type]
    other = ClientTurn("Mm.", EmotionalState("calm", 0.5), (), lang)  # type: ignore[arg-type]
    assert classify_acts(reply, lang, said)[0].kind == "simple_reflection"
    assert classify_acts(reply, lang, other)[0].kind == "advice"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("If you keep drinking like this, your health will only get worse.", "persuasion"),
        ("I wish you would quit.", "advice"),
        ("We will need to start looking at your diet.", "advice"),
        ("So it sounds like you know what you need to do.", "advice"),
        ("You feel you should cut down.", "simple_reflection"),
    ],
)
def test_warnings_wishes_and_directives_are_not_reflections(text: str, kind: str) -> None:
    """Warnings, the speaker's wishes and directives get an input act; attributed ones reflect."""
    turn = ClientTurn("I drink most nights.", EmotionalState("calm", 0.5), (), "en")
    assert classify_acts(text, "en", turn)[0].kind == kind


@pytest.mark.parametrize(
    ("lang", "text", "kind"),
    [
        ("en", "You just have to be patient.", "advice"),
        ("en", "You really have to call them.", "advice"),
        ("en", "You don't have to decide today.", "emphasizing_autonomy"),
        ("fi", "Sinun täytyy vain olla kärsivällinen.", "advice"),
        ("fi", "Sinun ei tarvitse vielä päättää mitään.", "emphasizing_autonomy"),
        ("nl", "Je moet gewoon geduld hebben.", "advice"),
        ("nl", "U hoeft nu nog niets te beslissen.", "emphasizing_autonomy"),
    ],
)
def test_an_adverb_does_not_hide_advice_or_autonomy(lang: str, text: str, kind: str) -> None:
    """'Just' or 'really' inside a directive or a freedom to decide does not make a reflection."""
    client = ClientTurn(
        "If somebody could just give me a name and a day, I could stop chasing this.",
        EmotionalState("hopeful", 0.4),
    )
    assert classify_acts(text, lang, client if lang == "en" else None)[0].kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "Millaiset välit sinulla on tyttäresi kanssa?",
        "Millaisessa tilanteessa se tuntuu pahimmalta?",
        "Minkälaisia asioita mietit öisin?",
    ],
)
def test_every_form_of_millainen_opens_an_open_question(text: str) -> None:
    """'What kind of' is open in any case form, not only in the three forms once listed."""
    client = ClientTurn("Mä en tiiä mitä tehdä.", EmotionalState("anxious", 0.6), (), "fi")
    assert [a.kind for a in classify_acts(text, "fi", client)] == ["open_question"]
