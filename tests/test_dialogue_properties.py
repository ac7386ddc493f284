"""Property tests of the state rules: bounded values and monotone in the quality of the reply."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from simulator.dialogue import respond, update_state
from simulator.persona import Persona, list_personas
from simulator.types import ACT_KINDS, EMOTIONS, HARMFUL_ACTS, Act, ActKind, EmotionalState, Scores

PERSONAS = list_personas()

personas = st.sampled_from(PERSONAS)
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
points = st.integers(min_value=0, max_value=100)
acts = st.lists(st.builds(Act, st.sampled_from(ACT_KINDS), st.text(max_size=40)), max_size=5).map(
    tuple
)


@st.composite
def states(draw: st.DrawFn, persona: Persona | None = None) -> EmotionalState:
    """Any state a client could be in."""
    stages = len(persona.stages) if persona else 5
    return EmotionalState(
        draw(st.sampled_from(EMOTIONS)),
        draw(unit),
        draw(unit),
        draw(st.integers(min_value=0, max_value=stages - 1)),
    )


@given(personas, states(), points, points, st.one_of(st.none(), points), acts)
def test_state_stays_bounded(
    persona: Persona,
    state: EmotionalState,
    listening: int,
    empathy: int,
    pacing: int | None,
    reply_acts: tuple[Act, ...],
) -> None:
    """Intensity and trust stay in 0-1 and the stage moves forward by at most one, never back."""
    stage = min(state.stage, len(persona.stages) - 1)
    state = EmotionalState(state.emotion, state.intensity, state.trust, stage)
    after = update_state(persona, state, Scores(listening, empathy, pacing, reply_acts))
    assert 0.0 <= after.intensity <= 1.0
    assert 0.0 <= after.trust <= 1.0
    assert stage <= after.stage <= min(stage + 1, len(persona.stages) - 1)
    assert after.emotion in EMOTIONS


@given(personas, states(), points, points, points, points, acts)
def test_better_scores_never_hurt(
    persona: Persona,
    state: EmotionalState,
    a: int,
    b: int,
    c: int,
    d: int,
    reply_acts: tuple[Act, ...],
) -> None:
    """With the same acts, higher listening and empathy never raise intensity or lower trust."""
    stage = min(state.stage, len(persona.stages) - 1)
    state = EmotionalState(state.emotion, state.intensity, state.trust, stage)
    low = update_state(persona, state, Scores(min(a, b), min(c, d), None, reply_acts))
    high = update_state(persona, state, Scores(max(a, b), max(c, d), None, reply_acts))
    assert high.intensity <= low.intensity
    assert high.trust >= low.trust
    assert high.stage >= low.stage


@given(personas, states(), points, points, acts, st.sampled_from(HARMFUL_ACTS))
def test_adding_a_harmful_act_never_helps(
    persona: Persona,
    state: EmotionalState,
    listening: int,
    empathy: int,
    reply_acts: tuple[Act, ...],
    harm: ActKind,
) -> None:
    """Adding judgement, advice, reassurance or the like never lowers intensity or raises trust."""
    stage = min(state.stage, len(persona.stages) - 1)
    state = EmotionalState(state.emotion, state.intensity, state.trust, stage)
    without = update_state(persona, state, Scores(listening, empathy, None, reply_acts))
    worse = Scores(listening, empathy, None, (*reply_acts, Act(harm, "...")))
    with_harm = update_state(persona, state, worse)
    if any(act.kind == harm for act in reply_acts):
        assert with_harm == without
    else:
        assert with_harm.intensity >= without.intensity
        assert with_harm.trust <= without.trust


@given(personas, states(), points, points, acts)
def test_naming_a_feeling_never_hurts(
    persona: Persona,
    state: EmotionalState,
    listening: int,
    empathy: int,
    reply_acts: tuple[Act, ...],
) -> None:
    """Adding a reflection that names one of the client's feelings never raises intensity."""
    stage = min(state.stage, len(persona.stages) - 1)
    state = EmotionalState(state.emotion, state.intensity, state.trust, stage)
    feeling = persona.cues.feelings[0]
    base = update_state(persona, state, Scores(listening, empathy, None, reply_acts))
    named = (*reply_acts, Act("complex_reflection", f"... {feeling} ..."))
    better = update_state(persona, state, Scores(listening, empathy, None, named))
    assert better.intensity <= base.intensity
    assert better.trust >= base.trust


@given(personas, states(), points, points, acts, st.integers(0, 60), st.integers(0, 2**31))
def test_respond_is_deterministic_and_consistent(
    persona: Persona,
    state: EmotionalState,
    listening: int,
    empathy: int,
    reply_acts: tuple[Act, ...],
    turn: int,
    seed: int,
) -> None:
    """The same call gives the same Step: either a next line or an ending with a closing line."""
    stage = min(state.stage, len(persona.stages) - 1)
    state = EmotionalState(state.emotion, state.intensity, state.trust, stage)
    reply = Scores(listening, empathy, None, reply_acts)
    step = respond(persona, turn, state, reply, seed)
    assert step == respond(persona, turn, state, reply, seed)
    assert (step.next_turn is None) == (step.outcome is not None) == (step.closing_line is not None)
    if step.next_turn is not None:
        assert step.next_turn.state == step.state
        assert step.next_turn.text
    if turn + 1 >= persona.max_turns:
        assert step.outcome is not None


@given(personas, states(), points, points, points, points, acts)
def test_better_pacing_never_hurts(
    persona: Persona,
    state: EmotionalState,
    listening: int,
    empathy: int,
    a: int,
    b: int,
    reply_acts: tuple[Act, ...],
) -> None:
    """With the same words, a better-paced spoken reply never raises intensity or lowers trust."""
    stage = min(state.stage, len(persona.stages) - 1)
    state = EmotionalState(state.emotion, state.intensity, state.trust, stage)
    low = update_state(persona, state, Scores(listening, empathy, min(a, b), reply_acts))
    high = update_state(persona, state, Scores(listening, empathy, max(a, b), reply_acts))
    assert high.intensity <= low.intensity
    assert high.trust >= low.trust
