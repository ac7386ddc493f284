"""Tests of the example phrasings: every persona line gives a clean reflection and open question."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

from simulator.dialogue import first_turn
from simulator.errors import PersonaError
from simulator.feedback import give_feedback
from simulator.feedback.phrasing import client_clause, example_open_question, example_reflection
from simulator.persona import find_persona, list_personas, load_persona
from simulator.scoring import score_exchange
from simulator.scoring.text import feedback_texts, lexicon
from simulator.types import ClientTurn, Emotion, EmotionalState, Language, Transcript

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
QUOTED_RE = re.compile(r"[“„«\"”‘][^”“»\"’]*[”“»\"’]")
# The client's own first person must never survive into a phrasing that speaks to them.
FIRST_PERSON = {
    "en": {"i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself", "our", "us"},
    "fi": {"minä", "minun", "minua", "minulle", "minulla", "minusta", "minut", "mä", "mun",
           "olen", "en", "meidän"},
    "nl": {"ik", "mijn", "mij", "me", "mezelf", "'k"},
}
# Doubled words that are good grammar ("dat je je huis kwijtraakt").
DOUBLE_OK = {"je", "that", "had"}


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD_RE.findall(QUOTED_RE.sub(" ", text))]


def persona_turns() -> list[ClientTurn]:
    """Every line a persona can say, alone and after each reaction, in its own register."""
    turns: list[ClientTurn] = []
    for p in list_personas():
        said: list[tuple[str, Emotion]] = []
        for stage in p.stages:
            emotion = stage.emotion or p.start.emotion
            said.extend((line.text, emotion) for line in stage.lines)
            firsts = [f"{r} {stage.lines[0].text}" for rs in p.reactions.values() for r in rs]
            said.extend((text, emotion) for text in firsts if stage.lines)
        said.extend((r, p.start.emotion) for rs in p.reactions.values() for r in rs)
        ends = p.end.resolution + p.end.walk_out + p.end.turn_limit
        said.extend((text, p.start.emotion) for text in ends)
        turns.extend(ClientTurn(text, EmotionalState(emotion, 0.6), (), p.language, p.address)
                     for text, emotion in said)
    return turns


def _problems(turn: ClientTurn) -> list[str]:
    """What is structurally wrong with this turn's two examples."""
    lang = turn.language
    out: list[str] = []
    reflection, question = example_reflection(turn), example_open_question(turn)
    for text in (reflection, question):
        words = _words(text)
        if not text[:1].isupper() or text[-1] not in ".?":
            out.append(f"capital and end punctuation: {text}")
        if not 3 <= len(words) <= 45:
            out.append(f"length {len(words)}: {text}")
        doubled = [a for a, b in pairwise(words) if a == b]
        if set(doubled) - DOUBLE_OK:
            out.append(f"doubled {doubled}: {text}")
        if re.search(r"\s[,.?]|[,.]{2}|\s{2}|että että|, ja ,", text):
            out.append(f"spacing or punctuation: {text}")
        if lang == "nl":
            register = {"je", "jij", "jou", "jouw", "jullie"} if turn.address == "formal" else {
                "u", "uw"}
            if set(words) & register:
                out.append(f"wrong register: {text}")
    if not question.endswith("?") or reflection.endswith("?"):
        out.append(f"question/statement mix-up: {reflection} / {question}")
    clause = client_clause(turn)
    if clause is not None:
        left = set(_words(clause.text)) & FIRST_PERSON[lang]
        if left:
            out.append(f"first person {left} left in: {clause.text}")
        second = set(_words(clause.source)) & set(lexicon(lang).words("second_person"))
        if second:
            out.append(f"the client's 'you' {second} turned round: {clause.text}")
        skip = [str(w) for w in feedback_texts(lang)["clause"]["skip_starts"]]
        first = " ".join(_words(clause.source))
        if any(first == w or first.startswith(w + " ") for w in skip):
            out.append(f"a request or retort reflected: {clause.text}")
        if not 2 <= len(clause.text.split()) <= 20:
            out.append(f"clause length: {clause.text}")
    return out


def test_every_persona_line_gives_clean_examples() -> None:
    """Every persona line, in every language and register, gives well-formed examples."""
    turns = persona_turns()
    assert len(turns) > 500
    assert {t.language for t in turns} == {"en", "fi", "nl"}
    assert {t.address for t in turns if t.language == "nl"} == {"formal", "informal"}
    problems = [p for t in turns for p in _problems(t)]
    assert problems == []


def test_most_persona_story_lines_are_reflected_in_their_own_words() -> None:
    """The fallback is for retorts and formulas: most story lines keep the client's words."""
    story = [ClientTurn(line.text, EmotionalState(p.start.emotion, 0.6), (), p.language,
                        p.address)
             for p in list_personas() for stage in p.stages for line in stage.lines]
    reflected = [t for t in story if client_clause(t) is not None]
    assert len(reflected) >= 0.8 * len(story)


def turn(text: str, lang: Language = "en", emotion: Emotion = "angry",
         formal: bool = False) -> ClientTurn:
    """A client turn in one language and register."""
    return ClientTurn(text, EmotionalState(emotion, 0.6), (), lang,
                      "formal" if formal else "informal")


@pytest.mark.parametrize(
    ("lang", "text", "emotion", "expected"),
    [
        ("en", "Just tell me when the money comes!", "angry",
         "It sounds like you're really fed up with how this has gone."),
        ("en", "Look, I've rung them five times, mate.", "angry",
         "It sounds like you've rung them five times, and you're really fed up with it."),
        ("en", "Sarah, I can't sleep since the letter came.", "anxious",
         "It sounds like you can't sleep since the letter came, and you're worried about what "
         "happens next."),
        ("en", "They said “we will call you back” and nobody did.", "angry",
         "It sounds like they said “we will call you back” and nobody did, and you're really "
         "fed up with it."),
        ("en", "I should have set it up properly for him. I feel so guilty.", "sad",
         "It sounds like you should have set it up properly for him, and you feel so guilty."),
        ("en", "Wow. So I'm a liar now.", "angry",
         "It sounds like you're really fed up with how this has gone."),
        ("fi", "Älkää nyt saarnatko minulle.", "angry",
         "Kuulostaa siltä, että olet todella turhautunut siihen, miten tässä on käynyt."),
        ("fi", "Mutta minä en ole tehnyt mitään väärää, hei.", "angry",
         "Kuulostaa siltä, ettet ole tehnyt mitään väärää, ja se turhauttaa sinua tosi paljon."),
        ("fi", "Menkää te vain. Minä pärjään kyllä.", "distrustful",
         "Kuulostaa siltä, että pärjäät kyllä, ja sinun on vaikea luottaa siihen, että kukaan "
         "auttaa."),
        ("fi", "Tarvitsisin vain jonkun tueksi siihen puheluun. Yksin en siihen pysty.",
         "hopeful",
         "Kuulostaa siltä, että tarvitsisit vain jonkun tueksi siihen puheluun, ja yksin et "
         "siihen pysty."),
        ("nl", "Ja. Zo is het allemaal gegaan.", "sad",
         "Het klinkt alsof dit echt zwaar voor je is."),
        ("nl", "Goed. Dan bel ik volgende week mijn dochter.", "hopeful",
         "Als ik je goed begrijp: dan bel je volgende week je dochter. En je hoopt dat er nu "
         "eindelijk iets verandert."),
    ],
)
def test_example_reflection(lang: Language, text: str, emotion: Emotion, expected: str) -> None:
    """Requests, retorts, interjections, vocatives, tags and quotes are handled as taught."""
    assert example_reflection(turn(text, lang, emotion)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ik voel me zo alleen sinds Ria er niet meer is.",
         "u voelt zich zo alleen sinds Ria er niet meer is"),
        ("Ik heb geen auto meer, meneer.", "u heeft geen auto meer"),
        ("Sinds maart kook ik niet meer.", "sinds maart kookt u niet meer"),
        ("Misschien kan ik daar weer eens kijken.", "misschien kunt u daar weer eens kijken"),
        ("Ik ben bang dat ik mijn huis kwijtraak.", "u bent bang dat u uw huis kwijtraakt"),
        ("Ik red me wel.", "u redt zich wel"),
        ("Niemand belde me terug.", "niemand belde u terug"),
    ],
)
def test_formal_dutch_says_u_with_the_right_verb_forms(text: str, expected: str) -> None:
    """A formal client hears "u" with "u heeft", "kunt u", "u voelt zich" and "uw"."""
    clause = client_clause(turn(text, "nl", "sad", formal=True))
    assert clause is not None
    assert clause.text == expected


def test_formal_dutch_skips_we_and_keeps_the_register_throughout() -> None:
    """"We waren..." cannot become "u waren"; the fallback and question say "u" too."""
    t = turn("We waren vijfenveertig jaar getrouwd.", "nl", "sad", formal=True)
    assert client_clause(t) is None
    assert example_reflection(t) == "Het klinkt alsof dit echt zwaar voor u is."
    assert example_open_question(t) == "Wat is hierin nu het belangrijkste voor u?"


@pytest.mark.parametrize(
    ("lang", "text", "question"),
    [
        ("en", "I just need a name.", "What makes that so important to you?"),
        ("en", "If somebody could give me a date, I could plan.", "What would that mean for you?"),
        ("en", "I'll come back another day.", "What would help you with that?"),
        ("en", "I posted every paper in March.", "What has that been like for you?"),
        ("fi", "Jos saisin päättää itse, jäisin tänne.", "Mitä se merkitsisi sinulle?"),
        ("nl", "Ik wil gewoon zekerheid.", "Wat maakt dat zo belangrijk voor je?"),
    ],
)
def test_open_question_fits_what_the_client_said(lang: Language, text: str, question: str) -> None:
    """A wish, a "what if", a plan and an experience each get the open question that fits."""
    assert example_open_question(turn(text, lang)).endswith(question)


def test_widower_and_counter_personas_are_addressed_formally() -> None:
    """The widower and the counter customer are "u"; the student and other languages are not."""
    assert find_persona("nl-weduwnaar").address == "formal"
    assert find_persona("nl-balie").address == "formal"
    assert find_persona("nl-eigen-keuze").address == "informal"
    assert all(p.address == "informal" for p in list_personas() if p.language != "nl")
    assert first_turn(find_persona("nl-weduwnaar")).address == "formal"


def test_formal_feedback_speaks_to_the_client_as_u() -> None:
    """A whole feedback for the widower offers examples with "u" and never "je"."""
    client = first_turn(find_persona("nl-weduwnaar"))
    reply = Transcript.from_text("Ik weet het niet, kijk maar op internet.", "nl")
    fb = give_feedback(client, score_exchange(client, reply))
    examples = " ".join(re.findall(r"‘([^’]*)’", " ".join(fb.suggestions)))
    assert " u " in f" {examples} "
    assert not {"je", "jij", "jouw"} & set(_words(examples))


def test_unknown_address_is_an_error_with_file_line_and_field(tmp_path: Path) -> None:
    """A wrong address value is reported as file:line: address: problem."""
    source = (Path(__file__).resolve().parents[1] / "personas" / "nl-weduwnaar.yaml").read_text(
        encoding="utf-8")
    bad = tmp_path / "nl-weduwnaar.yaml"
    bad.write_text(source.replace("address: formal", "address: polite"), encoding="utf-8")
    line = source.splitlines().index("address: formal") + 1
    with pytest.raises(PersonaError, match=rf"nl-weduwnaar.yaml:{line}: address: input should be"):
        load_persona(bad)
