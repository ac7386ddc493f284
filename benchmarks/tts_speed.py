"""How soon the client is heard, and what the voice costs: Piper against espeak-ng.

For each voice (Piper English; espeak-ng English, Finnish, Dutch) one fresh process per run
speaks a persona's lines exactly as the session does (``SpokenLine``: the first sentence is made,
then the line starts playing while the rest is made; "Sorry — go on." is made once per emotion):

- start -> first audio: from launching the process (measured outside it) to the opening line's
  first sentence being ready to play: Python start-up, imports, loading the voice, one sentence;
- between turns: from asking for a line (right after the feedback is shown) to its first
  sentence being ready, for every stage line of the persona, median and worst;
- real-time factor: seconds spent making a whole line over the seconds of speech it gives;
- load: loading Piper's model (part of start -> first audio; espeak-ng has nothing to load);
- peak memory: the process's maximum resident set, from ``os.wait4`` outside it.

Playback itself adds the output buffer (0.2 s, ``OUTPUT_LATENCY_S``) on top.

    .venv/bin/python benchmarks/tts_speed.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
VOICES = [
    ("piper", "en", "en-angry-caller"),
    ("espeak", "en", "en-angry-caller"),
    ("espeak", "fi", "fi-vuokralainen"),
    ("espeak", "nl", "nl-weduwnaar"),
]


def worker(engine: str, persona_id: str, launched: float) -> None:
    """Speak the persona's lines as a session does and print the timings as JSON."""
    from dataclasses import replace

    from simulator.dialogue import first_turn, yield_line
    from simulator.persona import find_persona, voice_for
    from simulator.session import SpokenLine
    from simulator.tts import make_synthesizer
    from simulator.types import EmotionalState

    persona = find_persona(persona_id)
    synth = make_synthesizer(engine, persona.language)
    opening = first_turn(persona)
    loading = time.perf_counter()
    load = getattr(synth, "load", None)
    if callable(load):  # Piper's model; espeak-ng starts with its first line
        load()
    load_s = time.perf_counter() - loading
    line = SpokenLine(synth, opening.text, voice_for(persona, opening.state))
    start_to_first = time.time() - launched
    line.whole()
    rows = []
    made: set[object] = set()
    for index, stage in enumerate(persona.stages):
        state = EmotionalState(stage.emotion or persona.start.emotion, 0.5, 0.5, index)
        voice = voice_for(persona, state)
        for text in (x.text for x in stage.lines):
            asked = time.perf_counter()
            spoken = SpokenLine(synth, text, voice)
            yield_voice = replace(voice, intensity=0.5)
            if yield_voice not in made:
                synth.synthesize(yield_line(persona), yield_voice)
                made.add(yield_voice)
            first = time.perf_counter() - asked
            audio = spoken.whole()
            whole = time.perf_counter() - asked
            rows.append(
                {"first_s": first, "rtf": whole / audio.duration, "audio_s": audio.duration}
            )
    print(json.dumps({"start_to_first_s": start_to_first, "load_s": load_s, "rows": rows}))


def run(engine: str, persona_id: str) -> dict[str, Any]:
    """One fresh process; its timings and its peak memory."""
    launched = time.time()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--worker", engine, persona_id, repr(launched)],
        stdout=subprocess.PIPE,
        env=os.environ | {"PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"worker {engine} {persona_id} failed")
    result: dict[str, Any] = json.loads(out)
    result["peak_rss_mb"] = usage.ru_maxrss / 1024
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], float(args.worker[2]))
        return 0
    head = (
        f"{'voice':8} {'lang':4} {'start->first s':>14} {'turn first s (med/max)':>22} "
        f"{'RTF (med)':>9} {'load s':>6} {'peak MB':>7}"
    )
    print(head)
    for engine, language, persona_id in VOICES:
        results = [run(engine, persona_id) for _ in range(args.runs)]
        rows = [row for r in results for row in r["rows"]]
        firsts = [row["first_s"] for row in rows]

        def med(key: str, results: list[dict[str, Any]] = results) -> float:
            return float(statistics.median(r[key] for r in results))

        print(
            f"{engine:8} {language:4} {med('start_to_first_s'):14.2f} "
            f"{statistics.median(firsts):10.2f} / {max(firsts):9.2f} "
            f"{statistics.median(row['rtf'] for row in rows):9.2f} {med('load_s'):6.2f} "
            f"{med('peak_rss_mb'):7.0f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
