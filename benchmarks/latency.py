"""Latency the trainee feels: end of speech -> feedback shown; start-up to the first client line.

Replies of about 5, 10 and 30 seconds in English, Finnish and Dutch are spoken by espeak-ng from
each persona's sample replies (concatenated, 0.6 s apart, until long enough). Each is timed two
ways, median of ``--runs``, in one subprocess per backend and language that reports its peak
memory (VmHWM):

- whole: transcribe the whole reply, score it and build the feedback, as after a recorder that
  hands over nothing (the end-pointer's closing silence is not included);
- live: the reply replayed at speaking pace through the Silero end-pointer and the stretch
  cutter, as ``LiveAudio`` does with the microphone, so stretches are transcribed while the rest
  is still being said; timed from the end-of-turn decision and from the last speech frame the
  end-pointer heard.

Start-up is the time from launching ``python -m simulator demo`` to its first client line;
the demo then runs to its end, and its own peak memory comes from ``os.wait4``.

    .venv/bin/python benchmarks/latency.py [--runs 3] [--backend faster-whisper openai-whisper]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

PERSONAS = {"en": "en-angry-caller", "fi": "fi-vuokralainen", "nl": "nl-balie"}
TARGETS_S = (5.0, 10.0, 30.0)  # reply lengths to build
GAP_S = 0.6  # silence between concatenated sentences: a breath, as between spoken sentences
AUDIO = Path(__file__).resolve().parents[2] / "shared" / "audio"  # human speech, ../shared
HUMAN_CLIPS = {
    "en": AUDIO / "en_jfk_openai-whisper.flac",
    "fi": AUDIO / "fi_librivox_reader5698_fdeloche.wav",
    "nl": AUDIO / "nl_librivox_reader6513_fdeloche.wav",
}
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

    Each sample sentence is spoken once; a reply is the set of sentences whose length comes
    closest to the target, or, when all of them together fall short, sentences added one by one
    with none repeated before all are used: a repeated sentence makes Whisper's compression-ratio
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
        picks = _closest_subset([len(x) / rate for x in spoken], target) or _greedy(
            [len(x) / rate for x in spoken], target
        )
        pieces: list[np.ndarray[Any, np.dtype[np.float32]]] = []
        for i in picks:
            pieces += [gap, spoken[i]] if pieces else [spoken[i]]
        said = " ".join(pool[i] for i in picks)
        replies.append((Audio(np.concatenate(pieces).astype(np.float32), rate), said))
    return replies


def _closest_subset(lengths: list[float], target: float) -> list[int] | None:
    """The sentences, each used once and in order, whose spoken length is closest to target."""
    best: tuple[float, list[int]] | None = None
    for size in range(1, len(lengths) + 1):
        for combo in itertools.combinations(range(len(lengths)), size):
            total = sum(lengths[i] for i in combo) + GAP_S * (size - 1)
            if best is None or abs(total - target) < best[0]:
                best = (abs(total - target), list(combo))
    return best[1] if best is not None and best[0] < 0.2 * target else None


def _greedy(lengths: list[float], target: float) -> list[int]:
    """Sentences added one at a time (all used before any repeats) while that nears target."""
    picks: list[int] = []
    unused = list(range(len(lengths)))
    length = 0.0
    while True:
        unused = unused or list(range(len(lengths)))
        pick = min(unused, key=lambda i: abs(length + GAP_S + lengths[i] - target))
        longer = length + GAP_S * bool(picks) + lengths[pick]
        if picks and abs(longer - target) >= abs(length - target):
            return picks  # one more sentence would take the reply further from the target
        unused.remove(pick)
        picks.append(pick)
        length = longer


def _human(language: str) -> list[tuple[Any, str]]:
    """The shared recording of real speech in this language (about 10 s), if it is there."""
    from simulator.audio import read_audio

    path = HUMAN_CLIPS.get(language)
    if path is None or not path.is_file():
        return []
    return [(read_audio(path).resampled(16_000), "")]  # no reference text: words left blank


def live_run(
    audio: Any, transcriber: Any, language: str, client: Any, model: Any
) -> tuple[float, float, int, int]:
    """Replay a reply at speaking pace through the live path; time the feedback after it.

    The reply is followed by silence and fed block by block, in real time, to the Silero
    end-pointer and the stretch cutter, exactly as ``LiveAudio`` does with the microphone; each
    closed stretch is transcribed on the worker thread while the rest is still being "spoken".
    Returns (seconds from the last speech frame to the feedback, seconds from the end-of-turn
    decision to the feedback, stretches, words recognised).
    """
    from simulator.audio import Audio
    from simulator.devices.capture import POST_ROLL_S, PRE_ROLL_S
    from simulator.feedback import give_feedback
    from simulator.scoring import score_exchange
    from simulator.stretches import StretchCutter, StretchTranscriber, feed_recording
    from simulator.vad import Endpointer, VadOptions

    rate = 16_000
    samples = np.concatenate([audio.samples, np.zeros(3 * rate, np.float32)])
    stretches = StretchTranscriber(transcriber, language)
    cuts: list[float] = []

    def sink(piece: Any, offset: float) -> None:
        cuts.append(offset)
        stretches.submit(piece, offset)

    cutter = StretchCutter(PRE_ROLL_S, POST_ROLL_S)
    start = time.perf_counter()

    def wait_until(at_s: float) -> None:
        time.sleep(max(0.0, start + at_s - time.perf_counter()))

    decision = feed_recording(
        samples, Endpointer(VadOptions(), model), cutter, sink, 512, wait_until
    )
    turn_over = time.perf_counter()
    first = cutter.reply_start_s or 0.0
    last = (decision.speech_end_s or audio.duration) + POST_ROLL_S
    reply = Audio(samples[round(first * rate) : round(last * rate)], rate)
    transcript = stretches.result(reply)
    give_feedback(client, score_exchange(client, transcript))
    done = time.perf_counter()
    spoken_until = start + (decision.speech_end_s or audio.duration)  # the last speech frame
    return done - spoken_until, done - turn_over, len(cuts), len(transcript.words)


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM; ru_maxrss can carry a parent's peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker(backend: str, language: str, runs: int) -> None:
    """Time each reply length whole (after end of turn) and live (stretches); one JSON line."""
    from simulator.dialogue import first_turn
    from simulator.feedback import give_feedback
    from simulator.persona import find_persona
    from simulator.scoring import score_exchange
    from simulator.stt import make_transcriber
    from simulator.tts import EspeakSynthesizer
    from simulator.vad import SileroModel

    persona = find_persona(PERSONAS[language])
    client = first_turn(persona)
    synthesizer = EspeakSynthesizer()
    replies = _replies(persona.id, synthesizer) + _human(language)
    beam = int(os.environ.get("ROLEPLAY_BENCH_BEAM", "5"))
    transcriber = make_transcriber(backend, None, language, beam_size=beam)
    model = SileroModel()
    start = time.perf_counter()
    warm = transcriber.transcribe(replies[0][0], language)  # loads the model; a warm-up run
    first_s = time.perf_counter() - start
    give_feedback(client, score_exchange(client, warm))  # loads word lists once
    rows = []
    for audio, said in replies:
        whole: list[float] = []
        from_word: list[float] = []
        from_turn: list[float] = []
        parts = 0
        for _ in range(runs):
            t0 = time.perf_counter()
            transcript = transcriber.transcribe(audio, language)
            give_feedback(client, score_exchange(client, transcript))
            whole.append(time.perf_counter() - t0)
            after_word, after_turn, parts, live_words = live_run(
                audio, transcriber, language, client, model
            )
            from_word.append(after_word)
            from_turn.append(after_turn)
        rows.append(
            {
                "reply_s": audio.duration,
                "human": not said,
                "words": len(transcript.words),
                "said_words": len(said.split()),
                "whole_s": statistics.median(whole),
                "live_after_turn_s": statistics.median(from_turn),
                "live_after_word_s": statistics.median(from_word),
                "stretches": parts,
                "live_words": live_words,
            }
        )
    print(json.dumps({"first_call_s": first_s, "peak_rss_mb": peak_rss_mb(), "rows": rows}))


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
    """Launch the demo; time its first client line, then its whole run and peak memory.

    The first line counts when the demo prints it, which it does once the line's first sentence
    is made and about to play (a streamed line's WAV file is written only after the reply).
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "session"
        log = Path(tmp) / "stderr.txt"
        command = [sys.executable, "-m", "simulator", "demo", "--persona", PERSONAS[language]]
        command += ["--asr", backend, "--out", str(out)]
        start = time.perf_counter()
        with log.open("wb") as err:
            proc = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=err,
                env=os.environ | {"HF_HUB_OFFLINE": "1"},
            )
        shown: list[float] = []

        def watch() -> None:
            assert proc.stdout is not None
            for raw in proc.stdout:
                if not shown and b"Client:" in raw:
                    shown.append(time.perf_counter() - start)

        threading.Thread(target=watch, daemon=True).start()
        first: float | None = None
        while True:  # wait4 reaps the demo and returns its own resource usage
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.perf_counter() - start
            if first is None and shown:
                first = shown[0]
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
    parser.add_argument(
        "--lang", nargs="+", default=list(PERSONAS), choices=list(PERSONAS), help="languages"
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
    from simulator.stretches import PAUSE_S
    from simulator.vad import VadOptions

    options = VadOptions()
    print(
        f"Median of {args.runs} runs; load average {os.getloadavg()[0]:.1f}; words = recognised"
        " / spoken.\n"
        f"  whole: transcribe the whole reply + score + feedback, timed from the end-pointer's"
        f" decision ({options.end_silence_s:.1f} s of silence after the last word, not included)\n"
        "  live: the reply replayed at speaking pace through the end-pointer; stretches closed"
        f" by {PAUSE_S:.2f} s pauses are transcribed while it goes on;\n"
        "        'after turn' is timed from the end-of-turn decision, 'after word' from the"
        " end-pointer's last speech frame (includes the closing silence)"
    )
    head = (
        f"{'backend':15} {'lang':4} {'model':7} {'reply s':>7} {'words':>9} {'whole s':>7} "
        f"{'stretches':>9} {'words':>5} {'live after turn s':>17} {'live after word s':>17} "
        f"{'RSS MB':>6}"
    )
    print(head)
    print("-" * len(head))
    from simulator.models import default_model

    for backend in args.backend:
        for language in args.lang:
            print(f"  {backend} {language} ...", file=sys.stderr, flush=True)
            result = _run_worker(backend, language, args.runs)
            for row in result["rows"]:
                print(
                    f"{backend:15} {language:4} {default_model(language):7} "
                    f"{row['reply_s']:6.1f}{'h' if row['human'] else ' '} "
                    f"{row['words']:4d}/{row['said_words'] or '-':<4} "
                    f"{row['whole_s']:7.2f} {row['stretches']:9d} {row['live_words']:5d} "
                    f"{row['live_after_turn_s']:17.2f} {row['live_after_word_s']:17.2f} "
                    f"{result['peak_rss_mb']:6.0f}"
                )
    if args.no_demo:
        return 0
    print("\nStart-up: `python -m simulator demo` launched -> first client line ready to play")
    head = f"{'backend':15} {'lang':4} {'first WAV s':>11} {'whole demo s':>12} {'peak RSS MB':>11}"
    print(head)
    print("-" * len(head))
    for backend in args.backend:
        for language in args.lang:
            print(f"  demo {backend} {language} ...", file=sys.stderr, flush=True)
            r = startup(language, backend)
            print(
                f"{backend:15} {language:4} {r['first_wav_s']:11.2f} {r['session_s']:12.1f} "
                f"{r['peak_rss_mb']:11.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
