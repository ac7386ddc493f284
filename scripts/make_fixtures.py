"""Record the trainee replies of audio_fixtures/ from each persona's practice_replies.

The replies are spoken by espeak-ng in a trainee voice (calm, a voice variant unlike the
clients'), brought to 16 kHz with a short lead-in of silence, and saved as FLAC beside a
manifest that gives each file's text, language and expected acts (from labels.yaml).
Run: .venv/bin/python scripts/make_fixtures.py [PERSONA_ID...]
"""

from __future__ import annotations

import json
import sys

import numpy as np
import soundfile as sf
import yaml

from simulator.audio import VoiceSettings
from simulator.fixtures import fixtures_dir
from simulator.persona import list_personas
from simulator.tts import EspeakSynthesizer

RATE = 16_000  # Hz, what Whisper reads
LEAD_IN_S = 0.4  # silence before the trainee starts talking
TAIL_S = 0.6  # silence after the last word
# The pause before answering each recording stands for (good replies take a breath).
LATENCY_S = {"good": 0.9, "poor": 0.3}
TRAINEE_VARIANT = "f2"


def main(only: list[str]) -> int:
    root = fixtures_dir()
    labels = yaml.safe_load((root / "labels.yaml").read_text(encoding="utf-8"))
    synthesizer = EspeakSynthesizer()
    manifest_path = root / "manifest.json"
    old = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {"fixtures": []}
    missing: list[str] = []
    entries = [e for e in old["fixtures"] if only and e["persona"] not in only]
    for persona in list_personas():
        if only and persona.id not in only:
            continue
        replies = persona.practice_replies
        if replies is None:
            continue
        persona_labels = labels.get(persona.id, {})
        for quality, texts in (("good", replies.good), ("poor", replies.poor)):
            for n, text in enumerate(texts, start=1):
                if text not in persona_labels:
                    missing.append(f"labels.yaml: {persona.id}: no expected acts for {text!r}")
                    continue
                voice = VoiceSettings(
                    persona.language, "calm", 0.2, rate_scale=0.92, variant=TRAINEE_VARIANT
                )
                speech = synthesizer.synthesize(text, voice).resampled(RATE).samples
                clip = np.concatenate(
                    [np.zeros(int(LEAD_IN_S * RATE)), speech, np.zeros(int(TAIL_S * RATE))]
                )
                rel = f"{persona.id}/{quality}-{n}.flac"
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                sf.write(root / rel, clip.astype(np.float32), RATE, subtype="PCM_16")
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
                    }
                )
                print(f"{rel}: {len(clip) / RATE:.1f} s")
    if missing:
        print("\n".join(missing))
        return 1
    entries.sort(key=lambda e: (e["persona"], e["quality"], e["exchange"]))
    manifest_path.write_text(
        json.dumps({"fixtures": entries}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
