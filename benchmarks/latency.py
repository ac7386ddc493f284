"""Latency the trainee feels: end of speech -> feedback shown; start-up to the first client line.

Replies of about 5, 10 and 30 seconds in English, Finnish and Dutch are spoken by espeak-ng from
each persona's sample replies (concatenated until long enough). After the end-pointer has heard
``end_silence_s`` of silence, the session transcribes the whole reply, scores it and builds the
feedback; this script times those three steps (median of ``--runs``) in one subprocess per
backend and language, whose peak memory (``ru_maxrss``) it reports. Start-up is the time from
launching ``python -m simulator demo`` to its first client WAV file; the demo then runs to its
end, and its own peak memory comes from ``os.wait4``.

    .venv/bin/python benchmarks/latency.py [--runs 3] [--backend faster-whisper openai-whisper]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

PERSONAS = {"en": "en-angry-caller", "fi": "fi-vuokralainen", "nl": "nl-balie"}
TARGETS_S = (5.0, 10.0, 30.0)  # reply lengths to build
GAP_S = 0.3  # silence between concatenated sentences
DEMO_TIMEOUT_S = 600.0  # a demo session still running after this long is stopped


def _speak(synthesizer: Any, text: str, voice: Any, tries: int = 3) -> Any:
    """Synthesize, trying again when espeak-ng now and then writes an empty file."""
    from simulator.errors import SynthesisError

    for attempt in range(tries):
        try:
            return synthesizer.synthesize(text, voice)
        except SynthesisError as exc:
            print(f"  TTS failed ({exc}); try {attempt + 2}/{tries}", file=sys.stderr)
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def _replies(persona_id: str, synthesizer: Any) -> list[tuple[Any, str]]:
    """Spoken replies close to each target length, built from the persona's sample replies.

    Each sample sentence is spoken once; a reply adds the unused sentence that brings it closest
    to the target while that brings it closer, so lengths come out near 5, 10 and 30 s. No
    sentence repeats before all are used: a repeated sentence makes Whisper's compression-ratio
    check fail, and its temperature fallback is not what a trainee meets.
    """
    from simulator.audio import Audio, VoiceSettings
    from simulator.persona import find_persona

    persona = find_persona(persona_id)
    pool = persona.practice_replies.good or persona.practice_replies.poor
    voice = VoiceSettings(language=persona.language, emotion="calm")
    rate = 16_000
    gap = np.zeros(int(GAP_S * rate), dtype=np.float32)
    spoken = [_speak(synthesizer, text, voice).resampled(rate).samples for text in pool]
    replies: list[tuple[Any, str]] = []
    for target in TARGETS_S:
        said: list[str] = []
        pieces: list[np.ndarray[Any, np.dtype[np.float32]]] = []
        unused = list(range(len(spoken)))
        length = 0.0
        while True:
            unused = unused or list(range(len(spoken)))
            pick = min(unused, key=lambda i: abs(length + GAP_S + len(spoken[i]) / rate - target))
            longer = length + GAP_S * bool(pieces) + len(spoken[pick]) / rate
            if pieces and abs(longer - target) >= abs(length - target):
                break  # one more sentence would take the reply further from the target
            unused.remove(pick)
            said.append(pool[pick])
            pieces += [gap, spoken[pick]] if pieces else [spoken[pick]]
            length = longer
        replies.append((Audio(np.concatenate(pieces).astype(np.float32), rate), " ".join(said)))
    return replies


def worker(backend: str, language: str, runs: int) -> None:
    """Time transcribe + score + feedback for each reply length; print one JSON line."""
    from simulator.dialogue import first_turn
    from simulator.feedback import give_feedback
    from simulator.persona import find_persona
    from simulator.scoring import score_exchange
    from simulator.stt import make_transcriber
    from simulator.tts import EspeakSynthesizer

    persona = find_persona(PERSONAS[language])
    client = first_turn(persona)
    synthesizer = EspeakSynthesizer()
    replies = _replies(persona.id, synthesizer)
    beam = int(os.environ.get("ROLEPLAY_BENCH_BEAM", "5"))
    transcriber = make_transcriber(backend, None, language, beam_size=beam)
    start = time.perf_counter()
    warm = transcriber.transcribe(replies[0][0], language)  # loads the model; a warm-up run
    first_s = time.perf_counter() - start
    give_feedback(client, score_exchange(client, warm))  # loads word lists once
    rows = []
    for audio, said in replies:
        asr: list[float] = []
        rest: list[float] = []
        for _ in range(runs):
            t0 = time.perf_counter()
            transcript = transcriber.transcribe(audio, language)
            t1 = time.perf_counter()
            scores = score_exchange(client, transcript)
            give_feedback(client, scores)
            t2 = time.perf_counter()
            asr.append(t1 - t0)
            rest.append(t2 - t1)
        rows.append(
            {
                "reply_s": audio.duration,
                "words": len(transcript.words),
                "said_words": len(said.split()),
                "asr_s": statistics.median(asr),
                "score_feedback_s": statistics.median(rest),
                "total_s": statistics.median(a + r for a, r in zip(asr, rest, strict=True)),
            }
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"first_call_s": first_s, "peak_rss_mb": peak_mb, "rows": rows}))


def _run_worker(backend: str, language: str, runs: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", backend, language, "--runs", str(runs)],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | {"HF_HUB_OFFLINE": "1"},
    )
    if done.returncode != 0:
        raise SystemExit(f"worker {backend} {language} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def startup(language: str, backend: str) -> dict[str, float]:
    """Launch the demo; time its first client WAV, then its whole run and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "session"
        log = Path(tmp) / "stderr.txt"
        command = [sys.executable, "-m", "simulator", "demo", "--persona", PERSONAS[language]]
        command += ["--asr", backend, "--out", str(out)]
        start = time.perf_counter()
        with log.open("wb") as err:
            proc = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=os.environ | {"HF_HUB_OFFLINE": "1"},
            )
        first: float | None = None
        while True:  # wait4 reaps the demo and returns its own resource usage
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.perf_counter() - start
            if first is None and any(out.glob("*client*.wav")):
                first = elapsed
            if elapsed > DEMO_TIMEOUT_S:
                proc.kill()  # only this demo process, started above
            time.sleep(0.01)
        total = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            print(f"  demo {language} exited {code}: {log.read_text()[-500:]}", file=sys.stderr)
    return {
        "first_wav_s": float("nan") if first is None else first,
        "session_s": total,
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per reply (median)")
    parser.add_argument(
        "--backend",
        nargs="+",
        default=["faster-whisper"],
        choices=("faster-whisper", "openai-whisper"),
    )
    parser.add_argument("--no-demo", action="store_true", help="skip the start-up measurement")
    parser.add_argument("--beam", type=int, default=5, help="beam size of the transcriber")
    parser.add_argument("--worker", nargs=2, metavar=("BACKEND", "LANG"))
    args = parser.parse_args()
    if not args.worker:  # the workers read it from their environment
        os.environ["ROLEPLAY_BENCH_BEAM"] = str(args.beam)
    if args.worker:
        worker(args.worker[0], args.worker[1], args.runs)
        return 0
    from simulator.vad import VadOptions

    end_silence = VadOptions().end_silence_s
    print(
        f"End of speech -> feedback, median of {args.runs} runs; the end-pointer first waits "
        f"{end_silence:.1f} s of silence (not included below); load average "
        f"{os.getloadavg()[0]:.1f}. words = recognised / spoken."
    )
    head = (
        f"{'backend':15} {'lang':4} {'model':7} {'reply s':>7} {'words':>9} {'ASR s':>6} "
        f"{'score+fb s':>10} {'total s':>7} {'peak RSS MB':>11}"
    )
    print(head)
    print("-" * len(head))
    from simulator.models import default_model

    for backend in args.backend:
        for language in PERSONAS:
            print(f"  {backend} {language} ...", file=sys.stderr, flush=True)
            result = _run_worker(backend, language, args.runs)
            for row in result["rows"]:
                print(
                    f"{backend:15} {language:4} {default_model(language):7} "
                    f"{row['reply_s']:7.1f} {row['words']:4d}/{row['said_words']:<4d} "
                    f"{row['asr_s']:6.2f} "
                    f"{row['score_feedback_s']:10.3f} {row['total_s']:7.2f} "
                    f"{result['peak_rss_mb']:11.0f}"
                )
    if args.no_demo:
        return 0
    print("\nStart-up: `python -m simulator demo` launched -> first client WAV written")
    head = f"{'backend':15} {'lang':4} {'first WAV s':>11} {'whole demo s':>12} {'peak RSS MB':>11}"
    print(head)
    print("-" * len(head))
    for backend in args.backend:
        for language in PERSONAS:
            print(f"  demo {backend} {language} ...", file=sys.stderr, flush=True)
            r = startup(language, backend)
            print(
                f"{backend:15} {language:4} {r['first_wav_s']:11.2f} {r['session_s']:12.1f} "
                f"{r['peak_rss_mb']:11.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
