"""`roleplay devices` lists microphones and speakers; `roleplay mic-check` tests the microphone."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from simulator.errors import NoAudioDeviceError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from simulator.devices import Level, SpeakerEcho

# The commands import sounddevice, numpy and rich when they run, so `--help` starts fast.

METER_WIDTH = 40  # characters of the level bar
METER_FLOOR_DB = -60.0  # dBFS shown as an empty bar


def run_devices(args: argparse.Namespace) -> int:
    """Print every input and output device with the defaults marked."""
    from rich.console import Console
    from rich.table import Table

    from simulator.devices import list_devices

    devices = list_devices()
    if not devices:
        raise NoAudioDeviceError("No microphone or speaker found: no sound device at all.")
    table = Table(title="Sound devices (use the number or a part of the name)")
    for column in ("#", "name", "host API", "inputs", "outputs", "rate (Hz)", "default"):
        table.add_column(column)
    for d in devices:
        marks = [
            m for m, on in (("mic", d.is_default_input), ("speaker", d.is_default_output)) if on
        ]
        table.add_row(
            str(d.index),
            d.name,
            d.hostapi,
            str(d.max_input_channels),
            str(d.max_output_channels),
            f"{d.default_samplerate:.0f}",
            ", ".join(marks),
        )
    Console().print(table)
    return 0


def meter_line(level: Level) -> Text:
    """One line of the live meter: a bar for the RMS level, the numbers, a clipping mark."""
    from rich.text import Text

    from simulator.vad import SILENT_PEAK_DB

    share = (level.rms_db - METER_FLOOR_DB) / -METER_FLOOR_DB
    filled = round(max(0.0, min(1.0, share)) * METER_WIDTH)
    colour = "red" if level.peak_db > -1 else "green" if level.peak_db > SILENT_PEAK_DB else "dim"
    line = Text("█" * filled, style=colour)
    line.append("░" * (METER_WIDTH - filled), style="dim")
    line.append(f"  {level.rms_db:6.1f} dBFS  peak {level.peak_db:6.1f}")
    if level.peak_db > -1:
        line.append("  CLIPPING", style="bold red")
    return line


def run_mic_check(args: argparse.Namespace) -> int:
    """Show a live level meter while the trainee talks, then say whether the microphone is fine."""
    import numpy as np
    from rich.console import Console
    from rich.live import Live
    from rich.text import Text

    from simulator.audio import WHISPER_RATE, Audio, Samples
    from simulator.devices import iter_levels, probe_speaker_echo
    from simulator.vad import assess_mic

    console = Console()
    levels = iter_levels(args.input, args.seconds)  # fails here, before any prompt, without a mic
    console.print(f"Say a sentence or two for {args.seconds:g} seconds…")
    heard: list[Samples] = []
    with Live(Text(""), console=console, refresh_per_second=10, transient=False) as live:
        for level, samples in levels:
            heard.append(samples)
            live.update(meter_line(level))
    if not console.is_terminal:
        console.line()  # a terminal already ends the meter's line; a pipe or file does not
    report = assess_mic(Audio(np.concatenate(heard), WHISPER_RATE))
    speech = "—" if report.speech_db is None else f"{report.speech_db:.0f} dBFS"
    noise = "—" if report.noise_db is None else f"{report.noise_db:.0f} dBFS"
    console.print(f"Voice {speech}, background {noise}, peak {report.peak_db:.0f} dBFS.")
    for warning in report.warnings:
        console.print(f"[yellow]Warning:[/yellow] {warning}")
    if report.speech_db is None:
        console.print("Choose the microphone with --input; `roleplay devices` lists them.")
    if report.usable:
        console.print("[green]The microphone sounds fine.[/green]")
    if args.speaker:
        show_speaker_echo(console, probe_speaker_echo(args.input, args.output))
    return 0 if report.speech_db is not None else 1


def show_speaker_echo(console: Console, echo: SpeakerEcho) -> None:
    """Say whether the microphone hears the speaker, and what that means for practice."""
    if not echo.audible:
        console.print("[green]The microphone does not hear the speaker.[/green]")
        return
    console.print(
        f"[yellow]Warning:[/yellow] The microphone hears the speaker ({echo.level_db:.0f} dB, "
        f"{echo.delay_s * 1000:.0f} ms late). Headphones are best: the client's voice is kept "
        "out of your replies, but talking over the client may go unnoticed."
    )


def seconds(text: str) -> float:
    """A listening time between 1 and 60 seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: '{text}'") from None
    if not 1.0 <= value <= 60.0:
        raise argparse.ArgumentTypeError("choose between 1 and 60 seconds")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `devices` and `mic-check` commands."""
    devices = sub.add_parser(
        "devices",
        help="list microphones and speakers",
        description="List the sound devices; pass a number or part of a name to --input/--output.",
    )
    devices.set_defaults(func=run_devices)
    check = sub.add_parser(
        "mic-check",
        help="test the microphone with a live level meter",
        description="Record for a few seconds with a live level meter, then warn about a silent, "
        "clipping, quiet or noisy microphone.",
    )
    check.add_argument("--input", default=None, help="microphone (see `roleplay devices`)")
    check.add_argument(
        "--seconds", type=seconds, default=5.0, help="how long to listen (default 5)"
    )
    check.add_argument(
        "--speaker",
        action="store_true",
        help="also play a short sweep to check whether the microphone hears the speaker",
    )
    check.add_argument(
        "--output", default=None, help="speaker for --speaker (see `roleplay devices`)"
    )
    check.set_defaults(func=run_mic_check)
