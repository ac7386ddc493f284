"""Tests of the dialogue engine: opening line, state updates, stages, endings, reproducibility."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from simulator.dialogue import (
    Step,
    first_turn,
    initial_state,
    names_feeling,
    respond,
    update_state,
    yield_line,
)
from simulator.persona import Persona, find_persona, list_personas
from simulator.types import Act, ActKind, ClientTurn, EmotionalState, Scores, TranscriptCheck


def scores(listening: int, empathy: int, *acts: tuple[ActKind, str]) -> Scores:
    """Build scores directly, without the real scorer."""
    return Scores(listening, empathy, None, tuple(Act(kind, text) for kind, text in acts))


def good_reply(persona: Persona) -> Scores:
    """A well-met exchange: a reflection naming the client's feeling, then an open question."""
    feeling = persona.cues.feelings[0]
    return scores(
        85, 85, ("complex_reflection", f"It sounds {feeling}."), ("open_question", "How?")
    )


AVERAGE = scores(55, 50, ("closed_question", "Did you call?"))
POOR = scores(25, 15, ("advice", "You should."), ("reassurance", "Don't worry."))
JUDGING = scores(20, 10, ("judgement", "That is your own fault."))


def run(persona: Persona, reply: Scores, seed: int = 0) -> list[Step]:
    """Play a session where every reply has the same scores, until it ends."""
    turn = first_turn(persona, seed)
    state = turn.state
    steps: list[Step] = []
    for index in range(persona.max_turns):
        step = respond(persona, index, state, reply, seed)
        steps.append(step)
        if step.next_turn is None:
            break
        state = step.state
    return steps


@pytest.fixture(params=[p.id for p in list_personas()])
def persona(request: pytest.FixtureRequest) -> Persona:
    """Each bundled persona in turn."""
    return find_persona(str(request.param))


def test_first_turn_is_in_start_state(persona: Persona) -> None:
    """The opening line is a stage-0 line said in the starting state, in the persona's language."""
    turn = first_turn(persona)
    assert isinstance(turn, ClientTurn)
    assert turn.text in {line.text for line in persona.stages[0].lines}
    assert turn.state.intensity == persona.start.intensity
    assert turn.state.trust == persona.start.trust
    assert turn.state.stage == 0
    assert turn.language == persona.language


def test_average_trainee_gets_five_lines(persona: Persona) -> None:
    """An average trainee hears a line for at least five exchanges without the session ending."""
    steps = run(persona, AVERAGE)
    assert len(steps) >= 5
    assert all(step.next_turn is not None for step in steps[:5])


def test_good_trainee_reaches_resolution(persona: Persona) -> None:
    """Replies that name the client's feelings bring every stage and then a resolution."""
    steps = run(persona, good_reply(persona))
    assert steps[-1].outcome == "resolution"
    assert steps[-1].closing_line in persona.end.resolution
    assert steps[-1].state.stage == len(persona.stages) - 1
    assert 4 <= len(steps) <= persona.max_turns


def test_poor_trainee_makes_client_walk_out(persona: Persona) -> None:
    """Advice and false reassurance push intensity to the maximum and the client leaves."""
    steps = run(persona, POOR)
    assert steps[-1].outcome == "walk_out"
    assert steps[-1].next_turn is None
    assert steps[-1].closing_line in persona.end.walk_out
    assert steps[-1].state.intensity >= persona.end.walk_out_at
    assert len(steps) <= 4


def test_turn_limit_ends_a_stalled_session(persona: Persona) -> None:
    """An average trainee who never moves the client meets the turn limit with its closing line."""
    steps = run(persona, AVERAGE)
    assert steps[-1].outcome == "turn_limit"
    assert len(steps) == persona.max_turns
    assert steps[-1].closing_line in persona.end.turn_limit


def test_reflection_lowers_intensity_and_raises_trust() -> None:
    """A reflection naming the right feeling calms the client and builds trust."""
    persona = find_persona("en-angry-caller")
    before = initial_state(persona)
    after = update_state(
        persona, before, scores(60, 70, ("complex_reflection", "You're so frustrated."))
    )
    assert after.intensity < before.intensity
    assert after.trust > before.trust


@pytest.mark.parametrize("kind", ["judgement", "advice", "reassurance", "self_disclosure"])
def test_harmful_acts_raise_intensity_and_cost_trust(kind: ActKind) -> None:
    """Judgement, unsolicited advice, false reassurance and self-disclosure upset the client."""
    persona = find_persona("fi-vuokralainen")
    before = initial_state(persona)
    after = update_state(persona, before, scores(50, 50, (kind, "...")))
    assert after.intensity > before.intensity
    assert after.trust < before.trust


def test_an_unclear_reply_leaves_the_client_as_they_were() -> None:
    """A judgement heard in words Whisper was unsure of neither upsets nor calms the client."""
    persona = find_persona("nl-weduwnaar")
    before = initial_state(persona)
    judged = scores(20, 10, ("judgement", "Dat is uw eigen schuld."))
    unclear = replace(judged, transcript=TranscriptCheck(False, ("schuld",), ("doubtful words",)))
    assert update_state(persona, before, unclear) == before
    clear = replace(judged, transcript=TranscriptCheck(True))
    assert update_state(persona, before, clear) != before


def test_names_feeling_across_word_forms() -> None:
    """A Finnish reflection with an inflected feeling word counts as naming the feeling."""
    persona = find_persona("fi-vuokralainen")
    assert names_feeling(
        persona, scores(50, 50, ("complex_reflection", "Pelkäät menettäväsi kodin."))
    )
    assert not names_feeling(persona, scores(50, 50, ("open_question", "Pelkäätkö?")))


def test_trust_past_threshold_opens_next_stage() -> None:
    """Trust reaching the next stage's threshold moves the client one stage on."""
    persona = find_persona("nl-weduwnaar")
    threshold = persona.stages[1].trust
    state = EmotionalState("sad", 0.5, threshold - 0.01, 0)
    after = update_state(persona, state, scores(70, 70, ("simple_reflection", "Ria.")))
    assert after.stage == 1
    assert after.trust >= threshold


def test_stage_opens_only_one_at_a_time() -> None:
    """Even full trust opens only the next stage, never skips one."""
    persona = find_persona("en-angry-caller")
    after = update_state(persona, EmotionalState("angry", 0.3, 1.0, 0), good_reply(persona))
    assert after.stage == 1


def test_emotion_follows_intensity() -> None:
    """High intensity shows the upset emotion; calmer states show the stage's emotion."""
    persona = find_persona("en-angry-caller")
    upset = update_state(persona, EmotionalState("anxious", 0.95, 0.5, 2), JUDGING)
    assert upset.emotion == "angry"
    calmer = update_state(persona, EmotionalState("angry", 0.5, 0.5, 2), good_reply(persona))
    assert calmer.emotion == persona.stages[calmer.stage].emotion


def test_same_seed_same_session(persona: Persona) -> None:
    """Given the same replies and seed, the session is identical."""
    assert run(persona, good_reply(persona), seed=7) == run(persona, good_reply(persona), seed=7)


def test_seed_changes_choice_of_lines() -> None:
    """Different seeds choose among alternative lines differently for some seed."""
    persona = find_persona("en-angry-caller")
    openings = {first_turn(persona, seed).text for seed in range(20)}
    assert len(openings) > 1


def test_consecutive_turns_in_a_stage_do_not_repeat(persona: Persona) -> None:
    """While a stage has unused lines, the client does not say the same line twice in a row."""
    texts = [first_turn(persona).text] + [
        s.next_turn.text for s in run(persona, AVERAGE) if s.next_turn is not None
    ]
    assert all(a != b for a, b in itertools.pairwise(texts))


def test_reaction_to_judgement_is_said_first() -> None:
    """A judging reply makes the client answer it before saying their next line."""
    persona = find_persona("en-angry-caller")
    state = replace(initial_state(persona), intensity=0.3)
    step = respond(persona, 0, state, JUDGING)
    assert step.next_turn is not None
    assert any(step.next_turn.text.startswith(r) for r in persona.reactions["judgement"])


def test_turn_carries_line_cues() -> None:
    """A client turn lists the cues of its line for the scorer."""
    persona = find_persona("en-angry-caller")
    turn = first_turn(persona)
    line = next(line for line in persona.stages[0].lines if line.text == turn.text)
    assert set(line.cues) <= set(turn.cues)
    assert turn.cues


def test_yield_line_speaks_the_persona_language_and_register() -> None:
    """A talked-over client gives the floor in its own language, and in "u" when addressed so."""
    lines = {p.id: yield_line(p) for p in list_personas()}
    assert "go on" in lines["en-angry-caller"]
    assert "jatka" in lines["fi-vuokralainen"]
    assert find_persona("nl-weduwnaar").address == "formal"
    assert lines["nl-weduwnaar"] == "Sorry, gaat u verder."
    assert lines["nl-eigen-keuze"] == "Sorry, ga je gang."
