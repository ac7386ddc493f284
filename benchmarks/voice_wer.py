"""Word error rate of the client's voice: how well Whisper base understands the personas' lines.

A stand-in for a listener: each line is synthesized as the client would say it (the persona's
voice in its stage's emotion), transcribed by Whisper base with the language forced, and scored
against its text with jiwer after lower-casing and removing punctuation. Lines are split in two:
the stage lines (``tune``: the espeak-ng settings were chosen on these) and the reactions and
closing lines (``validate``: never looked at while choosing).

Run (compare espeak-ng settings for Finnish and Dutch, then check the choice):
    .venv/bin/python benchmarks/voice_wer.py --lang fi nl --grid --split tune
    .venv/bin/python benchmarks/voice_wer.py --lang en fi nl --split validate
    .venv/bin/python benchmarks/voice_wer.py --lang en --engine piper
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import jiwer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator import language as languages
from simulator.audio import Synthesizer, Transcriber
from simulator.errors import AudioError
from simulator.language import LanguageTuning
from simulator.persona import Persona, list_personas, voice_for
from simulator.stt import make_transcriber
from simulator.tts import EspeakSynthesizer, PiperSynthesizer
from simulator.tts.espeak import TUNING
from simulator.types import EmotionalState

_PUNCT = re.compile(r"[^\w\s']", re.UNICODE)


def normalise(text: str) -> str:
    """Lower case, no punctuation, single spaces (apostrophes kept: "I've" is one word)."""
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def wer(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """Corpus word error rate: all edits over all reference words."""
    refs = [normalise(r) for r in references]
    hyps = [normalise(h) or "<empty>" for h in hypotheses]
    return float(jiwer.wer(refs, hyps))


@dataclass(frozen=True)
class Line:
    """One line a client says, in the state it is said in."""

    persona: Persona
    text: str
    state: EmotionalState


def lines(persona: Persona, split: str) -> Iterator[Line]:
    """Stage lines (``tune``), reactions and closing lines (``validate``), or both (``all``)."""
    start = persona.start
    if split in ("tune", "all"):
        for index, stage in enumerate(persona.stages):
            emotion = stage.emotion or start.emotion
            for line in stage.lines:
                yield Line(persona, line.text, EmotionalState(emotion, 0.5, 0.5, index))
    if split in ("validate", "all"):
        upset = persona.rules.upset_emotion or start.emotion
        for texts in persona.reactions.values():
            for text in texts:
                yield Line(persona, text, EmotionalState(upset, 0.7, 0.3, 0))
        settled = persona.stages[-1].emotion or start.emotion
        for key in ("resolution", "walk_out", "turn_limit"):
            emotion = settled if key == "resolution" else start.emotion
            for text in getattr(persona.end, key):
                yield Line(persona, text, EmotionalState(emotion, 0.5, 0.5, 0))


def measure(
    synth: Synthesizer, transcriber: Transcriber, language: str, todo: Sequence[Line]
) -> dict[str, float]:
    """WER over ``todo`` and the seconds of speech they make."""
    heard, speech_s = [], 0.0
    for line in todo:
        audio = synth.synthesize(line.text, voice_for(line.persona, line.state))
        speech_s += audio.duration
        try:
            heard.append(transcriber.transcribe(audio, language).text)
        except AudioError:  # nothing recognised: every word of the line is missed
            heard.append("")
    return {
        "wer": round(wer([line.text for line in todo], heard), 3),
        "lines": len(todo),
        "speech_s": round(speech_s, 1),
    }


# Tried one setting at a time, keeping the best so far (a full grid would take hours here).
STEPS: list[tuple[str, list[object]]] = [
    ("variant", [("m1", "f1"), ("m3", "f2"), ("m7", "f4")]),
    ("rate_scale", [0.85, 1.0]),
    ("range_scale", [0.6, 1.0]),
    ("word_gap", [0, 3]),
]


def with_setting(base: LanguageTuning, key: str, value: object) -> LanguageTuning:
    """``base`` with one setting changed (the variant sets the male and female voice)."""
    values = asdict(base)
    if key == "variant":
        values["male"], values["female"] = value  # type: ignore[misc]
    else:
        values[key] = value
    return LanguageTuning(**values)


def descend(transcriber: Transcriber, language: str, todo: Sequence[Line]) -> LanguageTuning:
    """Try each setting in turn, keep the value with the lowest WER; print every run."""
    best = LanguageTuning()
    best_wer = report(language, "tune", "persona voices, no tuning", transcriber, todo, best)
    for key, values in STEPS:
        for value in values:
            candidate = with_setting(best, key, value)
            if candidate == best:
                continue
            got = report(
                language, "tune", json.dumps(asdict(candidate)), transcriber, todo, candidate
            )
            if got < best_wer - 0.005:
                best, best_wer = candidate, got
    print(json.dumps({"lang": language, "chosen": asdict(best), "wer": best_wer}), flush=True)
    return best


def report(
    language: str,
    split: str,
    label: str,
    transcriber: Transcriber,
    todo: Sequence[Line],
    tuning: LanguageTuning | None,
) -> float:
    """Measure one setting and print it as a JSON line."""
    synth: Synthesizer = (
        PiperSynthesizer() if tuning is None else EspeakSynthesizer({language: tuning})
    )
    started = time.perf_counter()
    result = measure(synth, transcriber, language, todo)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps({"lang": language, "split": split, "settings": label, **result}), flush=True)
    return result["wer"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", nargs="+", default=list(languages.codes()))
    parser.add_argument("--engine", choices=("espeak", "piper"), default="espeak")
    parser.add_argument("--split", choices=("tune", "validate", "all"), default="all")
    parser.add_argument("--grid", action="store_true", help="compare espeak-ng settings")
    parser.add_argument("--untuned", action="store_true", help="espeak-ng without the tuning")
    parser.add_argument("--model", default="base")
    parser.add_argument("--limit", type=int, default=0, help="at most this many lines per run")
    args = parser.parse_args()
    for language in args.lang:
        todo = [
            ln for p in list_personas() if p.language == language for ln in lines(p, args.split)
        ]
        todo = todo[: args.limit] if args.limit else todo
        transcriber = make_transcriber("faster-whisper", args.model, language)
        if args.grid:
            descend(transcriber, language, todo)
        elif args.engine == "piper":
            report(language, args.split, "piper", transcriber, todo, None)
        else:
            tuning = LanguageTuning() if args.untuned else TUNING.get(language, LanguageTuning())
            label = "untuned" if args.untuned else json.dumps(asdict(tuning))
            report(language, args.split, label, transcriber, todo, tuning)
    return 0


if __name__ == "__main__":
    sys.exit(main())
