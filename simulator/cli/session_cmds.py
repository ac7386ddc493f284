"""`roleplay demo` (recorded replies, no microphone) and `roleplay practice` (live, aloud)."""

from __future__ import annotations

import argparse
import contextlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.cli import options
from simulator.cli.textsafe import shown
from simulator.errors import SimulatorError
from simulator.types import ClientTurn, EmotionalState, Exchange, Language, Transcript

if TYPE_CHECKING:
    from rich.console import Console

    from simulator.audio import AudioIO, Transcriber
    from simulator.persona import Persona
    from simulator.session import SessionLog
    from simulator.stt import DecodeOptions

# The commands import numpy, Whisper, the scorer and rich when they run, so `--help` starts fast.

DEMO_PERSONA = "en-angry-caller"


def sessions_root() -> Path:
    """Where sessions are kept unless ``--out`` says otherwise."""
    import platformdirs

    return Path(platformdirs.user_data_dir("voice-roleplay")) / "sessions"


def _warm_up(transcriber: Transcriber, language: Language) -> None:
    """Load Whisper, and beside it the sentence encoder, heads and word lists, ahead of the reply.

    Two threads, since a 2-core machine can load both at once: in a demo there is no client's
    line playing to hide the loading behind, and the first reply waited for them one after the
    other (3.8 s instead of 0.7 s on the English demo's first exchange).
    """
    from simulator.encoder import shared_encoder
    from simulator.scoring import score_exchange

    load = getattr(transcriber, "load", None)

    def whisper() -> None:
        # On failure transcribe() loads again and reports the error in the trainee's turn.
        with contextlib.suppress(SimulatorError):
            if callable(load):
                load()

    def scorer() -> None:
        client = ClientTurn("I have waited all week.", EmotionalState("calm", 0.5), (), language)
        with contextlib.suppress(SimulatorError):
            shared_encoder().load()
        score_exchange(
            client,
            Transcript.from_text("You have waited all week.", language),
            encoder=shared_encoder(),
        )

    for name, target in (("warm-up-whisper", whisper), ("warm-up-scorer", scorer)):
        threading.Thread(target=target, name=name, daemon=True).start()


def _print_report(console: Console, folder: Path) -> None:
    """Write the session's HTML report and print its path; a failure costs only the report."""
    from simulator.cli.report_cmds import write_report

    try:
        path = write_report(folder)
    except SimulatorError as exc:
        console.print(f"[dim]No report: {shown(str(exc))}[/dim]")
        return
    console.print(f"Report: {shown(str(path))}")


def run_session(
    console: Console,
    persona: Persona,
    audio_io: AudioIO,
    transcriber: Transcriber,
    log: SessionLog,
    seed: int,
    profile: bool = False,
    *,
    ask_again: bool = False,
    tts: str = "piper",
) -> int:
    """Run a whole session, printing each step; the log survives an interruption.

    With ``profile``, each exchange is followed by where its time went. With ``ask_again``, an
    unclear reply may be said again (live practice; a demo's replies are fixed recordings).
    """
    from simulator.cli.brains import client_brain
    from simulator.cli.render import show_client, show_exchange, show_summary, state_line
    from simulator.encoder import shared_encoder
    from simulator.phases import profile_lines
    from simulator.session import ClientLine, ExchangeTimings, NoReply, SessionEnd, iter_session

    console.print(
        f"[bold]{shown(persona.name)}[/bold] ({persona.language}) — "
        f"{shown(persona.situation.strip())}"
    )
    console.print(f"[dim]Session folder: {shown(str(log.folder))}[/dim]")
    synthesizer = options.make_voice(tts, persona.language)
    _warm_up(transcriber, persona.language)
    try:
        events = iter_session(
            persona,
            audio_io,
            synthesizer,
            transcriber,
            log,
            seed,
            ask_again=ask_again,
            encoder=shared_encoder(),
            brain=client_brain(),
        )
        for event in events:
            if isinstance(event, ClientLine):
                show_client(console, event.index, event.turn.text, event.turn.state)
            elif isinstance(event, NoReply):
                console.print(f"  [red]{shown(event.message)}[/red]")
            elif isinstance(event, Exchange):
                show_exchange(console, event)
            elif isinstance(event, ExchangeTimings) and profile:
                for line in profile_lines(event.timings):
                    console.print(f"  [dim]profile: {shown(line)}[/dim]")
            elif isinstance(event, SessionEnd):
                if event.closing_line:
                    console.print(f"\n  [cyan]Client:[/cyan] {shown(event.closing_line)}")
                console.print(
                    f"\n[bold]Session over: {event.outcome.replace('_', ' ')}[/bold]"
                    f" — client {state_line(event.state)}"
                )
                show_summary(console, event.summary)
                console.print(f"[dim]Log: {shown(str(event.log_path))}[/dim]")
                _print_report(console, log.folder)
    except KeyboardInterrupt:
        with contextlib.suppress(SimulatorError):
            log.end("interrupted")
        raise
    except SimulatorError as exc:
        with contextlib.suppress(SimulatorError):  # a full disk cannot take the end record either
            log.end("error", error=str(exc))
        raise
    return 0


def _settings(args: argparse.Namespace, decode: DecodeOptions) -> dict[str, object]:
    """The options that shaped the session, kept in its start record (with Whisper's decoding)."""
    keys = ("asr", "model", "beam", "tts", "trainee", "push_to_talk")
    settings = {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}
    settings["decode"] = decode.to_dict()
    return settings


def _demo(args: argparse.Namespace) -> int:
    from rich.console import Console

    from simulator.fixtures import FixtureAudio, OncePerRecording
    from simulator.persona import find_persona
    from simulator.session import SessionLog
    from simulator.stt import DecodeOptions, make_transcriber

    persona = find_persona(args.persona)
    audio_io = FixtureAudio(persona.id, plan=args.trainee)
    decode = DecodeOptions(beam_size=args.beam)
    # The demo's recordings come back when the client stays in a stage: each is heard once.
    transcriber = OncePerRecording(
        make_transcriber(args.asr, args.model, persona.language, options=decode)
    )
    root = args.out or sessions_root()
    log = SessionLog.create(root, persona.id, "demo", _settings(args, decode))
    console = Console(highlight=False)
    console.print("[dim]Demo: the trainee's replies are recorded fixtures; no microphone.[/dim]")
    return run_session(
        console, persona, audio_io, transcriber, log, args.seed, args.profile, tts=args.tts
    )


def _practice(args: argparse.Namespace) -> int:
    from rich.console import Console

    from simulator.devices import LiveAudio
    from simulator.persona import find_persona
    from simulator.session import SessionLog
    from simulator.stt import DecodeOptions, make_transcriber

    persona = find_persona(args.persona)
    decode = DecodeOptions(beam_size=args.beam)
    transcriber = make_transcriber(args.asr, args.model, persona.language, options=decode)
    root = args.out or sessions_root()
    console = Console(highlight=False)
    # Opened first, so a machine without sound fails with its one line and nothing else;
    # closing waits for the client's last line to finish playing.
    with LiveAudio(
        input_device=args.input, output_device=args.output, push_to_talk=args.push_to_talk
    ) as audio_io:
        hint = (
            "press Enter to start and end your reply"
            if args.push_to_talk
            else "stop talking to end your turn; if you talk over the client, they stop for you"
        )
        console.print(f"[dim]Speak after the client; {hint}. Ctrl-C stops.[/dim]")
        log = SessionLog.create(root, persona.id, "practice", _settings(args, decode))
        return run_session(
            console,
            persona,
            audio_io,
            transcriber,
            log,
            args.seed,
            args.profile,
            ask_again=True,
            tts=args.tts,
        )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `demo` and `practice`."""
    demo = sub.add_parser(
        "demo",
        help="a full practice session with recorded replies (no microphone needed)",
        description="Run a whole session in which the trainee's replies are recorded fixtures "
        "from audio_fixtures/: the client speaks with an emotion (WAV files), each reply is "
        "transcribed by Whisper, scored and followed by feedback.",
    )
    demo.add_argument(
        "--persona", default=DEMO_PERSONA, help=f"persona id (default {DEMO_PERSONA})"
    )
    demo.add_argument(
        "--trainee",
        choices=("good", "poor", "mixed"),
        default="mixed",
        help="which recorded replies answer the client (default mixed)",
    )
    options.add_session_options(demo)
    options.add_tts_option(demo)
    options.add_asr_options(demo)
    demo.set_defaults(func=_demo)

    practice = sub.add_parser(
        "practice",
        help="practise aloud: the client speaks through the speakers, you answer into the mic",
        description="The live loop: the client's line plays through the speakers, your reply is "
        "recorded until you stop talking, then transcribed, scored and followed by feedback.",
    )
    practice.add_argument(
        "--persona", required=True, help="persona id (see `roleplay personas list`)"
    )
    practice.add_argument("--input", default=None, help="microphone (see `roleplay devices`)")
    practice.add_argument("--output", default=None, help="speaker (see `roleplay devices`)")
    practice.add_argument(
        "--push-to-talk",
        action="store_true",
        help="press Enter to start and again to end your reply, instead of automatic end of turn",
    )
    options.add_session_options(practice)
    options.add_tts_option(practice)
    options.add_asr_options(practice)
    practice.set_defaults(func=_practice)
