"""Record the trainee replies of audio_fixtures/ from each persona's practice_replies.

English replies are spoken by Piper (the joe voice, calm and a little slower than the client),
Finnish and Dutch ones by espeak-ng with the measured per-language tuning (a female variant,
unlike most clients). Each is brought to 16 kHz with a short lead-in of silence and saved as
FLAC beside a manifest that gives each file's text, language, expected acts (from labels.yaml)
and the word error rate at which the language's default Whisper model (tiny.en for English,
base for Finnish and Dutch) reads it back.

Run: .venv/bin/python scripts/make_fixtures.py [PERSONA_ID...]
     .venv/bin/python scripts/make_fixtures.py --measure [PERSONA_ID...]   (record the WER of
     the files as they are, without recording them again)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from voice_wer import wer

from simulator.audio import Audio, Synthesizer, Transcriber, VoiceSettings, read_audio
from simulator.fixtures import fixtures_dir
from simulator.persona import list_personas
from simulator.stt import make_transcriber
from simulator.tts import make_synthesizer

RATE = 16_000  # Hz, what Whisper reads
LEAD_IN_S = 0.4  # silence before the trainee starts talking
TAIL_S = 0.6  # silence after the last word
# The pause before answering each recording stands for (good replies take a breath).
LATENCY_S = {"good": 0.9, "poor": 0.3}
TRAINEE_VARIANT = "f2"  # espeak-ng; swapped for the language's tuned female variant


def record(synthesizer: Synthesizer, text: str, language: str) -> Audio:
    """The reply as a 16 kHz clip with silence around it."""
    voice = VoiceSettings(language, "calm", 0.2, rate_scale=0.95, variant=TRAINEE_VARIANT)
    speech = synthesizer.synthesize(text, voice).resampled(RATE).samples
    clip = np.concatenate([np.zeros(int(LEAD_IN_S * RATE)), speech, np.zeros(int(TAIL_S * RATE))])
    return Audio(clip.astype(np.float32), RATE)


def heard(transcribers: dict[str, Transcriber], audio: Audio, language: str) -> str:
    """What the language's default Whisper model hears in the clip."""
    if language not in transcribers:
        transcribers[language] = make_transcriber(language=language)
    return transcribers[language].transcribe(audio, language).text


def measure(entries: list[dict[str, Any]]) -> None:
    """Measure the fixtures on disk: each entry's WER and what was heard, and per language."""
    root = fixtures_dir()
    transcribers: dict[str, Transcriber] = {}
    for e in entries:
        e["heard"] = heard(transcribers, read_audio(root / e["file"]), e["language"])
        e["wer"] = round(wer([e["text"]], [e["heard"]]), 3)
        print(f"{e['file']}: WER {e['wer']:.2f}", flush=True)
    measure_written(entries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="persona ids (default: all)")
    parser.add_argument("--measure", action="store_true", help="only measure the current files")
    args = parser.parse_args()
    only: list[str] = args.only
    root = fixtures_dir()
    manifest_path = root / "manifest.json"
    old = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {"fixtures": []}
    if args.measure:  # record the WER of the files as they are, without recording again
        measure([e for e in old["fixtures"] if not only or e["persona"] in only])
        manifest_path.write_text(
            json.dumps(old, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        return 0
    labels = yaml.safe_load((root / "labels.yaml").read_text(encoding="utf-8"))
    transcribers: dict[str, Transcriber] = {}
    missing: list[str] = []
    entries = [e for e in old["fixtures"] if only and e["persona"] not in only]
    for persona in list_personas():
        if only and persona.id not in only:
            continue
        synthesizer = make_synthesizer("piper", persona.language)
        persona_labels = labels.get(persona.id, {})
        replies = persona.practice_replies
        for quality, texts in (("good", replies.good), ("poor", replies.poor)):
            for n, text in enumerate(texts, start=1):
                if text not in persona_labels:
                    missing.append(f"labels.yaml: {persona.id}: no expected acts for {text!r}")
                    continue
                clip = record(synthesizer, text, persona.language)
                rel = f"{persona.id}/{quality}-{n}.flac"
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                sf.write(root / rel, clip.samples, RATE, subtype="PCM_16")
                said = heard(transcribers, read_audio(root / rel), persona.language)
                entries.append(
                    {
                        "file": rel,
                        "persona": persona.id,
                        "exchange": n,
                        "quality": quality,
                        "language": persona.language,
                        "text": text,
                        "expected_acts": persona_labels[text],
                        "response_latency_s": LATENCY_S[quality],
                        "wer": round(wer([text], [said]), 3),
                        "heard": said,
                    }
                )
                print(f"{rel}: {clip.duration:.1f} s, WER {entries[-1]['wer']:.2f}", flush=True)
    if missing:
        print("\n".join(missing))
        return 1
    entries.sort(key=lambda e: (e["persona"], e["quality"], e["exchange"]))
    manifest_path.write_text(
        json.dumps({"fixtures": entries}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    measure_written(entries)
    return 0


def measure_written(entries: list[dict[str, Any]]) -> None:
    """Print the word error rate per language of what was just recorded."""
    by_lang: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for e in entries:
        if "heard" in e:
            by_lang[e["language"]][0].append(e["text"])
            by_lang[e["language"]][1].append(e["heard"])
    for language, (refs, hyps) in sorted(by_lang.items()):
        print(f"{language}: WER {wer(refs, hyps):.3f} over {len(refs)} fixtures")


if __name__ == "__main__":
    sys.exit(main())
