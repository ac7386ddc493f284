"""Fuzzing the inputs people hand the program: persona YAML, batch lines, typed replies, audio.

Each property feeds generated input to the real code and accepts exactly two outcomes: a result,
or a SimulatorError whose message is one short line a trainee can read. Anything else (a
traceback) fails. Budgets are fixed and derandomised, so CI runs the same cases every time; the
counts of cases, results and clean errors are printed at the end of the module (run with -s).
"""

from __future__ import annotations

import json
import string
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest
import soundfile as sf
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from simulator.audio import Audio, for_whisper, read_audio
from simulator.cli.asr_cmds import MAX_REPLY_CHARS, _batch_item, check_reply
from simulator.cli.textsafe import neutralise
from simulator.errors import SimulatorError
from simulator.feedback import give_feedback
from simulator.persona import load_persona
from simulator.scoring import score_exchange
from simulator.types import ClientTurn, EmotionalState, Transcript

REPO = Path(__file__).resolve().parents[1]
T = TypeVar("T")
OUTCOMES: Counter[str] = Counter()
FUZZ = settings(
    max_examples=60,
    deadline=None,  # time is bounded by the job's timeout and measured in the report below
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MAX_MESSAGE = 400  # characters: an error longer than this is not one readable line


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    """Print how many cases each property tried and how they ended."""
    yield
    print("\nfuzz outcomes:", json.dumps(dict(sorted(OUTCOMES.items()))))


def outcome(kind: str, run: Callable[[], T]) -> T | None:
    """Run one case: a result or a clean one-line SimulatorError; count which."""
    OUTCOMES[f"{kind} cases"] += 1
    try:
        value = run()
    except SimulatorError as exc:
        message = str(exc)
        first = message.splitlines()[0]
        assert message.strip() and len(first) <= MAX_MESSAGE, message
        assert "Traceback" not in message
        OUTCOMES[f"{kind} clean errors"] += 1
        return None
    OUTCOMES[f"{kind} results"] += 1
    return value


# --- persona YAML ------------------------------------------------------------------------------

GOOD_PERSONA = yaml.safe_load((REPO / "personas" / "en-angry-caller.yaml").read_text())
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30))
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def persona_texts(draw: st.DrawFn) -> str:
    """A valid persona with one part replaced, raw YAML-like text, or alias tricks."""
    kind = draw(st.sampled_from(["mutated", "raw", "alias"]))
    if kind == "mutated":
        data = json.loads(json.dumps(GOOD_PERSONA))
        key = draw(st.sampled_from(sorted(data)))
        data[key] = draw(values)
        return yaml.safe_dump(data, allow_unicode=True)
    if kind == "alias":
        depth = draw(st.integers(1, 12))
        lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
        lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, depth)]
        return "\n".join(lines) + "\n"
    alphabet = string.printable + "[]{}:&*!|>-'\"\u202e\x1b\x00é"
    return draw(st.text(alphabet=alphabet, max_size=400))


@FUZZ
@given(text=persona_texts())
@example(text="x: " + "[" * 5000)
@example(text="rec: &r [*r]\n")
def test_persona_yaml_loads_or_says_why(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """Any persona file either loads or gives file:line: problem lines."""
    path = tmp_path_factory.mktemp("persona") / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_persona(path)
        OUTCOMES["persona cases"] += 1
        OUTCOMES["persona results"] += 1
    except SimulatorError as exc:
        OUTCOMES["persona cases"] += 1
        OUTCOMES["persona clean errors"] += 1
        assert all("fuzz.yaml:" in line for line in str(exc).splitlines()), str(exc)


PIECES = [
    "\x1b[31m",
    "\x1b[2J",
    "\u202e",
    "\u2066",
    "👩‍💻",
    "🏽",
    "\x00",
    "\r",
    "é",
    "ß",
    "?",
    ". ",
]
nasty = st.lists(
    st.one_of(st.text(st.characters(), max_size=20), st.sampled_from(PIECES)), max_size=40
).map("".join)

# --- batch lines -------------------------------------------------------------------------------

json_objects = st.dictionaries(
    st.sampled_from(["client", "reply", "lang", "emotion", "extra"]), values, max_size=5
)
valid_batch_lines = st.builds(
    lambda c, r, lang, emo: json.dumps({"client": c, "reply": r, "lang": lang, "emotion": emo}),
    st.text(min_size=1, max_size=80).filter(str.strip),
    nasty.filter(str.strip),
    st.sampled_from(["en", "fi", "nl"]),
    st.sampled_from(["calm", "angry", "anxious", "sad", "distrustful", "hopeful", "relieved"]),
).map(str.encode)
batch_lines = st.one_of(
    valid_batch_lines,
    valid_batch_lines.map(lambda b: b[: len(b) // 2]),
    st.binary(max_size=200),
    json_objects.map(lambda d: json.dumps(d).encode()),
    st.builds(
        lambda c, r, lang, emo: json.dumps(
            {"client": c, "reply": r, "lang": lang, "emotion": emo}
        ).encode(),
        st.text(max_size=80),
        st.text(max_size=200),
        st.sampled_from(["en", "fi", "nl", "de", None, 3]),
        st.sampled_from(["calm", "angry", "sad", "defensive", None, ""]),
    ),
)


@FUZZ
@given(raw=batch_lines)
def test_batch_line_scores_or_says_why(raw: bytes) -> None:
    """Any batch line is scored or answered with an error message, never a traceback."""

    def run() -> Any:
        client, reply = _batch_item(raw)
        return score_exchange(client, reply)

    outcome("batch", run)


# --- typed replies -----------------------------------------------------------------------------

CLIENT = ClientTurn("I've called five times and nobody calls back.", EmotionalState("angry", 0.8))


@FUZZ
@given(reply=nasty, language=st.sampled_from(["en", "fi", "nl"]))
@example(reply="You sound upset. " * 120, language="en")
def test_typed_reply_is_scored_and_shown_safely(reply: str, language: str) -> None:
    """A reply with control, RTL and emoji characters is scored or refused, then shown safely."""
    client = ClientTurn(CLIENT.text, CLIENT.state, language=language)  # type: ignore[arg-type]

    def run() -> Any:
        text = check_reply(reply)
        scores = score_exchange(client, Transcript.from_text(text, language))
        return give_feedback(client, scores)

    feedback = outcome("reply", run)
    shown = neutralise(reply + " ".join(feedback.suggestions if feedback else ()))
    assert not any(ch in shown for ch in ("\x1b", "\u202e", "\u2066", "\x00"))


@settings(FUZZ, max_examples=5)
@given(size=st.integers(MAX_REPLY_CHARS + 1, 1_000_000))
def test_huge_replies_are_refused_at_once(size: int) -> None:
    """A reply beyond the cap (up to 1 MB) is refused with its length, without scoring it."""
    with pytest.raises(SimulatorError, match=f"{size:,} characters long"):
        check_reply("a" * size)
    OUTCOMES["huge reply cases"] += 1
    OUTCOMES["huge reply clean errors"] += 1


# --- audio buffers -----------------------------------------------------------------------------

MAX_SAMPLES = 6_000_000  # per case (24 MB of float32), so memory stays bounded


@st.composite
def audio_cases(draw: st.DrawFn) -> tuple[np.ndarray[Any, Any], int]:
    """Up to ten minutes at 8-96 kHz on 1-6 channels, with NaN, inf, DC offset or clipping."""
    rate = draw(st.sampled_from([8_000, 11_025, 16_000, 22_050, 44_100, 48_000, 96_000]))
    channels = draw(st.integers(1, 6))
    seconds = draw(st.sampled_from([0.0, 0.001, 0.1, 0.5, 2.0, 30.0, 600.0]))
    frames = min(int(rate * seconds), MAX_SAMPLES // channels)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    level = draw(st.sampled_from([0.0, 1e-5, 0.1, 0.9, 4.0]))
    data = (rng.standard_normal((frames, channels)) * level).astype(np.float32)
    data += np.float32(draw(st.sampled_from([0.0, 0.5, -1.0])))  # DC offset
    for value in draw(st.lists(st.sampled_from([np.nan, np.inf, -np.inf]), max_size=3)):
        if frames:
            share = draw(st.sampled_from([0.0001, 0.01, 0.9, 1.0]))
            data[rng.random(frames) < share] = value
    return data, rate


@settings(FUZZ, max_examples=40)
@given(case=audio_cases())
@example(case=(np.zeros((8_000 * 600, 1), dtype=np.float32), 8_000))
def test_audio_buffer_is_prepared_or_refused(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[np.ndarray[Any, Any], int]
) -> None:
    """Any WAV is read and brought to 16 kHz finite samples in [-1, 1], or refused clearly."""
    data, rate = case
    path = tmp_path_factory.mktemp("audio") / "reply.wav"
    sf.write(str(path), data, rate, subtype="FLOAT")

    def run() -> Audio:
        return for_whisper(read_audio(path), str(path))

    audio = outcome("audio", run)
    if audio is not None:
        assert audio.sample_rate == 16_000
        assert np.isfinite(audio.samples).all() and np.abs(audio.samples).max() <= 1.0 + 1e-6
