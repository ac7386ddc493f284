"""Speed as the trainee meets it, measured from outside the program.

- practice: starts the real ``roleplay practice`` process on a private PulseAudio daemon (the
  tests' harness: a virtual speaker and microphone), and for each client line waits until the
  line has played, pauses as a person would, and plays a reply into the virtual microphone at
  speaking pace (``paplay``). From outside it timestamps when the reply's audio ended (paplay
  has drained it) and when the scores appeared on the process's stdout, and reads the
  process's CPU time (``/proc/<pid>/stat``) at each of those moments. Replies: espeak-ng
  sentences in each language (Piper for English when that voice is installed) and the shared
  human clips (``../shared/audio``).
- demo: ``roleplay demo`` per language as a whole process: wall time, CPU time, peak memory.
- startup: ``roleplay --help`` and ``roleplay personas list``.

Each part runs idle and, with ``--load``, again with one core kept busy by a background
process. Results go to ``benchmarks/results/<name>.json`` with the machine, commit, date and load
average; ``benchmarks/compare.py OLD NEW`` prints the ratios.

    .venv/bin/python benchmarks/live_e2e.py --name baseline [--load] [--langs en fi nl]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from support.pulse import RATE, PulseHarness, missing_tools  # noqa: E402

from simulator.audio import Audio, read_audio  # noqa: E402
from simulator.errors import SimulatorError  # noqa: E402

PERSONAS = {"en": "en-angry-caller", "fi": "fi-vuokralainen", "nl": "nl-weduwnaar"}
HUMAN_CLIPS = {
    "en": "en_jfk_openai-whisper.flac",
    "fi": "fi_librivox_reader5698_fdeloche.wav",
    "nl": "nl_librivox_reader6513_fdeloche.wav",
}
SYNTHETIC = {
    "en": "It sounds like you have waited a long time and nobody called you back. "
    "That must be really frustrating.",
    "fi": "Kuulostaa siltä, että olet odottanut pitkään eikä kukaan ole soittanut takaisin. "
    "Se on varmasti todella turhauttavaa.",
    "nl": "Het klinkt alsof u lang hebt gewacht en niemand u heeft teruggebeld. "
    "Dat moet echt zwaar voor u zijn.",
}
# This much quiet from the speaker after the client spoke: the line is over. The voices leave up
# to 0.75 s between sentences (a sad client in Dutch, espeak-ng), so a shorter wait took such a
# gap for the end of the line: the benchmark then talked over the client, which the program
# answers as it should, by stopping the client, saying its yield line and holding the turn open.
LINE_OVER_S = 1.0
PAUSE_BEFORE_REPLY_S = 1.0  # the trainee's pause after the client's last word (>= LINE_OVER_S)
SPEAKING = 0.02  # a 50 ms frame of the speaker above this peak holds speech
SAY_AGAIN_TRIES = 3  # the program may offer to hear an unclear reply again (twice)
MAX_PAUSE_S = 0.5  # a human clip is cut at its first longer pause: the turn would end there
EXCHANGE_TIMEOUT_S = 300.0
DEMO_TIMEOUT_S = 900.0
STARTUP_RUNS = 5
TICK = os.sysconf("SC_CLK_TCK")
NAN = float("nan")


def shared_dir() -> Path:
    """$VOICE_ROLEPLAY_SHARED, or the ``shared`` folder beside the repository."""
    override = os.environ.get("VOICE_ROLEPLAY_SHARED")
    return Path(override) if override else REPO.parent / "shared"


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system, all threads) a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14, 15)


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def last_word_s(audio: Audio) -> float:
    """Seconds from the start of the clip to the end of its last speech frame (Silero VAD)."""
    from simulator.vad import FRAME_S, SileroModel, speech_probabilities

    clip = audio.resampled(16_000)
    frames = np.flatnonzero(speech_probabilities(clip.samples, SileroModel()) > 0.5)
    return float((frames[-1] + 1) * FRAME_S) if len(frames) else clip.duration


# --- replies -----------------------------------------------------------------------------------


def synthetic_reply(lang: str) -> tuple[str, Audio]:
    """An empathic reply in ``lang``: Piper for English if installed, else espeak-ng."""
    from simulator.audio import VoiceSettings

    voice = VoiceSettings(language=lang, emotion="calm", intensity=0.3)
    if lang == "en":
        with contextlib.suppress(Exception):
            from simulator.tts import make_synthesizer

            return "piper", make_synthesizer("piper", lang).synthesize(SYNTHETIC[lang], voice)
    from simulator.tts import EspeakSynthesizer

    return "espeak-ng", EspeakSynthesizer().synthesize(SYNTHETIC[lang], voice)


def longest_breath_group(audio: Audio, max_pause_s: float = MAX_PAUSE_S) -> Audio:
    """The longest part of the clip without a pause (Silero no-speech) over ``max_pause_s``.

    A longer pause would end the trainee's turn in the middle of the clip.
    """
    from simulator.vad import FRAME_S, SileroModel, speech_probabilities

    clip = audio.resampled(16_000)
    frames = np.flatnonzero(speech_probabilities(clip.samples, SileroModel()) > 0.5)
    if len(frames) == 0:
        return clip
    breaks = np.flatnonzero(np.diff(frames) * FRAME_S > max_pause_s)
    starts = [frames[0], *frames[breaks + 1]]
    ends = [*frames[breaks], frames[-1]]
    first, last = max(zip(starts, ends, strict=True), key=lambda g: g[1] - g[0])
    begin = max(0, round((first * FRAME_S - 0.3) * clip.sample_rate))
    end = min(len(clip.samples), round(((last + 1) * FRAME_S + 0.3) * clip.sample_rate))
    return Audio(clip.samples[begin:end], clip.sample_rate)


def replies_for(lang: str, exchanges: int) -> list[tuple[str, Audio]]:
    """Synthetic and human replies in turn, starting with the synthetic one."""
    kind, synthetic = synthetic_reply(lang)
    human = longest_breath_group(read_audio(shared_dir() / "audio" / HUMAN_CLIPS[lang]))
    pool = [(kind, synthetic), ("human", human)]
    return [pool[i % 2] for i in range(exchanges)]


# --- the practice process ----------------------------------------------------------------------


class Lines:
    """A reader thread that timestamps every line the process prints."""

    def __init__(self, stream: Any) -> None:
        self.queue: queue.Queue[tuple[float, str]] = queue.Queue()
        self.seen: list[tuple[float, str]] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: Any) -> None:
        for line in iter(stream.readline, ""):
            self.queue.put((time.monotonic(), line.rstrip("\n")))
        self.queue.put((time.monotonic(), "\0EOF"))

    def wait_for(self, pattern: str, timeout: float) -> tuple[float, re.Match[str]]:
        """The time and match of the next line matching ``pattern``."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                if left <= 0:
                    raise queue.Empty
                stamp, line = self.queue.get(timeout=left)
            except queue.Empty:
                raise TimeoutError(f"no line matching {pattern!r} within {timeout:.0f} s") from None
            self.seen.append((stamp, line))
            if line == "\0EOF":
                tail = "\n".join(text for _, text in self.seen[-15:])
                raise RuntimeError(f"the process ended while waiting for {pattern!r}:\n{tail}")
            found = re.search(pattern, line)
            if found:
                return stamp, found


def practice_run(
    harness: PulseHarness, lang: str, exchanges: int, out: Path, profile: bool = True
) -> dict[str, Any]:
    """One practice session in ``lang``: per exchange, latency and CPU seen from outside."""
    replies = replies_for(lang, exchanges)
    env = {**os.environ, **harness.env, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "practice", "--persona", PERSONAS[lang]]
        + ["--out", str(out)]
        + (["--profile"] if profile else []),
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = Lines(proc.stdout)
    rows: list[dict[str, Any]] = []
    try:
        _, folder = lines.wait_for(r"Session folder: (\S+)", 60)
        for n, (kind, reply) in enumerate(replies, 1):
            mark = harness.speaker_mark()
            shown, _ = lines.wait_for(rf"Exchange {n}\b", EXCHANGE_TIMEOUT_S)
            if n == 1:
                first_line_s = shown - started
            cpu_shown = cpu_s(proc.pid)
            # Answer after a breath, once the client's line has played out of the speaker.
            wait_until_played(harness, mark)
            time.sleep(max(0.0, PAUSE_BEFORE_REPLY_S - LINE_OVER_S))
            cpu_reply = cpu_s(proc.pid)
            for attempt in range(1, SAY_AGAIN_TRIES + 1):
                player = harness.play_into_mic(reply, name=f"{lang}-{n}-{attempt}")
                player.wait(timeout=120)
                ended = time.monotonic()  # paplay returns once the sink has played the last sample
                cpu_ended = cpu_s(proc.pid)
                # The reply's scores, or a line printed after it ended: an offer to say it again.
                while True:
                    answered, shown_line = lines.wait_for(r"\S", EXCHANGE_TIMEOUT_S)
                    scores = re.match(r"^\s+You:", shown_line.string) is not None
                    if scores or answered >= ended:
                        break
                cpu_scored = cpu_s(proc.pid)
                if attempt == 1:
                    first_response = answered - ended  # scores, or the offer to say it again
                if scores or attempt == SAY_AGAIN_TRIES:
                    break
                time.sleep(PAUSE_BEFORE_REPLY_S)  # unclear: the trainee says it again
            after_word = max(0.0, reply.duration - last_word_s(reply))
            rows.append(
                {
                    "exchange": n,
                    "reply": kind,
                    "reply_s": round(reply.duration, 2),
                    "tries": attempt,
                    "turn_ended_early": bool(answered < ended),  # a pause ended the turn
                    "last_word_to_first_response_s": round(float(first_response + after_word), 3),
                    "end_to_scores_s": round(answered - ended, 3),
                    "last_word_to_scores_s": round(float(answered - ended + after_word), 3),
                    "cpu_wait_s": round(cpu_scored - cpu_ended, 2),
                    "cpu_reply_s": round(cpu_ended - cpu_reply, 2),
                    "cpu_client_line_s": round(cpu_reply - cpu_shown, 2),
                }
            )
            print(f"  {lang} #{n} {kind:9} {rows[-1]}", file=sys.stderr)
        peak = peak_rss_mb(proc.pid)
        total_cpu = cpu_s(proc.pid)
    finally:
        proc.send_signal(2)  # Ctrl-C: the session keeps what it recorded
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        with contextlib.suppress(TimeoutError, RuntimeError):
            lines.wait_for(r"\0NEVER", 5)  # keep the last exchange's profile lines
    stopped = clients_stopped(Path(folder.group(1)) / "session.jsonl")
    for row in rows:
        row["talked_over_client"] = stopped.get(row["exchange"], False)
    # A turn ended by a pause, or a reply that talked over the client (who then yields and holds
    # the turn open), does not measure the wait after a reply.
    kept = [r for r in rows if not r["turn_ended_early"] and not r["talked_over_client"]]
    waits = [r["last_word_to_scores_s"] for r in kept] or [NAN]
    later = [r["last_word_to_scores_s"] for r in kept if r["exchange"] > 1]
    return {
        "persona": PERSONAS[lang],
        "exchanges": rows,
        "first_client_line_s": round(first_line_s, 2),
        "median_last_word_to_scores_s": round(statistics.median(waits), 3),
        "median_after_first_s": round(statistics.median(later or [NAN]), 3),
        "median_cpu_wait_s": round(statistics.median([r["cpu_wait_s"] for r in kept] or [NAN]), 2),
        "peak_rss_mb": round(peak, 1),
        "cpu_total_s": round(total_cpu, 2),
        "profile": [line for _, line in lines.seen if "profile:" in line],
    }


def clients_stopped(log: Path) -> dict[int, bool]:
    """Per exchange number (from 1), whether the reply talked over the client and stopped it."""
    from simulator.session_log import read_session_log

    if not log.is_file():
        return {}
    records = read_session_log(log).exchanges
    return {r.exchange.index + 1: r.exchange.client_stopped for r in records}


def wait_until_played(harness: PulseHarness, mark: int) -> None:
    """Return once the speaker has played something since ``mark`` and then been quiet.

    The client's line may be streamed sentence by sentence (Piper), so its length is not known
    in advance; the virtual speaker's capture says when it is over.
    """
    frame = round(0.05 * RATE)
    deadline = time.monotonic() + EXCHANGE_TIMEOUT_S
    while time.monotonic() < deadline:
        time.sleep(0.05)
        heard = harness.speaker_since(mark)
        usable = len(heard) // frame * frame
        if usable == 0:
            continue
        loud = np.flatnonzero(np.abs(heard[:usable]).reshape(-1, frame).max(axis=1) > SPEAKING)
        if len(loud) and (usable // frame - 1 - loud[-1]) * 0.05 >= LINE_OVER_S:
            return
    raise TimeoutError("the client's line never finished playing")


# --- whole processes ---------------------------------------------------------------------------


def timed_process(argv: list[str], timeout: float) -> dict[str, float]:
    """Wall time, CPU time and peak memory of one process run to its end."""
    began = time.monotonic()
    proc = subprocess.Popen(
        argv, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=False
    )
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): {err[-500:]}")
    return {
        "wall_s": round(time.monotonic() - began, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def demo_runs(langs: list[str], out: Path) -> dict[str, Any]:
    """A whole `roleplay demo` per language."""
    results = {}
    for lang in langs:
        argv = [sys.executable, "-m", "simulator", "demo", "--persona", PERSONAS[lang]]
        results[lang] = attempt(timed_process, [*argv, "--out", str(out / lang)], DEMO_TIMEOUT_S)
        print(f"  demo {lang}: {results[lang]}", file=sys.stderr)
    return results


def startup_runs() -> dict[str, Any]:
    """Median wall and CPU time of `--help` and `personas list` over STARTUP_RUNS runs."""
    results = {}
    for name, args in (("help", ["--help"]), ("personas_list", ["personas", "list"])):
        runs = [timed_process([sys.executable, "-m", "simulator", *args], 60) for _ in range(5)]
        results[name] = {
            key: round(statistics.median(r[key] for r in runs), 3) for key in ("wall_s", "cpu_s")
        }
        print(f"  start-up {name}: {results[name]}", file=sys.stderr)
    return results


# --- the run -----------------------------------------------------------------------------------


def attempt(part: Any, *args: Any) -> Any:
    """Run one part; a failure is kept in the results as its message, and the rest goes on."""
    try:
        return part(*args)
    except (SimulatorError, RuntimeError, TimeoutError, OSError, subprocess.SubprocessError) as exc:
        print(f"  failed: {exc}", file=sys.stderr)
        return {"error": str(exc)[-2000:]}


@contextlib.contextmanager
def busy_core(on: bool) -> Iterator[None]:
    """Keep one core busy with a spinning process while the block runs (if ``on``)."""
    if not on:
        yield
        return
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        spinner.kill()
        spinner.wait()


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    commit = os.environ.get("BENCH_COMMIT") or subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "commit": commit,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every part the arguments ask for, idle and (with --load) with one core busy."""
    result: dict[str, Any] = {"name": args.name, "machine": machine(), "runs": {}}
    result["load_before"] = os.getloadavg()
    conditions = ["no_added_load", "one_core_busy"] if args.load else ["no_added_load"]
    with tempfile.TemporaryDirectory(prefix="live-e2e-") as tmp:
        root = Path(tmp)
        harness = PulseHarness(root / "pulse") if "practice" in args.parts else None
        if harness is not None:
            if missing_tools():
                raise SystemExit(f"needs PulseAudio tools: {', '.join(missing_tools())}")
            harness.start()
        try:
            for condition in conditions:
                part: dict[str, Any] = {"load_before": os.getloadavg()}
                with busy_core(condition == "one_core_busy"):
                    if "startup" in args.parts:
                        part["startup"] = startup_runs()
                    if "practice" in args.parts and harness is not None:
                        part["practice"] = {
                            lang: attempt(
                                practice_run,
                                harness,
                                lang,
                                args.exchanges,
                                root / condition / lang,
                                not args.no_profile,
                            )
                            for lang in args.langs
                        }
                    if "demo" in args.parts:
                        part["demo"] = demo_runs(args.langs, root / condition / "demo")
                part["load_after"] = os.getloadavg()
                result["runs"][condition] = part
        finally:
            if harness is not None:
                harness.stop()
    result["load_after"] = os.getloadavg()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", default="latest", help="results/<name>.json (default latest)")
    parser.add_argument("--langs", nargs="+", default=["en", "fi", "nl"], choices=PERSONAS)
    parser.add_argument(
        "--parts",
        nargs="+",
        default=["startup", "practice", "demo"],
        choices=("startup", "practice", "demo"),
    )
    parser.add_argument("--exchanges", type=int, default=3, help="replies per practice session")
    parser.add_argument("--load", action="store_true", help="also run with one core kept busy")
    parser.add_argument(
        "--no-profile", action="store_true", help="for versions without `practice --profile`"
    )
    args = parser.parse_args()
    result = run(args)
    path = REPO / "benchmarks" / "results" / f"{args.name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
