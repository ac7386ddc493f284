"""The scripted client brain: the client answers what the reply was about, in every language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from simulator.brain import ScriptedBrain, topics_named
from simulator.cli import main
from simulator.dialogue import pick_line, respond
from simulator.encoder import shared_encoder
from simulator.persona import Persona, find_persona, load_persona
from simulator.ports import Heard
from simulator.scoring import score_exchange
from simulator.types import ClientTurn, EmotionalState, Transcript

# persona, stage, a reply about the topic, the topic: one line of the stage carries it, one not.
ASKED = [
    ("en-angry-caller", 2, "How are the kids taking all of this?", "children"),
    ("fi-vuokralainen", 3, "Miten rahat riittävät tällä hetkellä?", "raha"),
    ("nl-weduwnaar", 2, "Hoe vaak ziet u uw dochter eigenlijk?", "de dochter"),
]
# persona, a question at the start about a topic the client only discloses later.
TOO_EARLY = [
    ("en-angry-caller", "Do you have children?"),
    ("fi-vuokralainen", "Onko teillä lapsia?"),
    ("nl-weduwnaar", "Mist u uw vrouw Ria?"),
]


def state_in(persona: Persona, stage: int) -> EmotionalState:
    """A calm-enough state just inside ``stage`` (trust a little over its threshold)."""
    emotion = persona.stages[stage].emotion or persona.start.emotion
    return EmotionalState(emotion, 0.4, persona.stages[stage].trust + 0.02, stage)


def reply_to(persona: Persona, state: EmotionalState, text: str) -> tuple[Any, Heard]:
    """The real scorer's verdict on a typed reply to the stage's first line, and what was heard."""
    client = ClientTurn(
        persona.stages[state.stage].lines[0].text, state, (), persona.language, persona.address
    )
    scores = score_exchange(client, Transcript.from_text(text, persona.language))
    return scores, Heard(text, scores.acts)


@pytest.mark.parametrize(("persona_id", "stage", "reply", "topic"), ASKED)
def test_reply_about_a_topic_gets_the_line_tagged_with_it(
    persona_id: str, stage: int, reply: str, topic: str
) -> None:
    """Whatever turn it comes at, a reply about X is answered with the stage's line about X."""
    persona = find_persona(persona_id)
    state = state_in(persona, stage)
    scores, heard = reply_to(persona, state, reply)
    brain = ScriptedBrain()
    rotation = set()
    for turn in range(4):
        step = respond(persona, turn, state, scores, heard=heard, brain=brain)
        assert step.next_turn is not None and step.next_turn.state.stage == stage
        assert topic in step.next_turn.topics, step.next_turn.text
        assert topic in step.next_turn.raised
        rotation.add(pick_line(persona, stage, turn + 1, 0).topics)
    assert any(topic not in topics for topics in rotation)  # without the brain it would vary


@pytest.mark.parametrize(("persona_id", "question"), TOO_EARLY)
def test_a_question_asked_too_early_gets_a_deflection_in_character(
    persona_id: str, question: str
) -> None:
    """Asked at the start about what the client tells only later, the client deflects."""
    persona = find_persona(persona_id)
    state = state_in(persona, 0)
    _, heard = reply_to(persona, state, question)
    choice = ScriptedBrain().choose(persona, state, heard, 1, 0)
    assert choice.deflected
    assert any(choice.line.text.startswith(d) for d in persona.deflections)
    assert choice.line.text.endswith(pick_line(persona, 0, 1, 0).text)


def test_a_reply_without_topics_keeps_the_rules_choice() -> None:
    """A reply naming no topic leaves the choice to the rules' rotation, line for line."""
    persona = find_persona("en-angry-caller")
    state = state_in(persona, 2)
    heard = Heard("Mm-hmm. Go on.")
    for turn in range(3):
        choice = ScriptedBrain().choose(persona, state, heard, turn, 0)
        assert choice.line == pick_line(persona, 2, turn, 0) and not choice.raised


def test_the_encoder_finds_a_topic_named_in_other_words() -> None:
    """'Your little ones' names no topic word; the sentence encoder still hears the children."""
    persona = find_persona("en-angry-caller")
    reply = "How are your little ones coping with all this?"
    assert topics_named(persona, reply) == []
    state = state_in(persona, 2)
    for turn in range(3):
        choice = ScriptedBrain(shared_encoder()).choose(persona, state, Heard(reply), turn, 0)
        assert choice.raised == ("children",)
        assert "children" in choice.line.topics


def simulate(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    """Run `simulate --json` and return its exchange records."""
    assert main(["simulate", *args, "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return [r for r in records if r["type"] == "exchange"]


@pytest.mark.parametrize("persona_id", ["en-shop-counter", "fi-oma-valinta", "nl-weduwnaar"])
def test_simulated_session_answers_the_topics_raised(
    capsys: pytest.CaptureFixture[str], persona_id: str
) -> None:
    """In `simulate` with the good replies, a line follows the topic the reply raised."""
    persona = find_persona(persona_id)
    followed = 0
    for exchange in simulate(capsys, persona_id, "--practice", "good")[1:]:
        client = exchange["client"]
        stage = persona.stages[client["state"]["stage"]]
        offered = {t for line in stage.lines for t in line.topics}
        if set(client["raised"]) & offered:
            assert set(client["topics"]) & set(client["raised"]), client
            followed += 1
    assert followed >= 1


# persona, a question about what the client said in the first stage, and its topic.
ASKED_AGAIN = [
    ("en-angry-caller", "How many times have you called us now?", "calls"),
    ("fi-vuokralainen", "Moneenko numeroon olet jo soittanut?", "avun etsiminen"),
    ("nl-weduwnaar", "Waarom vond de huisarts dat u moest komen?", "de huisarts"),
]


@pytest.mark.parametrize(("persona_id", "question", "topic"), ASKED_AGAIN)
def test_scripted_run_answers_a_question_about_an_earlier_topic(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, persona_id: str, question: str, topic: str
) -> None:
    """In `simulate`, a question about the first stage's topic, asked later, is answered."""
    persona = find_persona(persona_id)
    replies = tmp_path / "replies.txt"
    first = persona.practice_replies.good[0]
    replies.write_text(f"{first}\n{question}\nMm.\n", encoding="utf-8")
    exchanges = simulate(capsys, persona_id, "--replies", str(replies))
    assert len(exchanges) == 3
    answer = exchanges[2]["client"]  # the line said after the question
    stage = answer["state"]["stage"]
    assert stage >= 1  # the client has moved past the stage the topic belongs to
    assert all(topic not in line.topics for line in persona.stages[stage].lines)
    assert topic in answer["raised"] and topic in answer["topics"], answer["text"]


def test_check_reports_unknown_unused_and_unreachable_topics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`personas check` names a line's undefined topic, an unused one and an unreachable one."""
    source = (Path(__file__).resolve().parents[1] / "personas" / "en-angry-caller.yaml").read_text()
    edits = [
        ("topics: [shame]\n", "topics: [shame, pets]\n"),
        ("  a name: [name, contact, named]\n", "  a name: [name]\n  weather: [rain]\n"),
        ("max_turns: 8\n", "max_turns: 2\n"),
    ]
    text = source
    for old, new in edits:
        text = text.replace(old, new, 1)
    path = tmp_path / "en-angry-caller.yaml"
    path.write_text(text, encoding="utf-8")
    load_persona(path)  # still valid against the schema
    assert main(["personas", "check", str(path)]) == 1
    out = capsys.readouterr()
    said = out.out + out.err
    assert "'pets' is not one of the persona's topics" in said
    assert "topic 'weather' is unused" in said
    assert "topic 'a name' is unreachable" in said
