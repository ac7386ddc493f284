"""Tests of the hybrid scorer's combination logic (pure core: readings are given, no encoder)."""

from __future__ import annotations

from simulator.scoring.acts import main_act
from simulator.scoring.hybrid import Reading, decide, flag_harm, rule_confidence
from simulator.types import Act

TABLE = {"open_question|form|agree": 0.9, "information|agree": 0.6, "*|disagree": 0.3}
LIMITS = {"content": 0.7, "form": 1.01, "lexicon": 1.01, "harmful": 1.01}
ALL = {"content": 0.5, "form": 0.9, "lexicon": 0.9, "harmful": 1.01}


def reading(main: str, p: float = 0.9, **extra: dict[str, float]) -> Reading:
    """A reading whose main head gives ``main`` probability ``p``, the rest spread evenly."""
    rest = {g: (1 - p) / 3 for g in ("question", "reflection", "input", "other") if g != main}
    return Reading({main: p, **rest}, extra.get("open"), extra.get("complex"), extra.get("act"))


def test_lexicon_and_form_acts_stand_against_the_model() -> None:
    """A question form or a word-list phrase is kept even when the model disagrees."""
    kind, conf, by = decide("open_question", "form", reading("reflection", 0.99), LIMITS, TABLE)
    assert (kind, by) == ("open_question", "rule")
    assert conf == 0.3
    kind, _, by = decide("judgement", "lexicon", reading("input"), LIMITS, TABLE)
    assert (kind, by) == ("judgement", "rule+model")
    kind, _, by = decide("judgement", "lexicon", reading("reflection", 0.99), ALL, TABLE)
    assert (kind, by) == ("judgement", "rule")


def test_a_low_lexicon_threshold_lets_the_model_overrule_a_good_phrase() -> None:
    """With a lexicon threshold below 1 a confident head overrules a non-harmful phrase act."""
    kind, _, by = decide("affirmation", "lexicon", reading("reflection", 0.95), ALL, TABLE)
    assert (kind, by) == ("simple_reflection", "model")


def test_agreeing_model_marks_rule_plus_model_with_measured_precision() -> None:
    """When the main head agrees with a form act, the agreeing precision is the confidence."""
    kind, conf, by = decide("open_question", "form", reading("question"), LIMITS, TABLE)
    assert (kind, conf, by) == ("open_question", 0.9, "rule+model")


def test_model_overrules_a_content_guess_only_above_the_override() -> None:
    """A content-weighing act gives way to a confident head, not to a hesitant one."""
    depth = {"simple": 0.2, "complex": 0.8}
    kind, conf, by = decide(
        "information", "content", reading("reflection", 0.85, complex=depth), LIMITS, TABLE
    )
    assert (kind, by) == ("complex_reflection", "model")
    assert abs(conf - 0.85 * 0.8) < 1e-9
    kind, _, by = decide(
        "information", "content", reading("reflection", 0.6, complex=depth), LIMITS, TABLE
    )
    assert (kind, by) == ("information", "rule")


def test_model_names_the_input_kind_from_the_act_head() -> None:
    """An overruled statement becomes the act head's most probable act within the group."""
    act = {"judgement": 0.5, "information": 0.3, "complex_reflection": 0.2}
    kind, conf, by = decide("simple_reflection", "content", reading("input", 0.9, act=act), LIMITS)
    assert (kind, by) == ("judgement", "model")
    assert abs(conf - 0.9 * 0.5 / 0.8) < 1e-9


def test_no_heads_means_rules_alone() -> None:
    """Without a reading the rule's act stands and says so."""
    kind, _, by = decide("complex_reflection", "content", None)
    assert (kind, by) == ("complex_reflection", "rule")


def test_rule_confidence_backs_off_to_coarser_keys() -> None:
    """The most specific measured key wins, else the agreement-only figure."""
    assert rule_confidence("information", "content", True, TABLE) == 0.6
    assert rule_confidence("advice", "lexicon", False, TABLE) == 0.3


def test_harm_head_names_the_harm_when_no_act_is_harmful() -> None:
    """Above the threshold, the sentence the act head finds most harmful takes that act."""
    acts = (Act("simple_reflection", "You lost the letter."), Act("other", "Right."))
    readings = [
        reading("reflection", act={"judgement": 0.6, "simple_reflection": 0.4}),
        reading("other", act={"other": 0.9, "reassurance": 0.1}),
    ]
    out = flag_harm(acts, 0.8, readings, 0.5)
    assert out[0].kind == "judgement" and out[0].decided_by == "model"
    assert out[0].confidence == 0.8
    assert out[1] == acts[1]
    assert flag_harm(acts, 0.4, readings, 0.5) == acts


def test_harm_head_leaves_a_reply_already_flagged() -> None:
    """A reply the rules already found harmful is not changed by the harm head."""
    acts = (Act("advice", "You should call them."),)
    assert flag_harm(acts, 0.99, [reading("input", act={"judgement": 1.0})], 0.5) == acts


def test_main_act_puts_harm_first() -> None:
    """A harmful act outranks a reflection in the same reply; then reflections beat questions."""
    acts = (Act("complex_reflection", "You feel let down."),
            Act("judgement", "But you should have read the contract."))
    main = main_act(acts)
    assert main is not None and main.kind == "judgement"
    good = (Act("open_question", "What happened?"), Act("simple_reflection", "You called."))
    best = main_act(good)
    assert best is not None and best.kind == "simple_reflection"
    assert main_act(()) is None


def test_real_encoder_and_shipped_heads_on_plain_replies() -> None:
    """With the real encoder and the shipped heads, plain replies get sensible acts and harm."""
    from simulator.encoder import shared_encoder
    from simulator.scoring import score_exchange
    from simulator.scoring.learned import heads_available
    from simulator.types import ClientTurn, EmotionalState, Transcript

    assert heads_available(), "simulator/scoring/heads/main.npz is missing"
    enc = shared_encoder()
    client = ClientTurn("I've rung the housing office four times and nobody calls me back.",
                        EmotionalState("angry", 0.7), (), "en")

    def scored(reply: str) -> tuple[list[Act], bool]:
        s = score_exchange(client, Transcript.from_text(reply, "en"), encoder=enc)
        return list(s.acts), s.harm_flagged

    cases = {
        "What happened the last time you rang them?": "open_question",
        "Did you get a reference number?": "closed_question",
        "Mm-hm.": "encourager",
    }
    for reply, kind in cases.items():
        acts, flagged = scored(reply)
        assert [a.kind for a in acts] == [kind], reply
        assert not flagged, reply
    acts, flagged = scored("Four calls and not one answer, no wonder you're fed up with them.")
    assert acts[0].kind in ("simple_reflection", "complex_reflection") and not flagged
    acts, flagged = scored("You should just go down there and shout until somebody listens.")
    assert flagged
    for act in acts:
        assert 0.0 <= act.confidence <= 1.0
        assert act.decided_by in ("rule", "model", "rule+model")
