"""Every example reply the feedback can suggest passes the tool's own scorer, and wordings vary."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import pytest

from simulator.dialogue import cues_of
from simulator.feedback import give_feedback
from simulator.feedback.suggestions import (
    MAX_REPEATS,
    PROMISED,
    candidates,
    choose_example,
    names_feeling,
)
from simulator.language.fi.morphology import standard_fi
from simulator.language.nl.morphology import to_address
from simulator.persona import (
    Persona,
    bundled_personas_dir,
    find_persona,
    list_personas,
    load_persona,
)
from simulator.scoring import score_exchange
from simulator.scoring.text import tokens
from simulator.types import HARMFUL, Address, ClientTurn, EmotionalState, Transcript

PARTLY = 41  # the lowest score of the "partly" band (docs/scoring.md): what an example claims
MAX_SHARE = 0.25  # the most frequent open-question wording's share within one session
FLAT = {"en": "Okay.", "fi": "Okei.", "nl": "Oké."}  # a reply that earns suggestions with examples
EXAMPLE_RE = re.compile(r"[“”‘]([^“”‘]+)[”’]$")


def turns(persona: Persona) -> list[ClientTurn]:
    """Every line of the persona as a client turn in its stage's state, with its examples."""
    out = []
    for index, stage in enumerate(persona.stages):
        state = EmotionalState(stage.emotion or persona.start.emotion, persona.start.intensity,
                               stage.trust, index)
        out += [ClientTurn(line.text, state, cues_of(persona, line), persona.language,
                           persona.address, tuple(line.examples.items())) for line in stage.lines]
    return out


def addresses(persona: Persona) -> tuple[Address, ...]:
    """The forms of address a trainee may use with the persona (Dutch: both)."""
    return ("informal", "formal") if persona.language == "nl" else (persona.address,)


def problems(move: str, client: ClientTurn, example: str) -> list[str]:
    """What is wrong with an example by the tool's own scoring (empty when it is right)."""
    scores = score_exchange(client, Transcript.from_text(example, client.language))
    kinds = {a.kind for a in scores.acts}
    found = []
    if not kinds & PROMISED[move]:
        found.append(f"not a {move}: {sorted(kinds)}")
    if kinds & HARMFUL:
        found.append(f"harmful: {sorted(kinds & HARMFUL)}")
    if scores.listening < PARTLY:
        found.append(f"listening {scores.listening} below the 'partly' band")
    return found


def test_every_bundled_persona_file_loads() -> None:
    """No bundled persona is left out of these checks because its file does not load."""
    files = sorted(bundled_personas_dir().glob("*.yaml"))
    assert [load_persona(f).id for f in files] == [f.stem for f in files]


@pytest.mark.parametrize("persona_id", [p.id for p in list_personas()])
def test_every_example_the_tool_can_suggest_is_right_by_its_own_scorer(persona_id: str) -> None:
    """Written and built examples, in every form of address: the promised act, no harm, 'partly'."""
    persona = find_persona(persona_id)
    wrong = []
    for client in turns(persona):
        for address in addresses(persona):
            turn = replace(client, address=address)
            bare = replace(turn, examples=())  # what the generator alone would offer
            for move in PROMISED:
                # ``client`` keeps the persona's address, so Dutch examples are scored converted.
                own = candidates(move, client, address)
                for example in (*own, *candidates(move, bare, address)):
                    wrong += [f"{client.text!r} -> {example!r}: {p}"
                              for p in problems(move, turn, example)]
    assert wrong == []


@pytest.mark.parametrize("persona_id", [p.id for p in list_personas()])
def test_every_line_has_written_examples_for_both_moves(persona_id: str) -> None:
    """The bundled personas give every line trainer-written reflections and open questions."""
    for stage in find_persona(persona_id).stages:
        for line in stage.lines:
            assert set(line.examples) == set(PROMISED), line.text
            assert all(len(v) >= 2 for v in line.examples.values()), line.text


def test_dutch_examples_follow_the_trainees_form_of_address() -> None:
    """A trainee who says "je" to a client the persona calls "u" gets "je" examples, and back."""
    formal = turns(find_persona("nl-weduwnaar"))[0]
    example = choose_example("reflection", formal, "Je hebt het zwaar.")
    assert example is not None and " je " in f" {example.lower()} "
    assert not {"u", "uw"} & set(tokens(example))
    informal = turns(find_persona("nl-eigen-keuze"))[0]
    example = choose_example("open_question", informal, "Wat vindt u daarvan?")
    assert example is not None and {"u"} & set(tokens(example))
    assert not {"je", "jij", "jouw"} & set(tokens(example))


def test_dutch_address_conversion_keeps_objects_and_reflexives() -> None:
    """'u' as an object keeps its verb's -t; reflexive 'zich' follows the subject."""
    assert to_address("Dat laat u niet los.", "informal") == "Dat laat je niet los."
    assert to_address("Hoe redt u zich?", "informal") == "Hoe red je je?"
    assert to_address("Vind je jouw broers?", "formal") == "Vindt u uw broers?"
    assert to_address("Je voelt je alleen.", "formal") == "U voelt zich alleen."
    assert to_address("Hoort u dat vaker?", "informal") == "Hoor je dat vaker?"
    assert to_address("Begrijp je wat ik bedoel?", "formal") == "Begrijpt u wat ik bedoel?"
    assert to_address("U ziet dat alles zich opstapelt.", "informal") == (
        "Je ziet dat alles zich opstapelt."
    )
    assert to_address("Bij elke bel schrikt u op.", "informal") == "Bij elke bel schrik je op."
    assert to_address("Waardoor blijft dat moment u bij?", "informal") == (
        "Waardoor blijft dat moment je bij?"
    )
    assert to_address("U houdt vol omdat u zich schaamt.", "informal") == (
        "Je houdt vol omdat je je schaamt."
    )


def test_finnish_examples_are_in_the_workers_standard_forms() -> None:
    """Built from a client's spoken Finnish, an example uses no spoken forms (or is not given)."""
    persona = find_persona("fi-vuokralainen")
    for client in turns(persona):
        for move in PROMISED:
            for example in candidates(move, replace(client, examples=()), client.address):
                spoken = [t for t in tokens(example) if standard_fi(t) != t]
                assert spoken == [], example


def test_name_the_feeling_examples_name_a_feeling() -> None:
    """Under "Name the feeling you hear" the example names one, or no full example is given."""
    heading = {"en": "Name the feeling", "fi": "Sano ääneen tunne", "nl": "Benoem het gevoel"}
    checked = 0
    for persona in list_personas():
        for client in turns(persona):
            reply = Transcript.from_text("Okay.", client.language)
            for text in give_feedback(client, score_exchange(client, reply), reply).suggestions:
                quoted = EXAMPLE_RE.search(text)
                if text.startswith(heading[persona.language]) and quoted is not None:
                    checked += 1
                    assert names_feeling(quoted.group(1), client.language), text
    assert checked > 0


@pytest.mark.parametrize("persona_id", [p.id for p in list_personas()])
def test_a_session_varies_its_examples(persona_id: str) -> None:
    """Flat replies to every line in one session: no wording over twice, no question over 25%."""
    persona = find_persona(persona_id)
    used: Counter[str] = Counter()
    for client in turns(persona):
        reply = Transcript.from_text(FLAT[client.language], client.language)
        give_feedback(client, score_exchange(client, reply), reply, used)
    assert used and max(used.values()) <= MAX_REPEATS
    asked = Counter({e: n for e, n in used.items() if e.endswith("?")})
    assert asked and max(asked.values()) / sum(asked.values()) <= MAX_SHARE


def test_without_a_right_example_the_move_and_its_content_are_named() -> None:
    """Once every example has been given twice, the suggestion names the move and the cue."""
    client = turns(find_persona("en-angry-caller"))[5]  # the landlord's letter
    used: Counter[str] = Counter({e: MAX_REPEATS for _, exs in client.examples for e in exs})
    reply = Transcript.from_text("Okay.", "en")
    feedback = give_feedback(client, score_exchange(client, reply), reply, used)
    assert feedback.suggestions
    for text in feedback.suggestions:
        assert EXAMPLE_RE.search(text) is None, text
    assert any(f"“{client.cues[0]}”" in text for text in feedback.suggestions)


def test_a_wish_or_a_burden_alone_does_not_name_the_feeling() -> None:
    """"You hope for a date" to an angry client, or "it weighs heavily", names no feeling."""
    assert not names_feeling("U hoopt op een datum.", "nl", "angry")
    assert names_feeling("Je hoopt op een regeling.", "nl", "hopeful")
    assert not names_feeling("Die verantwoordelijkheid weegt zwaar.", "nl", "sad")
    assert names_feeling("Het valt je zwaar, en je bent bang.", "nl", "sad")
    assert not names_feeling("Toivot, että saisit jonkun rinnallesi.", "fi", "anxious")
    assert names_feeling("Sinua pelottaa soittaa yksin.", "fi", "anxious")
    assert not names_feeling("You feel alone with it.", "en", "sad")
    assert names_feeling("You feel lonely.", "en", "sad")


def test_feeling_words_the_proofreaders_missed_are_known() -> None:
    """"hoping", "frightens", "impatient", "shocked", "ongeduldig" and "spanning" name feelings."""
    assert names_feeling("You're hoping for good news.", "en", "hopeful")
    assert names_feeling("It frightens you to go back.", "en", "anxious")
    assert names_feeling("You're impatient for an answer.", "en", "angry")
    assert names_feeling("You're still shocked by it.", "en", "anxious")
    assert names_feeling("U wordt er ongeduldig van.", "nl", "angry")
    assert names_feeling("Die spanning houdt u wakker.", "nl", "anxious")

