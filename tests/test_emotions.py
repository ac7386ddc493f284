"""Tests of the client's emotions: feeling words, voice and feedback for each; clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli.asr_cmds import check_emotion
from simulator.errors import SimulatorError
from simulator.feedback import give_feedback
from simulator.ports import VoiceSettings
from simulator.scoring import score_exchange
from simulator.scoring.features import emotion_of, feeling_words, same_feeling
from simulator.scoring.text import feedback_texts, lexicon, tokens
from simulator.tts import PRESETS, prosody_for
from simulator.types import EMOTIONS, ClientTurn, EmotionalState, Transcript

REPO = Path(__file__).resolve().parents[1]
NEW = ("ashamed", "guilty", "defensive", "overwhelmed", "hopeless", "confused")
# A client line per new emotion that names it in its own words (written for these tests).
LINES = {
    "en": {
        "ashamed": "I'm so embarrassed that I had to come here at all.",
        "guilty": "It's my fault the rent wasn't paid, I feel terrible about it.",
        "defensive": "I feel accused every time I walk in here.",
        "overwhelmed": "There are letters everywhere and I just can't cope any more.",
        "hopeless": "There's no point, nothing ever changes for people like me.",
        "confused": "I'm confused, the letter says two different things.",
    },
    "fi": {
        "ashamed": "Minua hävettää, että jouduin tulemaan tänne.",
        "guilty": "Se on minun vikani, että vuokra jäi maksamatta.",
        "defensive": "Minua syytetään aina, kun tulen tänne.",
        "overwhelmed": "Kirjeitä on joka puolella enkä jaksa enää.",
        "hopeless": "Ei ole mitään järkeä, mikään ei muutu.",
        "confused": "Olen ihan hämmentynyt, kirjeessä lukee kaksi eri asiaa.",
    },
    "nl": {
        "ashamed": "Ik schaam me dat ik hier moet komen.",
        "guilty": "Het is mijn schuld dat de huur niet betaald is.",
        "defensive": "Ik voel me aangevallen elke keer als ik hier kom.",
        "overwhelmed": "Overal liggen brieven en het groeit me boven het hoofd.",
        "hopeless": "Het heeft geen zin, er verandert toch niks.",
        "confused": "Ik ben in de war, de brief zegt twee verschillende dingen.",
    },
}


def test_new_emotions_are_known() -> None:
    """The six emotions clients often show are part of the Emotion set."""
    assert set(NEW) <= set(EMOTIONS)


def test_unknown_emotion_is_a_clear_error() -> None:
    """An unknown emotion names itself and the known ones."""
    with pytest.raises(SimulatorError, match=r"unknown emotion 'furious'.*defensive"):
        check_emotion("furious")
    assert check_emotion("defensive") == "defensive"


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
@pytest.mark.parametrize("emotion", NEW)
def test_client_line_names_its_emotion(lang: str, emotion: str) -> None:
    """Each new emotion has feeling words that find it in a client's own line."""
    lex = lexicon(lang)
    found = {emotion_of(t, lex) for t in feeling_words(tokens(LINES[lang][emotion]), lex)}
    assert emotion in found


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
@pytest.mark.parametrize("emotion", NEW)
def test_example_feeling_names_the_clients_emotion(lang: str, emotion: str) -> None:
    """The feedback's example for each new emotion names it, and so scores as naming it."""
    client = ClientTurn("I don't know.", EmotionalState(emotion, 0.7), (), lang)  # type: ignore[arg-type]
    example = str(feedback_texts(lang)["examples"]["feelings_alone"][emotion])
    scores = score_exchange(client, Transcript.from_text(example, lang))
    assert any(e.code == "feeling_named" for e in scores.evidence), example


def test_related_feelings_count_as_naming_it() -> None:
    """Naming hopelessness answers a sad client; naming anger does not answer a guilty one."""
    assert same_feeling("hopeless", "sad") and same_feeling("sad", "hopeless")
    assert not same_feeling("angry", "guilty")


@pytest.mark.parametrize("lang", ["en", "fi", "nl"])
def test_okay_is_not_naming_a_feeling(lang: str) -> None:
    """"Okay." alone gets no credit for naming a feeling, in any language."""
    okay = {"en": "Okay.", "fi": "Ihan ok.", "nl": "Oké."}[lang]
    client = ClientTurn(LINES[lang]["hopeless"], EmotionalState("hopeless", 0.8), (), lang)  # type: ignore[arg-type]
    scores = score_exchange(client, Transcript.from_text(okay, lang))
    assert not any(e.code in ("feeling_named", "feeling_other") for e in scores.evidence)
    assert give_feedback(client, scores).praise is None


@pytest.mark.parametrize("emotion", EMOTIONS)
def test_every_emotion_has_a_voice(emotion: str) -> None:
    """Every emotion has a voice preset, and the new ones sound different from calm."""
    assert emotion in PRESETS
    voice = VoiceSettings(language="en", emotion=emotion, intensity=1.0)
    if emotion != "calm":
        assert prosody_for(voice) != prosody_for(VoiceSettings(language="en", emotion="calm",
                                                               intensity=1.0))


def _score(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", "score", *args], cwd=REPO,
                          capture_output=True, text=True, input=stdin, timeout=120, check=False)


def test_score_accepts_a_new_emotion_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    """`score --emotion defensive` works; `--emotion x` and a batch line with x are clear errors."""
    ok = _score("--client", LINES["en"]["defensive"], "--reply", "You feel accused.",
                "--emotion", "defensive", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["scores"]["empathy"] > 25
    bad = _score("--client", "Hi.", "--reply", "Hello.", "--emotion", "x")
    assert bad.returncode != 0 and "invalid choice: 'x'" in bad.stderr
    batch = tmp_path / "b.jsonl"
    batch.write_text(json.dumps({"client": "Hi.", "reply": "Hello.", "lang": "en",
                                 "emotion": "x"}) + "\n", encoding="utf-8")
    failed = _score("--batch", str(batch))
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    error = json.loads(failed.stdout.splitlines()[0])
    assert error["line"] == 1 and "unknown emotion 'x'" in error["error"]
    assert "defensive" in error["error"]
