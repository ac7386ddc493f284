"""The language registry: one complete pack per language, and no unknown code taken silently."""

from __future__ import annotations

import ast
import fnmatch
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import snowballstemmer
from support.cli import REPO, roleplay

from simulator import language as languages
from simulator.dialogue import yield_line
from simulator.errors import SimulatorError, UnknownLanguage
from simulator.feedback import give_feedback
from simulator.models import BUNDLED, default_model
from simulator.persona import load_persona
from simulator.scoring import score_exchange
from simulator.scoring.risk import risk_texts
from simulator.scoring.text import feedback_texts, lexicon, norm_lang, tokens
from simulator.scoring.transcript import check_transcript
from simulator.tts.espeak import ESPEAK_VOICE
from simulator.types import EMOTIONS, LANGUAGES, ClientTurn, EmotionalState, Transcript, Word

CODES = languages.codes()
# Sections of feedback.yaml whose keys are the program's own vocabulary: every language has all.
SHARED_FEEDBACK = ("bands", "hint", "language_names", "notices", "praise", "suggestions")
# Word lists only some languages need: verbs after a subject pronoun "I"/"ik" (en, nl).
OPTIONAL_WORDS = {"perspective_after_i"}


def test_the_registry_lists_english_finnish_and_dutch() -> None:
    """The registry finds the three language folders, and the typing Literal names the same."""
    assert CODES == ("en", "fi", "nl")
    assert tuple(LANGUAGES) == CODES
    assert [p.code for p in languages.packs()] == list(CODES)


def test_a_code_is_matched_without_case_or_region() -> None:
    """"FI" and "en-GB" name Finnish and English; "de" and "" are errors naming the known codes."""
    assert languages.get("FI").code == "fi"
    assert languages.get("en-GB").code == "en"
    assert norm_lang("nl_BE") == "nl"
    for bad in ("de", "", "english"):
        with pytest.raises(UnknownLanguage, match="known languages: en, fi, nl"):
            languages.get(bad)
    assert issubclass(UnknownLanguage, SimulatorError)


@pytest.mark.parametrize("code", CODES)
def test_every_pack_names_its_voice_model_and_stemmer(code: str) -> None:
    """A pack's stemmer, Whisper model and espeak-ng voice exist; its sample and lines are set."""
    pack = languages.get(code)
    assert pack.stemmer in snowballstemmer.algorithms()
    assert pack.whisper_model in BUNDLED
    assert default_model(code) == pack.whisper_model
    assert ESPEAK_VOICE[code] == pack.espeak_voice and "/" in pack.espeak_voice
    assert pack.name and pack.own_name and pack.yield_line.strip()
    assert all(str(v).strip() for v in vars(pack.starter).values())
    assert pack.starter.feeling in pack.starter.mid.lower()


@pytest.mark.parametrize("code", CODES)
def test_every_data_file_loads(code: str) -> None:
    """Each pack's words.yaml, feedback.yaml and risk.yaml load as mappings through the loaders."""
    pack = languages.get(code)
    for name in languages.DATA_FILES:
        assert pack.data_file(name).is_file(), f"{pack.package}/{name} is missing"
        assert isinstance(pack.read_yaml(name), Mapping)
    assert lexicon(code).language == code and lexicon(code).words("stopwords")
    assert feedback_texts(code) is pack.read_yaml("feedback.yaml")
    assert risk_texts(code) is pack.read_yaml("risk.yaml")


def _keys(data: Any) -> set[str]:
    return set(data) if isinstance(data, Mapping) else set()


@pytest.mark.parametrize("code", CODES)
def test_every_feedback_key_is_present_in_every_language(code: str) -> None:
    """The feedback sections the program looks up have the same keys in every language."""
    texts = feedback_texts(code)
    others = [feedback_texts(c) for c in CODES if c != code]
    for section in SHARED_FEEDBACK:
        wanted = set().union(*(_keys(o.get(section)) for o in others))
        assert _keys(texts.get(section)) >= wanted, f"{code} feedback.yaml {section}"
    assert _keys(texts["language_names"]) >= set(CODES)
    for kind in ("feelings", "feelings_alone"):
        assert _keys(texts["examples"][kind]) >= set(EMOTIONS), f"{code} examples.{kind}"
    for key in ("reflection", "open_question", "deflection"):
        assert key in texts["examples"]


@pytest.mark.parametrize("code", CODES)
def test_every_word_list_and_risk_prompt_is_present(code: str) -> None:
    """A pack has every word list all other packs share, and every risk kind's cues and prompt."""
    words = _keys(lexicon(code).data)
    common = set.intersection(*(_keys(lexicon(c).data) for c in CODES if c != code))
    common -= OPTIONAL_WORDS
    assert words >= common, f"{code} words.yaml lacks {sorted(common - words)}"
    risk = risk_texts(code)
    kinds = set(risk_texts("en")["prompts"])
    for key in ("cues", "asks", "prompts"):
        assert _keys(risk[key]) >= kinds, f"{code} risk.yaml {key}"


def test_the_package_data_of_every_language_is_installed() -> None:
    """pyproject.toml's package discovery and data globs take in every language folder's YAML."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    include = config["setuptools"]["packages"]["find"]["include"]
    globs = config["setuptools"]["package-data"]["*"]
    for pack in languages.packs():
        folder = REPO.joinpath(*pack.package.split("."))
        assert (folder / "__init__.py").is_file()  # a package, so setuptools finds it
        assert any(fnmatch.fnmatch(pack.package, pattern) for pattern in include)
        assert all(any(fnmatch.fnmatch(name, g) for g in globs) for name in languages.DATA_FILES)


def test_an_unknown_code_is_an_error_in_every_loader() -> None:
    """The word lists, feedback texts, risk cues and model choice refuse "de"; none falls back."""
    for load in (lexicon, feedback_texts, risk_texts, default_model, norm_lang):
        with pytest.raises(UnknownLanguage, match="'de'"):
            load("de")
    assert default_model(None) == "base"  # no language given: Whisper detects it


def test_a_persona_in_an_unknown_language_is_refused(tmp_path: Path) -> None:
    """A persona file with language: de fails to load, naming the line and the known codes."""
    good = (REPO / "personas" / "en-shop-counter.yaml").read_text(encoding="utf-8")
    path = tmp_path / "en-shop-counter.yaml"
    path.write_text(good.replace("language: en", "language: de", 1), encoding="utf-8")
    with pytest.raises(SimulatorError, match=r"language: unknown language 'de'; known languages"):
        load_persona(path)


@pytest.mark.parametrize(
    "args",
    [
        ("personas", "new", "de-client", "--lang", "de"),
        ("score", "--client", "Hallo.", "--reply", "Wie geht's?", "--lang", "de"),
        ("transcribe", "x.wav", "--lang", "de"),
    ],
)
def test_the_command_line_refuses_an_unknown_lang(args: tuple[str, ...], tmp_path: Path) -> None:
    """`--lang de` exits with the usage error code 2 and lists the registry's codes."""
    done = roleplay(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert "invalid choice: 'de' (choose from 'en', 'fi', 'nl')" in done.stderr.replace('"', "'")
    assert not any(tmp_path.iterdir())


def test_a_batch_line_in_an_unknown_language_gets_an_error_line(tmp_path: Path) -> None:
    """In `score --batch`, a line with lang "de" is reported with the known codes; none scored."""
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"client": "Hallo.", "reply": "Ja.", "lang": "de"}) + "\n",
                     encoding="utf-8")
    done = roleplay("score", "--batch", str(batch))
    assert done.returncode == 1
    result = json.loads(done.stdout.splitlines()[0])
    assert result == {"line": 1, "error": "lang: unknown language 'de'; known languages: "
                                          "en, fi, nl"}


@pytest.mark.parametrize("code", CODES)
def test_a_reply_whisper_heard_in_an_unsupported_language_is_named(code: str) -> None:
    """Whisper detecting German: the reply is "in another language", capped, and not praised."""
    client = ClientTurn(text=languages.get(code).starter.mid, state=EmotionalState("anxious", 0.6),
                        language=code)  # type: ignore[arg-type]
    said = "Ich verstehe, dass Sie sich Sorgen machen."
    words = tuple(Word(w, i * 0.4, i * 0.4 + 0.3, 0.95) for i, w in enumerate(said.split()))
    reply = Transcript(words=words, text=said, language="de", duration=3.0)
    assert check_transcript(reply, code).other_language == "de"
    scores = score_exchange(client, reply)
    feedback = give_feedback(client, scores, reply)
    assert feedback.praise is None
    notice = feedback_texts(code)["notices"]["unknown_language"]
    client_name = feedback_texts(code)["language_names"][code]
    assert feedback.notice == notice.format(client_language=client_name)


def test_the_yield_line_comes_from_the_pack() -> None:
    """The client's words after being talked over are the pack's; to a Dutch "u", formal."""
    persona = load_persona(REPO / "personas" / "nl-schuldhulp.yaml")
    informal = persona.model_copy(update={"address": "informal"})
    formal = persona.model_copy(update={"address": "formal"})
    assert yield_line(informal) == languages.get("nl").yield_line == "Sorry, ga je gang."
    assert yield_line(formal) == languages.get("nl").yield_line_formal == "Sorry, gaat u verder."
    english = load_persona(REPO / "personas" / "en-shop-counter.yaml")
    assert yield_line(english.model_copy(update={"address": "formal"})) == "Sorry — go on."


def _language_tables(path: Path) -> list[int]:
    """Lines of ``path`` with a dict literal keyed by two or more language codes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if len(keys & set(CODES)) >= 2:
                lines.append(node.lineno)
    return lines


def test_no_module_outside_the_language_folders_holds_a_per_language_table() -> None:
    """No {"en": …, "fi": …} literal in simulator/ outside simulator/language/."""
    root = REPO / "simulator"
    found = {
        str(path.relative_to(REPO)): lines
        for path in sorted(root.rglob("*.py"))
        if "language" not in path.relative_to(root).parts[:1]
        and (lines := _language_tables(path))
    }
    assert found == {}


def test_word_rules_are_reached_through_the_pack() -> None:
    """Finnish reads spoken forms and person endings, English a silent e; Dutch needs neither."""
    fi, en, nl = (languages.get(code).rules() for code in ("fi", "en", "nl"))
    assert fi.standard_word is not None and fi.standard_word("oot") == "olet"
    assert fi.verb_person is not None and fi.verb_person("soitit") == 2
    assert en.silent_ending is not None and en.silent_ending("make", 2) == 1
    assert nl == languages.WordRules()
    assert tokens("Mä oon odottanu", "fi") == ("minä", "olen", "odottanut")
    assert tokens("Ik ben moe", "nl") == ("ik", "ben", "moe")
