"""Instructor commands: `personas list|check|new|preview|schema` and the text dry run `simulate`."""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator import language as languages
from simulator.cli.options import add_tts_option
from simulator.cli.textsafe import neutralise, shown
from simulator.errors import PersonaError, SimulatorError
from simulator.ports import Heard
from simulator.types import ClientTurn, EmotionalState

if TYPE_CHECKING:
    from simulator.persona import Persona

# Each command imports what it needs when it runs, so `--help` and `personas list` start fast.


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `personas ...` and `simulate` to the command line."""
    personas = sub.add_parser("personas", help="list, check, write and hear client personas")
    psub = personas.add_subparsers(
        dest="personas_command", metavar="ACTION", required=True, help="what to do"
    )

    p = psub.add_parser("list", help="the personas you can practise with")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_list)

    p = psub.add_parser("check", help="validate persona files and lint their meaning")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (default: all personas)")
    p.set_defaults(func=cmd_check)

    p = psub.add_parser("new", help="write a commented starter persona file")
    p.add_argument("id", help="persona id, lowercase words joined by hyphens (en-late-payer)")
    p.add_argument("--lang", required=True, choices=languages.codes(), help="the client's language")
    p.add_argument("--dir", type=Path, default=Path(), help="folder to write to (default: here)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=cmd_new)

    p = psub.add_parser("preview", help="speak every line of a persona with its emotion")
    p.add_argument("id", help="persona id")
    p.add_argument("--out", type=Path, default=None, help="write WAV files here (default: play)")
    add_tts_option(p)
    p.set_defaults(func=cmd_preview)

    p = psub.add_parser("schema", help="print the JSON Schema of persona files")
    p.add_argument("--out", type=Path, default=None, help="write it to this file")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("simulate", help="text-only dry run with a persona: type your replies")
    p.add_argument("id", help="persona id")
    p.add_argument("--replies", type=Path, default=None, help="file with one reply per line")
    p.add_argument(
        "--practice",
        choices=("good", "poor"),
        default=None,
        help="use the persona's sample replies",
    )
    p.add_argument("--json", action="store_true", help="print every exchange and the end as JSON")
    p.add_argument(
        "--seed", type=int, default=0, help="seed for the choice among alternative lines"
    )
    p.set_defaults(func=cmd_simulate)


# --- list, check, new, schema ------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    """Print the personas as a table or JSON; a broken file is named on stderr, never hides all."""
    from simulator.persona import scan_personas

    personas, problems = scan_personas()
    for problem in problems:
        print(f"roleplay: skipped {neutralise(problem)}", file=sys.stderr)
    if args.json:
        rows = [
            {"id": p.id, "name": p.name, "language": p.language, "emotion": p.start.emotion}
            for p in personas
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "name", "language", "starts as")
    for p in personas:
        table.add_row(p.id, shown(p.name), p.language, f"{p.start.emotion} {p.start.intensity:.2f}")
    Console().print(table)
    return 0


def _expand(paths: list[Path]) -> list[Path]:
    """Files to check: given files, the *.yaml files of given folders, or every persona."""
    if not paths:
        from simulator.persona import persona_files

        return persona_files()
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    return found


def cmd_check(args: argparse.Namespace) -> int:
    """Print every problem in the persona files; exit 1 if there is any."""
    files = _expand(list(args.paths))
    if not files:
        raise PersonaError("no persona files to check")
    from simulator.authoring import check_files

    problems = check_files(files)
    for problem in problems:
        print(neutralise(problem))
    word = "file" if len(files) == 1 else "files"
    if problems:
        print(f"{len(problems)} problem(s) in {len(files)} {word}", file=sys.stderr)
        return 1
    print(f"{len(files)} {word} OK", file=sys.stderr)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Write a starter persona file that passes check."""
    from simulator.authoring import starter_text
    from simulator.persona import ID_PATTERN

    if not re.fullmatch(ID_PATTERN, args.id):
        raise PersonaError(f"'{args.id}' is not a persona id: use lowercase words and hyphens")
    path: Path = args.dir / f"{args.id}.yaml"
    if path.exists() and not args.force:
        raise PersonaError(f"{path} exists already; pass --force to overwrite it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(starter_text(args.id, args.lang), encoding="utf-8")
    except OSError as exc:
        raise PersonaError(f"{path}: cannot write ({exc.strerror})") from exc
    print(f"wrote {path}; edit it, then run: roleplay personas check {path}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print or write the JSON Schema generated from the persona model."""
    from simulator.authoring import schema_text

    text = schema_text()
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


# --- preview -----------------------------------------------------------------------------------


def preview_lines(persona: Persona) -> Iterator[tuple[str, str, EmotionalState]]:
    """Every line the client can say, with a file stem and the state it is said in."""
    start = persona.start
    upset = persona.rules.upset_emotion or start.emotion
    for s, stage in enumerate(persona.stages):
        emotion = stage.emotion or start.emotion
        for i, line in enumerate(stage.lines, 1):
            yield (
                f"stage{s}-{i}",
                line.text,
                EmotionalState(emotion, start.intensity, start.trust, s),
            )
    for kind, texts in persona.reactions.items():
        for i, text in enumerate(texts, 1):
            yield f"reaction-{kind}-{i}", text, EmotionalState(upset, 0.8, start.trust, 0)
    last = len(persona.stages) - 1
    settled = persona.stages[last].emotion or start.emotion
    endings = {
        "resolution": EmotionalState(settled, 0.2, 0.9, last),
        "walk_out": EmotionalState(upset, 1.0, 0.0, 0),
        "turn_limit": EmotionalState(start.emotion, start.intensity, start.trust, 0),
    }
    for key, state in endings.items():
        for i, text in enumerate(getattr(persona.end, key), 1):
            yield f"end-{key}-{i}", text, state


def cmd_preview(args: argparse.Namespace) -> int:
    """Speak every line with its emotion, to WAV files or the speakers."""
    from simulator.audio import write_wav
    from simulator.cli.options import make_voice
    from simulator.persona import find_persona, voice_for

    persona = find_persona(args.id)
    synthesizer = make_voice(args.tts, persona.language)
    player: Any = None
    try:
        if args.out is None:
            from simulator.devices import LiveAudio
            from simulator.errors import AudioError

            try:
                player = LiveAudio()
            except AudioError as exc:
                raise AudioError(
                    "no sound device to play the lines on; use --out DIR to write WAV files"
                ) from exc
        for n, (stem, text, state) in enumerate(preview_lines(persona), 1):
            audio = synthesizer.synthesize(text, voice_for(persona, state))
            label = f"{state.emotion} {state.intensity:.1f}"
            if args.out is not None:
                path = args.out / f"{n:02d}-{stem}.wav"
                write_wav(path, audio)
                print(f"{path}  [{label}]  {neutralise(text)}")
            else:
                print(f"[{label}] {neutralise(text)}")
                player.play(audio)
                player.wait_played()
    finally:
        if player is not None:
            player.close()
    return 0


# --- simulate ----------------------------------------------------------------------------------


def read_text_lines(path: Path, what: str) -> list[str]:
    """The lines of a UTF-8 text file; a byte that is not UTF-8 is one clear error with its line."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError as exc:
        raise SimulatorError(f"{path}: is a folder, not a file of {what}") from exc
    except OSError as exc:
        raise SimulatorError(f"{path}: cannot read the {what} ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SimulatorError(
            f"{path}:{line}: not UTF-8 text; save the file as UTF-8 and try again"
        ) from exc
    return text.splitlines()


def _replies(args: argparse.Namespace, persona: Persona) -> Iterator[str]:
    """The trainee's replies: from a file, the persona's samples, or typed at the prompt.

    The samples are said in turn, and again from the first when they run out: the client
    brain answers what a reply was about, so a sample may meet another line than it was
    written for, and the session may need more replies than there are samples.
    """
    if args.practice is not None:
        yield from itertools.islice(
            itertools.cycle(getattr(persona.practice_replies, args.practice)), persona.max_turns
        )
        return
    if args.replies is not None:
        lines = read_text_lines(args.replies, "replies")
        yield from (line.strip() for line in lines if line.strip())
        return
    while True:
        try:
            line = input("You: " if sys.stdin.isatty() else "")
        except EOFError:
            return
        except UnicodeDecodeError as exc:
            raise SimulatorError("the typed reply is not UTF-8 text") from exc
        if line.strip():
            yield line.strip()


def cmd_simulate(args: argparse.Namespace) -> int:
    """Play a session in text: replies are scored for real and the client reacts.

    With ``--json`` the session is printed as a session log (JSON Lines, docs/session-log.md),
    one record as soon as it is known.
    """
    from rich.console import Console

    from simulator.cli.brains import client_brain
    from simulator.cli.render import show_client, show_scores, state_line
    from simulator.dialogue import first_turn, respond
    from simulator.encoder import shared_encoder
    from simulator.feedback import give_feedback
    from simulator.persona import find_persona
    from simulator.scoring import score_exchange
    from simulator.session_log import (
        encode,
        end_record,
        exchange_record,
        new_session_id,
        start_record,
    )
    from simulator.types import Exchange, Transcript

    persona = find_persona(args.id)
    console = Console(file=sys.stderr if args.json else sys.stdout, highlight=False)
    session_id = new_session_id(persona.id)
    brain = client_brain()

    def emit(record: dict[str, object]) -> None:
        sys.stdout.write(encode(record).decode("utf-8"))
        sys.stdout.flush()

    opening = first_turn(persona, args.seed)
    turn: ClientTurn | None = opening
    state = opening.state
    outcome, closing = "interrupted", None
    if args.json:
        emit(
            start_record(
                session_id,
                source="simulate",
                persona_id=persona.id,
                persona_name=persona.name,
                language=persona.language,
                situation=persona.situation,
                seed=args.seed,
            )
        )
    else:
        console.print(f"[bold]{shown(persona.name)}[/bold] — {shown(persona.situation)}")
    replies = _replies(args, persona)
    index = 0
    examples_used: Counter[str] = Counter()  # one wording at most twice per session
    while turn is not None:
        if not args.json:
            show_client(console, index, turn.text, turn.state)
        reply = next(replies, None)
        if reply is None:
            break
        transcript = Transcript.from_text(reply, persona.language)
        scores = score_exchange(turn, transcript, encoder=shared_encoder())
        feedback = give_feedback(turn, scores, transcript, examples_used)
        heard = Heard(reply, scores.acts, turn.text)
        step = respond(persona, index, turn.state, scores, args.seed, heard=heard, brain=brain)
        if args.json:
            exchange = Exchange(index, turn, transcript, scores, feedback, step.state)
            emit(exchange_record(session_id, exchange))
        else:
            if args.replies is not None or args.practice is not None:
                console.print(f"  [magenta]You:[/magenta] {shown(reply)}")
            show_scores(console, scores, feedback, persona.language)
            console.print(f"  [dim]Client now: {shown(state_line(step.state))}[/dim]")
        state, turn, index = step.state, step.next_turn, index + 1
        if step.outcome is not None:
            outcome, closing = step.outcome, step.closing_line
    if args.json:
        emit(end_record(session_id, outcome, closing_line=closing, final_state=state))
    else:
        if closing:
            console.print(f"\n  [cyan]Client:[/cyan] {shown(closing)}")
        console.print(f"\n[bold]End: {outcome.replace('_', ' ')}[/bold] — {state_line(state)}")
    return 0
